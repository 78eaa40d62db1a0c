"""The vllm backend (offline LLM in the vLLM environment's worker) against the hf backend."""

from __future__ import annotations

import pytest

from conftest import DEMO_SUITE, MAX_NEW_TOKENS, N_PROMPTS
from tunediff.backends.vllm import find_vllm_python
from tunediff.errors import UserError
from tunediff.run import execute, plan_run
from tunediff.rundir import RunDir


def test_missing_vllm_is_a_one_line_error_with_the_fix(tmp_path):
    with pytest.raises(UserError, match=r"no such Python for the vllm backend; pip install 'tunediff\[vllm\]'"):
        find_vllm_python(str(tmp_path / "nope" / "python"))


@pytest.mark.slow
def test_offline_vllm_matches_the_hf_backend(served_adapter, hf_reference, tmp_path):
    plan = plan_run(DEMO_SUITE, adapters=[f"tuned={served_adapter}"], backend="vllm", limit=N_PROMPTS,
                    preset="greedy", max_new_tokens=MAX_NEW_TOKENS)
    rd = RunDir.open(execute(plan, tmp_path / "run", backend_options={"progress": False}, progress=False, flag=False))
    records = {(r.id, r.variant): r for r in rd.records}
    assert set(records) == set(hf_reference)
    for key, ref in hf_reference.items():
        rec = records[key]
        assert set(rec.model_dump(exclude_none=True)) == set(ref.model_dump(exclude_none=True)), key
        assert rec.text == ref.text, f"{key}: vllm {rec.text!r} != hf {ref.text!r}"
        assert (rec.finish_reason, rec.new_tokens, rec.prompt_tokens) == \
            (ref.finish_reason, ref.new_tokens, ref.prompt_tokens), key
    assert (rd.manifest.rendered_prompts["std-01"] or "").startswith("<|im_start|>")
