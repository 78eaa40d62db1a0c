"""Shared paths and the demo training script, imported as a module (it is not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"
FIXTURES = REPO / "tests" / "fixtures"
ADAPTERS = {
    "good": DEMO / "adapter",
    "no-eos": FIXTURES / "adapters" / "no-eos",
    "collapse": FIXTURES / "adapters" / "collapse",
}


def load_script(name: str):
    """Import examples/demo/NAME.py once."""
    key = f"_tunediff_demo_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, DEMO / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]
