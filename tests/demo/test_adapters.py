"""The committed adapters: PEFT safetensors only, small, r=8 on q/v, and they load with peft."""

from __future__ import annotations

import json

import pytest
from _demo import ADAPTERS

ALLOWED = {"adapter_config.json", "adapter_model.safetensors", "README.md"}
# SmolLM2-135M: 30 layers, hidden 576, 9 query heads and 3 key/value heads of 64 dims.
LAYERS, HIDDEN, KV_DIM, RANK = 30, 576, 3 * 64, 8


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_files_config_and_size(name):
    folder = ADAPTERS[name]
    files = {p.name for p in folder.iterdir()}
    assert files == ALLOWED, f"{folder}: only {sorted(ALLOWED)} belong here, found {sorted(files)}"
    assert (folder / "adapter_model.safetensors").stat().st_size < 10 * 1024 * 1024
    config = json.loads((folder / "adapter_config.json").read_text())
    assert config["peft_type"] == "LORA" and config["r"] == RANK
    assert set(config["target_modules"]) == {"q_proj", "v_proj"}
    assert config["base_model_name_or_path"] == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert "python examples/demo/train_demo_adapter.py" in (folder / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_weight_shapes_fit_smollm2(name):
    from safetensors.torch import load_file

    weights = load_file(ADAPTERS[name] / "adapter_model.safetensors")
    assert len(weights) == LAYERS * 2 * 2  # q and v, A and B, per layer
    out_dims = {"q_proj": HIDDEN, "v_proj": KV_DIM}
    for key, tensor in weights.items():
        module = "q_proj" if ".q_proj." in key else "v_proj"
        expected = (RANK, HIDDEN) if ".lora_A." in key else (out_dims[module], RANK)
        assert tuple(tensor.shape) == expected, key
        assert tensor.isfinite().all(), key


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_lora_b_is_trained(name):
    # peft initialises B to zero: an all-zero B is an adapter that changes nothing.
    from safetensors.torch import load_file

    weights = load_file(ADAPTERS[name] / "adapter_model.safetensors")
    b_norms = [t.abs().max().item() for k, t in weights.items() if ".lora_B." in k]
    assert min(b_norms) > 0, f"{name}: some lora_B matrices are all zero"


@pytest.fixture(scope="module")
def smollm2_shaped_model():
    """A random-weight model with SmolLM2-135M's shapes (no real weights needed to check fit)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=49152, hidden_size=HIDDEN, intermediate_size=1536, num_hidden_layers=LAYERS,
                         num_attention_heads=9, num_key_value_heads=3, head_dim=64, tie_word_embeddings=True)
    return LlamaForCausalLM(config)


def test_adapters_load_with_peft(smollm2_shaped_model):
    import torch
    from peft import PeftModel
    from safetensors.torch import load_file

    model = None
    for name, folder in sorted(ADAPTERS.items()):
        adapter = name.replace("-", "_")
        if model is None:
            model = PeftModel.from_pretrained(smollm2_shaped_model, folder, adapter_name=adapter)
        else:
            model.load_adapter(folder, adapter_name=adapter)
        stored = load_file(folder / "adapter_model.safetensors")
        key = next(k for k in stored if "layers.0.self_attn.v_proj.lora_B" in k)
        module = model.base_model.model.model.layers[0].self_attn.v_proj
        assert torch.equal(module.lora_B[adapter].weight, stored[key])
    assert set(model.peft_config) == {n.replace("-", "_") for n in ADAPTERS}
