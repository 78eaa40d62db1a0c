"""Flag rates per category and variant, base vs each fine-tune, and the sweep diagnosis.

`summary_table` returns plain data (for `tunediff flags --json` and the report);
`render_summary` / `render_summary_data` print it with rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..records import Finding, GenerationRecord
from ..rundir import RunDir
from .changes import what_changed
from .data import ALL, RunView, Share
from .terminal import visible
from .timeline import headline, render_timeline


def summary_table(records: Sequence[GenerationRecord], findings: Sequence[Finding],
                  variants: Sequence[str] | None = None) -> dict[str, Any]:
    """Per (category, variant): outputs, outputs with any flag, and outputs per flag (count and rate),
    with reference answers kept; the first of `variants` is the base."""
    return RunView(records, findings, variants or (), variants[0] if variants else None).summary()


def render_summary_data(data: dict[str, Any], console: Console, title: str = "Flags") -> None:
    """One section per category; a row per flag; a column per variant (base first), so the
    table stays narrow however many flags fire. Red: worse than the base; green: better."""
    variants = data["variants"]
    table = Table(title=_plain(f"{title}: outputs flagged / outputs"), title_justify="left")
    table.add_column("category")
    table.add_column("flag")
    for v in variants:
        table.add_column(_plain(v), justify="right")
    rows = {(r["category"], r["variant"]): r for r in data["rows"]}
    for cat in [*data["categories"], ALL]:
        present = [rows.get((cat, v)) for v in variants]
        if not any(present):
            continue
        base = present[0]
        table.add_row(cat, "[dim]outputs[/dim]", *[f"[dim]{r['outputs']}[/dim]" if r else "" for r in present])
        table.add_row("", "any flag", *[_cell(r["flagged"], r["outputs"], _rate(base, None), r is base)
                                        if r else "" for r in present])
        for flag in data["flags"]:
            if not any(r and r["counts"][flag] for r in present):
                continue
            table.add_row("", flag, *[_cell(r["counts"][flag], r["outputs"], _rate(base, flag), r is base)
                                      if r else "" for r in present])
        table.add_section()
    console.print(table)
    if data.get("reference_kept"):
        _render_kept(data, console)
    if data["diagnosis"]:
        _render_diagnosis(data["diagnosis"], console)


def _plain(text: str) -> Text:
    """The user's text (variant names, file names, settings) as it is: no rich markup, controls visible."""
    return Text(visible(str(text)))


def _rate(row: dict[str, Any] | None, flag: str | None) -> float | None:
    if row is None:
        return None
    return row["flagged"] / row["outputs"] if flag is None else row["rates"][flag]


def _cell(count: int, total: int, base_rate: float | None, is_base: bool) -> str:
    if not count:
        return "[dim]-[/dim]"
    rate = count / total
    text = f"{count} ({rate:.0%})"
    if is_base or base_rate is None:
        return text
    if rate > base_rate:
        return f"[bold red]{text}[/bold red]"  # worse than the base: where to look
    return f"[green]{text}[/green]" if rate < base_rate else text


def _render_diagnosis(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="Settings or weights? (sweep)", title_justify="left")
    for col in ("flag", "variant", "rate per setting", "points at"):
        table.add_column(col)
    style = {"weights": "bold red", "settings": "yellow", "mixed": "magenta"}
    for d in rows:
        rates = ", ".join(f"{s}: {r['flagged']}/{r['outputs']}" for s, r in d["rates"].items())
        verdict = {"weights": "the weights", "settings": "the settings", "mixed": "weights, worse at some settings"}
        points_at = f"[{style[d['verdict']]}]{verdict[d['verdict']]}[/]"
        table.add_row(d["flag"], _plain(d["variant"]), _plain(rates), points_at)
    console.print(table)


def render_summary(run: RunDir, console: Console, view: RunView | None = None) -> None:
    """The summary table under `tunediff show`, and the checkpoint timeline when there is one."""
    view = view or RunView.of(run)
    render_summary_data(view.summary(), console)
    render_timeline(view, console)


STYLE = {"learned": "green", "broke": "bold red", "forgot": "bold red", "same": "dim"}


def render_changes(view: RunView, console: Console) -> None:
    """The opening sentences of `tunediff show` (views/changes.py)."""
    sentences = what_changed(view, headline(view))
    if not sentences:
        return
    console.print(Text("What changed", style="bold underline"))
    for s in sentences:
        console.print(Text("• ") + Text(s.text, style=STYLE.get(s.kind, "")))
    console.print()


def _render_kept(data: dict[str, Any], console: Console) -> None:
    """Reference answers kept per category, k/n with the exact 95% interval; then the forgotten."""
    kept = data["reference_kept"]
    variants = [v for v in data["variants"] if any(v in per for per in kept.values())]
    table = Table(title="Reference answers kept (k/n, exact 95% CI)", title_justify="left")
    table.add_column("category")
    for v in variants:
        table.add_column(_plain(v), justify="right")
    for cat, per in kept.items():
        base = per.get(variants[0]) if variants else None
        cells = []
        for v in variants:
            s = per.get(v)
            if s is None:
                cells.append("")
                continue
            text = Share(s["k"], s["n"]).text()
            worse = base is not None and v != variants[0] and s["rate"] < base["rate"]
            cells.append(f"[bold red]{text}[/bold red]" if worse else text)
        table.add_row(cat, *cells)
    console.print(table)
    for f in data["forgotten"]:
        where = f" [{f['setting']}]" if f["setting"] != "default" else ""
        # Ids, settings and references are the user's text: escaped for rich markup ("[/x]" would
        # raise, "[temperature=0.7]" would vanish) and with control characters made visible.
        said = escape(visible(f"{f['id']}{where} {f['variant']}: the base answered {f['reference']!r}"))
        console.print(f"[bold red]forgotten[/bold red] {said}; this answer does not", markup=True, highlight=False)
