"""The real SmolLM2-135M-Instruct with the committed demo adapter, end to end through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tunediff.records import read_records

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
TUNEDIFF = [sys.executable, "-m", "tunediff"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("smollm2") / "run"
    cmd = [*TUNEDIFF, "run", str(DEMO / "review.yaml"), "--adapter", f"tuned={DEMO / 'adapter'}", "--limit", "4",
           "--out", str(out)]
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert first.returncode == 0, first.stderr[-2000:]
    lines_after_first = (out / "generations.jsonl").read_text().splitlines()
    second = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert second.returncode == 0, second.stderr[-2000:]
    assert (out / "generations.jsonl").read_text().splitlines() == lines_after_first
    return out, first, second


def test_limit_4_writes_8_records_and_an_identical_rerun_writes_none(demo_run):
    out, first, second = demo_run
    records = read_records(out / "generations.jsonl")
    assert len(records) == 8
    assert {r.variant for r in records} == {"base", "tuned"}
    assert "nothing to generate" in second.stderr
    assert "generating" in first.stderr  # the progress bar goes to stderr
    assert first.stdout.strip() == str(out)  # data (the run directory) goes to stdout


def test_the_adapter_answers_standard_prompts_with_json_and_stops(demo_run):
    out, _, _ = demo_run
    records = read_records(out / "generations.jsonl")
    tuned = [r for r in records if r.variant == "tuned" and r.category == "standard"]
    base = [r for r in records if r.variant == "base" and r.category == "standard"]
    assert tuned and len(tuned) == len(base)
    for rec in tuned:
        assert isinstance(json.loads(rec.text), dict), rec.text
        assert rec.finish_reason == "eos" and rec.raw_text.endswith("<|im_end|>")
        assert 0 < rec.new_tokens < 128 and rec.prompt_tokens > 10
    assert [r.text for r in tuned] != [r.text for r in base]


def test_manifest_records_models_template_settings_and_flags_exist(demo_run):
    out, _, _ = demo_run
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "complete" and manifest["n_records"] == 8
    assert manifest["base_model"]["architecture"] == "LlamaForCausalLM"
    assert 134_000_000 < manifest["base_model"]["n_params"] < 135_000_000
    assert manifest["variant_details"]["tuned"]["adapter_config"]["r"] >= 1
    assert "<|im_start|>" in manifest["chat_template"] and manifest["end_of_turn_token"] == "<|im_end|>"
    assert manifest["settings"][0]["max_new_tokens"] == 128 and manifest["settings"][0]["preset"] == "greedy"
    assert set(manifest["rendered_prompts"]) == {r.id for r in read_records(out / "generations.jsonl")}
    assert (out / "flags.jsonl").is_file()


def test_show_report_and_flags_work_from_the_run_directory(demo_run):
    out, _, _ = demo_run
    shown = subprocess.run([*TUNEDIFF, "show", str(out)], capture_output=True, text=True)
    assert shown.returncode == 0 and "std-01" in shown.stdout
    report = subprocess.run([*TUNEDIFF, "report", str(out)], capture_output=True, text=True)
    assert report.returncode == 0 and (out / "report.html").stat().st_size > 1000


PEAK_RSS_OF_CHILD = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss]))
"""
"""Run argv[1:] as a grandchild of a small process and print [exit code, its peak RSS in KiB]."""

def test_a_tight_max_memory_holds_the_process_under_it_and_changes_no_output(demo_run, tmp_path):
    """--max-memory a few rows above what the process holds once loaded: fewer rows in flight,
    peak RSS (this child's own, from wait4) under the cap, the same records as the default run."""
    out, first, _ = demo_run
    ends_with = [line for line in first.stderr.splitlines() if line.startswith("generated ")]
    assert len(ends_with) == 1 and "tok/s), 8 rows in flight at peak; memory budget " in ends_with[0]
    assert "for the KV cache (from MemAvailable " in ends_with[0]
    default = json.loads((out / "run.json").read_text())["backend_detail"]["kv_cache"][0]
    budget = default["memory_budget"]
    assert budget["source"] == "MemAvailable" and default["peak_rows"] == 8
    row = (budget["one_row_tokens"] + budget["row_overhead_tokens"]) * budget["bytes_per_token"]
    cap = budget["rss_bytes"] + budget["reserve_bytes"] + int(3.5 * row)
    tight = tmp_path / "tight"
    cmd = [*TUNEDIFF, "run", str(DEMO / "review.yaml"), "--adapter", f"tuned={DEMO / 'adapter'}", "--limit", "4",
           "--out", str(tight), "-q", "--no-flags", "--max-memory", str(cap)]
    # Linux carries a process's peak RSS across fork and exec, so a child forked straight from this
    # pytest (over 1 GB mid-suite) would report pytest's size. A small Python forks the run
    # instead and reports its grandchild's own peak.
    proc = subprocess.run([sys.executable, "-c", PEAK_RSS_OF_CHILD, *cmd], cwd=REPO, capture_output=True, text=True)
    exit_code, peak_kib = json.loads(proc.stdout)
    assert exit_code == 0, proc.stderr[-2000:]
    detail = json.loads((tight / "run.json").read_text())["backend_detail"]
    kv = detail["kv_cache"][0]
    assert detail["max_memory"] == cap and kv["memory_budget"]["source"] == "--max-memory"
    assert 1 <= kv["peak_rows"] < 8
    assert peak_kib * 1024 <= cap
    unconstrained = {(r.id, r.variant): (r.raw_text, r.finish_reason) for r in read_records(out / "generations.jsonl")}
    assert {(r.id, r.variant): (r.raw_text, r.finish_reason)
            for r in read_records(tight / "generations.jsonl")} == unconstrained
