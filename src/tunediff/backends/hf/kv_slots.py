"""A KV cache of fixed slots for the hf backend's decode loop, allocated once.

transformers' `DynamicCache` grows every layer's keys and values with `torch.cat` at every step,
copying the whole cache each time, and the freed blocks fragment the heap (what that cost on
SmolLM2: BENCHMARKS.md, "Figures behind the hf engine's choices").
Here each layer holds one `[slots, kv_heads, capacity, head_dim]` tensor per keys and values:

- a row that joins gets the next free slot; its prompt's keys and values are written there by
  the prefill itself (left-aligned: column i holds the row's token i);
- each decode step writes one column per row, at the row's own length, and attention reads
  `[:live, :, :width]`, a view, with a mask that hides each row's columns past its length;
- a row that ends hands its slot to the last live row (one row's copy), so the live rows stay
  `[0, live)` and the views stay views.

Memory follows the tokens held, not `slots x capacity`: the tensors start as untouched zero
pages, a page becomes resident when a row reaches it, and the pages of a slot that empties are
given back to the kernel (`madvise(MADV_DONTNEED)`; they read as zeros again). A row can also
be swapped out to a file and back (`swap_out`/`swap_in`), byte for byte, so the decode loop can
keep the cache within a memory budget without recomputing anything.
"""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from typing import IO, Any

import torch
from transformers.cache_utils import Cache, CacheLayerMixin

from . import libc_arena


def supported(model: Any) -> bool:
    """Whether `model`'s attention can run on slots: every layer full attention, sdpa or eager.

    Sliding-window and hybrid models (their caches are not plain `DynamicLayer`s) and other
    attention kernels keep transformers' own cache (`decode_stream` falls back to it).
    """
    config = getattr(model, "config", None)
    if config is None or getattr(config, "_attn_implementation", None) not in ("sdpa", "eager"):
        return False
    if getattr(config, "sliding_window", None) and getattr(config, "use_sliding_window", True):
        return False
    return all(t == "full_attention" for t in getattr(config, "layer_types", None) or ["full_attention"])


def prefix_mask(attention: torch.Tensor, shared: int, attn_implementation: str, dtype: torch.dtype) -> torch.Tensor:
    """4D mask of a prefill pass whose rows continue a shared prefix of `shared` tokens.

    `attention` is the pass's 2D mask over what follows the prefix (left-padded). A real token
    sees the prefix and the real tokens up to itself; a padding position sees the prefix only,
    so no row of the attention is empty (an empty row would be NaN, and 0 x NaN spreads).
    """
    rows, width = attention.shape
    real = attention.bool()
    causal = torch.ones(width, width, dtype=torch.bool).tril()
    own = causal[None] & real[:, None, :] & real[:, :, None]
    mask = torch.cat([torch.ones(rows, width, shared, dtype=torch.bool), own], dim=2)[:, None]
    if attn_implementation == "eager":
        return torch.zeros(mask.shape, dtype=dtype).masked_fill(~mask, torch.finfo(dtype).min)
    return mask


class _Layer(CacheLayerMixin):
    """One decoder layer's view of the slots: `update` hands the new keys/values to the owner."""

    is_sliding = False

    def __init__(self, owner: SlotCache, index: int):
        super().__init__()
        self.owner, self.index = owner, index
        self.is_initialized = True

    def lazy_initialization(self, key_states: torch.Tensor, value_states: torch.Tensor) -> None:
        pass

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args: Any, **kwargs: Any):
        return self.owner.store(self.index, key_states, value_states)

    def get_mask_sizes(self, query_length: int) -> tuple[int, int]:
        return query_length, 0  # asked during prefill only: the prompt attends to itself

    def get_seq_length(self) -> int:
        return 0

    def get_max_length(self) -> int:
        return -1


class SlotCache:
    """Keys and values of up to `slots` rows of up to `capacity` tokens each."""

    def __init__(self, n_layers: int, slots: int, capacity: int):
        self.slots, self.capacity = slots, capacity
        self.keys: list[torch.Tensor | None] = [None] * n_layers
        self.values: list[torch.Tensor | None] = [None] * n_layers
        self.cache = Cache(layers=[_Layer(self, i) for i in range(n_layers)])
        self.lengths: list[int] = []  # tokens held by each live slot, slots [0, live)
        self._prefill: list[tuple[int, int]] | None = None  # (slot, first column of its prompt) per batch row
        self._prefill_slots = torch.empty(0, dtype=torch.long)
        self._prefix: tuple[list[torch.Tensor], list[torch.Tensor]] | None = None
        self._rows = self._cols = torch.empty(0, dtype=torch.long)
        self._width = 0

    @property
    def live(self) -> int:
        return len(self.lengths)

    # --------------------------------------------------------------- the model's side

    def store(self, layer: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        keys, values = self.keys[layer], self.values[layer]
        if keys is None or values is None:
            shape = (self.slots, k.shape[1], self.capacity, k.shape[3])
            keys, values = _slab(shape, k), _slab(shape, v)
            self.keys[layer], self.values[layer] = keys, values
        if self._prefill is not None:
            shared = 0
            if self._prefix is not None:  # rows start with a prefix computed once: it goes first
                pk, pv = self._prefix[0][layer], self._prefix[1][layer]
                shared = pk.shape[2]
                keys[self._prefill_slots, :, :shared] = pk
                values[self._prefill_slots, :, :shared] = pv
                k, v = torch.cat([pk, k], dim=2), torch.cat([pv, v], dim=2)
            for row, (slot, start) in enumerate(self._prefill):
                n = k.shape[2] - shared - start
                keys[slot, :, shared:shared + n] = k[row, :, shared + start:]
                values[slot, :, shared:shared + n] = v[row, :, shared + start:]
            return k, v  # the prompts attend to themselves (and their prefix) only
        keys[self._rows, :, self._cols] = k[:, :, 0]
        values[self._rows, :, self._cols] = v[:, :, 0]
        return keys[:self.live, :, :self._width], values[:self.live, :, :self._width]

    # --------------------------------------------------------------- the decode loop's side

    def prefilling(self, starts: Sequence[int],
                   prefix: tuple[list[torch.Tensor], list[torch.Tensor]] | None = None) -> list[int]:
        """Take a slot for each row of a left-padded prefill batch (`starts`: its first real column).

        With `prefix` (per layer, `[rows, kv_heads, shared, head_dim]` keys and values of tokens
        every row starts with, computed once), the batch holds only what follows the prefix:
        the prefix goes to the slots' first columns and is prepended for the pass's attention.
        Returns the slots; the next forward pass writes the prompts there.
        """
        first = self.live
        taken = list(range(first, first + len(starts)))
        if taken and taken[-1] >= self.slots:
            raise ValueError(f"slot cache full: {self.live} live + {len(starts)} joining > {self.slots}")
        self._prefill = list(zip(taken, starts, strict=True))
        self._prefill_slots = torch.tensor(taken, dtype=torch.long)
        self._prefix = prefix
        return taken

    def joined(self, lengths: Sequence[int]) -> None:
        """The prefill is done: its rows hold `lengths` tokens each."""
        self._prefill = self._prefix = None
        self.lengths.extend(lengths)

    def step_inputs(self, attn_implementation: str, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """Position ids and 4D attention mask for one decode step of the live rows."""
        lengths = torch.tensor(self.lengths, dtype=torch.long)
        self._rows, self._cols = torch.arange(self.live), lengths
        self._width = max(self.lengths) + 1
        mask = torch.arange(self._width)[None, :] <= lengths[:, None]
        if attn_implementation == "eager":  # eager attention adds the mask to the scores
            mask = torch.zeros(mask.shape, dtype=dtype).masked_fill(~mask, torch.finfo(dtype).min)
        return lengths[:, None], mask[:, None, None, :]

    def stepped(self) -> None:
        self.lengths = [n + 1 for n in self.lengths]

    def release(self, ended: Sequence[int]) -> list[int]:
        """Free the slots in `ended`; the last live rows move into the holes.

        Returns, for each slot now live, the slot it was in before (to reorder per-row state).
        """
        gone = set(ended)
        order = list(range(self.live))
        keep = self.live - len(gone)
        holes = [s for s in range(keep) if s in gone]
        movers = [s for s in range(keep, self.live) if s not in gone]
        for hole, src in zip(holes, movers, strict=True):
            n = self.lengths[src]
            for keys, values in zip(self.keys, self.values, strict=True):
                if keys is not None and values is not None:
                    keys[hole, :, :n] = keys[src, :, :n]
                    values[hole, :, :n] = values[src, :, :n]
                    if self.lengths[hole] > n:  # the row that left was longer: its tail goes too
                        _give_back(keys, hole, hole + 1, keep_tokens=n)
                        _give_back(values, hole, hole + 1, keep_tokens=n)
            order[hole] = src
            self.lengths[hole] = n
        del self.lengths[keep:]
        for tensors in (self.keys, self.values):
            for t in tensors:
                if t is not None:
                    _give_back(t, keep, keep + len(gone))
        return order[:keep]

    @property
    def tokens(self) -> int:
        """Tokens held by the live rows: what the cache's resident memory follows."""
        return sum(self.lengths)

    def swap_out(self, slot: int, file: IO[bytes]) -> int:
        """Write `slot`'s keys and values to `file` (the caller then releases the slot). Returns its length."""
        n = self.lengths[slot]
        for tensors in (self.keys, self.values):
            for t in tensors:
                if t is not None:
                    file.write(t[slot, :, :n].contiguous().cpu().numpy().tobytes())
        file.flush()
        return n

    def swap_in(self, file: IO[bytes], length: int) -> int:
        """Read a row written by `swap_out` into the next free slot; it is live again. Returns the slot."""
        slot = self.live
        if slot >= self.slots:
            raise ValueError(f"slot cache full: {self.live} live rows")
        file.seek(0)
        for tensors in (self.keys, self.values):
            for t in tensors:
                if t is not None:
                    part = t[slot, :, :length]
                    raw = file.read(part.numel() * part.element_size())
                    part.copy_(torch.frombuffer(bytearray(raw), dtype=t.dtype).view(part.shape))
        self.lengths.append(length)
        return slot


_PAGE = mmap.PAGESIZE


def _slab(shape: tuple[int, ...], like: torch.Tensor) -> torch.Tensor:
    """Zeros `[slots, ...]` whose pages cost no memory until written; each slot starts on a page.

    Masked columns must hold finite numbers (attention multiplies their zero weights by the
    values: 0 x NaN from recycled memory would be NaN), so this cannot be `torch.empty`, and
    `torch.zeros` would write every page at once. On the CPU an anonymous mapping gives zero
    pages that become resident only when a row reaches them, and whole slots can be given back.
    """
    if like.device.type != "cpu":
        return torch.zeros(shape, dtype=like.dtype, device=like.device)
    slots, heads, capacity, head_dim = shape
    elem = like.element_size()
    head_bytes = -(-capacity * head_dim * elem // _PAGE) * _PAGE  # each head's columns start on a page
    area = mmap.mmap(-1, max(_PAGE, slots * heads * head_bytes), flags=mmap.MAP_PRIVATE)
    flat = torch.frombuffer(area, dtype=like.dtype)
    # Keep the mapping alive as long as the tensor; torch's stubs do not know the attribute.
    flat._tunediff_mmap = area  # type: ignore[attr-defined]
    head_stride = head_bytes // elem
    return flat.as_strided(shape, (heads * head_stride, head_stride, head_dim, 1))


def _give_back(t: torch.Tensor, first: int, end: int, keep_tokens: int = 0) -> None:
    """Return the pages of slots [first, end) past their first `keep_tokens` columns to the kernel.

    They read as zeros afterwards. Slots and heads start on pages (`_slab`), so whole slots
    go in one call and a slot's tail in one call per head.
    """
    if t.device.type != "cpu" or end <= first or libc_arena.libc is None:
        return
    elem = t.element_size()
    slot_bytes, head_bytes = t.stride(0) * elem, t.stride(1) * elem
    if slot_bytes % _PAGE or head_bytes % _PAGE:
        return
    if keep_tokens == 0:
        libc_arena.give_back(t.data_ptr() + first * slot_bytes, (end - first) * slot_bytes)
        return
    skip = -(-keep_tokens * t.stride(2) * elem // _PAGE) * _PAGE
    if skip >= head_bytes:
        return
    for slot in range(first, end):
        for head in range(t.shape[1]):
            libc_arena.give_back(t.data_ptr() + slot * slot_bytes + head * head_bytes + skip, head_bytes - skip)
