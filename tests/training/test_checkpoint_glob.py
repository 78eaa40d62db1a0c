"""`--adapter 'out/checkpoint-*'`: one variant per checkpoint folder, named and sorted by step."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main
from tunediff.errors import UserError
from tunediff.run import plan_run, run
from tunediff.variants import build_variants


def _checkpoints(root: Path, steps: list[int], losses: dict[int, float] | None = None) -> Path:
    """Folders as Trainer leaves them: checkpoint-N with a trainer_state.json logging every 5 steps."""
    for step in steps:
        folder = root / f"checkpoint-{step}"
        folder.mkdir(parents=True)
        history = [{"step": s, "epoch": s / 100, "loss": (losses or {}).get(s, 10.0 - s / 10)}
                   for s in range(5, step + 1, 5)]
        (folder / "trainer_state.json").write_text(json.dumps(
            {"global_step": step, "epoch": step / 100, "log_history": history}))
    return root


def test_glob_expands_to_step_variants_sorted_by_step_not_by_name(tmp_path):
    root = _checkpoints(tmp_path / "out", [100, 20, 5])
    (root / "checkpoint-7.json").write_text("{}")  # a file, not a folder: ignored
    variants = build_variants([str(root / "checkpoint-*")])
    assert [v.name for v in variants] == ["base", "step-5", "step-20", "step-100"]
    assert [v.step for v in variants] == [None, 5, 20, 100]
    assert variants[2].path == str(root / "checkpoint-20")
    assert variants[2].epoch == 0.2 and variants[2].train_loss == 8.0  # last loss logged at or before 20


def test_named_glob_prefixes_the_step_names_so_two_runs_can_sit_side_by_side(tmp_path):
    _checkpoints(tmp_path / "good", [10, 20])
    _checkpoints(tmp_path / "bad", [10])
    variants = build_variants([f"good={tmp_path}/good/checkpoint-*", f"bad={tmp_path}/bad/checkpoint-*"])
    assert [v.name for v in variants] == ["base", "good-step-10", "good-step-20", "bad-step-10"]


def test_model_glob_and_folders_without_trainer_state(tmp_path):
    for step in (3, 1):
        (tmp_path / f"ckpt{step}").mkdir()
    variants = build_variants(models=[str(tmp_path / "ckpt*")])
    assert [(v.name, v.kind, v.epoch, v.train_loss) for v in variants[1:]] == [
        ("step-1", "model", None, None), ("step-3", "model", None, None)]


@pytest.mark.parametrize("make, pattern, message", [
    (lambda p: None, "nothing-*", r"--adapter .*nothing-\*: no folder matches this pattern"),
    (lambda p: (p / "final").mkdir(), "*", r"'.*final' has no step number in its name"),
    (lambda p: [(p / n).mkdir() for n in ("a-10", "b-10")], "*-10", r"are both step 10"),
])
def test_bad_globs_are_one_line_errors(tmp_path, make, pattern, message):
    make(tmp_path)
    with pytest.raises(UserError, match=message) as err:
        build_variants([str(tmp_path / pattern)])
    assert "\n" not in str(err.value)


def test_run_json_records_step_epoch_and_loss_of_each_checkpoint(mini_suite, tmp_path):
    root = _checkpoints(tmp_path / "out", [10, 5])
    out = run(mini_suite, backend="fake", adapters=[str(root / "checkpoint-*")], out=tmp_path / "r",
              flag=False, progress=False)
    variants = json.loads((out / "run.json").read_text())["variants"]
    assert variants == [
        {"name": "base", "kind": "base", "path": None},
        {"name": "step-5", "kind": "adapter", "path": str(root / "checkpoint-5"), "step": 5, "epoch": 0.05,
         "train_loss": 9.5},
        {"name": "step-10", "kind": "adapter", "path": str(root / "checkpoint-10"), "step": 10, "epoch": 0.1,
         "train_loss": 9.0},
    ]
    # The same glob resumes the same run (same plan fingerprint).
    assert plan_run(mini_suite, backend="fake", adapters=[str(root / "checkpoint-*")]).fingerprint() == \
        json.loads((out / "run.json").read_text())["fingerprint"]


def test_cli_glob_over_real_adapter_checkpoints_with_the_hf_backend(tmp_path, mini_suite, tiny_model_dir,
                                                                   tiny_adapters):
    """The real engine loads each matched folder as its own adapter; outputs differ per checkpoint."""
    for step, name in ((200, "one"), (50, "two")):
        shutil.copytree(tiny_adapters[name], tmp_path / "out" / f"checkpoint-{step}")
    result = CliRunner().invoke(main, ["run", str(mini_suite), "--base", str(tiny_model_dir), "--adapter",
                                       str(tmp_path / "out" / "checkpoint-*"), "--out", str(tmp_path / "r"),
                                       "--max-new-tokens", "4", "--limit", "2", "-q", "--no-flags"])
    assert result.exit_code == 0, result.output
    recs = [json.loads(line) for line in (tmp_path / "r" / "generations.jsonl").read_text().splitlines()]
    by_variant = {}
    for rec in recs:
        by_variant.setdefault(rec["variant"], []).append(rec["text"])
    assert sorted(by_variant) == ["base", "step-200", "step-50"]
    assert by_variant["step-50"] != by_variant["step-200"]


def test_cli_glob_matching_nothing_is_a_one_line_error(tmp_path, mini_suite):
    result = CliRunner().invoke(main, ["run", str(mini_suite), "--adapter", str(tmp_path / "none-*")])
    assert result.exit_code == 2
    assert "no folder matches this pattern" in result.stderr and "Traceback" not in result.output
