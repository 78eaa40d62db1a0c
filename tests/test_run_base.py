"""`tunediff.run(base=...)` loads that base: the plan's base, template and dtype reach the backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tunediff
from tunediff.run import execute, plan_run

TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
            "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def _n_params(model_dir: Path) -> int:
    from transformers import AutoModelForCausalLM

    return sum(p.numel() for p in AutoModelForCausalLM.from_pretrained(model_dir).parameters())


def test_run_loads_the_base_it_is_given(mini_suite, tiny_model_dir, tiny_adapters, tmp_path):
    """Before the fix the backend loaded the embedded SmolLM2 while run.json said `./m`."""
    template = tmp_path / "plain.jinja"
    template.write_text(TEMPLATE, encoding="utf-8")
    out = tunediff.run(mini_suite, base=str(tiny_model_dir), adapters=[f"one={tiny_adapters['one']}"],
                       template=template, dtype="bfloat16", out=tmp_path / "run", limit=2, max_new_tokens=3,
                       progress=False, flag=False)
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["base"] == str(tiny_model_dir)
    assert manifest["base_model"]["path"] == str(tiny_model_dir)
    assert manifest["base_model"]["n_params"] == _n_params(tiny_model_dir)
    assert manifest["chat_template"] == TEMPLATE  # the plan's template, not the tokenizer's own
    assert manifest["backend_detail"]["dtype"] == "bfloat16"
    rendered = next(iter(manifest["rendered_prompts"].values()))
    assert rendered.startswith("<|im_start|>user\n") and "system" not in rendered


def test_backend_options_cannot_name_another_base(mini_suite, tmp_path):
    plan = plan_run(mini_suite, adapters=["tuned=./lora"], backend="fake")
    with pytest.raises(TypeError, match="base belong to the plan"):
        execute(plan, tmp_path / "run", backend_options={"base": "./other"}, progress=False)
    assert not (tmp_path / "run").exists()


def test_template_and_dtype_are_part_of_the_plan_only_when_set(mini_suite):
    """Runs made before they were part of the plan keep their fingerprint, so they still resume."""
    plain = plan_run(mini_suite, adapters=["tuned=./lora"])
    assert plan_run(mini_suite, adapters=["tuned=./lora"], dtype="float32").fingerprint() == plain.fingerprint()
    assert plan_run(mini_suite, adapters=["tuned=./lora"], dtype="bfloat16").fingerprint() != plain.fingerprint()
    assert plan_run(mini_suite, adapters=["tuned=./lora"], template="t.jinja").fingerprint() != plain.fingerprint()
    assert plain.model_options() == {"base": "smollm2-135m", "dtype": "float32"}
    served = plan_run(mini_suite, served=["base=b", "tuned=t"], backend="openai", template="t.jinja")
    assert served.model_options() == {"dtype": "float32"}  # the server holds the model
