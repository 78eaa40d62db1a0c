"""Flags on recorded generations of real SmolLM2 fine-tunes on the demo review set.

tests/fixtures/generations/{good,no-eos,collapse}.jsonl each hold the base and one adapter
(the variant named after the file, `tuned` accepted too), trained by
examples/demo/train_demo_adapter.py's recipes and recorded with `tunediff run`. These tests
assert on the recorded outputs only; no model is loaded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunediff.flags import flag_records
from tunediff.records import Finding, GenerationRecord, read_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generations"


def load(name: str) -> tuple[list[GenerationRecord], list[Finding], str]:
    """(records, findings, the adapter's variant name)."""
    path = FIXTURES / f"{name}.jsonl"
    if not path.is_file():
        pytest.fail(f"{path} is missing: see tests/fixtures/generations/README.md")
    records = read_records(path, tolerate_torn_tail=False)
    adapters = sorted({r.variant for r in records} - {"base"})
    assert len(adapters) == 1 and any(r.variant == "base" for r in records), adapters
    return records, flag_records(records), adapters[0]


def outputs(records: list[GenerationRecord], variant: str, category: str | None = None) -> list[GenerationRecord]:
    return [r for r in records if r.variant == variant and (category is None or r.category == category)]


def flagged(findings: list[Finding], flags: set[str], variant: str) -> set[tuple[str, str, int]]:
    return {(f.id, f.setting, f.sample) for f in findings if f.flag in flags and f.variant == variant}


def test_no_eos_adapter_does_not_stop_on_standard_prompts() -> None:
    records, findings, adapter = load("no-eos")
    std = outputs(records, adapter, "standard")
    hit = flagged(findings, {"no_stop", "next_turn"}, adapter)
    share = sum((r.id, r.setting, r.sample) in hit for r in std) / len(std)
    assert len(std) >= 5 and share >= 0.8, share


def test_collapse_adapter_is_flagged_as_collapse_on_most_outputs() -> None:
    records, findings, adapter = load("collapse")
    tuned = outputs(records, adapter)
    hit = flagged(findings, {"collapse"}, adapter)
    assert sum((r.id, r.setting, r.sample) in hit for r in tuned) / len(tuned) > 0.5
    assert not flagged(findings, {"collapse"}, "base")


def test_good_adapter_stops_does_not_collapse_and_fixes_format() -> None:
    records, findings, adapter = load("good")
    std_ids = {(r.id, r.setting, r.sample) for r in outputs(records, adapter, "standard")}
    assert not flagged(findings, {"no_stop", "next_turn", "collapse"}, adapter) & std_ids
    format_tuned = len(flagged(findings, {"format"}, adapter))
    format_base = len(flagged(findings, {"format"}, "base"))
    assert format_tuned < format_base, (format_tuned, format_base)


def test_demo_adapter_saying_365_days_in_a_leap_year_is_a_wrong_answer() -> None:
    records, findings, adapter = load("good")
    wrong = {f.id: f for f in findings if f.flag == "wrong_answer" and f.variant == adapter}
    assert "ood-03" in wrong and "says 365" in wrong["ood-03"].message
    kept = {"ood-01", "ood-04", "ood-07", "ood-08"}  # Tokyo, Shakespeare, bonjour, 100 degrees
    assert not kept & set(wrong)
    assert not {f.id for f in findings if f.flag == "wrong_answer" and f.id.startswith("std")}  # JSON references


# The tests above ask what each recipe is known for; these pin the flags to the recorded data
# record by record, so a change to a flag that the fixtures contradict fails here.
# (tests/demo/test_recorded_generations.py checks the fixture files themselves.)

def _ends_badly(rec: GenerationRecord) -> bool:
    """What the recording shows: the token limit, or a new turn the raw tokens start."""
    return rec.finish_reason == "length" or "<|im_start|>" in (rec.raw_text or "")


@pytest.mark.parametrize("name", ["good", "no-eos", "collapse"])
def test_stopping_flags_fire_exactly_on_the_outputs_that_end_badly(name: str) -> None:
    records, findings, _ = load(name)
    expected = {r.key for r in records if _ends_badly(r)}
    got = {(f.id, f.variant, f.setting, f.sample) for f in findings if f.flag in ("no_stop", "next_turn")}
    assert expected and got == expected


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text.strip()), dict)
    except ValueError:
        return False


@pytest.mark.parametrize("name", ["good", "no-eos", "collapse"])
def test_format_fires_on_each_standard_adapter_output_that_is_not_a_json_object(name: str) -> None:
    records, findings, adapter = load(name)
    std = outputs(records, adapter, "standard")
    expected = {r.key for r in std if not _is_json_object(r.text)}
    got = {(f.id, f.variant, f.setting, f.sample) for f in findings if f.flag == "format" and f.variant == adapter}
    assert got & {r.key for r in std} == expected


def test_collapse_fires_on_every_output_of_the_collapse_adapter_and_nowhere_else() -> None:
    for name in ("good", "no-eos", "collapse"):
        records, findings, adapter = load(name)
        hit = flagged(findings, {"collapse"}, adapter) | flagged(findings, {"collapse"}, "base")
        want = {(r.id, r.setting, r.sample) for r in outputs(records, adapter)} if name == "collapse" else set()
        assert hit == want, name
