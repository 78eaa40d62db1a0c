""""What changed": the few plain sentences every view opens with, computed from the flag counts,
reference answers kept and gained flags of `views/data.py` (never from anything else).

Per fine-tune: what it learned (flags that fell below the base's rate, reference answers it
now gives), what it broke (flags that rose), what it forgot (reference answers kept fell, with
the forgotten prompts named), each per category with its k/n beside the base's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .data import ALL, WRONG_ANSWER, RunView, Share

MOST = 3
"""Changes named per sentence; the rest are counted ("and 2 more")."""


@dataclass(frozen=True)
class Change:
    """One (flag or reference answers, category) whose share moved between the base and a variant."""

    what: str
    """A flag name, or "reference answers"."""
    category: str
    base: Share
    variant: Share

    @property
    def delta(self) -> float:
        return (self.variant.rate or 0.0) - (self.base.rate or 0.0)

    def text(self) -> str:
        where = "all outputs" if self.category == ALL else f"{self.category} prompts"
        return f"{self.what} on {where} {self.base.k}/{self.base.n} (base) → {self.variant.k}/{self.variant.n}"


@dataclass(frozen=True)
class Sentence:
    """One line of the summary: `kind` (learned, broke, forgot, same) says how to style it."""

    variant: str
    kind: str
    text: str


def flag_changes(view: RunView, variant: str) -> list[Change]:
    """Flags whose share in a category differs between the base and `variant`, largest first.
    Per category only (ALL repeats them), unless the run has a single category."""
    counts = view.counts("category")
    groups = [g for g in counts if g != ALL] or list(counts)
    out = []
    for g in groups:
        base, mine = counts[g].get(view.base), counts[g].get(variant)
        if base is None or mine is None:
            continue
        for flag in view.flags:
            change = Change(flag, g, base.share(flag), mine.share(flag))
            if change.variant.k * change.base.n != change.base.k * change.variant.n:
                out.append(change)
    return sorted(out, key=lambda c: -abs(c.delta))


def kept_changes(view: RunView, variant: str) -> list[Change]:
    kept = view.reference_kept()
    groups = [g for g in kept if g != ALL] or list(kept)
    out = []
    for g in groups:
        base, mine = kept[g].get(view.base), kept[g].get(variant)
        if base is not None and mine is not None and mine.k * base.n != base.k * mine.n:
            out.append(Change("reference answers kept", g, base, mine))
    return sorted(out, key=lambda c: -abs(c.delta))


def what_changed(view: RunView, variants: Sequence[str] | None = None) -> list[Sentence]:
    """The opening sentences for each fine-tune in `variants` (default: all of them)."""
    out: list[Sentence] = []
    forgotten = view.forgotten()
    for v in variants if variants is not None else view.others:
        flags = flag_changes(view, v)
        kept = kept_changes(view, v)
        learned = [c for c in flags if c.delta < 0 and c.what != WRONG_ANSWER] + [c for c in kept if c.delta > 0]
        # A lost reference answer is said once, as forgetting, not again as a flag that rose.
        broke = [c for c in flags if c.delta > 0 and c.what != WRONG_ANSWER]
        lost = [c for c in kept if c.delta < 0]
        if learned:
            out.append(Sentence(v, "learned", f"{v} learned: {_list(learned)}."))
        if broke:
            out.append(Sentence(v, "broke", f"{v} broke: {_list(broke)}."))
        if lost:
            names = [f.id for f in forgotten if f.variant == v]
            named = f"; forgotten: {', '.join(names[:5])}" + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            out.append(Sentence(v, "forgot", f"{v} forgot: {_list(lost)}{named if names else ''}."))
        if not (learned or broke or lost):
            outputs = sum(1 for r in view.records if r.variant == v)
            out.append(Sentence(v, "same", f"{v}: no flag and no reference answer moved from the base's "
                                           f"on any category ({outputs} outputs)."))
    return out


def _list(changes: Sequence[Change]) -> str:
    text = "; ".join(c.text() for c in changes[:MOST])
    return text + (f"; and {len(changes) - MOST} more" if len(changes) > MOST else "")
