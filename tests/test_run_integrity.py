"""One writer per run directory, one plan per run directory, and --limit never shrinks a run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tunediff.errors import UserError
from tunediff.records import read_records
from tunediff.run import run
from tunediff.rundir import RunDir

sys.path.insert(0, str(Path(__file__).parent / "backends"))
from _fake_openai import FakeOpenAI  # noqa: E402

TUNEDIFF = [sys.executable, "-m", "tunediff"]


def fake_run(suite: Path, **kwargs):
    return run(suite, backend="fake", adapters=["tuned=x"], flag=False, progress=False, **kwargs)


def _suite(path: Path, n: int, word: str = "Prompt") -> Path:
    prompts = "".join(f"  - {{id: p{i:02d}, category: standard, prompt: '{word} number {i}'}}\n" for i in range(n))
    path.write_text(f"name: lock\nprompts:\n{prompts}", encoding="utf-8")
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_second_writer_is_refused_in_one_line_naming_the_holder(tmp_path):
    suite = _suite(tmp_path / "s.yaml", 3)
    out = fake_run(suite, out=tmp_path / "r")
    before = _snapshot(out)
    with RunDir(out).writer_lock():
        with pytest.raises(UserError) as err:
            fake_run(suite, out=out)
    message = str(err.value)
    assert f"pid {os.getpid()}" in message and "\n" not in message and "another --out" in message
    assert _snapshot(out) == before
    fake_run(suite, out=out)  # released with the holder


def test_another_review_set_in_the_same_folder_is_refused_and_nothing_changes(tmp_path):
    out = fake_run(_suite(tmp_path / "a.yaml", 3), out=tmp_path / "r")
    before = _snapshot(out)
    other = _suite(tmp_path / "b.yaml", 3, word="Another")  # same ids and settings, other prompts
    with pytest.raises(UserError, match="another review set") as err:
        fake_run(other, out=out)
    assert str(other) in str(err.value)
    assert _snapshot(out) == before


def test_limit_narrows_what_is_generated_now_not_what_the_run_holds(tmp_path):
    suite = _suite(tmp_path / "s.yaml", 5)
    out = fake_run(suite, out=tmp_path / "r", limit=2)
    manifest = RunDir(out).manifest
    assert manifest.prompt_ids == ["p00", "p01"] and manifest.status == "complete"
    assert manifest.suite.n_prompts == 5
    fake_run(suite, out=out)
    whole = RunDir(out).manifest
    assert whole.prompt_ids == [f"p{i:02d}" for i in range(5)] and whole.n_records == 10
    fake_run(suite, out=out, limit=2)
    again = RunDir(out).manifest
    assert again.prompt_ids == whole.prompt_ids and again.n_records == 10
    assert again.status == "complete" and set(again.rendered_prompts) == set(whole.prompt_ids)
    assert len(read_records(out / "generations.jsonl")) == 10


def test_a_limited_rerun_of_an_unfinished_run_leaves_it_partial(tmp_path):
    suite = _suite(tmp_path / "s.yaml", 4)
    out = tmp_path / "r"
    with pytest.raises(UserError):
        fake_run(suite, out=out, backend_options={"batch_size": 2, "fail_after": 4})
    fake_run(suite, out=out, limit=1)
    manifest = RunDir(out).manifest
    assert manifest.status == "partial" and len(manifest.prompt_ids) == 4


class GatedOpenAI(FakeOpenAI):
    """Answers no completion until the test opens the gate, so a run holds its lock as long as needed."""

    gate = threading.Event()

    def answer(self, body, chat):  # type: ignore[no-untyped-def]
        self.gate.wait(timeout=120)
        return super().answer(body, chat)


def test_two_real_runs_started_together_one_refuses_the_other_writes_every_record_once(tmp_path):
    suite = _suite(tmp_path / "s.yaml", 6)
    server = GatedOpenAI().start()
    out = tmp_path / "together"
    args = [*TUNEDIFF, "run", str(suite), "--endpoint", server.url, "--variant", "base=base",
            "--variant", "tuned=tuned", "--out", str(out), "--no-flags", "-q", "--concurrency", "2"]
    try:
        procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        # The gate holds the winner inside its run; the loser must give up on its own meanwhile.
        finished = _first_to_exit(procs)
        loser, winner = procs[finished], procs[1 - finished]
        err = loser.stderr.read()
        assert loser.returncode == 2, err
        assert err.count("\n") == 1 and "Traceback" not in err and f"pid {winner.pid}" in err
        server.gate.set()
        assert winner.wait(timeout=120) == 0, winner.stderr.read()
    finally:
        server.gate.set()
        for p in procs:
            p.kill() if p.poll() is None else None
        server.stop()
    lines = (out / "generations.jsonl").read_text().splitlines()
    keys = [tuple(json.loads(x)[k] for k in ("id", "variant")) for x in lines]
    assert len(keys) == len(set(keys)) == 12
    assert RunDir(out).manifest.status == "complete"


def _first_to_exit(procs: list[subprocess.Popen]) -> int:
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for i, p in enumerate(procs):
            if p.poll() is not None:
                return i
        time.sleep(0.02)
    raise AssertionError("neither run exited while the other held the run directory")
