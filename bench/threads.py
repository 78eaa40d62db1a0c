"""Benchmark: decode steps and prefill with 1 and 2 threads, OpenMP/MKL settings, pinned or not.

    .venv/bin/python bench/threads.py [--rounds 2] [--steps 12] [--quick]

Each configuration runs in its own process (OpenMP reads its settings when torch loads), on the
embedded SmolLM2 in float32 with the demo review set's prompts, through tunediff's own decode
loop (`scheduler.Scheduler`: prefill passes of at most 256 padded tokens into KV slots, then
decode steps of every live row). A child measures:

- prefill: milliseconds per padded prompt token over the passes that fill those rows;
- decode steps with 1, 8 and 32 rows in flight: the median of `--steps` steps;
- the read bandwidth: a timed sum over a tensor as large as the weights (bench/_memory_floor.py).

Configurations run interleaved, `--rounds` times; each figure is the best round (the least
disturbed by other work on a shared CPU). The ratios to "1 thread" are what count: below 1, the
configuration is faster. The last line: `threads_2v1 prefill=.. step1=.. step8=.. step32=..`
("2 threads" over "1 thread"). "Pinned" binds the process to its first N cores
(`os.sched_setaffinity`) and, with 2 threads, each OpenMP thread to a core (OMP_PROC_BIND).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "examples" / "demo" / "review.yaml"
ROWS = (1, 8, 32)

# name -> (torch threads, environment, pinned)
CONFIGS: dict[str, tuple[int, dict[str, str], bool]] = {
    "1 thread": (1, {}, False),
    "1 thread, pinned": (1, {}, True),
    "2 threads": (2, {}, False),
    "2 threads, pinned": (2, {"OMP_PROC_BIND": "close", "OMP_PLACES": "cores"}, True),
    "2 threads, OMP_WAIT_POLICY=PASSIVE": (2, {"OMP_WAIT_POLICY": "PASSIVE"}, False),
    "2 threads, MKL_NUM_THREADS=1": (2, {"MKL_NUM_THREADS": "1"}, False),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2, help="times each configuration runs (best kept)")
    ap.add_argument("--steps", type=int, default=12, help="decode steps timed per row count")
    ap.add_argument("--quick", action="store_true", help="one round, 3 steps, rows 1 and 8: checks it works")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        spec = json.loads(args.child)
        Path(spec["result"]).write_text(json.dumps(measure(spec)))
        return
    rounds, steps, rows = (1, 3, ROWS[:2]) if args.quick else (args.rounds, args.steps, ROWS)
    cores = len(os.sched_getaffinity(0))
    configs = {k: v for k, v in CONFIGS.items() if v[0] <= cores}
    load = os.getloadavg()
    sys.path.insert(0, str(REPO / "src"))
    from tunediff.backends.hf.threads import thread_count

    chosen = thread_count()  # what `tunediff run` would choose now, before this benchmark adds its load
    print(f"load average before: {load}, cores: {cores}", file=sys.stderr)
    results: dict[str, list[dict]] = {name: [] for name in configs}
    with tempfile.TemporaryDirectory(prefix="tunediff-threads-") as tmp:
        for r in range(rounds):
            for name, (threads, env, pinned) in configs.items():
                spec = {"threads": threads, "pinned": pinned, "steps": steps, "rows": list(rows),
                        "result": f"{tmp}/result.json"}
                child_env = {**os.environ, "OMP_NUM_THREADS": str(threads), "TOKENIZERS_PARALLELISM": "false", **env}
                t0 = time.perf_counter()
                subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], check=True, env=child_env)
                results[name].append(json.loads(Path(spec["result"]).read_text()))
                print(f"round {r + 1}: {name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)
    report({name: best(runs) for name, runs in results.items()}, rows)
    print(f"rule: tunediff chose {chosen} thread(s) at load average {load[0]:.2f} on {cores} cores "
          "(hf.threads.thread_count)")


def best(runs: list[dict]) -> dict:
    """Each figure's least value over the rounds (for bandwidth, the most)."""
    out = {k: min(r[k] for r in runs) for k in runs[0] if k != "read_gb_s"}
    out["read_gb_s"] = max(r["read_gb_s"] for r in runs)
    return out


def report(figures: dict[str, dict], rows: tuple[int, ...]) -> None:
    keys = ["prefill_ms_per_token"] + [f"step_ms_{n}" for n in rows]
    print(f"{'configuration':<36}{'prefill ms/tok':>15}" + "".join(f"{f'step ms @{n}':>13}" for n in rows)
          + f"{'read GB/s':>11}")
    for name, f in figures.items():
        print(f"{name:<36}{f['prefill_ms_per_token']:>15.2f}" + "".join(f"{f[f'step_ms_{n}']:>13.1f}" for n in rows)
              + f"{f['read_gb_s']:>11.1f}")
    base = figures["1 thread"]
    print("ratios to '1 thread' (below 1: faster):")
    for name, f in figures.items():
        if name != "1 thread":
            print(f"  {name:<36}" + " ".join(f"{k.replace('_ms', '').replace('_per_token', '')}={f[k] / base[k]:.2f}"
                                              for k in keys))
    for k in keys:
        winner = min(figures, key=lambda name: figures[name][k])
        print(f"fastest {k}: {winner}")
    if "2 threads" in figures:
        two = figures["2 threads"]
        print("threads_2v1 " + " ".join(f"{k.replace('_ms_per_token', '').replace('_ms_', '')}={two[k] / base[k]:.2f}"
                                        for k in keys))


# ------------------------------------------------------------------------------ child


def measure(spec: dict) -> dict:
    if spec["pinned"]:
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:spec["threads"]]))
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    sys.path.insert(0, str(REPO / "src"))
    from _memory_floor import read_bandwidth

    from tunediff.backends.hf import scheduler
    from tunediff.backends.hf.embedded import resolve_base
    from tunediff.suite import load_suite

    torch.set_num_threads(spec["threads"])
    base_dir = resolve_base("smollm2-135m", progress=False)
    tok = AutoTokenizer.from_pretrained(base_dir)
    model = AutoModelForCausalLM.from_pretrained(base_dir).eval()
    rendered = [tok.apply_chat_template(list(p.messages), tokenize=False, add_generation_prompt=True)
                for p in load_suite(SUITE).prompts]
    prompts = sorted((tok(t, add_special_tokens=False)["input_ids"] for t in rendered), key=len, reverse=True)
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    out = {"read_gb_s": read_bandwidth(weight_bytes, spec["threads"]) / 1e9}
    prefill_s = prefill_tokens = 0.0
    with torch.inference_mode():
        for n in spec["rows"]:
            rows = [prompts[i % len(prompts)] for i in range(n)]
            stream = scheduler._Stream(model, rows, eos=set(), max_new=spec["steps"] + 2, adapter_names=None,
                                       sampler=None, repetition_penalty=1.0, stopper=None, pad_id=0, device="cpu")
            state = scheduler.Scheduler(stream, slots=n, token_budget=None)
            if state.prefix:
                state.prefix_kv(None)  # the shared prefix, computed once per run, is not a prefill pass
            while state.queue:
                # The scheduler holds back a pass that would fill less than a quarter of the last
                # free slots (a run steps meanwhile); here every row must be in before timing steps.
                joining = state.joining() or [state.queue.popleft()]
                t0 = time.perf_counter()
                state.prefill(joining)
                prefill_s += time.perf_counter() - t0
                prefill_tokens += len(joining) * (len(rows[joining[0]]) - len(state.prefix))
            times = []
            for _ in range(spec["steps"]):
                t0 = time.perf_counter()
                state.step()
                times.append(time.perf_counter() - t0)
            out[f"step_ms_{n}"] = statistics.median(times) * 1000
    out["prefill_ms_per_token"] = prefill_s / prefill_tokens * 1000
    return out


if __name__ == "__main__":
    main()
