"""Serving integrity probe: ask a few prompts again, one at a time, and compare.

A serving engine can silently answer a variant's request with another variant's weights
(a LoRA applied to base rows of a shared batch, or a LoRA not applied at all). Asked alone,
one request at a time, nothing shares a batch, so the alone answer is the trustworthy one.

- Greedy outputs: the alone text must equal the run's text.
- Sampled outputs: asked alone twice with the record's seed; if the two differ, the server
  does not honour the seed and the record is skipped; else the alone text must equal the run's.

The report goes into run.json under "serving_probe" (see `run_probe`); every mismatch is
also printed to stderr as a loud warning. The `serving_mismatch` finding is made from that
report by the flags step.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from .base import GenerationRequest, GenerationResult

Pair = tuple[GenerationRequest, GenerationResult]


def pick_probes(finished: Sequence[Pair], order: Sequence[GenerationRequest], per_variant: int) -> list[Pair]:
    """The first `per_variant` finished records of each variant, in the run's request order."""
    by_key = {req.key: (req, res) for req, res in finished}
    counts: dict[str, int] = {}
    picked = []
    for req in order:
        if req.key in by_key and counts.get(req.variant, 0) < per_variant:
            counts[req.variant] = counts.get(req.variant, 0) + 1
            picked.append(by_key[req.key])
    return picked


def run_probe(finished: Sequence[Pair], complete: Callable[[GenerationRequest], GenerationResult], *,
              order: Sequence[GenerationRequest], per_variant: int = 3) -> dict[str, Any]:
    """Re-ask the probes one at a time; return the report written to run.json.

    Report: {"checked": int, "skipped": int, "mismatches": [{"id", "variant", "setting",
    "sample", "run_text", "alone_text", "same_as_variant"}]}. `same_as_variant` names another
    variant whose run answer to the same prompt equals this record's run answer (the usual
    signature of adapter mix-up), or is null.
    """
    run_texts = {req.key: res.text for req, res in finished}
    checked, skipped, mismatches = 0, 0, []
    for req, res in pick_probes(finished, order, per_variant):
        alone = complete(req).text
        if not req.settings.greedy and complete(req).text != alone:
            skipped += 1  # the server does not honour the seed: sampled answers cannot be compared
            continue
        checked += 1
        if alone != res.text:
            mismatches.append({
                "id": req.prompt_id, "variant": req.variant, "setting": req.setting_id, "sample": req.sample,
                "run_text": res.text, "alone_text": alone,
                "same_as_variant": _same_as(req, res.text, run_texts),
            })
    report = {"checked": checked, "skipped": skipped, "mismatches": mismatches}
    if mismatches:
        warn(report)
    return report


def _same_as(req: GenerationRequest, text: str, run_texts: dict[tuple[str, str, str, int], str]) -> str | None:
    for (pid, variant, setting, sample), other in run_texts.items():
        if (pid, setting, sample) == (req.prompt_id, req.setting_id, req.sample) and variant != req.variant:
            if other == text:
                return variant
    return None


def warn(report: dict[str, Any]) -> None:
    """A loud, multi-line warning on stderr: these records may not be what the variant produces."""
    bad = report["mismatches"]
    lines = [
        "",
        "!" * 78,
        f"WARNING: serving integrity probe: {len(bad)} of {report['checked']} answers differ when asked "
        "again one at a time.",
        "The server may have mixed up variants (e.g. a LoRA applied to base requests in a shared batch).",
    ]
    for m in bad[:6]:
        source = f" (the run's answer equals variant '{m['same_as_variant']}')" if m["same_as_variant"] else ""
        lines.append(f"  {m['variant']} / {m['id']}{source}: run {_short(m['run_text'])} "
                     f"vs alone {_short(m['alone_text'])}")
    lines += ["Do not trust this run's comparison; rerun without --interleave, or with --concurrency 1.",
              "!" * 78, ""]
    print("\n".join(lines), file=sys.stderr)


def _short(text: str, n: int = 50) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")
