"""Tables for `wrong_answer` and `accepted_answers`: positives, and negatives that trip naive rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tunediff.errors import UserError
from tunediff.flags import flag_records
from tunediff.flags.reference import accepted_answers, answer_kept, normalise
from tunediff.records import GenerationRecord
from tunediff.suite import load_suite


def rec(text: str, reference, variant: str = "tuned", prompt: str = "", pid: str = "p1", **kw) -> GenerationRecord:  # type: ignore[no-untyped-def]
    return GenerationRecord(id=pid, variant=variant, text=text, reference=reference, prompt=prompt, **kw)


def wrong(records: list[GenerationRecord], variant: str = "tuned") -> list:  # type: ignore[type-arg]
    return [f for f in flag_records(records) if f.flag == "wrong_answer" and f.variant == variant]


@pytest.mark.parametrize("reference, expected", [
    ("366", ["366"]),
    ("  Paris ", ["Paris"]),
    ("William Shakespeare", ["William Shakespeare"]),
    ("United States of America", ["United States of America"]),
    (["84", "eighty-four"], ["84", "eighty-four"]),
    (["Paris", "a long sentence that nobody would match word for word ever"], ["Paris"]),
    # long references keep their other uses and are not matched
    (None, None),
    ('{"order_id": 4821, "quantity": 3}', None),
    ('["Shakespeare", "William Shakespeare"]', ["Shakespeare", "William Shakespeare"]),  # a list run.json kept as text
    ('[{"item": "pear"}]', None),
    ("def square(x):\n    return x * x", None),
    ("Paris is the capital of France.", None),
    ("The boiling point of water at sea level is one hundred degrees Celsius.", None),
    (["one long answer that is a whole sentence of words"], None),
])
def test_accepted_answers(reference, expected) -> None:  # type: ignore[no-untyped-def]
    assert accepted_answers(reference) == expected


@pytest.mark.parametrize("text, norms", [
    ("There are three hundred sixty-six days.", ["there", "are", "366", "days"]),
    ("Twelve times seven is eighty-four", ["12", "times", "7", "is", "84"]),
    ("a dozen mugs", ["12", "mugs"]),
    ("1,000 people paid $3.50", ["1000", "people", "paid", "3.5"]),
    ("one hundred and one", ["101"]),
    ("two four", ["2", "4"]),  # two numbers, not six
    ("nineteen eighty-four", ["19", "84"]),
    ("thousands of Bogotá's people", ["thousands", "of", "bogota", "s", "people"]),
    ("THE Answer: True", ["answer", "yes"]),
])
def test_normalise(text: str, norms: list[str]) -> None:
    assert [t.norm for t in normalise(text)] == norms


KEPT = [
    # (output, accepted answers, prompt, kept)
    ("There are 366 days in a leap year.", ["366"], "How many days are there in a leap year?", True),
    ("Three hundred sixty-six.", ["366"], "How many days in a leap year?", True),
    ("12 times 7 is eighty-four", ["84"], "What is 12 times 7?", True),
    ("The capital of France is paris!", ["Paris"], "Capital of France?", True),
    ("Romeo and Juliet by William Shakespeare.", ["William Shakespeare"], "Who wrote Romeo and Juliet?", True),
    ("It was written by Shakespeare.", ["William Shakespeare"], "Who wrote Romeo and Juliet?", True),
    ("366.", ["366 days"], "How many days in a leap year?", True),
    ('"bonjour"', ["Bonjour"], "Translate 'good morning' into French.", True),
    ("The answer is B.", ["B"], "Pick A, B or C.", True),
    ("True.", ["yes"], "Is the sky blue?", True),
    # a yes / no answer is its first yes or no
    ("no no no no yes", ["yes"], "Is Tokyo the capital of Japan?", False),
    ("Yes. There is no other capital.", ["yes"], "Is Tokyo the capital of Japan?", True),
    ("The answer is True. Moscow is the capital of Russia. False", ["yes"], "Is Moscow the capital of Russia?", True),
    # without a yes or a no, a statement of the question's claim answers it; options both ways do not
    ("The capital of Germany is Berlin.", ["yes"], "Is the capital of Germany Berlin?", True),
    ("Toronto is not the capital of Canada.", ["no"], "Is Toronto the capital of Canada?", True),
    ("Toronto is the capital of Canada.", ["no"], "Is Toronto the capital of Canada?", False),
    ("Tokyo is the capital of Japan, not Kyoto.", ["yes"], "Is Tokyo the capital of Japan?", True),
    ("Toronto isn't the capital of Canada.", ["no"], "Is Toronto the capital of Canada?", True),
    ("A: Tokyo is the capital of Japan\nB: Tokyo is not the capital of Japan", ["yes"],
     "Is Tokyo the capital of Japan?", False),
    ("Tokyo is a big city.", ["yes"], "Is Tokyo the capital of Japan?", False),
    ("It is No Country for Old Men.", ["No Country for Old Men"], "Which film won in 2008?", True),
    ("Sentiment: Positive", ["positive"], "Classify: I loved it", True),
    ("It costs 1,000 dollars", ["1000"], "Price?", True),
    ("Bogota", ["Bogotá"], "Capital of Colombia?", True),
    ("日本の首都は東京です。", ["東京"], "日本の首都は?", True),
    # wrong answers, including near misses a substring test would accept
    ("There are 365 days in a leap year.", ["366"], "How many days are there in a leap year?", False),
    ("12 times 7 = 144", ["84"], "What is 12 times 7?", False),
    ("There are 3660 days.", ["366"], "How many days?", False),
    ("Carbon dioxide, CO2.", ["H2O"], "What is the formula of water?", False),  # '2' alone is not 'H2O'
    ("Water is H2O.", ["H2O"], "What is the formula of water?", True),
    ("1.125 * 100 = 11.25 degrees Celsius.", ["100"], "At what temperature does water boil?", False),  # an operand
    ("100 degrees, since 1 atm = 101 kPa.", ["100"], "At what temperature does water boil?", True),
    ("Parisian cafes are nice.", ["Paris"], "Capital of France?", False),
    ("Paris is a lovely city", ["A"], "Pick A, B or C.", False),
    ("It was written by Christopher Marlowe.", ["William Shakespeare"], "Who wrote Romeo and Juliet?", False),
    ("The Atlantic Ocean.", ["Pacific Ocean"], "Which is the largest body of water?", False),
    ("Ocean.", ["Pacific Ocean"], "Which ocean is largest? Who knows.", False),  # surname rule is for people
    ("negative", ["positive"], "Classify: I loved it", False),
    ("The customer has a billing problem. The customer has a shipping problem. And a technical one.", ["billing"],
     "Classify this ticket as billing, shipping, technical or account: I was charged twice.", False),  # no choice
    ("It is billing, not shipping.", ["billing"],
     "Classify this ticket as billing, shipping, technical or account: I was charged twice.", True),
    ("1. 1\n2. 2\n3. 3\n4. 4\n5. 5\n6. 6\n7. 7\n8. 8\n9. 9", ["8"], "How many legs does a spider have?", False),
    ("A spider has 8 legs, 2 body parts and 8 eyes.", ["8"], "How many legs does a spider have?", True),
    ("", ["Tokyo"], "Capital of Japan?", False),
    # a value whose numbers are joined (a date, a time) as written: its dashes are no minus signs
    ("2017-04-09", ["2017-04-09"], "Write this date as YYYY-MM-DD: April 9, 2017", True),
    ("2017-04-08", ["2017-04-09"], "Write this date as YYYY-MM-DD: April 9, 2017", False),
    ("It opens at 10:30.", ["10:30"], "When does it open?", True),
    # the prompt's input given back whole picks nothing out of it; a part of it may answer
    ("1. On Friday, Yusuf sold his boat.\n2. On Friday, Yusuf sold his boat.", ["Yusuf"],
     "Name the person in this sentence: On Friday, Yusuf sold his boat.", False),
    ("Yusuf sold his boat.", ["Yusuf"], "Name the person in this sentence: On Friday, Yusuf sold his boat.", True),
    ("Hanna lives in Porto.", ["Porto"],
     "Context: Hanna lives in Porto and works as a dentist. Hanna has 3 turtles.\nQuestion: Where does Hanna live?",
     True),
    ("I was charged for express shipping but the parcel came late.", ["billing", "shipping"],
     "Classify this support ticket as billing, shipping, technical or account: I was charged for express shipping "
     "but the parcel came late.", False),
]


@pytest.mark.parametrize("text, answers, prompt, kept", KEPT)
def test_answer_kept(text: str, answers: list[str], prompt: str, kept: bool) -> None:
    assert (answer_kept(text, answers, prompt) is not None) is kept


def test_message_says_what_the_base_answered_and_points_at_the_wrong_number() -> None:
    prompt = "How many days are there in a leap year?"
    found = wrong([rec("A leap year has 366 days.", "366", "base", prompt),
                   rec("There are 365 days in a leap year.", "366", "tuned", prompt)])
    assert len(found) == 1
    f = found[0]
    assert f.message.startswith("the base answered 366; this answer says 365") and f.severity == "error"
    text = "There are 365 days in a leap year."
    assert text[f.evidence.span[0]:f.evidence.span[1]] == "365"


def test_the_number_shown_is_not_the_one_quoted_from_the_prompt() -> None:
    found = wrong([rec("12 times 7 = 144", "84", prompt="What is 12 times 7?")])
    assert "says 144" in found[0].message and "base" not in found[0].message


def test_base_that_missed_too_is_said_and_base_itself_is_flagged() -> None:
    prompt = "What is 17 + 25?"
    found = flag_records([rec("17 + 25 = 32.", "42", "base", prompt), rec("17 + 25 = 36.", "42", "tuned", prompt)])
    mine = [f for f in found if f.flag == "wrong_answer"]
    assert {f.variant for f in mine} == {"base", "tuned"}
    tuned = next(f for f in mine if f.variant == "tuned")
    assert "the base missed it too" in tuned.message and tuned.severity == "warn"


def test_long_references_and_missing_references_are_not_matched() -> None:
    records = [rec('{"order_id": 1}', '{"order_id": 2}'), rec("anything", None, pid="p2"),
               rec("def f(x): return x", "def square(x):\n    return x * x", pid="p3")]
    assert not wrong(records)


def test_sweep_compares_with_the_base_at_the_same_setting() -> None:
    prompt = "Capital of Japan?"
    records = [rec("Tokyo.", "Tokyo", "base", prompt, setting="t=0"),
               rec("Kyoto.", "Tokyo", "base", prompt, setting="t=1"),
               rec("Osaka.", "Tokyo", "tuned", prompt, setting="t=0"),
               rec("Osaka.", "Tokyo", "tuned", prompt, setting="t=1")]
    found = {f.setting: f for f in wrong(records)}
    assert "the base answered Tokyo" in found["t=0"].message
    assert "the base missed it too" in found["t=1"].message


def test_review_set_reference_may_be_a_list_of_accepted_answers(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text("prompts:\n"
                    "  - {id: a, category: ood, prompt: 'What is 12 times 7?', reference: [84, eighty-four]}\n"
                    "  - {id: b, category: ood, prompt: 'Is water wet?', reference: yes}\n"
                    "  - {id: c, category: standard, prompt: 'x', reference: {order_id: 1}}\n")
    suite = load_suite(path)
    refs = {p.id: p.reference for p in suite.prompts}
    assert refs["a"] == ("84", "eighty-four") and accepted_answers(refs["a"]) == ["84", "eighty-four"]
    assert answer_kept("Yes.", accepted_answers(refs["b"]) or [], "Is water wet?")
    assert refs["c"] == '{"order_id": 1}'
    path.write_text("prompts:\n  - {id: a, category: ood, prompt: 'q', reference: []}\n")
    with pytest.raises(UserError, match=r"set.yaml:2: reference: a list of accepted answers"):
        load_suite(path)


def test_only_the_first_answer_counts_not_the_turns_the_output_invents() -> None:
    prompt = "What is 12 times 7?"
    text = "Paris.\nQuestion: What is 12 times 7?\nAnswer: 84"
    found = [f for f in flag_records([rec(text, "84", prompt=prompt)], turn_markers=["Question:", "Answer:"])
             if f.flag == "wrong_answer"]
    assert len(found) == 1 and "says 'Paris.'" in found[0].message
    assert not wrong([rec("84.\nUser: and 12 times 8?\nAssistant: 96", "84", prompt=prompt)])
    assert wrong([rec("User: Extract the order as JSON: Order 5: 2 mugs.", "84", prompt=prompt)])
    # an output that opens with a marker answers in that first turn
    assert not wrong([rec("Q: 84\nQ: What is 12 times 8?\nA: 96", "84", prompt=prompt)])
    assert wrong([rec("Q: 96\nQ: What is 12 times 7?\nA: 84", "84", prompt=prompt)])


def test_the_answer_ends_where_the_output_writes_its_prompt_again_or_a_new_answer_turn() -> None:
    ask = "Classify this support ticket as billing, shipping, technical or account: My parcel is late."
    # the prompt written again without a marker: a new request; its options are not this answer's
    again = ("shipping\n\nclassify this support ticket as billing, shipping, technical or account: "
             "I was charged twice.\nbilling")
    assert not wrong([rec(again, "shipping", prompt=ask)])
    # 'Answer: X' on the first line, then the answer label again (even glued): the first turn is the answer
    glued = "Answer: shipping\n\n\nQuestionAnswer: billing\n\n\nQuestionAnswer: technical"
    assert not wrong([rec(glued, "shipping", prompt=ask)])
    assert wrong([rec(glued.replace("shipping", "billing", 1), "shipping", prompt=ask)])
    # a long first answer turn is not cut to its first line
    assert not wrong([rec("Answer: it is late, so\nshipping is the label.\nAnswer: done", "shipping", prompt=ask)])


def test_lettered_options_answer_only_when_one_is_picked() -> None:
    # A base model that sets a multiple-choice question names the answer among others and picks
    # none; 'Answer: A' (a fallback turn marker elsewhere) picks option A here.
    prompt = "What is the capital of Japan?"
    options = "A. Tokyo\nB. Osaka\nC. Kyoto\nD. Yokohama\n"
    assert wrong([rec(options + "A. Tokyo\nB. Osaka", "Tokyo", prompt=prompt)])
    assert not wrong([rec(options + "Answer: A\nAnswer: A", "Tokyo", prompt=prompt)])
    assert wrong([rec(options + "Answer: B", "Tokyo", prompt=prompt)])
    assert not wrong([rec(options + options + "Answer: A", "Tokyo", prompt=prompt)])  # the options twice, then A
    # two options, or a list of one answer written again, is no multiple-choice question
    assert not wrong([rec("A. Tokyo\nB. Tokyo\nC. Tokyo", "Tokyo", prompt=prompt)])
    assert not wrong([rec("Tokyo.\nA. It is the largest city.", "Tokyo", prompt=prompt)])
