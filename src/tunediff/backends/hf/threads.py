"""How many torch threads the hf backend uses: a quick probe of whether the free cores help."""

from __future__ import annotations

import os
import time

import torch


def thread_count() -> int:
    """Torch threads: the free cores, if a quick probe shows they help (`TUNEDIFF_THREADS` overrides).

    On a CPU shared with other work (or a VM whose cores are themselves shared), a thread that
    keeps getting descheduled stalls every parallel region it joins, even with the load average
    near 0 (BENCHMARKS.md, "Threads"). So the cores left free by the load average are only used
    when a 50 ms matrix-product probe runs faster with them than with one thread.
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
    return free if free > 1 and _matmul_seconds(free) < 0.8 * _matmul_seconds(1) else 1


PROBE_ROWS = 32
"""Rows of the probe's product: the decode steps that take the run's time carry many rows (the
demo's mean is ~38). An 8-row product sat at the 0.8 bar (0.73-0.82 with 2 threads, idle) and
flipped between runs, while a 32-row one gains clearly (0.55-0.70), as the demo does (generation
0.71-0.79x with 2 threads; BENCHMARKS.md, "Threads")."""


def _matmul_seconds(threads: int) -> float:
    """Best time of a few decode-sized matrix products (PROBE_ROWS rows x 576 x 1536) with `threads`."""
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        a, b = torch.randn(PROBE_ROWS, 576), torch.randn(576, 1536)
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(20):
                torch.mm(a, b)
            best = min(best, time.perf_counter() - t0)
        return best
    finally:
        torch.set_num_threads(before)
