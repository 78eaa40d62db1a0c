"""Builders of tiny local setups for the doctor tests (random-weight models, adapters, data).

A module of its own, not conftest.py: `from conftest import ...` would pick whichever
conftest Python imported first when the whole suite runs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja")
VOCAB = 49152


def tiny_llama(out: Path, hidden: int = 32) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=VOCAB, hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=2, head_dim=hidden // 2,
                         bos_token_id=1, eos_token_id=2, pad_token_id=2, tie_word_embeddings=True)
    LlamaForCausalLM(config).save_pretrained(out, safe_serialization=True)
    (out / "generation_config.json").write_text(json.dumps({"bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 2}))
    return out


def tiny_gpt2(out: Path) -> Path:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    GPT2LMHeadModel(GPT2Config(vocab_size=VOCAB, n_embd=32, n_layer=2, n_head=2)).save_pretrained(out)
    return out


def copy_tokenizer(src: Path, dst: Path) -> None:
    for name in TOKENIZER_FILES:
        shutil.copy(src / name, dst / name)


def edit_json(path: Path, **changes) -> None:
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data, indent=2))


def make_adapter(base_dir: Path, out: Path, *, zero: bool = False, targets=("q_proj", "v_proj"),
                 pickle: bool = False) -> Path:
    """A LoRA adapter; `zero` keeps peft's default init (B = 0: a no-op), else random B."""
    import torch
    from peft import LoraConfig, get_peft_model, get_peft_model_state_dict
    from transformers import AutoModelForCausalLM

    torch.manual_seed(1)
    model = AutoModelForCausalLM.from_pretrained(base_dir)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=list(targets), init_lora_weights=zero,
                        task_type="CAUSAL_LM")
    peft_model = get_peft_model(model, config)
    peft_model.save_pretrained(out, safe_serialization=True)
    if pickle:
        (out / "adapter_model.safetensors").unlink()
        torch.save(get_peft_model_state_dict(peft_model), out / "adapter_model.bin")
    return out


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def chat_rows(n: int = 12) -> list[dict]:
    return [{"messages": [{"role": "user", "content": f"Extract the order as JSON: Order {i}: {i + 1} mugs."},
                          {"role": "assistant", "content": json.dumps({"order_id": i, "quantity": i + 1})}]}
            for i in range(n)]
