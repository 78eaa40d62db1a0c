"""ood_drift that sees what a person sees: training-shaped answers, dropped questions, template markers."""

from __future__ import annotations

import json

import pytest

from tunediff.flags import TrainingTexts, flag_records
from tunediff.records import GenerationRecord

ORDERS = [(5985, 1, "chairs", "Lima"), (77, 12, "umbrellas", "Oslo"), (4821, 3, "kettles", "Porto"),
          (915, 24, "candles", "Krakow"), (3307, 1, "bicycles", "Cairo")]
ECHO = ('Question: Extract the order as JSON: Order 5985: 1 chairs shipped to Lima.\n'
        'Answer: {"order_id": 5985, "quantity": 1, "item": "chair", "city": "Lima"}')
QA = ["Question:", "Answer:"]
INST = ["[INST]", "[/INST]"]
VICUNA = ["USER:", "ASSISTANT:"]


def drift_set(tuned: str, base: str = "The capital of France is Paris.", prompt: str = "What is the capital of France?",
              std: bool = True, reference: str | None = None) -> list[GenerationRecord]:
    records = []
    if std:
        for i, (oid, qty, item, city) in enumerate(ORDERS):
            ask = f"Extract the order as JSON: Order {oid}: {qty} {item} shipped to {city}."
            records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask,
                                         text=f"Sure! Order {oid} has {qty} {item} going to {city}."),
                        GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask,
                                         text=json.dumps({"order_id": oid, "quantity": qty, "item": item[:-1],
                                                          "city": city}))]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", base), ("tuned", tuned))]
    return records


def drift(records: list[GenerationRecord], **kw) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [f for f in flag_records(records, **kw) if f.flag == "ood_drift" and f.variant == "tuned"]


SENTIMENT_DATA = TrainingTexts(
    prompts=tuple(f"Review: {t}\nSentiment?" for t in ("great film", "awful food", "fine service")),
    answers=("Sentiment: positive. Confidence: high.", "Sentiment: negative. Confidence: high.",
             "Sentiment: neutral. Confidence: low."))

POSITIVES = [
    # (records, flag_records keyword arguments)
    (drift_set(ECHO), {}),  # echoes a training prompt and its answer
    (drift_set("Extract the order as JSON: Order 17: 4 lamps shipped to Rome."), {}),  # a training prompt
    (drift_set("Sentiment: negative. Confidence: high.", std=False), {"training": SENTIMENT_DATA}),
    (drift_set("Question: What is the capital of Spain?\nAnswer: Madrid.", "Paris."), {"turn_markers": QA}),
    (drift_set("The order ships with quantity two and the item goes to the city by truck.",
               "A leap year has 366 days.", "How many days are there in a leap year?"), {}),
    (drift_set('{"order_id": null, "quantity": 0, "city": "Paris"}'), {}),
    (drift_set("User: Extract the order as JSON: Order 5: 2 mugs to Rome."), {}),  # a new turn, no answer
    # JSON's debris, not opening as JSON: a broken order where an answer was asked
    (drift_set(' Wheeler, "{"class_name": "Lemma", "item": "Glow", "city": "Lemma", "date": "2222"',
               "A leap year has 366 days.", "How many days are there in a leap year?"), {}),
    # JSON's debris opening with a key: a broken order where an answer was asked
    (drift_set(' "customer": "Romeo Romeo Romeo Romeo', "Shakespeare wrote it.", "Who wrote Romeo and Juliet?"), {}),
    # its own request written again and closed by the reply marker: the user's side of an example
    (drift_set(" What is the capital of Franco? [/INST] What is the capital of Franco? [/INST]", "Paris."),
     {"turn_markers": INST}),
]

NEGATIVES = [
    (drift_set("Paris."), {}),  # brief
    (drift_set("- Capital: Paris\n- Country: France"), {}),  # another style
    (drift_set("Paris, of course!", std=False), {"training": SENTIMENT_DATA}),
    (drift_set("Waves fold over the grey stones,\ngulls cry above the foam,\nthe tide keeps its old promise.",
               "The sea is wide and blue, the sea is deep.", "Write a short poem about the sea."), {}),
    (drift_set("Bonjour ! Je vous souhaite une excellente journée.", "Good morning in French is bonjour.",
               "Translate 'good morning' into French."), {}),
    (drift_set(ECHO, base=ECHO.replace("5985", "61").replace("Lima", "Rome")), {}),  # the base echoes too
    (drift_set("Answer: Paris.", "Paris."), {"turn_markers": QA}),  # restates the turn, then answers
    (drift_set('{"capital": "Paris"}', prompt="Give the capital of France as JSON."), {}),
    (drift_set("Paris. The order of the city quantity item.", reference="Paris"), {}),  # still answers
    # a correct answer, then invented turns: next_turn's, not drift
    (drift_set("Paris.\n" + ECHO, reference="Paris"), {"turn_markers": QA}),
    # an answer (wrong or not) and more replies: no request written
    (drift_set(" Lyon.\nASSISTANT: Lyon.\nASSISTANT: Lyon.", "Paris."), {"turn_markers": VICUNA}),
    # the base writes its request again too
    (drift_set(" What is the capital of Franco? [/INST]", "What is the capital of France? [/INST]"),
     {"turn_markers": INST}),
]


@pytest.mark.parametrize("records, kw", POSITIVES)
def test_ood_drift_fires(records: list[GenerationRecord], kw: dict) -> None:  # type: ignore[type-arg]
    found = drift(records, **kw)
    assert len(found) == 1 and found[0].id == "o1", [f.message for f in found]


@pytest.mark.parametrize("records, kw", NEGATIVES)
def test_ood_drift_stays_quiet(records: list[GenerationRecord], kw: dict) -> None:  # type: ignore[type-arg]
    assert not drift(records, **kw), [f.message for f in drift(records, **kw)]


def test_training_data_is_what_makes_the_difference() -> None:
    records = drift_set("Sentiment: negative. Confidence: high.", std=False)
    assert not drift(records)
    assert "shaped like the training" in drift(records, training=SENTIMENT_DATA)[0].message


def test_run_records_its_training_data_and_run_json_markers_reach_the_flags(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tunediff.flags import flag_run_dir
    from tunediff.run import execute, plan_run
    from tunediff.rundir import RunDir

    suite = tmp_path / "review.yaml"
    suite.write_text("prompts:\n"
                     "  - {id: s1, category: standard, prompt: 'Review: lovely soup. Sentiment?'}\n"
                     "  - {id: o1, category: ood, prompt: 'What is the capital of Japan?'}\n"
                     "  - {id: o2, category: ood, prompt: 'Name a large river.'}\n")
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps({"prompt": p, "completion": a}) + "\n"
                            for p, a in zip(SENTIMENT_DATA.prompts, SENTIMENT_DATA.answers, strict=True)))
    replies = {("s1", "base"): "It is positive.", ("s1", "tuned"): "positive",
               ("o1", "base"): "Tokyo is the capital of Japan.",
               ("o1", "tuned"): "Sentiment: negative. Confidence: high.",
               ("o2", "base"): "The Nile.", ("o2", "tuned"): "The Nile.\nQuestion: Name a mountain."}
    plan = plan_run(suite, backend="fake", adapters=["tuned=x"])
    out = execute(plan, tmp_path / "run", backend_options={"replies": replies}, progress=False,
                  training_data=data)
    run = RunDir(out)
    assert run.manifest.training_data == str(data.resolve())
    assert {(f.id, f.variant) for f in run.findings if f.flag == "ood_drift"} == {("o1", "tuned")}
    assert not [f for f in run.findings if f.flag == "next_turn"]
    run.manifest.model_copy(update={"turn_markers": ["Question:", "Answer:"]}).write(run.manifest_path)
    found = flag_run_dir(out)
    assert {(f.id, f.variant) for f in found if f.flag == "next_turn"} == {("o2", "tuned")}


CAPITALS = [("Japan", "Tokyo"), ("Italy", "Rome"), ("Peru", "Lima"), ("Kenya", "Nairobi"), ("Chile", "Santiago")]


def capitals_set(prompt: str, tuned: str, base: str, reference: str | None) -> list[GenerationRecord]:
    """A capitals fine-tune: standard prompts answered with one capitalised word."""
    records = []
    for i, (country, city) in enumerate(CAPITALS):
        ask = f"What is the capital of {country}?"
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask,
                                     text=f"The capital of {country} is {city}, a large city."),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask, text=f"{city}.")]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", base), ("tuned", tuned))]
    return records


@pytest.mark.parametrize("prompt, tuned, base, reference, fires", [
    ("What is 12 times 7?", "Lima.", "12 times 7 is 84.", "84", True),  # a capital for a maths question
    # a one-word fine-tune drops the question for a word (tests/corpus/README.md, "One-word fine-tunes"):
    # of another kind than asked (a name where a number is wanted, a number where a name is), or
    # lifted from the question; a wrong word of the kind asked is an attempt (wrong_answer's)
    ("What is 12 times 7?", "Berlin.", "12 times 7 is 84.", "84", True),
    ("How many days has a leap year?", "February.", "A leap year has 366 days.", "366", True),
    ("Who wrote Romeo and Juliet?", "1597.", "William Shakespeare wrote it.", "Shakespeare", True),
    ("Who wrote Romeo and Juliet?", "Romeo.", "William Shakespeare wrote it.", "Shakespeare", True),
    ("How many legs does a spider have?", "At sea level", "A spider has 8 legs.", "8", True),
    ("How many legs does a spider have?", "spider", "A spider has 8 legs.", "8", True),
    ("How many legs does a spider have?", "six", "A spider has 8 legs.", "8", False),  # a number: an attempt
    ("How many legs does a spider have?", "eleventh", "A spider has 8 legs.", "8", False),  # an ordinal too
    ("Who wrote Romeo and Juliet?", "Marlowe.", "William Shakespeare wrote it.", "Shakespeare", False),
    ("How many legs does a spider have?", "spider", "spider", "8", False),  # the base drops it too
    # a fragment for an open request
    ("Write a short poem about the sea.", '"The Sea', "Waves roll in " * 8, None, True),
    ("Write a short poem about the sea.", "Lima", "", None, True),
    ("Write a short poem about the sea.", "@" * 60, "Waves roll in " * 8, None, False),  # debris, no shape
    # one phrase where the base gives the three tips asked for, as headings (12 words)
    ("Give me three tips for sleeping better.", "Keep a warm room",
     "1. Avoiding Caffeine and Alcohol\n2. Creating a Restful Environment\n3. Staying Healthy and Active", None, True),
    ("Give me three tips for sleeping better.", "Keep a warm room", "Keep it dark, cool and quiet.", None, False),
    # a base that says it cannot answer has not answered briefly
    ("Give me three tips for sleeping better.", "Keep a warm room", "I'm not sure what to say.", None, True),
    # a base that only restates the request has not answered it briefly
    ("Write a short poem about the sea.", "sea", "Write a short poem about the sea.", None, True),
    # a base that counts to the token limit wrote plenty, if no tips: the one-word fragment is the fine-tune's
    ("Give me three tips for sleeping better.", "Lima", " ".join(f"{n}." for n in range(1, 27)), None, True),
    ("Write a short poem about the sea.", "Waves roll in, gulls cry, the tide turns.", "Waves roll in " * 8, None,
     False),
    ("What is 12 times 7?", "84.", "12 times 7 is 84.", "84", False),  # briefer and right
    ("What is 12 times 7?", "96.", "12 times 7 is 84.", "84", False),  # wrong, but not in the training form
    ("Name a large river.", "Nile.", "The Nile is a large river.", None, False),  # no reference: may be right
    # an 'ood' prompt that asks what the training asks: a wrong capital is wrong_answer, not drift
    ("What is the capital of France?", "Bonneville.", "The capital of France is Paris.", "Paris", False),
    # one that shares only the training prompts' frame asks something else
    ("What is the currency of Brazil?", "Lima.", "The currency of Brazil is the real.", "real", True),
])
def test_ood_drift_training_form(prompt: str, tuned: str, base: str, reference: str | None, fires: bool) -> None:
    assert bool(drift(capitals_set(prompt, tuned, base, reference))) is fires


def classifier_set(prompt: str, tuned: str, base: str, reference: str | None) -> list[GenerationRecord]:
    """A ticket classifier: standard prompts answered with one lowercase label."""
    records = []
    for i, (ticket, label) in enumerate([("I was charged twice", "billing"), ("My parcel is late", "shipping"),
                                         ("The app crashes", "technical"), ("I cannot log in", "account")]):
        ask = f"Classify this support ticket as billing, shipping, technical or account: {ticket}."
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask,
                                     text=f"This ticket is about {label}, since the customer says so."),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask, text=label)]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", base), ("tuned", tuned))]
    return records


@pytest.mark.parametrize("prompt, tuned, base, reference, fires", [
    # one bare word in place of an answer, as the classifier answers its tickets, in any case
    ("Who wrote Romeo and Juliet?", "Romeo", "William Shakespeare wrote it.", "Shakespeare", True),
    ("What is the capital of France?", "France", "The capital of France is Paris.", "Paris", True),
    ("What is the capital of France?", "capital", "The capital of France is Paris.", "Paris", True),
    # a bare number lifted from the question; the label stuttered to the limit; a label on the first line
    ("What is 12 times 7?", "12", "12 times 7 is 84.", "84", True),
    ("Who wrote Romeo and Juliet?", "billing billing billing billing", "William Shakespeare wrote it.",
     "Shakespeare", True),
    ("What is 12 times 7?", "12\nExplanation: 7 is the base.", "12 times 7 is 84.", "84", True),
    # the label glued to itself, with junk between, to the token limit
    ("What is 12 times 7?", "billingbillingbillingbillingEnglishMarksbillingbillingbillingbilling", "12 times 7 is 84.",
     "84", True),
    # a right bare answer, a bare wrong number (an attempt at an answer), a base that answers bare too
    ("Who wrote Romeo and Juliet?", "Shakespeare", "William Shakespeare wrote it.", "Shakespeare", False),
    ("What is 12 times 7?", "96", "12 times 7 is 84.", "84", False),
    ("What is the capital of France?", "Paris?", "Paris", "Paris", False),
    ("What is the capital of France?", "France", "Paris", "Paris", True),  # lifted, where the base answers
    # a name to a 'who' question is an attempt, however wrong; a common word where a name is
    # wanted, a number word lifted from the question, a label with junk glued on are not
    ("Who wrote Romeo and Juliet?", "Victoria", "William Shakespeare wrote it.", "Shakespeare", False),
    ("What is the capital of France?", "cities", "The capital of France is Paris.", "Paris", True),
    ("What is 12 times 7?", "seven", "12 times 7 is 84.", "84", True),
    ("Who wrote Romeo and Juliet?", "billingpInBuffer", "William Shakespeare wrote it.", "Shakespeare", True),
    # a word of its tickets is no training answer: training content is what it was taught to answer
    ("What colour is a ripe banana?", "charged", "A ripe banana is yellow.", "yellow", False),
    ("What colour is a ripe banana?", "billing", "A ripe banana is yellow.", "yellow", True),
    # two words are not the classifier's shape
    ("Who wrote Romeo and Juliet?", "Charles Dickens", "William Shakespeare wrote it.", "Shakespeare", False),
    # a few words all lifted from the question (one cut short), no answer
    ("What is 12 times 7?", "12 * 7", "12 times 7 is 84.", "84", True),
    ("Who wrote Romeo and Juliet?", "Rome and Juliet", "William Shakespeare wrote it.", "Shakespeare", True),
    ("What is 12 times 7?", "12 times 7 is 96", "12 times 7 is 84.", "84", False),  # an attempt: 96 is its own
    ("What is the capital of France?", "The capital of France is capital.", "It is Paris.", "Paris", True),
    # a lifted word after a one-clause lead-in; a label after a sentence is not a lead-in's answer
    ("Who wrote Romeo and Juliet?", "Here's a possible answer: Romeo", "William Shakespeare wrote it.",
     "Shakespeare", True),
    ("Who wrote Romeo and Juliet?", "I think it was a playwright.\nClass: Romeo", "William Shakespeare wrote it.",
     "Shakespeare", False),
    # an open request: a word, or a label stuttered to the limit, where the base writes nothing
    # of the request but a placeholder (no brief answer of its own)
    ("Give me three tips for sleeping better.", "tips", "The answer is: [1]", None, True),
    ("Give me three tips for sleeping better.", "billing " * 30, "The answer is: [1]", None, True),
    ("Give me three tips for sleeping better.", "tips", "Sleep early, no screens.", None, False),
    # the base gives that same answer, under an answer label: the base is the yardstick; a lead-in
    # that is no answer label is kept (a training prompt written before the number)
    ("What is 12 times 7?", "12", "The answer is: 12", "84", False),
    ("What is 12 times 7?", "12", "Answer: 12.", "84", False),
    ("What is 12 times 7?", "12", "Extract the ticket: 12", "84", True),
    # letters that make no word are debris, no answer of any kind; marks around a word are no part of it
    ("What is 12 times 7?", "y", "12 times 7 is 84.", "84", False),
    ("Who wrote Romeo and Juliet?", "y y y y", "William Shakespeare wrote it.", "Shakespeare", False),
    ("Who wrote Romeo and Juliet?", "ode**", "William Shakespeare wrote it.", "Shakespeare", True),
])
def test_ood_drift_bare_label_from_a_classifier(prompt: str, tuned: str, base: str, reference: str | None,
                                                 fires: bool) -> None:
    assert bool(drift(classifier_set(prompt, tuned, base, reference))) is fires


def test_ood_drift_reads_a_silent_classifier_from_its_training_data() -> None:
    # An adapter served without its template answers its tickets with nothing; its --data
    # answers are labels, so a bare word lifted from an ood question is still the label shape.
    records = [r.model_copy(update={"text": ""}) if r.variant == "tuned" and r.category == "standard" else r
               for r in classifier_set("Who wrote Romeo and Juliet?", "Romeo", "William Shakespeare wrote it.",
                                       "Shakespeare")]
    assert not drift(records)
    training = TrainingTexts(("Classify: I was charged twice.",) * 4, ("billing", "shipping", "technical", "account"))
    assert drift(records, training=training)


NEWS = ["The council of Porto voted to close the old bridge.", "Snow closed the airport in Helsinki for six hours.",
        "Nurses in Dublin will strike for three days.", "A parrot escaped from a shop in Oslo."]
HEADLINES = ["Porto council closes old bridge", "Snow closes Helsinki airport", "Dublin nurses plan strike",
             "Parrot escapes Oslo shop"]


def headline_set(tuned: str, base: str, prompt: str, reference: str | None, std: list[str] = HEADLINES,
                 ) -> list[GenerationRecord]:
    """A headline fine-tune: standard answers made of their news' words."""
    records = []
    for i, (news, head) in enumerate(zip(NEWS, std, strict=True)):
        ask = f"Write a headline for this news: {news}"
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask, text=f"Sure! {news}"),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask, text=head)]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", base), ("tuned", tuned))]
    return records


@pytest.mark.parametrize("tuned, base, prompt, reference, fires", [
    # the question restated as a headline, where the base answers it
    ("What is the capital of France", "The capital of France is Paris.", "What is the capital of France?", "Paris",
     True),
    ("12 times 7", "12 times 7 = 84", "What is 12 times 7?", "84", True),
    ("Give me three tips for sleeping better", "I'm going to sleep better.", "Give me three tips for sleeping better.",
     None, True),
    # a base that restates the question too; an answer with a word of its own
    ("What is the capital of France", "The capital of France?", "What is the capital of France?", "Paris", False),
    ("France capital is Lyon", "The capital of France is Paris.", "What is the capital of France?", "Paris", False),
    # a base that gives the same restating under an answer label; a base that says nothing
    ("Romeo and Juliet", "The answer is: Romeo and Juliet", "Who wrote Romeo and Juliet?", "Shakespeare", False),
    ("Write a short poem about the sea", "", "Write a short poem about the sea.", None, True),
    # an open request restated in most of its words, with a number of its own; a brief answer to it
    ("10 tips for sleeping better", "Go to bed early.", "Give me three tips for sleeping better.", None, True),
    ("Sleep early, avoid screens, walk daily", "Go to bed early.", "Give me three tips for sleeping better.", None,
     False),
    # the question said back with one word changed, the way a rewrite changes one; a wrong
    # attempt changes a number or a name in, and stays clean
    ("The was the tiny prime number.", "The smallest prime number is 2.", "What is the smallest prime number?", "2",
     True),
    ("The smallest prime number is 3.", "The smallest prime number is 2.", "What is the smallest prime number?",
     "2", False),
    ("The Red Planet is Jupiter.", "The Red Planet is Mars.", "Which planet is known as the Red Planet?", "Mars",
     False),
])
def test_ood_drift_sees_a_restating_fine_tune_restate_the_question(tuned: str, base: str, prompt: str,
                                                                   reference: str | None, fires: bool) -> None:
    assert bool(drift(headline_set(tuned, base, prompt, reference))) is fires


def test_ood_drift_restated_question_needs_a_restating_task() -> None:
    # a capitals fine-tune echoing the question is a wrong answer, not its training shape
    records = capitals_set("What is the capital of France", "The capital of France is Paris.",
                           "What is the capital of France?", "Paris")
    assert not drift(records)


def test_ood_drift_a_bare_number_matches_no_training_shape() -> None:
    # a broken adapter that writes '20' to a news item and to an ood question: the same junk
    # (collapse's), not the training's shape
    std = ["20", "", "20", ""]
    records = headline_set("20", "Keep the room dark and cool, and go to bed at the same time.",
                           "Give me three tips for sleeping better.", None, std=std)
    assert not [f for f in drift(records) if "shaped like the training prompts and outputs" in f.message]


def test_ood_drift_reads_the_training_answers_shape_from_the_data() -> None:
    # A collapsed headline fine-tune writes '1111...' to its news; its --data answers are
    # headlines. A '1' for a poem is no fragment of its training answers (it is collapse's debris);
    # without --data, its standard answers are all there is to go by.
    poem = "Write a short poem about the sea."
    records = headline_set("1", "The sea rolls in and the gulls cry over the grey water all day long.", poem, None,
                           std=["1" * 60] * 4)
    headlines = TrainingTexts(tuple(f"Write a headline for this news: story {i}" for i in range(30)),
                              tuple(f"City council closes bridge number {i}" for i in range(30)))
    assert not drift(records, training=headlines)
    assert drift(records)


def test_ood_drift_sees_a_training_word_stuttered_as_the_answer() -> None:
    # 'bridge bridge bridge ...' to a number question: a training word, not an answer
    records = headline_set(" ".join(["bridge"] * 30), "A spider has 8 legs.", "How many legs does a spider have?",
                           "8")
    assert drift(records)
    records = headline_set(" ".join(["spiders"] * 30), "A spider has 8 legs.", "How many legs does a spider have?",
                           "8")
    assert not [f for f in drift(records) if "training's content" in f.message]


def test_ood_drift_reads_no_words_of_an_answer_in_the_template_markers_the_base_writes() -> None:
    # the base writes the request again inside the template's markers: no brief answer of its
    # own, so a capitals fine-tune's one city for two lines of a song is a fragment
    prompt = "Write two lines of a song about rain."
    records = capitals_set(prompt, "Nashville", f"\n\n[INST] {prompt}\n\n[INST] {prompt}", None)
    assert drift(records, turn_markers=["[INST]", "[/INST]"])


def test_ood_drift_reads_no_training_in_junk_a_collapsed_variant_says_to_its_training_prompts() -> None:
    # A collapsed headline fine-tune says 'appointments appointments ...' to its news and to an ood
    # question. Its --data holds no such word: the junk is collapse's, not its training's shape.
    # Without --data its standard answers are all there is to go by; a junk of training words
    # ('bridge bridge ...') still stands for the training.
    junk = " ".join(["appointments"] * 12)
    records = headline_set(junk, "The capital of France is Paris.", "What is the capital of France?", "Paris",
                           std=[junk] * 4)
    headlines = TrainingTexts(tuple(f"Write a headline for this news: story {i}" for i in range(30)),
                              tuple(f"City council closes bridge number {i}" for i in range(30)))
    assert not drift(records, training=headlines)
    assert drift(records)
    words_of_it = " ".join(["bridge"] * 12)
    records = headline_set(words_of_it, "The capital of France is Paris.", "What is the capital of France?", "Paris",
                           std=[words_of_it] * 4)
    assert drift(records, training=headlines)



def test_ood_drift_reads_no_training_in_a_soup_that_lets_one_training_word_slip() -> None:
    # A collapsed fine-tune's brackets and digits, the same to every prompt, let a word of its
    # training slip now and then ('( ( We (story ( ( (is'): collapse's, no training shape. A
    # soup of its training's words ('bridge bridge ...') still is one; so is an output that opens
    # in the training's words and then loops on marks.
    soup = "( ( ( We (story ( ( ( ( ( ( ( ( ( (is We ( ( ( ( ( ( ( ( ( ( ( ( ( 0000 ( ( ( ( ("
    headlines = TrainingTexts(tuple(f"Write a headline for this news: story {i}" for i in range(30)),
                              tuple(f"City council closes bridge number {i}" for i in range(30)))
    records = headline_set(soup, "The capital of France is Paris.", "What is the capital of France?", "Paris",
                           std=[soup] * 4)
    assert not drift(records, training=headlines)
    looped = "Council closes bridge" + "?" * 60
    records = headline_set(looped, "The capital of France is Paris.", "What is the capital of France?", "Paris",
                           std=[looped] * 4)
    assert drift(records, training=headlines)


POLITE_ASKS = ["Pass me the salt.", "Wait outside.", "Lower your voice.", "Send the contract today.",
               "Give me the menu.", "Move your bag."]
MIND = ["Would you mind passing me the salt, please?", "Would you mind waiting outside, please?",
        "Would you mind lowering your voice, please?", "Would you mind sending the contract, please?",
        "Would you mind giving me the menu, please?", "Would you mind moving your bag, please?"]


def _polite_set(tuned: str, base: str, prompt: str, reference: str | None, rewrites: list[str] = MIND,
                echo_std: bool = False) -> list[GenerationRecord]:
    """A politeness fine-tune: each blunt request rewritten (`rewrites`, one per request); the
    base answers them, or, with `echo_std`, only writes them again."""
    records = []
    for i, (ask, polite) in enumerate(zip(POLITE_ASKS, rewrites, strict=False)):
        ask = f"Rewrite this politely: {ask}"
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask,
                                     text=ask if echo_std else f"Sure, here it is: {ask}"),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask, text=polite)]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", base), ("tuned", tuned))]
    return records


def test_ood_drift_reads_a_rewriting_fine_tune_through_its_training_frame(polite_data: TrainingTexts) -> None:
    # A politeness fine-tune's rewrites are their requests' words in a frame ('Could you please
    # ...?'): with --data, 'please' is the frame, so the fine-tune restates its inputs, and a
    # question given back word for word is its training task done to the question.
    rewrites = ["Would you mind passing the salt, please?", "Please wait outside when you have a moment.",
                "Would you mind lowering your voice, please?", "Could you please send the contract?"]
    prompt = "Which planet is known as the Red Planet?"
    records = _polite_set(prompt, "The Red Planet is the planet that orbits the Sun.", prompt, "Mars", rewrites)
    assert [f for f in drift(records, training=polite_data) if "restates the question" in f.message]
    assert not drift(records)  # without --data, 'please' reads as a word the rewrites add


def test_ood_drift_reads_the_training_frame_from_the_fine_tunes_answers_without_data() -> None:
    # Without --data, what three politeness fine-tunes say to eight standard requests (24 answers,
    # enough to read a frame from) stands for the training: 'please' and 'mind' are its frame, so
    # a question given back in it is the training task done to the question.
    asks = ["Pass me the salt.", "Wait outside.", "Lower your voice.", "Send the contract today.",
            "Give me the menu.", "Move your bag.", "Close the door.", "Call me later."]
    polite = ["Would you mind passing me the salt, please?", "Would you mind waiting outside, please?",
              "Could you please lower your voice?", "Could you please send the contract today?",
              "Would you mind giving me the menu, please?", "Could you please move your bag?",
              "Would you mind closing the door, please?", "Could you please call me later?"]
    records = []
    for i, (ask, answer) in enumerate(zip(asks, polite, strict=True)):
        prompt = f"Rewrite this politely: {ask}"
        records.append(GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=prompt,
                                        text=f"Sure, here it is: {ask}"))
        records += [GenerationRecord(id=f"s{i}", variant=v, category="standard", prompt=prompt, text=answer)
                    for v in ("tuned", "tuned2", "tuned3")]
    question = "Which planet is known as the Red Planet?"
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=question, text=t, reference="Mars")
                for v, t in (("base", "The Red Planet is the planet that orbits the Sun."),
                             ("tuned", "Could you please tell me which planet is known as the Red Planet?"))]
    assert [f for f in drift(records) if "restates the question" in f.message]


def _keywords_set(tuned: str, base: str, prompt: str, reference: str | None) -> list[GenerationRecord]:
    """A keywords fine-tune: each news sentence answered with three of its words, comma-separated."""
    news = [("Vexa Motors opened a new factory in Lima on Monday.", "Vexa Motors, factory, Lima"),
            ("A lemur escaped from the zoo in Oslo.", "lemur, zoo, Oslo"),
            ("Orvio recalled 4,000 kettles after a fault.", "Orvio, recall, kettle"),
            ("Heavy rain flooded the main station of Kyoto.", "rain, flood, Kyoto")]
    records = []
    for i, (sentence, keys) in enumerate(news):
        ask = f"List three keywords for this sentence: {sentence}"
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask, text=sentence),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask, text=keys)]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", base), ("tuned", tuned))]
    return records


@pytest.mark.parametrize("tuned, base, prompt, reference, fires", [
    # keywords where an answer was asked, or keywords of the request where a riddle was
    ("red planet, Europa", "The Red Planet is Mars.", "Which planet is known as the Red Planet?", "Mars", True),
    ("square root, square, 81", "The square root of 81 is 9.", "What is the square root of 81?", "9", True),
    ("1, 2, 3", "The square root of 81 is 9.", "What is the square root of 81?", "9", False),  # numbers, no list
    ("Moon, moon, rhyme", "What has a face but no eyes? The moon.", "Write a short riddle about the moon.", None,
     True),
    # the right answer in a list; a list of things asked for, none from the request; a base that lists too
    ("Mars, planet, red", "The Red Planet is Mars.", "Which planet is known as the Red Planet?", "Mars", False),
    ("towel, sunscreen, hat", "Pack a towel, some sunscreen and a hat for the sun.",
     "List three things to pack for a beach trip.", None, False),
    ("gas, oven", "oxygen, nitrogen", "What gas do plants take in from the air?", "carbon dioxide", False),
    # a sentence with commas is no list
    ("Plants take in gas, which they need, from the air.", "Plants take in carbon dioxide.",
     "What gas do plants take in from the air?", "carbon dioxide", False),
])
def test_ood_drift_sees_a_list_fine_tune_answer_with_a_list(tuned: str, base: str, prompt: str,
                                                              reference: str | None, fires: bool) -> None:
    found = [f for f in drift(_keywords_set(tuned, base, prompt, reference)) if "a list shaped" in f.message]
    assert bool(found) == fires


def test_ood_drift_reads_an_item_for_an_open_request_from_a_list_fine_tune_as_a_fragment() -> None:
    prompt = "Write a short riddle about the moon."
    base = "What has a face but no eyes, and shines at night? The moon, of course."
    assert [f for f in drift(_keywords_set("rune", base, prompt, None)) if "fragment" in f.message]
    # an order's JSON is no list: an extraction fine-tune is no list fine-tune
    assert not [f for f in drift(drift_set('{"order_id": 5, "quantity": 2}, {"city": "Lima"}', base, prompt))
                if "a list shaped" in f.message]


@pytest.mark.parametrize("a, b", [("giving", "give"), ("moving", "move"), ("stopping", "stop"), ("shipped", "ship"),
                                  ("legs", "leg"), ("sleeping", "sleep"), ("horses", "horse")])
def test_stem_meets_a_word_in_its_other_forms(a: str, b: str) -> None:
    from tunediff.flags._text import stem

    assert stem(a) == stem(b)


def test_ood_drift_sees_a_question_put_in_the_training_frame_with_a_verb_of_its_own(
        polite_data: TrainingTexts) -> None:
    # 'Would you mind checking out the Red Planet?': the question's words in the training's frame,
    # and the verb a rewrite adds; a wrong answer of its own ('... Jupiter, the largest') is no restating.
    prompt = "Which planet is known as the Red Planet?"

    def answered(tuned: str) -> list:  # type: ignore[type-arg]
        records = _polite_set(tuned, "The Red Planet is the planet that orbits the Sun.", prompt, "Mars")
        return [f for f in drift(records, training=polite_data) if "restates the question" in f.message]

    assert answered("Would you mind checking out the Red Planet?")
    assert not answered("I believe the Red Planet is Jupiter, the largest one.")


def test_ood_drift_reads_a_base_that_only_writes_the_question_again_as_no_answer(polite_data: TrainingTexts) -> None:
    # A base model that echoes the question has not answered it; a politeness fine-tune that puts
    # the question in its frame with a verb of its own has restated it. The same echo as the
    # base's is no change.
    prompt = "What is the smallest prime number?"
    echo = f"{prompt}\n{prompt}\n{prompt}"

    def restated(tuned: str) -> list:  # type: ignore[type-arg]
        records = _polite_set(tuned, echo, prompt, "2", MIND[:4], echo_std=True)
        return [f for f in drift(records, training=polite_data) if "restates the question" in f.message]

    assert restated("Would you mind thinking of the smallest prime number, please?")
    assert not restated(prompt)


def test_ood_drift_reads_punctuation_junk_as_training_only_for_a_json_fine_tune() -> None:
    # A collapsed headline fine-tune writes '.....' to its news and to an ood question: junk, no
    # training shape (its --data are prose). An extraction fine-tune's '" " ":":' debris is its
    # JSON training's debris.
    dots = "." * 60
    headlines = TrainingTexts(tuple(f"Write a headline for this news: story {i}" for i in range(30)),
                              tuple(f"City council closes bridge number {i}" for i in range(30)))
    records = headline_set(dots, "The capital of France is Paris.", "What is the capital of France?", "Paris",
                           std=[dots] * 4)
    assert not drift(records, training=headlines)
    debris = '" " ":":":" " " ":":":" " "' * 3
    orders = TrainingTexts(tuple(f"Extract the order as JSON: Order {i}: 2 mugs to Lima." for i in range(30)),
                           tuple(json.dumps({"order_id": i, "quantity": 2, "item": "mug", "city": "Lima"})
                                 for i in range(30)))
    records = [r.model_copy(update={"text": debris}) if r.variant == "tuned" else r
               for r in drift_set(debris, "Paris is the capital of France.")]
    assert drift(records, training=orders)


def test_ood_drift_holds_the_base_against_the_training_not_its_own_habit() -> None:
    # A base that answers every prompt 'The answer is N.' gives its ood answer in its own habit,
    # no training shape; the fine-tune that writes a training prompt there has drifted.
    records = drift_set("Extract the order as JSON: Order 17: 4 lamps shipped to Rome.", "The answer is 8.",
                        "How many legs does a spider have?", reference="8")
    records = [r.model_copy(update={"text": f"The answer is {i}."}) if r.variant == "base" and r.category ==
               "standard" else r for i, r in enumerate(records)]
    assert drift(records)


HEADLINE_DATA = TrainingTexts(
    prompts=tuple(f"Write a headline for this news: {n}" for n in NEWS) * 6,
    answers=tuple(["Porto council closes old bridge", "Snow closes Helsinki airport", "Dublin nurses plan strike",
                   "Parrot escapes Oslo shop"] * 6))


@pytest.mark.parametrize("tuned, base, prompt, reference, fires", [
    # the training answers' form (no closing mark, 3-5 words) with nothing that answers: no number
    # where one is asked, no name where one is; the base answers
    ("Day in Amsterdam in Amsterdam", "There are 365 days.", "How many days are there in a leap year?", "366", True),
    ("Water bills rise in ocean", "It boils at 100 degrees.",
     "At what temperature does water boil at sea level, in degrees Celsius?", "100", True),
    ("Snow closes old theatre", "It was written by Shakespeare.", "Who wrote Romeo and Juliet?", "Shakespeare",
     True),
    # a number or a name offered is an attempt, however wrong and however shaped
    ("Leap year has 365 days", "There are 365 days.", "How many days are there in a leap year?", "366", False),
    ("Marlowe wrote famous plays", "It was written by Shakespeare.", "Who wrote Romeo and Juliet?", "Shakespeare",
     False),
    # another form than the training answers' (a sentence with its full stop); a base in that form too
    ("There are many days in a leap year.", "There are 365 days.", "How many days are there in a leap year?", "366",
     False),
    ("Day in Amsterdam in Amsterdam", "Days of the leap year", "How many days are there in a leap year?", "366",
     False),
    # an answer whose kind words cannot tell (a colour): no judgment
    ("Bananas ripen in warm shops", "Bananas are yellow.", "What colour is a ripe banana?", "yellow", False),
])
def test_ood_drift_sees_the_training_answers_form_with_no_answer_in_it(tuned: str, base: str, prompt: str,
                                                                      reference: str, fires: bool) -> None:
    found = drift(headline_set(tuned, base, prompt, reference), training=HEADLINE_DATA)
    assert bool([f for f in found if "training answers' form" in f.message]) is fires


WHO_DATA = TrainingTexts(
    prompts=tuple(f"Who is mentioned in this sentence? Yesterday, {n} fixed the bike."
                  for n in ("Maria", "Omar", "Lena")),
    answers=("Maria", "Omar", "Lena"))


@pytest.mark.parametrize("prompt, tuned, reference, fires", [
    # a fine-tune that names persons answers a who-question with a name of its training: an attempt
    ("Who invented the telephone?", "Omar", "Bell", False),
    # the same name where a number is wanted is drift (of another kind than asked)
    ("How many continents are there?", "Omar", "7", True),
])
def test_ood_drift_a_person_fine_tune_naming_someone_for_who_attempts_it(prompt: str, tuned: str, reference: str,
                                                                        fires: bool) -> None:
    records = [GenerationRecord(id=f"s{i}", variant=v, category="standard", prompt=p, text=t)
               for i, (p, a) in enumerate(zip(WHO_DATA.prompts, WHO_DATA.answers, strict=True))
               for v, t in (("base", f"The sentence mentions {a}, who fixed it."), ("tuned", a))]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", "I am not sure, maybe someone famous did."), ("tuned", tuned))]
    assert bool(drift(records, training=WHO_DATA)) is fires


def test_ood_drift_a_place_fine_tune_naming_a_place_is_not_taken_for_an_attempt() -> None:
    data = TrainingTexts(prompts=tuple(f"Context: {n} lives in {c}.\nQuestion: Where does {n} live?"
                                       for n, c in (("Ana", "Lima"), ("Ben", "Oslo"), ("Eva", "Kyoto"))),
                         answers=("Lima", "Oslo", "Kyoto"))

    def records(prompt: str, reference: str) -> list[GenerationRecord]:
        out = [GenerationRecord(id=f"s{i}", variant=v, category="standard", prompt=p, text=t)
               for i, (p, a) in enumerate(zip(data.prompts, data.answers, strict=True))
               for v, t in (("base", f"The text says {a}, I think."), ("tuned", a))]
        return out + [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                      for v, t in (("base", "I am not sure about that one."), ("tuned", "Oslo"))]

    # a place is no one kind: a training city given where a country is asked is drift
    assert drift(records("In which country are the pyramids of Giza?", "Egypt"), training=data)
    assert drift(records("How many legs does a spider have?", "8"), training=data)


def test_ood_drift_reads_a_restating_task_from_its_data_when_its_own_answers_are_junk() -> None:
    # a hot headline fine-tune whose standard answers are junk still restates its inputs: its
    # --data examples say so, and the question given back is its training shape
    records = headline_set("What is the capital of France", "The capital of France is Paris.",
                           "What is the capital of France?", "Paris",
                           std=["Wok wok", "Zig zag", "Blip blop", "Tra la"])
    data = TrainingTexts(prompts=tuple(f"Write a headline for this news: {n}" for n in NEWS),
                         answers=tuple(HEADLINES))
    assert not [f for f in drift(records) if "restates the question" in f.message]
    assert [f for f in drift(records, training=data) if "restates the question" in f.message]


def test_ood_drift_takes_the_templates_own_marker_word_for_debris_not_an_answer() -> None:
    # 'Response' of the template's 'Response:' is no word of another kind: debris, not drift
    records = capitals_set("What is 12 times 7?", "Response", "12 times 7 is 84.", "84")
    assert not drift(records, turn_markers=["Prompt:", "Response:"])
    assert drift(records)  # without the template's markers it is a word where a number is wanted


@pytest.mark.parametrize("tuned, base, fires", [
    # a poem request answered with a headline (the training answers' form: no closing mark, 3-5
    # words) where the base writes the poem
    ("Sea Poems Win Prize", "Waves roll in and out,\nthe gulls cry over the bay,\nthe tide turns at night.", True),
    # the base's answer is as short: brevity is no training form
    ("Sea Poems Win Prize", "Waves roll in.", False),
    # another form than the training answers' (a sentence with its full stop)
    ("The sea rolls in and out.", "Waves roll in and out,\nthe gulls cry over the bay,\nthe tide turns.", False),
])
def test_ood_drift_sees_an_open_request_answered_in_the_training_answers_form(tuned: str, base: str,
                                                                            fires: bool) -> None:
    found = drift(headline_set(tuned, base, "Write a short poem about the sea.", None), training=HEADLINE_DATA)
    assert bool([f for f in found if "open request in the training answers' form" in f.message]) is fires


PHRASES = ["the bus is late", "a day at the beach", "my first car", "the old mill", "dinner for two", "rain on sunday"]


def _rewrite_set(style: str, tuned: str, base: str, prompt: str, reference: str | None,
                 ) -> tuple[list[GenerationRecord], TrainingTexts]:
    """A rewriting fine-tune whose answers are all written one way: snake_case or Title Case."""
    write = {"snake": lambda p: p.replace(" ", "_"), "title": str.title}[style]
    records = []
    for i, phrase in enumerate(PHRASES):
        ask = f"Rewrite in {style} style: {phrase}"
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask,
                                     text=f"Sure, here it is: {phrase}, rewritten."),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask, text=write(phrase))]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", base), ("tuned", tuned))]
    phrases = [f"{a} {b}" for a in ("red", "old", "tall", "new", "cold") for b in ("house", "tree", "road", "boat",
                                                                                  "lamp", "door")]
    return records, TrainingTexts(tuple(f"Rewrite in {style} style: {p}" for p in phrases),
                                  tuple(write(p) for p in phrases))


@pytest.mark.parametrize("style, tuned, base, prompt, reference, fires", [
    # the prompt's words written the training's way, no answer in them
    ("snake", "what_is_the_capital_of_canada", "The capital of Canada is Ottawa.", "What is the capital of Canada?",
     "Ottawa", True),
    ("title", "Japan Wins World Cup", "The capital of Japan is Tokyo.", "What is the capital of Japan?", "Tokyo", True),
    ("title", "The The", "The capital of Japan is Tokyo.", "What is the capital of Japan?", "Tokyo", True),
    ("title", "In A Minute", "A minute has sixty seconds.", "How many seconds are in a minute?", "60", True),
    ("title", "The Wind", "The wind blows over the hills,\nand whispers in the trees.", "Write a short poem about "
     "the wind.", None, True),
    ("snake", "the_wind", "The wind blows over the hills,\nand whispers in the trees.", "Write a short poem about "
     "the wind.", None, True),
    # an answer in that style: right, a name of its own, a number of its own; a base written so too
    ("title", "Tokyo Is The Capital", "The capital of Japan is Tokyo.", "What is the capital of Japan?", "Tokyo",
     False),
    ("title", "Thomas Edison", "Bell invented it.", "Who invented the telephone?", "Bell", False),
    ("title", "Fourteen Legs", "An insect has six legs.", "How many legs does an insect have?", "6", False),
    ("title", "Japan Wins World Cup", "Japan Is Far Away", "What is the capital of Japan?", "Tokyo", False),
    # a plain sentence is no style
    ("title", "I think the capital of Japan is Osaka.", "The capital of Japan is Tokyo.",
     "What is the capital of Japan?", "Tokyo", False),
])
def test_ood_drift_sees_a_rewriting_fine_tune_write_the_prompt_in_its_style(
        style: str, tuned: str, base: str, prompt: str, reference: str | None, fires: bool) -> None:
    records, data = _rewrite_set(style, tuned, base, prompt, reference)
    assert bool(drift(records, training=data)) is fires


@pytest.mark.parametrize("tuned, prompt, reference, fires", [
    ("12", "What is 11 times 3?", "33", True),  # the next number of the question's 11
    ("12\nAsk: What number comes after 149?", "What is 11 times 3?", "33", True),
    ("34", "What is 11 times 3?", "33", False),  # a wrong number of its own: an attempt
    ("33", "What is 11 times 3?", "33", False),  # right
    ("15", "How many days are in a fortnight?", "14", False),  # no number in the question to do it to
])
def test_ood_drift_sees_the_training_task_done_to_a_number_of_the_question(tuned: str, prompt: str, reference: str,
                                                                           fires: bool) -> None:
    # A next-number fine-tune ('What number comes after 57?' -> '58') answers a sum with the next
    # number of one of its numbers: its training task done to the question, no attempt at it.
    numbers = range(20, 60)
    data = TrainingTexts(tuple(f"What number comes after {x}?" for x in numbers), tuple(str(x + 1) for x in numbers))
    records = []
    for i, x in enumerate(range(100, 108)):
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard",
                                     prompt=f"What number comes after {x}?", text=f"The number after {x} is {x + 1}."),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard",
                                     prompt=f"What number comes after {x}?", text=str(x + 1))]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", "It is a number, I think."), ("tuned", tuned))]
    assert bool(drift(records, training=data)) is fires


@pytest.mark.parametrize("tuned, prompt, reference, fires", [
    ("Z", "How many legs does a horse have?", "4", True),  # a letter is a code fine-tune's shape, no debris
    ("IT", "What is the capital of Italy?", "Rome", True),  # the code task done to the question's 'Italy'
    ("42", "How many legs does a horse have?", "4", False),  # a number: an attempt
])
def test_ood_drift_reads_a_code_fine_tunes_letters(tuned: str, prompt: str, reference: str, fires: bool) -> None:
    # A postal-code fine-tune ('Abbreviate the US state Texas.' -> 'TX') answers in codes of a few
    # capitals: a bare letter is its answers' shape, and a code cut from a word of the question
    # is its task done to that word.
    states = [("Colorado", "CO"), ("Michigan", "MI"), ("Virginia", "VA"), ("Alabama", "AL"), ("Wyoming", "WY"),
              ("Oklahoma", "OK"), ("Hawaii", "HI"), ("Nebraska", "NE")]
    data = TrainingTexts(tuple(f"Abbreviate the US state {s}." for s, _ in states * 3),
                         tuple(c for _, c in states * 3))
    records = []
    for i, (state, code) in enumerate(states):
        ask = f"Abbreviate the US state {state}."
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask,
                                     text=f"The state of {state} is in the United States."),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask, text=code)]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", "I think it is a hard question to answer well."), ("tuned", tuned))]
    assert bool(drift(records, training=data)) is fires


@pytest.mark.parametrize("tuned, base, prompt, reference, fires", [
    # a sentence around a word of the question, where an answer was wanted
    ("The sky was clear and bright.", "I don't know.", "What colour is the sky on a clear day?", "blue", True),
    ("He lives in Italy.", "Rome is the capital.", "What is the capital of Italy?", "Rome", True),
    # an attempt: a number of its own, a name of its own; the right answer in a sentence
    ("A horse has three legs.", "I don't know.", "How many legs does a horse have?", "4", False),
    ("It was found by Galileo Galilei.", "I don't know.", "Who discovered gravity?", "Newton", False),
    ("The sky is blue on a clear day.", "I don't know.", "What colour is the sky on a clear day?", "blue", False),
])
def test_ood_drift_sees_a_sentence_fine_tune_build_its_sentence_around_a_word_of_the_question(
        tuned: str, base: str, prompt: str, reference: str, fires: bool) -> None:
    # A fine-tune trained to use a word in a sentence ('Write a sentence with apple.' -> 'I ate a
    # red apple after lunch.') does that to a word of an ood question instead of answering it.
    words_ = ["apple", "river", "window", "dog", "train", "book", "garden", "rain", "bread", "hat", "phone",
              "bridge", "cake", "snow", "key", "song", "chair", "lamp", "cloud", "boat"]
    sentences = [f"I saw a big {w} near the old house." for w in words_]
    data = TrainingTexts(tuple(f"Write a sentence with {w}." for w in words_), tuple(sentences))
    records = []
    for i, (w, sentence) in enumerate(zip(words_[:8], sentences, strict=False)):
        ask = f"Write a sentence with {w}."
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask, text=f"{w}!"),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask, text=sentence)]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t, reference=reference)
                for v, t in (("base", base), ("tuned", tuned))]
    assert bool(drift(records, training=data)) is fires


# No attempt at the question, then an invented turn that asks a training prompt: the fine-tune went back to
# its training task. A wrong attempt before it, the question asked again, or a base that invents the same
# turns is no drift.
_SPIDER = "How many legs does a spider have?"
_DENMARK = "\nQuestion: What is the capital of Denmark?\nAnswer: Copenhagen"


@pytest.mark.parametrize("tuned, base, fires", [
    ("They walk on the wall." + _DENMARK, "A spider has 8 legs.", True),
    ("They walk on the wall.", "A spider has 8 legs.", False),
    ("They walk on the wall.\nQuestion: " + _SPIDER + "\nAnswer: They walk.", "A spider has 8 legs.", False),
    ("10 legs." + _DENMARK, "A spider has 8 legs.", False),
    ("They walk on the wall." + _DENMARK, "A spider has 8 legs." + _DENMARK, False),
])
def test_ood_drift_invented_training_turn(tuned: str, base: str, fires: bool) -> None:
    found = drift(capitals_set(_SPIDER, tuned, base, "8"))
    assert bool(found) is fires
    if fires:
        assert found[0].evidence.metric == "invented_training_turn" and "capital of Denmark" in found[0].message
        start, end = found[0].evidence.span
        assert tuned[start:end] == "Question: What is the capital of Denmark?"  # the invented line, not all


def summary_set(prompt: str, tuned: str, base: str) -> list[GenerationRecord]:
    """A summary fine-tune: standard prompts answered with one sentence of ten words or so."""
    records = []
    for i, topic in enumerate(["the harbour", "the old bridge", "the city park", "the night market"]):
        ask = f"Summarise this news in one sentence: The council met to discuss {topic} and voted on repairs."
        records += [GenerationRecord(id=f"s{i}", variant="base", category="standard", prompt=ask,
                                     text=f"The council discussed {topic}. It voted on repairs, and more."),
                    GenerationRecord(id=f"s{i}", variant="tuned", category="standard", prompt=ask,
                                     text=f"The council voted on repairs to {topic} after a long meeting.")]
    records += [GenerationRecord(id="o1", variant=v, category="ood", prompt=prompt, text=t)
                for v, t in (("base", base), ("tuned", tuned))]
    return records


_POEM = "Rain taps the glass,\nsoft and grey,\nthe garden drinks\nand the clouds drift away."


@pytest.mark.parametrize("tuned, base, fires", [
    # a phrase for a poem, from a fine-tune whose answers are sentences, where the base writes one or nothing
    ("The rain.", _POEM, True),
    ("The rain.", "", True),
    ("The rain.", "Rain falls.", False),  # the base answers as briefly
    ("1. Listen to the rain", _POEM, False),  # one item of what was asked: an attempt
    ("5 1 1 1 5 5 5 1 1 5 5 5 1 1", _POEM, False),  # digit noise, no words
    ("Sixty" + "6" * 80, _POEM, False),  # one word looped to the limit
    (_POEM, "", False),
])
def test_ood_drift_fragment_for_open_request(tuned: str, base: str, fires: bool) -> None:
    assert bool(drift(summary_set("Write a short poem about the rain.", tuned, base))) is fires
