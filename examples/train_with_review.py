"""Fine-tune with a review at every checkpoint: transformers `Trainer` + `tunediff`'s `ReviewCallback`.

    python examples/train_with_review.py                        # the good recipe
    python examples/train_with_review.py --recipe collapse      # learning rate far too high
    tunediff flags runs/train-good                              # the checkpoint timeline (also while training)
    tunediff report runs/train-good                             # the same as an HTML page

It trains the demo LoRA (SmolLM2-135M-Instruct learns to extract orders as JSON; the data and
recipes of examples/demo/train_demo_adapter.py) and, at each saved checkpoint, generates the
demo review set's outputs from the model in memory into ONE run directory: `base` once before
the first step, then `step-10`, `step-20`, ... with the step's epoch and training loss. Copy the
lines marked `# tunediff` into your own training script; nothing else changes.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE / "demo"
sys.path.insert(0, str(DEMO))  # the demo's data and recipes
sys.path.insert(0, str(HERE.parent / "src"))  # tunediff from this checkout when not installed

from train_demo_adapter import RECIPES, collate, make_examples, tokenize  # noqa: E402

# Steps and checkpoint interval here: the good recipe has learned its format well before the demo
# adapter's 80 steps; the collapse recipe breaks within its first steps, so it is reviewed more often.
SCHEDULE = {"good": {"steps": 40, "save_every": 10}, "collapse": {"steps": 30, "save_every": 5}}


def review_set(path: Path, per_category: int | None):
    """The demo review set, or its first `per_category` prompts of each category (a quicker look)."""
    import tunediff

    suite = tunediff.load_suite(path)
    if per_category is None:
        return suite
    taken: dict[str, int] = {}
    keep = []
    for prompt in suite.prompts:
        if taken.get(prompt.category, 0) < per_category:
            keep.append(prompt)
            taken[prompt.category] = taken.get(prompt.category, 0) + 1
    return dataclasses.replace(suite, prompts=tuple(keep))


def train(args: argparse.Namespace) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments

    from tunediff.backends.hf.embedded import resolve_base
    from tunediff.backends.hf.threads import thread_count
    from tunediff.integrations.transformers import ReviewCallback  # tunediff

    recipe = RECIPES[args.recipe]
    steps = args.steps or SCHEDULE[args.recipe]["steps"]
    # On a shared CPU a second thread that keeps being descheduled stalls every matrix product
    # (10x slower measured here); tunediff's probe picks the thread count that actually helps.
    torch.set_num_threads(thread_count())
    # tunediff: built before training, so a bad review set or setting stops here, not after an hour.
    review = ReviewCallback(review_set(args.review, args.per_category), out=args.out,  # tunediff
                            max_new_tokens=args.max_new_tokens)  # tunediff

    base_dir = resolve_base("smollm2-135m")
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
    model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["q_proj", "v_proj"],
                                             task_type="CAUSAL_LM"))
    rows = tokenize(tokenizer, make_examples(args.examples, args.seed), args.recipe)

    def batch(rows_in_batch):
        input_ids, attention, labels = collate([(r["input_ids"], r["labels"]) for r in rows_in_batch],
                                               tokenizer.pad_token_id)
        return {"input_ids": input_ids, "attention_mask": attention, "labels": labels}

    training_args = TrainingArguments(
        output_dir=str(args.train_out), max_steps=steps, per_device_train_batch_size=recipe["batch"],
        learning_rate=recipe["lr"], lr_scheduler_type="constant", weight_decay=0.0, seed=args.seed,
        save_strategy="steps", save_steps=args.save_every, save_only_model=True, logging_steps=args.save_every,
        report_to=[], use_cpu=not torch.cuda.is_available(), disable_tqdm=True, remove_unused_columns=False)
    trainer = Trainer(model=model, args=training_args, processing_class=tokenizer, data_collator=batch,
                      train_dataset=[{"input_ids": ids, "labels": labels} for ids, labels in rows],
                      callbacks=[review])  # tunediff
    start = time.monotonic()
    trainer.train()
    review_s = sum(review.seconds.values())
    print(f"trained {args.recipe} for {steps} steps in {time.monotonic() - start:.0f} s "
          f"({review_s:.0f} s of it generating reviews); run directory: {args.out}", file=sys.stderr)
    print(f"next: tunediff flags {args.out}   |   tunediff show {args.out}   |   tunediff report {args.out}",
          file=sys.stderr)
    return Path(args.out)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", choices=["good", "collapse"], default="good")
    parser.add_argument("--steps", type=int, help="optimizer steps (default 40 good, 30 collapse)")
    parser.add_argument("--save-every", type=int,
                        help="checkpoint (and review) every N steps (default 10 good, 5 collapse)")
    parser.add_argument("--review", type=Path, default=DEMO / "review.yaml", help="review set")
    parser.add_argument("--per-category", type=int, default=3,
                        help="review only the first N prompts of each category (0: all 36)")
    parser.add_argument("--max-new-tokens", type=int, default=96, help="token limit per review output")
    parser.add_argument("--examples", type=int, default=480, help="synthetic training examples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="run directory (default runs/train-RECIPE)")
    parser.add_argument("--train-out", type=Path, help="checkpoint folder (default runs/train-RECIPE-checkpoints)")
    args = parser.parse_args(argv)
    args.per_category = args.per_category or None
    args.save_every = args.save_every or SCHEDULE[args.recipe]["save_every"]
    args.out = args.out or Path("runs") / f"train-{args.recipe}"
    args.train_out = args.train_out or Path("runs") / f"train-{args.recipe}-checkpoints"
    return args


if __name__ == "__main__":
    train(parse_args())
