"""Failure-mode flags: pure functions over generation records that return findings.

    from tunediff.flags import flag_records, flag_run_dir
    findings = flag_records(records, base_variant="base")
    flag_run_dir("runs/demo")          # writes runs/demo/flags.jsonl

Each flag is registered by name in REGISTRY (one module per family). Thresholds live in
thresholds.py; docs/flags.md lists them with their sources. Nothing here imports a backend,
torch or transformers.

Writing a flag of your own takes `register`, `finding`, `Context` and the span helpers
`whole` and `tail`, all exported here (docs/flags.md, "Write your own flag").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..manifest import ServingProbe
from ..records import Finding, GenerationRecord, write_text_atomic
from . import (
    collapse,
    consistency,
    format,
    grounding,
    ood,
    reference,
    repetition,
    serving,
    setlevel,
    stopping,
    turns,
)
from ._core import REGISTRY, Context, FlagSpec, Level, Severity, TrainingTexts, finding, register, tail, whole
from .inputs import training_texts
from .thresholds import DEFAULTS, Thresholds

if TYPE_CHECKING:
    from ..manifest import Manifest
    from ..rundir import RunDir

FAMILIES = (stopping, turns, repetition, format, grounding, reference, consistency, collapse, setlevel, ood, serving)
"""One module per family; importing one registers its flags."""

__all__ = ["DEFAULTS", "FAMILIES", "REGISTRY", "Context", "FlagSpec", "Level", "Severity", "Thresholds",
           "TrainingTexts", "finding", "flag_records", "flag_run_dir", "flag_names", "register", "run_findings_of",
           "run_turn_markers", "tail", "whole"]

# Display order: stopping first (the most common fine-tune failure), set-level last.
ORDER = ["empty", "no_stop", "next_turn", "special_tokens", "repetition", "ramble", "format", "ungrounded",
         "wrong_answer", "inconsistent", "collapse", "identical_to_base", "ood_drift", "serving_mismatch"]


def flag_names() -> list[str]:
    return [n for n in ORDER if n in REGISTRY] + sorted(set(REGISTRY) - set(ORDER))


def _thresholds(value: Thresholds | Mapping[str, Any] | None) -> Thresholds:
    return value if isinstance(value, Thresholds) else Thresholds(value)


def flag_records(records: Sequence[GenerationRecord], base_variant: str = "base",
                 thresholds: Thresholds | Mapping[str, Any] | None = None,
                 only: Iterable[str] | None = None, turn_markers: Sequence[str] = (),
                 training: TrainingTexts | None = None, serving_probe: ServingProbe | None = None) -> list[Finding]:
    """All flags over `records`, findings in record order (then flag order).

    `turn_markers`: the template's turn markers (`tokenizer_facts.turn_markers`), for next_turn
    and ood_drift; `training`: the fine-tune's training texts, for ood_drift; `serving_probe`:
    the run's serving probe (run.json), for serving_mismatch. A flag sees only the records that
    have every field it `needs`.
    """
    from ..tokenizer_facts import tidy_markers  # jinja2 loads only where flags run

    ctx = Context(list(records), _thresholds(thresholds), base_variant, tuple(tidy_markers(turn_markers)), training,
                  serving_probe)
    chosen = [REGISTRY[n] for n in flag_names() if only is None or n in set(only)]
    out: list[Finding] = []
    for spec in chosen:
        if spec.level == "output":
            for rec in ctx.records:
                if spec.applies_to(rec):
                    out.extend(spec.fn(rec, ctx))
        elif spec.needs:
            out.extend(spec.fn(replace(ctx, records=[r for r in ctx.records if spec.applies_to(r)])))
        else:
            out.extend(spec.fn(ctx))
    position = {r.key: i for i, r in enumerate(ctx.records)}
    rank = {n: i for i, n in enumerate(flag_names())}
    out.sort(key=lambda f: (position.get((f.id, f.variant, f.setting, f.sample), 0), rank.get(f.flag, 99)))
    return out


def findings_jsonl(findings: Iterable[Finding]) -> str:
    return "".join(f.model_dump_json(exclude_none=True) + "\n" for f in findings)


def run_findings_of(run: RunDir, thresholds: Thresholds | Mapping[str, Any] | None = None) -> list[Finding]:
    """Every finding on an open run directory (per output and run level), without writing it."""
    data = run.manifest.training_data
    training = training_texts(data) if data and Path(data).is_file() else None
    return flag_records(run.records, base_variant=run.base_variant, thresholds=thresholds,
                        turn_markers=run_turn_markers(run.manifest), training=training,
                        serving_probe=run.manifest.serving_probe)


def run_turn_markers(manifest: Manifest) -> list[str]:
    """The turn markers of the run's template: run.json `turn_markers`, or for a run written
    before that key existed, derived from the `chat_template` run.json recorded."""
    if manifest.turn_markers is not None:
        return manifest.turn_markers
    template = manifest.chat_template
    if template and template.strip():
        from ..tokenizer_facts import turn_markers

        return turn_markers(template)
    return []


def flag_run_dir(path: str | Path, thresholds: Thresholds | Mapping[str, Any] | None = None) -> list[Finding]:
    """Flag a run directory's records and write RUN/flags.jsonl atomically; return the findings."""
    from ..rundir import RunDir

    run = RunDir.open(path)
    findings = run_findings_of(run, thresholds)
    copy = f"copy the run directory somewhere writable (cp -r {path} NEW) and flag the copy"
    write_text_atomic(run.flags_path, findings_jsonl(findings), elsewhere=copy)
    return findings
