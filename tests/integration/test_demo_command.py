"""`tunediff demo` end to end on the real model (a few prompts, to keep CI short)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_demo_writes_run_report_and_says_what_to_run_next(tmp_path):
    out = tmp_path / "demo"
    proc = subprocess.run([sys.executable, "-m", "tunediff", "demo", "--limit", "3", "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == str(out)
    assert (out / "report.html").is_file() and (out / "flags.jsonl").is_file()
    assert len((out / "generations.jsonl").read_text().splitlines()) == 6
    assert f"tunediff review {out}" in proc.stderr and "report.html" in proc.stderr
    assert "base" in proc.stderr and "tuned" in proc.stderr  # the flag summary table
