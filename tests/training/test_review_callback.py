"""ReviewCallback: checkpoint outputs into one run directory, training unchanged, resumable, bad input refused."""

from __future__ import annotations

import json
import random
from collections import Counter

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from tiny_training import losses, tiny_trainer

from tunediff.cli import main
from tunediff.errors import UserError
from tunediff.in_memory import generation_mode
from tunediff.integrations.transformers import ReviewCallback
from tunediff.records import read_records


def _lines(run_dir) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "generations.jsonl").read_text().splitlines()]


def test_losses_are_identical_at_every_step_with_and_without_the_callback(tiny_model_dir, tiny_tokenizer, mini_suite,
                                                                        tmp_path):
    plain = tiny_trainer(tiny_model_dir, tmp_path / "plain", activation_checkpointing=True)
    plain.train()
    review = ReviewCallback(mini_suite, out=tmp_path / "run", max_new_tokens=6, tokenizer=tiny_tokenizer)
    reviewed = tiny_trainer(tiny_model_dir, tmp_path / "reviewed", callbacks=[review], activation_checkpointing=True)
    reviewed.train()
    assert len(losses(plain)) == 6
    assert losses(reviewed) == losses(plain)  # exact: same RNG draws, same weights, same modes
    assert reviewed.model.base_model.model.is_activation_checkpointing  # still on after each review

    manifest = json.loads((tmp_path / "run" / "run.json").read_text())
    variants = {v["name"]: v for v in manifest["variants"]}
    assert list(variants) == ["base", "step-2", "step-4", "step-6"]
    logged = dict(losses(plain))
    for step in (2, 4, 6):
        entry = variants[f"step-{step}"]
        assert entry["step"] == step and entry["train_loss"] == logged[step]
        assert entry["epoch"] == pytest.approx(step / 6, abs=1e-4)
        assert entry["generation_s"] > 0 and entry["n_generated"] == 4
    assert manifest["status"] == "complete" and manifest["n_records"] == 16
    counts = Counter(r["variant"] for r in _lines(tmp_path / "run"))
    assert counts == {"base": 4, "step-2": 4, "step-4": 4, "step-6": 4}
    assert (tmp_path / "run" / "flags.jsonl").is_file()
    assert set(review.seconds) == {"base", "step-2", "step-4", "step-6"}


def test_every_n_steps_and_a_full_fine_tune_whose_base_is_the_weights_before_step_one(
        tiny_model_dir, tiny_tokenizer, mini_suite, tmp_path):
    review = ReviewCallback(mini_suite, out=tmp_path / "run", every=3, max_new_tokens=5, tokenizer=tiny_tokenizer)
    trainer = tiny_trainer(tiny_model_dir, tmp_path / "ft", callbacks=[review], peft=False, save_steps=100,
                           learning_rate=5e-2)
    trainer.train()
    names = [v["name"] for v in json.loads((tmp_path / "run" / "run.json").read_text())["variants"]]
    assert names == ["base", "step-3", "step-6"]
    # The base outputs are those of the untouched model: the same as `tunediff run` on the saved weights.
    result = CliRunner().invoke(main, ["run", str(mini_suite), "--base", str(tiny_model_dir), "--model",
                                       f"same={tiny_model_dir}", "--max-new-tokens", "5", "--out",
                                       str(tmp_path / "cli"), "-q", "--no-flags"])
    assert result.exit_code == 0, result.output
    cli_base = {r.id: r.text for r in read_records(tmp_path / "cli" / "generations.jsonl") if r.variant == "base"}
    live = {}
    for r in read_records(tmp_path / "run" / "generations.jsonl"):
        live.setdefault(r.variant, {})[r.id] = r.text
    assert live["base"] == cli_base
    assert live["step-6"] != live["base"]  # lr 5e-2 on a random model moves its outputs


def test_a_restarted_training_run_does_not_duplicate_records(tiny_model_dir, tiny_tokenizer, mini_suite, tmp_path):
    out = tmp_path / "run"
    first = tiny_trainer(tiny_model_dir, tmp_path / "t", max_steps=4,
                         callbacks=[ReviewCallback(mini_suite, out=out, max_new_tokens=4, tokenizer=tiny_tokenizer)])
    first.train()
    before = _lines(out)
    assert Counter(r["variant"] for r in before) == {"base": 4, "step-2": 4, "step-4": 4}
    second = tiny_trainer(tiny_model_dir, tmp_path / "t", max_steps=6,
                          callbacks=[ReviewCallback(mini_suite, out=out, max_new_tokens=4, tokenizer=tiny_tokenizer)])
    second.train(resume_from_checkpoint=str(tmp_path / "t" / "checkpoint-4"))
    after = _lines(out)
    assert after[: len(before)] == before  # appended, never rewritten
    assert Counter(r["variant"] for r in after) == {"base": 4, "step-2": 4, "step-4": 4, "step-6": 4}


def test_generation_mode_restores_rng_states_train_mode_threads_and_use_cache(tiny_model_dir):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    model.activation_checkpointing_enable()
    model.config.use_cache = False
    model.train()
    torch.manual_seed(1), random.seed(1), np.random.seed(1)
    expected = (torch.rand(3), random.random(), np.random.rand())
    torch.manual_seed(1), random.seed(1), np.random.seed(1)
    threads = torch.get_num_threads()
    torch.set_num_threads(3)
    with generation_mode(model):
        assert not model.training
        torch.rand(5), random.random(), np.random.rand(4)  # generation may draw from every RNG
        model.config.use_cache = True
        torch.set_num_threads(1)
    assert torch.get_num_threads() == 3
    torch.set_num_threads(threads)
    got = (torch.rand(3), random.random(), np.random.rand())
    assert torch.equal(got[0], expected[0]) and got[1:] == expected[1:]
    assert model.training and model.config.use_cache is False and model.is_activation_checkpointing


@pytest.mark.parametrize("write, kwargs, message", [
    (None, {}, r"no such review set"),
    ("name: x\nprompts:\n  - {id: a, category: nope, prompt: hi}\n", {}, r"review\.yaml:3.*category"),
    ("name: x\nprompts:\n  - {id: a, category: standard, prompt: hi}\n", {"every": 0}, r"every=0"),
    ("name: x\nprompts:\n  - {id: a, category: standard, prompt: hi}\n", {"temperature": -1}, r"temperature"),
])
def test_bad_suite_or_settings_fail_at_construction_in_one_line(tmp_path, write, kwargs, message):
    path = tmp_path / "review.yaml"
    if write is not None:
        path.write_text(write)
    with pytest.raises(UserError, match=message) as err:
        ReviewCallback(path, out=tmp_path / "run", **kwargs)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "run").exists()  # nothing created before training starts


def test_show_flags_and_report_work_on_a_run_while_training_goes_on(tiny_model_dir, tiny_tokenizer, mini_suite,
                                                                    tmp_path):
    """After the first checkpoint (training not finished) the views read the folder."""
    seen = {}

    class Peek(ReviewCallback):
        def on_save(self, args, state, control, **kwargs):
            super().on_save(args, state, control, **kwargs)
            if state.global_step == 2:
                runner = CliRunner()
                seen["status"] = json.loads((self.out / "run.json").read_text())["status"]
                for command in (["show", str(self.out)], ["flags", str(self.out)],
                                ["report", str(self.out), "--out", str(tmp_path / "r.html")]):
                    result = runner.invoke(main, command)
                    seen[command[0]] = (result.exit_code, result.output)

    trainer = tiny_trainer(tiny_model_dir, tmp_path / "t", max_steps=4,
                           callbacks=[Peek(mini_suite, out=tmp_path / "run", max_new_tokens=4,
                                           tokenizer=tiny_tokenizer)])
    trainer.train()
    assert seen["status"] == "running"
    for command in ("show", "flags", "report"):
        assert seen[command][0] == 0, seen[command]
    assert "step-2" in seen["show"][1]
    assert (tmp_path / "r.html").is_file()


def test_a_full_fine_tune_resumed_into_a_new_folder_has_no_base_to_compare_and_says_so(
        tiny_model_dir, tiny_tokenizer, mini_suite, tmp_path, capsys):
    """The weights before step 1 are gone after a resume: no base outputs made from trained weights."""
    tiny_trainer(tiny_model_dir, tmp_path / "t", max_steps=2, peft=False).train()
    review = ReviewCallback(mini_suite, out=tmp_path / "run", max_new_tokens=4, tokenizer=tiny_tokenizer)
    resumed = tiny_trainer(tiny_model_dir, tmp_path / "t", max_steps=4, peft=False, callbacks=[review])
    resumed.train(resume_from_checkpoint=str(tmp_path / "t" / "checkpoint-2"))
    assert "no base to compare with" in capsys.readouterr().err
    assert Counter(r["variant"] for r in _lines(tmp_path / "run")) == {"step-4": 4}
