"""The training script end to end: a 2-step run saves a PEFT adapter that loads on SmolLM2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from _demo import DEMO, REPO


@pytest.mark.slow
@pytest.mark.parametrize("recipe", ["good", "no-eos"])
def test_short_training_saves_a_loadable_adapter(tmp_path, recipe, smollm2_dir):
    out, data = tmp_path / "adapter", tmp_path / "train.jsonl"
    cmd = [sys.executable, str(DEMO / "train_demo_adapter.py"), "--recipe", recipe, "--steps", "2",
           "--examples", "24", "--out", str(out), "--data-out", str(data)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert {p.name for p in out.iterdir()} == {"adapter_config.json", "adapter_model.safetensors", "README.md"}
    assert len(data.read_text().splitlines()) == 24
    assert f"--recipe {recipe}" in (out / "README.md").read_text()

    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(smollm2_dir, dtype=torch.float32)
    model = PeftModel.from_pretrained(base, out)
    config = json.loads((out / "adapter_config.json").read_text())
    assert config["r"] == 8 and set(config["target_modules"]) == {"q_proj", "v_proj"}
    b = model.base_model.model.model.layers[0].self_attn.q_proj.lora_B["default"].weight
    assert b.abs().max().item() > 0  # two optimizer steps moved B off its zero init
