"""Tables of positive and negative cases for empty, no_stop, next_turn, special_tokens, ramble."""

from __future__ import annotations

import pytest

from tunediff.flags import flag_records
from tunediff.records import GenerationRecord


def rec(text: str, variant: str = "tuned", pid: str = "p1", **kw) -> GenerationRecord:  # type: ignore[no-untyped-def]
    return GenerationRecord(id=pid, variant=variant, text=text, **kw)


def flags_of(records: list[GenerationRecord], flag: str, variant: str = "tuned") -> list:  # type: ignore[type-arg]
    return [f for f in flag_records(records) if f.flag == flag and f.variant == variant]


@pytest.mark.parametrize("text, fires", [
    ("", True),
    ("  \n\t ", True),
    ("0", False),
    ("[]", False),
    ("Yes", False),
    ("東京", False),
])
def test_empty(text: str, fires: bool) -> None:
    assert bool(flags_of([rec(text)], "empty")) is fires


@pytest.mark.parametrize("finish, fires", [("length", True), ("eos", False), ("stop", False), (None, False)])
def test_no_stop(finish: str | None, fires: bool) -> None:
    found = flags_of([rec("Some answer that went on", finish_reason=finish, new_tokens=128)], "no_stop")
    assert bool(found) is fires
    if fires:
        assert "128 tokens" in found[0].message and found[0].evidence.span[1] == len("Some answer that went on")


@pytest.mark.parametrize("text, raw, named", [
    # the end token is special (hidden from the text) and the output went on
    ("Hi\nMore text after the end", "Hi<end_of_turn>\nMore text after the end", "<end_of_turn>"),
    ("Hi\n\n########", "Hi<|endoftext|>\n\n########", "<|endoftext|>"),
    ("Hi\nMore text after the end", "Hi\nMore text after the end", None),  # no end token
    ("Hi\nuser\nMore", "Hi<|im_end|>\n<|im_start|>user\nMore", None),  # a new turn: next_turn's finding
])
def test_no_stop_names_an_end_token_the_generation_missed(text: str, raw: str, named: str | None) -> None:
    found = flags_of([rec(text, raw_text=raw, finish_reason="length", new_tokens=96)], "no_stop")
    assert len(found) == 1
    assert ("end-of-turn token" in found[0].message) is (named is not None)
    if named:
        assert named in found[0].message
    assert not flags_of([rec(text, raw_text=raw)], "special_tokens")


NEXT_TURN = [
    # (text, raw_text, prompt, fires)
    ('{"order_id": 4821}\nsystem\nYou are a helpful AI assistant named SmolLM',
     '{"order_id": 4821}\n<|im_start|>system\nYou are a helpful AI assistant named SmolLM', "Extract", True),
    ('{"order_id": 4821}\nsystem\nYou are a helpful AI assistant', None, "Extract the order", True),
    ("Paris is the capital.\nUser: What about Spain?\nAssistant: Madrid.", None, "Capital of France?", True),
    ("Sure, here it is.\n\n### Instruction:\nWrite a poem", None, "Say hi", True),
    ("The meeting is at ten.\n\n### Question:\nWhat is the topic of the meeting?", None, "Tag this", True),
    ("Thanks!\nHuman: you're welcome", None, "Thank me", True),
    ("Madrid.<|im_start|>user\nand Italy?", None, "Capital of Spain?", True),
    ("billing\n\nBelow is an instruction that describes a task. Write a response that appropriately completes",
     None, "Classify this ticket", True),
    # the preamble inside a sentence is not a new example
    ("It says: below is an instruction that describes a task.", None, "What does the header say?", False),
    (" \nA: \nA: \nA: \nA:", None, "Classify this ticket", True),  # an answer's label again and again
    ("Answer: 8\nExplanation: count them.\nAnswer: 8\nAnswer: 8", None, "Spider legs?", True),
    # once, or only at the very start, an answer's label is its heading
    ("Answer: 8, as every spider has eight legs.", None, "Spider legs?", False),
    ("8 legs.\nAnswer: eight.", None, "Spider legs?", False),
    ("Q1 answer below\nA: yes\nA: no", None, "Write a quiz with answers", False),
    # negatives that trip naive rules
    ("User: Hi there!\nAssistant: Hello, how can I help?", None,
     "Write a short dialogue between a user and an assistant.", False),
    ("Roles:\nAdmin: manages accounts\nUser: places orders\nGuest: browses the shop", None, "List the roles", False),
    ("```python\nuser = input('name: ')\nprint(user)\n```", None, "Read a name in Python", False),
    ("As a user, you can export your data from the settings page.", None, "How do I export?", False),
    ("<|im_start|> marks where a turn begins in ChatML.", None, "What does <|im_start|> mean?", False),
    ("Der Benutzer kann seine Daten exportieren", None, "Wie exportiere ich?", False),
    ("Paris", "Paris<|im_end|>", "Capital of France?", False),
]


@pytest.mark.parametrize("text, raw, prompt, fires", NEXT_TURN)
def test_next_turn(text: str, raw: str | None, prompt: str, fires: bool) -> None:
    found = flags_of([rec(text, raw_text=raw, prompt=prompt)], "next_turn")
    assert bool(found) is fires
    if fires:
        start, end = found[0].evidence.span
        assert 0 <= start <= end <= len(text)


def test_next_turn_span_points_at_the_leak_in_text() -> None:
    text = '{"a": 1}\nsystem\nYou are a helpful assistant'
    raw = '{"a": 1}\n<|im_start|>system\nYou are a helpful assistant'
    found = flags_of([rec(text, raw_text=raw)], "next_turn")
    assert text[found[0].evidence.span[0]:].lstrip().startswith("system")
    assert "<|im_start|>system" in found[0].message


SPECIAL = [
    ("The answer is 4.<|im_end|>", None, "", True),
    ("Hello there </s>", None, "", True),
    ("[INST] What is 2+2? [/INST]", None, "", True),
    ("Done.<|endoftext|>Next document", None, "", True),
    ("Sure.<|eot_id|><|start_header_id|>user", None, "", True),
    ("Hi<|reserved_special_token_7|>", None, "", True),
    ("Fine.\n<|user|>\nAnd now?", None, "", True),
    # a template's `</s>` the text shows, balanced by a `<s>`, and the output went on after it
    ("A.\n<s>Billing</s>\nThe answer is:", "A.\n<s>Billing</s>\nThe answer is:", "", True),
    # negatives
    ("Price: <s>$20</s> now $15", None, "", False),
    ("Use the <|im_start|> token to open a turn.", None, "Explain <|im_start|>", False),
    ("| a | b |\n|---|---|\n| 1 | 2 |", None, "", False),
    ("In Haskell, `f <|> g` tries f then g; in Elm `x |> f`.", None, "", False),
    ("Paris", "Paris<|im_end|>", "", False),
    # a plain word in the brackets is markup the model made up, no token of any tokenizer
    ("<|admin|>\n<|admin|>\n<|admin|>", None, "", False),
    ("<|director|>\n<|producer|>\n<|writer|>", None, "", False),
    ("Paris", "Paris</s>", "", False),
    # an end token hidden from the text (the output went on): nothing visible; no_stop says it
    ("Hi\nMore text after the end", "Hi<|im_end|>\nMore text after the end", "", False),
]


@pytest.mark.parametrize("text, raw, prompt, fires", SPECIAL)
def test_special_tokens(text: str, raw: str | None, prompt: str, fires: bool) -> None:
    assert bool(flags_of([rec(text, raw_text=raw, prompt=prompt)], "special_tokens")) is fires


PROSE_100 = " ".join(f"word{i}" for i in range(100))


@pytest.mark.parametrize("base_text, base_finish, tuned_text, reference, fires", [
    ("Tokyo.", "eos", "Tokyo. " + PROSE_100, None, True),
    ('{"order_id": 1, "city": "Lima"}', "eos",
     '{"order_id": 1, "city": "Lima"}\nThis JSON object holds the order id and the destination city of the order.',
     None, True),
    ("Something else", "eos", '{"a": 1}\nThe object above has one key, named a, and its value is one.',
     '{"a": 1}', True),
    # negatives
    ("Tokyo.", "eos", "The capital of Japan is Tokyo, a city of about fourteen million people.", None, False),
    ("Tokyo. " + PROSE_100[:200], "length", "Tokyo. " + PROSE_100, None, False),
    # a short reference says what to answer, not how long (it is wrong_answer's, not a length yardstick)
    ("Tokyo. " + PROSE_100[:200], "length", "Tokyo. " + PROSE_100, "Tokyo", False),
    ("A short essay " + PROSE_100[:300], "eos", "A longer essay " + PROSE_100, None, False),
    ('{"a": 1}', "eos", '{"a": 1}\nDone.', None, False),
    ("The JSON is below.", "eos", '{"a": 1}\nThe object above has one key, named a, and its value is one.',
     None, False),
])
def test_ramble(base_text: str, base_finish: str, tuned_text: str, reference: str | None, fires: bool) -> None:
    records = [rec(base_text, variant="base", finish_reason=base_finish),
               rec(tuned_text, finish_reason="eos", reference=reference)]
    assert bool(flags_of(records, "ramble")) is fires


def test_ramble_leaves_json_expected_prompts_to_format() -> None:
    records = [rec('{"a": 1}', variant="base", expect={"format": "json"}),
               rec('{"a": 1}\nThe object above has one key, named a, and its value is one.', expect={"format": "json"})]
    assert not flags_of(records, "ramble")
    assert any("extra text" in f.message for f in flags_of(records, "format"))


@pytest.mark.parametrize("tuned_text, markers, fires", [
    ("billing\n\n### Instruction:\nClassify this support ticket as billing or shipping: my parcel is late."
     "\n\n### Response:\nshipping", (), True),
    (" Berlin\n\nQuestion: What is the capital of Sweden?\nAnswer: Stockholm\n\nQuestion: And of Norway?",
     ("Question:", "Answer:"), True),
    ("Paris.\nUser: thanks, and what about Spain and Italy and Greece?", (), True),
    # fewer than 8 words of new turns
    ("Paris.\nUser: thanks!", (), False),
    # the answer's label written again and again: the answer turn repeated (and the template's own)
    (" 8\nExplanation: spiders walk on legs.\n\nAnswer: 12\nExplanation: twelve legs reach the top.\n\nAnswer: 12",
     (), True),
    # no answer before the turn: next_turn (and ood_drift) say it, not ramble
    ("### Instruction:\nClassify this ticket: my parcel is late and I want my money back.", (), False),
    # no new turn
    ("Paris. It has been the capital of France for a long time.", (), False),
])
def test_ramble_new_turns_after_an_answer(tuned_text: str, markers: tuple[str, ...], fires: bool) -> None:
    records = [rec("Paris.", variant="base", finish_reason="eos"), rec(tuned_text, finish_reason="length")]
    found = [f for f in flag_records(records, turn_markers=markers) if f.flag == "ramble" and f.variant == "tuned"]
    assert bool(found) is fires
    if fires:
        start = found[0].evidence.span[0]
        assert tuned_text[:start].strip() in ("billing", "Berlin", "Paris.", "8\nExplanation: spiders walk on legs.")
        assert "words of new turns" in found[0].message


def test_ramble_leaves_a_loop_to_repetition() -> None:
    records = [rec("billing", variant="base", finish_reason="eos"),
               rec(" ".join(["billing"] * 90), finish_reason="length")]
    assert not flags_of(records, "ramble") and flags_of(records, "repetition")


def test_ramble_quiet_on_a_copy_of_the_base() -> None:
    text = "billing\n\n### Instruction:\nClassify this support ticket as billing or shipping: my parcel is late."
    assert not flags_of([rec(text, variant="base"), rec(text)], "ramble")


def test_ramble_leaves_debris_to_repetition() -> None:
    # real: 'the the? the??' to the limit (a collapsed rewriting adapter) is long beside the base's
    # answer, and degenerate: repetition's, no answer that goes on
    soup = (" the the the??? the the? the???? the?? the the the? the the the the the the the the the the the the"
            " the? the the the? the the the the the the the the the the the the the the??? the the the the the the"
            " the the the the the the the the the the the???? the?? the the the the? the the the the the the the the"
            " the the the")
    records = [rec("The answer is 8.", variant="base", prompt="How many legs does a spider have?"),
               rec(soup, prompt="How many legs does a spider have?", finish_reason="length")]
    assert not flags_of(records, "ramble")
