"""The numbers every view shows, computed once: findings, the base variant, categories, flag
counts and rates, gained flags and reference answers kept.

`tunediff show`, `flags`, `stats`, `report`, `export` and the notebook view all read a `RunView`,
so their numbers, labels and orders agree: categories in `records.CATEGORIES` order with
`records.MISSING_CATEGORY` for an output without one, flags in the registry's order
(`flags.flag_names`), variants in the run's order with the base first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..flags import flag_names, run_findings_of
from ..flags.reference import accepted_answers
from ..manifest import Manifest
from ..records import MISSING_CATEGORY, Finding, GenerationRecord, category_rank, findings_by_record
from ..rundir import RunDir
from ..stats import clopper_pearson

ALL = "all"
"""The group label of every output together (after the categories in each table)."""
WRONG_ANSWER = "wrong_answer"
"""The flag that says an output lost its prompt's reference answer (flags/reference.py)."""


def category_of(rec: GenerationRecord) -> str:
    return rec.category or MISSING_CATEGORY


@dataclass(frozen=True)
class Share:
    """k of n outputs, with the exact (Clopper-Pearson) 95% interval."""

    k: int
    n: int

    @property
    def rate(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def ci(self) -> tuple[float, float]:
        return clopper_pearson(self.k, self.n)

    def text(self) -> str:
        """`7/10 (35-93%)`: the count first, then the interval a reader should weigh it by."""
        if not self.n:
            return "0/0"
        lo, hi = self.ci
        return f"{self.k}/{self.n} ({lo:.0%}-{hi:.0%})"

    def to_dict(self) -> dict[str, Any]:
        lo, hi = self.ci
        return {"k": self.k, "n": self.n, "rate": self.rate, "ci95": [lo, hi]}


@dataclass(frozen=True)
class FlagCounts:
    """Outputs of one variant in one group, and how many carry each flag."""

    outputs: int
    flagged: int
    """Outputs with at least one flag."""
    counts: dict[str, int]
    """flag -> outputs with it (every fired flag present, 0 included)."""

    def rate(self, flag: str | None = None) -> float:
        k = self.flagged if flag is None else self.counts.get(flag, 0)
        return k / self.outputs if self.outputs else 0.0

    def share(self, flag: str | None = None) -> Share:
        return Share(self.flagged if flag is None else self.counts.get(flag, 0), self.outputs)


@dataclass(frozen=True)
class Forgotten:
    """A prompt whose reference answer the base gave and a fine-tune did not."""

    id: str
    variant: str
    setting: str
    sample: int
    category: str
    reference: str
    prompt: str
    base_text: str
    text: str


class RunView:
    """One run's view data. Build it with `RunView.of(run)`, or from records and findings."""

    def __init__(self, records: Sequence[GenerationRecord], findings: Iterable[Finding],
                 variants: Sequence[str] = (), base: str | None = None,
                 manifest: Manifest | None = None) -> None:
        self.records = list(records)
        seen = dict.fromkeys(r.variant for r in self.records)
        order = [v for v in variants if v in seen] + [v for v in seen if v not in variants]
        self.base = base if base is not None else ("base" if "base" in order or not order else order[0])
        self.variants = ([self.base] if self.base in order else []) + [v for v in order if v != self.base]
        """Variant names, the base first, then the run's order."""
        self.manifest = manifest or Manifest()
        keys = {r.key for r in self.records}
        everything = list(findings)
        self.findings = [f for f in everything if (f.id, f.variant, f.setting, f.sample) in keys]
        """Findings on one output each."""
        self.run_level = [f for f in everything if (f.id, f.variant, f.setting, f.sample) not in keys]
        """Findings about a variant's outputs together (serving mismatch and the like)."""
        self.by_record = findings_by_record(self.findings)

    @classmethod
    def of(cls, run: RunDir) -> RunView:
        return cls(run.records, run_findings(run), run.variants, run.base_variant, run.manifest)

    # ------------------------------------------------------------------------ labels and orders

    @property
    def others(self) -> list[str]:
        """The fine-tunes: every variant but the base."""
        return [v for v in self.variants if v != self.base]

    @cached_property
    def categories(self) -> list[str]:
        return sorted({category_of(r) for r in self.records}, key=category_rank)

    @cached_property
    def flags(self) -> list[str]:
        """Flags that fired on some output, in the registry's order."""
        fired = {f.flag for f in self.findings}
        known = [n for n in flag_names() if n in fired]
        return known + sorted(fired - set(known))

    @cached_property
    def settings(self) -> list[str]:
        return list(dict.fromkeys(r.setting for r in self.records))

    def flags_of(self, rec: GenerationRecord) -> set[str]:
        return {f.flag for f in self.by_record.get(rec.key, [])}

    def group_of(self, rec: GenerationRecord, group: str) -> str:
        return {"all": ALL, "category": category_of(rec), "setting": rec.setting}[group]

    # ------------------------------------------------------------------------ flag counts

    def counts(self, group: str = "category") -> dict[str, dict[str, FlagCounts]]:
        """group value -> variant -> FlagCounts. `group`: "all", "category" (the categories, then
        ALL) or "setting"."""
        n: dict[tuple[str, str], int] = defaultdict(int)
        hit: dict[tuple[str, str, str], int] = defaultdict(int)
        groups: list[str] = []
        for rec in self.records:
            names = [self.group_of(rec, group)] + ([ALL] if group == "category" else [])
            fired = self.flags_of(rec)
            for g in names:
                if g not in groups:
                    groups.append(g)
                n[(g, rec.variant)] += 1
                for flag in fired:
                    hit[(g, rec.variant, flag)] += 1
                if fired:
                    hit[(g, rec.variant, "*")] += 1
        if group == "category":
            groups = [*self.categories, ALL] if self.records else []
        return {g: {v: FlagCounts(n[(g, v)], hit[(g, v, "*")], {f: hit[(g, v, f)] for f in self.flags})
                    for v in self.variants if n.get((g, v))} for g in groups}

    def gained(self, reference: str | None = None) -> list[dict[str, Any]]:
        """Outputs where a variant has flags `reference` (the base) did not have on the same
        prompt, setting and sample; flags in registry order."""
        ref = reference or self.base
        rank = {f: i for i, f in enumerate(self.flags)}
        out = []
        for rec in self.records:
            if rec.variant == ref:
                continue
            theirs = {f.flag for f in self.by_record.get((rec.id, ref, rec.setting, rec.sample), [])}
            gained = sorted(self.flags_of(rec) - theirs, key=lambda f: rank.get(f, len(rank)))
            if gained:
                out.append({"id": rec.id, "variant": rec.variant, "setting": rec.setting, "sample": rec.sample,
                            "category": category_of(rec), "gained": gained})
        return out

    # ------------------------------------------------------------------------ reference answers

    def counts_reference(self, rec: GenerationRecord) -> bool:
        """Whether an output counts for "reference answers kept": its prompt has short accepted answers."""
        return accepted_answers(rec.reference) is not None

    def kept(self, rec: GenerationRecord) -> bool:
        return WRONG_ANSWER not in self.flags_of(rec)

    def reference_kept(self, group: str = "category") -> dict[str, dict[str, Share]]:
        """group value -> variant -> reference answers kept (k of the outputs that count).
        Empty when no prompt has a short reference answer."""
        k: dict[tuple[str, str], int] = defaultdict(int)
        n: dict[tuple[str, str], int] = defaultdict(int)
        groups: list[str] = []
        for rec in self.records:
            if not self.counts_reference(rec):
                continue
            for g in [self.group_of(rec, group)] + ([ALL] if group == "category" else []):
                if g not in groups:
                    groups.append(g)
                n[(g, rec.variant)] += 1
                k[(g, rec.variant)] += self.kept(rec)
        if group == "category":
            groups = [c for c in [*self.categories, ALL] if c in groups]
        return {g: {v: Share(k[(g, v)], n[(g, v)]) for v in self.variants if n.get((g, v))} for g in groups}

    def forgotten(self) -> list[Forgotten]:
        """Prompts where the base kept the reference answer and a fine-tune did not."""
        base = {(r.id, r.setting, r.sample): r for r in self.records if r.variant == self.base}
        out = []
        for rec in self.records:
            theirs = base.get((rec.id, rec.setting, rec.sample))
            if rec.variant == self.base or theirs is None or not self.counts_reference(rec):
                continue
            if self.kept(theirs) and not self.kept(rec):
                ref = rec.reference if isinstance(rec.reference, str) else " / ".join(rec.reference or [])
                out.append(Forgotten(rec.id, rec.variant, rec.setting, rec.sample, category_of(rec), ref,
                                     rec.prompt or "", theirs.text, rec.text))
        return out

    # ------------------------------------------------------------------------ plain data

    def summary(self) -> dict[str, Any]:
        """Flag rates per (category, variant) and reference answers kept: `tunediff flags --json`."""
        from ..flags.diagnosis import settings_vs_weights

        rows = []
        for cat, per_variant in self.counts("category").items():
            for v, c in per_variant.items():
                rows.append({"category": cat, "variant": v, "outputs": c.outputs, "flagged": c.flagged,
                             "counts": dict(c.counts), "rates": {f: round(c.rate(f), 4) for f in self.flags}})
        diagnosis = [d.to_dict() for d in settings_vs_weights(self.records, self.findings)]
        kept = {g: {v: s.to_dict() for v, s in per.items()} for g, per in self.reference_kept().items()}
        return {"variants": self.variants, "base": self.base, "categories": self.categories, "flags": self.flags,
                "rows": rows, "reference_kept": kept, "forgotten": [vars(f) for f in self.forgotten()],
                "diagnosis": diagnosis}


def flags_current(run: RunDir) -> bool:
    """Whether RUN/flags.jsonl covers every output: it exists and was written after the last
    generation (a training run adds checkpoints, a resumed run adds outputs, after it was written)."""
    if not run.flags_path.is_file():
        return False
    return run.flags_path.stat().st_mtime_ns >= run.generations_path.stat().st_mtime_ns


def run_findings(run: RunDir) -> list[Finding]:
    """RUN/flags.jsonl when it is current, otherwise the findings computed now (in memory only:
    a view never writes into the run directory behind the user's back)."""
    if flags_current(run):
        return run.findings
    return run_findings_of(run)
