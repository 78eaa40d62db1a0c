"""`--model NAME=PATH`: a full fine-tuned checkpoint compared with the base, without adapters."""

from __future__ import annotations

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from tunediff.backends.base import GenerationRequest
from tunediff.backends.hf.engine import HFBackend
from tunediff.settings import GenerationSettings
from tunediff.variants import Variant


def test_full_checkpoint_variant_equals_that_model_run_alone(tmp_path, tiny_model_dir):
    # A "fine-tuned" checkpoint: the tiny base with its layers perturbed.
    tuned_dir = tmp_path / "tuned"
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    torch.manual_seed(7)
    with torch.no_grad():
        for p in model.model.layers.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    model.save_pretrained(tuned_dir)
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    tok.save_pretrained(tuned_dir)

    backend = HFBackend(base=str(tiny_model_dir), batch_size=4, progress=False)
    backend.load([Variant("base", "base"), Variant("full", "model", str(tuned_dir))])
    settings = GenerationSettings(max_new_tokens=8)
    prompts = {"a": "Hi", "b": "A longer prompt so that padding happens in the batch."}
    requests = [
        GenerationRequest(pid, v, "default", 0, ({"role": "user", "content": text},), settings, 1)
        for pid, text in prompts.items()
        for v in ("base", "full")
    ]
    got = {}
    backend.generate(requests, lambda batch: got.update({(r.prompt_id, r.variant): res.raw_text for r, res in batch}))
    assert len(got) == 4
    alone = AutoModelForCausalLM.from_pretrained(tuned_dir).eval()
    for pid, text in prompts.items():
        rendered = tok.apply_chat_template(
            [{"role": "user", "content": text}], tokenize=False, add_generation_prompt=True
        )
        ids = tok(rendered, add_special_tokens=False, return_tensors="pt")
        out = alone.generate(**ids, max_new_tokens=8, do_sample=False, eos_token_id=[2], pad_token_id=2)
        new = out[0, ids["input_ids"].shape[1] :].tolist()
        new = new[: new.index(2) + 1] if 2 in new else new
        assert got[(pid, "full")] == tok.decode(new, skip_special_tokens=False, clean_up_tokenization_spaces=False)
    assert any(got[(p, "base")] != got[(p, "full")] for p in prompts)
