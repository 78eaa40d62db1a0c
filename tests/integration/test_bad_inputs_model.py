"""Bad inputs that only a loaded model can judge, on a 2-layer model with a 512-token context."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TUNEDIFF = [sys.executable, "-m", "tunediff"]


def _suite(path: Path, words: int) -> Path:
    path.write_text("name: long\nprompts:\n  - {id: short, category: standard, prompt: 'Hi there'}\n"
                    f"  - {{id: long, category: edge, prompt: '{'word ' * words}'}}\n", encoding="utf-8")
    return path


def _run(tmp_path: Path, suite: Path, model: Path, adapter: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*TUNEDIFF, "run", str(suite), "--base", str(model), "--adapter", f"tuned={adapter}",
                           "--out", str(tmp_path / "out"), "--no-flags", *extra], capture_output=True, text=True)


def test_quiet_run_prints_nothing_not_even_the_libraries_progress_bars(tmp_path, tiny_model_dir, tiny_adapters):
    done = _run(tmp_path, _suite(tmp_path / "s.yaml", 3), tiny_model_dir, tiny_adapters["one"],
                "--max-new-tokens", "4", "-q")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # "Loading weights" came from transformers' own bar


def test_a_prompt_longer_than_the_context_is_refused_with_its_size_before_generating(
    tmp_path, tiny_model_dir, tiny_adapters
):
    done = _run(tmp_path, _suite(tmp_path / "s.yaml", 2000), tiny_model_dir, tiny_adapters["one"],
                "--max-new-tokens", "4", "-q")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "s.yaml:4: prompt 'long' is 2,0" in lines[0] and "context holds 512" in lines[0]
    assert not (tmp_path / "out").exists(), "nothing was generated, so no run directory is left"


def test_a_prompt_that_leaves_no_room_for_its_tokens_warns_with_counts_and_runs(
    tmp_path, tiny_model_dir, tiny_adapters
):
    done = _run(tmp_path, _suite(tmp_path / "s.yaml", 470), tiny_model_dir, tiny_adapters["one"],
                "--max-new-tokens", "64", "-q")
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and re.search(r"prompt 'long' is \d+ tokens", warnings[0]), done.stderr
    assert "max_new_tokens 64" in warnings[0] and "context of 512 tokens" in warnings[0]
    assert len((tmp_path / "out" / "generations.jsonl").read_text().splitlines()) == 4
