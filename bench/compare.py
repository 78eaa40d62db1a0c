"""Benchmark: tunediff vs the hand-written script vs plain batched `generate`, side by side.

    .venv/bin/python bench/compare.py [--limit N] [--max-new-tokens 128] [--adapter DIR]

Arms, each in its own subprocess so its peak RSS is its own (VmHWM, or RUSAGE_CHILDREN for
the `tunediff run` grandchild):
  base_only  loads the base model and runs one forward pass: the memory floor;
  tunediff   `tunediff run` on the review set as a cold process (model cache warm);
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
`speedup_vs_naive=X rss_ratio_vs_base_only=Y overhead_vs_raw=Z`, where speedup compares wall
times (whole processes), rss_ratio divides tunediff's peak RSS by base_only's, and
overhead_vs_raw is tunediff's generation time over raw's minus 1.
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

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "examples" / "demo" / "review.yaml"
DEMO_ADAPTER = REPO / "examples" / "demo" / "adapter"
TUNEDIFF = Path(sys.executable).with_name("tunediff")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="first N prompts only (quick runs)")
    ap.add_argument("--max-new-tokens", type=int, default=128)
    ap.add_argument("--adapter", type=Path, help=f"PEFT adapter (default {DEMO_ADAPTER.relative_to(REPO)})")
    ap.add_argument("--threads", type=int, help="torch threads for every arm (default: tunediff's choice)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    args = ap.parse_args()
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
        results = {}
        for arm in ("base_only", "tunediff", "raw", "naive"):
            spec = {**base, "result": f"{tmp}/{arm}.json"}
            if arm == "raw":
                spec["batches"] = results["tunediff"]["batches"]
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
    texts = {arm: results[arm]["texts"] for arm in ("naive", "raw", "tunediff")}
    keys = sorted(texts["tunediff"])
    for arm in ("naive", "raw"):
        diff = [k for k in keys if texts[arm].get(k) != texts["tunediff"][k]]
        print(f"texts: tunediff vs {arm}: {len(keys) - len(diff)}/{len(keys)} identical", file=sys.stderr)
        for k in diff[:5]:
            a, b = texts[arm].get(k) or "", texts["tunediff"][k]
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            print(f"  {k}: first difference at char {at}: {arm}={a[at:at + 40]!r} tunediff={b[at:at + 40]!r}",
                  file=sys.stderr)
    print(f"base_only right after from_pretrained (weights still mapped, not read): "
          f"{results['base_only']['loaded_rss_mb']:.0f} MB", file=sys.stderr)
    print(f"{'arm':<10} {'wall_s':>8} {'gen_s':>8} {'new_tok':>8} {'tok/s':>8} {'peak_rss_mb':>12}")
    for arm in ("naive", "raw", "tunediff", "base_only"):
        r = results[arm]
        gen = r.get("gen_s")
        tps = f"{r['new_tokens'] / gen:8.1f}" if gen else f"{'-':>8}"
        print(f"{arm:<10} {r['wall_s']:8.1f} {gen or 0:8.1f} {r.get('new_tokens', 0):8d} {tps} "
              f"{r['peak_rss_mb']:12.0f}")
    speedup = results["naive"]["wall_s"] / results["tunediff"]["wall_s"]
    rss = results["tunediff"]["peak_rss_mb"] / results["base_only"]["peak_rss_mb"]
    overhead = results["tunediff"]["gen_s"] / results["raw"]["gen_s"] - 1
    print(f"speedup_vs_naive={speedup:.2f} rss_ratio_vs_base_only={rss:.2f} overhead_vs_raw={overhead:.3f}")


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
    return {"loaded_rss_mb": loaded}


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
    out = Path(spec["tmp"]) / "run"
    cmd = [str(TUNEDIFF), "run", spec["suite"], "--adapter", f"tuned={spec['adapter']}", "--out", str(out), "-q",
           "--max-new-tokens", str(spec["max_new"])]
    if spec["limit"]:
        cmd += ["--limit", str(spec["limit"])]
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
    return {"texts": {f"{r['id']}/{r['variant']}": r["text"] for r in records},
            "gen_s": sum(b[0]["batch_latency_s"] for b in batches),
            "new_tokens": sum(r["new_tokens"] for r in records), "peak_rss_mb": peak,
            "batches": {"size": (detail.get("batch_sizes_used") or [detail["batch_size"]])[0],
                        "eos": manifest["eos_token_ids"]},
            "timings": manifest.get("timings", {})}


CHILDREN = {"base_only": child_base_only, "naive": child_naive, "raw": child_raw, "tunediff": child_tunediff}

if __name__ == "__main__":
    main()
