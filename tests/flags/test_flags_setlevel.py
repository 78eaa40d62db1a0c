"""inconsistent, collapse, identical_to_base, ood_drift: tables over small sets of records."""

from __future__ import annotations

import json

import pytest

from tunediff.flags import flag_records
from tunediff.records import GenerationRecord


def rec(pid: str, variant: str, text: str, category: str = "standard", sample: int = 0, **kw) -> GenerationRecord:  # type: ignore[no-untyped-def]
    return GenerationRecord(id=pid, variant=variant, text=text, category=category, sample=sample,
                            finish_reason="eos", **kw)


def flagged(records: list[GenerationRecord], flag: str) -> set[tuple[str, str, int]]:
    return {(f.id, f.variant, f.sample) for f in flag_records(records) if f.flag == flag}


LONG_A = "The sea was calm that morning and the fishermen " + " ".join(f"rowed{i}" for i in range(70))
LONG_B = "Mountains rise above the quiet valley where shepherds " + " ".join(f"walk{i}" for i in range(70))


@pytest.mark.parametrize("samples, flagged_samples", [
    (["Tokyo.", "The capital of Japan is Tokyo.", "Kyoto."], {2}),
    (["Yes.", "No."], {0, 1}),
    (['{"order_id": 4821, "city": "Lima"}', '{"city": "Lima", "order_id": 4821}', '{"order_id": 77, "city": "Oslo"}'],
     {2}),
    (["Tokyo.", "Tokyo is the capital city of Japan."], set()),
    (["The answer is 42.", "It is 42."], set()),
    ([LONG_A, LONG_B], set()),  # long-form text varies by design
    (["Tokyo."], set()),
])
def test_inconsistent(samples: list[str], flagged_samples: set[int]) -> None:
    records = [rec("q", "tuned", t, sample=i) for i, t in enumerate(samples)]
    assert {s for _, _, s in flagged(records, "inconsistent")} == flagged_samples


PROMPTS = [f"p{i:02d}" for i in range(12)]
BASE_ANSWERS = [f"Answer number {i} talks about topic {i} with its own words, like word{i}a and word{i}b."
                for i in range(12)]


def test_collapse_fires_on_one_answer_to_everything() -> None:
    same = "I am sorry, but I can only extract orders. Please give me an order to extract as JSON."
    records = [rec(p, "base", b) for p, b in zip(PROMPTS, BASE_ANSWERS, strict=True)]
    records += [rec(p, "tuned", same + (" Thanks." if i % 2 else "")) for i, p in enumerate(PROMPTS)]
    assert flagged(records, "collapse") == {(p, "tuned", 0) for p in PROMPTS}


def test_collapse_ignores_a_shared_template_with_different_values() -> None:
    records = [rec(p, "base", b) for p, b in zip(PROMPTS, BASE_ANSWERS, strict=True)]
    records += [rec(p, "tuned", json.dumps({"order_id": 1000 + i, "quantity": i + 2, "item": f"item{i}",
                                            "city": f"City{i}"})) for i, p in enumerate(PROMPTS)]
    assert not flagged(records, "collapse")


def test_collapse_ignores_prompts_the_base_also_answers_alike() -> None:
    records = [rec(p, "base", "The answer is yes, according to the documentation I have.") for p in PROMPTS]
    records += [rec(p, "tuned", "Yes, according to the documentation I have read today.") for p in PROMPTS]
    assert not flagged(records, "collapse")


def test_collapse_short_answers_need_more_than_one_category() -> None:
    base = [rec(p, "base", b, category="standard" if i < 6 else "ood") for i, (p, b) in
            enumerate(zip(PROMPTS, BASE_ANSWERS, strict=True))]
    yes_std = [rec(p, "tuned", "Positive.", category="standard") for p in PROMPTS[:6]]
    assert not flagged(base + yes_std, "collapse")  # a classifier answering its label
    yes_all = yes_std + [rec(p, "tuned", "Positive.", category="ood") for p in PROMPTS[6:]]
    assert len(flagged(base + yes_all, "collapse")) == 12


def test_collapse_needs_several_prompts() -> None:
    same = "I am sorry, but I can only extract orders. Please give me an order to extract as JSON."
    records = [rec(p, "base", b) for p, b in zip(PROMPTS, BASE_ANSWERS, strict=True)]
    records += [rec(p, "tuned", same if i < 2 else BASE_ANSWERS[i] + " ok") for i, p in enumerate(PROMPTS)]
    assert not flagged(records, "collapse")


@pytest.mark.parametrize("identical, fires", [(12, True), (10, True), (6, False), (0, False)])
def test_identical_to_base(identical: int, fires: bool) -> None:
    records = [rec(p, "base", b) for p, b in zip(PROMPTS, BASE_ANSWERS, strict=True)]
    records += [rec(p, "tuned", b if i < identical else b + " Changed.")
                for i, (p, b) in enumerate(zip(PROMPTS, BASE_ANSWERS, strict=True))]
    found = flagged(records, "identical_to_base")
    assert bool(found) is fires
    if fires:
        assert len(found) == identical


def _drift_set(tuned_ood: str, base_ood: str = "The capital of Japan is Tokyo.", expect: dict | None = None,
               tuned_std: str = 'json') -> list[GenerationRecord]:  # type: ignore[type-arg]
    records = []
    for i in range(5):
        std = (json.dumps({"order_id": 100 + i, "quantity": i + 1, "city": f"City{i}"}) if tuned_std == "json"
               else f"Order: {100 + i}. Quantity: {i + 1}. City: City{i}. Status: shipped.")
        records += [rec(f"s{i}", "base", f"The order {100 + i} ships {i + 1} items to City{i}."),
                    rec(f"s{i}", "tuned", std)]
    records += [rec("o1", "base", base_ood, category="ood", expect=expect),
                rec("o1", "tuned", tuned_ood, category="ood", expect=expect)]
    return records


@pytest.mark.parametrize("records, fires", [
    (_drift_set('{"order_id": null, "quantity": 0, "city": "Tokyo"}'), True),
    (_drift_set("Order: none. Quantity: 0. City: Tokyo. Status: shipped.", tuned_std="text"), True),
    (_drift_set("Tokyo is the capital of Japan."), False),
    (_drift_set("It's Tokyo, which has been the capital since 1868."), False),
    (_drift_set('{"capital": "Tokyo"}', expect={"format": "json"}), False),
    (_drift_set('{"capital": "Tokyo"}', base_ood='{"capital": "Tokyo", "country": "Japan"}'), False),
])
def test_ood_drift(records: list[GenerationRecord], fires: bool) -> None:
    assert bool(flagged(records, "ood_drift")) is fires


def test_set_level_findings_land_on_each_output() -> None:
    same = "I am sorry, but I can only extract orders. Please give me an order to extract as JSON."
    records = [rec(p, "base", b) for p, b in zip(PROMPTS, BASE_ANSWERS, strict=True)]
    records += [rec(p, "tuned", same) for p in PROMPTS]
    found = [f for f in flag_records(records) if f.flag == "collapse"]
    assert {f.id for f in found} == set(PROMPTS)
    assert all(f.evidence.span == (0, len(same)) and "11 other prompts" in f.message for f in found)


def test_collapse_on_punctuation_only_outputs() -> None:
    """Real: the collapse demo adapter answers every prompt with quotes and colons, no words."""
    base = [rec(p, "base", b, category="standard" if i < 8 else "ood") for i, (p, b) in
            enumerate(zip(PROMPTS, BASE_ANSWERS, strict=True))]
    junk = [rec(p, "tuned", ' " "' * (20 + i % 3) + '":":":":' + ' " "' * 5, category="standard" if i < 8 else "ood")
            for i, p in enumerate(PROMPTS)]
    assert len(flagged(base + junk, "collapse")) == 12
