"""Benchmark: tunediff vs the hand-written script vs plain batched `generate`, side by side.

    .venv/bin/python bench/compare.py [--limit N] [--max-new-tokens 128] [--adapter DIR] [--quick]

Arms, each in its own subprocess so its peak RSS is its own (VmHWM, or RUSAGE_CHILDREN for
the `tunediff run` grandchild):
  base_only  loads the base model and runs one forward pass: the memory floor;
  floor      the read bandwidth: a timed sum over a float32 tensor as large as the weights
             (bench/_memory_floor.py); weights' bytes / bandwidth is the least a decode step takes;
             and the float32 matrix-product rate, for the arithmetic floor of a many-row step;
  tunediff   `tunediff run` on the review set as a cold process (model cache warm), default budget;
  capped     the same with `--max-memory` 1.25x base_only's peak RSS;
  raw        plain batched `model.generate` (peft `adapter_names` per row, base and adapter rows
             mixed) in tunediff's order (longest prompt first), in batches of the most rows
             tunediff decoded together (run.json batch_sizes_used), each batch running until its
             last row ends;
  naive      what a user writes: the base model plus a second copy with the adapter, one
             prompt at a time through `generate`.
Every arm runs greedy with the same thread count (TUNEDIFF_THREADS, chosen once here), so the
ratios measure batching and decoding, not thread luck on a shared CPU.

Generation time: naive and raw time their `generate` calls plus decoding; tunediff's is the sum
of the batch latencies in generations.jsonl: the backend reports rows as they end, each report
carrying the wall time since the previous one, so the sum is the time from the first prefill to
the last row, writing the records included (model load, tokenisation and flags excluded). The last line is
`speedup_vs_naive=X rss_ratio_vs_base_only=Y overhead_vs_raw=Z step_vs_floor=W`, where speedup
compares wall times (whole processes), rss_ratio divides tunediff's peak RSS by base_only's,
overhead_vs_raw is tunediff's generation time over raw's minus 1, and step_vs_floor is
tunediff's mean decode step (run.json kv_cache: decode_s / decode_steps) over the floor.
`step_vs_roofline` divides the same step by the roofline: the longer of the read floor and the
arithmetic floor of a step of that many rows (2 x parameters x mean rows a step / the measured
float32 matrix-product rate): a step of 69 rows is bound by arithmetic, not by the read. The line
before it is the capped arm's: `max_memory_mb=M speedup_vs_naive=X rss_ratio_vs_base_only=Y`.
`--quick` (4 prompts, 16 new tokens) checks the whole benchmark in a minute; its figures mean little.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _memory_floor import compute_floor_s, matmul_flops, read_bandwidth, step_floor_s

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "examples" / "demo" / "review.yaml"
DEMO_ADAPTER = REPO / "examples" / "demo" / "adapter"
TUNEDIFF = Path(sys.executable).with_name("tunediff")


QUICK = {"limit": 4, "max_new_tokens": 16}
CAP_VS_BASE_ONLY = 1.25  # the capped arm's --max-memory, times base_only's peak RSS


def options(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="first N prompts only (quick runs)")
    ap.add_argument("--max-new-tokens", type=int, default=128)
    ap.add_argument("--adapter", type=Path, help=f"PEFT adapter (default {DEMO_ADAPTER.relative_to(REPO)})")
    ap.add_argument("--threads", type=int, help="torch threads for every arm (default: tunediff's choice)")
    ap.add_argument("--quick", action="store_true",
                    help=f"--limit {QUICK['limit']} --max-new-tokens {QUICK['max_new_tokens']}: a smoke test")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.quick:
        args.limit, args.max_new_tokens = QUICK["limit"], QUICK["max_new_tokens"]
    return args


def main() -> None:
    args = options()
    if args.child:
        spec = json.loads(args.spec)
        result = CHILDREN[args.child](spec)
        result["peak_rss_mb"] = result.get("peak_rss_mb") or _vm_hwm_mb()
        Path(spec["result"]).write_text(json.dumps(result))
        return
    adapter = args.adapter or DEMO_ADAPTER
    if not (adapter / "adapter_config.json").is_file():
        sys.exit(f"error: {adapter}: no adapter_config.json; train the demo adapter "
                 "(examples/demo/train_demo_adapter.py) or pass --adapter DIR")
    threads = args.threads or _tunediff_threads()
    print(f"load average before: {os.getloadavg()}, threads per arm: {threads}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="tunediff-bench-") as tmp:
        base = {"suite": str(SUITE), "limit": args.limit, "max_new": args.max_new_tokens,
                "adapter": str(adapter.resolve()), "threads": threads, "tmp": tmp}
        results: dict[str, dict] = {}
        for arm in ("base_only", "floor", "tunediff", "capped", "raw", "naive"):
            spec = {**base, "result": f"{tmp}/{arm}.json", "out": f"{tmp}/{arm}-run"}
            if arm == "raw":
                spec["batches"] = results["tunediff"]["batches"]
            if arm == "floor":
                spec["weight_bytes"] = results["base_only"]["weight_bytes"]
                spec["parameters"] = results["base_only"]["parameters"]
            if arm == "capped":
                spec["max_memory"] = int(CAP_VS_BASE_ONLY * results["base_only"]["peak_rss_mb"] * 2**20)
            results[arm] = _run_child(arm, spec, threads)
            print(f"{arm}: {results[arm]['wall_s']:.1f} s", file=sys.stderr)
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)
    _report(results)


# ------------------------------------------------------------------------------ parent


def _tunediff_threads() -> int:
    sys.path.insert(0, str(REPO / "src"))
    from tunediff.backends.hf.threads import thread_count

    return thread_count()


def _run_child(arm: str, spec: dict, threads: int) -> dict:
    env = {**os.environ, "TUNEDIFF_THREADS": str(threads), "TOKENIZERS_PARALLELISM": "false"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--child", arm, "--spec", json.dumps(spec)], check=True, env=env)
    result = json.loads(Path(spec["result"]).read_text())
    result["wall_s"] = time.perf_counter() - t0
    return result


def _report(results: dict) -> None:
    for line in text_differences(results):
        print(line, file=sys.stderr)
    print(f"base_only right after from_pretrained (weights still mapped, not read): "
          f"{results['base_only']['loaded_rss_mb']:.0f} MB", file=sys.stderr)
    for line in summary_lines(results):
        print(line)


def text_differences(results: dict) -> list[str]:
    """How many of tunediff's texts each other arm reproduced, and where the first few differ."""
    lines = []
    keys = sorted(results["tunediff"]["texts"])
    for arm in ("naive", "raw", "capped"):
        texts, ours = results[arm]["texts"], results["tunediff"]["texts"]
        diff = [k for k in keys if texts.get(k) != ours[k]]
        lines.append(f"texts: tunediff vs {arm}: {len(keys) - len(diff)}/{len(keys)} identical")
        for k in diff[:5]:
            a, b = texts.get(k) or "", ours[k]
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            lines.append(f"  {k}: first difference at char {at}: {arm}={a[at:at + 40]!r} tunediff={b[at:at + 40]!r}")
    return lines


def summary_lines(results: dict) -> list[str]:
    """The table, the floor, the capped arm's line and, last, the line later changes are judged by."""
    lines = [f"{'arm':<10} {'wall_s':>8} {'gen_s':>8} {'new_tok':>8} {'tok/s':>8} {'peak_rss_mb':>12} {'rows':>5}"]
    for arm in ("naive", "raw", "tunediff", "capped", "base_only"):
        r = results[arm]
        gen = r.get("gen_s")
        tps = f"{r['new_tokens'] / gen:8.1f}" if gen else f"{'-':>8}"
        lines.append(f"{arm:<10} {r['wall_s']:8.1f} {gen or 0:8.1f} {r.get('new_tokens', 0):8d} {tps} "
                     f"{r['peak_rss_mb']:12.0f} {r.get('peak_rows', '-'):>5}")
    floor, ours, capped = results["floor"], results["tunediff"], results["capped"]
    floor_s = step_floor_s(floor["weight_bytes"], floor["read_bytes_per_s"])
    step_s = ours["decode_s"] / ours["decode_steps"]
    lines.append(f"floor: {floor['weight_bytes'] / 1e6:.0f} MB of weights per step / "
                 f"{floor['read_bytes_per_s'] / 1e9:.2f} GB/s read = {floor_s * 1000:.1f} ms; tunediff's mean decode "
                 f"step {step_s * 1000:.1f} ms over {ours['decode_steps']} steps")
    # Rows a decode step carries on average: every new token but each output's first (the prefill's).
    rows = max(1.0, (ours["new_tokens"] - len(ours["texts"])) / max(1, ours["decode_steps"]))
    compute_s = compute_floor_s(floor["parameters"], rows, floor["flops"])
    roofline_s = max(floor_s, compute_s)
    lines.append(f"roofline: {rows:.1f} rows a step x 2 x {floor['parameters'] / 1e6:.1f} M parameters / "
                 f"{floor['flops'] / 1e9:.1f} GFLOPS = {compute_s * 1000:.1f} ms of arithmetic; the step's floor is "
                 f"the longer of that and the read: {roofline_s * 1000:.1f} ms")
    base_rss = results["base_only"]["peak_rss_mb"]
    lines.append(f"max_memory_mb={capped['max_memory'] / 2**20:.0f} "
                 f"speedup_vs_naive={results['naive']['wall_s'] / capped['wall_s']:.2f} "
                 f"rss_ratio_vs_base_only={capped['peak_rss_mb'] / base_rss:.2f}")
    lines.append(f"speedup_vs_naive={results['naive']['wall_s'] / ours['wall_s']:.2f} "
                 f"rss_ratio_vs_base_only={ours['peak_rss_mb'] / base_rss:.2f} "
                 f"overhead_vs_raw={ours['gen_s'] / results['raw']['gen_s'] - 1:.3f} "
                 f"step_vs_floor={step_s / floor_s:.2f} step_vs_roofline={step_s / roofline_s:.2f}")
    return lines


# ------------------------------------------------------------------------------ children


def _vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _prompts(spec: dict) -> list[tuple[str, list[dict]]]:
    sys.path.insert(0, str(REPO / "src"))
    from tunediff.suite import load_suite

    suite = load_suite(spec["suite"]).limit(spec["limit"])
    return [(p.id, list(p.messages)) for p in suite.prompts]


def _load(spec: dict, adapter: bool) -> tuple:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    sys.path.insert(0, str(REPO / "src"))
    from tunediff.backends.hf.embedded import EMBEDDED_NAME, resolve_base

    torch.set_num_threads(spec["threads"])
    base_dir = resolve_base(EMBEDDED_NAME, progress=False)
    tok = AutoTokenizer.from_pretrained(base_dir)
    model = AutoModelForCausalLM.from_pretrained(base_dir).eval()
    if adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, spec["adapter"], adapter_name="tuned").eval()
    return tok, model


def _cut(tok, ids: list[int], eos: set[int]) -> tuple[str, int]:
    end = next((i for i, t in enumerate(ids) if t in eos), len(ids))
    return tok.decode(ids[:end], skip_special_tokens=True, clean_up_tokenization_spaces=False), end + (end < len(ids))


def child_base_only(spec: dict) -> dict:
    """The memory floor: the base model loaded and run once, so its weights are resident.

    transformers maps the safetensors file, so right after loading most weight pages are still
    on disk (RSS ~420 MB for 540 MB of weights); any process that generates touches them all.
    Both figures are reported; the ratio uses the resident one.
    """
    import torch

    tok, model = _load(spec, adapter=False)
    loaded = _vm_hwm_mb()
    with torch.inference_mode():
        model(**tok("Hi", return_tensors="pt"))
    return {"loaded_rss_mb": loaded, "weight_bytes": sum(p.numel() * p.element_size() for p in model.parameters()),
            "parameters": sum(p.numel() for p in model.parameters())}


def child_floor(spec: dict) -> dict:
    return {"weight_bytes": spec["weight_bytes"], "parameters": spec["parameters"],
            "read_bytes_per_s": read_bandwidth(spec["weight_bytes"], spec["threads"]),
            "flops": matmul_flops(spec["threads"])}


def child_naive(spec: dict) -> dict:
    import torch

    tok, base = _load(spec, adapter=False)
    _, tuned = _load(spec, adapter=True)  # a second copy of the weights, as the usual script has
    eos = {int(base.generation_config.eos_token_id)}
    texts, new_tokens, gen = {}, 0, 0.0
    for pid, messages in _prompts(spec):
        for variant, model in (("base", base), ("tuned", tuned)):
            inputs = tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                             return_dict=True)
            t0 = time.perf_counter()
            with torch.no_grad():
                out = model.generate(**inputs, max_new_tokens=spec["max_new"], do_sample=False)
            text, n = _cut(tok, out[0, inputs["input_ids"].shape[1]:].tolist(), eos)
            gen += time.perf_counter() - t0
            texts[f"{pid}/{variant}"], new_tokens = text, new_tokens + n
    return {"texts": texts, "gen_s": gen, "new_tokens": new_tokens}


def child_raw(spec: dict) -> dict:
    import torch

    tok, model = _load(spec, adapter=True)
    tok.padding_side = "left"
    eos = set(spec["batches"]["eos"])
    prompts = dict(_prompts(spec))
    rendered = {pid: tok.apply_chat_template(m, tokenize=False, add_generation_prompt=True)
                for pid, m in prompts.items()}
    length = {pid: len(tok(text, add_special_tokens=False)["input_ids"]) for pid, text in rendered.items()}
    rows = sorted(((pid, v) for pid in prompts for v in ("base", "tuned")), key=lambda r: (-length[r[0]], r))
    size = spec["batches"]["size"]
    texts, new_tokens, gen = {}, 0, 0.0
    for batch in (rows[i:i + size] for i in range(0, len(rows), size)):
        inputs = tok([rendered[pid] for pid, _ in batch], add_special_tokens=False, padding=True, return_tensors="pt")
        names = ["__base__" if v == "base" else v for _, v in batch]
        t0 = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(**inputs, max_new_tokens=spec["max_new"], do_sample=False, adapter_names=names,
                                 eos_token_id=sorted(eos), pad_token_id=min(eos))
        for (pid, variant), row in zip(batch, out[:, inputs["input_ids"].shape[1]:].tolist(), strict=False):
            text, n = _cut(tok, row, eos)
            texts[f"{pid}/{variant}"], new_tokens = text, new_tokens + n
        gen += time.perf_counter() - t0
    return {"texts": texts, "gen_s": gen, "new_tokens": new_tokens}


def child_tunediff(spec: dict) -> dict:
    out = Path(spec["out"])
    cmd = [str(TUNEDIFF), "run", spec["suite"], "--adapter", f"tuned={spec['adapter']}", "--out", str(out), "-q",
           "--max-new-tokens", str(spec["max_new"])]
    if spec["limit"]:
        cmd += ["--limit", str(spec["limit"])]
    if spec.get("max_memory"):
        cmd += ["--max-memory", str(spec["max_memory"])]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the only child: tunediff run
    records = [json.loads(line) for line in (out / "generations.jsonl").read_text().splitlines()]
    manifest = json.loads((out / "run.json").read_text())
    # Records are appended as rows end, each report's rows carrying the time since the last report.
    batches: list[list[dict]] = []
    for rec in records:
        if batches and batches[-1][0]["batch_latency_s"] == rec["batch_latency_s"]:
            batches[-1].append(rec)
        else:
            batches.append([rec])
    detail = manifest["backend_detail"]
    groups = detail["kv_cache"]
    return {"texts": {f"{r['id']}/{r['variant']}": r["text"] for r in records},
            "gen_s": sum(b[0]["batch_latency_s"] for b in batches),
            "new_tokens": sum(r["new_tokens"] for r in records), "peak_rss_mb": peak,
            "batches": {"size": (detail.get("batch_sizes_used") or [detail["batch_size"]])[0],
                        "eos": manifest["eos_token_ids"]},
            "peak_rows": max(g["peak_rows"] for g in groups), "max_memory": detail.get("max_memory"),
            "decode_s": sum(g["decode_s"] for g in groups), "decode_steps": sum(g["decode_steps"] for g in groups),
            "timings": manifest.get("timings", {})}


CHILDREN = {"base_only": child_base_only, "floor": child_floor, "naive": child_naive, "raw": child_raw,
            "tunediff": child_tunediff, "capped": child_tunediff}

if __name__ == "__main__":
    main()
