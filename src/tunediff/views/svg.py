"""Inline SVG charts for the report: no library, no network, escaped labels."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

# Colour-blind-safe (Okabe-Ito); base is always the neutral grey so fine-tunes stand out.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")
BASE_COLOUR = "#8c8c8c"


def variant_colours(variants: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    others = iter(PALETTE * 4)
    for name in variants:
        out[name] = BASE_COLOUR if name == "base" else next(others)
    return out


def grouped_bars(title: str, groups: Sequence[tuple[str, Sequence[tuple[str, float]]]],
                 colours: dict[str, str], width: int = 420, unit: str = "%") -> str:
    """Horizontal bars: one group per label (a flag or a category), one bar per variant.

    Values are shares in [0, 1]; the axis runs 0..100% so charts side by side compare."""
    label_w, bar_h, gap, top = 110, 12, 10, 34
    series = list(dict.fromkeys(name for _, bars in groups for name, _ in bars))
    plot_w = width - label_w - 50
    height = top + sum(len(bars) * bar_h + gap for _, bars in groups) + 18
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="14" class="chart-title">{escape(title)}</text>']
    x = label_w
    for name in series:  # legend
        parts.append(f'<rect x="{x}" y="20" width="10" height="10" fill="{colours.get(name, "#444")}"/>'
                     f'<text x="{x + 14}" y="29" class="chart-legend">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    y = top
    for label, bars in groups:
        group_h = len(bars) * bar_h
        parts.append(f'<text x="{label_w - 6}" y="{y + group_h / 2 + 4:.1f}" text-anchor="end" '
                     f'class="chart-label">{escape(label)}</text>')
        for name, value in bars:
            value = min(max(value, 0.0), 1.0)
            w = plot_w * value
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                         f'fill="{colours.get(name, "#444")}"><title>{escape(f"{label}, {name}: {value:.0%}")}'
                         f'</title></rect>'
                         f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 3}" class="chart-value">'
                         f'{100 * value:.0f}{escape(unit)}</text>')
            y += bar_h
        y += gap
    parts.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{y - gap + 2}" class="chart-axis"/>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, xs: Sequence[str], lines: Sequence[tuple[str, Sequence[float | None]]],
               colours: dict[str, str] | None = None, width: int = 460, height: int = 220) -> str:
    """One line per series over the points `xs` (checkpoint steps); values are shares in [0, 1]
    on a 0..100% axis, None leaves a gap. Colours cycle through PALETTE unless given."""
    left, right, top, bottom = 44, 110, 26, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(xs) - 1)
    palette = iter(PALETTE * 4)
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="14" class="chart-title">{escape(title)}</text>']
    for pct in (0, 50, 100):
        y = top + plot_h * (1 - pct / 100)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="chart-axis" '
                     f'stroke-dasharray="{"" if pct == 0 else "2,3"}"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="chart-value">{pct}%</text>')
    for i, label in enumerate(xs):
        parts.append(f'<text x="{left + i * step:.1f}" y="{height - 10}" text-anchor="middle" '
                     f'class="chart-value">{escape(label)}</text>')
    for n, (name, values) in enumerate(lines):
        colour = (colours or {}).get(name) or next(palette)
        points = [(left + i * step, top + plot_h * (1 - min(max(v, 0.0), 1.0))) for i, v in enumerate(values)
                  if v is not None]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (x, y), v in zip(points, [v for v in values if v is not None], strict=True):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                         f"<title>{escape(f'{name}: {v:.0%}')}</title></circle>")
        y = top + 12 + 14 * n  # legend: a swatch of the line's colour (text colour is the stylesheet's)
        parts.append(f'<rect x="{left + plot_w + 8}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + plot_w + 22}" y="{y}" class="chart-legend">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
