"""Flags on recorded generations of real SmolLM2 fine-tunes on the demo review set.

tests/fixtures/generations/{good,no-eos,collapse}.jsonl each hold the base and one adapter
(the variant named after the file, `tuned` accepted too), trained by
examples/demo/train_demo_adapter.py's recipes and recorded with `tunediff run`. These tests
assert on the recorded outputs only; no model is loaded.
"""

from __future__ import annotations

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
