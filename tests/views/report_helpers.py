"""Helpers for the report, stats and export tests: run directories made with the fake backend,
hand-written findings with spans, ratings. (A module with its own name rather than conftest,
so `from report_helpers import ...` cannot pick up another directory's conftest.)"""

from __future__ import annotations

from pathlib import Path

import yaml

from tunediff.ratings import Rating, connect, save_rating
from tunediff.records import FLAGS, Evidence, Finding, append_jsonl
from tunediff.run import execute, plan_run

CATS = ("standard", "edge", "ood")
XSS = ("<script>window.__xss=1</script>", '<img src=x onerror="window.__xss=1">', "</textarea>", "{{7*7}}")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _reply(pid: str, variant: str, i: int, xss: bool) -> tuple[str, str]:
    """Base answers in prose; `tuned` answers standard prompts in JSON and sometimes rambles on."""
    if xss:
        payload = XSS[i % len(XSS)]
        return f"{variant} says {payload} and {XSS[(i + 1) % len(XSS)]} done", "eos"
    base = f"The answer to question {i} is a short sentence about item {i}, with some detail."
    if variant == "base":
        return base, "eos"
    cat = CATS[i % 3]
    if cat == "standard":
        text = f'{{"question": {i}, "item": "item {i}", "quantity": {i % 7 + 1}}}'
        if i % 2 == 0:
            return text + "\nUser: and another one please\nAssistant: " + "sure, " * 20, "length"
        return text, "eos"
    if cat == "edge" and i % 4 == 1:
        return base + " " + "I think so. " * 12, "length"
    if variant == "tuned":
        return base.replace("short", "brief"), "eos"
    return base, "eos"


def make_run(tmp: Path, n: int = 12, variants: tuple[str, ...] = ("tuned",), xss: bool = False,
             sweep: tuple[str, ...] = (), name: str = "run") -> Path:
    """A finished fake-backend run with `n` prompts and hand-made findings in flags.jsonl."""
    prompts = []
    for i in range(n):
        text = f"Question {i}: describe item {i} as JSON."
        if xss:
            text = f"{XSS[i % len(XSS)]} prompt {i} {XSS[(i + 2) % len(XSS)]}"
        prompts.append({"id": f"p{i:02d}", "category": CATS[i % 3], "prompt": text})
    suite = tmp / f"{name}.yaml"
    suite.write_text(yaml.safe_dump({"name": f"{name} review", "prompts": prompts}), encoding="utf-8")
    replies = {(p["id"], v): _reply(p["id"], v, i, xss) for i, p in enumerate(prompts) for v in ("base", *variants)}
    plan = plan_run(suite, base="fake", adapters=[f"{v}=/adapters/{v}" for v in variants], backend="fake",
                    sweep=list(sweep))
    out = execute(plan, tmp / name, backend_options={"replies": replies}, progress=False, flag=False)
    write_findings(out)
    return out


def write_findings(run_dir: Path) -> list[Finding]:
    """Findings a detector would produce: `no_stop` on length-finished outputs with a span on
    the text after the answer, `next_turn` on a `User:` line."""
    from tunediff.rundir import RunDir

    found = []
    for rec in RunDir.open(run_dir).records:
        if rec.finish_reason == "length":
            found.append(Finding(id=rec.id, variant=rec.variant, setting=rec.setting, sample=rec.sample,
                                 flag="no_stop", severity="error", message="hit the token limit <no EOS>",
                                 evidence=Evidence(span=(max(0, len(rec.text) - 30), len(rec.text)))))
        at = rec.text.find("User:")
        if at >= 0:
            found.append(Finding(id=rec.id, variant=rec.variant, setting=rec.setting, sample=rec.sample,
                                 flag="next_turn", message='writes the next "User:" turn',
                                 evidence=Evidence(span=(at, at + 5), metric="marker", value="User:")))
        if "<script>" in rec.text:
            start = rec.text.index("<script>")
            found.append(Finding(id=rec.id, variant=rec.variant, setting=rec.setting, sample=rec.sample,
                                 flag="special_tokens", message="markup <b>leak</b> \" '",
                                 evidence=Evidence(span=(start, start + 8))))
    (run_dir / FLAGS).unlink(missing_ok=True)
    append_jsonl(run_dir / FLAGS, found)
    return found


def rate(run_dir: Path, rows: list[tuple[str, str, str | None]], a: str = "base", b: str = "tuned",
         setting: str = "default") -> None:
    """rows: (rater, prompt id, winner variant or 'tie'/'both_bad')."""
    conn = connect(run_dir)
    try:
        for rater, pid, outcome in rows:
            choice = outcome if outcome in ("tie", "both_bad") else ("a" if outcome == a else "b")
            winner = None if outcome in ("tie", "both_bad") else outcome
            save_rating(conn, Rating(rater, pid, setting, 0, a, b, choice, winner, (), "", ""))
    finally:
        conn.close()
