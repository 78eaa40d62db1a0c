"""How much memory the hf backend's KV cache may hold: from the machine, or from `--max-memory`.

The rows a run decodes together are bounded by memory: rows join while their tokens fit a token
budget and rows that outgrow it are swapped to disk and back (`scheduler`). The budget comes
from one of two limits:

- **the memory actually free** (the default): on the CPU `MemAvailable` from /proc/meminfo,
  less a safety margin (`safe_margin`: 10% of the machine's memory, at least 512 MiB: the kernel
  starts reclaiming and swapping before MemAvailable reaches 0, and other programs grow while a
  run goes on), less the file pages this process maps (safetensors weights are mapped, and
  MemAvailable counts mapped page cache as available though every decode step reads it); on a
  GPU `torch.cuda.mem_get_info`'s free memory (plus torch's own cached blocks), less the margin;
- **`--max-memory SIZE`** (`max_memory=` in the API): a cap on the whole process, less what it
  holds once the weights are loaded and read (its RSS after a one-token forward pass; on a GPU,
  the device memory torch has allocated).

From that limit a fixed reserve is kept for a prefill pass's activations and the allocator's
slack, and every row in flight is charged its tokens plus `row_overhead_tokens` (its logits and
decode activations, and the page rounding of its slot), so that resident memory stays within
the limit. Pure functions here; torch is imported only where a model or a GPU is measured.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import asdict, dataclass
from typing import Any

from ...errors import UserError

MiB = 1 << 20
MARGIN_SHARE = 0.10  # of the machine's memory (or the GPU's), kept free by the default budget
MARGIN_MIN = 512 * MiB
ALLOCATOR_SLACK = 32 * MiB  # freed activations glibc/torch keep mapped between passes
PAGE = 4096  # the KV slots' pages on the CPU (kv_slots._slab): each head's columns start on one

_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "kib": 2**10, "m": 10**6, "mb": 10**6, "mib": 2**20,
          "g": 10**9, "gb": 10**9, "gib": 2**30, "t": 10**12, "tb": 10**12, "tib": 2**40}


def parse_size(text: str | int, flag: str = "--max-memory") -> int:
    """Bytes in '2GB', '1.5GiB', '800MB', '800M' or a plain number of bytes (GB = 10^9, GiB = 2^30)."""
    if isinstance(text, int) and not isinstance(text, bool):
        size = text
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)\s*", str(text))
        unit = match.group(2).lower() if match else ""
        if match is None or unit not in _UNITS:
            raise UserError(f"{flag} {text}: not a size; write it like 2GB, 1.5GiB or 800MB")
        size = int(float(match.group(1)) * _UNITS[unit])
    if size <= 0:
        raise UserError(f"{flag} {text}: must be more than 0 bytes; write it like 2GB")
    return size


def format_size(n: float, up: bool = False) -> str:
    """'1.17GB', '151MB': decimal units, as `parse_size` reads them back (`up`: rounded up, for
    sizes that must be at least `n`)."""
    step = 10**7 if abs(n) >= 10**9 else 10**6
    if up:
        n = math.ceil(n / step) * step
    return f"{n / 10**9:.2f}GB" if abs(n) >= 10**9 else f"{n / 10**6:.0f}MB"


def parse_meminfo(text: str) -> dict[str, int]:
    """/proc/meminfo as bytes per field ('MemAvailable: 19188572 kB' -> 19648897 * 1024...)."""
    out = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            out[name.strip()] = int(parts[0]) * (1024 if parts[1:] == ["kB"] else 1)
    return out


def safe_margin(total: int) -> int:
    """Memory the default budget leaves free: 10% of `total`, at least 512 MiB."""
    return max(int(MARGIN_SHARE * total), MARGIN_MIN)


@dataclass(frozen=True)
class ModelShape:
    """The sizes of a model that its memory per token, per row and per pass follow from."""

    layers: int
    hidden: int
    intermediate: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    elem: int  # bytes per element of its weights and activations

    @property
    def bytes_per_token(self) -> int:
        """Keys and values of one token in every layer."""
        return self.layers * 2 * self.kv_heads * self.head_dim * self.elem

    def pass_bytes(self, tokens: int, width: int) -> int:
        """Activations alive at once in one layer of a forward pass over `tokens` (hidden states,
        q/k/v, the MLP's three products) plus attention scores and weights over `width` columns."""
        return tokens * (6 * self.hidden + 4 * self.intermediate) * self.elem + self.heads * tokens * width * 8


def row_overhead_tokens(shape: ModelShape, capacity: int, paged: bool) -> int:
    """What a row in flight costs beyond its keys and values, in tokens of KV.

    A decode step holds each row's logits (and a float32 copy when the model is not float32)
    and its activations; on the CPU each (layer, keys/values, head) of a slot ends in a part
    page (`kv_slots._slab`), up to PAGE - 1 bytes resident beyond the row's tokens.
    """
    transient = shape.vocab * (shape.elem + 4) + shape.pass_bytes(1, capacity)
    rounding = 2 * shape.layers * shape.kv_heads * (PAGE - 1) if paged else 0
    return math.ceil((transient + rounding) / shape.bytes_per_token)


def fixed_reserve(shape: ModelShape, prefill_tokens: int) -> int:
    """Kept aside from any budget: one prefill pass of `prefill_tokens` (the widest, a single row
    of that many tokens, attending to itself) and the allocator's slack."""
    return shape.pass_bytes(prefill_tokens, prefill_tokens) + ALLOCATOR_SLACK


@dataclass(frozen=True)
class MemoryBudget:
    """The KV cache's share of memory for one group of rows, and where it came from (run.json)."""

    source: str  # "MemAvailable", "cuda mem_get_info", "--max-memory"
    limit_bytes: int  # the memory free (before the margin), or --max-memory
    margin_bytes: int  # kept free for the rest of the machine (default budget only)
    held_bytes: int  # already held: the process once its weights are read (--max-memory), or its mapped files
    reserve_bytes: int  # a prefill pass and the allocator's slack (`fixed_reserve`)
    kv_bytes: int  # what is left for the rows in flight
    bytes_per_token: int
    row_overhead_tokens: int  # charged per row in flight on top of its tokens
    one_row_tokens: int  # the longest row: longest prompt plus --max-new-tokens
    token_budget: int  # kv_bytes in tokens: what the scheduler holds the rows to
    rss_bytes: int = 0  # the process's resident memory when the budget was set (weights read)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def derive(source: str, limit: int, *, held: int, margin: int, reserve: int, shape: ModelShape,
           one_row_tokens: int, row_overhead: int, rss: int = 0) -> MemoryBudget:
    """The KV budget left by `limit` once `held`, `margin` and `reserve` are paid for.

    A budget too small for one row of `one_row_tokens` (the longest prompt plus its new tokens)
    is a one-line error naming the smallest limit that works. The margin only narrows the rows
    in flight: when the memory free holds one row but not the margin too, rows go one at a time.
    """
    per_token = shape.bytes_per_token
    kv = limit - held - margin - reserve
    one_row = (one_row_tokens + row_overhead) * per_token
    if kv < one_row <= kv + margin:
        kv = one_row
    if kv < one_row:
        smallest = held + reserve + one_row
        raise UserError(_too_small(source, limit, held, reserve, one_row, one_row_tokens, smallest))
    return MemoryBudget(source, limit, margin, held, reserve, kv, per_token, row_overhead, one_row_tokens,
                        kv // per_token, rss)


def _too_small(source: str, limit: int, held: int, reserve: int, one_row: int, tokens: int, smallest: int) -> str:
    needs = (f"{format_size(reserve)} for a prefill pass and {format_size(one_row)} for one row of "
             f"{tokens} tokens (the longest prompt plus --max-new-tokens)")
    if source == "--max-memory":
        return (f"--max-memory {format_size(limit)} is too small for one row: the process holds "
                f"{format_size(held)} once the weights are loaded, and needs {needs}; "
                f"pass --max-memory {format_size(smallest, up=True)} or more")
    return (f"too little memory is free to generate: {source} {format_size(limit)} less {format_size(held)} "
            f"this process maps leaves {format_size(limit - held)}, and generating needs {needs}: free at "
            f"least {format_size(smallest - limit, up=True)} more (close other programs) or lower --max-new-tokens")


def machine_limit(meminfo: dict[str, int], mapped_file_bytes: int) -> tuple[int, int, int]:
    """(limit, held, margin) of the default CPU budget from /proc/meminfo fields (bytes)."""
    total = meminfo.get("MemTotal", 0)
    available = meminfo.get("MemAvailable", meminfo.get("MemFree", 0))
    return available, mapped_file_bytes, safe_margin(total)


def process_memory() -> dict[str, int]:
    """This process's VmRSS, RssAnon, RssFile and VmHWM in bytes (empty where /proc is absent)."""
    try:
        with open("/proc/self/status") as fh:
            status = parse_meminfo(fh.read())
    except OSError:
        return {}
    return {k: v for k, v in status.items() if k in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}


def read_meminfo() -> dict[str, int]:
    try:
        with open("/proc/meminfo") as fh:
            return parse_meminfo(fh.read())
    except OSError:
        return {}


# ---------------------------------------------------------------------- measured on the model

def model_shape(model: Any) -> ModelShape:
    """The sizes `ModelShape` needs, from a transformers (or peft-wrapped) model's config."""
    import torch

    config = model.config
    heads = getattr(config, "num_attention_heads", 1)
    hidden = config.hidden_size
    dtype = model.dtype
    elem = torch.finfo(dtype).bits // 8 if dtype.is_floating_point else 4
    return ModelShape(layers=config.num_hidden_layers, hidden=hidden,
                      intermediate=getattr(config, "intermediate_size", None) or 4 * hidden, heads=heads,
                      kv_heads=getattr(config, "num_key_value_heads", None) or heads,
                      head_dim=getattr(config, "head_dim", None) or hidden // heads,
                      vocab=config.vocab_size, elem=elem)


def budget_for(model: Any, device: Any, max_memory: int | None, *, prefill_tokens: int, one_row_tokens: int,
               paged: bool) -> MemoryBudget:
    """The KV budget for decoding on `model` now: from --max-memory if given, else from the memory free.

    Call it after a forward pass has read every weight (`warm_up`): mapped weights become
    resident only when read, and what the process holds must include them.
    """
    import torch

    shape = model_shape(model)
    reserve = fixed_reserve(shape, prefill_tokens)
    overhead = row_overhead_tokens(shape, one_row_tokens, paged)
    budget = functools.partial(derive, reserve=reserve, shape=shape, one_row_tokens=one_row_tokens,
                               row_overhead=overhead)
    if getattr(device, "type", str(device)) == "cuda":
        if max_memory is not None:
            return budget("--max-memory", max_memory, held=torch.cuda.memory_allocated(device), margin=0)
        free, total = torch.cuda.mem_get_info(device)
        cached = torch.cuda.memory_reserved(device) - torch.cuda.memory_allocated(device)
        return budget("cuda mem_get_info", free + cached, held=0, margin=safe_margin(total))
    process = process_memory()
    rss = process.get("VmRSS", 0)
    if max_memory is not None:
        return budget("--max-memory", max_memory, held=rss, margin=0, rss=rss)
    limit, held, margin = machine_limit(read_meminfo(), process.get("RssFile", 0))
    return budget("MemAvailable", limit, held=held, margin=margin, rss=rss)


def whole_rows(budget: MemoryBudget, row_tokens: int) -> int:
    """Rows of `row_tokens` tokens (with their overhead) the budget holds at once, at least 1: the
    rows in flight where the cache is allocated whole (a GPU, transformers' own cache)."""
    return max(1, budget.token_budget // (row_tokens + budget.row_overhead_tokens))


def summary_line(kv_cache: list[dict[str, Any]]) -> str | None:
    """What made a run as fast as it was, for stderr at its end: tokens per second, peak rows in
    flight and the memory budget, from run.json's `backend_detail.kv_cache` (None if nothing ran)."""
    groups = [g for g in kv_cache if g.get("gen_s")]
    if not groups:
        return None
    tokens = sum(g.get("new_tokens", 0) for g in groups)
    seconds = sum(g["gen_s"] for g in groups)
    rows = max(g.get("peak_rows", 0) for g in groups)
    swapped = sum(g.get("rows_swapped", 0) for g in groups)
    line = f"generated {tokens} tokens in {seconds:.1f} s ({tokens / seconds:.1f} tok/s), {rows} rows in flight at peak"
    if swapped:
        line += f", {swapped} swapped to disk and back"
    budget = groups[0].get("memory_budget")
    if budget:
        peak_kv = max(g.get("peak_kv_tokens", 0) for g in groups) * budget["bytes_per_token"]
        line += (f"; memory budget {format_size(budget['kv_bytes'])} for the KV cache (from {budget['source']} "
                 f"{format_size(budget['limit_bytes'])}), {format_size(peak_kv)} used at peak")
    return line
