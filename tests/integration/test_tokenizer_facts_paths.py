"""One source of tokenizer truth: the run, the doctor, the flags and transformers agree.

A real `tunediff run` on SmolLM2 (one prompt, two new tokens) with its own template and with a
`--template` file; its run.json and records are compared with what the doctor computes, what
`tunediff flag --template` derives, and what transformers' apply_chat_template renders.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main
from tunediff.doctor._base import load_base
from tunediff.doctor.stopping import stop_tokens
from tunediff.records import read_records
from tunediff.tokenizer_facts import load_template, turn_markers

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
QA_WITH_BOS = ("{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}Question: {{ m['content'] }}\n"
               "Answer:{% else %} {{ m['content'] }}{{ eos_token }}\n{% endif %}{% endfor %}")

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("template", [None, "qa.jinja"])
def test_run_doctor_flags_and_transformers_render_and_stop_alike(tmp_path, template):
    args = ["run", str(DEMO / "review.yaml"), "--adapter", str(DEMO / "adapter"), "--out", str(tmp_path / "run"),
            "--limit", "1", "--max-new-tokens", "2", "--no-flags", "-q"]
    if template:
        (tmp_path / template).write_text(QA_WITH_BOS, encoding="utf-8")
        args += ["--template", str(tmp_path / template)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "run" / "run.json").read_text(encoding="utf-8"))
    records = read_records(tmp_path / "run" / "generations.jsonl")
    doctor = load_base("smollm2-135m", tmp_path / template if template else None)
    facts, tok = doctor.facts, doctor.tokenizer

    messages = list(records[0].messages)
    sent = manifest["rendered_prompts"][records[0].id]
    assert sent == facts.render(messages) == tok.apply_chat_template(messages, tokenize=False,
                                                                     add_generation_prompt=True)
    assert records[0].prompt_tokens == len(facts.encode(tok, sent))
    assert manifest["chat_template"] == facts.chat_template
    assert manifest["end_of_turn_token"] == facts.end_of_turn
    assert manifest["eos_token_ids"] == sorted(facts.stop_ids) == sorted(stop_tokens(doctor))
    assert manifest["prompts_start_with_bos"] is facts.prompts_start_with_bos
    # Flags read the markers from run.json; `tunediff flag --template` derives them from the file alone.
    assert manifest["turn_markers"] == list(facts.turn_markers)
    if template:
        assert manifest["turn_markers"] == turn_markers(load_template(tmp_path / template)) == ["Question:", "Answer:"]
        assert sent.startswith("<|im_start|>Question:") and manifest["prompts_start_with_bos"] is True
    else:
        assert manifest["turn_markers"] == ["<|im_start|>user", "<|im_start|>assistant"]
