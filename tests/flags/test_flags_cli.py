"""`tunediff flag` on foreign JSONL, `tunediff flags RUN`, thresholds, the run-dir writer and `show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main
from tunediff.errors import UserError
from tunediff.flags import flag_records, flag_run_dir
from tunediff.flags.thresholds import DEFAULTS, Thresholds, resolve
from tunediff.records import GenerationRecord
from tunediff.run import execute, plan_run

LOOP = "I like cats. " * 30


def write_jsonl(path: Path, rows: list[dict]) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = [
    {"id": "q1", "variant": "base", "text": "Tokyo.", "category": "ood", "finish_reason": "eos"},
    {"id": "q1", "variant": "tuned", "text": LOOP, "category": "ood", "finish_reason": "length"},
    {"id": "q2", "variant": "base", "text": '{"a": 1}', "category": "standard", "expect": {"format": "json"}},
    {"id": "q2", "variant": "tuned", "text": "no json here", "category": "standard", "expect": {"format": "json"}},
    {"id": "q3", "variant": "base", "text": "Lima.", "category": "ood", "finish_reason": "eos"},
    {"id": "q3", "variant": "tuned", "text": "Lima. " + " ".join(f"fact{i}" for i in range(80)), "category": "ood",
     "finish_reason": "eos"},
]


def test_flag_writes_findings_to_stdout_and_a_summary_to_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["flag", str(write_jsonl(tmp_path / "in.jsonl", ROWS))])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    # q1's length is a loop: repetition's, not a ramble (tests/corpus/README.md); q3 rambles
    assert {(f["id"], f["flag"]) for f in lines} == {("q1", "no_stop"), ("q1", "repetition"), ("q3", "ramble"),
                                                      ("q2", "format")}
    assert all({"id", "variant", "sample", "flag", "severity", "message", "evidence"} <= set(f) for f in lines)
    assert "repetition" in result.stderr and "standard" in result.stderr and "4 findings" in result.stderr


def test_flag_out_file_and_base_variant(tmp_path: Path) -> None:
    rows = [dict(r, variant="llama" if r["variant"] == "base" else "ft") for r in ROWS]
    out = tmp_path / "findings.jsonl"
    result = CliRunner().invoke(main, ["flag", str(write_jsonl(tmp_path / "in.jsonl", rows)), "--out", str(out),
                                       "--base-variant", "llama"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    flags = {json.loads(x)["flag"] for x in out.read_text().splitlines()}
    assert "ramble" in flags  # compared with the named base


def test_missing_optional_fields_only_switch_off_their_flags(tmp_path: Path) -> None:
    rows = [{"id": "q1", "variant": "tuned", "text": LOOP}]
    result = CliRunner().invoke(main, ["flag", str(write_jsonl(tmp_path / "in.jsonl", rows))])
    flags = {json.loads(x)["flag"] for x in result.stdout.splitlines()}
    assert flags == {"repetition"}  # no finish_reason: no no_stop; no base: no ramble


@pytest.mark.parametrize("content, fragment", [
    ('{"id": "1", "variant": "b", "text": "x"}\n{not json\n', ":2: not valid JSON"),
    ('{"id": "1", "variant": "b"}\n', ":1: missing required field 'text'"),
    ('{"id": "1", "text": "x"}\n', ":1: missing required field 'variant'"),
    ('{"id": "1", "variant": "b", "text": 5}\n', ":1: field 'text'"),
    ('{"id": "1", "variant": "b", "text": "x", "finish_reason": "done"}\n', ":1: field 'finish_reason'"),
    ('{"id": "1", "variant": "b", "text": "x", "sample": "first"}\n', ":1: field 'sample'"),
    ('\n\n{"id": "1", "variant": "b", "text": "x", "expect": []}\n', ":3: field 'expect'"),
    ('[1, 2]\n', ":1: expected a JSON object"),
    ('{"id": "1", "variant": "b", "text": "x"}\n{"id": "1", "variant": "b", "text": "y"}\n', ":2: duplicate record"),
    ("", "no records (the file is empty)"),
    ("\n  \n", "no records (the file is empty)"),
])
def test_bad_input_is_one_line_with_the_line_number(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["flag", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_thresholds_from_flags_and_config(tmp_path: Path) -> None:
    config = tmp_path / "flags.yaml"
    config.write_text("thresholds:\n  repetition: {seq_rep_4: 0.7}\n  ramble.length_ratio: 5\n")
    limits = resolve(config, ["repetition.seq_rep_4=0.4"])
    assert limits["repetition.seq_rep_4"] == 0.4 and limits["ramble.length_ratio"] == 5
    assert limits.changed() == {"repetition.seq_rep_4": 0.4, "ramble.length_ratio": 5}
    assert Thresholds()["repetition.dup_line_frac"] == DEFAULTS["repetition.dup_line_frac"].default == 0.30


@pytest.mark.parametrize("specs, config, fragment", [
    (["nope.x=1"], None, "unknown threshold 'nope.x'"),
    (["repetition.seq_rep_4=high"], None, "must be a number"),
    (["repetition.seq_rep_4"], None, "expected KEY=VALUE"),
    ([], "thresholds: [1, 2]\n", "must be a mapping"),
    ([], "other: 1\n", "single key `thresholds:`"),
])
def test_bad_thresholds(tmp_path: Path, specs: list[str], config: str | None, fragment: str) -> None:
    path = None
    if config is not None:
        path = tmp_path / "flags.yaml"
        path.write_text(config)
    with pytest.raises(UserError, match=fragment.replace("[", r"\[")):
        resolve(path, specs)


def test_cli_threshold_changes_findings(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", ROWS)
    result = CliRunner().invoke(main, ["flag", str(path), "--threshold", "repetition.tail_repeats=100",
                                       "--threshold", "repetition.stutter_repeats=100",
                                       "--threshold", "repetition.seq_rep_4=0.99",
                                       "--threshold", "repetition.degenerate_diversity=0",
                                       "--threshold", "repetition.compress_ratio=0"])
    assert "repetition" not in {json.loads(x)["flag"] for x in result.stdout.splitlines()}
    bad = CliRunner().invoke(main, ["flag", str(path), "--threshold", "x=1"])
    assert bad.exit_code == 2 and "unknown threshold" in bad.stderr


@pytest.fixture()
def fake_run(tmp_path: Path) -> Path:
    suite = tmp_path / "review.yaml"
    prompts = [{"id": f"s{i}", "category": "standard", "prompt": f"Extract order {i}", "expect": {"format": "json"}}
               for i in range(4)] + [{"id": f"o{i}", "category": "ood", "prompt": f"Question {i}?"} for i in range(3)]
    suite.write_text(json.dumps({"name": "t", "prompts": prompts}))
    replies = {(f"s{i}", "tuned"): (f'{{"order_id": {i}}}\n<|im_start|>user\nmore', "length") for i in range(4)}
    replies.update({(f"s{i}", "base"): f"Order {i} is here." for i in range(4)})
    plan = plan_run(suite, adapters=["tuned=/nonexistent"], backend="fake")
    return execute(plan, tmp_path / "run", backend_options={"replies": replies}, progress=False)


def test_run_writes_flags_jsonl_and_flags_command_summarises(fake_run: Path) -> None:
    lines = (fake_run / "flags.jsonl").read_text().splitlines()
    assert {json.loads(x)["flag"] for x in lines} >= {"no_stop", "next_turn", "format"}
    result = CliRunner().invoke(main, ["flags", str(fake_run), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    tuned_std = next(r for r in data["rows"] if r["category"] == "standard" and r["variant"] == "tuned")
    assert tuned_std["rates"]["next_turn"] == 1.0 and tuned_std["outputs"] == 4
    assert data["variants"][0] == "base" and data["diagnosis"] == []
    table = CliRunner().invoke(main, ["flags", str(fake_run)])
    assert table.exit_code == 0 and "next_turn" in table.stdout and "4 (100%)" in table.stdout


def test_flags_command_recomputes_when_missing_or_asked(fake_run: Path) -> None:
    (fake_run / "flags.jsonl").unlink()
    result = CliRunner().invoke(main, ["flags", str(fake_run)])
    assert result.exit_code == 0 and (fake_run / "flags.jsonl").is_file()
    result = CliRunner().invoke(main, ["flags", str(fake_run), "--threshold", "ramble.length_ratio=2"])
    assert result.exit_code == 0 and "wrote" in result.stderr
    assert CliRunner().invoke(main, ["flags", str(fake_run / "nope")]).exit_code == 2


def test_show_prints_the_summary(fake_run: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(fake_run)])
    assert result.exit_code == 0, result.output
    assert "outputs flagged / outputs" in result.stdout and "next_turn" in result.stdout


def test_flag_run_dir_matches_the_library_api(fake_run: Path) -> None:
    from tunediff.rundir import RunDir

    written = flag_run_dir(fake_run)
    assert written == flag_records(RunDir.open(fake_run).records)
    assert not list(fake_run.glob(".flags.jsonl.*"))  # the atomic write left no temporary file


def test_flag_records_on_plain_records_has_no_side_effects() -> None:
    records = [GenerationRecord(id="a", variant="base", text="fine"), GenerationRecord(id="a", variant="t", text="")]
    assert [f.flag for f in flag_records(records)] == ["empty"]
