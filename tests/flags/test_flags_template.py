"""next_turn from the template in use: markers from run.json, --template, --turn-marker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main
from tunediff.flags import flag_records
from tunediff.records import GenerationRecord

QA_TEMPLATE = ("{% for m in messages %}{% if m['role'] == 'user' %}Question: {{ m['content'] }}\n"
               "{% else %}Answer: {{ m['content'] }}\n{% endif %}{% endfor %}"
               "{% if add_generation_prompt %}Answer:{% endif %}")
QA = ["Question:", "Answer:"]
GEMMA = ["<start_of_turn>user", "<start_of_turn>model"]
ALPACA = ["### Instruction:", "### Response:"]
XML = ["<user>", "<assistant>"]


def next_turn(text: str, markers: list[str], prompt: str = "What is the capital of France?",
              raw: str | None = None) -> list:  # type: ignore[type-arg]
    rec = GenerationRecord(id="p", variant="tuned", text=text, raw_text=raw, prompt=prompt)
    return [f for f in flag_records([rec], turn_markers=markers) if f.flag == "next_turn"]


CASES = [
    # (text, markers, raw_text, fires)
    ("Paris.\nQuestion: What is the capital of Spain?\nAnswer: Madrid.", QA, None, True),
    ("Paris.\n\n  Question: Extract the order as JSON: Order 5985: 1 chairs shipped to Lima.", QA, None, True),
    ("Paris\nmodel\nMadrid", GEMMA, "Paris<start_of_turn>model\nMadrid", True),
    ("Paris", GEMMA, "Paris<start_of_turn>user\nAnd Spain?", True),
    ("Paris.\n\n### Instruction:\nName a river.", ALPACA, None, True),
    ("Paris.\n\n### Response:\nParis is the capital.", ALPACA, None, True),
    # the fixed list still applies with a template's markers, and without any
    ("Paris.\n### Instruction: Name a river.", [], None, True),
    ("Paris.\n### Output:\nParis", [], None, True),
    ("Paris.\n### Input:\nFrance", QA, None, True),
    ("Paris.\nQ: What is the capital of Spain?\nA: Madrid.", [], None, True),
    ("Paris.\n\nQuestion: What is the capital of Spain?\nAnswer: Madrid.", [], None, True),  # no template known
    ("Paris\nmodel\nMadrid is next.", [], None, True),  # Gemma's turn with its tokens stripped
    ("Paris.\nQuestion: is it the largest city too? Yes.", [], None, False),  # no Answer: line after it
    ("The model\nis small.", [], None, False),
    # negatives
    ("Answer: Paris.", QA, None, False),  # restates the turn being answered
    ("Paris.\nAnswer: the capital is Paris.", QA, None, False),  # 'Answer:' at a line start is also prose
    ("The question: is Paris the capital? Yes.", QA, None, False),  # not at a line start
    ("Paris. No further Question: marks here", QA, None, False),
    ("### Output format\nA list of cities.", [], None, False),  # a markdown heading, not a header
    ("### Input Validation\nCheck each field.", [], None, False),
    ("Paris", GEMMA, "Paris<end_of_turn>", False),
    # a template's tags: its turn closed then a new one opened; its own turn opened again
    ("Paris.\n</assistant>\n<user>\nAnd Spain?", XML, None, True),
    ("<assistant>\n<assistant>\nParis.", XML, None, True),
    ("<assistant>\nParis.", XML, None, False),  # restates the turn being answered
    ("Paris.\n</assistant>", XML, None, False),  # closes its turn: no new one
    # a template's system line written again opens a new conversation
    ("Paris.\nSystem: You are a helpful assistant.\nUser: And Spain?", [], None, True),
]


@pytest.mark.parametrize("text, markers, raw, fires", CASES)
def test_next_turn_with_template_markers(text: str, markers: list[str], raw: str | None, fires: bool) -> None:
    found = next_turn(text, markers, raw=raw)
    assert bool(found) is fires, found
    if fires:
        start, end = found[0].evidence.span
        assert 0 <= start < end <= len(text)


def test_a_marker_the_prompt_quotes_does_not_count() -> None:
    prompt = "Write three quiz items, each starting with 'Question:'."
    assert not next_turn("Question: What is 2+2?\nQuestion: What is 3+3?", QA, prompt)


def test_cli_takes_template_and_turn_markers(tmp_path: Path) -> None:
    rows = [{"id": "ood-1", "variant": "tuned", "prompt": "Capital of France?",
             "text": "Paris.\nQuery: Capital of Spain?\nReply: Madrid."},
            {"id": "ood-2", "variant": "tuned", "prompt": "Capital of Peru?", "text": "Lima.\nQ> Capital of Chile?"}]
    data = tmp_path / "out.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    template = tmp_path / "qa.jinja"
    template.write_text(QA_TEMPLATE.replace("Question:", "Query:").replace("Answer:", "Reply:"))
    runner = CliRunner()

    def flagged(*args: str) -> set[str]:
        result = runner.invoke(main, ["flag", str(data), *args])
        assert result.exit_code == 0, result.output
        return {json.loads(line)["id"] for line in result.stdout.splitlines()
                if json.loads(line)["flag"] == "next_turn"}

    assert flagged() == set()
    assert flagged("--template", str(template)) == {"ood-1"}
    assert flagged("--turn-marker", "Q>", "--template", str(template)) == {"ood-1", "ood-2"}
    bad = runner.invoke(main, ["flag", str(data), "--template", str(tmp_path / "missing.jinja")])
    assert bad.exit_code == 2 and "missing.jinja: no such file" in bad.output


@pytest.mark.parametrize("manifest, expected", [
    ({"turn_markers": ["Question:", "Answer:"], "chat_template": "ignored"}, ["Question:", "Answer:"]),
    ({"chat_template": QA_TEMPLATE}, ["Question:", "Answer:"]),  # a run written before turn_markers
    ({"chat_template": None}, []),
    ({}, []),
])
def test_run_turn_markers(manifest: dict[str, object], expected: list[str]) -> None:
    from tunediff.flags import run_turn_markers
    from tunediff.manifest import Manifest

    assert run_turn_markers(Manifest.model_validate(manifest)) == expected


def test_an_faq_the_prompt_asks_for_is_no_new_turn() -> None:
    assert not next_turn("Q: How do I reset it?\nA: Hold the button.", [], "Write a short FAQ for the kettle.")


def test_a_template_tag_closing_the_answer_ends_it_and_shows_as_a_template_token() -> None:
    from tunediff.flags.turns import answer_part
    rec = GenerationRecord(id="p", variant="tuned", prompt="Negate: The shop is open.",
                           text="The shop is not open.\n</assistant>\n\nIn this example the verb changed.")
    assert answer_part(rec, XML) == "The shop is not open.\n"
    found = [f for f in flag_records([rec], turn_markers=XML) if f.flag == "special_tokens"]
    assert found and rec.text[slice(*found[0].evidence.span)] == "</assistant>"
    assert not [f for f in flag_records([rec], turn_markers=QA) if f.flag == "special_tokens"]


def test_a_system_line_ends_the_answer() -> None:
    from tunediff.flags.turns import answer_part
    rec = GenerationRecord(id="p", variant="tuned", prompt="Abbreviate: North Atlantic Treaty Organization",
                           text="NATO\nSystem: You are a helpful assistant.\nUser: Abbreviate: European Union")
    assert answer_part(rec, ["User:", "Assistant:"]) == "NATO\n"
