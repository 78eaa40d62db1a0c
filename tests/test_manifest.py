"""run.json through the typed Manifest: old run directories open, newer keys survive, bad files are one line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main
from tunediff.errors import UserError
from tunediff.flags import flag_run_dir
from tunediff.manifest import FORMAT, Manifest
from tunediff.run import execute, plan_run
from tunediff.rundir import RunDir
from tunediff.views.report import build_report

OLD = Path(__file__).resolve().parent / "fixtures" / "runs"


@pytest.fixture(params=["v1-hf", "v1-openai", "v1-fake"])
def old_run(request, tmp_path) -> Path:
    """A copy of a run directory written before the Manifest existed."""
    return Path(shutil.copytree(OLD / request.param, tmp_path / request.param))


def test_old_run_directories_open_and_read_the_same(old_run):
    raw = json.loads((old_run / "run.json").read_text(encoding="utf-8"))
    m = RunDir.open(old_run).manifest
    assert m.status == raw["status"] and m.fingerprint == raw["fingerprint"]
    assert m.variant_names == [v["name"] for v in raw["variants"]]
    assert [s.model_dump() for s in m.settings] == raw["settings"]
    assert m.prompt_ids == raw["prompt_ids"] and m.suite.n_prompts == raw["suite"]["n_prompts"]
    assert m.eos_token_ids == raw["eos_token_ids"] and m.chat_template == raw["chat_template"]
    assert m.rendered_prompts == raw["rendered_prompts"]
    base = raw["base_model"]
    assert m.base_model is not None and m.base_model.spec == (base if isinstance(base, str) else base["spec"])


def test_old_run_directories_render_and_flag(old_run):
    """The views and flags read the old run.json through the Manifest without complaint."""
    html = build_report(RunDir.open(old_run))
    assert RunDir.open(old_run).manifest.suite.name in html
    flag_run_dir(old_run)
    assert (old_run / "flags.jsonl").is_file()
    result = CliRunner().invoke(main, ["show", str(old_run)])
    assert result.exit_code == 0, result.output


def test_the_hf_facts_of_an_old_run_are_typed():
    m = Manifest.read(OLD / "v1-hf" / "run.json")
    assert m.backend_detail is not None and m.backend_detail.batch_size == "auto"
    assert m.backend_detail.kv_cache[0].token_budget == 3269
    assert m.base_model is not None and m.base_model.n_params == 134515008
    assert m.variant("good") is not None and m.variant("good").kind == "adapter"
    assert m.end_of_turn_token == "<|im_end|>"


def test_resuming_an_old_run_keeps_its_facts_and_adds_the_new_ones(tmp_path):
    run = Path(shutil.copytree(OLD / "v1-fake", tmp_path / "run"))
    raw = json.loads((run / "run.json").read_text(encoding="utf-8"))
    raw["written_by_a_newer_tunediff"] = {"kept": True}
    (run / "run.json").write_text(json.dumps(raw), encoding="utf-8")
    plan = plan_run(_suite_of(run), adapters=["tuned=./lora"], backend="fake", sweep=["temperature=0.5,0.9"], seed=3)
    assert plan.fingerprint() == raw["fingerprint"], "the old run's plan resumes"
    execute(plan, run, progress=False, flag=False)
    again = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert again["written_by_a_newer_tunediff"] == {"kept": True}
    assert again["timings"]["started"] == raw["timings"]["started"] and again["timings"]["resumed"]
    assert again["settings"] == raw["settings"] and again["status"] == "complete"


def _suite_of(run: Path):
    """The review set the v1-fake fixture was made from (two prompts built in code)."""
    from tunediff.suite import Prompt, Suite

    return Suite("v1 fake", tuple(Prompt(f"p{i}", "standard", ({"role": "user", "content": f"question {i}"},))
                                  for i in range(2)))


def test_a_newer_format_says_to_upgrade(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({"tunediff_run": FORMAT + 1}), encoding="utf-8")
    with pytest.raises(UserError) as err:
        Manifest.read(tmp_path / "run.json")
    assert "tunediff_run" in str(err.value) and "pip install -U tunediff" in str(err.value)
    assert "\n" not in str(err.value)


def test_a_bad_field_names_the_field_and_what_to_do(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({"variants": [{"name": "base", "kind": "teacher"}]}),
                                       encoding="utf-8")
    with pytest.raises(UserError) as err:
        Manifest.read(tmp_path / "run.json")
    message = str(err.value)
    assert "run.json: field 'variants.0.kind'" in message and "--out" in message and "\n" not in message


def test_through_the_cli_a_bad_run_json_is_exit_2_without_traceback(tmp_path):
    run = Path(shutil.copytree(OLD / "v1-fake", tmp_path / "run"))
    (run / "run.json").write_text(json.dumps({"prompt_ids": "p0"}), encoding="utf-8")
    result = CliRunner().invoke(main, ["show", str(run)])
    assert result.exit_code == 2 and "field 'prompt_ids'" in result.output and "Traceback" not in result.output


def test_written_and_read_back_equal(tmp_path):
    m = Manifest.read(OLD / "v1-openai" / "run.json")
    m.write(tmp_path / "run.json")
    assert Manifest.read(tmp_path / "run.json") == m
