"""The review app without a browser: sides, the JSON API, bad input, durability, the CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tunediff.errors import UserError
from tunediff.ratings import load_ratings
from tunediff.run import run as tunediff_run
from tunediff.views.review import ReviewApp, choose_sides, pick_pair, script_safe_json

try:
    from .conftest_review import call, db_rows, live_server, make_review_run, texts
except ImportError:  # tests/views is not a package
    from conftest_review import call, db_rows, live_server, make_review_run, texts


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_review_run(tmp_path_factory.mktemp("review"), n=20)


@pytest.fixture
def fresh_run(tmp_path: Path) -> Path:
    return make_review_run(tmp_path, n=6)


def test_sides_are_seeded_and_both_orders_occur() -> None:
    keys = [(f"p{i:02d}", "default", 0) for i in range(20)]
    sides = [choose_sides("alice", k, ("base", "tuned")) for k in keys]
    assert sides == [choose_sides("alice", k, ("tuned", "base")) for k in keys]  # pair order does not matter
    assert {s.variant_a for s in sides} == {"base", "tuned"}
    assert [s.variant_a for s in sides] != [choose_sides("bob", k, ("base", "tuned")).variant_a for k in keys]
    assert all({s.variant_a, s.variant_b} == {"base", "tuned"} for s in sides)


@pytest.mark.parametrize(("variants", "wanted", "expected"), [
    (["base", "tuned"], None, ("base", "tuned")),
    (["base", "e1", "e2"], None, ("base", "e1")),
    (["base", "e1", "e2"], "e2,base", ("e2", "base")),
    (["base", "e1", "e2"], " e1 , e2 ", ("e1", "e2")),
])
def test_pick_pair(variants: list[str], wanted: str | None, expected: tuple[str, str]) -> None:
    assert pick_pair(variants, wanted) == expected


@pytest.mark.parametrize(("variants", "wanted", "message"), [
    (["base"], None, "needs two"),
    (["base", "e1"], "base", "two different"),
    (["base", "e1"], "base,base", "two different"),
    (["base", "e1"], "base,e9", "no variant 'e9'"),
])
def test_pick_pair_errors(variants: list[str], wanted: str | None, message: str) -> None:
    with pytest.raises(UserError, match=message):
        pick_pair(variants, wanted)


def test_script_safe_json_cannot_close_the_script() -> None:
    text = script_safe_json({"x": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"x": "</script><!-- & \u2028"}


def test_items_are_blind_until_rated_and_rating_reveals(run_dir: Path) -> None:
    out = texts(run_dir)
    with live_server(run_dir) as url:
        status, data, headers = call(url + "api/items?rater=carol")
        assert status == 200 and data["total"] == 20 and data["rated"] == 0 and data["first_unrated"] == 0
        assert "base" not in json.dumps(data) and "tuned" not in json.dumps(data)  # no name anywhere
        item = data["items"][3]
        assert {item["a"], item["b"]} == {out[(item["id"], "base")], out[(item["id"], "tuned")]}
        status, saved, _ = call(url + "api/rate", {"rater": "carol", "key": item["key"], "choice": "b",
                                                    "tags": ["repetition", "other"], "note": "loops"})
        assert status == 200 and saved["rated"] == 1
        rating = saved["item"]["rating"]
        assert out[(item["id"], rating["variant_a"])] == item["a"]  # the revealed names match what was shown
        assert rating["winner"] == rating["variant_b"] and rating["tags"] == ["repetition", "other"]
        _, again, _ = call(url + "api/items?rater=carol")
        assert again["rated"] == 1 and again["items"][3]["rating"]["note"] == "loops"
        assert again["items"][3]["a"] == item["a"]  # the same sides on every request
    (stored,) = [r for r in load_ratings(run_dir) if r.rater == "carol"]
    assert (stored.prompt_id, stored.choice, stored.winner, stored.note) == \
        (item["id"], "b", rating["variant_b"], "loops")
    assignment = db_rows(run_dir, "SELECT variant_a, variant_b FROM assignments WHERE rater='carol' AND prompt_id=?",
                         item["id"])
    assert assignment == [(rating["variant_a"], rating["variant_b"])]


def test_security_headers_and_nonce(run_dir: Path) -> None:
    with live_server(run_dir) as url:
        status, page, headers = call(url)
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert f'<script nonce="{nonce}">' in page and f'<style nonce="{nonce}">' in page


BAD_RATINGS = [
    ({"rater": "dan", "key": "nope|default|0", "choice": "a"}, 404, "no item"),
    ({"rater": "dan", "key": "p01|default|0", "choice": "left"}, 422, "choice"),
    ({"rater": "dan", "key": "p01|default|0", "choice": "a", "tags": ["made_up"]}, 422, "unknown tag"),
    ({"rater": "dan", "key": "p01|default|0", "choice": "a", "tags": "repetition"}, 400, "list"),
    ({"rater": "", "key": "p01|default|0", "choice": "a"}, 400, "rater"),
    ({"rater": "dan", "key": "p01|default|0", "choice": "a", "note": "x" * 5000}, 400, "note"),
    ({"rater": "dan", "key": "p01|default|0", "choice": "a", "winner": "base"}, 400, "unknown field"),
    (["not", "an", "object"], 400, "JSON object"),
]


@pytest.mark.parametrize(("body", "status", "message"), BAD_RATINGS)
def test_bad_ratings_are_rejected_and_store_nothing(fresh_run: Path, body: object, status: int, message: str) -> None:
    with live_server(fresh_run) as url:
        got, data, _ = call(url + "api/rate", body)
    assert got == status and message in data["error"]
    assert load_ratings(fresh_run) == []


@pytest.mark.parametrize(("raw", "headers", "status"), [
    (b"{not json", {}, 400),
    (b"x" * (64 * 1024 + 1), {}, 413),
    (b'{"rater": "dan", "key": "p01|default|0", "choice": "a"}', {"Content-Type": "text/plain"}, 415),
    (b'{"rater": "dan", "key": "p01|default|0", "choice": "a"}', {"Host": "evil.example:80"}, 403),
])
def test_bad_requests_are_rejected(fresh_run: Path, raw: bytes, headers: dict[str, str], status: int) -> None:
    with live_server(fresh_run) as url:
        got, _, _ = call(url + "api/rate", raw=raw, headers=headers)
    assert got == status
    assert load_ratings(fresh_run) == []


def test_a_killed_server_loses_no_acknowledged_rating(fresh_run: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "tunediff", "review", str(fresh_run), "--port", "0",
                             "--no-browser"], stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        status, data, _ = call(url + "api/rate", {"rater": "erin", "key": "p02|default|0", "choice": "tie",
                                                  "tags": ["ramble"], "note": "same"})
        assert status == 200 and data["ok"]
        os.kill(proc.pid, signal.SIGKILL)  # no shutdown hook runs: only what was committed survives
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    (rating,) = load_ratings(fresh_run)
    assert (rating.rater, rating.prompt_id, rating.choice, rating.tags, rating.note) == \
        ("erin", "p02", "tie", ("ramble",), "same")


def _cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tunediff", "review", *args, "--no-browser"], capture_output=True,
                          text=True, timeout=timeout)


def test_cli_port_in_use_is_one_line_exit_2(fresh_run: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _cli(str(fresh_run), "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: port {port} on 127.0.0.1 is in use; pick another with --port, " \
                                    "or --port 0 for any free port"


def test_cli_bad_run_directories(tmp_path: Path, fresh_run: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _cli(str(empty), "--port", "0")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "no generations" in result.stderr and "Traceback" not in result.stderr

    (fresh_run / "ratings.sqlite").write_bytes(b"this is not sqlite at all, " * 100)
    result = _cli(str(fresh_run), "--port", "0")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "ratings.sqlite: not a readable ratings database" in result.stderr

    result = _cli(str(tmp_path / "missing"), "--port", "0")
    assert result.returncode == 2 and "no such run directory" in result.stderr


def test_cli_unknown_variant(fresh_run: Path) -> None:
    result = _cli(str(fresh_run), "--variants", "base,nope")
    assert result.returncode == 2 and result.stderr.strip() == \
        "error: --variants: no variant 'nope' in this run; it has base, tuned"


def test_cli_ctrl_c_stops_cleanly(fresh_run: Path) -> None:
    # SIGINT at its default in the child: a shell running the tests in the background ignores it.
    proc = subprocess.Popen([sys.executable, "-m", "tunediff", "review", str(fresh_run), "--port", "0",
                             "--no-browser", "--rater", "fay"], stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    first = proc.stderr.readline()
    assert "?rater=fay" in first and "Ctrl-C" in first
    proc.send_signal(signal.SIGINT)
    rest = proc.communicate(timeout=10)[1]
    assert proc.returncode == 0
    assert rest.strip().splitlines() == [f"review stopped; ratings are in {fresh_run / 'ratings.sqlite'}"]


def test_flags_are_revealed_only_after_rating(fresh_run: Path) -> None:
    finding = {"id": "p01", "variant": "tuned", "flag": "repetition", "severity": "warn", "message": "loops",
               "evidence": {}}
    (fresh_run / "flags.jsonl").write_text(json.dumps(finding) + "\n")
    with live_server(fresh_run) as url:
        _, data, _ = call(url + "api/items?rater=gil")
        assert "repetition" not in json.dumps(data["items"])
        _, saved, _ = call(url + "api/rate", {"rater": "gil", "key": "p01|default|0", "choice": "a"})
    rating = saved["item"]["rating"]
    side = "a" if rating["variant_a"] == "tuned" else "b"
    assert [f["flag"] for f in rating[f"flags_{side}"]] == ["repetition"]
    assert rating["flags_b" if side == "a" else "flags_a"] == []


def test_more_than_two_variants_and_a_changed_rating(tmp_path: Path) -> None:
    run_dir = make_review_run(tmp_path, n=3, adapters=("e1=x", "e2=y"))
    default = ReviewApp(run_dir)
    assert default.pair == ("base", "e1")
    default.close()
    app = ReviewApp(run_dir, variants="e2,e1")
    try:
        item = app.items_for("hal")["items"][0]
        assert {item["a"], item["b"]} == {"e1 answer to p01", "e2 answer to p01"}
        app.rate({"rater": "hal", "key": "p01|default|0", "choice": "a"})
        app.rate({"rater": "hal", "key": "p01|default|0", "choice": "both_bad"})  # a change of mind replaces
        assert app.items_for("hal")["rated"] == 1
    finally:
        app.close()
    (rating,) = load_ratings(run_dir)
    assert rating.choice == "both_bad" and rating.winner is None and rating.pair() == {"e1", "e2"}


def test_sweeps_and_samples_are_separate_items(tmp_path: Path) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(yaml.safe_dump({"name": "sweep", "prompts": [
        {"id": "a", "category": "standard", "prompt": "hi"}, {"id": "b", "category": "ood", "prompt": "yo"}]}))
    out = tunediff_run(suite, backend="fake", adapters=["t=x"], out=tmp_path / "r", flag=False, progress=False,
                       sweep=["temperature=0.1,0.7"], samples=2, temperature=0.5)
    app = ReviewApp(out)
    try:
        data = app.items_for("zed")
        assert app.config()["sweep"] is True and data["total"] == 8
        assert [i["key"] for i in data["items"]][:4] == ["a|temperature=0.1|0", "a|temperature=0.1|1",
                                                         "a|temperature=0.7|0", "a|temperature=0.7|1"]
        assert app.rate({"rater": "zed", "key": "b|temperature=0.7|1", "choice": "tie"})["rated"] == 1
    finally:
        app.close()
    (rating,) = load_ratings(out)
    assert (rating.prompt_id, rating.setting, rating.sample) == ("b", "temperature=0.7", 1)
