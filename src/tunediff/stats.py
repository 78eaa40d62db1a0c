"""Honest numbers from a run: exact binomial statistics, rater agreement, flag rates.

Standard library only (no scipy at run time): n is the number of rated pairs, small enough
for exact binomial sums. Clopper-Pearson limits are found by bisection on the binomial
tail, which is equivalent to the beta-quantile definition and never loses precision to a
continued fraction.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .ratings import Rating
from .records import Finding, GenerationRecord

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


def _bisect(f: Any, lo: float, hi: float) -> float:
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
            cat = categories.get(r.prompt_id, "unknown")
            setattr(ps.overall, outcome, getattr(ps.overall, outcome) + 1)
            tally = ps.by_category.setdefault(cat, Tally())
            setattr(tally, outcome, getattr(tally, outcome) + 1)
            if outcome == "loss":
                ps.lost.append({"id": r.prompt_id, "setting": r.setting, "sample": r.sample, "rater": r.rater,
                                "note": r.note, "tags": list(r.tags)})
        ps.by_category = dict(sorted(ps.by_category.items(), key=lambda kv: _cat_order(kv[0])))
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


def _cat_order(cat: str) -> tuple[int, str]:
    order = {"standard": 0, "edge": 1, "ood": 2}
    return order.get(cat, 3), cat


# ---------------------------------------------------------------------------- flags


Key = tuple[str, str, str, int]


def findings_by_key(findings: Iterable[Finding]) -> dict[Key, list[Finding]]:
    out: dict[Key, list[Finding]] = defaultdict(list)
    for f in findings:
        out[(f.id, f.variant, f.setting, f.sample)].append(f)
    return out


def flag_rates(records: Sequence[GenerationRecord], findings: Iterable[Finding],
               group: str = "all") -> dict[str, dict[str, dict[str, float]]]:
    """group value -> variant -> flag -> share of that group's outputs with the flag.

    `group` is "all", "category" or "setting". The pseudo-flag `any` counts outputs with
    at least one flag."""
    by_key = findings_by_key(findings)
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in records:
        g = "all" if group == "all" else (rec.category or "unknown") if group == "category" else rec.setting
        totals[g][rec.variant] += 1
        fired = {f.flag for f in by_key.get(rec.key, [])}
        for name in fired:
            counts[g][rec.variant][name] += 1
        if fired:
            counts[g][rec.variant]["any"] += 1
    out: dict[str, dict[str, dict[str, float]]] = {}
    keys = sorted(totals, key=_cat_order) if group == "category" else list(totals)
    for g in keys:
        out[g] = {v: {name: c / totals[g][v] for name, c in counts[g][v].items()} for v in totals[g]}
    return out


def flag_names(findings: Iterable[Finding]) -> list[str]:
    """Flags that fired, most frequent first."""
    return [name for name, _ in Counter(f.flag for f in findings).most_common()]


def gained_flags(records: Sequence[GenerationRecord], findings: Iterable[Finding],
                 reference: str = "base") -> list[dict[str, Any]]:
    """Outputs where a variant has flags its reference did not have on the same prompt/setting/sample."""
    by_key = findings_by_key(findings)
    out = []
    for rec in records:
        if rec.variant == reference:
            continue
        mine = {f.flag for f in by_key.get(rec.key, [])}
        theirs = {f.flag for f in by_key.get((rec.id, reference, rec.setting, rec.sample), [])}
        gained = sorted(mine - theirs)
        if gained:
            out.append({"id": rec.id, "variant": rec.variant, "setting": rec.setting, "sample": rec.sample,
                        "category": rec.category, "gained": gained})
    return out


# ---------------------------------------------------------------------------- a whole run


def run_findings(run: Any) -> list[Finding]:
    """Findings from RUN/flags.jsonl, or computed now when the run was never flagged."""
    if run.flags_path.is_file():
        return run.findings
    from .flags import flag_records

    # Computed in memory only: a view never writes into the run directory behind the user's back.
    return list(flag_records(run.records, base_variant=run.variants[0] if run.variants else "base"))


def run_stats(run: Any, variants: tuple[str, str] | None = None) -> dict[str, Any]:
    """Ratings statistics and the flag-based comparison of a run, as plain data (the --json output).

    `variants` = (reference, candidate) restricts the ratings part to that pair."""
    from .ratings import load_ratings

    records = run.records
    names = run.variants
    if variants is not None:
        missing = [v for v in variants if v not in names]
        if missing:
            raise _user_error(f"--variants: no variant named {', '.join(missing)} in this run "
                              f"(it has {', '.join(names)})")
    findings = run_findings(run)
    ratings = load_ratings(run.path)
    categories = {rec.id: rec.category or "unknown" for rec in records}
    pairs = pair_stats(ratings, categories, names, only=variants)
    reference = variants[0] if variants else names[0]
    return {
        "run": str(run.path),
        "variants": names,
        "reference": reference,
        "n_prompts": len({rec.id for rec in records}),
        "n_ratings": len(ratings),
        "raters": sorted({r.rater for r in ratings}),
        "note": "win rate = wins / (wins + losses); ties and both-bad are excluded from the win rate "
                "and from the two-sided sign test; every rating counts once",
        "pairs": [ps.to_dict() for ps in pairs],
        "flag_rates": flag_rates(records, findings)["all"] if records else {},
        "flag_rates_by_category": flag_rates(records, findings, "category"),
        "gained_flags": gained_flags(records, findings, reference),
    }


def _user_error(message: str) -> Exception:
    from .errors import UserError

    return UserError(message)


def _pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:4.0f}%"


def format_stats(data: dict[str, Any]) -> str:
    """The human-readable `tunediff stats` output."""
    lines = [f"run: {data['run']}  ({data['n_prompts']} prompts; variants: {', '.join(data['variants'])})"]
    if not data["n_ratings"]:
        lines.append("ratings: none yet (rate with `tunediff review RUN`); flag-based comparison only")
    else:
        lines.append(f"ratings: {data['n_ratings']} by {len(data['raters'])} rater(s): {', '.join(data['raters'])}")
    for pair in data["pairs"]:
        lines += ["", f"{pair['candidate']} vs {pair['reference']}",
                  f"  {'category':<10} {'n':>4} {'win':>4} {'tie':>4} {'loss':>4} {'both_bad':>8}"
                  f"  {'win rate':>8}  {'95% CI (exact)':<16} {'sign p':>7}"]
        rows = [*pair["by_category"].items(), ("overall", pair["overall"])]
        for name, t in rows:
            rate = "n/a" if t["win_rate"] is None else f"{t['win_rate']:.2f}"
            ci = "n/a" if not t["decisive"] else f"[{t['ci95'][0]:.2f}, {t['ci95'][1]:.2f}]"
            lines.append(f"  {name:<10} {t['n']:>4} {t['win']:>4} {t['tie']:>4} {t['loss']:>4} {t['both_bad']:>8}"
                         f"  {rate:>8}  {ci:<16} {t['sign_test_p']:>7.3g}")
        lines.append(f"  ({data['note']})")
        for who, kappa in pair["kappa"].items():
            lines.append(f"  Cohen's kappa {who}: {'undefined (one label only)' if kappa is None else f'{kappa:.2f}'}")
        if pair["lost"]:
            lost = ", ".join(f"{x['id']}" + (f" [{x['setting']}]" if x["setting"] != "default" else "")
                             + f" ({x['rater']})" for x in pair["lost"])
            lines.append(f"  {pair['candidate']} lost: {lost}")
    rates = data["flag_rates"]
    if rates:
        variants = [v for v in data["variants"] if v in rates]
        flags = sorted({f for v in variants for f in rates[v]} - {"any"})
        lines += ["", "flags (share of outputs): " + "  ".join(f"{v:>10}" for v in variants)]
        for name in ["any", *flags]:
            lines.append(f"  {name:<22} " + "  ".join(f"{_pct(rates[v].get(name, 0.0)):>10}" for v in variants))
    gained = data["gained_flags"]
    if gained:
        lines += ["", f"gained flags vs {data['reference']}:"]
        for g in gained:
            where = f" [{g['setting']}]" if g["setting"] != "default" else ""
            lines.append(f"  {g['id']}{where} {g['variant']}: {', '.join(g['gained'])}")
    return "\n".join(lines)
