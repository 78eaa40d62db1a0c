"""The floors of a decode step (memory bandwidth, arithmetic), shared by bench/compare.py and bench/threads.py.

A decode step of a small model on the CPU reads every weight once (the lm_head reads the whole
embedding matrix; the embedding lookup reads a few rows), so no step can take less than the
weights' bytes divided by the rate at which this machine reads memory. That rate is measured
here the way a step reads: a timed `sum()` over a float32 tensor as large as the weights.
"""

from __future__ import annotations

import time


def read_bandwidth(n_bytes: int, threads: int, repeats: int = 7) -> float:
    """Bytes per second: the best of `repeats` timed sums over `n_bytes` of float32, after one untimed
    sum (the first touch of fresh pages costs page faults, not reads)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        data = torch.ones(max(1, n_bytes // 4), dtype=torch.float32)
        data.sum()
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            data.sum()
            best = min(best, time.perf_counter() - t0)
        return data.numel() * 4 / best
    finally:
        torch.set_num_threads(before)


def matmul_flops(threads: int, rows: int = 32, inner: int = 576, outer: int = 1536, repeats: int = 7) -> float:
    """Floating-point operations per second of a float32 matrix product shaped like a decode step's
    (`rows` x 576 by 576 x 1536: SmolLM2's MLP), the best of `repeats` timings of 20 products.

    A step of R rows does ~2 x parameters x R operations; with many rows that, not the read of the
    weights, is its floor (the roofline: whichever of the two is longer).
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        x, w = torch.randn(rows, inner), torch.randn(inner, outer)
        x @ w
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            for _ in range(20):
                x @ w
            best = min(best, time.perf_counter() - t0)
        return 2 * rows * inner * outer * 20 / best
    finally:
        torch.set_num_threads(before)


def compute_floor_s(parameters: int, rows: float, flops: float) -> float:
    """The least time a step of `rows` rows can take in arithmetic: 2 operations per parameter and row."""
    return 2 * parameters * rows / flops


def step_floor_s(weight_bytes: int, bandwidth: float) -> float:
    """The least time a decode step can take: every weight read once at the measured rate."""
    return weight_bytes / bandwidth
