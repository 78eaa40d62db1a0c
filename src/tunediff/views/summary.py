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
    """One section per category; a row per flag; a column per variant (base first), so the
    table stays narrow however many flags fire. Red: worse than the base; green: better."""
    variants = data["variants"]
    table = Table(title=f"{title}: outputs flagged / outputs", title_justify="left")
    table.add_column("category")
    table.add_column("flag")
    for v in variants:
        table.add_column(v, justify="right")
    rows = {(r["category"], r["variant"]): r for r in data["rows"]}
    for cat in [*data["categories"], "all"]:
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
    if data["diagnosis"]:
        _render_diagnosis(data["diagnosis"], console)


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
