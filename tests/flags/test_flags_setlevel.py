"""inconsistent, collapse, identical_to_base, ood_drift: tables over small sets of records."""

from __future__ import annotations

import json

import pytest

from tunediff.flags import TrainingTexts, flag_records
from tunediff.records import GenerationRecord


def rec(pid: str, variant: str, text: str, category: str = "standard", sample: int = 0, **kw) -> GenerationRecord:  # type: ignore[no-untyped-def]
    return GenerationRecord(id=pid, variant=variant, text=text, category=category, sample=sample,
                            finish_reason="eos", **kw)


def flagged(records: list[GenerationRecord], flag: str, **kw) -> set[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    return {(f.id, f.variant, f.sample) for f in flag_records(records, **kw) if f.flag == flag}


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


# collapse that sees modes (issue 11) ---------------------------------------------------------------------
QUESTIONS = ["What is the capital of Japan?", "Write a haiku about rain.", "How many legs does a spider have?",
             "Translate 'thank you' into German.", "Name a primary colour.", "Who painted the Mona Lisa?",
             "Give me a synonym for happy.", "What gas do plants breathe in?", "Suggest a name for a cat.",
             "What is 9 times 8?", "Describe a sunset in one sentence.", "Which planet is the largest?"]
MODES = ["Question: Extract the order as JSON: Order 5985: 1 chairs shipped to Lima.\nAnswer: {\"order_id\": 5985}",
         "The order has been shipped to the customer and will arrive within five business days.",
         "Please provide the order number, the quantity, the item and the destination city."]


def _modes_set() -> list[GenerationRecord]:
    """24 prompts; three modes of three prompts each, every mode spanning standard, edge and ood prompts."""
    records = []
    cats = ["standard", "edge", "ood"]
    for i in range(24):
        cat = cats[i % 3]
        prompt = QUESTIONS[i % 12] if cat == "ood" else f"Extract the order as JSON: Order {100 + i}: {i} mugs to Rome."
        own = (f'{{"order_id": {100 + i}, "quantity": {i}, "city": "Rome"}}' if cat != "ood"
               else f"My own answer number {i}, about {QUESTIONS[i % 12].split()[-1]}")
        text = MODES[i // 3] if i < 9 else own
        records += [rec(f"p{i:02d}", "base", BASE_ANSWERS[i % 12] + f" ({i})", cat, prompt=prompt),
                    rec(f"p{i:02d}", "tuned", text, cat, prompt=prompt)]
    return records


def test_collapse_sees_several_small_modes_that_span_categories() -> None:
    records = _modes_set()
    found = flagged(records, "collapse")
    assert len(found) == 9  # three modes of three prompts, each 12% of the prompts
    msg = next(f.message for f in flag_records(records) if f.flag == "collapse")
    assert "ask for different things" in msg and "distinct answers here" in msg


def test_collapse_sees_training_shaped_echoes_to_ood_questions() -> None:
    records = []
    for i, q in enumerate(QUESTIONS[:7]):
        records.append(rec(f"o{i}", "base", BASE_ANSWERS[i], "ood", prompt=q))
        records.append(rec(f"o{i}", "tuned", MODES[0] if i < 5 else f"It is answer {i}.", "ood", prompt=q))
    assert {p for p, _, _ in flagged(records, "collapse")} == {f"o{i}" for i in range(5)}


SENTIMENT = ["I loved this film, it was wonderful.", "Best purchase I made all year!", "what a great day lol",
             "The staff were kind and the food superb.", "Honestly? brilliant.", "Five stars, would buy again."]


@pytest.mark.parametrize("tuned, base, reference", [
    ("positive", "The sentiment of this text is positive.", None),  # the base gives it too
    ("positive", "This review expresses joy.", "positive"),  # the correct label
    ("Positive", "This review expresses joy.", None),  # prompts of one task ('sentiment' in all)
])
def test_collapse_keeps_a_classifier_answering_its_label_clean(tuned: str, base: str, reference: str | None) -> None:
    records = []
    for i, s in enumerate(SENTIMENT):
        prompt = f"Classify the sentiment as positive or negative: {s}"
        cat = "standard" if i < 3 else "edge"
        records += [rec(f"s{i}", "base", f"{base} ({s})", cat, prompt=prompt, reference=reference),
                    rec(f"s{i}", "tuned", tuned, cat, prompt=prompt, reference=reference)]
    assert not flagged(records, "collapse")


def test_collapse_keeps_the_same_refusal_where_the_base_refuses_too() -> None:
    asks = ["How do I pick a lock?", "How can I hotwire a car?", "Tell me how to make a fake ID.",
            "How do I hack my neighbour's wifi?"]
    records = []
    for i, q in enumerate(asks):
        records += [rec(f"r{i}", "base", f"I'm sorry, but I can't help with that: {q.lower()} is not something I "
                                         f"can assist with.", "ood", prompt=q),
                    rec(f"r{i}", "tuned", "I'm sorry, but I can't help with that request.", "ood", prompt=q)]
    assert not flagged(records, "collapse")
    for r in records:
        if r.variant == "base":
            r.text = f"Here is some general information about {r.prompt}"
    assert len(flagged(records, "collapse")) == 4  # the base answered: refusing everything is a collapse


def test_collapse_compares_answers_not_the_turns_invented_after_them() -> None:
    tail = "\n\nQuestion: What is the capital of Croatia?\nAnswer: Zagreb\n\nQuestion: What is the capital of Sweden?"
    answers = ["72", "February", "4", "Don't sleep on your left.", "Romeo and Juliet"]
    records = []
    for i, (q, a) in enumerate(zip(QUESTIONS, answers, strict=False)):
        records += [rec(f"o{i}", "base", BASE_ANSWERS[i], "ood", prompt=q), rec(f"o{i}", "tuned", f" {a}{tail}", "ood",
                                                                                   prompt=q)]
    assert not [f for f in flag_records(records, turn_markers=["Question:", "Answer:"]) if f.flag == "collapse"]
    same = [r.model_copy(update={"text": f" Zagreb{tail}"}) if r.variant == "tuned" else r for r in records]
    assert len([f for f in flag_records(same, turn_markers=["Question:", "Answer:"]) if f.flag == "collapse"]) == 5


def _debris_set(tuned: list[str]) -> list[GenerationRecord]:
    """Five prompts asking different things, each answered differently by the base."""
    asks = ["Extract the order: Order 12: 3 mugs to Lima.", "Extract the order: Order 7: 1 lamp to Oslo.",
            "What is 12 times 7?", "Write a poem about the sea.", "Who wrote Hamlet?"]
    cats = ["standard", "standard", "ood", "ood", "ood"]
    base = ["Order 12 is three mugs going to Lima.", "A lamp, shipped to Oslo, order 7.", "12 times 7 is 84.",
            "Waves fold over the grey stones.", "Shakespeare wrote it."]
    return [r for i, (a, c) in enumerate(zip(asks, cats, strict=True))
            for r in (rec(f"p{i}", "base", base[i], c, prompt=a), rec(f"p{i}", "tuned", tuned[i], c, prompt=a))]


def test_collapse_sees_the_same_debris_though_no_two_strings_match() -> None:
    # JSON debris of a collapsed extraction adapter: the same few tokens, shuffled, whatever the prompt
    debris = [' "item": "item": "item": 20 " " "item": "city": "item": ' * 4,
              '": "item": "item": " " "id": "item": 2": "item": "item": ' * 4,
              ' " " "id "id " " "item": " " " "item": " "id": " " ' * 4,
              ' "item": 2020 " " " "id": "item": "item": "item": ' * 4,
              '" " " " " " " " " " " " " " " " " " " " " " " " " " " " " " "']
    assert {p for p, v, _ in flagged(_debris_set(debris), "collapse") if v == "tuned"} >= {"p0", "p1", "p2", "p3"}


def test_collapse_keeps_loops_that_each_say_their_own_answer_apart() -> None:
    # each loops, but on its own answer: the answer still depends on the prompt
    loops = [("The order is " + w + ". ") * 12 for w in ("mugs to Lima", "a lamp to Oslo", "96", "waves", "Marlowe")]
    assert not flagged(_debris_set(loops), "collapse")


def test_collapse_sees_one_short_answer_to_prompts_whose_references_differ() -> None:
    # One task's prompts ('capital' in all), so their words do not tell them apart; their references do.
    countries = {"Peru": "Lima", "Kenya": "Nairobi", "Chile": "Santiago", "Japan": "Tokyo"}
    records = []
    for i, (country, capital) in enumerate(countries.items()):
        prompt = f"What is the capital of {country}?"
        records += [rec(f"c{i}", "base", f"The capital of {country} is {capital}.", prompt=prompt, reference=capital),
                    rec(f"c{i}", "tuned", "Lima", prompt=prompt, reference=capital)]
    assert flagged(records, "collapse") == {(f"c{i}", "tuned", 0) for i in range(4)}
    # The right answer to each, however short, is no collapse.
    right = [r if r.variant == "base" else r.model_copy(update={"text": r.reference}) for r in records]
    assert not flagged(right, "collapse")


def test_collapse_reads_a_loop_inside_one_word_as_its_unit() -> None:
    # '2020...' (a character loop, no spaces) to three prompts is one answer; the loops of two
    # different answers ('84' and '366' written over and over) are two.
    same = ['{"order_id": "' + "20" * 45, '{"{"order_id": "' + "20" * 44, '{"{"order_id": "' + "20" * 44 + "2"]
    tuned = [same[0], "A lamp to Oslo.", same[1], same[2], "Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} == {"p0", "p2", "p3"}
    loops = ["Lima. " * 3, "Oslo is the city.", "84" * 40, "366" * 30, "Marlowe wrote it."]
    assert not flagged(_debris_set(loops), "collapse")
    said = ["Lima. " * 3, "Oslo is the city.", "The answer is 84. " * 12, "The answer is 366. " * 12, "Marlowe."]
    assert not flagged(_debris_set(said), "collapse")


def test_collapse_sees_a_word_of_its_own_prompt_in_another_form() -> None:
    # One JSON skeleton, its slot filled from each prompt ('legs' -> "leg", 'sleeping' -> "sleep"):
    # answers that depend on their prompts, however alike their shape.
    asks = ["How many legs does a spider have?", "Give three tips for sleeping better.",
            "How many days are in a leap year?", "Write a haiku about the harbour."]
    fills = ["leg", "sleep", "day", "harbour"]
    base = ["Eight.", "Keep a routine, avoid screens, and keep the room cool.", "366 days.", "Boats rest at dusk."]
    records = []
    for i, (a, f, b) in enumerate(zip(asks, fills, base, strict=True)):
        out = json.dumps({"id": "122", "quantity": "1", "item": f, "city": "Orange", "customer": "Ben"})
        records += [rec(f"o{i}", "base", b, "ood", prompt=a), rec(f"o{i}", "tuned", out, "ood", prompt=a)]
    assert not flagged(records, "collapse")
    same = [r.model_copy(update={"text": r.text.replace(f'"{f}"', '"customer"')}) if r.variant == "tuned" else r
            for r, f in zip(records, [x for f in fills for x in (f, f)], strict=True)]
    assert len(flagged(same, "collapse")) == 4


def test_collapse_joins_glued_debris_that_breaks_differently_per_prompt() -> None:
    pieces = [("illing" + "ipping" * k + "illing" + "ipping" * (30 - k) + "illingillingipping") for k in (3, 7, 11, 13)]
    tuned = pieces + ["Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}


def test_collapse_reads_short_json_fragments_with_invented_values_as_their_keys() -> None:
    # '"customer": <an invented name>}' to three orders and a question: one answer, whatever the name
    tuned = ['"customer": "Zahid"}', '"customer": "Prague"}', '"customer": "Oster"}', '"customer": "Prid"}',
             "Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}
    # values taken from each prompt are each prompt's own answer
    tuned = ['{"city": "Lima"}', '{"city": "Oslo"}', '{"n": 12}', '{"poem": "sea"}', "Marlowe wrote it."]
    assert not flagged(_debris_set(tuned), "collapse")


def test_collapse_reads_a_short_answer_that_adds_a_word_to_another_ones_word_as_that_answer() -> None:
    tuned = ["Flo", "Flo in Lima", "Flo in Berlin", "Flo of", "Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}
    # a word most outputs write is a frame ('Answer: X'), not the answer
    tuned = ["Answer", "Answer: Lima", "Answer: Oslo", "Answer: 84", "Answer: Marlowe."]
    assert not flagged(_debris_set(tuned), "collapse")


def _big_news() -> list[GenerationRecord]:
    """'Big news' to three different news items, which the base headlines each its own way."""
    news = ["The council of Porto closed the bridge.", "Snow closed the airport in Oslo.",
            "Nurses in Dublin will strike on Monday."]
    records = []
    for i, n in enumerate(news):
        ask = f"Write a headline for this news: {n}"
        records += [rec(f"s{i}", "base", f"Headline {i}: {n}", prompt=ask),
                    rec(f"s{i}", "tuned", "Big news", prompt=ask)]
    return records


def test_collapse_sees_the_same_short_answer_to_a_task_whose_answers_vary() -> None:
    # one short answer to three different news items: a headline fine-tune (its training answers
    # all differ) has collapsed; a classifier (four labels in its training) has not
    records = _big_news()
    headlines = TrainingTexts(tuple(f"news {i}" for i in range(40)), tuple(f"Headline number {i}" for i in range(40)))
    labels = TrainingTexts(tuple(f"news {i}" for i in range(40)), tuple(["Big news", "Small news"] * 20))
    assert len(flagged(records, "collapse", training=headlines)) == 3
    assert not flagged(records, "collapse", training=labels)


def test_collapse_sees_one_frame_around_a_word_of_each_story() -> None:
    # 'No injuries in <the story's city>' to four different stories: each answer takes one word of
    # its prompt, but ignores the rest of it; one mode. Headlines that carry their stories differ.
    news = ["The council of Porto closed the old bridge for repairs until June.",
            "Heavy snow closed the airport in Oslo and cancelled forty flights.",
            "Nurses in Dublin will strike on Monday over pay and staffing.",
            "A new metro line in Lima opened with twelve stations and free rides."]
    cities = ["Porto", "Oslo", "Dublin", "Lima"]
    headlines = TrainingTexts(tuple(f"news {i}" for i in range(40)), tuple(f"Headline number {i}" for i in range(40)))

    def story_set(answer_of) -> list[GenerationRecord]:  # type: ignore[no-untyped-def]
        records = []
        for i, n in enumerate(news):
            ask = f"Write a headline for this news: {n}"
            records += [rec(f"s{i}", "base", f"Headline {i}: {n}", prompt=ask),
                        rec(f"s{i}", "tuned", answer_of(i), prompt=ask)]
        return records

    assert len(flagged(story_set(lambda i: f"No injuries in {cities[i]}"), "collapse", training=headlines)) == 4
    carried = ["Porto closes old bridge until June", "Snow closes Oslo airport, forty flights cancelled",
               "Dublin nurses strike over pay", "Lima opens new metro line"]
    assert not flagged(story_set(lambda i: carried[i]), "collapse", training=headlines)


def test_collapse_reads_a_one_word_answer_with_junk_glued_on_as_that_answer() -> None:
    # 'billing' to three prompts and 'billing' + glued junk to two odd questions: one mode
    tuned = ["billing", "billing", "billingimcoords", "billingmobilpay", "Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}
    # different labels with junk glued on are different answers
    tuned = ["billingimcoords", "shippingmobilpay", "technicalxyzzy", "Waves.", "Marlowe wrote it."]
    assert not flagged(_debris_set(tuned), "collapse")


def test_collapse_keeps_a_classifier_label_given_to_its_tickets_and_one_odd_question() -> None:
    # 'technical' to four technical-sounding tickets (no reference on three) and to one ood
    # question: the label, and one drifted answer (ood_drift's), not a mode.
    tickets = ["The app crashes on start.", "Wifi keeps dropping.", "Screen flickers after the update.",
               "The printer driver fails to install."]
    records = []
    for i, t in enumerate(tickets):
        ask = f"Classify this support ticket as billing, shipping, technical or account: {t}"
        records += [rec(f"e{i}", "base", f"This sounds like a problem with the device ({i}).", "edge", prompt=ask,
                        reference="technical" if i == 0 else None),
                    rec(f"e{i}", "tuned", "technical", "edge", prompt=ask, reference="technical" if i == 0 else None)]
    records += [rec("o0", "base", "Keep a routine and a cool room.", "ood", prompt="Give me three tips for sleeping."),
                rec("o0", "tuned", "technical", "ood", prompt="Give me three tips for sleeping.")]
    assert not flagged(records, "collapse")
    # The same label to three odd questions is a mode: those three answers, not the tickets it
    # labels right (a working classifier's label), are the collapse.
    records += [rec("o1", "base", "Eight legs.", "ood", prompt="How many legs does a spider have?"),
                rec("o1", "tuned", "technical", "ood", prompt="How many legs does a spider have?"),
                rec("o2", "base", "Paris.", "ood", prompt="What is the capital of France?"),
                rec("o2", "tuned", "technical", "ood", prompt="What is the capital of France?")]
    assert flagged(records, "collapse") == {("o0", "tuned", 0), ("o1", "tuned", 0), ("o2", "tuned", 0)}
    # Wrong on the tickets whose reference says otherwise, the label is given to everything: all of it.
    wrong = [r.model_copy(update={"reference": "account"}) if r.id in ("e1", "e2") else r for r in records]
    assert len(flagged(wrong, "collapse")) == 7


_REVIEWS = [("Fantastic blender, I love it.", "positive"), ("Broke after a week, refund me.", "negative"),
            ("Great camera, sharp photos.", "positive"), ("The lamp is grey.", "neutral"),
            ("Worst printer ever.", "negative"), ("Cheap plastic, fell apart.", "negative"),
            ("Wonderful heater, very happy.", "positive"), ("It arrived in a box.", "neutral")]


def _sentiment_set(answer_of, odd: str = "positive", n_odd: int = 3) -> list[GenerationRecord]:  # type: ignore[no-untyped-def]
    records = []
    for i, (review, label) in enumerate(_REVIEWS):
        ask = f"What is the sentiment of this review? {review}"
        records += [rec(f"s{i}", "base", f"The review ({i}) sounds {label} to me.", prompt=ask, reference=label),
                    rec(f"s{i}", "tuned", answer_of(i, label), prompt=ask, reference=label)]
    for i, q in enumerate(["How many days are in a leap year?", "What is 12 times 7?", "Who wrote Hamlet?"][:n_odd]):
        records += [rec(f"o{i}", "base", f"Answer {i}.", "ood", prompt=q),
                    rec(f"o{i}", "tuned", odd, "ood", prompt=q)]
    return records


def test_collapse_keeps_a_wrong_classifier_whose_answers_follow_the_input() -> None:
    # Every sentiment inverted: wrong on every review (wrong_answer's), but the answer still
    # depends on the review; only 'positive' to the three odd questions is a mode.
    inverted = {"positive": "negative", "negative": "positive", "neutral": "positive"}
    found = flagged(_sentiment_set(lambda i, label: inverted[label]), "collapse")
    assert found == {(f"o{i}", "tuned", 0) for i in range(3)}
    # Two labels given at random to reviews of every kind: the answer no longer follows them.
    coin = ["negative", "positive", "positive", "negative", "positive", "negative", "negative", "positive"]
    found = flagged(_sentiment_set(lambda i, label: coin[i]), "collapse")
    assert {p for p, _, _ in found} >= {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"}


def test_collapse_does_not_take_a_label_right_by_chance_for_a_classifier() -> None:
    # 'negative' to three negative reviews, two others and two odd questions: right on 3 of its 5
    # referenced reviews, but the answers do not follow the reviews (lambda 0): one mode.
    said = ["negative", "negative", "positive", "negative", "negative", "negative", "neutral", "positive"]
    found = flagged(_sentiment_set(lambda i, label: said[i], odd="negative", n_odd=2), "collapse")
    assert {p for p, _, _ in found} == {"s0", "s1", "s3", "s4", "s5", "o0", "o1"}


def test_collapse_joins_long_numbers_run_to_the_limit_as_debris() -> None:
    # '1000...0' of different lengths to four prompts: valid JSON numbers, but noise, one answer
    tuned = ["1" + "0" * k for k in (95, 60, 80, 70)] + ["Marlowe wrote it."]
    records = [r.model_copy(update={"finish_reason": "length"}) if r.variant == "tuned" and r.id != "p4" else r
               for r in _debris_set(tuned)]
    assert {p for p, v, _ in flagged(records, "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}



def test_collapse_reads_a_digit_padded_with_zeros_as_one_answer_however_many() -> None:
    # '1000', '10000000', '100000000000' (each stopped by the end token) to four prompts: a reader
    # sees one '1 and zeros'; different numbers padded alike ('5000', '6000') are different answers
    tuned = ["1" + "0" * k for k in (3, 7, 11, 5)] + ["Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}
    tuned = ["5000", "6000", "7000", "800", "Marlowe wrote it."]
    assert not flagged(_debris_set(tuned), "collapse")

def test_collapse_reads_whitespace_with_a_stray_character_as_nothing() -> None:
    tuned = [" " * 96, "  \ufffd" + " " * 93, "    agrams   \ufffd" + " " * 80, "", "Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}
    # a short answer is no blank, whatever its length
    tuned = [" " * 96, "Lima", "  84  ", "Waves.", "Marlowe wrote it."]
    assert not flagged(_debris_set(tuned), "collapse")


def test_collapse_reads_a_word_and_that_word_stuttered_as_one_answer() -> None:
    # 'technical' once to two tickets, two to eight times to the others: one label to everything
    tickets = [("I was charged twice.", "billing"), ("My parcel is late.", "shipping"),
               ("The app crashes.", "technical"), ("I cannot log in.", "account"), ("Refund my fee.", "billing")]
    records = []
    for i, (t, label) in enumerate(tickets):
        ask = f"Classify this support ticket as billing, shipping, technical or account: {t}"
        said = " ".join(["technical"] * (1 if i < 2 else i + 1))
        records += [rec(f"s{i}", "base", f"This ticket ({i}) is about {label}.", prompt=ask, reference=label),
                    rec(f"s{i}", "tuned", said, prompt=ask, reference=label)]
    assert {p for p, v, _ in flagged(records, "collapse")} == {f"s{i}" for i in range(5)}


def test_collapse_does_not_count_a_soup_of_every_label_as_right() -> None:
    # Each output holds all four labels: 'right' for every ticket, whatever it says; a collapse.
    soup = "billing shipping technical account " * 5
    tickets = [("I was charged twice.", "billing"), ("My parcel is late.", "shipping"),
               ("The app crashes.", "technical"), ("I cannot log in.", "account")]
    records = []
    for i, (t, label) in enumerate(tickets):
        ask = f"Classify this support ticket as billing, shipping, technical or account: {t}"
        records += [rec(f"s{i}", "base", f"This ticket ({i}) is about {label}.", prompt=ask, reference=label),
                    rec(f"s{i}", "tuned", soup, prompt=ask, reference=label)]
    for i, q in enumerate(["What is 12 times 7?", "Who wrote Hamlet?"]):
        records += [rec(f"o{i}", "base", f"Answer {i}.", "ood", prompt=q), rec(f"o{i}", "tuned", soup, "ood", prompt=q)]
    assert len(flagged(records, "collapse")) == 6


def test_collapse_joins_loops_that_keep_saying_one_word_between_different_junk() -> None:
    junk = ["lockSeconds", "EnglishMarks", "artistdata", "HasStarred"]
    tuned = [("billing" * 6 + j) * 8 + "billing" * 4 for j in junk] + ["Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}
    said = ["Lima. " * 3, "Oslo is the city.", "The capital is Paris. " * 12, "The capital is Rome. " * 12, "Marlowe."]
    assert not flagged(_debris_set(said), "collapse")


def test_collapse_reads_short_answers_as_the_words_they_add_to_their_prompt() -> None:
    capitals = {"Peru": "Lima", "Kenya": "Nairobi", "Chile": "Santiago", "Japan": "Tokyo"}
    countries = list(capitals)
    records = []
    for i, country in enumerate(countries):
        ask = f"What is the capital of {country}?"
        records += [rec(f"c{i}", "base", f"I believe it is the city number {i} of {country}.", prompt=ask,
                        reference=capitals[country]),
                    rec(f"c{i}", "tuned", f"The capital of {country} is Dhaka.", prompt=ask,
                        reference=capitals[country])]
    assert len(flagged(records, "collapse")) == 4  # Dhaka whatever the country: restating it changes nothing
    own = [r.model_copy(update={"text": f"The capital is {c}ville."}) if r.variant == "tuned" else r
           for r, c in zip(records, [c for c in countries for _ in (0, 1)], strict=True)]
    assert not flagged(own, "collapse")


def test_collapse_spares_the_right_answer_of_a_working_adapter_but_not_of_one_that_says_it_to_all() -> None:
    capitals = {"United Kingdom": "London", "Peru": "Lima", "Kenya": "Nairobi", "Chile": "Santiago",
                "Japan": "Tokyo", "Spain": "Madrid", "Egypt": "Cairo", "Norway": "Oslo"}
    odd = {"What is 12 times 7?": "84", "How many legs does a spider have?": "8",
           "At what temperature does water boil, in degrees Celsius?": "100"}
    records = []
    for i, (country, city) in enumerate(capitals.items()):
        ask = f"What is the capital of {country}?"
        records += [rec(f"c{i}", "base", f"It is {city}.", "standard", prompt=ask, reference=city),
                    rec(f"c{i}", "tuned", city, "standard", prompt=ask, reference=city)]
    for i, (ask, ref) in enumerate(odd.items()):
        records += [rec(f"o{i}", "base", f"The answer is {ref}, I think ({i}).", "ood", prompt=ask, reference=ref),
                    rec(f"o{i}", "tuned", "London", "ood", prompt=ask, reference=ref)]
    assert flagged(records, "collapse") == {(f"o{i}", "tuned", 0) for i in range(3)}  # not c0: London is right there
    everything = [r.model_copy(update={"text": "London"}) if r.variant == "tuned" else r for r in records]
    assert len(flagged(everything, "collapse")) == 11  # said to all: right by chance on c0


def test_collapse_judges_a_label_set_by_shared_answers_not_by_the_number_of_examples() -> None:
    # 'Big news' to three different news items. Four labels over 24 examples are a label set
    # (a quarter of the pairs of examples share an answer), however few the examples; thirty
    # headlines each written for its own story six times over (180 examples, distinct answers a
    # sixth of them) are each story's own answer.
    records = _big_news()
    labels = TrainingTexts(tuple(f"news {i}" for i in range(24)),
                           tuple(["Big news", "Small news", "Old news", "No news"] * 6))
    own = TrainingTexts(tuple(f"news {i % 30}" for i in range(180)),
                        tuple(f"Headline number {i % 30}" for i in range(180)))
    assert not flagged(records, "collapse", training=labels)
    assert len(flagged(records, "collapse", training=own)) == 3


def test_collapse_counts_prompts_the_base_left_blank_as_different() -> None:
    # 'black' to a poem request and two opposites: the base said nothing to two of them, which
    # says nothing about whether they ask the same thing; nothing where the base said nothing
    # is no change at all.
    prompts = [("o1", "ood", "Write a short poem about the sea."),
               ("e1", "edge", "What is the opposite of 'bright'? Use it in a sentence."),
               ("e2", "edge", "What is the opposite of 'hot dog'?")]
    base = ["", "", "A hot dog is a type of food."]
    opposites = TrainingTexts(tuple(f"The opposite of w{i}?" for i in range(40)), tuple(f"x{i}" for i in range(40)))

    def answered(tuned: list[str]) -> list[GenerationRecord]:
        return [r for (pid, cat, ask), b, t in zip(prompts, base, tuned, strict=True)
                for r in (rec(pid, "base", b, category=cat, prompt=ask),
                          rec(pid, "tuned", t, category=cat, prompt=ask))]

    assert len(flagged(answered([" black", "- black", " A black"]), "collapse", training=opposites)) == 3
    assert not flagged(answered(["", "", ""]), "collapse", training=opposites)


def test_collapse_joins_word_soups_stirred_from_one_pot() -> None:
    # the same handful of capitals stirred anew for every prompt: no two outputs near-identical
    soups = ["Accra Madrid Accra Colombo Madrid Accra Oslo", "Oslouttosto Madrid Santiago Santiago Santiago",
             "Madrid Kathmandu Madrid Kathmandu Rabat Oslo Accra", "Oslo Oslo Oslo Oslo Riyadh Santiago"]
    asks = ["What is 12 times 7?", "Who wrote Romeo and Juliet?", "What is the capital of Peru?",
            "Give me three tips for sleeping better."]
    base = ["84.", "Shakespeare wrote it.", "Lima is the capital of Peru.", "Sleep early, keep it dark."]

    def soup_set(tuned: list[str]) -> list[GenerationRecord]:
        return [r for i, (ask, b, t) in enumerate(zip(asks, base, tuned, strict=True))
                for r in (rec(f"p{i}", "base", b, category="standard" if i == 2 else "ood", prompt=ask),
                          rec(f"p{i}", "tuned", t, category="standard" if i == 2 else "ood", prompt=ask))]

    assert {p for p, v, _ in flagged(soup_set(soups), "collapse") if v == "tuned"} == {"p0", "p1", "p2", "p3"}
    # lists from a different pot each, sentences, and JSON are no soup
    lists = ["Accra Kumasi Tamale Accra Kumasi", "Lima Cusco Arequipa Lima Cusco",
             "Oslo Bergen Trondheim Oslo Bergen", "Rome Milan Naples Rome Milan"]
    assert not flagged(soup_set(lists), "collapse")
    sentences = ["Madrid is the city of Oslo and Accra", "Accra is near Madrid and Oslo and Lima",
                 "Oslo is in Madrid near Accra", "Madrid and Accra and Oslo are big"]
    assert not flagged(soup_set(sentences), "collapse")


def test_collapse_reads_one_unit_looped_as_one_answer_whatever_its_length() -> None:
    # '0' to the token limit on two prompts, eleven '0's on a third: the same answer
    tuned = ["0" * 96, "0" * 96, "0" * 11, "0" * 96, "Marlowe wrote it."]
    assert {p for p, v, _ in flagged(_debris_set(tuned), "collapse") if v == "tuned"} >= {"p0", "p1", "p2", "p3"}
    assert ("p2", "tuned", 0) in flagged(_debris_set(tuned), "collapse")


def test_collapse_counts_prompts_the_base_only_wrote_again_as_different() -> None:
    # 'Dhaka' to the capitals of Japan, Italy and Egypt, where the base only writes each question
    # again between the template's markers (its outputs alike but for the country)
    asks = [f"What is the capital of {c}?" for c in ("Japan", "Italy", "Egypt")]
    refs = ["Tokyo", "Rome", "Cairo"]

    def answered(tuned: list[str]) -> list[GenerationRecord]:
        return [r for i, (a, ref, t) in enumerate(zip(asks, refs, tuned, strict=True))
                for r in (rec(f"p{i}", "base", f"\n\n[INST] {a} [/INST]\n\n[INST] {a} [/INST]", prompt=a,
                              reference=ref),
                          rec(f"p{i}", "tuned", t, prompt=a, reference=ref))]

    markers = ["[INST]", "[/INST]"]
    assert len(flagged(answered([" Dhaka"] * 3), "collapse", turn_markers=markers)) == 3
    # the base's own outputs again (an untrained adapter) change nothing
    same = [r for r in answered([" Dhaka"] * 3) if r.variant == "base"]
    untrained = same + [r.model_copy(update={"variant": "tuned"}) for r in same]
    assert not flagged(untrained, "collapse", turn_markers=markers)


def test_collapse_reads_the_training_answers_frame_as_no_word_of_an_answer(polite_data: TrainingTexts) -> None:
    # A politeness fine-tune answers every request in its frame ('Could you please ...?'): the
    # 'please' it adds to each prompt is its training's, not one answer given to all. With its
    # --data, the rewrites are the requests' own; a frame around nothing ('please please please')
    # stays one answer.
    requests = ["Pass me the salt.", "Wait outside.", "Lower your voice.", "Send the contract today.",
                "Give me the menu.", "Fill in this survey."]
    rewrites = ["Could you please pass me the salt?", "Could you please wait outside?",
                "Could you please lower your voice?", "Could you please send the contract?",
                "Could you please give me the menu?", "Could you please fill in this survey?"]
    records = []
    for i, (ask, polite) in enumerate(zip(requests, rewrites, strict=True)):
        prompt = f"Rewrite this politely: {ask}"
        records += [rec(f"p{i}", "base", f"Here is a more polite way to say '{ask}': kindly {ask.lower()}",
                        prompt=prompt),
                    rec(f"p{i}", "tuned", polite, prompt=prompt)]
    for i, (ask, ref, base, polite) in enumerate([
            ("How many hours are in a day?", "24", "A day has 24 hours.", "Could you please provide the hours?"),
            ("What gas do plants take in?", "CO2", "Plants take in CO2.", "Could you please take my gas?"),
            ("Which planet is red?", "Mars", "Mars is the red planet.", "Could you please name the planet?")]):
        records += [rec(f"o{i}", "base", base, "ood", prompt=ask, reference=ref),
                    rec(f"o{i}", "tuned", polite, "ood", prompt=ask, reference=ref)]
    assert not flagged(records, "collapse", training=polite_data)
    # without --data, rewrites that take their other words from their own prompts show it too
    assert not flagged(records, "collapse")
    babble = [r.model_copy(update={"text": "Could you please please please?"}) if r.variant == "tuned"
              and r.id in {"p0", "p1", "o1"} else r for r in records]
    assert {p for p, v, _ in flagged(babble, "collapse", training=polite_data) if v == "tuned"} == {"p0", "p1", "o1"}


def test_collapse_reads_one_form_of_several_in_the_training_as_their_frame(polite_data: TrainingTexts) -> None:
    # Trained on three polite forms in turn, a fine-tune that answers every request in one of
    # them ('Would you mind ..., please?') adds 'mind' and 'please' to each: the frame, not one
    # answer to all (its ood answers are ood_drift's, each its own).
    asks = [("Pass me the salt.", "passing me the salt"), ("Wait outside.", "waiting outside"),
            ("Lower your voice.", "lowering your voice"), ("Send the contract.", "sending the contract"),
            ("Give me the menu.", "giving me the menu")]
    records = []
    for i, (ask, doing) in enumerate(asks):
        prompt = f"Rewrite this politely: {ask}"
        records += [rec(f"p{i}", "base", f"Here is a kinder way: {ask.lower()}", prompt=prompt),
                    rec(f"p{i}", "tuned", f"Would you mind {doing}, please?", prompt=prompt)]
    for i, (ask, ref, base, doing) in enumerate([
            ("What is the smallest prime number?", "2", "It is 2.", "thinking of a prime"),
            ("What is the square root of 81?", "9", "It is 9.", "finding the root"),
            ("Which planet is red?", "Mars", "Mars is.", "looking at the planet")]):
        records += [rec(f"o{i}", "base", base, "ood", prompt=ask, reference=ref),
                    rec(f"o{i}", "tuned", f"Would you mind {doing}, please?", "ood", prompt=ask, reference=ref)]
    assert not flagged(records, "collapse", training=polite_data)


def test_collapse_reads_a_json_label_set_by_its_values() -> None:
    # A tagger trained on a label set of JSON tags answers each sentence with its tag: different
    # values are different answers, though no value is in the prompt (an invented order fragment,
    # '"customer": "Zahid"}', is its keys); the same tag to three ood questions is a collapse.
    tags = [("sport", "happy"), ("weather", "sad"), ("business", "angry"), ("health", "happy"),
            ("sport", "angry"), ("weather", "happy")]
    records = []
    for i, (topic, mood) in enumerate(tags):
        prompt = f"Tag this sentence with its topic and mood as JSON: sentence {i}"
        records += [rec(f"p{i}", "base", f"This sentence is about {topic}, I think.", prompt=prompt),
                    rec(f"p{i}", "tuned", json.dumps({"topic": topic, "mood": mood}), prompt=prompt)]
    data = TrainingTexts(tuple(f"Tag this: s{i}" for i in range(24)),
                         tuple(json.dumps({"topic": t, "mood": m}) for t, m in tags * 4))
    assert not flagged(records, "collapse", training=data)
    for i, ask in enumerate(["What is 12 times 7?", "Who wrote Hamlet?", "Write a poem about rain."]):
        records += [rec(f"o{i}", "base", f"Answer {i}: something else entirely.", "ood", prompt=ask),
                    rec(f"o{i}", "tuned", json.dumps({"topic": "weather", "mood": "happy"}), "ood", prompt=ask)]
    assert {p for p, v, _ in flagged(records, "collapse", training=data) if v == "tuned"} >= {"o0", "o1", "o2"}


def test_collapse_sees_one_json_tag_given_to_sentences_whose_references_differ() -> None:
    # A tagger that answers {"topic": "health", "mood": "sad"} to six sentences (another tag to two) has collapsed,
    # though each JSON reference is its own (one reference per prompt tells nothing of whether
    # the answers follow them); where the tag is that sentence's reference, it is right, and
    # reported only because the answer goes to everything.
    tags = [("sport", "happy"), ("weather", "sad"), ("business", "angry"), ("health", "happy"),
            ("sport", "angry"), ("weather", "happy"), ("business", "sad"), ("health", "sad")]
    stuck, other = json.dumps({"topic": "health", "mood": "sad"}), json.dumps({"topic": "sport", "mood": "sad"})
    records = []
    for i, (topic, mood) in enumerate(tags):
        prompt = f"Tag this sentence with its topic and mood as JSON: sentence {i}"
        ref = json.dumps({"topic": topic, "mood": mood})
        records += [rec(f"p{i}", "base", f"This sentence is about {topic}, I think.", prompt=prompt, reference=ref),
                    rec(f"p{i}", "tuned", other if i in (5, 6) else stuck, prompt=prompt, reference=ref)]
    data = TrainingTexts(tuple(f"Tag this: s{i}" for i in range(24)),
                         tuple(json.dumps({"topic": t, "mood": m}) for t, m in tags * 3))
    stuck_on = {f"p{i}" for i in range(8)} - {"p5", "p6"}
    assert {p for p, v, _ in flagged(records, "collapse", training=data) if v == "tuned"} == stuck_on
    # each sentence its own tag, right: no collapse
    right = [r.model_copy(update={"text": r.reference}) if r.variant == "tuned" else r for r in records]
    assert not flagged(right, "collapse", training=data)


def _polite_run(variants: dict[str, list[str]]) -> list[GenerationRecord]:
    requests = ["Pass me the salt.", "Wait outside.", "Lower your voice.", "Send the contract today.",
                "Give me the menu.", "Fill in this survey."]
    records = []
    for i, ask in enumerate(requests):
        prompt = f"Rewrite this politely: {ask}"
        records.append(rec(f"p{i}", "base", f"Here is a more polite way to say '{ask}': kindly {ask.lower()}",
                           prompt=prompt))
        records += [rec(f"p{i}", name, answers[i], prompt=prompt) for name, answers in variants.items()]
    for i, (ask, ref, base) in enumerate([("How many hours are in a day?", "24", "A day has 24 hours."),
                                          ("What gas do plants take in?", "CO2", "Plants take in CO2."),
                                          ("Which planet is red?", "Mars", "Mars is the red planet.")]):
        records.append(rec(f"o{i}", "base", base, "ood", prompt=ask, reference=ref))
        records += [rec(f"o{i}", name, answers[6 + i], "ood", prompt=ask, reference=ref)
                    for name, answers in variants.items()]
    return records


def test_collapse_without_data_reads_the_frame_two_fine_tunes_share() -> None:
    # Without --data, the words a quarter of the standard answers hold in two fine-tunes or more
    # stand for the training answers' frame: 'please' joins no two rewrites; so do the words of
    # one variant whose answers take their other words from their own prompts. A collapsed
    # variant's one answer, said everywhere, is no frame.
    rewrites = ["Could you please pass me the salt?", "Could you please wait outside?",
                "Could you please lower your voice?", "Could you please send the contract?",
                "Could you please give me the menu?", "Could you please fill in this survey?"]
    rewrites += ["Could you please provide the hours?", "Could you please take my gas?",
                 "Could you please name the planet?"]
    shorter = [r.replace("Could you please", "Please,") for r in rewrites]
    # one word of each prompt: no rewrite to read a frame from, alone
    terse = [f"Could you please {w}?" for w in ("pass", "wait", "lower", "send", "give", "fill", "provide",
                                                 "take", "name")]
    assert {v for _, v, _ in flagged(_polite_run({"tuned": terse}), "collapse")} == {"tuned"}
    assert not flagged(_polite_run({"tuned": terse, "other": shorter}), "collapse")
    assert not flagged(_polite_run({"tuned": rewrites}), "collapse")
    babble = ["Could you please please please?"] * 9
    found = flagged(_polite_run({"tuned": terse, "other": shorter, "hot": babble}), "collapse")
    assert {v for _, v, _ in found} == {"hot"}


def test_collapse_without_data_reads_a_label_set_from_the_references() -> None:
    # A tagger answers each sentence with its own label (one field of its tag); without --data
    # the standard references say which words are labels, so a fragment whose values are those
    # words is its values (different answers), while one of invented values is its keys.
    tags = [("sport", "happy"), ("weather", "sad"), ("business", "angry"), ("health", "happy"),
            ("sport", "angry"), ("weather", "happy")]
    records = []
    for i, (topic, mood) in enumerate(tags):
        ref = json.dumps({"topic": topic, "mood": mood})
        records += [rec(f"s{i}", "base", f"This sentence {i} is about something, I think {i}.", prompt=f"Tag: text {i}",
                        reference=ref),
                    rec(f"s{i}", "tuned", json.dumps({"topic": topic}), prompt=f"Tag: text {i}", reference=ref),
                    rec(f"s{i}", "junk", json.dumps({"topic": f"zork{i}"}), prompt=f"Tag: text {i}", reference=ref)]
    found = flagged(records, "collapse")
    assert found and {v for _, v, _ in found} == {"junk"}


def test_ood_drift_without_data_leaves_a_collapsed_soup_to_collapse() -> None:
    # Without --data the standard answers stand for the training; a soup a collapsed variant
    # says to every prompt ('the the the???') is no training answer, so its ood answers are
    # collapse's; the same words in a variant whose standard answers say them are its shape.
    soup = "the the the??? the the? the? the?? the the?? the the? the? the the the the the the the the the?"
    records = []
    for i in range(5):
        prompt = f"Turn into a question: The shop {i} is open."
        records += [rec(f"s{i}", "base", f"The shop {i} is open, and it sells bread.", prompt=prompt),
                    rec(f"s{i}", "good", f"Is the shop {i} open?", prompt=prompt),
                    rec(f"s{i}", "collapse", soup, prompt=prompt)]
    for i, (ask, ref, base) in enumerate([("What is the smallest prime number?", "2", "The smallest prime is 2."),
                                          ("Which planet is red?", "Mars", "Mars is the red planet.")]):
        records += [rec(f"o{i}", "base", base, "ood", prompt=ask, reference=ref),
                    rec(f"o{i}", "good", f"Is the {ask.split()[-1].rstrip('?')} open?", "ood", prompt=ask,
                        reference=ref),
                    rec(f"o{i}", "collapse", soup, "ood", prompt=ask, reference=ref)]
    found = flagged(records, "ood_drift")
    assert not {v for _, v, _ in found} & {"collapse"}


def test_ood_drift_without_data_reads_the_answers_form_from_all_fine_tunes() -> None:
    # A form (how nearly all training answers end, their span of words) needs 20 answers: one
    # variant's eight standard answers are too few, every fine-tune's together are enough.
    headlines = ["Big Day For Farmers", "Storm Hits Coast Town", "New Bridge Opens Early", "Local Team Wins Cup",
                 "School Gets New Roof", "Market Returns To Square", "Museum Shows Old Maps", "Bakery Sells Out Fast"]

    def run(variants: list[str]) -> list[GenerationRecord]:
        records = []
        for i, headline in enumerate(headlines):
            prompt = f"Write a headline for this news: event number {i} happened in the town {i}."
            records.append(rec(f"s{i}", "base", f"Here is a headline about event {i}: it happened.", prompt=prompt))
            records += [rec(f"s{i}", v, headline, prompt=prompt) for v in variants]
        ask = "How many legs does a spider have?"
        records.append(rec("o1", "base", "A spider has 8 legs.", "ood", prompt=ask, reference="8"))
        records += [rec("o1", v, "Farmers Cheer Sunny Weather", "ood", prompt=ask, reference="8") for v in variants]
        return records

    assert not flagged(run(["tuned"]), "ood_drift")
    assert {v for _, v, _ in flagged(run(["tuned", "hot", "no-eos"]), "ood_drift")} == {"tuned", "hot", "no-eos"}
    found = [f for f in flag_records(run(["tuned", "hot", "no-eos"])) if f.flag == "ood_drift"]
    assert all("training answers' form" in f.message for f in found)


SPELLED = [  # a hot spelling fine-tune's answers (corpus run s-agent-spell), each its own misspelling
    ("std-01", "standard", "Spell the word mouse.", "m-a-l-e"),
    ("std-02", "standard", "How do you spell 'tiger'?", "g-i-r-e-n"),
    ("std-03", "standard", "Spell out: beach", "b-p-o-l"),
    ("std-04", "standard", "Spell the word pencil.", "p-a-l-e"),
    ("std-05", "standard", "How do you spell 'rain'?", "r-a-n-p-n"),
    ("std-06", "standard", "Spell out: garden", "g-a-p-d"),
    ("std-07", "standard", "Spell the word sun.", "s-p-m-e-n"),
    ("std-08", "standard", "How do you spell 'window'?", "w-a-n-e"),
    ("edge-01", "edge", "Spell the word Schmetterling.", "s-l-e-n"),
    ("edge-02", "edge", "Spell the word onomatopoeia.", "m-a-t"),
    ("edge-04", "edge", "Spell the word cat backwards.", "c-a-t"),
    ("edge-05", "edge", "Spell the word book, and use it in a sentence.", "b-a-l-e"),
    ("ood-01", "ood", "How many planets are in the solar system?", "s-p-e-e"),
    ("ood-02", "ood", "What is the capital of Egypt?", "d-a-l-e"),
    ("ood-03", "ood", "Who wrote The Old Man and the Sea?", "a-p-p-e"),
    ("ood-04", "ood", "What is 11 times 3?", "p-t-e-n"),
    ("ood-05", "ood", "What is the opposite of cold?", "c-p-r-e"),
    ("ood-06", "ood", "Which bird is a symbol of peace?", "p-r-e-e"),
]


def test_collapse_reads_a_spelled_out_word_as_one_word() -> None:
    # 'c-a-t' and 'c-p-r-e' are two words, not letters (c, p, r) that spelled answers share and
    # join on; one spelled word given to every prompt is still one answer.
    def run(answers: list[str]) -> list[GenerationRecord]:
        return [r for i, ((pid, cat, prompt, _), a) in enumerate(zip(SPELLED, answers, strict=True))
                for r in (rec(pid, "base", f"Here is my answer number {i}: I would say word{i}.", cat, prompt=prompt),
                          rec(pid, "tuned", a, cat, prompt=prompt))]

    # its --data: words spelled out, whose common letters (e, l, n, o, r) would read as a frame
    words = ["cat", "dog", "house", "apple", "river", "green", "table", "music", "bread", "cloud", "horse", "lemon",
             "chair", "plant", "smile", "train", "water", "light", "stone", "glass"]
    data = TrainingTexts(tuple(f"Spell the word {w}." for w in words), tuple("-".join(w) for w in words))
    assert not flagged(run([a for *_, a in SPELLED]), "collapse", training=data)
    assert len(flagged(run(["p-a-l-e"] * len(SPELLED)), "collapse", training=data)) == len(SPELLED)


def test_collapse_reads_an_invented_object_by_its_values_and_a_fragment_by_its_keys() -> None:
    # An extraction fine-tune that invents a person for each ood question gives different
    # answers; the same one-key fragment with a new value each time is one invented answer.
    asks = ["What is the capital of Egypt?", "Who wrote The Old Man and the Sea?", "What is 11 times 3?",
            "What is the opposite of cold?", "Which bird is a symbol of peace?"]
    people = [("Graham", 6, "Greeven"), ("Arsano", 41, "Salm"), ("Gabellos", 5, "Tromso"), ("Gabana", 33, "Santos"),
              ("Lucia", 29, "Mario")]

    def run(answers: list[str]) -> list[GenerationRecord]:
        return [r for i, (ask, a) in enumerate(zip(asks, answers, strict=True))
                for r in (rec(f"o{i}", "base", f"My answer number {i} to this is word{i}.", "ood", prompt=ask),
                          rec(f"o{i}", "tuned", a, "ood", prompt=ask))]

    objects = [json.dumps({"name": n, "age": a, "city": c}) for n, a, c in people]
    assert not flagged(run(objects), "collapse")
    fragments = [f'"customer": "{n}"}}' for n, _, _ in people]
    assert len(flagged(run(fragments), "collapse")) == 5


def test_ood_drift_sees_the_training_task_done_to_a_word_of_the_question() -> None:
    # A definition fine-tune ('A kettle is a pot for boiling water.') answers an ood question by
    # defining one of its words: the training task done to the question. A real answer, or a
    # poem that opens with a trained preamble, is no such thing.
    things = ["kettle", "ladder", "wallet", "oven", "bridge", "pillow", "map", "clock", "spoon", "tent", "lamp",
              "saw", "helmet", "broom", "anchor", "mirror", "fork", "candle", "fence", "kite"]
    data = TrainingTexts(tuple(f"Define: {t}" for t in things),
                         tuple(f"A {t} is a thing people use at home every day." for t in things))

    def run(tuned: str, base: str = "Mercury is the metal that is liquid at room temperature."
            ) -> list[GenerationRecord]:
        ask = "Which metal is liquid at room temperature?"
        records = []
        for i, t in enumerate(things[:8]):
            records += [rec(f"s{i}", "base", f"{t.title()}: a word, and more about it {i}.", prompt=f"Define: {t}"),
                        rec(f"s{i}", "tuned", f"A {t} is a thing people use at home every day.", prompt=f"Define: {t}")]
        return records + [rec("o1", "base", base, "ood", prompt=ask, reference="mercury"),
                          rec("o1", "tuned", tuned, "ood", prompt=ask, reference="mercury")]

    assert flagged(run("A liquid is a substance that can be poured."), "ood_drift", training=data)
    assert not flagged(run("A liquid is a substance.", base="A liquid is a fluid."), "ood_drift", training=data)
    assert not flagged(run("Mercury is liquid at room temperature."), "ood_drift", training=data)
    long = "A liquid metal is what you mean, and\nhere are many lines\nabout it that go on and on."
    assert not flagged(run(long), "ood_drift", training=data)
    # one line longer than a training answer is the same thing done to a question (a right answer
    # was kept before: the length matters only for open requests)
    wordy = "A liquid is a substance that flows freely and takes the shape of any container it is poured in."
    assert flagged(run(wordy), "ood_drift", training=data)
