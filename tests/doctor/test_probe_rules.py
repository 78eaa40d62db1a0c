"""The probe's verdicts on recorded generations of the demo adapters (no model runs here).

tests/fixtures/generations holds real SmolLM2 outputs of the demo review set for the good,
no-eos and collapse adapters; the probe's checks must tell them apart from those outputs alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from tunediff.doctor.probe import babble_reason, check_outputs
from tunediff.tokenizer_facts import facts_for, load_tokenizer

GENERATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "generations"
PROMPTS = ("std-01", "edge-01", "ood-01")  # the first standard, edge and ood prompts, as the probe takes them


@pytest.fixture(scope="module")
def smollm2_facts(smollm2_dir):
    tok, template, source = load_tokenizer(smollm2_dir)
    return facts_for(tok, smollm2_dir, template, source)


def recorded(name: str) -> tuple[list, dict]:
    prompts, results = {}, {}
    for line in (GENERATIONS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["id"] in PROMPTS:
            prompts[rec["id"]] = (rec["id"], rec["category"], tuple(rec["messages"]))
            results[(rec["id"], rec["variant"])] = SimpleNamespace(
                text=rec["text"], raw_text=rec["raw_text"], finish_reason=rec["finish_reason"])
    return [prompts[p] for p in PROMPTS], results


def verdicts(name: str, facts) -> dict[str, tuple[str, str]]:
    prompts, results = recorded(name)
    checks = check_outputs(prompts, ["base", name], results, facts, max_new_tokens=128)
    return {c.id: (c.status, c.message) for c in checks}


def test_good_adapter_passes_every_probe_check(smollm2_facts):
    got = verdicts("good", smollm2_facts)
    assert {k: s for k, (s, _) in got.items()} == {
        "probe.babble:base": "pass", "probe.babble:good": "pass", "probe.stop:good": "pass",
        "probe.turn:good": "pass", "probe.changes:good": "pass"}


def test_no_eos_adapter_fails_stop_and_turn_with_the_new_turn_as_evidence(smollm2_facts):
    got = verdicts("no-eos", smollm2_facts)
    assert got["probe.stop:no-eos"][0] == "fail"
    assert "std-01: writes <|im_start|> after its answer" in got["probe.stop:no-eos"][1]
    assert got["probe.turn:no-eos"][0] == "fail" and "<|im_start|>system" in got["probe.turn:no-eos"][1]
    assert got["probe.babble:no-eos"][0] == "pass" and got["probe.changes:no-eos"][0] == "pass"


def test_collapsed_adapter_is_babble_and_never_stops(smollm2_facts):
    got = verdicts("collapse", smollm2_facts)
    assert got["probe.babble:collapse"][0] == "fail"
    assert "mostly repeated characters" in got["probe.babble:collapse"][1]
    assert got["probe.stop:collapse"][0] == "fail" and "no <|im_end|> within 128" in got["probe.stop:collapse"][1]


def test_an_adapter_identical_to_the_base_changes_nothing(smollm2_facts):
    prompts, results = recorded("good")
    results.update({(pid, "same"): results[(pid, "base")] for pid, _, _ in prompts})
    checks = {c.id: c for c in check_outputs(prompts, ["base", "same"], results, smollm2_facts, 128)}
    assert checks["probe.changes:same"].status == "fail"
    assert "all 3 outputs are identical to the base's" in checks["probe.changes:same"].message


@pytest.mark.parametrize(("text", "raw", "base", "why"), [
    ("QuestionQuestionQuestionQuestionQuestionQuestionQuestionQuestion", None, None, "repeated characters"),
    ("\nAnswer:\nAnswer:\nAnswer:\nAnswer:\nAnswer:", None, None, "template markers"),
    ("Bananas grow on large herbaceous plants in tropical regions of the world today.", None,
     "The kettles go to Lima.", "none of the prompt's content words"),
    ('{"order_id": 4821, "quantity": 3, "item": "kettle", "city": "Lima"}', None, "Kettles to Lima.", None),
    ("Tokyo.", None, "The capital of Japan is Tokyo.", None),
    # A base model looping over a sentence (Gemma-3-270M with a plain Q/A template) is not babble.
    ("Lima is a city.\nLima is a city.\nLima is a city.\nLima is a city.\nLima is a city.", None, None, None),
])
def test_babble_rules(text, raw, base, why):
    got = babble_reason(text, raw or text, "Extract the order: 3 kettles shipped to Lima.", base,
                        ["Question:", "Answer:"])
    assert (why is None and got is None) or (why is not None and got is not None and why in got)
