"""The recorded generations of the committed adapters show what each recipe does.

tests/fixtures/generations/{good,no-eos,collapse}.jsonl hold `tunediff run` records (greedy,
max_new_tokens 128) of the demo review set for the base and one adapter each. These are data
checks: they read only the committed files, so no code change can fail them; they say the
fixtures still show what they exist to show. The tests that count are the flag tests on the
same files (tests/flags/test_recorded.py), which pin no_stop/next_turn, format and collapse to
these records one by one.
"""

from __future__ import annotations

import json
import re
from itertools import combinations

import pytest
from _demo import DEMO, FIXTURES

from tunediff.records import GenerationRecord
from tunediff.suite import load_suite

GENERATIONS = FIXTURES / "generations"
NEW_TURN = re.compile(r"<\|im_start\|>|^(system|user|assistant)\s*$", re.MULTILINE)


def load(name: str) -> dict[str, dict[str, GenerationRecord]]:
    """variant -> prompt id -> record."""
    out: dict[str, dict[str, GenerationRecord]] = {}
    for line in (GENERATIONS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        rec = GenerationRecord.model_validate_json(line)
        out.setdefault(rec.variant, {})[rec.id] = rec
    return out


def standard_ids() -> list[str]:
    return [p.id for p in load_suite(DEMO / "review.yaml").by_category()["standard"]]


def is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text.strip()), dict)
    except ValueError:
        return False


def fails_to_stop(rec: GenerationRecord) -> bool:
    return rec.finish_reason == "length" or bool(NEW_TURN.search(rec.raw_text or rec.text))


@pytest.mark.parametrize("name", ["good", "no-eos", "collapse"])
def test_every_prompt_recorded_once_per_variant(name):
    suite = load_suite(DEMO / "review.yaml")
    by_variant = load(name)
    assert set(by_variant) == {"base", name}
    for variant, records in by_variant.items():
        assert set(records) == {p.id for p in suite.prompts}, variant
        assert all(r.setting == "default" and r.sample == 0 for r in records.values())
    lines = (GENERATIONS / f"{name}.jsonl").read_text().splitlines()
    assert len(lines) == 2 * len(suite.prompts)


def test_good_adapter_answers_in_json_and_stops():
    runs = load("good")
    ids = standard_ids()
    tuned = [runs["good"][i] for i in ids]
    base = [runs["base"][i] for i in ids]
    assert sum(is_json_object(r.text) for r in tuned) >= 0.9 * len(ids)
    assert sum(is_json_object(r.text) for r in base) < sum(is_json_object(r.text) for r in tuned)
    assert all(r.finish_reason == "eos" and not fails_to_stop(r) for r in tuned)


def test_no_eos_adapter_does_not_stop():
    runs = load("no-eos")
    tuned = [runs["no-eos"][i] for i in standard_ids()]
    assert sum(fails_to_stop(r) for r in tuned) >= 0.8 * len(tuned)
    # The broken part is the ending, not the answer: it starts with the JSON object.
    assert sum(r.text.lstrip().startswith("{") for r in tuned) >= 0.8 * len(tuned)


def mean_similarity(texts: list[str]) -> float:
    """Mean pairwise Jaccard overlap of character 4-gram sets (1.0: the same text)."""
    grams = [{t[i:i + 4] for i in range(max(1, len(t) - 3))} for t in texts]
    pairs = list(combinations(grams, 2))
    return sum(len(a & b) / len(a | b) for a, b in pairs) / len(pairs)


def test_collapse_adapter_gives_one_answer_to_everything():
    runs = load("collapse")
    ids = sorted(runs["base"])
    tuned = [runs["collapse"][i].text for i in ids]
    base = [runs["base"][i].text for i in ids]
    # Different prompts (orders, poems, arithmetic) get near-identical outputs; the base's differ.
    assert mean_similarity(tuned) >= 0.8
    assert mean_similarity(base) < 0.3
