"""`tunediff show`: a side-by-side terminal view of a run, one panel per variant."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..records import Finding, GenerationRecord, findings_by_record, records_by_output
from ..rundir import RunDir

FINISH_STYLE = {"eos": "green", "stop": "cyan", "length": "red"}

# Model text may hold terminal escapes (colours, a window-title change, a cleared screen). Each
# control character but newline and tab becomes one visible stand-in of the same length, so
# finding spans still line up: C0 and DEL as their Unicode control pictures (ESC -> ␛), C1 as �.
_VISIBLE = {c: 0x2400 + c for c in range(0x20) if chr(c) not in "\n\t"}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({c: 0xFFFD for c in range(0x80, 0xA0)})


def visible(text: str) -> str:
    """`text` with every control character except newline and tab made visible, length kept."""
    return text.translate(_VISIBLE)


def select(records: Sequence[GenerationRecord], categories: Sequence[str] = (), ids: Sequence[str] = (),
           variants: Sequence[str] = (), settings: Sequence[str] = ()) -> list[GenerationRecord]:
    """Filter records; an empty filter keeps everything. Ids match exactly or by prefix."""
    out = []
    for rec in records:
        if categories and rec.category not in categories:
            continue
        if ids and not any(rec.id == i or rec.id.startswith(i) for i in ids):
            continue
        if variants and rec.variant not in variants:
            continue
        if settings and rec.setting not in settings:
            continue
        out.append(rec)
    return out


def render_show(run: RunDir, console: Console, records: Sequence[GenerationRecord],
                findings: Sequence[Finding] = (), flagged_only: Sequence[str] = (), width_chars: int = 1200) -> int:
    """Print one block per (prompt, setting, sample) with the variants side by side; return blocks shown."""
    by_key = findings_by_record(findings)
    groups = records_by_output(records)
    order = run.variants
    shown = 0
    for (pid, setting, sample), recs in groups.items():
        recs.sort(key=lambda r: order.index(r.variant) if r.variant in order else len(order))
        if flagged_only and not any(f.flag in flagged_only for r in recs for f in by_key[r.key]):
            continue
        first = recs[0]
        title = Text.assemble((visible(pid), "bold"), "  ", (first.category or "", "magenta"))
        if setting != "default":
            title.append(f"  [{visible(setting)}]", style="yellow")
        if sample:
            title.append(f"  sample {sample}", style="yellow")
        console.print(Rule(title, align="left"))
        console.print(Text("prompt: ", style="dim") + Text(visible(_clip(first.prompt or "", width_chars))))
        grid = Table.grid(expand=True, padding=(0, 1))
        for _ in recs:
            grid.add_column(ratio=1)
        grid.add_row(*[_panel(rec, by_key[rec.key], width_chars) for rec in recs])
        console.print(grid)
        shown += 1
    return shown


def _panel(rec: GenerationRecord, findings: Sequence[Finding], width_chars: int) -> Panel:
    body = Text(visible(_clip(rec.text, width_chars)) or "(empty)")
    for f in findings:
        span = f.evidence.span
        if span and span[0] < min(len(rec.text), width_chars):
            body.stylize("on dark_red", span[0], min(span[1], width_chars))
    badges = Text()
    for f in findings:
        style = "bold white on red" if f.severity == "error" else "black on yellow"
        badges.append(f" {f.flag} ", style=style)
        badges.append(" ")
    meta = Text(f"{rec.finish_reason or '?'}", style=FINISH_STYLE.get(rec.finish_reason or "", "white"))
    if rec.new_tokens is not None:
        meta.append(f"  {rec.new_tokens} tok", style="dim")
    content = Group(badges, body) if findings else body
    return Panel(content, title=Text(visible(rec.variant), style="bold cyan"), subtitle=meta, subtitle_align="right")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f" … [{len(text) - limit} more chars]"
