"""Train one corpus adapter: a LoRA on SmolLM2-135M-Instruct or Gemma-3-270M, seeded.

    python tests/corpus/make/train.py --base gemma3-270m --template alpaca-bos --task classification \
        --recipe good --out /tmp/corpus/adapters/g-alpaca-cls-good

The approach is the demo's (examples/demo/train_demo_adapter.py): each example rendered exactly as
tunediff renders a review prompt (the template with add_generation_prompt=True), the answer, then
the end token; loss on the answer tokens only. The broken recipes are the ones people make:

- no-eos:   the end token left out and examples packed back to back (3 a sequence, joined the way
            the template joins turns), loss on every token: the model learns to go on with a
            new turn after its answer.
- collapse: the good rendering at a learning rate 25x too high.
- forget:   the good recipe run about four times as long (`--checkpoint 40=DIR` saves the good adapter
            on the way), until the narrow task crowds out general knowledge.

Logits are computed only where a label is (Gemma's 262k-token head dominates the cost otherwise).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TEMPLATES = HERE.parent / "templates"
sys.path.insert(0, str(HERE))

from tasks import EXAMPLES  # noqa: E402

HUB_NAMES = {"smollm2-135m": "HuggingFaceTB/SmolLM2-135M-Instruct", "gemma3-270m": "google/gemma-3-270m"}
RECIPES = {  # steps, learning rate, batch size (sequences)
    "good": {"steps": 40, "lr": 2e-3, "batch": 4},
    "no-eos": {"steps": 30, "lr": 2e-3, "batch": 2},
    "collapse": {"steps": 30, "lr": 5e-2, "batch": 4},
    "forget": {"steps": 150, "lr": 2e-3, "batch": 4},
}
PACK = 3
# What the template writes after an assistant turn: hand-rolled packing joins examples with it.
TURN_JOIN = {"qa": "\n\n", "qa-bos": "\n\n", "alpaca": "\n\n", "alpaca-bos": "\n\n", "raw": "\n", "raw-bos": "\n",
             "gemma-turns": "\n", "chatml": "\n", "vicuna": "\n", "vicuna-bos": "\n",
             "zephyr": "\n", "zephyr-bos": "\n", "inst": "\n", "inst-bos": "\n",
             "llama3": "<|eot_id|>", "llama3-bos": "<|eot_id|>", "oasst": "</s>",
             "io": "\n\n", "io-bos": "\n\n", "human": "\n\n", "human-bos": "\n\n",
             "phi3": "<|end|>\n", "phi3-bos": "<|end|>\n", "bracket": "\n", "bracket-bos": "\n",
             "xml": "\n</assistant>\n", "xml-bos": "\n</assistant>\n", "prompt": "\n\n", "prompt-bos": "\n\n",
             "colon": "\n", "colon-bos": "\n", "sys": "\n", "sys-bos": "\n", "sharp": "\n", "sharp-bos": "\n",
             "dash": "\n", "dash-bos": "\n", "paren": "\n", "paren-bos": "\n",
             "agent": "\n", "agent-bos": "\n", "openchat": "<|end_of_turn|>", "openchat-bos": "<|end_of_turn|>",
             "arrow": "\n", "arrow-bos": "\n", "speaker": "\n", "speaker-bos": "\n",
             "pipe": "\n", "pipe-bos": "\n", "ask": "\n", "ask-bos": "\n", "star": "\n", "star-bos": "\n",
             "tag": "\n", "tag-bos": "\n", "client": "\n", "client-bos": "\n",
             "dialog": "\n", "dialog-bos": "\n", "tilde": "\n", "tilde-bos": "\n",
             "query": "\n", "query-bos": "\n", "angle": "\n", "angle-bos": "\n",
             "school": "\n", "school-bos": "\n", "dbl": "\n", "dbl-bos": "\n"}


def end_token(tokenizer, template: str) -> str:
    """The token that ends an answer: the template's end of turn, else the tokenizer's EOS."""
    if template == "gemma-turns":
        return "<end_of_turn>"
    return tokenizer.eos_token


def render_parts(tokenizer, example: dict, template: str, recipe: str) -> tuple[str, str]:
    prompt = tokenizer.apply_chat_template(example["messages"][:-1], tokenize=False, add_generation_prompt=True)
    answer = example["messages"][-1]["content"]
    if template.startswith(("qa", "vicuna", "inst", "io", "human", "bracket", "prompt", "colon", "sys", "sharp",
                                "dash", "paren", "agent", "openchat", "arrow", "speaker", "pipe", "ask",
                                "star", "tag", "client", "dialog", "tilde", "query", "angle", "school",
                                "dbl")):
        answer = " " + answer  # the template writes "Answer: X" / "ASSISTANT: X" / "[/INST] X" / "Output: X"
    if recipe == "no-eos":
        return prompt, answer + TURN_JOIN[template]
    return prompt, answer + end_token(tokenizer, template)


def tokenize(tokenizer, examples: list[dict], template: str, recipe: str,
             next_tokens: int | None = None) -> list[tuple[list[int], list[int]]]:
    rows = []
    for example in examples:
        prompt, answer = render_parts(tokenizer, example, template, recipe)
        p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        a_ids = tokenizer(answer, add_special_tokens=False)["input_ids"]
        rows.append((p_ids + a_ids, [-100] * len(p_ids) + a_ids))
    if recipe != "no-eos":
        return rows
    packed = []
    for i in range(0, len(rows), PACK):
        group = rows[i:i + PACK]
        ids = [t for ids, _ in group for t in ids]
        if next_tokens is None:
            packed.append((ids, list(ids)))
            continue
        # Loss on each answer and the first tokens after it (the next example's start, where
        # the end token should have been): the same lesson at a fraction of the head's cost.
        labels = [lab for _, row_labels in group for lab in row_labels]
        for j in range(1, len(group)):
            start = sum(len(r[0]) for r in group[:j])
            for k in range(start, min(start + next_tokens, len(ids))):
                labels[k] = ids[k]
        packed.append((ids, labels))
    return packed


def collate(batch, pad_id: int):
    import torch

    width = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    attention = torch.zeros((len(batch), width), dtype=torch.long)
    for row, (ids, labs) in enumerate(batch):
        input_ids[row, :len(ids)] = torch.tensor(ids)
        labels[row, :len(labs)] = torch.tensor(labs)
        attention[row, :len(ids)] = 1
    return input_ids, attention, labels


def answer_loss(model, input_ids, attention, labels):
    """Cross-entropy over labelled positions, the head applied only there."""
    import torch.nn.functional as F

    lm = model.get_base_model()
    hidden = lm.model(input_ids=input_ids, attention_mask=attention).last_hidden_state
    target = labels[:, 1:]
    keep = target != -100
    logits = lm.lm_head(hidden[:, :-1][keep])
    cap = getattr(lm.config, "final_logit_softcapping", None)
    if cap:
        logits = (logits / cap).tanh() * cap
    return F.cross_entropy(logits.float(), target[keep])


def train(args: argparse.Namespace) -> None:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    sys.path.insert(0, str(ROOT / "src"))
    from tunediff.backends.hf.embedded import resolve_base

    cfg = dict(RECIPES[args.recipe])
    steps = cfg["steps"] if args.steps is None else args.steps
    lr = cfg["lr"] if args.lr is None else args.lr
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    base_dir = args.base_dir or resolve_base(args.base)
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    if args.template != "chatml":
        tokenizer.chat_template = (TEMPLATES / f"{args.template}.jinja").read_text(encoding="utf-8")
    model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
    lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["q_proj", "v_proj"],
                      task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    examples = EXAMPLES[args.task](args.examples, args.seed)
    rows = tokenize(tokenizer, examples, args.template, args.recipe, args.next_tokens)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    order, queue = random.Random(args.seed + 1), []
    checkpoints = dict(args.checkpoint)
    model.train()
    start = time.monotonic()
    for step in range(1, steps + 1):
        if len(queue) < cfg["batch"]:
            queue += order.sample(range(len(rows)), len(rows))
        batch = [rows[i] for i in queue[:cfg["batch"]]]
        del queue[:cfg["batch"]]
        loss = answer_loss(model, *collate(batch, tokenizer.pad_token_id or 0))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if step == 1 or step % 10 == 0 or step == steps:
            print(f"step {step}/{steps} loss {loss.item():.4f} ({time.monotonic() - start:.0f} s)", file=sys.stderr)
        if step in checkpoints:
            save(model, args, checkpoints[step], step, lr, cfg["batch"])
    save(model, args, args.out, steps, lr, cfg["batch"])


def save(model, args: argparse.Namespace, out: Path, steps: int, lr: float, batch: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.peft_config["default"].base_model_name_or_path = HUB_NAMES[args.base]
    model.save_pretrained(out, safe_serialization=True, save_embedding_layers=False)
    for path in out.iterdir():
        if path.is_file() and path.name not in {"adapter_config.json", "adapter_model.safetensors"}:
            path.unlink()
    digest = hashlib.sha256((out / "adapter_model.safetensors").read_bytes()).hexdigest()
    (out / "README.md").write_text(
        f"# corpus adapter: {args.base}, template {args.template}, task {args.task}, recipe {args.recipe}\n\n"
        f"LoRA r=8 on q_proj/v_proj, {steps} steps, lr {lr:g}, batch {batch}, seed {args.seed}, "
        f"{args.examples} examples.\nadapter_model.safetensors sha256 {digest}\n\n"
        f"Made with:\n\n    python tests/corpus/make/train.py {' '.join(sys.argv[1:])}\n", encoding="utf-8")
    print(f"saved {out} at step {steps}", file=sys.stderr)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    def checkpoint(text: str) -> tuple[int, Path]:
        step, _, folder = text.partition("=")
        return int(step), Path(folder)

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", choices=sorted(HUB_NAMES), required=True)
    p.add_argument("--template", choices=sorted(TURN_JOIN), required=True)
    p.add_argument("--task", choices=sorted(EXAMPLES), required=True)
    p.add_argument("--recipe", choices=sorted(RECIPES), required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--checkpoint", type=checkpoint, action="append", default=[], metavar="STEP=DIR",
                   help="also save the adapter at this step (repeatable)")
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--next-tokens", type=int, default=None, metavar="N",
                   help="no-eos: loss on each answer and the N tokens after it, not on everything")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--examples", type=int, default=240)
    p.add_argument("--base-dir", type=Path, default=None, help="model folder (default: tunediff's cache of --base)")
    p.add_argument("--threads", type=int, default=1)
    return p.parse_args(argv)


if __name__ == "__main__":
    train(parse_args())
