"""Flag rates per category and variant, base vs each fine-tune, and the sweep diagnosis.

`summary_table` returns plain data (for `tunediff flags --json` and the report);
`render_summary` / `render_summary_data` print it with rich.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ..flags import flag_names, flag_records
from ..flags.diagnosis import settings_vs_weights
from ..records import Finding, GenerationRecord
from ..rundir import RunDir

CATEGORY_ORDER = ["standard", "edge", "ood"]


def summary_table(records: Sequence[GenerationRecord], findings: Sequence[Finding],
                  variants: Sequence[str] | None = None) -> dict[str, Any]:
    """Per (category, variant): outputs, outputs with any flag, and outputs per flag (count and rate)."""
    order = list(variants or []) + [v for v in dict.fromkeys(r.variant for r in records) if v not in (variants or [])]
    cats = sorted({r.category or "uncategorised" for r in records},
                  key=lambda c: (CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else 9, c))
    category_of = {(r.id, r.variant, r.setting, r.sample): r.category or "uncategorised" for r in records}
    n: dict[tuple[str, str], int] = defaultdict(int)
    for r in records:
        n[(r.category or "uncategorised", r.variant)] += 1
        n[("all", r.variant)] += 1
    hit: dict[tuple[str, str, str], set[tuple[str, str, int]]] = defaultdict(set)
    for f in findings:
        key = (f.id, f.variant, f.setting, f.sample)
        cat = category_of.get(key)
        if cat is None:
            continue
        for c in (cat, "all"):
            hit[(c, f.variant, f.flag)].add((f.id, f.setting, f.sample))
            hit[(c, f.variant, "*")].add((f.id, f.setting, f.sample))
    fired = [name for name in flag_names() if any(k[2] == name for k in hit)]
    fired += sorted({k[2] for k in hit} - set(fired) - {"*"})
    rows = []
    for cat in [*cats, "all"]:
        for v in order:
            total = n.get((cat, v), 0)
            if not total:
                continue
            counts = {flag: len(hit.get((cat, v, flag), ())) for flag in fired}
            rows.append({"category": cat, "variant": v, "outputs": total, "flagged": len(hit.get((cat, v, "*"), ())),
                         "counts": counts, "rates": {k: round(c / total, 4) for k, c in counts.items()}})
    diagnosis = [d.to_dict() for d in settings_vs_weights(records, findings)]
    return {"variants": order, "categories": cats, "flags": fired, "rows": rows, "diagnosis": diagnosis}


def render_summary_data(data: dict[str, Any], console: Console, title: str = "Flags") -> None:
    table = Table(title=f"{title}: outputs flagged / outputs, per category and variant", title_justify="left")
    table.add_column("category")
    table.add_column("variant")
    table.add_column("outputs", justify="right")
    table.add_column("any flag", justify="right")
    for flag in data["flags"]:
        table.add_column(flag, justify="right")
    base = data["variants"][0] if data["variants"] else None
    base_rates = {r["category"]: r for r in data["rows"] if r["variant"] == base}
    previous = None
    for row in data["rows"]:
        if previous is not None and row["category"] != previous:
            table.add_section()
        previous = row["category"]
        ref = base_rates.get(row["category"]) if row["variant"] != base else None
        cells = [_cell(row["flagged"], row["outputs"], ref["flagged"] / ref["outputs"] if ref else None)]
        for flag in data["flags"]:
            cells.append(_cell(row["counts"][flag], row["outputs"], ref["rates"][flag] if ref else None))
        table.add_row(row["category"], row["variant"], str(row["outputs"]), *cells)
    console.print(table)
    if data["diagnosis"]:
        _render_diagnosis(data["diagnosis"], console)


def _cell(count: int, total: int, base_rate: float | None) -> str:
    if not count:
        return "[dim]-[/dim]"
    rate = count / total
    text = f"{count} ({rate:.0%})"
    if base_rate is not None and rate > base_rate:
        return f"[bold red]{text}[/bold red]"  # worse than the base: where to look
    if base_rate is not None and rate < base_rate:
        return f"[green]{text}[/green]"
    return text


def _render_diagnosis(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="Settings or weights? (sweep)", title_justify="left")
    for col in ("flag", "variant", "rate per setting", "points at"):
        table.add_column(col)
    style = {"weights": "bold red", "settings": "yellow", "mixed": "magenta"}
    for d in rows:
        rates = ", ".join(f"{s}: {r['flagged']}/{r['outputs']}" for s, r in d["rates"].items())
        verdict = {"weights": "the weights", "settings": "the settings", "mixed": "weights, worse at some settings"}
        table.add_row(d["flag"], d["variant"], rates, f"[{style[d['verdict']]}]{verdict[d['verdict']]}[/]")
    console.print(table)


def run_findings(run: RunDir) -> list[Finding]:
    """The run's findings; computed in memory (not written) when flags.jsonl is missing."""
    if run.flags_path.is_file():
        return run.findings
    names = run.variants
    return flag_records(run.records, base_variant=names[0] if names else "base")


def render_summary(run: RunDir, console: Console) -> None:
    """The summary table under `tunediff show`."""
    data = summary_table(run.records, run_findings(run), run.variants)
    render_summary_data(data, console)
