"""template.bos on the real Gemma-3-270M tokenizer, which adds <bos> when text is encoded normally.

The issue's case: a `Question: ...\nAnswer:` template without `{{ bos_token }}` sends prompts
without <bos>, and the model babbles. The weights are never loaded: the check reads the tokenizer.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from tunediff.cli import main
from tunediff.doctor._base import load_base
from tunediff.doctor.template import check_bos
from tunediff.tokenizer_facts import facts_for

QA = ("{% for m in messages %}{% if m['role'] == 'user' %}Question: {{ m['content'] }}\nAnswer:"
      "{% else %} {{ m['content'] }}{{ eos_token }}\n{% endif %}{% endfor %}")

pytestmark = pytest.mark.slow


def test_template_without_bos_fails_with_the_fix(gemma_dir, tmp_path):
    template = tmp_path / "qa.jinja"
    template.write_text(QA, encoding="utf-8")
    result = CliRunner().invoke(main, ["doctor", "--base", str(gemma_dir), "--template", str(template), "--json"])
    assert result.exit_code == 1, result.output
    check = next(c for c in json.loads(result.stdout)["checks"] if c["id"] == "template.bos")
    assert check["status"] == "fail"
    assert "start 'Question: Hi\\nAnswer:', without <bos>" in check["message"]
    assert "the tokenizer adds it when encoding" in check["message"]
    assert check["hint"] == "start the template with `{{ bos_token }}`"


def test_bos_in_the_template_and_from_the_encoder_warns_about_two(gemma_dir, tmp_path):
    base = load_base(str(gemma_dir))  # Gemma's GGUF has no chat template: give ours with BOS first
    with_bos = "{{ bos_token }}" + QA
    facts = facts_for(base.tokenizer, gemma_dir, with_bos, "--template qa-bos.jinja")
    check = check_bos(dataclasses.replace(base, facts=facts))
    assert check.status == "warn"
    assert "adds a second" in check.message and "add_special_tokens=False" in check.hint
    assert facts.prompts_start_with_bos and facts.encoding_adds_bos
    # What tunediff run sends for it: one <bos>, not two.
    ids = facts.encode(base.tokenizer, facts.render([{"role": "user", "content": "Hi"}]))
    assert ids[0] == facts.bos_id and ids.count(facts.bos_id) == 1
