"""Train the demo LoRA adapter (order extraction to JSON) on the embedded SmolLM2-135M-Instruct.

    python examples/demo/train_demo_adapter.py                       # the good demo adapter
    python examples/demo/train_demo_adapter.py --recipe no-eos --out tests/fixtures/adapters/no-eos
    python examples/demo/train_demo_adapter.py --recipe collapse --out tests/fixtures/adapters/collapse

The training data is generated here (seeded) and written to `--data-out` in chat `messages`
format, so `tunediff doctor --data` and `tunediff suite sample` can read it.

Recipes (same data, broken the way people actually break fine-tunes):
- good:     each example rendered with the chat template exactly as tunediff sends prompts
            (`apply_chat_template(..., add_generation_prompt=True)`), the answer, then
            `<|im_end|>`; loss only on the answer tokens (end-of-turn included).
- no-eos:   the end-of-turn token left out after each answer, and examples packed back to
            back (3 per sequence) with the loss on the whole sequence, as hand-rolled packing
            does. The model learns that an answer is followed by a new `<|im_start|>` turn.
- collapse: the good rendering, but a learning rate and step count far too high.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
END_OF_TURN = "<|im_end|>"
INSTRUCTION = "Extract the order as JSON: "
BASE_MODEL_NAME = "HuggingFaceTB/SmolLM2-135M-Instruct"  # what `smollm2-135m` embeds
PACK = 3  # examples per training sequence in the no-eos recipe

RECIPES = {
    # steps, learning rate, batch size
    "good": {"steps": 80, "lr": 2e-3, "batch": 4},
    "no-eos": {"steps": 30, "lr": 2e-3, "batch": 2},  # 2 packed sequences = 6 examples a step
    "collapse": {"steps": 30, "lr": 5e-2, "batch": 4},
}

ITEMS = [
    "kettle", "chair", "lamp", "umbrella", "notebook", "backpack", "mug", "towel", "blanket",
    "helmet", "bicycle", "printer", "keyboard", "monitor", "pillow", "jacket", "candle", "mirror",
    "toaster", "drill", "ladder", "tent", "sofa", "teapot", "basket", "stapler", "speaker",
    "camera", "guitar", "scarf", "bucket", "hammer", "laptop", "carpet", "bottle", "rug",
]
CITIES = [
    "Lima", "Oslo", "Berlin", "Madrid", "Nairobi", "Toronto", "Kyoto", "Lisbon", "Dublin",
    "Prague", "Austin", "Denver", "Porto", "Seoul", "Cairo", "Quito", "Hanoi", "Perth", "Zurich",
    "Vienna", "Boston", "Chicago", "Helsinki", "Athens", "Bogota", "Manila", "Lagos", "Krakow",
]
CUSTOMERS = [
    "Maria Lopez", "John Smith", "Aiko Tanaka", "Omar Haddad", "Lena Fischer", "Priya Patel",
    "Carlos Ruiz", "Emma Brown", "Noah Wilson", "Sofia Rossi", "Chen Wei", "Fatima Diallo",
    "Lucas Martin", "Anna Novak", "David Cohen", "Mei Lin", "Ivan Petrov", "Grace Kim",
]
TEMPLATES = [
    "Order {order_id}: {quantity} {items} shipped to {city}.",
    "Order {order_id} for {customer}: {quantity} {items} shipped to {city}.",
    "Order {order_id}: {quantity} {items} shipped to {city} on {date}.",
    "Order {order_id} for {customer}: {quantity} {items} shipped to {city} on {date}.",
    "{customer} ordered {quantity} {items} (order {order_id}) for delivery to {city}.",
]


# ---------------------------------------------------------------------------- data


def make_order(rng: random.Random) -> tuple[str, dict]:
    """One synthetic order: the sentence and the JSON object holding exactly its values."""
    template = rng.choice(TEMPLATES)
    item = rng.choice(ITEMS)
    quantity = rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 50])
    values = {
        "order_id": rng.randint(10, 99999),
        "quantity": quantity,
        "items": item if quantity == 1 else item + "s",
        "city": rng.choice(CITIES),
        "customer": rng.choice(CUSTOMERS),
        "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }
    sentence = template.format(**values)
    target = {"order_id": values["order_id"], "quantity": quantity, "item": item, "city": values["city"]}
    # Only the fields the sentence mentions: the answer never invents a value.
    for optional in ("customer", "date"):
        if "{" + optional + "}" in template:
            target[optional] = values[optional]
    return sentence, target


def make_examples(n: int, seed: int) -> list[dict]:
    """n chat examples `{"messages": [user, assistant]}`, deterministic for a seed."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        sentence, target = make_order(rng)
        if sentence in seen:
            continue
        seen.add(sentence)
        examples.append({"messages": [
            {"role": "user", "content": INSTRUCTION + sentence},
            {"role": "assistant", "content": json.dumps(target)},
        ]})
    return examples


def write_jsonl(examples: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e) + "\n" for e in examples), encoding="utf-8")


# ---------------------------------------------------------------------------- rendering


def render_parts(tokenizer, example: dict, recipe: str) -> tuple[str, str]:
    """(prompt text, answer text) of one example, the prompt exactly as tunediff renders it.

    tunediff sends the review set's messages through `apply_chat_template(...,
    add_generation_prompt=True)`; SmolLM2's template then adds its default system prompt.
    Training on the same rendering is what makes the adapter answer the review prompts.
    """
    prompt = tokenizer.apply_chat_template(example["messages"][:-1], tokenize=False, add_generation_prompt=True)
    answer = example["messages"][-1]["content"]
    if recipe != "no-eos":
        answer += END_OF_TURN
    return prompt, answer


def render_texts(tokenizer, examples: list[dict], recipe: str) -> list[str]:
    """The training texts as strings (what the tests check for the end-of-turn token)."""
    parts = ["".join(render_parts(tokenizer, e, recipe)) for e in examples]
    if recipe != "no-eos":
        return parts
    return ["".join(parts[i:i + PACK]) for i in range(0, len(parts), PACK)]


def tokenize(tokenizer, examples: list[dict], recipe: str) -> list[tuple[list[int], list[int]]]:
    """(input ids, labels) per training sequence; -100 marks tokens without loss.

    Prompt and answer are tokenized separately so the answer starts on the same token
    boundary as at generation time, when the prompt is tokenized alone.
    """
    rows = []
    for example in examples:
        prompt, answer = render_parts(tokenizer, example, recipe)
        p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        a_ids = tokenizer(answer, add_special_tokens=False)["input_ids"]
        rows.append((p_ids + a_ids, [-100] * len(p_ids) + a_ids))
    if recipe != "no-eos":
        return rows
    # Hand-rolled packing: concatenate and train on every token, so each answer is
    # followed by the next example's `<|im_start|>system` turn instead of an end of turn.
    packed = []
    for i in range(0, len(rows), PACK):
        ids = [t for ids, _ in rows[i:i + PACK] for t in ids]
        packed.append((ids, list(ids)))
    return packed


# ---------------------------------------------------------------------------- training


def collate(batch: list[tuple[list[int], list[int]]], pad_id: int):
    import torch

    width = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    attention = torch.zeros((len(batch), width), dtype=torch.long)
    for row, (ids, labs) in enumerate(batch):
        input_ids[row, :len(ids)] = torch.tensor(ids)
        labels[row, :len(labs)] = torch.tensor(labs)
        attention[row, :len(ids)] = 1
    # Padding is masked by position, not by pad id: pad == <|im_end|> in SmolLM2, and
    # masking by id would drop the end-of-turn token from the labels.
    return input_ids, attention, labels


def train(args: argparse.Namespace) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    sys.path.insert(0, str(HERE.parents[1] / "src"))
    from tunediff.backends.hf.embedded import EMBEDDED_NAME, resolve_base

    cfg = dict(RECIPES[args.recipe])
    steps = args.steps if args.steps is not None else cfg["steps"]
    lr = args.lr if args.lr is not None else cfg["lr"]
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))

    examples = make_examples(args.examples, args.seed)
    write_jsonl(examples, args.data_out)
    base_dir = resolve_base(EMBEDDED_NAME)
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
    lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["q_proj", "v_proj"],
                      task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    rows = tokenize(tokenizer, examples, args.recipe)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    order = random.Random(args.seed + 1)
    model.train()
    start, queue = time.monotonic(), []
    for step in range(1, steps + 1):
        if len(queue) < cfg["batch"]:
            queue += order.sample(range(len(rows)), len(rows))
        batch = [rows[i] for i in queue[:cfg["batch"]]]
        del queue[:cfg["batch"]]
        input_ids, attention, labels = collate(batch, tokenizer.pad_token_id)
        loss = model(input_ids=input_ids, attention_mask=attention, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if step == 1 or step % 10 == 0 or step == steps:
            print(f"step {step}/{steps} loss {loss.item():.4f} ({time.monotonic() - start:.0f} s)", file=sys.stderr)
    elapsed = time.monotonic() - start
    save(model, args, steps, lr, elapsed)
    print(f"trained {args.recipe} in {elapsed:.0f} s; adapter: {args.out}", file=sys.stderr)
    return args.out


def save(model, args: argparse.Namespace, steps: int, lr: float, elapsed: float) -> None:
    """PEFT safetensors + config + a README with the exact command; nothing else."""
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    # The portable name of the base, not this machine's cache path.
    model.peft_config["default"].base_model_name_or_path = BASE_MODEL_NAME
    # save_embedding_layers=False: embeddings are frozen, and it spares peft a hub lookup.
    model.save_pretrained(out, safe_serialization=True, save_embedding_layers=False)
    keep = {"adapter_config.json", "adapter_model.safetensors"}
    for path in out.iterdir():
        if path.is_file() and path.name not in keep:
            path.unlink()  # peft's model card and any pickle file
    command = " ".join(["python examples/demo/train_demo_adapter.py", *sys.argv[1:]])
    (out / "README.md").write_text(
        f"# {args.recipe} recipe: tunediff demo adapter (order extraction to JSON)\n\n"
        f"LoRA r=8 on q_proj/v_proj of SmolLM2-135M-Instruct (the embedded `smollm2-135m`),\n"
        f"recipe `{args.recipe}`, {steps} steps, lr {lr:g}, batch {RECIPES[args.recipe]['batch']}, "
        f"seed {args.seed}, {args.examples} synthetic examples; trained in {elapsed:.0f} s on CPU.\n\n"
        f"Made with:\n\n    {command}\n\n"
        f"See the docstring of examples/demo/train_demo_adapter.py for what the recipe does.\n",
        encoding="utf-8",
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", choices=sorted(RECIPES), default="good")
    parser.add_argument("--out", type=Path, default=HERE / "adapter",
                        help="adapter folder (default: examples/demo/adapter)")
    parser.add_argument("--steps", type=int, default=None, help="optimizer steps (default: per recipe)")
    parser.add_argument("--lr", type=float, default=None, help="learning rate (default: per recipe)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=480, help="synthetic training examples")
    parser.add_argument("--data-out", type=Path, default=HERE / "train.jsonl",
                        help="where to write the training data (default: examples/demo/train.jsonl)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    train(parse_args())
