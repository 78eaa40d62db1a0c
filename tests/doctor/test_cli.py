"""`tunediff doctor` exit codes and output, and the pre-flight checks of `tunediff run`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from doctor_builders import edit_json, make_adapter

from tunediff.cli import main
from tunediff.doctor import quick_checks
from tunediff.run import plan_run

DEMO_SUITE = Path(__file__).resolve().parents[2] / "examples" / "demo" / "review.yaml"
RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "generations" / "good.jsonl"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_clean_setup_exits_0_with_a_table(base, adapter, data):
    result = invoke("doctor", "--base", str(base), "--adapter", f"tuned={adapter}", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output and "FAIL" not in result.output
    assert "adapter.zero:tuned" in result.output and "0 failed" in result.output


def test_a_failing_check_exits_1_and_json_lists_every_check(base, tmp_path):
    zero = make_adapter(base, tmp_path / "zero", zero=True)
    result = invoke("doctor", "--base", str(base), "--adapter", f"z={zero}", "--json")
    assert result.exit_code == 1
    checks = json.loads(result.stdout)["checks"]
    assert all(set(c) == {"id", "status", "message", "hint"} for c in checks)
    assert {c["id"]: c["status"] for c in checks}["adapter.zero:z"] == "fail"
    assert all(c["status"] in ("pass", "warn", "fail") for c in checks)


def test_warnings_alone_exit_0(base):
    result = invoke("doctor", "--base", str(base), "--json")  # pad = eos without --data: a warning
    assert result.exit_code == 0
    statuses = {c["id"]: c["status"] for c in json.loads(result.stdout)["checks"]}
    assert statuses["stopping.pad"] == "warn"


@pytest.mark.parametrize("args, message", [
    (["--adapter", "{tmp}/nope"], "no such adapter directory"),
    (["--data", "{tmp}/nope.jsonl"], "no such training data file"),
    (["--template", "{tmp}/nope.jinja"], "--template"),
    (["--max-new-tokens", "0"], "must be > 0"),
])
def test_bad_input_exits_2_with_one_line(base, tmp_path, args, message):
    result = invoke("doctor", "--base", str(base), *[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_bad_base_exits_2(tmp_path):
    result = invoke("doctor", "--base", str(tmp_path / "missing"))
    assert result.exit_code == 2 and "--base" in result.stderr


def test_bad_training_line_names_the_line(base, tmp_path):
    (tmp_path / "t.jsonl").write_text('{"messages": []}\n{"foo": 1}\n')
    result = invoke("doctor", "--base", str(base), "--data", str(tmp_path / "t.jsonl"))
    assert result.exit_code == 2 and "t.jsonl:2" in result.stderr


def test_quick_checks_cover_template_eos_and_each_adapter(base, adapter, tmp_path):
    zero = make_adapter(base, tmp_path / "zero", zero=True)
    edit_json(zero / "adapter_config.json", base_model_name_or_path=str(base))
    plan = plan_run(DEMO_SUITE, base=str(base), adapters=[f"good={adapter}", f"zero={zero}"])
    checks = {c.id: c.status for c in quick_checks(plan)}
    assert checks["template.base"] == "pass" and checks["stopping.eos"] == "pass"
    assert checks["adapter.zero:good"] == "pass" and checks["adapter.zero:zero"] == "fail"
    assert checks["adapter.shapes:zero"] == "pass"
    assert not any(k.startswith("data.") for k in checks)


def test_run_strict_refuses_when_a_preflight_check_fails(base, tmp_path):
    zero = make_adapter(base, tmp_path / "zero", zero=True)
    result = invoke("run", str(DEMO_SUITE), "--base", str(base), "--adapter", str(zero), "--strict",
                    "--out", str(tmp_path / "run"), "-q")
    assert result.exit_code == 2
    assert "doctor: FAIL adapter.zero:tuned" in result.stderr and "--strict" in result.stderr
    assert not (tmp_path / "run" / "generations.jsonl").exists()


def test_run_without_strict_warns_and_goes_on(base, tmp_path):
    zero = make_adapter(base, tmp_path / "zero", zero=True)
    result = invoke("run", str(DEMO_SUITE), "--base", str(base), "--adapter", str(zero), "--limit", "1",
                    "--max-new-tokens", "2", "--no-flags", "--out", str(tmp_path / "run"), "-q")
    assert result.exit_code == 0, result.output
    assert "doctor: FAIL adapter.zero:tuned" in result.stderr
    assert (tmp_path / "run" / "generations.jsonl").is_file()


@pytest.mark.parametrize("command", ["doctor", "run", "flag"])
@pytest.mark.parametrize(("content", "message"), [
    (b"{% for m in messages %}{{ m['content'] }", "bad.jinja:1: the chat template does not render (unexpected '}'"),
    (b"{{ speaker }}: {{ messages[0]['content'] }}", "bad.jinja:1: the chat template does not render "
                                                     "('speaker' is undefined)"),
    (b"\x00\x01\x02\xff\xfe", "bad.jinja: not a text file"),
])
def test_a_template_that_does_not_render_is_one_line_before_any_model_loads(tmp_path, command, content, message):
    bad = tmp_path / "bad.jinja"
    bad.write_bytes(content)
    # The base does not exist: the template is reported first, so nothing was resolved or loaded.
    if command == "flag":
        args = [str(RECORDED), "--template", str(bad)]
    else:
        args = ["--base", str(tmp_path / "no-such-model"), "--template", str(bad)]
    result = invoke(command, *([str(DEMO_SUITE)] if command == "run" else []), *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and str(bad) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


@pytest.mark.parametrize(("max_new_tokens", "probed"), [(600, True), (10, False)])
def test_run_probes_before_a_long_run_and_strict_refuses_on_its_fail(base, adapter, tmp_path, monkeypatch,
                                                                     max_new_tokens, probed):
    from tunediff.doctor import probe
    from tunediff.doctor._types import failed

    calls = []

    def fake_probe(base_spec, adapters, **kwargs):  # the real probe is tested on SmolLM2 (test_probe_smollm2.py)
        calls.append((base_spec, adapters, kwargs["suite"].name))
        return probe.ProbeReport([failed("probe.stop:tuned", "std-01: no end of turn", "retrain")], 1.5, [], 3, 2)

    monkeypatch.setattr(probe, "safe_probe", fake_probe)
    # 35 prompts x 2 variants x 600 tokens = 42,000 new tokens at most: a long run.
    result = invoke("run", str(DEMO_SUITE), "--base", str(base), "--adapter", str(adapter), "--strict",
                    "--max-new-tokens", str(max_new_tokens), "--out", str(tmp_path / "run"), "-q", "--no-flags",
                    *([] if probed else ["--limit", "1"]))
    if probed:
        assert calls == [(str(base), [("tuned", str(adapter))], "demo order extraction")]
        assert result.exit_code == 2 and "doctor: FAIL probe.stop:tuned" in result.stderr
        assert "probe: 3 prompts x 2 variants" in result.stderr
        assert not (tmp_path / "run" / "generations.jsonl").exists()
    else:
        assert calls == [] and result.exit_code == 0, result.output
