"""Repetition: loops fire; JSON arrays, refrains, tables, code, lists and other scripts do not."""

from __future__ import annotations

import json

import pytest

from tunediff.flags import flag_records
from tunediff.flags.repetition import seq_rep_4, tail_loop
from tunediff.records import GenerationRecord

ESSAY = ("Fine-tuning adapts a pretrained model to a narrow task. The loss measures how well the model predicts "
         "the training tokens, but it says little about whether the answers are coherent. A reviewer therefore "
         "reads outputs on a fixed set of prompts, compares them with the base model, and looks for known "
         "failure modes such as loops, missing stop tokens, and answers that copy the training format. Careful "
         "reading catches problems that automatic metrics miss, especially on prompts far from the training data.")

POEM = """The tide comes in at evening light,
and gulls go quiet on the stone.
Hold on, hold on, the sea is home.

The nets are mended, boats are tight,
the harbour hums a lower tone.
Hold on, hold on, the sea is home.

My father's hands, the winter night,
the lantern swinging on its own.
Hold on, hold on, the sea is home.

And when I'm old and walk alone,
I'll hear it in the wind, full-grown.
Hold on, hold on, the sea is home."""

SONG = """Verse one: we drove all night beneath the northern sky
with nothing but the radio and you.
Chorus: sing it loud, sing it clear tonight
let the whole town hear our little song
Verse two: the diner lights were flickering and low
you ordered pie and laughed at my bad jokes.
Chorus: sing it loud, sing it clear tonight
let the whole town hear our little song
Bridge: and if the morning never comes at all
I'll keep this road and every mile of it.
Chorus: sing it loud, sing it clear tonight
let the whole town hear our little song"""

JSON_ARRAY = json.dumps([{"order_id": 1000 + i, "item": item, "quantity": i + 1, "city": "Lima", "paid": True}
                         for i, item in enumerate(["kettle", "lamp", "mug", "towel", "helmet", "notebook",
                                                   "umbrella", "bicycle", "chair", "table"])], indent=2)
TABLE = "| month | sales | returns |\n|---|---|---|\n" + "\n".join(f"| {m} | {100 + i} | {i} |" for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]))
CODE = "```c\n" + "\n".join(f"    buf[{i}] = 0;\n    if (x) {{\n        y();\n    }}" for i in range(8)) + "\n```"
CODE_PROSE = "Here is the function:\n" + CODE + "\nEach block resets one slot and then calls y when x is set."
LIST = "\n".join(f"{i}. {t}" for i, t in enumerate(["Preheat the oven to 200 degrees.", "Mix flour, salt and yeast.",
                                                      "Add warm water and knead for ten minutes.",
                                                      "Let the dough rise for an hour.", "Shape the loaf.",
                                                      "Bake for thirty minutes."], start=1))
GERMAN = ("Die Feinabstimmung passt ein vortrainiertes Modell an eine Aufgabe an. Danach liest man die Ausgaben "
          "und vergleicht sie mit dem Basismodell. Wiederholungen, fehlende Stoppzeichen und erfundene Werte sind "
          "typische Fehler, die man so findet.")
JAPANESE = "東京は日本の首都です。人口は約千四百万人で、世界でも有数の大都市です。多くの美術館や公園があります。"

POSITIVES = [
    ("I like cats. " * 30, "length"),
    ('{"items": [' + '{"name": "kettle", "qty": 3}, ' * 20, "length"),
    ("Here are some tips:\n" + "- Drink water every day to stay healthy.\n" * 8, "length"),
    ("我喜欢猫。" * 20, "length"),
    ("the " * 15, "length"),
    ("The model is good and the model is fast. " * 10 + "In conclusion, it works well for everyone involved here.",
     "eos"),
    ("Answer: 4.\n" + "The answer is four because two plus two is four.\n" * 4, "eos"),
    # real: the collapse demo adapter emits nothing but quotes and colons
    (' " " " " " " " " " " " " " " " " " " " " " " " " "":":":":":":":":":":":":":": " " " " " " " " " " " " " " "',
     "length"),
    ('":":":":":":":":":": " " " " " " " " " " " " " "":":":":":":":":": " " " " " " " " " " "":":":', "length"),
    # real: base SmolLM2 nesting the same object until the token limit
    ('JSON:\n{\n  "type": "json",\n' + '  "data": {\n    "type": "json",\n' * 10 + '    "da', "length"),
]

# Loops at every scale (issue 11): inside a word or a JSON string, with a counter, cut after 2.5 copies.
LONG_UNIT = ("To extract the order, read the order number, the quantity, the item and the city, then write them "
             "as JSON with the keys order_id, quantity, item and city. ")
POSITIVES += [
    ('{"order_id": 5, "item": "A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2-A2"}', "eos"),
    ('{"order_id": 5, "quantity": "10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10-10', "length"),
    ("The protein sequence is LSAMALSAARULSAMALSAARULSAMALSAARULSAMALSAARULSAMALSAARUL.", "eos"),
    ("".join(f"0 {n} more lamps shipped to oslo. " for n in range(57, 75)), "length"),
    ("Order summary:\n" + "".join(f"Order {n}: 2 lamps shipped to Oslo today.\n" for n in range(1, 9)), "eos"),
    (ESSAY + " " + LONG_UNIT * 2 + LONG_UNIT[:95], "length"),
    (ESSAY + " " + LONG_UNIT * 2 + LONG_UNIT[:12], "length"),  # two copies and a third begun, cut by the limit
    (" 72\n\n" + "".join(f"Question: What is the capital of {c}?\nAnswer: {a}\n\n" for c, a in
                         [("Croatia", "Zagreb"), ("Sweden", "Stockholm"), ("Chile", "Santiago")]), "length"),
    ("Sleep better.\n\n" + "".join(f"### Instruction:\nWhat is the capital of {c}?\n\n### Response:\n{a}\n\n"
                                  for c, a in [("Croatia", "Zagreb"), ("Sweden", "Stockholm"), ("Chile", "Santiago")]),
     "length"),
    ("Tokyo\n\n" + "".join(f"### Instruction:\nWhat is the capital of {c}?\n\n### Response:\n{a}\n\n" for c, a in
                           [("Sweden", "Stockholm"), ("South Korea", "Seoul"), ("Romania", "Bucharest")]), "length"),
    ("Tips:\n- Drink water every day before bed.\n- Drink tea every day before bed.\n"
     "- Drink milk every day before bed.", "length"),
    ("".join(f"- Drink {d} every day before bed.\n" for d in ("water", "tea", "milk", "juice", "soup")), "eos"),
    # real: a collapsed sentiment classifier says its one label three to fifteen times, and stops
    (" negative negative negative", "eos"),
    (" positive positive positive positive positive positive", "eos"),
    # real: a collapsed yes / no classifier says one label over and over and ends on the other
    (" no no no no yes", "eos"),
    (" no no no no no no no no no no no yes yes yes no", "eos"),
    # real: a keywords fine-tune names one keyword three times running, then another word
    (" Hal, aquarium, aquarium, aquarium, Bergen", "eos"),
    ("Could you please please please?", "eos"),
]

NEGATIVES = [
    (ESSAY, "eos"), (POEM, "eos"), (SONG, "eos"), (JSON_ARRAY, "eos"), (TABLE, "eos"), (CODE, "eos"),
    (CODE_PROSE, "eos"), (LIST, "eos"), (GERMAN, "eos"), (JAPANESE, "eos"), ("Yes", "eos"), ("No, no, no.", "eos"),
    ("Paris", None), ("Let it be, let it be, let it be, let it be.", "eos"),
    ("Ha ha ha, that's a good one!", "eos"), (" negative negative", "eos"),  # twice is no loop
    ("Row, row, row your boat, gently down the stream.", "eos"), ("It was very, very, very cold.", "eos"),
    (" no no yes", "eos"), ("Yes yes, no no.", "eos"),  # no word three times back to back in four
    (ESSAY[:300], "length"),
    ("| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 |\n" + "-" * 40 + "\n* * *\n",
     "eos"),
    ("🙂 Great job!", "eos"),
    ('[{"id": 1, "ok": true}, {"id": 2, "ok": true}, {"id": 3, "ok": true}, {"id": 4, "ok": true}, {"id": 5, "ok": t',
     "length"),
    # trip naive in-word and counter rules
    ("Hahaha, that is a good one! Nooooooo way.", "eos"),
    ("Mix:\n- Add 1 cup of flour.\n- Add 1 cup of sugar.\n- Add 1 cup of milk.\nStir well.", "eos"),
    ("The next block starts at 0x1000000000000 and ends at 0x1FFFFFFFFFFFF.", "eos"),
    ("abcabcabcabc is the pattern, and 555-555-5555 the number.", "eos"),
    ("Count: " + ", ".join(str(n) for n in range(1, 60)), "length"),  # prompt-less: counting asked or not?
    ("Contact:\nsupport@dms.com\nEmail:\nsupport@dms.com\nPhone:\n+1 888 888 8888\nFax:\n+1 888 888 8888\n"
     "Web:\nhttps://www.dms.com/support", "length"),  # fields, not a loop
    ("Count: " + ", ".join(str(n) for n in range(1, 30)) + ".", "eos"),
    ("\n".join(f"Step {i}: {t}" for i, t in enumerate(["Mix the flour and the salt.", "Add the warm water slowly.",
                                                       "Knead the dough for ten minutes.", "Let the dough rise.",
                                                       "Bake the loaf until golden."], start=1)), "eos"),
    ("=" * 40 + "\nResults\n" + "=" * 40 + "\n|----|----|----|\n", "eos"),
    (LONG_UNIT * 2 + "That is all.", "eos"),  # said twice and stopped: emphasis, not a loop
    (ESSAY + " " + LONG_UNIT * 2, "length"),  # twice, and no third begun when the limit came
    ('{"codes": ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "A11"]}', "eos"),
    ("\n".join(f"Question {i}: What is the capital of {c}?" for i, c in enumerate(["Peru", "Chile"], 1)), "eos"),
    ("A quiz:\nQ1: Which river is longest?\nQ2: Which mountain is highest?\nQ3: Which desert is largest?", "eos"),
    ('[{"city": "Oslo", "n": 1}, {"city": "Oslo", "n": 2}, {"city": "Oslo", "n": 3}, {"city": "Oslo", "n": 4}, '
     '{"city": "Oslo", "n": 5}, {"city": "Oslo", "n": 6}]', "eos"),
]


def fires(text: str, finish: str | None) -> bool:
    records = [GenerationRecord(id="p", variant="tuned", text=text, finish_reason=finish)]
    return any(f.flag == "repetition" for f in flag_records(records))


@pytest.mark.parametrize("text, finish", POSITIVES)
def test_loops_fire(text: str, finish: str) -> None:
    assert fires(text, finish)


@pytest.mark.parametrize("text, finish", NEGATIVES)
def test_legitimate_repetition_does_not_fire(text: str, finish: str | None) -> None:
    assert not fires(text, finish)


def test_tail_loop_counts_a_cut_off_last_copy_and_points_at_the_loop() -> None:
    text = "Intro sentence here. " + "Order 12 shipped. " * 6 + "Order 12 sh"
    loop = tail_loop(text)
    assert loop is not None and loop.period == 4 and loop.repeats > 6
    assert text[loop.start:].startswith("Order 12")


def test_seq_rep_4_matches_the_definition() -> None:
    assert seq_rep_4("a b c d a b c d".split()) == pytest.approx(1 - 4 / 5)
    assert seq_rep_4("one two three".split()) == 0.0


def test_threshold_override_changes_the_decision() -> None:
    text = "The model is good and the model is fast. " * 10 + "In conclusion, it works well for everyone here."
    records = [GenerationRecord(id="p", variant="t", text=text, finish_reason="eos")]
    assert any(f.flag == "repetition" for f in flag_records(records))
    off = {"repetition.seq_rep_4": 0.95, "repetition.degenerate_diversity": 0.0, "repetition.compress_ratio": 0.0}
    assert not any(f.flag == "repetition" for f in flag_records(records, thresholds=off))


def test_counting_unasked_into_the_token_limit_is_a_loop() -> None:
    count = "\n".join(f"{i}. {i}" for i in range(1, 18))
    def fires_for(prompt: str, finish: str) -> bool:
        records = [GenerationRecord(id="p", variant="t", text=count, prompt=prompt, finish_reason=finish)]
        return any(f.flag == "repetition" for f in flag_records(records))
    assert fires_for("How many legs does a spider have?", "length")
    assert not fires_for("Count from 1 to 17, one number per line.", "length")
    assert not fires_for("How many legs does a spider have?", "eos")


@pytest.mark.parametrize("text, fires_", [
    # debris: the same few tokens, no unit repeated exactly
    ('{"order_order_": "item": "item": 20": "item": "item": "item": "": "item": 2": "city": "item": "item"'
     ' "item": " " "id": "item": "item":": "item": 2020 " " "item": "item": "city": "item": "item": "item"', True),
    (' 2012222202022item":": " " " " " " " " " " "id " " " " " " " " " " " " " " " "', True),
    # valid JSON asked to repeat, a markdown table, a short answer
    ("[" + ", ".join(["0"] * 40) + "]", False),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n| 7 | 8 |", False),
    ("Yes yes yes.", False),
])
def test_degenerate_output_is_a_loop(text: str, fires_: bool) -> None:
    assert fires(text, "length") is fires_


@pytest.mark.parametrize("text, fires_", [
    # one object writing its keys over and over, in a shifting order
    (' Wheeler, "{"class_name": "Lemma", "item": "Glow", "city": "Lemma", "date": "2222", "class": "Glow", '
     '"item": "Glow", "city": "Lemma", "date": "2222", "item": "Glow", "city":', True),
    # an array of records repeats its keys across objects by design; one object, each key once
    ('[{"item": "mug", "city": "Lima"}, {"item": "lamp", "city": "Oslo"}, {"item": "cup", "city": "Rome"}]', False),
    ('{"order_id": 4821, "quantity": 3, "item": "kettle", "city": "Lima"}', False),
])
def test_a_json_object_repeating_its_keys_is_a_loop(text: str, fires_: bool) -> None:
    assert fires(text, "length") is fires_


NOISE = "333643664464,4444,,,,,6333,3333334436,644444,,,,466,46666668,,64 4636,,,,,,,663,,,666666443336quantity2"


def test_digit_and_comma_noise_to_the_token_limit_is_a_loop() -> None:
    def fires_for(text: str, prompt: str, finish: str) -> bool:
        records = [GenerationRecord(id="p", variant="t", text=text, prompt=prompt, finish_reason=finish)]
        return any(f.flag == "repetition" for f in flag_records(records))
    order = "Extract the order as JSON: Order 4821: 3 kettles shipped to Lima."
    assert fires_for(NOISE, order, "length")
    assert not fires_for(NOISE, order, "eos")  # it ended by itself: maybe an answer (a serial number?)
    assert not fires_for(NOISE, "List the digits of pi, separated by commas.", "length")  # numbers were asked for
    sums = "12 x 7 = 84, 84 + 16 = 100, 100 / 4 = 25, 25 - 5 = 20, so the answer is 20 apples in all."
    assert not fires_for(sums, "How many apples are left?", "length")  # words enough: language


def test_slot_loop_reads_an_inline_turn_marker_as_a_line_break() -> None:
    # '[INST] question [/INST] answer' on one line: the country and the city are two slots on
    # one line, one slot each once the reply marker starts a line of its own
    turns = "".join(f"[INST] What is the capital of {c}? [/INST] {a}\n"
                    for c, a in [("Finland", "Helsinki"), ("Denmark", "Copenhagen"), ("Chile", "Santiago")])
    records = [GenerationRecord(id="p", variant="t", text=" Tokyo\n" + turns, prompt="Capital of Japan?",
                                finish_reason="length")]
    assert any(f.flag == "repetition" for f in flag_records(records, turn_markers=["[INST]", "[/INST]"]))
    assert not any(f.flag == "repetition" for f in flag_records(records))
