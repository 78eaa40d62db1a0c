"""The checkpoint timeline: when variants are steps of one training run (a `step` in run.json, as
`--adapter 'out/checkpoint-*'` and `ReviewCallback` write, or names like `step-300`), each flag's
rate and the reference answers kept at every step beside the base, the first step where each
flag rose above the base's rate, and a recommendation that names the figures it rests on.

All numbers come from `views/data.py`; rendering lives in report.py (SVG) and summary.py (table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .data import ALL, RunView, Share

STEP_NAME = re.compile(r"^(?:(?P<series>.+)-)?step-(?P<step>\d+)$")


@dataclass(frozen=True)
class Series:
    """The steps of one training run: `name` is the prefix (`good` in `good-step-300`) or ""."""

    name: str
    steps: tuple[tuple[int, str], ...]
    """(step, variant name), by step."""


def step_of(view: RunView, variant: str) -> tuple[str, int] | None:
    """(series name, step) of a variant that is a training step; None for any other variant."""
    match = STEP_NAME.match(variant)
    entry = view.manifest.variant(variant)
    step = entry.step if entry else None
    if step is not None:
        return (match.group("series") or "") if match else "", step
    if match:
        return match.group("series") or "", int(match.group("step"))
    return None


def step_series(view: RunView) -> list[Series]:
    """Series with at least two steps, in the run's order."""
    found: dict[str, list[tuple[int, str]]] = {}
    for v in view.others:
        at = step_of(view, v)
        if at is not None:
            found.setdefault(at[0], []).append((at[1], v))
    return [Series(name, tuple(sorted(steps))) for name, steps in found.items() if len(steps) >= 2]


def headline(view: RunView) -> list[str]:
    """The fine-tunes the opening sentences speak of: a timeline's last step stands for its series."""
    stepped = {v: s for s in step_series(view) for _, v in s.steps}
    last = {s.steps[-1][1] for s in stepped.values()}
    return [v for v in view.others if v not in stepped or v in last]


@dataclass
class Timeline:
    """One series' figures, one entry per point: the base first, then each step."""

    series: Series
    points: list[str]
    flags: dict[str, list[Share]]
    """"any" and each fired flag -> share of all outputs at each point."""
    categories: dict[str, list[Share]]
    """category -> share of its outputs with any flag at each point."""
    kept: list[Share | None]
    """Reference answers kept at each point (None where no output counts)."""
    first_rose: dict[str, str]
    """flag -> the first step whose rate is above the base's (flags that never rose are absent)."""
    recommendation: str

    def to_dict(self) -> dict[str, Any]:
        return {"series": self.series.name, "points": self.points,
                "steps": [s for s, _ in self.series.steps],
                "flags": {f: [s.to_dict() for s in shares] for f, shares in self.flags.items()},
                "categories": {c: [s.to_dict() for s in shares] for c, shares in self.categories.items()},
                "reference_kept": [None if s is None else s.to_dict() for s in self.kept],
                "first_rose": self.first_rose, "recommendation": self.recommendation}


def timelines(view: RunView) -> list[Timeline]:
    counts = view.counts("category")
    kept = view.reference_kept().get(ALL, {})
    out = []
    for series in step_series(view):
        every = counts.get(ALL, {})
        # A step still generating (training goes on) has no records yet: it joins when it has.
        points = [p for p in [view.base] + [v for _, v in series.steps] if p in every]
        if len(points) < 3:
            continue
        flags = {f: [every[p].share(None if f == "any" else f) for p in points]
                 for f in ["any", *view.flags]}
        cats = {c: [per[p].share() for p in points if p in per] for c, per in counts.items() if c != ALL}
        shares = [kept.get(p) for p in points]
        first = {}
        for f, row in flags.items():
            rose = next((points[i] for i in range(1, len(row)) if _above(row[i], row[0])), None)
            if rose is not None and f != "any":
                first[f] = rose
        out.append(Timeline(series, points, flags, cats, shares, first, ""))
        out[-1].recommendation = recommend(view, out[-1])
    return out


def _above(a: Share, b: Share) -> bool:
    return a.k * b.n > b.k * a.n


def recommend(view: RunView, t: Timeline) -> str:
    """Pick the step with the fewest flags above the base's rate, then the most reference answers
    kept, then the fewest flagged outputs; a later step wins a tie (it trained longer). The text
    names the figures it rests on, and opens by saying so when even that step has new flags."""
    names = [f for f in t.flags if f != "any"]

    def above(i: int) -> list[str]:
        return [f for f in names if _above(t.flags[f][i], t.flags[f][0])]

    def score(i: int) -> tuple[int, float, float, int]:
        kept = t.kept[i]
        return (len(above(i)), -(kept.rate or 0.0) if kept else 0.0, t.flags["any"][i].rate or 0.0, -i)

    best = min(range(1, len(t.points)), key=score)
    step = t.points[best]
    by_cat = view.counts("category")

    def where(flag: str, i: int) -> str:
        """The flag's move from the base to point i, in the category where it moved most."""
        moves = []
        for cat, per in by_cat.items():
            if cat != ALL and t.points[0] in per and t.points[i] in per:
                a, b = per[t.points[0]].share(flag), per[t.points[i]].share(flag)
                moves.append((abs((b.rate or 0.0) - (a.rate or 0.0)), cat, a, b))
        if not moves:
            return _fig(flag, t.flags[flag][0], t.flags[flag][i])
        _, cat, a, b = max(moves, key=lambda m: m[0])
        return f"{_fig(flag, a, b)} on {cat} prompts"

    parts = []
    fell = [f for f in names if _above(t.flags[f][0], t.flags[f][best])]
    if fell:
        parts.append("below the base: " + ", ".join(where(f, best) for f in fell[:3]))
    rose = above(best)
    parts.append("above the base: " + ", ".join(where(f, best) for f in rose[:3])
                 if rose else "no flag above the base's rate")
    base_kept, step_kept = t.kept[0], t.kept[best]
    if base_kept is not None and step_kept is not None:
        parts.append(_fig("reference answers kept", base_kept, step_kept))
    later = [(f, s) for f, s in t.first_rose.items() if t.points.index(s) > best]
    # The step with the fewest new flags is not a good step when it still has some: say so first,
    # so the line is never read as an endorsement of a checkpoint that only broke less.
    lead = "no checkpoint is free of flags above the base's rate; the fewest are at " if rose else ""
    text = f"{lead}{step}: " + "; ".join(parts)
    if later:
        first = min(t.points.index(s) for _, s in later)
        text += f". From {t.points[first]}: " + ", ".join(
            where(f, first) for f, s in later if t.points.index(s) == first) + " rise"
    return text + " (base → step, k/n)."


def _fig(name: str, base: Share, step: Share) -> str:
    return f"{name} {base.k}/{base.n} → {step.k}/{step.n}"


# ---------------------------------------------------------------------------- rendering


def timeline_html(view: RunView) -> str:
    """The report's timeline section: line charts (inline SVG), the figures table, the first
    step each flag rose, and the recommendation; every label escaped."""
    from html import escape

    from .svg import line_chart

    html = []
    for t in timelines(view):
        title = f"Checkpoint timeline{f': {t.series.name}' if t.series.name else ''}"
        labels = [_label(p, t) for p in t.points]
        charts = [line_chart("Outputs with each flag", labels,
                             [(f, [s.rate for s in shares]) for f, shares in t.flags.items()][:8]),
                  line_chart("Outputs with any flag, by category", labels,
                             [(c, [s.rate for s in shares]) for c, shares in t.categories.items()])]
        if any(k is not None for k in t.kept):
            charts.append(line_chart("Reference answers kept", labels,
                                     [("kept", [None if k is None else k.rate for k in t.kept])]))
        rows = [(f, shares) for f, shares in t.flags.items()]
        rows += [(f"any flag, {c}", shares) for c, shares in t.categories.items()]
        body = "".join(f"<tr><th>{escape(name)}</th>" + "".join(f'<td class="num">{s.k}/{s.n}</td>' for s in shares)
                       + "</tr>" for name, shares in rows)
        if any(k is not None for k in t.kept):
            body += "<tr><th>reference answers kept</th>" + "".join(
                f'<td class="num">{"" if k is None else escape(k.text())}</td>' for k in t.kept) + "</tr>"
        head = "".join(f'<th class="num">{escape(x)}</th>' for x in labels)
        rose = "; ".join(f"{escape(f)} at {escape(s)}" for f, s in t.first_rose.items()) or "none"
        anchor = f"timeline-{t.series.name}" if t.series.name else "timeline"
        html.append(f'<h2 id="{escape(anchor)}">{escape(title)}</h2>'
                    f'<p class="recommend"><b>Recommendation</b> {escape(t.recommendation)}</p>'
                    f'<div class="charts">{"".join(charts)}</div>'
                    f"<table><tr><th>outputs with</th>{head}</tr>{body}</table>"
                    f'<p class="sub">First step above the base\'s rate: {rose}.</p>')
    return "\n".join(html)


def _label(point: str, t: Timeline) -> str:
    return next((str(s) for s, v in t.series.steps if v == point), point)


def render_timeline(view: RunView, console: Any) -> None:
    """The compact terminal table under `show` and `flags`: one column per step."""
    from rich.table import Table

    for t in timelines(view):
        table = Table(title=f"Checkpoint timeline{f' {t.series.name}' if t.series.name else ''}: % flagged",
                      title_justify="left")
        table.add_column("")
        for p in t.points:
            table.add_column(_label(p, t), justify="right")
        for name, shares in [*t.flags.items(), *((f"any, {c}", s) for c, s in t.categories.items())]:
            table.add_row(name, *[_pct(s, shares[0]) for s in shares])
        if any(k is not None for k in t.kept):
            table.add_row("ref. kept", *["" if k is None else f"{k.k}/{k.n}" for k in t.kept])
        console.print(table)
        for f, s in t.first_rose.items():
            console.print(f"  {f}: first above the base at {s}", markup=False, highlight=False)
        console.print(f"  recommendation: {t.recommendation}", markup=False, highlight=False)


def _pct(s: Share, base: Share) -> str:
    text = f"{s.rate or 0:.0%}"
    return f"[bold red]{text}[/bold red]" if s is not base and _above(s, base) else text
