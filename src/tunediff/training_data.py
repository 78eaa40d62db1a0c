"""Training data in the common formats, read for `suite sample` and `doctor`.

Formats (one JSON object per line):
- chat: `{"messages": [{"role": ..., "content": ...}, ...]}`
- prompt/completion: `{"prompt": ..., "completion": ...}`
- alpaca: `{"instruction": ..., "input": ..., "output": ...}`
- plain: `{"text": ...}`
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .records import read_jsonl


@dataclass(frozen=True)
class Example:
    """One training example, split into what the user asked and what the model should say."""

    line: int
    format: str
    messages: tuple[dict[str, str], ...]
    """The conversation up to (not including) the trained answer."""
    answer: str | None
    """The trained answer; None for plain `text` examples."""
    text: str | None = None
    """The raw `text` field of plain examples."""

    @property
    def prompt(self) -> str:
        for msg in reversed(self.messages):
            if msg["role"] == "user":
                return msg["content"]
        return self.text or ""


def read_training_data(path: str | Path) -> list[Example]:
    """Read a training JSONL file; a line in no known format is an error naming the line."""
    p = Path(path)
    if not p.is_file():
        raise UserError(f"{p}: no such training data file")
    examples = [_parse(p, number, obj) for number, obj in read_jsonl(p)]
    if not examples:
        raise UserError(f"{p}: no examples; expected one JSON object per line")
    return examples


def _parse(p: Path, number: int, obj: dict) -> Example:
    if "messages" in obj:
        msgs = obj["messages"]
        if not isinstance(msgs, list) or not all(isinstance(m, dict) and "role" in m and "content" in m for m in msgs):
            raise UserError(f"{p}:{number}: messages: expected a list of {{role, content}}")
        msgs = [{"role": str(m["role"]), "content": str(m["content"])} for m in msgs]
        answer = None
        if msgs and msgs[-1]["role"] == "assistant":
            answer = msgs[-1]["content"]
            msgs = msgs[:-1]
        return Example(number, "chat", tuple(msgs), answer)
    if "prompt" in obj and "completion" in obj:
        return Example(number, "prompt_completion", ({"role": "user", "content": str(obj["prompt"])},),
                       str(obj["completion"]))
    if "instruction" in obj:
        user = str(obj["instruction"])
        if obj.get("input"):
            user += "\n\n" + str(obj["input"])
        return Example(number, "alpaca", ({"role": "user", "content": user},), str(obj.get("output", "")))
    if "text" in obj:
        return Example(number, "text", (), None, str(obj["text"]))
    raise UserError(f"{p}:{number}: unknown format; expected messages, prompt/completion, "
                    "instruction/input/output or text")


def sample_prompts(examples: list[Example], n: int, seed: int = 0) -> list[Example]:
    """Draw n distinct prompts (seeded). Plain-text examples have no prompt and are skipped."""
    usable = [e for e in examples if e.messages]
    unique: dict[str, Example] = {}
    for e in usable:
        unique.setdefault(e.prompt, e)
    pool = list(unique.values())
    if not pool:
        raise UserError("the training data has no prompts to sample (plain `text` examples only)")
    rng = random.Random(seed)
    return rng.sample(pool, min(n, len(pool)))
