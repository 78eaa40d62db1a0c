"""The two glibc calls the hf backend's memory use relies on; no torch here, so the CLI can call
`one_malloc_arena` before anything starts threads. Both are no-ops where there is no glibc."""

from __future__ import annotations

import ctypes
from typing import Any

MADV_DONTNEED = 4
M_ARENA_MAX = -8


def _load() -> Any:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        return libc
    except (OSError, AttributeError):
        return None


libc = _load()


def give_back(address: int, length: int) -> None:
    """Drop the pages of [address, address + length) (page-aligned, private anonymous memory):
    no longer resident, they read as zeros when touched again."""
    if libc is not None:
        libc.madvise(ctypes.c_void_p(address), ctypes.c_size_t(length), MADV_DONTNEED)


def one_malloc_arena() -> None:
    """Have every thread allocate from one glibc heap, as MALLOC_ARENA_MAX=1 would.

    glibc gives each new thread that allocates an arena of its own; with two torch threads the
    second arena's freed activations are not reused by the first (the peak RSS it saves:
    BENCHMARKS.md, "Figures behind the hf engine's choices"). It only helps before torch (or
    anything else) starts its threads.
    """
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, 1)
