"""One run through every view: `show`, `flags --json`, `stats --json`, the report and the Markdown
export give the same categories, the same flag order and the same numbers (views/data.py)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_helpers import make_run

from tunediff.cli import main
from tunediff.flags import flag_names
from tunediff.records import GENERATIONS, MISSING_CATEGORY


def cli(*args: str) -> str:
    result = CliRunner(env={"COLUMNS": "220"}).invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two fine-tunes and one prompt without a category (as `tunediff flag` input may have)."""
    out = make_run(tmp_path_factory.mktemp("agree"), n=9, variants=("tuned", "epoch3"))
    path = out / GENERATIONS
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["id"] == "p03":
            row.pop("category", None)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return out


def report_tables(html: str) -> dict[str, dict[str, list[str]]]:
    """caption -> row header -> cell texts, for the report's flag-rate tables."""
    out = {}
    for caption, body in re.findall(r"<table><caption>(.*?)</caption>(.*?)</table>", html, re.S):
        rows = {}
        for name, cells in re.findall(r"<tr><th>([^<]*)</th>((?:<td.*?</td>)+)</tr>", body, re.S):
            rows[unescape(name)] = [re.sub(r"<[^>]+>", "", c).split(" ")[0]
                                    for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
        out[unescape(caption)] = rows
    return out


def test_every_view_gives_the_same_categories_flags_and_numbers(run: Path) -> None:
    flags_data = json.loads(cli("flags", str(run), "--json"))
    stats_data = json.loads(cli("stats", str(run), "--json"))
    report = (run / "report.html").read_text(encoding="utf-8") if cli("report", str(run)) else ""
    show = cli("show", str(run))
    md = cli("export", str(run), "--format", "md")

    # One category list, one label for a missing category, in CATEGORIES order.
    categories = flags_data["categories"]
    assert categories == ["standard", "edge", "ood", MISSING_CATEGORY]
    assert list(stats_data["flag_rates_by_category"]) == categories
    tables = report_tables(report)
    assert [c for c in tables if c != "all outputs"] == categories
    positions = [show.index(f"│ {c} ") for c in categories]
    assert positions == sorted(positions)
    for text in (json.dumps(flags_data), json.dumps(stats_data), report, show, md):
        assert "unknown" not in text

    # One flag order: the registry's.
    fired = flags_data["flags"]
    assert fired == [n for n in flag_names() if n in fired] and len(fired) >= 2
    assert stats_data["flags"] == fired
    assert [n for n in tables["all outputs"] if n != "any"] == [n for n in fired if n in tables["all outputs"]]
    md_rows = [line.split(" | ")[0].lstrip("| ") for line in md.splitlines() if line.startswith("| ")]
    assert md_rows[1:len(fired) + 2] == ["any", *fired]

    # The same numbers: counts / outputs in `flags`, shares in `stats`, percentages in the report.
    base, variants = flags_data["base"], flags_data["variants"]
    assert base == stats_data["reference"] == "base" and variants == stats_data["variants"]
    for row in flags_data["rows"]:
        cat, v = row["category"], row["variant"]
        rates = stats_data["flag_rates"][v] if cat == "all" else stats_data["flag_rates_by_category"][cat][v]
        assert rates["any"] == row["flagged"] / row["outputs"]
        table = tables["all outputs" if cat == "all" else cat]
        col = variants.index(v)
        assert table["any"][col] == f"{row['flagged'] / row['outputs']:.0%}"
        for flag in fired:
            assert rates[flag] == row["counts"][flag] / row["outputs"]
            if flag in table:
                assert table[flag][col] == f"{row['counts'][flag] / row['outputs']:.0%}"
    # `show` prints the same counts as `flags`: the all-outputs "any flag" row, per variant.
    all_rows = {r["variant"]: r for r in flags_data["rows"] if r["category"] == "all"}
    any_line = [line for line in show.splitlines() if "any flag" in line][-1]
    for v in variants:
        r = all_rows[v]
        if r["flagged"]:
            assert f"{r['flagged']} ({r['flagged'] / r['outputs']:.0%})" in any_line

    # The JSONL export carries the same findings per output.
    rows = [json.loads(line) for line in cli("export", str(run), "--format", "jsonl").splitlines()]
    for v in variants:
        mine = [r for r in rows if r["variant"] == v]
        assert sum(bool(r["flags"]) for r in mine) == all_rows[v]["flagged"]
        for flag in fired:
            assert sum(any(f["flag"] == flag for f in r["flags"]) for r in mine) == all_rows[v]["counts"][flag]

    # Gained flags: the same outputs in `stats` and the Markdown export.
    expected = {f"- `{g['id']}` {g['variant']}: {', '.join(g['gained'])}" for g in stats_data["gained_flags"]}
    listed = {line for line in md.splitlines() if line.startswith("- `") and ": " in line}
    assert listed and listed <= expected and len(listed) == min(10, len(expected))
