"""bench/flag_truth.py: the counting is right on a hand-made corpus, and it runs on the committed one."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tunediff.errors import UserError

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"


def _load_bench():
    spec = importlib.util.spec_from_file_location("flag_truth", REPO / "bench" / "flag_truth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


ft = _load_bench()


def test_score_counts_tp_fp_fn_per_flag() -> None:
    key = lambda i: ("run", i, "tuned", "default", 0)  # noqa: E731
    truth = {key("a"): {"no_stop", "next_turn"}, key("b"): set(), key("c"): {"repetition"}}
    predicted = {key("a"): {"no_stop"}, key("b"): {"next_turn", "no_stop"}, key("c"): {"repetition"}}
    counts = ft.score(truth, predicted, flags=["no_stop", "next_turn", "repetition", "empty"])
    assert vars(counts["no_stop"]) == {"tp": 1, "fp": 1, "fn": 0}
    assert vars(counts["next_turn"]) == {"tp": 0, "fp": 1, "fn": 1}
    assert vars(counts["repetition"]) == {"tp": 1, "fp": 0, "fn": 0}
    assert counts["no_stop"].precision == 0.5 and counts["no_stop"].recall == 1.0
    assert counts["empty"].precision is None and counts["empty"].recall is None


def test_score_refuses_findings_on_unlabelled_outputs() -> None:
    with pytest.raises(ValueError, match="no label line"):
        ft.score({}, {("run", "a", "base", "default", 0): {"empty"}})


def _record(pid: str, variant: str, text: str, finish: str = "eos") -> dict:
    return {"id": pid, "variant": variant, "category": "standard", "prompt": f"Say something ({pid}).",
            "text": text, "finish_reason": finish}


def _write_run(folder: Path, records: list[dict], labels: list[tuple[str, str, list[str]]]) -> None:
    folder.mkdir(parents=True)
    manifest = {"tunediff_run": 1, "variants": [{"name": "base", "kind": "base"}, {"name": "tuned", "kind": "adapter"}],
                "prompt_ids": sorted({r["id"] for r in records})}
    (folder / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "generations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (folder / "labels.jsonl").write_text(
        "".join(json.dumps({"id": i, "variant": v, "flags": f}) + "\n" for i, v, f in labels), encoding="utf-8")


def test_main_measures_a_hand_made_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two flags whose rules are facts of the record: empty text, and the token limit.
    _write_run(tmp_path / "tuning" / "r1", [
        _record("p1", "base", "A plain answer."),
        _record("p1", "tuned", ""),                                 # empty, labelled: tp
        _record("p2", "base", "Another plain answer."),
        _record("p2", "tuned", "Cut off here", finish="length"),    # no_stop, not labelled: fp
    ], [("p1", "base", []), ("p1", "tuned", ["empty"]), ("p2", "base", ["no_stop"]),  # fn: base stopped
        ("p2", "tuned", [])])
    results = ft.main(["--part", "tuning"], corpus=tmp_path)
    assert vars(results["tuning"]["empty"]) == {"tp": 1, "fp": 0, "fn": 0}
    assert vars(results["tuning"]["no_stop"]) == {"tp": 0, "fp": 1, "fn": 1}
    out = capsys.readouterr().out
    assert "no_stop" in out.splitlines()[2] and "0.00/0.00 (0/1/1)" in out


def test_labels_must_cover_every_output(tmp_path: Path) -> None:
    _write_run(tmp_path / "tuning" / "r1", [_record("p1", "base", "x"), _record("p1", "tuned", "y")],
               [("p1", "base", [])])
    with pytest.raises(SystemExit, match="unlabelled"):
        ft.main(["--part", "tuning"], corpus=tmp_path)


def test_runs_on_the_committed_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    results = ft.main([])
    assert set(results) >= {"tuning"}
    for part, counts in results.items():
        labelled = 0
        for run in ft.run_folders(CORPUS / part):
            labelled += sum(len(ft.read_labels(run)[k]) for k in ft.read_labels(run))
        # every labelled (output, flag) pair is either found or missed
        assert sum(c.tp + c.fn for c in counts.values()) == labelled, part
    assert capsys.readouterr().out.splitlines()[-1].startswith("ood_drift")


def test_without_data_leaves_the_training_file_unread(tmp_path: Path) -> None:
    # A train.jsonl that cannot be read fails the run as made with --data; --without-data
    # flags it as a run made without one, so it never opens the file.
    _write_run(tmp_path / "tuning" / "r1", [_record("p1", "base", "x"), _record("p1", "tuned", "")],
               [("p1", "base", []), ("p1", "tuned", ["empty"])])
    (tmp_path / "tuning" / "r1" / "train.jsonl").write_text("not json\n", encoding="utf-8")
    with pytest.raises(UserError, match="train.jsonl:1"):
        ft.main(["--part", "tuning"], corpus=tmp_path)
    results = ft.main(["--part", "tuning", "--without-data"], corpus=tmp_path)
    assert vars(results["tuning"]["empty"]) == {"tp": 1, "fp": 0, "fn": 0}
