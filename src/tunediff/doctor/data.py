"""Training-data checks: rendered as a trainer would, do the texts teach the model to stop?"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..training_data import Example, read_training_data
from ._types import Check, failed, passed, warned

# Turn markers of the common prompt formats. A text carrying another family's markers than
# the base template's was trained on a format the model will not see at inference.
FAMILIES: dict[str, re.Pattern[str]] = {
    "ChatML": re.compile(r"<\|im_start\|>|<\|im_end\|>"),
    "Llama 3": re.compile(r"<\|start_header_id\|>|<\|eot_id\|>"),
    "Llama 2 / Mistral": re.compile(r"\[INST\]|\[/INST\]"),
    "Gemma": re.compile(r"<start_of_turn>|<end_of_turn>"),
    "Zephyr / Phi": re.compile(r"<\|user\|>|<\|assistant\|>"),
    "Alpaca": re.compile(r"^### (?:Instruction|Response):", re.M),
    "Human/Assistant": re.compile(r"^(?:Human|User|USER|Assistant|ASSISTANT):", re.M),
}
# Formats where popular trainers append EOS themselves (TRL's SFTTrainer for prompt/completion).
TRAINER_APPENDS = {"prompt_completion", "alpaca"}


@dataclass(frozen=True)
class Rendered:
    example: Example
    text: str
    """The trained text: the chat template's rendering, or the raw text / prompt + completion."""
    error: str | None = None


def families(text: str) -> frozenset[str]:
    return frozenset(name for name, pattern in FAMILIES.items() if pattern.search(text))


def render(tok: Any, example: Example) -> Rendered:
    if example.format == "text":
        return Rendered(example, example.text or "")
    if example.format != "chat":
        return Rendered(example, example.prompt + (example.answer or ""))
    if not tok.chat_template:
        return Rendered(example, "", "no chat template to render `messages` with")
    chat = list(example.messages)
    if example.answer is not None:
        chat.append({"role": "assistant", "content": example.answer})
    try:
        return Rendered(example, tok.apply_chat_template(chat, tokenize=False))
    except Exception as exc:  # jinja raises on role orders a template rejects
        return Rendered(example, "", f"the chat template rejects it ({str(exc)[:120]})")


@dataclass
class DataReport:
    checks: list[Check]
    end_share: float
    """Share of examples whose trained text ends with a stop token (the pad check uses it)."""


def check_data(path: str | Path, tok: Any, stops: dict[int, str], max_new_tokens: int) -> DataReport:
    examples = read_training_data(path)
    rendered = [render(tok, e) for e in examples]
    end_check, share = _end_token(rendered, stops)
    checks = [end_check, _markers(tok, rendered), _duplicates(rendered), _lengths(tok, examples, max_new_tokens)]
    return DataReport(checks, share)


def _lines(items: list[Rendered]) -> str:
    shown = ", ".join(str(r.example.line) for r in items[:5])
    return shown + (", ..." if len(items) > 5 else "")


def _end_token(rendered: list[Rendered], stops: dict[int, str]) -> tuple[Check, float]:
    errors = [r for r in rendered if r.error]
    if errors:
        return failed("data.end_token", f"{len(errors)} examples cannot be rendered (lines {_lines(errors)}): "
                      f"{errors[0].error}", "pass --template FILE, or fix the role order of those examples"), 0.0
    names = sorted(set(stops.values()), key=len, reverse=True)
    lacking = [r for r in rendered if not any(r.text.rstrip().endswith(n) for n in names)]
    share = 1 - len(lacking) / len(rendered)
    ends = " or ".join(names) or "(no stop token known)"
    msg = f"{share:.0%} of {len(rendered)} training texts end with {ends}"
    if not lacking:
        return passed("data.end_token", msg + ": the model sees where an answer stops"), share
    hint = f"append {names[0] if names else 'the EOS token'} to every answer (or render with the chat template)"
    msg += f"; lacking at lines {_lines(lacking)}"
    if share >= 0.5:
        return warned("data.end_token", msg, hint), share
    if all(r.example.format in TRAINER_APPENDS for r in lacking):
        return warned("data.end_token", msg + " (prompt/completion data: some trainers append EOS themselves)",
                      "check one tokenized batch from your trainer ends with EOS; else " + hint), share
    return failed("data.end_token", msg + ": the model never learns to stop and runs on to the token limit",
                  hint), share


def _markers(tok: Any, rendered: list[Rendered]) -> Check:
    expected: frozenset[str] = frozenset()
    if tok.chat_template:
        try:
            expected = families(tok.apply_chat_template([{"role": "user", "content": "x"},
                                                         {"role": "assistant", "content": "y"}], tokenize=False))
        except Exception:  # an exotic template: compare the examples only with each other
            expected = frozenset()
    seen = Counter(families(r.text) for r in rendered if not r.error)
    inside = [r for r in rendered if r.example.format == "chat" and not r.error and families(
        " ".join([m["content"] for m in r.example.messages] + [r.example.answer or ""]))]
    name = " + ".join(sorted(expected)) or "no known"
    if inside:
        return warned("data.markers", f"{len(inside)} chat examples carry template markers inside message text "
                      f"(lines {_lines(inside)}): they get templated twice", "strip markers from message contents")
    if len(seen) > 1:
        parts = ", ".join(f"{n} {' + '.join(sorted(f)) or 'no markers'}" for f, n in seen.most_common())
        return warned("data.markers", f"inconsistent turn markers across examples: {parts}",
                      "render every example with one template (the base's chat template)")
    found = next(iter(seen), frozenset())
    if expected and found != expected:
        what = " + ".join(sorted(found)) or "no turn markers (raw text)"
        return warned("data.markers", f"training texts use {what}; the base chat template uses {name}: at "
                      "inference prompts look different from training", "train on texts rendered with the base's "
                      "chat template, or pass the training format as --template FILE")
    return passed("data.markers", f"all examples use the {name} turn markers" +
                  (" of the base chat template" if expected else ""))


def _duplicates(rendered: list[Rendered]) -> Check:
    counts = Counter(r.text for r in rendered if not r.error)
    extra = sum(n - 1 for n in counts.values())
    if not extra:
        return passed("data.duplicates", f"no duplicate examples among {len(rendered)}")
    seen: set[str] = set()
    dups = []
    for r in rendered:
        if not r.error:
            if r.text in seen:
                dups.append(r)
            seen.add(r.text)
    return warned("data.duplicates", f"{extra} duplicate examples ({extra / len(rendered):.0%}; lines "
                  f"{_lines(dups)}): repeated texts weigh more and invite memorising",
                  "deduplicate the training data")


def _lengths(tok: Any, examples: list[Example], max_new_tokens: int) -> Check:
    answers = [e.answer if e.answer is not None else (e.text or "") for e in examples]
    counts = sorted(len(ids) + 1 for ids in tok(answers, add_special_tokens=False)["input_ids"])  # +1: end token
    n = len(counts)
    median, p90 = counts[n // 2], counts[min(n - 1, int(n * 0.9))]
    over = sum(1 for c in counts if c > max_new_tokens)
    what = "answer" if any(e.answer is not None for e in examples) else "text"
    msg = (f"{what} tokens: median {median}, p90 {p90}, max {counts[-1]}; {over} of {n} longer than "
           f"max_new_tokens={max_new_tokens}")
    if over / n > 0.1:
        return warned("data.lengths", msg + ": those outputs get cut by the limit and look like no_stop failures",
                      f"run with --max-new-tokens {max(counts[-1], p90) + 16} or more")
    return passed("data.lengths", msg)
