"""Per-row token choice for the hf backend: seeded sampling, the repetition penalty, stop
strings, and the finish reason, text and token counts of a row once it ends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from ...settings import GenerationSettings


class RowSampler:
    """Samples each row with its own seeded generator.

    A row's stream depends only on its seed, never on the other rows of the batch: the same
    output comes back after a resume or with another batch size. `rows` names the batch rows
    (original positions) still decoding, so generators follow their rows when finished rows
    are dropped.
    """

    def __init__(self, seeds: Sequence[int], temperature: float, top_k: int, top_p: float):
        self.generators = [torch.Generator().manual_seed(int(s)) for s in seeds]
        self.temperature, self.top_k, self.top_p = temperature, top_k, top_p

    def pick(self, scores: torch.Tensor, rows: Sequence[int]) -> torch.Tensor:
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
        return torch.cat([torch.multinomial(probs[i], 1, generator=self.generators[row])
                          for i, row in enumerate(rows)])


class StopStrings:
    """A row is done once its new text contains a stop string."""

    def __init__(self, tokenizer: Any, stops: Sequence[str]):
        self.tokenizer = tokenizer
        self.stops = tuple(stops)
        self.tail_tokens = max(len(s) for s in stops) + 8  # a token is at least one character

    def hit(self, new_ids: list[int]) -> bool:
        text = self.tokenizer.decode(new_ids[-self.tail_tokens:], skip_special_tokens=False)
        return any(s in text for s in self.stops)


def penalize_repeats(scores: torch.Tensor, seen: Sequence[list[int]], penalty: float) -> torch.Tensor:
    """transformers' repetition penalty over each row's own tokens (prompt + new), never its padding."""
    for row, ids in enumerate(seen):
        idx = torch.tensor(sorted(set(ids)), dtype=torch.long, device=scores.device)
        picked = scores[row, idx]
        scores[row, idx] = torch.where(picked < 0, picked * penalty, picked / penalty)
    return scores




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
