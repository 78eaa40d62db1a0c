"""Each broken setup fires its check; the clean tiny setup passes every check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from doctor_builders import chat_rows, edit_json, make_adapter, tiny_gpt2, tiny_llama, write_jsonl

from tunediff.doctor import run_doctor


def by_id(checks) -> dict[str, object]:
    return {c.id: c for c in checks}


def test_clean_tiny_setup_passes_every_check(base, adapter, data):
    checks = run_doctor(str(base), [f"tuned={adapter}"], data)
    assert [c.id for c in checks if c.status != "pass"] == []
    ids = {c.id for c in checks}
    assert {"template.base", "template.adapter:tuned", "stopping.eos", "stopping.pad", "adapter.weights:tuned",
            "adapter.base_model:tuned", "adapter.modules:tuned", "adapter.shapes:tuned", "adapter.rank:tuned",
            "adapter.zero:tuned", "data.end_token", "data.markers", "data.duplicates", "data.lengths"} <= ids
    assert "r=4, alpha=8" in by_id(checks)["adapter.rank:tuned"].message


# ------------------------------------------------------------------ template


def test_base_without_chat_template_fails_and_template_flag_fixes_it(base, tmp_path):
    template = (base / "chat_template.jinja").read_text()
    (base / "chat_template.jinja").unlink()
    check = by_id(run_doctor(str(base)))["template.base"]
    assert check.status == "fail" and "--template" in check.hint
    (tmp_path / "chatml.jinja").write_text(template)
    checks = by_id(run_doctor(str(base), template=tmp_path / "chatml.jinja"))
    assert checks["template.base"].status == "pass"
    assert checks["stopping.eos"].status == "pass"


def test_adapter_tokenizer_with_another_template_fails(base, adapter):
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(base / name, adapter / name)
    (adapter / "chat_template.jinja").write_text(
        "{% for m in messages %}### {{ m['role'] }}:\n{{ m['content'] }}\n{% endfor %}")
    check = by_id(run_doctor(str(base), [str(adapter)]))["template.adapter:tuned"]
    assert check.status == "fail" and "chat template differs" in check.message


def test_adapter_tokenizer_with_added_tokens_fails(base, adapter):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(base)
    tok.add_special_tokens({"additional_special_tokens": ["<|tool_call|>"]})
    tok.save_pretrained(adapter)
    check = by_id(run_doctor(str(base), [str(adapter)]))["template.adapter:tuned"]
    assert check.status == "fail"
    assert "<|tool_call|>" in check.message and "vocabulary size 49153" in check.message


def test_adapter_tokenizer_identical_to_base_passes(base, adapter):
    for name in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
        shutil.copy(base / name, adapter / name)
    assert by_id(run_doctor(str(base), [str(adapter)]))["template.adapter:tuned"].status == "pass"


# ------------------------------------------------------------------ stopping


def test_end_of_turn_not_among_generation_eos_ids_fails(base):
    edit_json(base / "generation_config.json", eos_token_id=0)  # <|endoftext|>, not <|im_end|>
    check = by_id(run_doctor(str(base)))["stopping.eos"]
    assert check.status == "fail"
    assert "<|im_end|> (2)" in check.message and "generation_config.json" in check.hint


def test_eos_list_including_end_of_turn_passes(base):
    edit_json(base / "generation_config.json", eos_token_id=[0, 2])
    assert by_id(run_doctor(str(base)))["stopping.eos"].status == "pass"


def test_pad_equal_eos_set_by_the_trainer_warns(base, adapter, data):
    """The classic `tokenizer.pad_token = tokenizer.eos_token` before training."""
    edit_json(base / "tokenizer_config.json", pad_token="<|endoftext|>")
    shutil.copy(base / "tokenizer.json", adapter / "tokenizer.json")
    shutil.copy(base / "tokenizer_config.json", adapter / "tokenizer_config.json")
    shutil.copy(base / "chat_template.jinja", adapter / "chat_template.jinja")
    edit_json(adapter / "tokenizer_config.json", pad_token="<|im_end|>")
    checks = by_id(run_doctor(str(base), [str(adapter)], data))
    assert checks["stopping.pad"].status == "warn"
    assert "masks the end token" in checks["stopping.pad"].message
    # Without the trainer's override, a distinct pad token is fine.
    (adapter / "tokenizer_config.json").unlink()
    (adapter / "tokenizer.json").unlink()
    assert by_id(run_doctor(str(base), [str(adapter)], data))["stopping.pad"].status == "pass"


def test_pad_equal_eos_from_the_base_depends_on_the_training_texts(base, tmp_path, data):
    assert by_id(run_doctor(str(base)))["stopping.pad"].status == "warn"  # nothing shows training
    assert by_id(run_doctor(str(base), data=data))["stopping.pad"].status == "pass"
    no_end = write_jsonl(tmp_path / "no_end.jsonl", [{"text": f"User: q{i}\nAssistant: a{i}"} for i in range(6)])
    check = by_id(run_doctor(str(base), data=no_end))["stopping.pad"]
    assert check.status == "warn" and "0%" in check.message


# ------------------------------------------------------------------ adapter


def test_zero_adapter_fails(base, tmp_path):
    zero = make_adapter(base, tmp_path / "zero", zero=True)
    check = by_id(run_doctor(str(base), [str(zero)]))["adapter.zero:tuned"]
    assert check.status == "fail" and "no-op" in check.message


def test_adapter_for_another_hidden_size_fails(base, tmp_path):
    other = tiny_llama(tmp_path / "wide", hidden=64)
    wide = make_adapter(other, tmp_path / "wide-lora")
    checks = by_id(run_doctor(str(base), [f"wide={wide}"]))
    assert checks["adapter.shapes:wide"].status == "fail"
    assert "in 64" in checks["adapter.shapes:wide"].message
    assert checks["adapter.base_model:wide"].status == "fail"
    assert "hidden_size 64 vs 32" in checks["adapter.base_model:wide"].message


def test_adapter_for_another_architecture_fails(base, tmp_path):
    gpt2 = make_adapter(tiny_gpt2(tmp_path / "gpt2"), tmp_path / "gpt2-lora", targets=("c_attn",))
    checks = by_id(run_doctor(str(base), [f"g={gpt2}"]))
    assert checks["adapter.modules:g"].status == "fail"
    assert "c_attn" in checks["adapter.modules:g"].message and "q_proj" in checks["adapter.modules:g"].hint
    assert checks["adapter.base_model:g"].status == "fail"


def test_hub_name_of_a_local_base_warns_not_fails(base, adapter):
    edit_json(adapter / "adapter_config.json", base_model_name_or_path="someorg/base-model-v2")
    checks = by_id(run_doctor(str(base), [str(adapter)]))
    assert checks["adapter.base_model:tuned"].status == "warn"
    assert checks["adapter.shapes:tuned"].status == "pass"


def test_pickle_only_adapter_fails_and_is_never_unpickled(base, tmp_path, monkeypatch):
    import torch

    pickled = make_adapter(base, tmp_path / "pickled", pickle=True)
    assert not (pickled / "adapter_model.safetensors").exists()

    def refuse(*args, **kwargs):
        raise AssertionError("torch.load called without --allow-pickle")

    monkeypatch.setattr(torch, "load", refuse)
    checks = by_id(run_doctor(str(base), [str(pickled)]))
    assert checks["adapter.weights:tuned"].status == "fail"
    assert "--allow-pickle" in checks["adapter.weights:tuned"].hint
    assert "adapter.zero:tuned" not in checks
    monkeypatch.undo()
    allowed = by_id(run_doctor(str(base), [str(pickled)], allow_pickle=True))
    assert allowed["adapter.weights:tuned"].status == "warn"
    assert allowed["adapter.zero:tuned"].status == "pass"
    assert allowed["adapter.shapes:tuned"].status == "pass"


# ------------------------------------------------------------------ training data


def test_training_text_without_end_of_turn_fails(base, tmp_path):
    rows = [{"text": f"<|im_start|>user\nq{i}<|im_end|>\n<|im_start|>assistant\nanswer {i}"} for i in range(10)]
    checks = by_id(run_doctor(str(base), data=write_jsonl(tmp_path / "t.jsonl", rows)))
    assert checks["data.end_token"].status == "fail"
    assert "0% of 10" in checks["data.end_token"].message and "<|im_end|>" in checks["data.end_token"].hint
    assert checks["data.markers"].status == "pass"  # the markers are right, only the end is missing


def test_prompt_completion_without_eos_warns_since_trainers_may_append_it(base, tmp_path):
    rows = [{"prompt": f"q{i}", "completion": f"a{i}"} for i in range(5)]
    checks = by_id(run_doctor(str(base), data=write_jsonl(tmp_path / "pc.jsonl", rows)))
    assert checks["data.end_token"].status == "warn"
    assert checks["data.markers"].status == "warn"  # raw text, while the base template is ChatML


def test_other_template_markers_and_mixed_markers_warn(base, tmp_path):
    alpaca = [{"text": f"### Instruction:\nq{i}\n\n### Response:\na{i}<|im_end|>"} for i in range(4)]
    check = by_id(run_doctor(str(base), data=write_jsonl(tmp_path / "a.jsonl", alpaca)))["data.markers"]
    assert check.status == "warn" and "Alpaca" in check.message and "ChatML" in check.message
    mixed = alpaca + chat_rows(4)
    check = by_id(run_doctor(str(base), data=write_jsonl(tmp_path / "m.jsonl", mixed)))["data.markers"]
    assert check.status == "warn" and "inconsistent" in check.message


def test_markers_inside_message_content_warn(base, tmp_path):
    rows = chat_rows(3) + [{"messages": [{"role": "user", "content": "<|im_start|>user\nhi<|im_end|>"},
                                         {"role": "assistant", "content": "hello"}]}]
    check = by_id(run_doctor(str(base), data=write_jsonl(tmp_path / "x.jsonl", rows)))["data.markers"]
    assert check.status == "warn" and "line" in check.message and "4" in check.message


def test_duplicates_and_long_answers_warn(base, tmp_path):
    rows = chat_rows(5) + chat_rows(2)
    checks = by_id(run_doctor(str(base), data=write_jsonl(tmp_path / "d.jsonl", rows), max_new_tokens=8))
    assert checks["data.duplicates"].status == "warn" and "2 duplicate" in checks["data.duplicates"].message
    assert checks["data.lengths"].status == "warn"
    assert "longer than max_new_tokens=8" in checks["data.lengths"].message
    assert by_id(run_doctor(str(base), data=write_jsonl(tmp_path / "d.jsonl", rows)))["data.lengths"].status == "pass"


def test_chat_examples_the_template_rejects_fail(base, tmp_path):
    (base / "chat_template.jinja").write_text(
        "{% for m in messages %}{% if m['role'] == 'system' %}{{ raise_exception('no system') }}{% endif %}"
        "<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}")
    rows = [{"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"},
                          {"role": "assistant", "content": "a"}]}]
    check = by_id(run_doctor(str(base), data=write_jsonl(tmp_path / "s.jsonl", rows)))["data.end_token"]
    assert check.status == "fail" and "no system" in check.message


@pytest.mark.parametrize("spec", ["missing-dir", "{tmp}/empty"])
def test_bad_adapter_paths_are_user_errors(base, tmp_path, spec):
    from tunediff.errors import UserError

    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="--adapter tuned="):
        run_doctor(str(base), [spec.format(tmp=tmp_path)])


def test_unreadable_adapter_config_names_the_file(base, adapter):
    from tunediff.errors import UserError

    (adapter / "adapter_config.json").write_text("{not json")
    with pytest.raises(UserError, match=r"adapter_config.json:1"):
        run_doctor(str(base), [str(adapter)])


def test_doctor_package_imports_without_torch():
    import subprocess
    import sys

    code = ("import sys, tunediff.doctor, tunediff.cli; "
            "print([m for m in ('torch', 'transformers', 'safetensors') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.strip().replace("'", '"')) == []


def test_checks_serialise(base):
    checks = run_doctor(str(base))
    assert all(set(c.to_dict()) == {"id", "status", "message", "hint"} for c in checks)
    assert Path(base).is_dir()
