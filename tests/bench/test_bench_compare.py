"""bench/compare.py's options and report, on made-up results (benchmarks time things; tests do not)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def compare():
    sys.path.insert(0, str(BENCH))  # compare.py imports its sibling _memory_floor, as when run as a script
    try:
        spec = importlib.util.spec_from_file_location("bench_compare", BENCH / "compare.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def _arm(wall, gen, tokens, rss, **extra):
    return {"wall_s": wall, "gen_s": gen, "new_tokens": tokens, "peak_rss_mb": rss, **extra}


RESULTS = {
    "naive": _arm(340.0, 335.0, 5009, 1486, texts={"a/base": "x", "a/tuned": "{}"}),
    "raw": _arm(105.0, 100.0, 5009, 1498, texts={"a/base": "x", "a/tuned": "{}"}),
    "tunediff": _arm(42.5, 36.0, 5009, 1210, texts={"a/base": "x", "a/tuned": "{}"}, peak_rows=70,
                     decode_s=30.0, decode_steps=200),
    "capped": _arm(68.0, 60.0, 5009, 1150, texts={"a/base": "x", "a/tuned": "{]"}, peak_rows=30,
                   decode_s=50.0, decode_steps=320, max_memory=1175 * 2**20),
    "base_only": _arm(8.0, None, 0, 940, loaded_rss_mb=433),
    "floor": {"weight_bytes": 540_000_000, "parameters": 135_000_000, "read_bytes_per_s": 9e9, "flops": 90e9,
              "wall_s": 3.0, "peak_rss_mb": 560},
}


def test_quick_mode_takes_few_prompts_and_tokens_and_otherwise_the_flags_given(compare):
    quick = compare.options(["--quick"])
    assert (quick.limit, quick.max_new_tokens) == (compare.QUICK["limit"], compare.QUICK["max_new_tokens"])
    full = compare.options(["--limit", "7"])
    assert (full.limit, full.max_new_tokens, full.quick) == (7, 128, False)


def test_the_last_line_keeps_its_shape_and_adds_the_step_against_the_floor(compare):
    lines = compare.summary_lines(RESULTS)
    # 340 / 42.5 = 8.00; 1210 / 940 = 1.29; 36 / 100 - 1; (30 s / 200 steps) / (540 MB / 9 GB/s = 60 ms) = 2.5;
    # rows a step (5009 - 2 outputs) / 200 = 25.0; 25.035 x 2 x 135 M / 90 GFLOPS = 75.1 ms > 60 ms; 150 / 75.1
    assert lines[-1] == ("speedup_vs_naive=8.00 rss_ratio_vs_base_only=1.29 overhead_vs_raw=-0.640 step_vs_floor=2.50"
                         " step_vs_roofline=2.00")
    assert lines[-2] == "max_memory_mb=1175 speedup_vs_naive=5.00 rss_ratio_vs_base_only=1.22"
    assert lines[-3].startswith("roofline: 25.0 rows a step x 2 x 135.0 M parameters / 90.0 GFLOPS = 75.1 ms")
    assert lines[-3].endswith("the longer of that and the read: 75.1 ms")
    assert lines[-4].startswith("floor: 540 MB of weights per step / 9.00 GB/s read = 60.0 ms")
    assert "mean decode step 150.0 ms over 200 steps" in lines[-4]
    table = {line.split()[0]: line.split() for line in lines[1:6]}
    assert set(table) == {"naive", "raw", "tunediff", "capped", "base_only"}
    assert table["tunediff"][-1] == "70" and table["base_only"][4] == "-"


def test_texts_are_compared_with_every_arm_and_the_first_difference_is_shown(compare):
    lines = compare.text_differences(RESULTS)
    assert lines[:2] == ["texts: tunediff vs naive: 2/2 identical", "texts: tunediff vs raw: 2/2 identical"]
    assert lines[2] == "texts: tunediff vs capped: 1/2 identical"
    assert lines[3] == "  a/tuned: first difference at char 1: capped=']' tunediff='}'"
