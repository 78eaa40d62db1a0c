"""Decoding for the hf backend: a KV-cache loop that drops finished rows, per-row seeded
sampling, stop strings, finish reasons."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from ..settings import GenerationSettings


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


@dataclass
class Decoded:
    """New token ids per row (through its EOS, if any) and where stop strings ended rows."""

    new_ids: list[list[int]]
    stopped_at: dict[int, int]


def decode(model: Any, input_ids: torch.Tensor, attention: torch.Tensor, *, eos: set[int], max_new: int,
           adapter_names: list[str] | None = None, sampler: RowSampler | None = None,
           repetition_penalty: float = 1.0, stopper: StopStrings | None = None) -> Decoded:
    """Greedy or sampled decoding with a KV cache; rows that finish leave the batch.

    `model.generate` keeps computing finished rows until the last row of the batch ends; here
    a row that emits EOS (or a stop string) is dropped from the cache, the mask and
    `adapter_names`, so the cost follows the tokens actually produced. Positions, mask and
    last-token logits are computed as `generate` does, so the tokens are the same.
    """
    rows = list(range(input_ids.shape[0]))
    out: list[list[int]] = [[] for _ in rows]
    prompts = ([ids[mask.bool()].tolist() for ids, mask in zip(input_ids, attention, strict=True)]
               if repetition_penalty != 1.0 else [])
    stopped: dict[int, int] = {}
    position = (attention.long().cumsum(-1) - 1).masked_fill(attention == 0, 1)
    step_ids, cache = input_ids, None
    for _ in range(max_new):
        kwargs = {"adapter_names": adapter_names} if adapter_names is not None else {}
        result = model(input_ids=step_ids, attention_mask=attention, position_ids=position, past_key_values=cache,
                       use_cache=True, logits_to_keep=1, **kwargs)
        cache = result.past_key_values
        scores = result.logits[:, -1, :].to(dtype=torch.float32)
        if repetition_penalty != 1.0:
            scores = penalize_repeats(scores, [prompts[r] + out[r] for r in rows], repetition_penalty)
        tokens = (sampler.pick(scores, rows) if sampler else scores.argmax(dim=-1)).tolist()
        keep = []
        for i, (row, token) in enumerate(zip(rows, tokens, strict=False)):
            out[row].append(token)
            if token in eos:
                continue
            if stopper is not None and stopper.hit(out[row]):
                stopped[row] = len(out[row])
                continue
            keep.append(i)
        if not keep:
            break
        step = torch.tensor([[t] for t in tokens], dtype=torch.long, device=input_ids.device)
        attention = torch.cat([attention, attention.new_ones((attention.shape[0], 1))], dim=-1)
        position = position[:, -1:] + 1
        if len(keep) < len(rows):
            index = torch.tensor(keep, dtype=torch.long, device=input_ids.device)
            cache.batch_select_indices(index)
            step, attention, position = step[index], attention[index], position[index]
            rows = [rows[i] for i in keep]
            if adapter_names is not None:
                adapter_names = [adapter_names[i] for i in keep]
        step_ids = step
    return Decoded(out, stopped)


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


def thread_count() -> int:
    """Torch threads: the cores not already busy (`TUNEDIFF_THREADS` overrides).

    On a CPU shared with other work, a second thread that keeps getting descheduled stalls
    every parallel region it joins: measured here with two busy neighbours on 2 cores, a
    decode step took 3-20x longer with 2 threads than with 1. An idle machine gets every core.
    """
    env = os.environ.get("TUNEDIFF_THREADS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return max(1, min(cores, int(cores - busy + 0.5)))
