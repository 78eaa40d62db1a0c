"""The hf backend's scheduler: which rows decode together on the KV slots, when waiting rows
join, when rows are swapped to disk under the token budget, and the decode loop around it."""

from __future__ import annotations

import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import torch

from ...errors import UserError
from ...paths import cache_dir
from . import kv_slots
from .sampling import RowSampler, StopStrings, penalize_repeats


@dataclass
class Decoded:
    """New token ids per row (through its EOS, if any) and where stop strings ended rows.

    `peak_rows`: most rows decoded together; `swapped`: rows moved to disk and back to keep the
    cache within its token budget; `peak_tokens`: most tokens the KV slots held; `steps`,
    `step_s` and `prefill_s`: decode steps, their time and the prefill passes' time (seconds).
    """

    new_ids: list[list[int]]
    stopped_at: dict[int, int]
    peak_rows: int = 0
    swapped: int = 0
    peak_tokens: int = 0
    steps: int = 0
    step_s: float = 0.0
    prefill_s: float = 0.0


PREFILL_TOKENS = 256  # padded prompt tokens per prefill pass: bounds its activations' memory
FEW_ROWS = 12
"""A decode step of fewer live rows runs on one thread: measured on an idle 2-core machine, a
second thread slows a 1-row step (83 vs 65 ms) and an 8-row one (125 vs 117 ms) and speeds a
32-row one (182 vs 225 ms) (BENCHMARKS.md, "Threads"). Each row's numbers do not depend on the
thread count (the demo's texts are identical with 1 and 2 threads)."""
LOOKAHEAD = 32  # tokens of growth reserved per live row when admitting rows under a token budget


class _Stream:
    """What every step needs: the model, the prompts, each row's tokens so far, how rows end."""

    def __init__(self, model: Any, prompts: Sequence[list[int]], eos: set[int], max_new: int,
                 adapter_names: list[str] | None, sampler: RowSampler | None, repetition_penalty: float,
                 stopper: StopStrings | None, pad_id: int, device: Any):
        self.model, self.prompts, self.eos, self.max_new = model, prompts, eos, max_new
        self.names, self.sampler, self.penalty, self.stopper = adapter_names, sampler, repetition_penalty, stopper
        self.pad_id, self.device = pad_id, device
        self.threads = torch.get_num_threads()  # what the engine chose; steps of few rows take one
        self.out: list[list[int]] = [[] for _ in prompts]
        self.stopped: dict[int, int] = {}
        self.peak_rows = self.swapped = self.peak_tokens = self.steps = 0
        self.step_s = self.prefill_s = 0.0

    def forward(self, rows: list[int], input_ids: torch.Tensor, attention: torch.Tensor, position: torch.Tensor,
                cache: Any) -> tuple[torch.Tensor, Any]:
        """Last-position logits (float32) of `rows`, and the cache the model returns."""
        kwargs = {"adapter_names": [self.names[r] for r in rows]} if self.names is not None else {}
        result = self.model(input_ids=input_ids.to(self.device), attention_mask=attention.to(self.device),
                            position_ids=position.to(self.device), past_key_values=cache, use_cache=True,
                            logits_to_keep=1, **kwargs)
        return result.logits[:, -1, :].to(dtype=torch.float32), result.past_key_values

    def padded(self, rows: list[int], skip: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, list[int]]:
        """`rows`' prompts (past their first `skip` tokens) left-padded into one batch: ids, mask,
        positions, first real column per row."""
        tails = [self.prompts[r][skip:] for r in rows]
        width = max(len(t) for t in tails)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((len(rows), width), dtype=torch.long)
        starts = [width - len(t) for t in tails]
        for i, (tail, start) in enumerate(zip(tails, starts, strict=True)):
            ids[i, start:] = torch.tensor(tail, dtype=torch.long)
            attention[i, start:] = 1
        position = (attention.cumsum(-1) - 1 + skip).masked_fill(attention == 0, 1)  # as `generate` computes them
        return ids, attention, position, starts

    def pick(self, rows: list[int], scores: torch.Tensor) -> tuple[list[int], list[int]]:
        """Each row's next token, and the indices (into `rows`) of the rows that ended with it."""
        if self.penalty != 1.0:
            scores = penalize_repeats(scores, [self.prompts[r] + self.out[r] for r in rows], self.penalty)
        tokens = (self.sampler.pick(scores, rows) if self.sampler else scores.argmax(dim=-1)).tolist()
        ended = []
        for i, (row, token) in enumerate(zip(rows, tokens, strict=True)):
            self.out[row].append(token)
            if self.stopper is not None and token not in self.eos and self.stopper.hit(self.out[row]):
                self.stopped[row] = len(self.out[row])
            if token in self.eos or row in self.stopped or len(self.out[row]) >= self.max_new:
                ended.append(i)
        return tokens, ended

    def decoded(self) -> Decoded:
        return Decoded(self.out, self.stopped, self.peak_rows, self.swapped, self.peak_tokens, self.steps,
                       self.step_s, self.prefill_s)


class Scheduler:
    """The rows on a `SlotCache`, the rows waiting for it, and the token budget between them.

    Each live row is charged its tokens plus `row_overhead` (what its logits, activations and
    page rounding cost, in tokens of KV: `memory_budget.row_overhead_tokens`).
    """

    def __init__(self, stream: _Stream, slots: int, token_budget: int | None, row_overhead: int = 0):
        self.stream, self.slots, self.overhead = stream, slots, row_overhead
        self.budget = token_budget if token_budget is not None else float("inf")
        config = stream.model.config
        capacity = max(len(p) for p in stream.prompts) + stream.max_new
        self.kv = kv_slots.SlotCache(config.num_hidden_layers, slots, capacity)
        self.queue = deque(range(len(stream.prompts)))
        self.swapped: deque[tuple[int, int, IO[bytes], int]] = deque()  # (row, next token, file, length)
        self.rows: list[int] = []  # the row in each live slot
        self.pending: list[int] = []  # each live slot's next input token
        self.joined: dict[int, int] = {}  # row -> when it (re)joined, to swap out the youngest
        self.layers, self.attn = config.num_hidden_layers, config._attn_implementation
        self.prefix = _shared_prefix(stream.prompts)
        self._prefix_kv: dict[str | None, tuple[list[torch.Tensor], list[torch.Tensor]]] = {}

    def name(self, row: int) -> str | None:
        return self.stream.names[row] if self.stream.names is not None else None

    def prefix_kv(self, name: str | None) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Keys and values of the shared prefix under adapter `name`, per layer, computed once."""
        if name not in self._prefix_kv:
            stream, n = self.stream, len(self.prefix)
            ids = torch.tensor([self.prefix], dtype=torch.long, device=stream.device)
            kwargs = {"adapter_names": [name]} if name is not None else {}
            result = stream.model(input_ids=ids, attention_mask=torch.ones_like(ids), use_cache=True,
                                  position_ids=torch.arange(n, device=stream.device)[None], logits_to_keep=1, **kwargs)
            layers = result.past_key_values.layers
            self._prefix_kv[name] = ([x.keys.clone() for x in layers], [x.values.clone() for x in layers])
        return self._prefix_kv[name]

    def fits(self, tokens: int, rows: int) -> bool:
        """Whether `rows` more rows holding `tokens` more tokens fit the budget, growth reserved.

        With nothing live, one row always fits: a row longer than the budget still decodes.
        """
        if not self.rows and rows <= 1:
            return True
        return self.kv.tokens + tokens + (len(self.rows) + rows) * (LOOKAHEAD + self.overhead) <= self.budget

    def _live(self, row: int, token: int) -> None:
        self.rows.append(row)
        self.pending.append(token)
        self.joined[row] = len(self.joined)
        self.stream.peak_rows = max(self.stream.peak_rows, len(self.rows))

    def resume(self) -> None:
        """Swapped-out rows come back first, oldest first, as soon as they fit: no compute needed."""
        while self.swapped and len(self.rows) < self.slots and self.fits(self.swapped[0][3], 1):
            row, token, file, length = self.swapped.popleft()
            with file:
                self.kv.swap_in(file, length)
            self._live(row, token)

    def joining(self) -> list[int]:
        """Waiting rows to prefill now (one pass, at most PREFILL_TOKENS padded tokens), or none yet.

        Rows join once a quarter of the slots are free, or as many as fit when the token budget
        or the size of one pass, not the slots, is what holds them back.
        """
        if self.swapped or not self.queue:
            return []
        prompts, tokens = self.stream.prompts, 0
        take: list[int] = []
        for r in self.queue:
            if len(self.rows) + len(take) >= self.slots:
                break
            if take and len(prompts[take[0]]) * (len(take) + 1) > PREFILL_TOKENS:
                break
            if not self.fits(tokens + len(prompts[r]), len(take) + 1):
                break
            take.append(r)
            tokens += len(prompts[r])
        out_of_slots = len(self.rows) + len(take) >= self.slots
        if take and (not out_of_slots or len(take) >= max(1, self.slots // 4)):
            for _ in take:
                self.queue.popleft()
            return take
        return []

    def prefill(self, rows: list[int]) -> list[int]:
        """Prefill `rows` into free slots; returns the indices (into self.rows) of rows that ended at once.

        The prompts' shared prefix (the chat template's system turn, typically) is computed once
        per adapter and copied into each slot; the pass computes only what follows it.
        """
        if torch.get_num_threads() != self.stream.threads:
            torch.set_num_threads(self.stream.threads)  # prompts are many rows' worth of work
        stream = self.stream
        started = time.perf_counter()
        shared = len(self.prefix)
        ids, attention, position, starts = stream.padded(rows, skip=shared)
        if shared:
            names = [self.name(r) for r in rows]
            keys = [torch.cat([self.prefix_kv(n)[0][layer] for n in names]) for layer in range(self.layers)]
            values = [torch.cat([self.prefix_kv(n)[1][layer] for n in names]) for layer in range(self.layers)]
            self.kv.prefilling(starts, (keys, values))
            attention = kv_slots.prefix_mask(attention, shared, self.attn, stream.model.dtype)
        else:
            self.kv.prefilling(starts)
        scores, _ = stream.forward(rows, ids, attention, position, self.kv.cache)
        self.kv.joined([len(stream.prompts[r]) for r in rows])
        tokens, ended = stream.pick(rows, scores)
        first = len(self.rows)
        for row, token in zip(rows, tokens, strict=True):
            self._live(row, token)
        stream.peak_tokens = max(stream.peak_tokens, self.kv.tokens)
        stream.prefill_s += time.perf_counter() - started
        return [first + i for i in ended]

    def make_room(self) -> None:
        """Swap the youngest rows out to disk until the next step's tokens fit the budget."""
        while len(self.rows) > 1 and self.kv.tokens + len(self.rows) * (1 + self.overhead) > self.budget:
            slot = max(range(len(self.rows)), key=lambda i: self.joined[self.rows[i]])
            folder = _swap_dir()
            try:
                folder.mkdir(parents=True, exist_ok=True)
                file = tempfile.TemporaryFile(dir=folder, prefix="tunediff-kv-")
                length = self.kv.swap_out(slot, file)
            except OSError as exc:
                raise UserError(f"{folder}: cannot write a KV-cache swap file ({exc.strerror or exc}); set "
                                "TUNEDIFF_CACHE to a writable folder with free space, or pass a smaller "
                                "--batch-size; finished records are kept, rerun to resume") from None
            self.swapped.append((self.rows[slot], self.pending[slot], file, length))
            self.stream.swapped += 1
            self.leave([slot])

    def step(self) -> list[int]:
        """One decode step of every live row; returns the indices of rows that ended."""
        stream = self.stream
        threads = 1 if len(self.rows) < FEW_ROWS else stream.threads
        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)
        started = time.perf_counter()
        position, mask = self.kv.step_inputs(self.attn, stream.model.dtype)
        scores, _ = stream.forward(self.rows, torch.tensor(self.pending, dtype=torch.long)[:, None], mask,
                                   position, self.kv.cache)
        self.kv.stepped()
        self.pending, ended = stream.pick(self.rows, scores)
        stream.peak_tokens = max(stream.peak_tokens, self.kv.tokens)
        stream.steps += 1
        stream.step_s += time.perf_counter() - started
        return ended

    def leave(self, slots: list[int]) -> list[int]:
        """Rows in `slots` leave; returns them."""
        gone = [self.rows[i] for i in slots]
        order = self.kv.release(slots)
        self.rows, self.pending = [self.rows[i] for i in order], [self.pending[i] for i in order]
        return gone


SHARED_PREFIX_MIN = 8  # tokens: a shorter common prefix is not worth a pass of its own


def _shared_prefix(prompts: Sequence[list[int]]) -> list[int]:
    """The tokens every prompt starts with, if worth computing once: at least SHARED_PREFIX_MIN
    and shorter than every prompt (each row needs a token of its own for its first logits)."""
    first, shortest = min(prompts), min(len(p) for p in prompts)
    last = max(prompts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1  # the common prefix of the min and max lists is that of all of them
    n = min(n, shortest - 1)
    return list(first[:n]) if n >= SHARED_PREFIX_MIN and len(prompts) > 1 else []


def _swap_dir() -> Path:
    """Where rows swapped out of the KV cache go: on disk under the cache folder, never /tmp
    (often a tmpfs, which would hold them in memory after all)."""
    return cache_dir() / "swap"


def _decode_slots(stream: _Stream, slots: int, token_budget: int | None, row_overhead: int,
                  on_done: Callable[[list[int], Decoded], None]) -> None:
    """Continuous batching on a `SlotCache`: ended rows leave at once, waiting rows take their slots."""
    state = Scheduler(stream, slots, token_budget, row_overhead)
    while state.queue or state.swapped or state.rows:
        state.resume()
        joining = state.joining()
        if joining:
            ended = state.prefill(joining)
        else:
            state.make_room()
            ended = state.step()
        if ended:
            on_done(state.leave(ended), stream.decoded())


def _decode_batches(stream: _Stream, slots: int, token_budget: int | None, row_overhead: int,
                    on_done: Callable[[list[int], Decoded], None]) -> None:
    """transformers' own cache, for models slots do not fit: `slots` rows at a time, ended rows leave.

    No token budget here: the caller sizes `slots` so that whole rows fit its memory budget.
    """
    queue = list(range(len(stream.prompts)))
    for first in range(0, len(queue), slots):
        rows = queue[first:first + slots]
        stream.peak_rows = max(stream.peak_rows, len(rows))
        started = time.perf_counter()
        ids, attention, position, _ = stream.padded(rows)
        scores, cache = stream.forward(rows, ids, attention, position, None)
        stream.prefill_s += time.perf_counter() - started
        while True:
            tokens, ended = stream.pick(rows, scores)
            if ended:
                on_done([rows[i] for i in ended], stream.decoded())
            keep = [i for i in range(len(rows)) if i not in set(ended)]
            if not keep:
                break
            attention = torch.cat([attention, attention.new_ones((len(rows), 1))], dim=-1)
            position = position[:, -1:] + 1
            pending = torch.tensor(tokens, dtype=torch.long)[:, None]
            if len(keep) < len(rows):
                index = torch.tensor(keep, dtype=torch.long)
                cache.batch_select_indices(index.to(stream.device))
                attention, position, pending = attention[index], position[index], pending[index]
                rows = [rows[i] for i in keep]
            started = time.perf_counter()
            scores, cache = stream.forward(rows, pending, attention, position, cache)
            stream.steps += 1
            stream.step_s += time.perf_counter() - started


def decode_stream(model: Any, prompts: Sequence[list[int]], *, slots: int, eos: set[int], max_new: int,
                  pad_id: int, adapter_names: list[str] | None = None, sampler: RowSampler | None = None,
                  repetition_penalty: float = 1.0, stopper: StopStrings | None = None, device: Any = "cpu",
                  on_done: Callable[[list[int], Decoded], None] | None = None,
                  token_budget: int | None = None, row_overhead: int = 0) -> Decoded:
    """Decode every prompt with at most `slots` rows in flight; ended rows make room for new ones.

    `model.generate` keeps computing a batch's finished rows until its last row ends, and grows
    its cache by copying it at every step. Here (`kv_slots.SlotCache`) each row has a slot of
    keys and values allocated once; a row that emits EOS, a stop string or its last token
    leaves its slot at once, and waiting prompts are prefilled straight into free slots once a
    quarter of them are free. With a `token_budget` (tokens the cache may hold) rows join only
    while their tokens fit with room to grow, and if growth overruns it the youngest rows are
    swapped to disk and back, bit for bit (the budget bounds memory, never changes outputs); each
    live row is charged `row_overhead` tokens on top of its own.
    Positions, masks and last-token logits are those `generate` uses, so a row's tokens do not
    depend on its neighbours beyond float rounding. Models whose attention does not fit slots
    (sliding windows, hybrids) decode `slots` rows at a time on transformers' cache, ended rows
    still leaving (no token budget there). Prompts are taken in the order given
    (callers sort them by length). `on_done(rows, decoded_so_far)` is called as rows end;
    `adapter_names` and the sampler are indexed by row.
    """
    stream = _Stream(model, prompts, eos, max_new, adapter_names, sampler, repetition_penalty, stopper, pad_id,
                     device)
    if prompts:
        run = _decode_slots if kv_slots.supported(model) else _decode_batches
        try:
            run(stream, max(1, slots), token_budget, row_overhead, on_done or (lambda rows, decoded: None))
        finally:
            torch.set_num_threads(stream.threads)  # a step of few rows may have left it at one
    return stream.decoded()


def decode(model: Any, input_ids: torch.Tensor, attention: torch.Tensor, *, eos: set[int], max_new: int,
           adapter_names: list[str] | None = None, sampler: RowSampler | None = None,
           repetition_penalty: float = 1.0, stopper: StopStrings | None = None) -> Decoded:
    """One left-padded batch, decoded together (no rows join later): `decode_stream` with every slot."""
    prompts = [ids[mask.bool()].tolist() for ids, mask in zip(input_ids, attention, strict=True)]
    pad = input_ids[attention == 0]
    return decode_stream(model, prompts, slots=len(prompts), eos=eos, max_new=max_new,
                         pad_id=int(pad[0]) if len(pad) else 0, adapter_names=adapter_names, sampler=sampler,
                         repetition_penalty=repetition_penalty, stopper=stopper, device=input_ids.device)
