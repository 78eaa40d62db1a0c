"""`tunediff export`: a run's outputs, flags and ratings in formats other tools read.

- dpo: preference pairs (prompt / chosen / rejected) from decisive ratings, one JSON per line
  (the shape TRL's DPOTrainer reads), with prompt_id and rater kept as metadata;
- jsonl / csv: one row per output with its flags and its ratings;
- md: a Markdown summary for a pull request or a model card.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from ..ratings import Rating, load_ratings
from ..records import GenerationRecord
from ..rundir import RunDir
from .data import RunView
from .stats_text import format_kept, run_stats

FORMATS = ("dpo", "csv", "jsonl", "md")
CSV_COLUMNS = ("id", "category", "variant", "setting", "sample", "finish_reason", "new_tokens", "prompt", "text",
               "flags", "wins", "ties", "losses", "both_bad")


def export_run(run: RunDir, fmt: str) -> tuple[str, int]:
    """(text, number of rows or pairs) for `fmt`, one of FORMATS."""
    if fmt == "dpo":
        return dpo_pairs(run.records, load_ratings(run.path))
    view = RunView.of(run)
    if fmt == "jsonl":
        rows = _rows(run, view)
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), len(rows)
    if fmt == "csv":
        return _csv(run, view)
    if fmt == "md":
        return markdown_summary(run, view=view), 1
    raise ValueError(f"unknown export format {fmt!r}")


def dpo_pairs(records: Sequence[GenerationRecord], ratings: Sequence[Rating]) -> tuple[str, int]:
    """One pair per decisive rating (A better / B better); ties and both-bad carry no preference."""
    by_key = {r.key: r for r in records}
    lines = []
    for rating in ratings:
        if rating.winner is None:
            continue
        loser = rating.variant_b if rating.winner == rating.variant_a else rating.variant_a
        chosen = by_key.get((rating.prompt_id, rating.winner, rating.setting, rating.sample))
        rejected = by_key.get((rating.prompt_id, loser, rating.setting, rating.sample))
        if chosen is None or rejected is None:
            continue  # rated outputs no longer in generations.jsonl: nothing to pair
        row = {"prompt": chosen.prompt or "", "chosen": chosen.text, "rejected": rejected.text,
               "prompt_id": rating.prompt_id, "rater": rating.rater, "chosen_variant": rating.winner,
               "rejected_variant": loser, "setting": rating.setting, "sample": rating.sample}
        if chosen.messages:
            row["messages"] = chosen.messages
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(lines), len(lines)


def _rows(run: RunDir, view: RunView) -> list[dict[str, Any]]:
    """Each output with its flags and the ratings that involved it, from its own point of view."""
    flags = view.by_record
    rated: dict[tuple[str, str, str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in load_ratings(run.path):
        for variant, other in ((r.variant_a, r.variant_b), (r.variant_b, r.variant_a)):
            rated[(r.prompt_id, variant, r.setting, r.sample)].append(
                {"rater": r.rater, "vs": other, "outcome": r.outcome_for(variant), "tags": list(r.tags),
                 "note": r.note})
    rows = []
    for rec in view.records:
        row = rec.model_dump(mode="json", exclude_none=True)
        row["flags"] = [f.model_dump(mode="json", exclude_none=True, exclude={"id", "variant", "setting", "sample"})
                        for f in flags.get(rec.key, [])]
        row["ratings"] = rated.get(rec.key, [])
        rows.append(row)
    return rows


def _csv(run: RunDir, view: RunView) -> tuple[str, int]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    rows = _rows(run, view)
    for row in rows:
        outcomes = Counter(r["outcome"] for r in row["ratings"])
        writer.writerow({**row, "flags": ";".join(dict.fromkeys(f["flag"] for f in row["flags"])),
                         "wins": outcomes["win"], "ties": outcomes["tie"], "losses": outcomes["loss"],
                         "both_bad": outcomes["both_bad"]})
    return buf.getvalue(), len(rows)


# ---------------------------------------------------------------------------- markdown


def _cell(value: Any) -> str:
    """A Markdown table cell: pipes escaped, one line."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def markdown_summary(run: RunDir, worst: int = 10, view: RunView | None = None) -> str:
    data = run_stats(run, view=view)
    m = run.manifest
    lines = [f"## tunediff: {_cell(m.suite.name or run.path.name)}", "", "### Setup", ""]
    source = f" from `{m.suite.path}` (sha256 {m.suite.sha256[:12]})" if m.suite.path else ""
    lines.append(f"- {data['n_prompts']} prompts{source}")
    base = (m.base_model.path or m.base_model.spec) if m.base_model else None
    if base or m.base:
        lines.append(f"- base model: `{base or m.base}`")
    for v in m.variants:
        where = f" `{v.path}`" if v.path else ""
        lines.append(f"- variant `{v.name}`: {v.kind}{where}")
    for s in m.settings:
        lines.append(f"- settings `{s.id}`: " + ", ".join(f"{k}={v}" for k, v in s.items()))
    if m.versions:
        lines.append("- versions: " + ", ".join(f"{k} {v}" for k, v in m.versions.items()))
    rates = data["flag_rates"]
    variants = [v for v in data["variants"] if v in rates]
    lines += ["", "### Flags (share of outputs)", ""]
    lines += _table(["flag", *variants], [[n, *(f"{rates[v].get(n, 0.0):.0%}" for v in variants)]
                                          for n in ["any", *data["flags"]]])
    kept = format_kept(data["reference_kept"], data["variants"], data["forgotten"])
    if kept:
        lines += ["", "### Reference answers kept", "", "```", *kept[1:], "```"]
    lines += ["", "### Blind review", ""]
    if not data["pairs"]:
        lines.append("No ratings yet (`tunediff review RUN`).")
    for pair in data["pairs"]:
        t = pair["overall"]
        rate = "n/a" if t["win_rate"] is None else f"{t['win_rate']:.0%}"
        ci = "n/a" if not t["decisive"] else f"{t['ci95'][0]:.0%} – {t['ci95'][1]:.0%}"
        lines += _table(["pair", "n", "win", "tie", "loss", "both bad", "win rate", "95% CI (exact)", "sign test p"],
                        [[f"{pair['candidate']} vs {pair['reference']}", t["n"], t["win"], t["tie"], t["loss"],
                          t["both_bad"], rate, ci, f"{t['sign_test_p']:.3g}"]])
        lines += ["", f"_{data['note']}._", ""]
    lines += _worst(data, worst)
    return "\n".join(lines).rstrip() + "\n"


def _worst(data: dict[str, Any], limit: int) -> list[str]:
    out = []
    lost = [(p["candidate"], x) for p in data["pairs"] for x in p["lost"]]
    if lost:
        out += ["### Prompts the fine-tune lost", ""]
        out += [f"- `{_cell(x['id'])}` ({cand}, rater {_cell(x['rater'])})"
                + (f": {_cell(x['note'])}" if x["note"] else "") for cand, x in lost[:limit]]
        out.append("")
    gained = sorted(data["gained_flags"], key=lambda g: -len(g["gained"]))
    if gained:
        out += [f"### Outputs that gained flags vs {data['reference']}", ""]
        out += [f"- `{_cell(g['id'])}` {g['variant']}: {', '.join(g['gained'])}" for g in gained[:limit]]
        if len(gained) > limit:
            out.append(f"- ... and {len(gained) - limit} more")
    return out
