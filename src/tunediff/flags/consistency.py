"""`inconsistent`: with several samples per prompt, a sample that disagrees with the others.

SelfCheckGPT (Manakul et al. 2023) scores a passage by how well other samples support it;
this is its cheap lexical variant. JSON answers are compared value by value; short text
answers by content-word overlap. Long-form text (essays, poems) varies between samples by
design, so it is left out (inconsistent.max_words).
"""

from __future__ import annotations

import json
from typing import Any

from ..records import Finding, GenerationRecord
from ._core import Context, finding, register, whole
from ._text import JsonFound, content_words, find_json, json_leaves, overlap, word_count


def _leaves(rec: GenerationRecord) -> dict[str, str] | None:
    found = find_json(rec.text)
    if not isinstance(found, JsonFound):
        return None
    return {p: json.dumps(v, sort_keys=True).lower() for p, v in json_leaves(found.value)}


def _json_agreement(a: dict[str, str], b: dict[str, str]) -> float:
    keys = set(a) | set(b)
    return sum(1 for k in keys if a.get(k) == b.get(k)) / len(keys) if keys else 1.0


def agreement(rec: GenerationRecord, others: list[GenerationRecord]) -> tuple[str, float] | None:
    """(metric, mean agreement of `rec` with the other samples), or None when not comparable."""
    mine = _leaves(rec)
    theirs: list[Any] = [_leaves(o) for o in others]
    if mine is not None and all(t is not None for t in theirs):
        return "json_agreement", sum(_json_agreement(mine, t) for t in theirs) / len(theirs)
    return "text_agreement", sum(overlap(content_words(rec.text), content_words(o.text)) for o in others) / len(others)


@register("inconsistent", "output", "Samples of the same prompt disagree with each other (SelfCheckGPT-style).",
          needs=("sample",))
def inconsistent(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    group = ctx.samples(rec)
    if len(group) < 2 or not rec.text.strip():
        return []
    others = [o for o in group if o.sample != rec.sample and o.text.strip()]
    if not others:
        return []
    limit = ctx.t("inconsistent.max_words")
    compared = agreement(rec, others)
    if compared is None:
        return []
    metric, score = compared
    if metric == "text_agreement" and any(word_count(r.text) > limit for r in [rec, *others]):
        return []
    threshold = ctx.t(f"inconsistent.{metric}")
    if score >= threshold:
        return []
    return [finding(rec, "inconsistent", f"disagrees with the other {len(others)} sample(s) of this prompt "
                    f"({metric.replace('_', ' ')} {score:.2f})", "warn", whole(rec), metric, score, threshold)]
