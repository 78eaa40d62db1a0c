"""`tunediff stats` over a run directory: text and JSON output, no ratings, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from report_helpers import make_run, rate
from scipy.stats import binomtest

from tunediff.cli import main


def stats(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["stats", *args])
    return result.exit_code, result.stdout, result.stderr


def test_stats_json_counts_and_matches_scipy(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=9)
    rate(run, [("alice", "p00", "tuned"), ("alice", "p01", "tuned"), ("alice", "p02", "base"),
               ("alice", "p03", "tie"), ("alice", "p04", "both_bad"), ("alice", "p05", "tuned"),
               ("bob", "p00", "tuned"), ("bob", "p01", "base")])
    code, out, _ = stats(str(run), "--json")
    assert code == 0
    data = json.loads(out)
    [pair] = data["pairs"]
    o = pair["overall"]
    assert (pair["candidate"], o["win"], o["tie"], o["loss"], o["both_bad"]) == ("tuned", 4, 1, 2, 1)
    ref = binomtest(4, 6)
    assert abs(o["sign_test_p"] - ref.pvalue) < 1e-12
    ci = ref.proportion_ci(method="exact")
    assert abs(o["ci95"][0] - ci.low) < 1e-9 and abs(o["ci95"][1] - ci.high) < 1e-9
    cats = {c: (t["win"], t["tie"], t["loss"], t["both_bad"]) for c, t in pair["by_category"].items()}
    # standard = p00, p03; edge = p01, p04; ood = p02, p05 (the fixture cycles categories)
    assert cats == {"standard": (2, 1, 0, 0), "edge": (1, 0, 1, 1), "ood": (1, 0, 1, 0)}
    assert set(pair["kappa"]) == {"alice vs bob"}
    assert [x["id"] for x in pair["lost"]] == ["p02", "p01"]
    # gained flags come in the registry's order
    assert {(g["id"], tuple(g["gained"])) for g in data["gained_flags"]} >= {("p00", ("no_stop", "next_turn"))}


def test_stats_text_says_ties_are_excluded(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=3)
    rate(run, [("alice", "p00", "tuned"), ("alice", "p01", "tie")])
    code, out, _ = stats(str(run))
    assert code == 0
    assert "tuned vs base" in out and "ties and both-bad are excluded" in out
    assert "tuned lost" not in out


def test_stats_without_ratings_prints_flags_and_exits_0(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=3)
    code, out, err = stats(str(run))
    assert code == 0
    assert "ratings: none yet" in out and "no_stop" in out
    assert "no ratings" in err


def test_stats_variants_option(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=3, variants=("tuned", "epoch1"))
    rate(run, [("alice", "p00", "tuned")])
    rate(run, [("alice", "p00", "epoch1"), ("alice", "p01", "base")], a="base", b="epoch1")
    code, out, _ = stats(str(run), "--json", "--variants", "base,epoch1")
    [pair] = json.loads(out)["pairs"]
    assert (pair["candidate"], pair["overall"]["win"], pair["overall"]["loss"]) == ("epoch1", 1, 1)
    code, out, _ = stats(str(run), "--json")
    assert [p["candidate"] for p in json.loads(out)["pairs"]] == ["tuned", "epoch1"]


def test_stats_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    run = make_run(tmp_path, n=3)
    corrupt = make_run(tmp_path, n=3, name="corrupt")
    (corrupt / "ratings.sqlite").write_bytes(b"garbage" * 500)
    for args, needle in [((str(empty),), "no generations"), ((str(tmp_path / "missing"),), "no such run"),
                         ((str(corrupt),), "not a readable ratings database"),
                         ((str(run), "--variants", "base,nope"), "no variant named nope"),
                         ((str(run), "--variants", "base"), "two different variant names")]:
        result = CliRunner().invoke(main, ["stats", *args])
        assert result.exit_code == 2, (args, result.output)
        assert result.output.startswith("error: ") and needle in result.output
        assert result.output.count("\n") == 1
