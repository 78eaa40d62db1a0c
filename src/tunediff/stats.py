"""Honest numbers from ratings: exact binomial statistics and rater agreement.

(Flag rates and the `tunediff stats` output are views: `views/data.py`, `views/stats_text.py`.)

Standard library only (no scipy at run time): n is the number of rated pairs, small enough
for exact binomial sums. Clopper-Pearson limits are found by bisection on the binomial
tail, which is equivalent to the beta-quantile definition and never loses precision to a
continued fraction.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .ratings import Rating
from .records import MISSING_CATEGORY, category_rank

# ---------------------------------------------------------------------------- exact binomial


def _log_pmf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1.0:
        return 0.0 if k == n else -math.inf
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def binom_pmf(k: int, n: int, p: float) -> float:
    return math.exp(_log_pmf(k, n, p))


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return min(1.0, math.fsum(binom_pmf(i, n, p) for i in range(k + 1)))


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X >= k)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    return min(1.0, math.fsum(binom_pmf(i, n, p) for i in range(k, n + 1)))


def _bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    """Root of a function increasing on [lo, hi] (f(lo) < 0 < f(hi))."""
    for _ in range(200):
        mid = (lo + hi) / 2
        if hi - lo < 1e-15:
            break
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact two-sided interval for a binomial proportion; (0, 1) when n == 0."""
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return 0.0, 1.0
    alpha = 1.0 - confidence
    # lower: P(X >= k | p) = alpha/2, increasing in p; upper: P(X <= k | p) = alpha/2, decreasing in p.
    lower = 0.0 if k == 0 else _bisect(lambda p: binom_sf(k, n, p) - alpha / 2, 0.0, 1.0)
    upper = 1.0 if k == n else _bisect(lambda p: alpha / 2 - binom_cdf(k, n, p), 0.0, 1.0)
    return lower, upper


def binom_test(k: int, n: int, p: float = 0.5) -> float:
    """Two-sided exact binomial test (the sign test for p = 0.5): the probability of an outcome
    no more likely than k. Same definition and tolerance as scipy.stats.binomtest."""
    if n == 0:
        return 1.0
    d = binom_pmf(k, n, p)
    tol = d * (1 + 1e-7)
    return min(1.0, math.fsum(q for q in (binom_pmf(i, n, p) for i in range(n + 1)) if q <= tol))


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Agreement between two raters over the same items beyond chance; None when undefined
    (no items, or both raters used one and the same label for everything)."""
    if len(a) != len(b):
        raise ValueError("kappa needs two label lists of equal length")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[label] * cb[label] for label in set(ca) | set(cb)) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


# ---------------------------------------------------------------------------- ratings


@dataclass
class Tally:
    """Outcomes of `candidate` against `reference` in one category (or overall)."""

    win: int = 0
    tie: int = 0
    loss: int = 0
    both_bad: int = 0

    @property
    def decisive(self) -> int:
        return self.win + self.loss

    @property
    def total(self) -> int:
        return self.win + self.tie + self.loss + self.both_bad

    @property
    def win_rate(self) -> float | None:
        return self.win / self.decisive if self.decisive else None

    @property
    def ci(self) -> tuple[float, float]:
        return clopper_pearson(self.win, self.decisive)

    @property
    def p_value(self) -> float:
        return binom_test(self.win, self.decisive)

    def to_dict(self) -> dict[str, Any]:
        lo, hi = self.ci
        return {**asdict(self), "n": self.total, "decisive": self.decisive, "win_rate": self.win_rate,
                "ci95": [lo, hi], "sign_test_p": self.p_value}


@dataclass
class PairStats:
    """Everything rated for one pair of variants: `candidate` (the fine-tune) vs `reference`."""

    reference: str
    candidate: str
    overall: Tally = field(default_factory=Tally)
    by_category: dict[str, Tally] = field(default_factory=dict)
    raters: list[str] = field(default_factory=list)
    kappa: dict[str, float | None] = field(default_factory=dict)
    """'rater1 vs rater2' -> Cohen's kappa over the items both rated."""
    lost: list[dict[str, Any]] = field(default_factory=list)
    """Items where a rater preferred the reference."""

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "candidate": self.candidate, "overall": self.overall.to_dict(),
                "by_category": {c: t.to_dict() for c, t in self.by_category.items()}, "raters": self.raters,
                "kappa": self.kappa, "lost": self.lost}


def orient(pair: Iterable[str], variant_order: Sequence[str]) -> tuple[str, str]:
    """(reference, candidate): base is the reference; otherwise the variant listed first in the run."""
    names = sorted(pair, key=lambda v: (v != "base", variant_order.index(v) if v in variant_order else 1 << 20, v))
    return names[0], names[1]


def pair_stats(ratings: Sequence[Rating], categories: dict[str, str], variant_order: Sequence[str],
               only: tuple[str, str] | None = None) -> list[PairStats]:
    """Group ratings by the pair they compare; `only` = (reference, candidate) keeps one pair.

    Every rating counts once: an item rated by two raters counts twice (kappa says how
    far such ratings agree)."""
    groups: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for r in ratings:
        if only is not None:
            if r.pair() != frozenset(only):
                continue
            groups[only].append(r)
        else:
            groups[orient(r.pair(), variant_order)].append(r)
    out = []
    for (ref, cand), rows in groups.items():
        ps = PairStats(ref, cand)
        for r in rows:
            outcome = r.outcome_for(cand)
            cat = categories.get(r.prompt_id, MISSING_CATEGORY)
            setattr(ps.overall, outcome, getattr(ps.overall, outcome) + 1)
            tally = ps.by_category.setdefault(cat, Tally())
            setattr(tally, outcome, getattr(tally, outcome) + 1)
            if outcome == "loss":
                ps.lost.append({"id": r.prompt_id, "setting": r.setting, "sample": r.sample, "rater": r.rater,
                                "note": r.note, "tags": list(r.tags)})
        ps.by_category = dict(sorted(ps.by_category.items(), key=lambda kv: category_rank(kv[0])))
        ps.raters = sorted({r.rater for r in rows})
        ps.kappa = _pairwise_kappa(rows, cand)
        out.append(ps)
    out.sort(key=lambda ps: (variant_order.index(ps.candidate) if ps.candidate in variant_order else 1 << 20))
    return out


def _pairwise_kappa(rows: Sequence[Rating], candidate: str) -> dict[str, float | None]:
    by_rater: dict[str, dict[tuple[str, str, int], str]] = defaultdict(dict)
    for r in rows:
        by_rater[r.rater][(r.prompt_id, r.setting, r.sample)] = r.outcome_for(candidate)
    raters = sorted(by_rater)
    out: dict[str, float | None] = {}
    for i, a in enumerate(raters):
        for b in raters[i + 1:]:
            common = sorted(set(by_rater[a]) & set(by_rater[b]))
            if common:
                out[f"{a} vs {b}"] = cohen_kappa([by_rater[a][k] for k in common], [by_rater[b][k] for k in common])
    return out
