"""`tunediff export`: DPO pairs from decisive ratings, CSV/JSONL rows, Markdown summary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_helpers import make_run, rate

from tunediff.cli import main


def export(run: Path, fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(main, ["export", str(run), "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_dpo_pairs_from_decisive_ratings_only(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=6)
    rate(run, [("alice", "p00", "tuned"), ("alice", "p01", "base"), ("alice", "p02", "tie"),
               ("bob", "p03", "both_bad"), ("bob", "p04", "base")])
    rows = [json.loads(line) for line in export(run, "dpo").splitlines()]
    assert [(r["prompt_id"], r["rater"], r["chosen_variant"]) for r in rows] == [
        ("p00", "alice", "tuned"), ("p01", "alice", "base"), ("p04", "bob", "base")]
    first = rows[0]
    assert first["prompt"] == "Question 0: describe item 0 as JSON."
    assert first["chosen"].startswith('{"question": 0') and first["rejected"].startswith("The answer to question 0")
    assert first["messages"] == [{"role": "user", "content": first["prompt"]}]


def test_dpo_without_ratings_is_empty_with_a_note(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=3)
    result = CliRunner().invoke(main, ["export", str(run), "-f", "dpo"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "no decisive ratings" in result.stderr


def test_jsonl_rows_carry_flags_and_ratings(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=3)
    rate(run, [("alice", "p00", "tuned")])
    rows = [json.loads(line) for line in export(run, "jsonl").splitlines()]
    assert len(rows) == 6
    tuned0 = next(r for r in rows if r["id"] == "p00" and r["variant"] == "tuned")
    assert {f["flag"] for f in tuned0["flags"]} == {"no_stop", "next_turn"}
    assert tuned0["flags"][0]["evidence"]["span"]
    assert tuned0["ratings"] == [{"rater": "alice", "vs": "base", "outcome": "win", "tags": [], "note": ""}]
    base0 = next(r for r in rows if r["id"] == "p00" and r["variant"] == "base")
    assert base0["ratings"][0]["outcome"] == "loss" and base0["flags"] == []


def test_csv_round_trips_multiline_text(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=3)
    rate(run, [("alice", "p00", "tuned"), ("bob", "p00", "tie")])
    rows = list(csv.DictReader(io.StringIO(export(run, "csv"))))
    assert len(rows) == 6
    tuned0 = next(r for r in rows if r["id"] == "p00" and r["variant"] == "tuned")
    assert "\nUser:" in tuned0["text"]
    assert tuned0["flags"] == "no_stop;next_turn"
    assert (tuned0["wins"], tuned0["ties"], tuned0["losses"]) == ("1", "1", "0")


def test_markdown_summary(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=6)
    rate(run, [("alice", f"p0{i}", "tuned" if i < 4 else "base") for i in range(6)])
    md = export(run, "md")
    assert md.startswith("## tunediff: run review")
    assert "| no_stop | 0% | 33% |" in md
    assert "| tuned vs base | 6 | 4 | 0 | 2 | 0 | 67% |" in md
    assert "ties and both-bad are excluded" in md
    assert "- `p04` (tuned, rater alice)" in md
    assert "### Outputs that gained flags vs base" in md


@pytest.mark.parametrize("fmt", ["dpo", "csv", "jsonl", "md"])
def test_out_file_is_written_atomically(tmp_path: Path, fmt: str) -> None:
    run = make_run(tmp_path, n=3)
    rate(run, [("alice", "p00", "tuned")])
    out = tmp_path / "exports" / f"x.{fmt}"
    result = CliRunner().invoke(main, ["export", str(run), "-f", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote" in result.stderr
    assert out.read_text(encoding="utf-8") == export(run, fmt)
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_export_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path), "-f", "csv"])
    assert result.exit_code == 2 and "no generations" in result.output
    run = make_run(tmp_path, n=3)
    (run / "ratings.sqlite").write_bytes(b"this is not sqlite" * 100)
    result = CliRunner().invoke(main, ["export", str(run), "-f", "dpo"])
    assert result.exit_code == 2 and "not a readable ratings database" in result.output
    assert result.output.count("\n") == 1
