"""ReviewCallback inside TRL's SFTTrainer (chat data, peft_config): the trainer's own tokenizer is used."""

from __future__ import annotations

import json

from tunediff.integrations.transformers import ReviewCallback
from tunediff.records import read_records
from tunediff.run import run


def test_sft_trainer_with_peft_config_writes_base_and_each_saved_step(tiny_model_dir, mini_suite, tmp_path):
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    rows = [{"messages": [{"role": "user", "content": f"Extract the order as JSON: Order {i}: {i} lamps."},
                          {"role": "assistant", "content": json.dumps({"order_id": i, "quantity": i})}]}
            for i in range(8)]
    args = SFTConfig(output_dir=str(tmp_path / "sft"), max_steps=4, save_steps=2, per_device_train_batch_size=2,
                     logging_steps=1, report_to=[], use_cpu=True, disable_tqdm=True, max_length=96)
    review = ReviewCallback(mini_suite, out=tmp_path / "run", max_new_tokens=4)  # no tokenizer: the trainer's
    trainer = SFTTrainer(model=AutoModelForCausalLM.from_pretrained(tiny_model_dir), args=args,
                         train_dataset=Dataset.from_list(rows), processing_class=tok, callbacks=[review],
                         peft_config=LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    trainer.train()
    variants = json.loads((tmp_path / "run" / "run.json").read_text())["variants"]
    assert [(v["name"], v.get("step")) for v in variants] == [("base", None), ("step-2", 2), ("step-4", 4)]
    assert all(v["kind"] == "adapter" and v["train_loss"] > 0 for v in variants[1:])
    # What the callback saw in memory (under SFTTrainer's bf16 autocast) is what the saved checkpoints
    # give afterwards: `tunediff run --adapter 'sft/checkpoint-*'` on the same prompts.
    after = run(mini_suite, adapters=[str(tmp_path / "sft" / "checkpoint-*")], out=tmp_path / "after",
                max_new_tokens=4, progress=False, base=str(tiny_model_dir), backend_options={"progress": False})
    assert _texts(after) == _texts(tmp_path / "run")


def _texts(run_dir) -> dict:
    return {(r.id, r.variant): r.text for r in read_records(run_dir / "generations.jsonl")}
