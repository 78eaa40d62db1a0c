"""The memory budget rule as pure functions: sizes, /proc/meminfo, the margin, the derivation and
the error when not even one row fits; plus --max-memory through the CLI on the tiny model."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tunediff.backends.hf import memory_budget as mb
from tunediff.errors import UserError

GB, MB = 10**9, 10**6
SMOLLM2 = mb.ModelShape(layers=30, hidden=576, intermediate=1536, heads=9, kv_heads=3, head_dim=64, vocab=49152,
                        elem=4)

MEMINFO = """MemTotal:       24684084 kB
MemFree:        12839764 kB
MemAvailable:   19188572 kB
Buffers:           80364 kB
HugePages_Total:       0
"""


@pytest.mark.parametrize(("text", "size"), [
    ("2GB", 2 * GB), ("2gb", 2 * GB), ("2G", 2 * GB), ("1.5GiB", 3 * 2**29), ("800MB", 800 * MB), ("800M", 800 * MB),
    ("512MiB", 512 * 2**20), ("123456", 123456), (" 1.25 GB ", 1_250_000_000), (".5GB", 500 * MB), (4096, 4096),
])
def test_sizes_are_read_in_decimal_and_binary_units(text, size):
    assert mb.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "GB", "2 GBs", "two", "-1GB", "0", "0MB", "1e9", "2 PB"])
def test_a_bad_size_is_a_one_line_error_naming_the_flag_and_the_form(text):
    with pytest.raises(UserError) as caught:
        mb.parse_size(text)
    assert str(caught.value).startswith(f"--max-memory {text}:") and "2GB" in str(caught.value)


def test_format_size_reads_back_as_about_the_same_size():
    for n in (151 * MB + 1, 999 * MB, 1_174_000_000, 19 * GB + 123):
        assert abs(mb.parse_size(mb.format_size(n)) - n) <= 5 * MB


def test_meminfo_fields_are_bytes():
    info = mb.parse_meminfo(MEMINFO)
    assert info["MemAvailable"] == 19188572 * 1024 and info["MemTotal"] == 24684084 * 1024
    assert info["HugePages_Total"] == 0  # a count, no unit


def test_the_margin_is_a_tenth_of_the_machine_and_at_least_512_mib():
    assert mb.safe_margin(24 * GB) == int(2.4 * GB)
    assert mb.safe_margin(2 * GB) == 512 * 2**20
    limit, held, margin = mb.machine_limit(mb.parse_meminfo(MEMINFO), mapped_file_bytes=640 * MB)
    assert (limit, held, margin) == (19188572 * 1024, 640 * MB, int(0.1 * 24684084 * 1024))


def test_a_row_costs_its_logits_activations_and_on_the_cpu_its_page_rounding():
    paged = mb.row_overhead_tokens(SMOLLM2, capacity=300, paged=True)
    eager = mb.row_overhead_tokens(SMOLLM2, capacity=300, paged=False)
    per_token = SMOLLM2.bytes_per_token
    assert per_token == 46080  # 30 layers x (keys, values) x 3 heads x 64 x 4 bytes
    assert eager * per_token >= SMOLLM2.vocab * 8  # the logits and their float32 copy
    assert (paged - eager) * per_token >= 2 * 30 * 3 * 4095  # a part page per (layer, keys/values, head)
    assert mb.fixed_reserve(SMOLLM2, 512) > mb.fixed_reserve(SMOLLM2, 256) > mb.ALLOCATOR_SLACK


def test_max_memory_leaves_the_kv_cache_what_the_process_does_not_hold():
    budget = mb.derive("--max-memory", 1_174 * MB, held=1_000 * MB, margin=0, reserve=48 * MB, shape=SMOLLM2,
                       one_row_tokens=250, row_overhead=26)
    assert budget.kv_bytes == 126 * MB
    assert budget.token_budget == 126 * MB // 46080
    assert budget.to_dict()["source"] == "--max-memory" and budget.to_dict()["one_row_tokens"] == 250


def test_the_default_budget_is_memory_available_less_the_margin_and_mapped_files():
    limit, held, margin = mb.machine_limit(mb.parse_meminfo(MEMINFO), mapped_file_bytes=640 * MB)
    budget = mb.derive("MemAvailable", limit, held=held, margin=margin, reserve=48 * MB, shape=SMOLLM2,
                       one_row_tokens=250, row_overhead=26)
    assert budget.kv_bytes == limit - 640 * MB - margin - 48 * MB
    assert budget.margin_bytes == margin > 2 * GB


@pytest.mark.parametrize("source", ["--max-memory", "MemAvailable"])
def test_a_budget_too_small_for_one_row_names_the_smallest_that_works(source):
    margin = 0 if source == "--max-memory" else 512 * MB
    args = {"held": 1_000 * MB, "margin": margin, "reserve": 48 * MB, "shape": SMOLLM2, "one_row_tokens": 250,
            "row_overhead": 26}
    smallest = 1_000 * MB + 48 * MB + (250 + 26) * 46080  # the margin narrows rows, it never refuses a run
    with pytest.raises(UserError) as caught:
        mb.derive(source, smallest - 1, **args)
    message = str(caught.value)
    assert "\n" not in message and "one row of 250 tokens" in message
    if source == "--max-memory":
        suggested = message.split("pass --max-memory ")[1].split()[0]
        assert mb.derive(source, mb.parse_size(suggested), **args).kv_bytes >= (250 + 26) * 46080
        assert mb.parse_size(suggested) - smallest < 10 * MB
    else:
        assert "MemAvailable" in message and "free at least 1MB more" in message
    assert mb.derive(source, smallest, **args).token_budget == 250 + 26
    assert mb.derive(source, smallest + margin // 2, **args).token_budget == 250 + 26  # one row at a time


def test_whole_rows_counts_rows_with_their_overhead_and_never_less_than_one():
    budget = mb.derive("--max-memory", 2 * GB, held=GB, margin=0, reserve=0, shape=SMOLLM2, one_row_tokens=100,
                       row_overhead=26)
    assert mb.whole_rows(budget, 274) == budget.token_budget // 300
    assert mb.whole_rows(budget, 10**9) == 1


def test_the_summary_line_gives_speed_rows_and_the_budget():
    budget = mb.derive("--max-memory", 1_174 * MB, held=1_000 * MB, margin=0, reserve=48 * MB, shape=SMOLLM2,
                       one_row_tokens=250, row_overhead=26).to_dict()
    groups = [{"gen_s": 40.0, "new_tokens": 3000, "peak_rows": 30, "rows_swapped": 1, "peak_kv_tokens": 2000,
               "memory_budget": budget},
              {"gen_s": 10.0, "new_tokens": 1000, "peak_rows": 12, "rows_swapped": 0, "peak_kv_tokens": 900}]
    line = mb.summary_line(groups)
    assert line == ("generated 4000 tokens in 50.0 s (80.0 tok/s), 30 rows in flight at peak, 1 swapped to disk "
                    "and back; memory budget 126MB for the KV cache (from --max-memory 1.17GB), 92MB used at peak")
    assert mb.summary_line([]) is None and mb.summary_line([{"gen_s": 0}]) is None


def test_max_memory_on_the_command_line_is_checked_before_anything_loads(tmp_path):
    from tunediff.cli import main

    suite = tmp_path / "set.yaml"
    suite.write_text("prompts:\n  - id: a\n    category: standard\n    prompt: Hi\n")
    bad = CliRunner().invoke(main, ["run", str(suite), "--adapter", f"x={tmp_path}", "--max-memory", "lots"])
    assert bad.exit_code == 2 and "--max-memory lots: not a size" in bad.output
    served = CliRunner().invoke(main, ["run", str(suite), "--endpoint", "http://127.0.0.1:9/v1", "--variant", "base=a",
                                       "--variant", "t=b", "--max-memory", "2GB"])
    assert served.exit_code == 2 and "--max-memory works with the hf backend" in served.output


def test_a_max_memory_below_the_loaded_model_is_a_one_line_error_exit_2(tmp_path, tiny_model_dir, tiny_adapters):
    from tunediff.cli import main

    suite = tmp_path / "set.yaml"
    suite.write_text("prompts:\n  - id: a\n    category: standard\n    prompt: Hi\n")
    result = CliRunner().invoke(main, ["run", str(suite), "--base", str(tiny_model_dir), "--adapter",
                                       f"one={tiny_adapters['one']}", "--out", str(tmp_path / "run"), "-q",
                                       "--max-memory", "50MB"])
    assert result.exit_code == 2, result.output
    line = [x for x in result.output.splitlines() if "--max-memory" in x]
    assert len(line) == 1 and "is too small for one row" in line[0] and "pass --max-memory " in line[0]
    assert "Traceback" not in result.output


def test_the_python_api_takes_max_memory_for_the_hf_backend_only(tmp_path, tiny_model_dir, tiny_adapters):
    import tunediff

    suite = tmp_path / "set.yaml"
    suite.write_text("prompts:\n  - id: a\n    category: standard\n    prompt: Hi\n")
    common = {"adapters": [f"one={tiny_adapters['one']}"], "progress": False, "flag": False, "max_new_tokens": 4}
    with pytest.raises(UserError, match="max_memory lots: not a size"):
        tunediff.run(suite, base=str(tiny_model_dir), out=tmp_path / "bad", max_memory="lots", **common)
    with pytest.raises(UserError, match="max_memory works with the hf backend"):
        tunediff.run(suite, backend="fake", out=tmp_path / "fake", max_memory="2GB", **common)
    out = tunediff.run(suite, base=str(tiny_model_dir), out=tmp_path / "run", max_memory="64GB", **common)
    detail = tunediff.open_run(out).manifest.backend_detail
    assert detail.max_memory == 64 * GB
    budget = detail.kv_cache[0].memory_budget
    assert budget.source == "--max-memory" and budget.limit_bytes == 64 * GB
    assert budget.kv_bytes == 64 * GB - budget.held_bytes - budget.reserve_bytes
