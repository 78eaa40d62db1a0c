"""Every flag survives the degenerate text a broken fine-tune writes to the token limit."""

from __future__ import annotations

import pytest

from tunediff.flags import TrainingTexts, flag_records
from tunediff.records import GenerationRecord

DEGENERATE = [
    "1" * 3000,  # digits past any float
    "The answer is 1e309.",
    "[" * 3000 + "]" * 3000,  # nested past Python's recursion depth
    '{"a": ' * 2000 + "1" + "}" * 2000,
    "```json\n" + "[" * 3000,
]


@pytest.mark.parametrize("text", DEGENERATE)
def test_flags_survive_degenerate_outputs(text: str) -> None:
    records = []
    for variant, said in (("base", "Paris."), ("tuned", text)):
        for i, category in enumerate(("standard", "edge", "ood")):
            records.append(GenerationRecord(
                id=f"p{i}", variant=variant, category=category, prompt=f"Extract the order: Order {text[:50]}",
                text=said, reference=text if i == 2 else "Paris", expect={"format": "json"} if i == 0 else None,
                finish_reason="length"))
    training = TrainingTexts(prompts=(text, "Extract the order: Order 5"), answers=(text, '{"order_id": 5}'))
    found = flag_records(records, training=training, turn_markers=("Question:", "Answer:"))
    assert any(f.flag == "no_stop" for f in found)  # flagging ran to the end
