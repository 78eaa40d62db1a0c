"""Helpers: a tiny training run (random-weight 2-layer Llama + LoRA) that transformers' Trainer can drive in seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def tiny_dataset(n: int = 12, length: int = 16, seed: int = 0) -> Any:
    """Equal-length rows of token ids, so the default collator stacks them without padding."""
    import torch
    from datasets import Dataset

    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(10, 300, (n, length), generator=g).tolist()  # within the tiny tokenizer's vocabulary
    return Dataset.from_dict({"input_ids": ids, "labels": ids, "attention_mask": [[1] * length] * n})


def tiny_trainer(model_dir: Path, out: Path, *, callbacks: list | None = None, max_steps: int = 6,
                 save_steps: int = 2, peft: bool = True, dropout: float = 0.1, **args: Any) -> Any:
    """A Trainer over the tiny Llama; LoRA dropout > 0, so a disturbed torch RNG changes the losses."""
    import torch
    from transformers import AutoModelForCausalLM, Trainer, TrainingArguments

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    if peft:
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, lora_dropout=dropout,
                                                 target_modules=["q_proj", "v_proj"]))
    options = {"per_device_train_batch_size": 2, "learning_rate": 5e-3, "save_strategy": "steps", "logging_steps": 1,
               "report_to": [], "seed": 0, "use_cpu": True, "disable_tqdm": True, "dataloader_num_workers": 0,
               **args}
    training_args = TrainingArguments(output_dir=str(out), max_steps=max_steps, save_steps=save_steps, **options)
    return Trainer(model=model, args=training_args, train_dataset=tiny_dataset(), callbacks=callbacks or [])


def losses(trainer: Any) -> list[tuple[int, float]]:
    return [(e["step"], e["loss"]) for e in trainer.state.log_history if "loss" in e]
