"""Reference answers kept (issue 11): k/n per variant and category with the exact interval, and
the forgotten prompts (the base kept the answer, the fine-tune did not), in every view."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from scipy.stats import binomtest

from tunediff.cli import main
from tunediff.records import FLAGS, GENERATIONS, MANIFEST, Finding, GenerationRecord, append_jsonl
from tunediff.views.data import ALL, RunView, Share

# prompt id -> (category, reference, base answer, tuned answer)
PROMPTS = {
    "q1": ("ood", "Paris", "Paris.", "Paris!"),
    "q2": ("ood", "366", "There are 366 days.", "There are 365 days in a leap year."),
    "q3": ("ood", "84", "12 times 7 is 84.", "12 times 7 = 144"),
    "q4": ("ood", "Shakespeare", "Marlowe", "Shakespeare"),
    "s1": ("standard", '{"item": "lamp"}', '{"item": "lamp"}', '{"item": "lamp"}'),  # long: not counted
    "s2": ("standard", None, "hello", "hello"),
}


def records() -> list[GenerationRecord]:
    out = []
    for pid, (cat, ref, base, tuned) in PROMPTS.items():
        for variant, text in (("base", base), ("tuned", tuned)):
            out.append(GenerationRecord(id=pid, variant=variant, category=cat, prompt=f"question {pid}",
                                        reference=ref, text=text, finish_reason="eos"))
    return out


def wrong(pid: str, variant: str) -> Finding:
    return Finding(id=pid, variant=variant, flag="wrong_answer", message="the reference answer is missing")


FINDINGS = [wrong("q2", "tuned"), wrong("q3", "tuned"), wrong("q4", "base")]


def test_kept_counts_outputs_with_short_references_and_no_wrong_answer() -> None:
    view = RunView(records(), FINDINGS, ["base", "tuned"])
    kept = view.reference_kept()
    assert list(kept) == ["ood", ALL]  # standard prompts have no short reference: not counted
    assert (kept["ood"]["base"].k, kept["ood"]["base"].n) == (3, 4)
    assert (kept["ood"]["tuned"].k, kept["ood"]["tuned"].n) == (2, 4)
    ci = binomtest(2, 4).proportion_ci(method="exact")
    lo, hi = kept[ALL]["tuned"].ci
    assert abs(lo - ci.low) < 1e-9 and abs(hi - ci.high) < 1e-9
    assert Share(2, 4).text() == f"2/4 ({ci.low:.0%}-{ci.high:.0%})"
    # Forgotten: the base had it and the fine-tune does not (q4 went the other way: not forgotten).
    assert [(f.id, f.variant, f.reference) for f in view.forgotten()] == [("q2", "tuned", "366"), ("q3", "tuned", "84")]


def write_run(tmp: Path) -> Path:
    run = tmp / "run"
    run.mkdir()
    manifest = {"variants": [{"name": "base", "kind": "base"}, {"name": "tuned", "kind": "adapter"}]}
    (run / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    append_jsonl(run / GENERATIONS, records())
    append_jsonl(run / FLAGS, FINDINGS)
    return run


def test_every_view_shows_kept_and_forgotten(tmp_path: Path) -> None:
    run = write_run(tmp_path)
    runner = CliRunner(env={"COLUMNS": "200"})

    def cli(*args: str) -> str:
        result = runner.invoke(main, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    expected = Share(2, 4).text()
    flags_json = json.loads(cli("flags", str(run), "--json"))
    assert flags_json["reference_kept"]["ood"]["tuned"]["k"] == 2
    assert [f["id"] for f in flags_json["forgotten"]] == ["q2", "q3"]
    stats_text = cli("stats", str(run))
    assert "reference answers kept" in stats_text and expected in stats_text
    assert "q2 tuned: expected '366'" in stats_text
    show = cli("show", str(run))
    assert "Reference answers kept" in show and expected in show and "forgotten q3 tuned" in show
    cli("report", str(run))
    html = (run / "report.html").read_text(encoding="utf-8")
    assert "Reference answers kept" in html and expected in html
    assert "Forgotten knowledge" in html and "expected <q>366</q>" in html
    md = cli("export", str(run), "--format", "md")
    assert "### Reference answers kept" in md and expected in md
