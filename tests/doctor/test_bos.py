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


@pytest.fixture(scope="module")
def gemma():
    return load_base("gemma3-270m")  # Gemma's GGUF has no chat template: the tests give theirs


def test_template_without_bos_fails_with_the_fix(tmp_path):
    template = tmp_path / "qa.jinja"
    template.write_text(QA, encoding="utf-8")
    result = CliRunner().invoke(main, ["doctor", "--base", "gemma3-270m", "--template", str(template), "--json"])
    assert result.exit_code == 1, result.output
    check = next(c for c in json.loads(result.stdout)["checks"] if c["id"] == "template.bos")
    assert check["status"] == "fail"
    assert "start 'Question: Hi\\nAnswer:', without <bos>" in check["message"]
    assert "the tokenizer adds it when encoding" in check["message"]
    assert check["hint"] == "start the template with `{{ bos_token }}`"


def test_bos_in_the_template_and_from_the_encoder_warns_about_two(gemma):
    base = gemma
    with_bos = "{{ bos_token }}" + QA
    facts = facts_for(base.tokenizer, base.dir, with_bos, "--template qa-bos.jinja")
    check = check_bos(dataclasses.replace(base, facts=facts))
    assert check.status == "warn"
    assert "adds a second" in check.message and "add_special_tokens=False" in check.hint
    assert facts.prompts_start_with_bos and facts.encoding_adds_bos
    # What tunediff run sends for it: one <bos>, not two.
    ids = facts.encode(base.tokenizer, facts.render([{"role": "user", "content": "Hi"}]))
    assert ids[0] == facts.bos_id and ids.count(facts.bos_id) == 1


@pytest.mark.parametrize(("name", "adds"), [("gemma3-270m", True), ("smollm2-135m", False)])
def test_converted_tokenizers_add_bos_as_their_gguf_metadata_says(gemma, name, adds):
    """Why tokenizer_facts never reads GGUF metadata (6 s for SmolLM2's): the conversion carries it."""
    from gguf import GGUFReader

    from tunediff.backends.hf.embedded import embedded_gguf_path, gemma_gguf_path

    gguf = gemma_gguf_path() if name == "gemma3-270m" else embedded_gguf_path()
    declared = bool(GGUFReader(str(gguf)).fields["tokenizer.ggml.add_bos_token"].contents())
    base = gemma if name == "gemma3-270m" else load_base(name)
    assert declared is adds and base.facts.encoding_adds_bos is adds
