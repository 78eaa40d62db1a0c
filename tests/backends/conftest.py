"""Fixtures for the served backends: a real vLLM (CPU) server and the HF backend's greedy reference.

The server is the same command `make serve-demo` runs (scripts/serve_demo.py): the embedded
SmolLM2 served as `base`, the demo adapter (or, until it is trained, a random-weight LoRA)
as `tuned`. It is started once per session on a free 127.0.0.1 port and stopped at the end:
it takes most of the machine's CPU while up.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO_SUITE = ROOT / "examples" / "demo" / "review.yaml"
N_PROMPTS = 6  # the demo set's first prompts
MAX_NEW_TOKENS = 48  # short answers keep the CPU time of the HF reference down


def _serve_demo():
    spec = importlib.util.spec_from_file_location("serve_demo", ROOT / "scripts" / "serve_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def serve_demo():
    return _serve_demo()


@pytest.fixture(scope="session")
def served_adapter(serve_demo) -> Path:
    """The adapter served as `tuned` (and compared through the hf and vllm backends)."""
    return serve_demo.demo_adapter(serve_demo.fallback_adapter_dir(), serve_demo.base_dir())


@pytest.fixture(scope="session")
def vllm_server(serve_demo, served_adapter, tmp_path_factory):
    """A real vLLM OpenAI-compatible server; yields its /v1 URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("vllm") / "server.log"
    t0 = time.monotonic()
    proc, _ = serve_demo.start_server(serve_demo.base_dir(), served_adapter, port, log=log, timeout=600)
    print(f"\nvLLM server ready in {time.monotonic() - t0:.0f} s on port {port} (log: {log})", file=sys.stderr)
    yield f"http://127.0.0.1:{port}/v1"
    serve_demo.stop_server(proc)


@pytest.fixture(scope="session")
def hf_reference(served_adapter, tmp_path_factory) -> dict:
    """The hf backend's greedy records on the demo set's first prompts: {(id, variant): record}."""
    from tunediff.run import execute, plan_run
    from tunediff.rundir import RunDir

    plan = plan_run(DEMO_SUITE, adapters=[f"tuned={served_adapter}"], limit=N_PROMPTS, preset="greedy",
                    max_new_tokens=MAX_NEW_TOKENS)
    out = execute(plan, tmp_path_factory.mktemp("hf") / "run", backend_options={"progress": False},
                  progress=False, flag=False)
    return {(r.id, r.variant): r for r in RunDir.open(out).records}
