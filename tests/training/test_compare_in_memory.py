"""tunediff.compare: a model and tokenizer in memory (a notebook after training) as well as paths."""

from __future__ import annotations

import json

import pytest
import torch

import tunediff
from tunediff.errors import UserError
from tunediff.records import read_records


def _texts(run_dir) -> dict[tuple[str, str], str]:
    return {(r.id, r.variant): r.text for r in read_records(run_dir / "generations.jsonl")}


@pytest.fixture
def tiny_model(tiny_model_dir):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(tiny_model_dir)


def test_a_trained_peft_model_in_memory_gives_the_same_outputs_as_its_saved_adapter(
        tiny_model, tiny_tokenizer, tiny_model_dir, mini_suite, tmp_path):
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(3)
    model = get_peft_model(tiny_model, LoraConfig(r=4, lora_alpha=16, target_modules=["q_proj", "v_proj"],
                                                  init_lora_weights=False))
    model.train()
    grads = {n: p.requires_grad for n, p in model.named_parameters()}
    out = tunediff.compare(model, suite=mini_suite, tokenizer=tiny_tokenizer, out=tmp_path / "nb",
                           max_new_tokens=6, progress=False)
    assert out == tmp_path / "nb"
    assert model.training and grads == {n: p.requires_grad for n, p in model.named_parameters()}
    model.save_pretrained(tmp_path / "lora")
    on_disk = tunediff.compare(str(tiny_model_dir), adapters=[f"tuned={tmp_path / 'lora'}"], suite=mini_suite,
                               out=tmp_path / "disk", max_new_tokens=6, progress=False)
    assert _texts(out) == _texts(on_disk)  # base and tuned, every prompt
    manifest = json.loads((out / "run.json").read_text())
    assert [v["name"] for v in manifest["variants"]] == ["base", "tuned"] and manifest["status"] == "complete"
    assert (out / "flags.jsonl").is_file()


def test_adapter_folders_on_a_plain_model_are_attached_then_removed(tiny_model, tiny_tokenizer, tiny_model_dir,
                                                                    tiny_adapters, mini_suite, tmp_path):
    before = {n: p.detach().clone() for n, p in tiny_model.named_parameters()}
    specs = [f"one={tiny_adapters['one']}", f"two={tiny_adapters['two']}"]
    out = tunediff.compare(tiny_model, adapters=specs, suite=mini_suite, tokenizer=tiny_tokenizer,
                           out=tmp_path / "nb", max_new_tokens=6, progress=False)
    on_disk = tunediff.run(mini_suite, adapters=specs, out=tmp_path / "disk", max_new_tokens=6, progress=False,
                           base=str(tiny_model_dir), backend_options={"progress": False})
    assert _texts(out) == _texts(on_disk)
    after = dict(tiny_model.named_parameters())
    assert set(after) == set(before) and all(torch.equal(after[n], before[n]) for n in before)  # no LoRA left


def test_a_model_object_without_tokenizer_or_adapter_is_a_one_line_error(tiny_model, tiny_tokenizer, mini_suite,
                                                                         tmp_path):
    with pytest.raises(UserError, match="pass tokenizer=tok"):
        tunediff.compare(tiny_model, suite=mini_suite, out=tmp_path / "a")
    with pytest.raises(UserError, match="nothing to compare"):
        tunediff.compare(tiny_model, suite=mini_suite, tokenizer=tiny_tokenizer, out=tmp_path / "b")
    with pytest.raises(UserError, match="no such review set"):
        tunediff.compare(tiny_model, adapters=["x"], suite=tmp_path / "none.yaml", tokenizer=tiny_tokenizer)
