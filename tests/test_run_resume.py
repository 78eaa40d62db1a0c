"""The run loop: records appended per batch, resume after a kill, plan mismatches refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tunediff.errors import UserError
from tunediff.records import read_records
from tunediff.run import execute, plan_run, run

TUNEDIFF = [sys.executable, "-m", "tunediff"]


def fake_run(suite: Path, **kwargs):
    """A run with the scripted fake backend, no flags and no progress bar."""
    return run(suite, backend="fake", adapters=["tuned=x"], flag=False, progress=False, **kwargs)


def _texts(run_dir: Path) -> dict:
    return {r.key: r.text for r in read_records(run_dir / "generations.jsonl")}


def test_fake_run_writes_one_record_per_prompt_and_variant_and_resumes(mini_suite, tmp_path):
    out = fake_run(mini_suite, out=tmp_path / "r")
    lines = (out / "generations.jsonl").read_text().splitlines()
    assert len(lines) == 8
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "complete" and manifest["n_records"] == 8
    assert [v["name"] for v in manifest["variants"]] == ["base", "tuned"]
    fake_run(mini_suite, out=out)
    assert len((out / "generations.jsonl").read_text().splitlines()) == 8


def test_failure_mid_run_keeps_finished_batches_and_rerun_completes(mini_suite, tmp_path):
    out = tmp_path / "r"
    with pytest.raises(UserError):
        fake_run(mini_suite, out=out, backend_options={"batch_size": 2, "fail_after": 5})
    assert len(read_records(out / "generations.jsonl")) == 4  # two whole batches of two
    fake_run(mini_suite, out=out)
    recs = read_records(out / "generations.jsonl")
    assert len(recs) == 8 and len((out / "generations.jsonl").read_text().splitlines()) == 8


def test_a_torn_last_line_is_dropped_and_regenerated(mini_suite, tmp_path):
    out = fake_run(mini_suite, out=tmp_path / "r")
    path = out / "generations.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]) + lines[-1][:20])  # the last write was cut by a kill
    fake_run(mini_suite, out=out)
    assert len(path.read_text().splitlines()) == 8
    assert len(read_records(path)) == 8


def test_other_settings_in_the_same_folder_are_refused(mini_suite, tmp_path):
    out = fake_run(mini_suite, out=tmp_path / "r")
    with pytest.raises(UserError, match="other variants or settings"):
        fake_run(mini_suite, out=out, temperature=0.7)


def test_limit_and_sweep_and_samples(mini_suite, tmp_path):
    plan = plan_run(mini_suite, backend="fake", adapters=["tuned=x"], limit=2, sweep=["temperature=0.5,1.0"], samples=2)
    assert [p.id for p in plan.points] == ["temperature=0.5", "temperature=1"]
    out = execute(plan, tmp_path / "r", progress=False, flag=False)
    recs = read_records(out / "generations.jsonl")
    assert len(recs) == 2 * 2 * 2 * 2  # prompts x settings x samples x variants
    seeds = {(r.id, r.setting, r.sample): set() for r in recs}
    for r in recs:
        seeds[(r.id, r.setting, r.sample)].add(r.seed)
    assert all(len(s) == 1 for s in seeds.values()), "variants share one seed per output"
    assert len({next(iter(s)) for s in seeds.values()}) == len(seeds), "outputs get distinct seeds"


def test_default_out_resumes_the_unfinished_run_of_the_same_plan(mini_suite, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError):
        fake_run(mini_suite, backend_options={"batch_size": 2, "fail_after": 3})
    first = sorted(Path("runs").iterdir())
    out = fake_run(mini_suite)
    assert sorted(Path("runs").iterdir()) == first and out == first[0]


@pytest.mark.slow
def test_sigkill_halfway_then_rerun_gives_every_record_once_with_the_same_texts(
    tmp_path, tiny_model_dir, tiny_adapters
):
    suite = tmp_path / "review.yaml"
    prompts = "".join(f"  - {{id: p{i:02d}, category: standard, prompt: 'Prompt number {i} ' }}\n" for i in range(12))
    suite.write_text("name: kill\ndefaults: {max_new_tokens: 48}\nprompts:\n" + prompts)
    args = [
        str(suite),
        "--base",
        str(tiny_model_dir),
        "--adapter",
        f"tuned={tiny_adapters['one']}",
        "--batch-size",
        "2",
        "--no-flags",
        "-q",
    ]
    reference = tmp_path / "whole"
    subprocess.run([*TUNEDIFF, "run", *args, "--out", str(reference)], check=True, capture_output=True)

    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [*TUNEDIFF, "run", *args, "--out", str(killed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    gen = killed / "generations.jsonl"
    deadline = time.time() + 300
    while time.time() < deadline:
        if gen.is_file() and len(gen.read_text().splitlines()) >= 6:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(gen.read_text().splitlines())
    assert 6 <= partial < 24, f"kill came too late to test resuming ({partial} records)"
    subprocess.run([*TUNEDIFF, "run", *args, "--out", str(killed)], check=True, capture_output=True)
    lines = gen.read_text().splitlines()
    keys = [tuple(json.loads(x)[k] for k in ("id", "variant", "setting", "sample")) for x in lines]
    assert len(keys) == len(set(keys)) == 24
    assert _texts(killed) == _texts(reference)


def test_run_files_are_readable_by_others_like_any_file(mini_suite, tmp_path):
    import stat

    old = os.umask(0o022)
    try:
        out = run(mini_suite, backend="fake", adapters=["tuned=x"], out=tmp_path / "r", progress=False)
        from tunediff.views.report import write_report

        write_report(out)
    finally:
        os.umask(old)
    for name in ("run.json", "generations.jsonl", "flags.jsonl", "report.html"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name
