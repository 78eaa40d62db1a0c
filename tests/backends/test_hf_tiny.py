"""The hf backend on tiny random-weight models: batching, padding and the adapter toggle change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

from tunediff.backends.base import GenerationRequest
from tunediff.backends.hf.engine import HFBackend
from tunediff.errors import UserError
from tunediff.settings import GenerationSettings
from tunediff.variants import Variant

PROMPTS = {
    "short": "Hi",
    "mid": "Extract the order as JSON: Order 7: 2 lamps to Oslo.",
    "long": "A much longer prompt that needs padding when it is batched with short ones, so left padding matters here.",
}


def _requests(variants: list[str], settings: GenerationSettings) -> list[GenerationRequest]:
    return [
        GenerationRequest(pid, v, "default", 0, ({"role": "user", "content": text},), settings, 1234)
        for pid, text in PROMPTS.items()
        for v in variants
    ]


def _run(backend: HFBackend, requests: list[GenerationRequest]) -> dict[tuple[str, str], object]:
    got: dict[tuple[str, str], object] = {}
    backend.generate(requests, lambda batch: got.update({(r.prompt_id, r.variant): res for r, res in batch}))
    return got


def _one_at_a_time(model, tok, text: str, max_new: int) -> list[int]:
    rendered = tok.apply_chat_template([{"role": "user", "content": text}], tokenize=False, add_generation_prompt=True)
    ids = tok(rendered, add_special_tokens=False, return_tensors="pt")
    with torch.inference_mode():
        out = model.generate(**ids, max_new_tokens=max_new, do_sample=False, eos_token_id=[2], pad_token_id=2)
    return out[0, ids["input_ids"].shape[1] :].tolist()


def _decoded(tok, ids: list[int]) -> str:
    """The raw text of a plain generate() call, cut after the first EOS as the backend does."""
    if 2 in ids:
        ids = ids[: ids.index(2) + 1]
    return tok.decode(ids, skip_special_tokens=False, clean_up_tokenization_spaces=False)


@pytest.fixture(scope="module")
def backend(tiny_model_dir: Path, tiny_adapters: dict[str, Path]) -> HFBackend:
    b = HFBackend(base=str(tiny_model_dir), batch_size=8, progress=False)
    b.load(
        [
            Variant("base", "base"),
            Variant("one", "adapter", str(tiny_adapters["one"])),
            Variant("two", "adapter", str(tiny_adapters["two"])),
        ]
    )
    return b


def test_base_rows_in_mixed_padded_batches_equal_the_plain_base_model(backend, tiny_model_dir):
    settings = GenerationSettings(max_new_tokens=10)
    got = _run(backend, _requests(["base", "one", "two"], settings))
    plain = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    for pid, text in PROMPTS.items():
        expected = _one_at_a_time(plain, tok, text, 10)
        assert got[(pid, "base")].raw_text == _decoded(tok, expected), pid


def test_adapter_rows_equal_a_separately_loaded_peft_model_one_prompt_at_a_time(backend, tiny_model_dir, tiny_adapters):
    settings = GenerationSettings(max_new_tokens=10)
    got = _run(backend, _requests(["base", "one", "two"], settings))
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    for name in ("one", "two"):
        model = PeftModel.from_pretrained(
            AutoModelForCausalLM.from_pretrained(tiny_model_dir), tiny_adapters[name]
        ).eval()
        for pid, text in PROMPTS.items():
            assert got[(pid, name)].raw_text == _decoded(tok, _one_at_a_time(model, tok, text, 10)), (name, pid)


def test_adapters_change_the_output(backend):
    got = _run(backend, _requests(["base", "one"], GenerationSettings(max_new_tokens=10)))
    assert any(got[(p, "base")].raw_text != got[(p, "one")].raw_text for p in PROMPTS)


def test_sampling_is_seeded_per_row_and_independent_of_batch_size(tiny_model_dir, tiny_adapters):
    settings = GenerationSettings(max_new_tokens=8, temperature=1.0, top_p=0.9, top_k=50)
    results = []
    for size in (1, 6):
        b = HFBackend(base=str(tiny_model_dir), batch_size=size, progress=False)
        b.load([Variant("base", "base"), Variant("one", "adapter", str(tiny_adapters["one"]))])
        results.append({k: v.raw_text for k, v in _run(b, _requests(["base", "one"], settings)).items()})
    assert results[0] == results[1]


def test_finish_reasons_eos_stop_and_length(backend, tiny_model_dir):
    long = _run(backend, _requests(["base"], GenerationSettings(max_new_tokens=6)))
    assert any(res.finish_reason == "length" for res in long.values()), "a random model runs to the limit"
    for res in long.values():
        assert res.finish_reason in ("length", "eos"), res  # no stop strings were given
        if res.finish_reason == "length":
            assert res.new_tokens == 6
        else:
            assert res.new_tokens <= 6 and res.raw_text.endswith("<|im_end|>")
    # A stop string taken from the middle of a known output must cut the text at its first occurrence.
    unlimited = _run(backend, _requests(["base"], GenerationSettings(max_new_tokens=20)))
    pid, res = max(((p, r) for (p, _), r in unlimited.items()), key=lambda pr: len(set(pr[1].text)))
    assert res.new_tokens >= 3 and len(res.text) >= 2, res.raw_text
    stop = res.text[len(res.text) // 2]
    stopped = _run(backend, _requests(["base"], GenerationSettings(max_new_tokens=20, stop=(stop,))))
    got = stopped[(pid, "base")]
    assert got.finish_reason == "stop"
    assert got.text == res.text[: res.text.find(stop)]
    assert got.new_tokens < res.new_tokens


def test_finish_reason_eos_when_the_model_emits_the_end_token():
    from tunediff.backends.hf.sampling import finish

    class Tok:
        def decode(self, ids, skip_special_tokens=False, clean_up_tokenization_spaces=False):
            words = {5: "hello", 6: " world", 2: "<|im_end|>"}
            return "".join(words[i] for i in ids if not (skip_special_tokens and i == 2))

    s = GenerationSettings()
    out = finish(Tok(), [5, 6, 2, 2, 2], {2}, s, 3, None)
    assert (out["finish_reason"], out["text"], out["raw_text"], out["new_tokens"]) == (
        "eos",
        "hello world",
        "hello world<|im_end|>",
        3,
    )
    assert finish(Tok(), [5, 6, 5], {2}, s, 3, None)["finish_reason"] == "length"
    # Stopped by a stop string at step 2, then padded with the EOS id: still "stop".
    stopped = finish(Tok(), [5, 6, 2, 2], {2}, GenerationSettings(stop=(" world",)), 3, 2)
    assert (stopped["finish_reason"], stopped["text"]) == ("stop", "hello")


def test_adapter_for_another_hidden_size_is_a_user_error(tmp_path, tiny_model_dir):
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    other = LlamaForCausalLM(
        LlamaConfig(
            vocab_size=49152,
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=2,
        )
    )
    get_peft_model(
        other, LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    ).save_pretrained(tmp_path)
    b = HFBackend(base=str(tiny_model_dir), progress=False)
    with pytest.raises(UserError, match="does not fit the base model"):
        b.load([Variant("base", "base"), Variant("bad", "adapter", str(tmp_path))])


def test_pickle_only_adapter_is_refused_without_allow_pickle(tmp_path, tiny_model_dir, tiny_adapters):
    import shutil

    from safetensors.torch import load_file

    shutil.copy(tiny_adapters["one"] / "adapter_config.json", tmp_path / "adapter_config.json")
    torch.save(load_file(tiny_adapters["one"] / "adapter_model.safetensors"), tmp_path / "adapter_model.bin")
    b = HFBackend(base=str(tiny_model_dir), progress=False)
    with pytest.raises(UserError, match="pickle"):
        b.load([Variant("base", "base"), Variant("p", "adapter", str(tmp_path))])


def test_missing_adapter_and_missing_template_are_user_errors(tmp_path, tiny_model_dir):
    import shutil

    b = HFBackend(base=str(tiny_model_dir), progress=False)
    with pytest.raises(UserError, match="no such adapter directory"):
        b.load([Variant("base", "base"), Variant("x", "adapter", str(tmp_path / "nope"))])
    bare = tmp_path / "bare"
    shutil.copytree(tiny_model_dir, bare)
    (bare / "chat_template.jinja").unlink(missing_ok=True)
    import json

    cfg = json.loads((bare / "tokenizer_config.json").read_text())
    cfg.pop("chat_template", None)
    (bare / "tokenizer_config.json").write_text(json.dumps(cfg))
    with pytest.raises(UserError, match="no chat template"):
        HFBackend(base=str(bare), progress=False).load([Variant("base", "base")])
