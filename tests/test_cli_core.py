"""CLI: init, suite check/sample, run and show; bad input is one line on stderr and exit 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tunediff.cli import main


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def assert_one_line_error(result, pattern: str) -> None:
    import re

    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and re.search(pattern, errors[0]), result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["init"],
        ["suite", "check"],
        ["suite", "sample"],
        ["run"],
        ["show"],
        ["demo"],
        ["flag"],
        ["flags"],
        ["doctor"],
        ["report"],
        ["review"],
        ["stats"],
        ["export"],
    ],
)
def test_every_command_has_help_with_examples(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    if command:
        assert "Example" in result.output, command


def test_init_then_check_is_valid_with_balance_warnings(cli, tmp_path):
    path = tmp_path / "review.yaml"
    assert cli("init", path).exit_code == 0
    result = cli("suite", "check", path)
    assert result.exit_code == 0 and "6 prompts" in result.output and "warning: 6 prompts" in result.stderr
    assert_one_line_error(cli("init", path), "already exists")
    assert cli("suite", "check", path, "--strict").exit_code == 1


def test_suite_check_bad_input(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("prompts:\n  - {id: a, category: nope, prompt: hi}\n")
    assert_one_line_error(cli("suite", "check", bad), r"bad\.yaml:2: category")
    assert_one_line_error(cli("suite", "check", tmp_path / "missing.yaml"), "no such review set")


@pytest.mark.parametrize("fmt", ["messages", "prompt_completion", "alpaca"])
def test_suite_sample_draws_seeded_standard_prompts(cli, tmp_path, fmt):
    rows = []
    for i in range(20):
        if fmt == "messages":
            rows.append({"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]})
        elif fmt == "prompt_completion":
            rows.append({"prompt": f"q{i}", "completion": f"a{i}"})
        else:
            rows.append({"instruction": f"q{i}", "input": "", "output": f"a{i}"})
    train = tmp_path / "train.jsonl"
    train.write_text("".join(json.dumps(r) + "\n" for r in rows))
    first = cli("suite", "sample", train, "-n", "5", "--seed", "1")
    again = cli("suite", "sample", train, "-n", "5", "--seed", "1")
    other = cli("suite", "sample", train, "-n", "5", "--seed", "2")
    assert first.exit_code == 0 and first.stdout == again.stdout != other.stdout
    out = tmp_path / "drawn.yaml"
    out.write_text(first.stdout)
    from tunediff.suite import load_suite

    suite = load_suite(out)
    assert len(suite.prompts) == 5 and {p.category for p in suite.prompts} == {"standard"}
    assert all(p.reference == "a" + p.text[1:] for p in suite.prompts)


def test_suite_sample_bad_line(cli, tmp_path):
    train = tmp_path / "train.jsonl"
    train.write_text('{"text": "ok"}\n{"foo": 1}\n')
    assert_one_line_error(cli("suite", "sample", train), r"train\.jsonl:2: unknown format")


@pytest.mark.slow
def test_run_limit_then_identical_rerun_writes_nothing_and_show_works(
    cli, tmp_path, tiny_model_dir, tiny_adapters, mini_suite
):
    out = tmp_path / "run"
    args = [
        "run",
        mini_suite,
        "--base",
        tiny_model_dir,
        "--adapter",
        f"tuned={tiny_adapters['one']}",
        "--limit",
        "2",
        "--out",
        out,
        "-q",
    ]
    first = cli(*args)
    assert first.exit_code == 0, first.output
    assert len((out / "generations.jsonl").read_text().splitlines()) == 4
    second = cli(*args)
    assert second.exit_code == 0 and len((out / "generations.jsonl").read_text().splitlines()) == 4
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["variant_details"]["tuned"]["sha256"] and manifest["base_model"]["sha256"]
    assert manifest["eos_token_ids"] and manifest["end_of_turn_token"] == "<|im_end|>"
    assert manifest["settings"][0]["max_new_tokens"] == 12
    shown = cli("show", out, "-c", "standard")
    assert shown.exit_code == 0 and "s1" in shown.stdout and "tuned" in shown.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        (["--adapter", "tuned=/nonexistent/lora"], "nonexistent"),
        (["--adapter", "tuned=A", "--temperature", "-1"], "temperature must be >= 0"),
        (["--adapter", "tuned=A", "--top-p", "0"], r"top_p must be in \(0, 1\]"),
        (["--adapter", "tuned=A", "--max-new-tokens", "0"], "max_new_tokens must be > 0"),
        ([], "nothing to compare"),
    ],
)
def test_run_bad_input(cli, tmp_path, tiny_model_dir, tiny_adapters, mini_suite, extra, pattern):
    extra = [e.replace("tuned=A", f"tuned={tiny_adapters['one']}") for e in extra]
    result = cli("run", mini_suite, "--base", tiny_model_dir, *extra, "--out", tmp_path / "r", "-q")
    assert_one_line_error(result, pattern)


def test_show_bad_input(cli, tmp_path):
    assert_one_line_error(cli("show", tmp_path / "nope"), "no such run directory")
    (tmp_path / "empty").mkdir()
    assert_one_line_error(cli("show", tmp_path / "empty"), "no generations")
