"""The checkpoint timeline and the "what changed" sentences, on a hand-made run whose variants are
training steps (as `--adapter 'out/checkpoint-*'` or ReviewCallback write them; nothing trained)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main
from tunediff.records import FLAGS, GENERATIONS, MANIFEST, Finding, GenerationRecord, append_jsonl
from tunediff.views.changes import what_changed
from tunediff.views.data import RunView
from tunediff.views.timeline import headline, step_series, timelines

STEPS = (100, 200, 300, 400)
PROMPTS = {"s1": ("standard", None), "s2": ("standard", None), "e1": ("edge", None), "e2": ("edge", None),
           "o1": ("ood", "Paris"), "o2": ("ood", "366")}
# (prompt, variant) -> flags: the base writes prose where JSON is asked (format); the fine-tune
# learns the format by step 100-200, starts to loop on ood prompts at step 300, and at step 400
# also runs on and forgets that the capital of France is Paris.
FLAGGED = {("s1", "base"): ["format"], ("s2", "base"): ["format"], ("s1", "step-100"): ["format"],
           ("o1", "step-300"): ["repetition"],
           ("o1", "step-400"): ["repetition", "wrong_answer"], ("o2", "step-400"): ["repetition"],
           ("e1", "step-400"): ["no_stop"]}


@pytest.fixture
def run(tmp_path: Path) -> Path:
    out = tmp_path / "steps"
    out.mkdir()
    variants = [{"name": "base", "kind": "base"}] + [
        {"name": f"step-{s}", "kind": "adapter", "path": f"out/checkpoint-{s}", "step": s, "epoch": s / 400,
         "train_loss": 2.0 - s / 400} for s in STEPS]
    (out / MANIFEST).write_text(json.dumps({"variants": variants, "prompt_ids": list(PROMPTS)}), encoding="utf-8")
    names = ["base", *(f"step-{s}" for s in STEPS)]
    append_jsonl(out / GENERATIONS, [
        GenerationRecord(id=pid, variant=v, category=cat, reference=ref, prompt=f"<b>{pid}</b>",
                         text=f"{v} answers {pid} <script>window.__x=1</script>", finish_reason="eos")
        for pid, (cat, ref) in PROMPTS.items() for v in names])
    append_jsonl(out / FLAGS, [Finding(id=pid, variant=v, flag=f, message=f"{f} here")
                               for (pid, v), flags in FLAGGED.items() for f in flags])
    return out


def view_of(run: Path) -> RunView:
    from tunediff.rundir import RunDir

    return RunView.of(RunDir.open(run))


def test_series_first_rise_and_recommendation(run: Path) -> None:
    view = view_of(run)
    [series] = step_series(view)
    assert [v for _, v in series.steps] == ["step-100", "step-200", "step-300", "step-400"]
    [t] = timelines(view)
    assert [s.k for s in t.flags["repetition"]] == [0, 0, 0, 1, 2]
    assert [s.k for s in t.categories["standard"]] == [2, 1, 0, 0, 0]
    assert [(k.k, k.n) for k in t.kept if k] == [(2, 2), (2, 2), (2, 2), (2, 2), (1, 2)]
    assert t.first_rose == {"no_stop": "step-400", "repetition": "step-300", "wrong_answer": "step-400"}
    # step-200: no flag above the base and every reference answer kept; step-300 has a loop.
    assert t.recommendation == ("step-200: below the base: format 2/2 → 0/2 on standard prompts; no flag above the "
                                "base's rate; reference answers kept 2/2 → 2/2. From step-300: repetition 0/2 → 1/2 "
                                "on ood prompts rise (base → step, k/n).")


def test_what_changed_names_learned_broke_forgot_with_counts(run: Path) -> None:
    view = view_of(run)
    assert headline(view) == ["step-400"]  # a timeline speaks through its last step
    sentences = {s.kind: s.text for s in what_changed(view, headline(view))}
    assert sentences["learned"].startswith("step-400 learned: format on standard prompts 2/2 (base) → 0/2")
    assert "repetition on ood prompts 0/2 (base) → 2/2" in sentences["broke"]
    assert "no_stop on edge prompts 0/2 (base) → 1/2" in sentences["broke"]
    assert "wrong_answer" not in sentences["broke"]  # said once, as forgetting
    assert sentences["forgot"] == ("step-400 forgot: reference answers kept on ood prompts 2/2 (base) → 1/2; "
                                   "forgotten: o1.")


def test_report_opens_with_changes_and_timeline_metadata_below_outputs(run: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(run)])
    assert result.exit_code == 0, result.output
    html = (run / "report.html").read_text(encoding="utf-8")
    order = [html.index(marker) for marker in ('id="changes"', 'id="timeline"', 'id="summary"', 'id="outputs"',
                                               'id="run"')]
    assert order == sorted(order)
    section = html[html.index('id="timeline"'):html.index('id="summary"')]
    assert section.count("<polyline") >= 3 and "Recommendation" in section
    assert "<b>s1</b>" not in html and "<script>window.__x" not in html  # model and prompt text escaped


def test_show_and_flags_print_the_timeline(run: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    show = runner.invoke(main, ["show", str(run)])
    assert show.exit_code == 0, show.output
    assert show.stdout.splitlines()[0].strip() == "What changed"
    assert "step-400 forgot" in show.stdout.split("prompt:")[0]  # before the first output
    flags = runner.invoke(main, ["flags", str(run)])
    assert flags.exit_code == 0, flags.output
    assert "Checkpoint timeline" in flags.stdout
    assert re.search(r"base\s*┃\s*100\s*┃\s*200\s*┃\s*300\s*┃\s*400\s*┃", flags.stdout)
    assert "repetition: first above the base at step-300" in flags.stdout
    assert "recommendation: step-200" in flags.stdout
    data_json = json.loads(runner.invoke(main, ["flags", str(run), "--json"]).stdout)
    assert data_json["timeline"][0]["steps"] == list(STEPS)


def test_a_checkpoint_added_after_flagging_is_flagged_not_shown_clean(run: Path) -> None:
    """Training goes on: step-500's outputs arrive after flags.jsonl was written. Views compute the
    findings afresh (in memory) rather than show the new step without flags; `flags` rewrites the file."""
    import os

    from tunediff.rundir import RunDir
    from tunediff.views.data import flags_current

    append_jsonl(run / GENERATIONS, [GenerationRecord(id=pid, variant="step-500", category=cat, reference=ref,
                                                      text="", finish_reason="eos")
                                     for pid, (cat, ref) in PROMPTS.items()])
    flagged = (run / FLAGS).stat().st_mtime_ns
    os.utime(run / GENERATIONS, ns=(flagged + 10**9, flagged + 10**9))  # as a later write would
    view = view_of(run)
    assert {f.flag for f in view.findings if f.variant == "step-500"} >= {"empty"}
    assert [v for _, v in step_series(view)[0].steps][-1] == "step-500"
    assert not flags_current(RunDir.open(run))
    result = CliRunner().invoke(main, ["flags", str(run)])
    assert result.exit_code == 0 and "wrote" in result.stderr
    assert "step-500" in (run / FLAGS).read_text(encoding="utf-8")


def test_two_training_runs_in_one_directory_are_two_timelines() -> None:
    """`--adapter 'good=out-good/checkpoint-*' --adapter 'bad=out-bad/checkpoint-*'` names them
    good-step-N and bad-step-N: one series each, and each speaks through its last step."""
    names = ["base", "good-step-10", "good-step-20", "bad-step-10", "bad-step-20", "tuned"]
    recs = [GenerationRecord(id="p", variant=v, category="standard", text="x") for v in names]
    view = RunView(recs, [], names)
    assert [(s.name, [v for _, v in s.steps]) for s in step_series(view)] == [
        ("good", ["good-step-10", "good-step-20"]), ("bad", ["bad-step-10", "bad-step-20"])]
    assert headline(view) == ["good-step-20", "bad-step-20", "tuned"]
    assert [t.recommendation.split(":")[0] for t in timelines(view)] == ["good-step-20", "bad-step-20"]


def test_recommendation_says_when_no_checkpoint_is_clean() -> None:
    """A collapsed training run (every step loops where the base does not) still gets the least bad
    step named, but never in words a reader could take for a clean checkpoint."""
    names = ["base", "step-5", "step-10"]
    recs = [GenerationRecord(id=p, variant=v, category="standard", text="x") for p in ("a", "b") for v in names]
    findings = [Finding(id=p, variant=v, flag="repetition", message="loop")
                for p in ("a", "b") for v in ("step-5", "step-10")]
    findings.append(Finding(id="a", variant="step-5", flag="no_stop", message="cut"))
    [t] = timelines(RunView(recs, findings, names))
    assert t.recommendation.startswith("no checkpoint is free of flags above the base's rate; the fewest are "
                                       "at step-10: above the base: repetition 0/2 → 2/2")
