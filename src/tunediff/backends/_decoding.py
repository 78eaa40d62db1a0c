"""Decoding pieces of the hf backend: per-row seeded sampling, stop strings, finish reasons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from ..settings import GenerationSettings


class RowSampler:
    """A logits processor that samples each row with its own seeded generator.

    It returns logits that are -inf everywhere but the sampled token, so greedy selection
    (do_sample=False) picks it. A row's stream depends only on its seed, never on the other
    rows of the batch: the same output comes back after a resume or with another batch size.
    """

    def __init__(self, seeds: Sequence[int], temperature: float, top_k: int, top_p: float):
        self.generators = [torch.Generator().manual_seed(int(s)) for s in seeds]
        self.temperature, self.top_k, self.top_p = temperature, top_k, top_p

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        logits = scores.float() / self.temperature
        if self.top_k > 0:
            kth = torch.topk(logits, min(self.top_k, logits.shape[-1]), dim=-1).values[..., -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        if self.top_p < 1.0:
            sorted_logits, sorted_idx = torch.sort(logits, descending=True, dim=-1)
            cumulative = torch.softmax(sorted_logits, dim=-1).cumsum(dim=-1)
            remove = cumulative > self.top_p
            remove[..., 1:] = remove[..., :-1].clone()  # keep the token that crosses top_p
            remove[..., 0] = False
            logits = logits.masked_fill(remove.scatter(-1, sorted_idx, remove), float("-inf"))
        probs = torch.softmax(logits, dim=-1).cpu()
        out = torch.full_like(scores, float("-inf"))
        for row, gen in enumerate(self.generators):
            token = torch.multinomial(probs[row], 1, generator=gen)
            out[row, token.to(out.device)] = 0.0
        return out


class StopStrings:
    """Stopping criteria: a row is done once its new text contains a stop string."""

    def __init__(self, tokenizer: Any, stops: Sequence[str], prompt_width: int):
        self.tokenizer = tokenizer
        self.stops = tuple(stops)
        self.prompt_width = prompt_width
        self.tail_tokens = max(len(s) for s in stops) + 8  # a token is at least one character
        self.done_at: dict[int, int] = {}

    def __call__(self, input_ids: torch.LongTensor, scores: Any, **_: Any) -> torch.BoolTensor:
        done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
        new_len = input_ids.shape[1] - self.prompt_width
        for row in range(input_ids.shape[0]):
            if row in self.done_at:
                done[row] = True
                continue
            tail = input_ids[row, max(self.prompt_width, input_ids.shape[1] - self.tail_tokens):].tolist()
            text = self.tokenizer.decode(tail, skip_special_tokens=False)
            if any(s in text for s in self.stops):
                self.done_at[row] = new_len
                done[row] = True
        return done  # type: ignore[return-value]

    def stopped_at(self, row: int) -> int | None:
        return self.done_at.get(row)


def finish(tokenizer: Any, new_ids: list[int], eos: set[int], settings: GenerationSettings, prompt_tokens: int,
           stop_len: int | None) -> dict[str, Any]:
    """Text, raw text, finish reason and token counts of one row's new tokens.

    A row that stopped early is padded afterwards, and the pad id is often the EOS id, so the
    stop-string position is checked before looking for EOS.
    """
    eos_at = next((i for i, t in enumerate(new_ids) if t in eos), None)
    if stop_len is not None and (eos_at is None or stop_len <= eos_at + 1):
        kept = new_ids[:stop_len]
        reason = "stop"
    elif eos_at is not None:
        kept = new_ids[:eos_at + 1]
        reason = "eos"
    else:
        kept = new_ids
        reason = "length"
    raw = tokenizer.decode(kept, skip_special_tokens=False, clean_up_tokenization_spaces=False)
    body = kept[:-1] if reason == "eos" else kept
    text = tokenizer.decode(body, skip_special_tokens=True, clean_up_tokenization_spaces=False)
    if settings.stop:
        cut = min((i for i in (text.find(s) for s in settings.stop) if i >= 0), default=-1)
        if cut >= 0:
            text, reason = text[:cut], "stop"
    return {"text": text, "raw_text": raw, "finish_reason": reason, "prompt_tokens": prompt_tokens,
            "new_tokens": len(kept)}


def end_of_turn_token(tokenizer: Any) -> str | None:
    """The special token that closes a turn in the chat template (`<|im_end|>` for ChatML)."""
    if not tokenizer.chat_template:
        return None
    marker = "XYZZY-tunediff"
    try:
        rendered = tokenizer.apply_chat_template([{"role": "user", "content": marker}], tokenize=False,
                                                 add_generation_prompt=False)
    except Exception:  # a template may insist on a system turn or alternate roles
        return None
    after = rendered[rendered.find(marker) + len(marker):]
    specials = sorted(set(tokenizer.all_special_tokens) | set(getattr(tokenizer, "added_tokens_encoder", {})),
                      key=len, reverse=True)
    stripped = after.lstrip()
    for token in specials:
        if token and stripped.startswith(token):
            return token
    return None
