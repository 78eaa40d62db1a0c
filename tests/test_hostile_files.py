"""Hostile content that is not an error: terminal escapes in model text, torn tails, BOMs, odd paths."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from tunediff.cli import main
from tunediff.records import read_records
from tunediff.run import run
from tunediff.views.terminal import visible

sys.path.insert(0, str(Path(__file__).parent / "backends"))
from _fake_openai import FakeOpenAI  # noqa: E402

# Colour, a window-title change (OSC 0, ended by BEL), clear screen, a C1 CSI, a carriage
# return that would overwrite the line, backspaces, and DEL.
ESCAPES = "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x1b[2J \x9b1;1H \rover\x08\x08 \x7f"


def _suite(path: Path, n: int = 3) -> Path:
    prompts = "".join(f"  - {{id: p{i}, category: standard, prompt: 'Question {i}'}}\n" for i in range(n))
    path.write_text(f"name: hostile\nprompts:\n{prompts}", encoding="utf-8")
    return path


def fake_run(suite: Path, out: Path, replies=None) -> Path:
    return run(suite, backend="fake", adapters=["tuned=x"], out=out, progress=False,
               backend_options={"replies": replies or {}})


def test_show_lets_no_control_character_of_model_text_reach_the_terminal(tmp_path):
    out = fake_run(_suite(tmp_path / "s.yaml"), tmp_path / "r", {("p0", "tuned"): ESCAPES + "\nnext\tline"})
    result = CliRunner().invoke(main, ["show", str(out), "-i", "p0", "--width", "5000"])
    assert result.exit_code == 0, result.stderr
    shown = result.stdout
    assert not any(ch in shown for ch in "\x1b\x07\x9b\r\x08\x7f"), repr(shown)
    assert "␛[31mRED" in shown and "␛]0;pwned␇" in shown  # visible, so a reader sees the attempt
    assert "next" in shown and "line" in shown  # newline and tab still lay text out


def test_visible_keeps_length_so_finding_spans_still_line_up():
    text = "a\x1bb\nc\td\x9be\x00"
    assert len(visible(text)) == len(text)
    assert visible(text) == "a␛b\nc\td\ufffde␀"


def test_an_undecodable_last_line_is_a_torn_write_views_skip_it_and_resume_redoes_it(tmp_path):
    suite = _suite(tmp_path / "s.yaml")
    out = fake_run(suite, tmp_path / "r")
    path = out / "generations.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]) + lines[-1][:-12] + b"\xe2\x82\n")  # a kill cut a character in half
    result = CliRunner().invoke(main, ["show", str(out)])
    assert result.exit_code == 0 and "Traceback" not in result.stderr, result.stderr
    assert len(read_records(path)) == 5
    fake_run(suite, out)
    assert len(path.read_bytes().splitlines()) == 6 and len(read_records(path)) == 6


def test_a_byte_order_mark_is_accepted_in_a_jsonl_review_set_and_an_input_file(tmp_path):
    review = tmp_path / "set.jsonl"
    review.write_bytes(b'\xef\xbb\xbf{"id": "a", "category": "edge", "prompt": "hi"}\n')
    assert CliRunner().invoke(main, ["suite", "check", str(review)]).exit_code == 0
    outputs = tmp_path / "outputs.jsonl"
    outputs.write_bytes(b'\xef\xbb\xbf{"id": "a", "variant": "base", "text": "hello"}\n')
    result = CliRunner().invoke(main, ["flag", str(outputs)])
    assert result.exit_code == 0, result.stderr


def test_paths_with_spaces_and_unicode_and_a_limit_past_the_end_work(tmp_path):
    folder = tmp_path / "ä set — ü"
    folder.mkdir()
    out = fake_run(_suite(folder / "rëview set.yaml"), folder / "rün dir")
    result = CliRunner().invoke(main, ["report", str(out)])
    assert result.exit_code == 0, result.stderr
    again = run(folder / "rëview set.yaml", backend="fake", adapters=["tuned=x"], out=out, progress=False,
                limit=10**12)
    assert again == out and len(read_records(out / "generations.jsonl")) == 6


def test_ctrl_c_during_a_resume_keeps_every_record_once(tmp_path):
    suite = _suite(tmp_path / "s.yaml", n=30)
    server = FakeOpenAI(delay=0.2).start()  # slow enough that SIGINT lands mid-run on a loaded machine
    out = tmp_path / "r"
    args = [sys.executable, "-m", "tunediff", "run", str(suite), "--endpoint", server.url, "--variant", "base=base",
            "--variant", "tuned=tuned", "--out", str(out), "--no-flags", "-q", "--concurrency", "1"]
    gen = out / "generations.jsonl"
    try:
        for stop_at in (5, 20):  # a first run, then a resume, each interrupted
            # SIGINT at its default in the child: a shell running the tests in the background
            # (no job control) ignores it, and Python would inherit that and never be interrupted.
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
            deadline = time.monotonic() + 120
            while not (gen.is_file() and len(gen.read_bytes().splitlines()) >= stop_at):
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
                time.sleep(0.01)
            os.kill(proc.pid, signal.SIGINT)
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 130 and "Traceback" not in err, err
            assert err.strip().splitlines() == ["interrupted; finished records are kept, rerun the same command "
                                                "to resume"]
        assert subprocess.run(args, capture_output=True).returncode == 0
    finally:
        server.stop()
    keys = [(r["id"], r["variant"]) for r in map(json.loads, gen.read_text().splitlines())]
    assert len(keys) == len(set(keys)) == 60


def test_markup_and_escapes_in_ids_settings_and_references_print_as_text(tmp_path):
    suite = tmp_path / "s.yaml"
    suite.write_text("name: markup\nprompts:\n  - {id: q1, category: standard, prompt: 'Say it', reference: 'x[/x]'}\n",
                     encoding="utf-8")
    out = run(suite, backend="fake", adapters=["tuned=x"], out=tmp_path / "r", progress=False,
              sweep=["temperature=0.5,1.0"],
              backend_options={"replies": {("q1", "base"): "x[/x]", ("q1", "tuned"): "no"}})
    result = CliRunner().invoke(main, ["show", str(out)])
    assert result.exit_code == 0 and result.exception is None, result.stderr
    forgotten = [line for line in result.stdout.splitlines() if line.startswith("forgotten q1")]
    assert forgotten and all("[temperature=" in line and "x[/x]" in line for line in forgotten), result.stdout


def test_flag_prints_other_tools_variant_names_and_ids_as_text(tmp_path):
    path = tmp_path / "[bold]outputs.jsonl"
    rows = [{"id": "a", "variant": "base", "text": "x"}, {"id": "a", "variant": "[/x]", "text": "\x1b]0;t\x07y"},
            {"id": "[/y]", "variant": "base", "text": "x"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["flag", str(path)])
    assert result.exit_code == 0 and result.exception is None, result.stderr
    assert "[/x]" in result.stderr and "[bold]outputs.jsonl" in result.stderr  # the summary table goes to stderr
