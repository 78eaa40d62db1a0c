"""`tunediff doctor --probe` on the real SmolLM2: one mixed batch of the base and three adapters.

The demo adapter (clean) passes; the no-eos fixture (it writes a new `<|im_start|>system` turn
after its JSON) fails probe.stop and probe.turn; a zero adapter (the demo adapter with every
lora_B zeroed: files that look fine, weights that do nothing) fails probe.changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tunediff.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "demo"

pytestmark = pytest.mark.slow


def zeroed(adapter: Path, out: Path) -> Path:
    from safetensors.torch import load_file, save_file

    shutil.copytree(adapter, out)
    tensors = load_file(out / "adapter_model.safetensors")
    save_file({k: v.zero_() if "lora_B" in k else v for k, v in tensors.items()}, out / "adapter_model.safetensors")
    return out


def test_probe_tells_the_clean_adapter_from_no_eos_and_zero(tmp_path):
    zero = zeroed(DEMO / "adapter", tmp_path / "zero")
    result = CliRunner().invoke(main, [
        "doctor", "--adapter", f"demo={DEMO / 'adapter'}",
        "--adapter", f"no-eos={REPO / 'tests/fixtures/adapters/no-eos'}",
        "--adapter", f"zero={zero}", "--probe", "--suite", str(DEMO / "review.yaml"), "--probe-tokens", "40", "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    status = {c["id"]: c["status"] for c in report["checks"] if c["id"].startswith("probe")}
    assert status == {
        "probe.babble:base": "pass",
        "probe.babble:demo": "pass", "probe.stop:demo": "pass", "probe.turn:demo": "pass", "probe.changes:demo": "pass",
        "probe.babble:no-eos": "pass", "probe.stop:no-eos": "fail", "probe.turn:no-eos": "fail",
        "probe.changes:no-eos": "pass",
        "probe.babble:zero": "pass", "probe.stop:zero": "fail", "probe.turn:zero": "pass", "probe.changes:zero": "fail",
    }
    messages = {c["id"]: c["message"] for c in report["checks"]}
    assert "<|im_start|>system" in messages["probe.turn:no-eos"]
    assert "identical to the base's" in messages["probe.changes:zero"]
    # One batch: every prompt for every variant, three prompts (first standard, edge, ood).
    assert len(report["probe"]["outputs"]) == 3 * 4 and report["probe"]["max_new_tokens"] == 40
