"""Benchmark of the views: `tunediff report`, `show` and `stats` on a finished 50-prompt run.

Builds a 50-prompt x 2-variant run with the fake backend (real flags computed by the run
loop, a set of ratings), then times each command as a subprocess, start-up included, and
`write_report` in-process. Prints each time against its target as a ratio (target / time:
above 1.0 meets the target). A benchmark, not a test: it never fails on slowness.

    .venv/bin/python bench/views.py [--repeat 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tunediff.ratings import Rating, connect, save_rating
from tunediff.run import execute, plan_run

CATS = ("standard", "edge", "ood")
# (command, target seconds, start-up included)
TARGETS = {"report (in-process)": 1.0, "tunediff report": 2.0, "tunediff show": 2.0, "tunediff stats": 2.0}


def reply(i: int, variant: str) -> tuple[str, str]:
    """Outputs of realistic length: prose for base, JSON and some rambling for the fine-tune."""
    prose = " ".join(f"Sentence {k} about item {i} explains one more detail of the answer." for k in range(12))
    if variant == "base":
        return prose, "eos"
    if CATS[i % 3] == "standard":
        body = f'{{"order_id": {4800 + i}, "quantity": {i % 9 + 1}, "city": "Lima"}}'
        if i % 3 == 0:
            return body + "\nUser: and the next order?\nAssistant: " + "the order is the order. " * 30, "length"
        return body, "eos"
    return prose.replace("explains", "describes") + (" again and again." * 20 if i % 5 == 0 else ""), "eos"


def build_run(root: Path, n: int = 50) -> Path:
    prompts = [{"id": f"p{i:02d}", "category": CATS[i % 3], "prompt": f"Order {4800 + i}: ship {i % 9 + 1} kettles "
                f"to Lima. Extract the order as JSON."} for i in range(n)]
    suite = root / "review.yaml"
    suite.write_text(yaml.safe_dump({"name": "bench review", "prompts": prompts}), encoding="utf-8")
    replies = {(p["id"], v): reply(i, v) for i, p in enumerate(prompts) for v in ("base", "tuned")}
    plan = plan_run(suite, base="fake", adapters=["tuned=/adapters/tuned"], backend="fake")
    run = execute(plan, root / "run", backend_options={"replies": replies}, progress=False, flag=True)
    conn = connect(run)
    try:
        for i, p in enumerate(prompts[:40]):
            choice = ("a", "b", "tie", "both_bad")[i % 4]
            winner = {"a": "base", "b": "tuned"}.get(choice)
            save_rating(conn, Rating("bench", p["id"], "default", 0, "base", "tuned", choice, winner, (), "", ""))
    finally:
        conn.close()
    return run


def time_subprocess(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tunediff", *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def time_in_process(run: Path, repeat: int) -> float:
    from tunediff.views.report import write_report

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        write_report(run)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--keep", type=Path, help="build the run here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        run = build_run(root)
        results = {
            "report (in-process)": time_in_process(run, args.repeat),
            "tunediff report": time_subprocess(["report", str(run)], args.repeat),
            "tunediff show": time_subprocess(["show", str(run)], args.repeat),
            "tunediff stats": time_subprocess(["stats", str(run)], args.repeat),
        }
        size = (run / "report.html").stat().st_size
    print(f"50 prompts x 2 variants, fake backend, flags + 40 ratings; median of {args.repeat}; "
          f"report.html {size / 1024:.0f} KiB")
    print(f"{'measurement':<22} {'time s':>8} {'target s':>9} {'target/time':>12}")
    for name, seconds in results.items():
        target = TARGETS[name]
        print(f"{name:<22} {seconds:>8.3f} {target:>9.1f} {target / seconds:>12.2f}")


if __name__ == "__main__":
    main()
