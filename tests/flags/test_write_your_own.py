"""The public flag API: docs/flags.md's "Write your own flag" example runs, `needs` is enforced,
and serving_mismatch comes out of flag_records like any other flag."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import tunediff
from tunediff.flags import REGISTRY, Context, finding, flag_records, register, whole
from tunediff.manifest import ServingProbe
from tunediff.records import Finding, GenerationRecord

DOC = Path(__file__).resolve().parents[2] / "docs" / "flags.md"


@pytest.fixture
def registry() -> Iterator[None]:
    """Flags a test registers are gone afterwards."""
    before = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(before)


def _section_code(heading: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_documented_example_runs(registry: None) -> None:
    blocks = _section_code("Write your own flag")
    assert len(blocks) == 2, "the section holds the flag and its use"
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)  # the asserts are the doc's own
    assert "refusal" in REGISTRY and REGISTRY["refusal"].needs == ("prompt",)
    assert "refusal" in tunediff.flags.flag_names()


def _rec(pid: str, variant: str, text: str, **fields: object) -> GenerationRecord:
    return GenerationRecord(id=pid, variant=variant, text=text, **fields)  # type: ignore[arg-type]


def test_a_record_lacking_what_a_flag_needs_is_skipped(registry: None) -> None:
    seen: list[str] = []

    @register("seen_output", "output", "records the records it is given", needs=("reference", "finish_reason"))
    def seen_output(rec: GenerationRecord, ctx: Context) -> list[Finding]:
        seen.append(rec.id)
        return [finding(rec, "seen_output", "seen", span=whole(rec))]

    @register("seen_set", "set", "records the records its context holds", needs=("category",))
    def seen_set(ctx: Context) -> list[Finding]:
        return [finding(r, "seen_set", "seen") for r in ctx.records]

    records = [_rec("full", "base", "x", reference="x", finish_reason="eos", category="standard"),
               _rec("no-ref", "base", "x", finish_reason="eos", category="edge"),
               _rec("no-finish", "base", "x", reference="x"),
               _rec("none", "base", "x")]
    found = flag_records(records, only=["seen_output", "seen_set"])
    assert seen == ["full"]
    assert [f.id for f in found if f.flag == "seen_output"] == ["full"]
    assert [f.id for f in found if f.flag == "seen_set"] == ["full", "no-ref"]


def test_flag_records_reports_serving_mismatch_from_the_probe() -> None:
    records = [_rec("s1", "base", "tuned answer"), _rec("s1", "tuned", "tuned answer")]
    probe = ServingProbe.model_validate({"checked": 2, "mismatches": [
        {"id": "s1", "variant": "base", "run_text": "tuned answer", "alone_text": "base answer",
         "same_as_variant": "tuned"}]})
    assert not [f for f in tunediff.flag_records(records) if f.flag == "serving_mismatch"]
    found = [f for f in tunediff.flag_records(records, serving_probe=probe) if f.flag == "serving_mismatch"]
    assert [(f.id, f.variant, f.severity) for f in found] == [("s1", "base", "error")]
    assert "tuned's answer" in found[0].message and found[0].evidence.span == (0, len("tuned answer"))


def test_docs_threshold_table_is_the_code_table() -> None:
    """docs/flags.md shows every threshold of flags/thresholds.py with its default, meaning and source."""
    from tunediff.flags.thresholds import DEFAULTS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "flags.md").read_text(encoding="utf-8")
    missing = [t.key for t in DEFAULTS.values() if f"| `{t.key}` | {t.default:g} | {t.doc} | {t.source} |" not in doc]
    assert not missing, f"docs/flags.md lacks or misstates: {missing}"
