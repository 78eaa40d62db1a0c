"""Generation backends, registered by name and imported only when used.

- `hf` (default): transformers + peft on this machine.
- `openai`: any OpenAI-compatible server (vLLM, llama.cpp, Ollama, TGI).
- `vllm`: offline vLLM with LoRA.
- `fake`: scripted replies for tests; no model.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import UserError
from .base import Backend, BatchCallback, GenerationRequest, GenerationResult

# name -> (module, class, pip hint for its heavy dependency)
_REGISTRY: dict[str, tuple[str, str, str]] = {
    "hf": ("tunediff.backends.hf.engine", "HFBackend", "pip install 'tunediff[hf]' (torch, transformers, peft)"),
    "openai": ("tunediff.backends.openai", "OpenAIBackend", "pip install httpx"),
    "vllm": ("tunediff.backends.vllm", "VLLMBackend", "pip install 'tunediff[vllm]'"),
    "fake": ("tunediff.backends.fake", "FakeBackend", ""),
}


FOR_TESTS = ("fake",)
"""Backends for tests only: the CLI does not offer them."""


def backend_names(for_tests: bool = True) -> list[str]:
    """Registered backend names; `for_tests=False` leaves out those only tests use."""
    return [n for n in _REGISTRY if for_tests or n not in FOR_TESTS]


def get_backend(name: str, **options: Any) -> Backend:
    """Instantiate a backend by name; a missing dependency is a one-line error with the fix."""
    if name not in _REGISTRY:
        raise UserError(f"--backend {name}: unknown backend; use one of {', '.join(_REGISTRY)}")
    module_name, class_name, hint = _REGISTRY[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("tunediff"):
            raise
        raise UserError(f"backend '{name}' needs the package '{exc.name}': {hint}") from None
    return getattr(module, class_name)(**options)


__all__ = ["Backend", "BatchCallback", "GenerationRequest", "GenerationResult", "get_backend", "backend_names"]
