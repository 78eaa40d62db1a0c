"""The hf backend's own decode loop (finished rows leave the batch) gives `model.generate`'s tokens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

from tunediff.backends.hf import kv_slots, memory_budget, scheduler, threads

TEXTS = ["Hi", "Extract the order as JSON: Order 7: 2 lamps to Oslo.",
         "A much longer prompt that needs padding when it is batched with short ones, so left padding matters.",
         "What is the capital of Japan?"]


@pytest.fixture(scope="module")
def varied_dir(tmp_path_factory: pytest.TempPathFactory, smollm2_dir: Path) -> Path:
    """A random 2-layer Llama whose greedy outputs vary (the shared tiny model repeats one token).

    Two LoRA adapters (non-zero B) are saved beside it in `lora-one` and `lora-two`.
    """
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    out = tmp_path_factory.mktemp("varied-llama")
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=49152, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, bos_token_id=1,
                         eos_token_id=2, pad_token_id=2, tie_word_embeddings=False, initializer_range=0.2)
    LlamaForCausalLM(config).save_pretrained(out / "model", safe_serialization=True)
    for name in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
        if (smollm2_dir / name).is_file():
            shutil.copy(smollm2_dir / name, out / "model" / name)
    for i, name in enumerate(("one", "two")):
        torch.manual_seed(100 + i)
        base = AutoModelForCausalLM.from_pretrained(out / "model")
        cfg = LoraConfig(r=4, lora_alpha=16, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
        get_peft_model(base, cfg).save_pretrained(out / f"lora-{name}")
    return out


@pytest.fixture(scope="module")
def tok(varied_dir: Path):
    t = AutoTokenizer.from_pretrained(varied_dir / "model")
    t.padding_side = "left"
    return t


@pytest.fixture(scope="module")
def peft_model(varied_dir: Path):
    base = AutoModelForCausalLM.from_pretrained(varied_dir / "model")
    model = PeftModel.from_pretrained(base, varied_dir / "lora-one", adapter_name="one")
    model.load_adapter(varied_dir / "lora-two", adapter_name="two")
    return model.eval()


def _batch(tok, texts):
    rendered = [tok.apply_chat_template([{"role": "user", "content": t}], tokenize=False, add_generation_prompt=True)
                for t in texts]
    enc = tok(rendered, add_special_tokens=False, padding=True, return_tensors="pt")
    return enc["input_ids"], enc["attention_mask"]


def _eos_at_different_steps(model, ids, mask, names, max_new):
    """EOS ids that end rows at different steps: each row's own 2nd, 4th, ... greedy token."""
    with torch.inference_mode():
        free = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new, do_sample=False,
                              eos_token_id=[], pad_token_id=0, adapter_names=names)[:, ids.shape[1]:]
    eos = {int(free[row, min(1 + 2 * row, max_new - 1)]) for row in range(len(ids))}
    return eos


def _generate(model, ids, mask, names, eos, max_new):
    with torch.inference_mode():
        out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new, do_sample=False,
                             eos_token_id=sorted(eos), pad_token_id=min(eos), adapter_names=names)
    rows = []
    for row in out[:, ids.shape[1]:].tolist():
        end = next((i for i, t in enumerate(row) if t in eos), len(row) - 1)
        rows.append(row[:end + 1])
    return rows


@pytest.mark.parametrize("names", [
    ["__base__"] * 4,
    ["one"] * 4,
    ["__base__", "one", "two", "__base__"],
])
def test_decode_equals_generate_with_padding_and_eos_at_different_steps(tok, peft_model, names):
    ids, mask = _batch(tok, TEXTS)
    assert (mask == 0).any(), "the batch must be padded for this test to mean anything"
    eos = _eos_at_different_steps(peft_model, ids, mask, names, 12)
    expected = _generate(peft_model, ids, mask, names, eos, 12)
    assert len({len(r) for r in expected}) > 1, "rows must end at different steps"
    with torch.inference_mode():
        got = scheduler.decode(peft_model, ids, mask, eos=eos, max_new=12, adapter_names=list(names))
    assert got.new_ids == expected


def test_decode_on_a_plain_model_without_adapter_names(tok, varied_dir):
    model = AutoModelForCausalLM.from_pretrained(varied_dir / "model").eval()
    ids, mask = _batch(tok, TEXTS[:3])
    eos = _eos_at_different_steps(model, ids, mask, None, 10)
    with torch.inference_mode():
        got = scheduler.decode(model, ids, mask, eos=eos, max_new=10)
    assert got.new_ids == _generate(model, ids, mask, None, eos, 10)


def test_finished_rows_leave_the_batch(tok, peft_model, monkeypatch):
    ids, mask = _batch(tok, TEXTS)
    names = ["__base__", "one", "two", "__base__"]
    eos = _eos_at_different_steps(peft_model, ids, mask, names, 12)
    widths = []
    original = peft_model.forward

    def spy(*args, **kwargs):
        if kwargs.get("past_key_values") is not None:  # not the shared prefix's own pass
            widths.append(kwargs["input_ids"].shape[0])
            assert len(kwargs["adapter_names"]) == widths[-1]
        return original(*args, **kwargs)

    monkeypatch.setattr(peft_model, "forward", spy)
    with torch.inference_mode():
        got = scheduler.decode(peft_model, ids, mask, eos=eos, max_new=12, adapter_names=names)
    assert widths[0] == 4 and widths[-1] < 4 and widths == sorted(widths, reverse=True)
    # Forward passes = prefill + one per step of the longest row; later steps ran fewer rows.
    assert len(widths) == max(len(r) for r in got.new_ids)
    assert sum(widths) < 4 * len(widths)


def test_repetition_penalty_ignores_padding(tok, varied_dir):
    """A row's output with the penalty is the same alone and in a padded batch."""
    model = AutoModelForCausalLM.from_pretrained(varied_dir / "model").eval()
    ids, mask = _batch(tok, TEXTS[:3])
    with torch.inference_mode():
        batched = scheduler.decode(model, ids, mask, eos={2}, max_new=8, repetition_penalty=1.3)
        short = mask[0].bool()
        alone = scheduler.decode(model, ids[:1, short], mask[:1, short], eos={2}, max_new=8, repetition_penalty=1.3)
        plain = scheduler.decode(model, ids[:1, short], mask[:1, short], eos={2}, max_new=8)
    assert batched.new_ids[0] == alone.new_ids[0]
    assert alone.new_ids[0] != plain.new_ids[0] or len(set(plain.new_ids[0])) == len(plain.new_ids[0])


def test_model_shape_gives_the_kv_bytes_of_a_token_from_the_config(tiny_model_dir):
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    cfg = model.config
    per_token = cfg.num_hidden_layers * 2 * cfg.num_key_value_heads * (cfg.hidden_size // cfg.num_attention_heads) * 4
    shape = memory_budget.model_shape(model)
    assert shape.bytes_per_token == per_token
    assert (shape.vocab, shape.intermediate, shape.elem) == (cfg.vocab_size, cfg.intermediate_size, 4)
    assert memory_budget.model_shape(model.to(torch.bfloat16)).bytes_per_token == per_token // 2


EOS_UNSEEN = 49151  # rows run their full length: the last vocabulary id, never picked by these models


def _spy_tokens(monkeypatch) -> list[tuple[int, int]]:
    """(tokens held, rows live) after every decode step of any SlotCache."""
    seen: list[tuple[int, int]] = []
    original = kv_slots.SlotCache.stepped

    def stepped(self):
        original(self)
        seen.append((self.tokens, self.live))

    monkeypatch.setattr(kv_slots.SlotCache, "stepped", stepped)
    return seen


def test_a_token_budget_holds_the_cache_and_swapping_keeps_every_token(tok, peft_model, monkeypatch):
    """A budget too small for all rows: rows wait, and rows that outgrow it go to disk and back.

    Every row still equals `generate` run alone, and no step holds more tokens than the budget.
    """
    texts = TEXTS + [t + " Please." for t in TEXTS]
    names = ["__base__", "one", "two", "__base__", "one", "__base__", "two", "one"]
    prompts = [_batch(tok, [t])[0][0].tolist() for t in texts]
    # Two rows fit with their growth reserve (LOOKAHEAD each), then outgrow it within 60 tokens.
    budget = max(len(p) for p in prompts) * 2 + 2 * scheduler.LOOKAHEAD + 6
    seen = _spy_tokens(monkeypatch)
    with torch.inference_mode():
        got = scheduler.decode_stream(peft_model, prompts, slots=8, eos={EOS_UNSEEN}, max_new=60, pad_id=2,
                                      adapter_names=names, token_budget=budget)
    monkeypatch.undo()
    assert got.swapped > 0, "the budget must be tight enough to swap rows out"
    assert all(tokens <= budget for tokens, live in seen if live > 1)
    assert max(live for _, live in seen) >= 2
    for i, (text, name) in enumerate(zip(texts, names, strict=True)):
        ids, mask = _batch(tok, [text])
        assert got.new_ids[i] == _generate(peft_model, ids, mask, [name], {EOS_UNSEEN}, 60)[0], i


def test_each_row_is_charged_its_overhead_and_outputs_do_not_change(tok, peft_model, monkeypatch):
    """With a per-row overhead the same budget holds fewer rows, and no step exceeds it."""
    texts = TEXTS + [t + " Please." for t in TEXTS]
    prompts = [_batch(tok, [t])[0][0].tolist() for t in texts]
    budget, overhead = 400, 60
    seen = _spy_tokens(monkeypatch)
    with torch.inference_mode():
        free = scheduler.decode_stream(peft_model, prompts, slots=8, eos={EOS_UNSEEN}, max_new=40, pad_id=2,
                                       token_budget=budget)
        charged = scheduler.decode_stream(peft_model, prompts, slots=8, eos={EOS_UNSEEN}, max_new=40, pad_id=2,
                                          token_budget=budget, row_overhead=overhead)
    monkeypatch.undo()
    assert charged.new_ids == free.new_ids
    assert charged.peak_rows < free.peak_rows
    assert charged.peak_tokens == max(tokens for tokens, _ in seen[-charged.steps:])
    assert charged.steps > 0 and charged.step_s > 0 and charged.prefill_s > 0
    assert all(tokens + live * overhead <= budget for tokens, live in seen[-charged.steps:] if live > 1)


def test_an_unwritable_swap_folder_is_a_one_line_error_naming_it(tok, peft_model, monkeypatch, tmp_path):
    from tunediff.errors import UserError

    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("TUNEDIFF_CACHE", str(blocked))
    texts = TEXTS + [t + " Please." for t in TEXTS]
    prompts = [_batch(tok, [t])[0][0].tolist() for t in texts]
    budget = max(len(p) for p in prompts) * 2 + 2 * scheduler.LOOKAHEAD + 6  # forces a swap, as above
    with torch.inference_mode(), pytest.raises(UserError) as caught:
        scheduler.decode_stream(peft_model, prompts, slots=8, eos={EOS_UNSEEN}, max_new=60, pad_id=2,
                                adapter_names=["__base__"] * 8, token_budget=budget)
    message = str(caught.value)
    assert str(blocked / "swap") in message and "TUNEDIFF_CACHE" in message and "\n" not in message


def test_shared_prefix_is_common_to_all_and_leaves_each_row_a_token():
    assert scheduler._shared_prefix([list(range(20)) + [1], list(range(20)) + [2, 3]]) == list(range(20))
    assert scheduler._shared_prefix([list(range(12)), list(range(20))]) == list(range(11))
    assert scheduler._shared_prefix([list(range(5)) + [9], list(range(5)) + [8]]) == []  # too short
    assert scheduler._shared_prefix([list(range(20))]) == []  # one prompt: nothing to share
    assert scheduler._shared_prefix([[1] + list(range(20)), list(range(20))]) == []


def test_slot_cache_compacts_rows_and_gives_pages_back():
    """Rows that end leave holes the last rows move into; pages no row holds are zero again.

    fp32 keys of head_dim 64 take 256 bytes a token: a 4 KB page holds 16 tokens of one head.
    """
    cache = kv_slots.SlotCache(n_layers=1, slots=4, capacity=64)
    keys = torch.arange(4 * 2 * 5 * 64, dtype=torch.float32).view(4, 2, 5, 64) + 1
    cache.prefilling([0, 0, 0, 0])
    cache.store(0, keys, keys + 1)
    cache.joined([5, 5, 5, 5])
    cache.lengths = [40, 5, 12, 5]  # as if rows 0 and 2 had decoded further
    k = cache.keys[0]
    k[0, :, 5:40] = 7.0
    k[2, :, 5:12] = 9.0
    order = cache.release([0, 1])  # slots 0 (40 tokens) and 1 end: slots 2 and 3 move into them
    assert order == [2, 3] and cache.lengths == [12, 5] and cache.tokens == 17
    assert torch.equal(k[0, :, :5], keys[2]) and bool((k[0, :, 5:12] == 9.0).all())
    assert k[0, :, 16:].abs().sum() == 0, "the 40-token row's pages past the mover's must be given back"
    assert torch.equal(k[1, :, :5], keys[3]) and k[1, :, 5:].abs().sum() == 0
    assert k[2:].abs().sum() == 0, "vacated slots are given back"


def test_models_slots_do_not_fit_decode_on_transformers_cache(tok, monkeypatch):
    """A sliding-window model takes the fallback path, rows still leaving as they end."""
    from transformers import MistralConfig, MistralForCausalLM

    torch.manual_seed(0)
    config = MistralConfig(vocab_size=49152, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, sliding_window=64, initializer_range=0.2,
                           eos_token_id=2, pad_token_id=2)
    model = MistralForCausalLM(config).eval()
    assert not kv_slots.supported(model)
    monkeypatch.setattr(kv_slots, "SlotCache", None)  # must not be used
    ids, mask = _batch(tok, TEXTS[:3])
    eos = _eos_at_different_steps(model, ids, mask, None, 10)
    with torch.inference_mode():
        got = scheduler.decode(model, ids, mask, eos=eos, max_new=10)
    assert got.new_ids == _generate(model, ids, mask, None, eos, 10)


def test_thread_count_honours_the_override(monkeypatch):
    monkeypatch.setenv("TUNEDIFF_THREADS", "3")
    assert threads.thread_count() == 3


def test_thread_count_takes_the_free_cores_only_when_the_probe_says_they_help(monkeypatch):
    monkeypatch.delenv("TUNEDIFF_THREADS", raising=False)
    monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (1.0, 1.0, 1.0))  # one core busy: three free
    monkeypatch.setattr(threads, "_matmul_seconds", lambda n: 1.0 / n)  # more threads, faster
    assert threads.thread_count() == 3
    monkeypatch.setattr(threads, "_matmul_seconds", lambda n: 1.0)  # no faster with more
    assert threads.thread_count() == 1
    monkeypatch.setattr(threads, "_matmul_seconds", lambda n: 1.0 / n)
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (4.0, 4.0, 4.0))  # every core busy
    assert threads.thread_count() == 1


@pytest.mark.parametrize("slots", [8, 3])
def test_backend_rows_equal_separate_models_one_prompt_at_a_time(varied_dir, tok, slots):
    """The whole backend on a model with varied outputs: base rows = plain model, adapter rows = PeftModel.

    With 3 slots for 8 rows, rows join a running batch as others end (continuous batching).
    """
    from tunediff.backends.base import GenerationRequest
    from tunediff.backends.hf.engine import HFBackend
    from tunediff.settings import GenerationSettings
    from tunediff.variants import Variant

    backend = HFBackend(base=str(varied_dir / "model"), batch_size=slots, progress=False)
    backend.load([Variant("base", "base"), Variant("one", "adapter", str(varied_dir / "lora-one"))])
    settings = GenerationSettings(max_new_tokens=10)
    requests = [GenerationRequest(f"p{i}", v, "default", 0, ({"role": "user", "content": t},), settings, 0)
                for i, t in enumerate(TEXTS) for v in ("base", "one")]
    got = {}
    backend.generate(requests, lambda batch: got.update({(r.prompt_id, r.variant): res for r, res in batch}))
    plain = AutoModelForCausalLM.from_pretrained(varied_dir / "model").eval()
    tuned = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(varied_dir / "model"),
                                      varied_dir / "lora-one").eval()
    eos = backend.eos_ids
    for i, text in enumerate(TEXTS):
        ids, mask = _batch(tok, [text])
        for variant, model in (("base", plain), ("one", tuned)):
            with torch.inference_mode():
                out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=10, do_sample=False,
                                     eos_token_id=sorted(eos), pad_token_id=min(eos))[0, ids.shape[1]:].tolist()
            end = next((j for j, t in enumerate(out) if t in eos), len(out) - 1)
            expected = tok.decode(out[:end + 1], skip_special_tokens=False, clean_up_tokenization_spaces=False)
            assert got[(f"p{i}", variant)].raw_text == expected, (i, variant)
    assert any(got[(f"p{i}", "base")].raw_text != got[(f"p{i}", "one")].raw_text for i in range(len(TEXTS)))


def test_rows_join_a_running_batch_and_keep_their_tokens(tok, peft_model, monkeypatch):
    """3 slots for 8 rows: newcomers are prefilled and merged; each row equals `generate` run alone."""
    texts = TEXTS + [t + " Please." for t in TEXTS]
    names = ["__base__", "one", "two", "__base__", "one", "__base__", "two", "one"]
    prompts = [_batch(tok, [t])[0][0].tolist() for t in texts]
    eos = {int(t) for t in _eos_at_different_steps(peft_model, *_batch(tok, TEXTS), names[:4], 12)}
    widths, prefix_passes, original = [], [], peft_model.forward

    def spy(*args, **kwargs):
        (widths if kwargs.get("past_key_values") is not None else prefix_passes).append(kwargs["input_ids"].shape)
        return original(*args, **kwargs)

    monkeypatch.setattr(peft_model, "forward", spy)
    done: list[int] = []
    with torch.inference_mode():
        got = scheduler.decode_stream(peft_model, prompts, slots=3, eos=eos, max_new=12, pad_id=2,
                                      adapter_names=names, on_done=lambda rows, _: done.extend(rows))
    monkeypatch.undo()
    assert sorted(done) == list(range(8))
    assert max(shape[0] for shape in widths) <= 3
    shared = scheduler._shared_prefix(prompts)
    assert len(shared) >= scheduler.SHARED_PREFIX_MIN, "the chat template's system turn is shared"
    prefills = [shape for shape in widths if shape[1] > 1]
    # One pass per adapter name for the shared prefix, then passes over what follows it only.
    assert prefix_passes == [(1, len(shared))] * len(set(names))
    assert all(shape[1] <= max(len(p) for p in prompts) - len(shared) for shape in prefills)
    assert len(prefills) > 1, "later rows must have joined a running batch"
    for i, (text, name) in enumerate(zip(texts, names, strict=True)):
        ids, mask = _batch(tok, [text])
        assert got.new_ids[i] == _generate(peft_model, ids, mask, [name], eos, 12)[0], i


def test_steps_of_few_rows_run_on_one_thread_and_the_count_comes_back(tok, peft_model, monkeypatch):
    ids, mask = _batch(tok, TEXTS)
    names = ["__base__", "one", "two", "__base__"]
    eos = _eos_at_different_steps(peft_model, ids, mask, names, 12)
    expected = _generate(peft_model, ids, mask, names, eos, 12)
    seen = []
    original = peft_model.forward

    def spy(*args, **kwargs):
        seen.append((kwargs["input_ids"].shape[0], kwargs["input_ids"].shape[1], torch.get_num_threads()))
        return original(*args, **kwargs)

    monkeypatch.setattr(peft_model, "forward", spy)
    monkeypatch.setattr(scheduler, "FEW_ROWS", 3)  # steps of 1-2 rows take one thread
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with torch.inference_mode():
            got = scheduler.decode(peft_model, ids, mask, eos=eos, max_new=12, adapter_names=names)
        assert torch.get_num_threads() == 2  # the engine's choice is back
    finally:
        torch.set_num_threads(before)
    steps = [(rows, threads) for rows, width, threads in seen if width == 1]
    assert {threads for rows, threads in steps if rows < 3} == {1}
    assert {threads for rows, threads in steps if rows >= 3} == {2}
    assert got.new_ids == expected  # the same tokens whatever the thread count
