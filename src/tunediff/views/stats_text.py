"""`tunediff stats`: the rating statistics of a run beside its flag rates and reference answers
kept, as plain data (`--json`) and as text. The flag numbers come from `views/data.py`."""

from __future__ import annotations

from typing import Any

from ..errors import UserError
from ..ratings import load_ratings
from ..records import category_rank
from ..rundir import RunDir
from ..stats import pair_stats
from .data import ALL, RunView, Share, category_of


def run_stats(run: RunDir, variants: tuple[str, str] | None = None, view: RunView | None = None) -> dict[str, Any]:
    """Ratings statistics and the flag-based comparison of a run, as plain data (the --json output).

    `variants` = (reference, candidate) restricts the ratings part to that pair."""
    view = view or RunView.of(run)
    names = view.variants
    if variants is not None:
        missing = [v for v in variants if v not in names]
        if missing:
            raise UserError(f"--variants: no variant named {', '.join(missing)} in this run "
                            f"(it has {', '.join(names)})")
    ratings = load_ratings(run.path)
    categories = {rec.id: category_of(rec) for rec in view.records}
    pairs = pair_stats(ratings, categories, names, only=variants)
    reference = variants[0] if variants else view.base
    by_cat = view.counts("category")
    return {
        "run": str(run.path),
        "variants": names,
        "reference": reference,
        "n_prompts": len({rec.id for rec in view.records}),
        "n_ratings": len(ratings),
        "raters": sorted({r.rater for r in ratings}),
        "note": "win rate = wins / (wins + losses); ties and both-bad are excluded from the win rate "
                "and from the two-sided sign test; every rating counts once",
        "pairs": [ps.to_dict() for ps in pairs],
        "flags": view.flags,
        "flag_rates": _rates(by_cat.get(ALL, {}), view.flags),
        "flag_rates_by_category": {c: _rates(per, view.flags) for c, per in by_cat.items() if c != ALL},
        "gained_flags": view.gained(reference),
        "reference_kept": {g: {v: s.to_dict() for v, s in per.items()} for g, per in view.reference_kept().items()},
        "forgotten": [vars(f) for f in view.forgotten()],
    }


def _rates(per_variant: dict[str, Any], flags: list[str]) -> dict[str, dict[str, float]]:
    """variant -> {"any": share, flag: share, ...} in the registry's flag order."""
    return {v: {"any": c.rate(), **{f: c.rate(f) for f in flags}} for v, c in per_variant.items()}


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
                  f"  {'category':<13} {'n':>4} {'win':>4} {'tie':>4} {'loss':>4} {'both_bad':>8}"
                  f"  {'win rate':>8}  {'95% CI (exact)':<16} {'sign p':>7}"]
        rows = [*pair["by_category"].items(), ("overall", pair["overall"])]
        for name, t in rows:
            rate = "n/a" if t["win_rate"] is None else f"{t['win_rate']:.2f}"
            ci = "n/a" if not t["decisive"] else f"[{t['ci95'][0]:.2f}, {t['ci95'][1]:.2f}]"
            lines.append(f"  {name:<13} {t['n']:>4} {t['win']:>4} {t['tie']:>4} {t['loss']:>4} {t['both_bad']:>8}"
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
        lines += ["", "flags (share of outputs): " + "  ".join(f"{v:>10}" for v in variants)]
        for name in ["any", *data["flags"]]:
            lines.append(f"  {name:<22} " + "  ".join(f"{_pct(rates[v].get(name, 0.0)):>10}" for v in variants))
    lines += format_kept(data["reference_kept"], data["variants"], data["forgotten"])
    gained = data["gained_flags"]
    if gained:
        lines += ["", f"gained flags vs {data['reference']}:"]
        for g in gained:
            where = f" [{g['setting']}]" if g["setting"] != "default" else ""
            lines.append(f"  {g['id']}{where} {g['variant']}: {', '.join(g['gained'])}")
    return "\n".join(lines)


def format_kept(kept: dict[str, dict[str, dict[str, Any]]], variants: list[str],
                forgotten: list[dict[str, Any]]) -> list[str]:
    """Reference answers kept, k/n with the exact 95% interval, per category; then the forgotten."""
    if not kept:
        return []
    shown = [v for v in variants if any(v in per for per in kept.values())]
    lines = ["", "reference answers kept (k/n, exact 95% CI):",
             f"  {'category':<13} " + "  ".join(f"{v:>18}" for v in shown)]
    for group in sorted(kept, key=lambda g: (g == ALL, category_rank(g))):
        cells = []
        for v in shown:
            s = kept[group].get(v)
            cells.append(f"{'' if s is None else _kept_text(s):>18}")
        lines.append(f"  {group:<13} " + "  ".join(cells))
    if forgotten:
        lines.append("forgotten (the base had the reference answer, the fine-tune does not):")
        for f in forgotten:
            where = f" [{f['setting']}]" if f["setting"] != "default" else ""
            lines.append(f"  {f['id']}{where} {f['variant']}: expected {f['reference']!r}; "
                         f"said {_clip(f['text'])!r}")
    return lines


def _kept_text(s: dict[str, Any]) -> str:
    return Share(s["k"], s["n"]).text()


def _clip(text: str, limit: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[:limit - 1] + "…"
