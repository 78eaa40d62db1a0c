"""Benchmark: what `ReviewCallback` adds to training, in seconds of generation per checkpoint.

    .venv/bin/python bench/callback.py [--limit N] [--max-new-tokens 128] [--adapter DIR]

The callback arm holds SmolLM2-135M with the demo LoRA attached as a trainable PEFT model in
train mode (what a Trainer holds at a save) and calls the callback's events as the Trainer does:
`on_train_begin` (the base outputs, once) and then `on_save` at a checkpoint, whose generation
seconds are the figure: the time one checkpoint's review adds to training. The run arm is a plain
`tunediff run --adapter` of the same adapter on the same prompts as a cold process; its adapter
share of generation (the adapter rows' `latency_s`, which add up to the batches' wall time) and
its wall time (what reviewing a saved checkpoint after the fact costs, model load included) are
the yardsticks. Both arms run greedy with the same thread count (TUNEDIFF_THREADS, chosen once).
The last line is `checkpoint_s=X run_adapter_share_s=Y ratio_vs_run_share=X/Y run_wall_s=Z`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "examples" / "demo" / "review.yaml"
DEMO_ADAPTER = REPO / "examples" / "demo" / "adapter"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="first N prompts only (quick runs)")
    ap.add_argument("--max-new-tokens", type=int, default=128)
    ap.add_argument("--adapter", type=Path, default=DEMO_ADAPTER)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from tunediff.backends.hf.threads import thread_count

    os.environ.setdefault("TUNEDIFF_THREADS", str(thread_count()))
    threads = int(os.environ["TUNEDIFF_THREADS"])
    with tempfile.TemporaryDirectory() as tmp:
        checkpoint_s, base_s = callback_arm(args, Path(tmp) / "callback")
        share_s, wall_s = run_arm(args, Path(tmp) / "run")
    print(json.dumps({"threads": threads, "limit": args.limit, "max_new_tokens": args.max_new_tokens,
                      "callback_base_s": base_s, "callback_checkpoint_s": checkpoint_s,
                      "run_adapter_share_s": share_s, "run_wall_s": wall_s}))
    print(f"checkpoint_s={checkpoint_s:.1f} run_adapter_share_s={share_s:.1f} "
          f"ratio_vs_run_share={checkpoint_s / share_s:.2f} run_wall_s={wall_s:.1f}")


def callback_arm(args: argparse.Namespace, out: Path) -> tuple[float, float]:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from tunediff.backends.hf.embedded import resolve_base
    from tunediff.integrations.transformers import ReviewCallback

    torch.set_num_threads(int(os.environ["TUNEDIFF_THREADS"]))
    base_dir = resolve_base("smollm2-135m", progress=False)
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32),
                                      args.adapter, is_trainable=True)
    model.train()
    review = ReviewCallback(SUITE, out=out, limit=args.limit, max_new_tokens=args.max_new_tokens)
    state = SimpleNamespace(is_world_process_zero=True, global_step=0, epoch=0.0, log_history=[])
    review.on_train_begin(None, state, None, model=model, processing_class=tokenizer)
    state.global_step, state.epoch = 10, 0.1
    review.on_save(None, state, None, model=model, processing_class=tokenizer)
    return review.seconds["step-10"], review.seconds["base"]


def run_arm(args: argparse.Namespace, out: Path) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "tunediff", "run", str(SUITE), "--adapter", f"tuned={args.adapter}",
           "--out", str(out), "--max-new-tokens", str(args.max_new_tokens), "--no-flags", "-q"]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    records = [json.loads(line) for line in (out / "generations.jsonl").read_text().splitlines()]
    share = sum(r["latency_s"] for r in records if r["variant"] == "tuned")
    return round(share, 3), round(wall, 3)


if __name__ == "__main__":
    main()
