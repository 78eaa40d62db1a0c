"""Decoding for the hf backend: a KV-cache loop that drops finished rows, per-row seeded
sampling, stop strings, finish reasons."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Sequence
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


@dataclass
class _Live:
    """Rows decoding together: their KV cache, mask, next positions and next input tokens."""

    rows: list[int]
    cache: Any
    attention: torch.Tensor
    position: torch.Tensor
    pending: torch.Tensor | None = None


class _Stream:
    """Decoding state shared by the steps of `decode_stream`."""

    def __init__(self, model: Any, prompts: Sequence[list[int]], eos: set[int], max_new: int,
                 adapter_names: list[str] | None, sampler: RowSampler | None, repetition_penalty: float,
                 stopper: StopStrings | None, pad_id: int, device: Any):
        self.model, self.prompts, self.eos, self.max_new = model, prompts, eos, max_new
        self.names, self.sampler, self.penalty, self.stopper = adapter_names, sampler, repetition_penalty, stopper
        self.pad_id, self.device = pad_id, device
        self.out: list[list[int]] = [[] for _ in prompts]
        self.stopped: dict[int, int] = {}

    def forward(self, live: _Live, input_ids: torch.Tensor) -> torch.Tensor:
        kwargs = {"adapter_names": [self.names[r] for r in live.rows]} if self.names is not None else {}
        result = self.model(input_ids=input_ids, attention_mask=live.attention, position_ids=live.position,
                            past_key_values=live.cache, use_cache=True, logits_to_keep=1, **kwargs)
        live.cache = result.past_key_values
        return result.logits[:, -1, :].to(dtype=torch.float32)

    def prefill(self, rows: list[int]) -> tuple[_Live, torch.Tensor]:
        """Left-pad `rows`' prompts into one batch and run it: every prompt ends at the same column."""
        width = max(len(self.prompts[r]) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, width - len(self.prompts[r]):] = torch.tensor(self.prompts[r], dtype=torch.long)
            attention[i, width - len(self.prompts[r]):] = 1
        attention = attention.to(self.device)
        position = (attention.cumsum(-1) - 1).masked_fill(attention == 0, 1)  # as `generate` computes them
        live = _Live(rows, None, attention, position)
        return live, self.forward(live, ids.to(self.device))

    def advance(self, live: _Live, scores: torch.Tensor) -> tuple[_Live | None, list[int]]:
        """Pick each row's next token; rows that ended leave the batch. Returns (batch, ended rows)."""
        if self.penalty != 1.0:
            scores = penalize_repeats(scores, [self.prompts[r] + self.out[r] for r in live.rows], self.penalty)
        tokens = (self.sampler.pick(scores, live.rows) if self.sampler else scores.argmax(dim=-1)).tolist()
        keep, ended = [], []
        for i, (row, token) in enumerate(zip(live.rows, tokens, strict=True)):
            self.out[row].append(token)
            if self.stopper is not None and token not in self.eos and self.stopper.hit(self.out[row]):
                self.stopped[row] = len(self.out[row])
            if token in self.eos or row in self.stopped or len(self.out[row]) >= self.max_new:
                ended.append(row)
            else:
                keep.append(i)
        if not keep:
            return None, ended
        live.pending = torch.tensor([[t] for t in tokens], dtype=torch.long, device=self.device)
        live.attention = torch.cat([live.attention, live.attention.new_ones((len(tokens), 1))], dim=-1)
        live.position = live.position[:, -1:] + 1
        if len(keep) < len(tokens):
            index = torch.tensor(keep, dtype=torch.long, device=self.device)
            live.cache.batch_select_indices(index)
            live.pending, live.attention = live.pending[index], live.attention[index]
            live.position = live.position[index]
            live.rows = [live.rows[i] for i in keep]
            _trim_padding(live)
        return live, ended


def _trim_padding(live: _Live) -> None:
    """Drop leading columns no remaining row attends to (the rows that needed them have left)."""
    first = int(live.attention.any(dim=0).long().argmax())
    if first > 0 and _layers(live.cache) is not None:
        live.attention = live.attention[:, first:]
        for layer in _layers(live.cache):
            layer.keys, layer.values = layer.keys[:, :, first:], layer.values[:, :, first:]


def _layers(cache: Any) -> list[Any] | None:
    """The cache's layers when they are plain growing tensors we may pad, slice and join, else None."""
    from transformers.cache_utils import DynamicLayer

    layers = getattr(cache, "layers", None)
    if not layers or any(type(layer) is not DynamicLayer or layer.keys is None for layer in layers):
        return None
    return list(layers)


def _merge(old: _Live, new: _Live) -> _Live:
    """One batch from two: the shorter side is left-padded (masked) to the longer one's length."""
    width = max(old.attention.shape[1], new.attention.shape[1])

    def pad(t: torch.Tensor, n: int, dim: int) -> torch.Tensor:
        if n == 0:
            return t
        shape = list(t.shape)
        shape[dim] = n
        return torch.cat([t.new_zeros(shape), t], dim=dim)

    pads = (width - old.attention.shape[1], width - new.attention.shape[1])
    for a, b in zip(_layers(old.cache) or [], _layers(new.cache) or [], strict=True):
        a.keys = torch.cat([pad(a.keys, pads[0], 2), pad(b.keys, pads[1], 2)])
        a.values = torch.cat([pad(a.values, pads[0], 2), pad(b.values, pads[1], 2)])
    old.attention = torch.cat([pad(old.attention, pads[0], 1), pad(new.attention, pads[1], 1)])
    old.position = torch.cat([old.position, new.position])
    old.pending = torch.cat([old.pending, new.pending])
    old.rows = old.rows + new.rows
    return old


def decode_stream(model: Any, prompts: Sequence[list[int]], *, slots: int, eos: set[int], max_new: int,
                  pad_id: int, adapter_names: list[str] | None = None, sampler: RowSampler | None = None,
                  repetition_penalty: float = 1.0, stopper: StopStrings | None = None, device: Any = "cpu",
                  on_done: Callable[[list[int], Decoded], None] | None = None) -> Decoded:
    """Decode every prompt with at most `slots` rows in flight; ended rows make room for new ones.

    `model.generate` keeps computing a batch's finished rows until its last row ends. Here a
    row that emits EOS, a stop string or its last token leaves the cache, the mask and
    `adapter_names` at once, and waiting prompts are prefilled and joined to the running batch
    (left-padded, masked) once a quarter of the slots are free. Positions, masks and last-token
    logits are those `generate` uses, so a row's tokens do not depend on its neighbours beyond
    float rounding. Prompts are taken in the order given (callers sort them by length).
    `on_done(rows, decoded_so_far)` is called as rows end; `adapter_names` and the sampler are
    indexed by row.
    """
    stream = _Stream(model, prompts, eos, max_new, adapter_names, sampler, repetition_penalty, stopper, pad_id,
                     device)
    queue = deque(range(len(prompts)))
    live: _Live | None = None
    while queue or live is not None:
        free = slots - (len(live.rows) if live else 0)
        joinable = live is None or (free >= max(1, slots // 4) and _layers(live.cache) is not None)
        if queue and joinable:
            new, scores = stream.prefill([queue.popleft() for _ in range(min(free, len(queue)))])
            new, ended = stream.advance(new, scores)
            live = new if live is None else (live if new is None else _merge(live, new))
        else:
            scores = stream.forward(live, live.pending)
            live, ended = stream.advance(live, scores)
        if ended and on_done is not None:
            on_done(ended, Decoded(stream.out, stream.stopped))
    return Decoded(stream.out, stream.stopped)


def decode(model: Any, input_ids: torch.Tensor, attention: torch.Tensor, *, eos: set[int], max_new: int,
           adapter_names: list[str] | None = None, sampler: RowSampler | None = None,
           repetition_penalty: float = 1.0, stopper: StopStrings | None = None) -> Decoded:
    """One left-padded batch, decoded together (no rows join later): `decode_stream` with every slot."""
    prompts = [ids[mask.bool()].tolist() for ids, mask in zip(input_ids, attention, strict=True)]
    pad = input_ids[attention == 0]
    return decode_stream(model, prompts, slots=len(prompts), eos=eos, max_new=max_new,
                         pad_id=int(pad[0]) if len(pad) else 0, adapter_names=adapter_names, sampler=sampler,
                         repetition_penalty=repetition_penalty, stopper=stopper, device=input_ids.device)


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
    """Torch threads: the free cores, if a quick probe shows they help (`TUNEDIFF_THREADS` overrides).

    On a CPU shared with other work (or a VM whose cores are themselves shared), a thread that
    keeps getting descheduled stalls every parallel region it joins: measured on the 2-core
    machine of BENCHMARKS.md, a decode step with 2 threads took 2-20x longer than with 1, even
    with the load average near 0. So the cores left free by the load average are only used when
    a 50 ms matrix-product probe runs faster with them than with one thread.
    """
    env = os.environ.get("TUNEDIFF_THREADS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    free = max(1, min(cores, int(cores - busy + 0.5)))
    return free if free > 1 and _probe(free) < 0.8 * _probe(1) else 1


def _probe(threads: int) -> float:
    """Best time of a few decode-sized matrix products (8 rows x 576 x 1536) with `threads`."""
    import time

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        a, b = torch.randn(8, 576), torch.randn(576, 1536)
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(20):
                torch.mm(a, b)
            best = min(best, time.perf_counter() - t0)
        return best
    finally:
        torch.set_num_threads(before)
