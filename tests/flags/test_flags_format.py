"""format and ungrounded: tables of outputs against a prompt's `expect`."""

from __future__ import annotations

import json

import pytest

from tunediff.flags import flag_records
from tunediff.records import GenerationRecord

SCHEMA = {"type": "object", "required": ["order_id", "quantity", "city"],
          "properties": {"order_id": {"type": "integer"}, "quantity": {"type": "integer"}, "city": {"type": "string"}}}
ORDER = {"format": "json", "schema": SCHEMA}
GOOD = '{"order_id": 4821, "quantity": 3, "city": "Lima"}'


def findings(text: str, expect: dict | None, finish: str = "eos", prompt: str | None = None) -> list:  # type: ignore[type-arg]
    rec = GenerationRecord(id="p", variant="tuned", text=text, expect=expect, finish_reason=finish, prompt=prompt)
    return flag_records([rec])


FORMAT = [
    # (text, expect, expected message fragments; empty list = no format finding)
    (GOOD, ORDER, []),
    ("```json\n" + GOOD + "\n```", ORDER, []),
    ('{\n  "order_id": 4821,\n  "quantity": 3,\n  "city": "Lima"\n}', ORDER, []),
    ('[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]', {"format": "json", "schema": {"type": "array"}}, []),
    ('{"order_id": 48', ORDER, ["invalid JSON"]),
    # real base output cut by the limit: the nested object is no "JSON with extra text around it"
    ('{\n  "id": 12345,\n  "customer": {\n    "id": 12345,\n    "name": "Ship"\n  },\n  "order": {"id": 9,\n    "c',
     ORDER, ["invalid JSON"]),
    ("The order number is 4821 and it goes to Lima.", ORDER, ["no JSON"]),
    (GOOD + "\nLet me know if you need anything else!", ORDER, ["extra text after"]),
    ("Here is the JSON: " + GOOD, ORDER, ["extra text before"]),
    ("```json\n" + GOOD + "\n```\nThis extracts the order.", ORDER, ["extra text after"]),
    ('{"order_id": 4821, "city": "Lima"}', ORDER, ["schema: (root): 'quantity' is a required property"]),
    ('{"order_id": 4821, "quantity": "three", "city": "Lima"}', ORDER, ["schema: quantity:"]),
    ("Order 4821", {"regex": r"^\{.*\}$"}, ["expected pattern"]),
    (GOOD, {"regex": r"order_id"}, []),
    ("one two three four five six", {"max_words": 5}, ["6 words"]),
    ("one two three four five", {"max_words": 5}, []),
    ("Tokyo is the capital of Japan.", None, []),
    ("Tokyo is the capital of Japan.", {"format": "text"}, []),
]


@pytest.mark.parametrize("text, expect, fragments", FORMAT)
def test_format(text: str, expect: dict | None, fragments: list[str]) -> None:
    messages = [f.message for f in findings(text, expect) if f.flag == "format"]
    assert len(messages) == len(fragments), messages
    for fragment, message in zip(fragments, messages, strict=True):
        assert fragment in message


def test_invalid_json_cut_by_the_limit_says_so_and_points_at_the_error() -> None:
    found = [f for f in findings('{"order_id": 4821, "quantity": 3, "ci', ORDER, finish="length") if f.flag == "format"]
    assert "cut off by the token limit" in found[0].message
    assert found[0].evidence.span[0] > 0


def test_empty_output_is_reported_once_as_empty_not_as_format() -> None:
    flags = [f.flag for f in findings("", ORDER)]
    assert flags == ["empty"]


PROMPT = "Extract the order as JSON: Order 4821 for Grace Kim: 3 kettles shipped to Lima on 14 May 2024, $12.50 each."
GROUNDED = {"format": "json", "grounded": True}

UNGROUNDED = [
    ('{"order_id": 4821, "quantity": 3, "item": "kettle", "city": "Lima"}', None),
    ('{"order_id": 4821, "customer": "grace kim", "city": "LIMA"}', None),
    ('{"order_id": 4821, "date": "2024-05-14", "price": 12.5, "currency": "USD"}', None),
    ('{"order_id": 4821, "date": "May 14, 2024", "shipped": true, "note": null}', None),
    ('{"order_id": "4,821", "quantity": "3"}', None),
    ('{"order_id": 4821, "city": "Paris"}', "city"),
    ('{"order_id": 9999, "city": "Lima"}', "order_id"),
    ('{"order_id": 4821, "customer": "John Smith"}', "customer"),
    ('{"order_id": 4821, "date": "2024-06-14"}', "date"),
]


@pytest.mark.parametrize("text, bad_key", UNGROUNDED)
def test_ungrounded(text: str, bad_key: str | None) -> None:
    found = [f for f in findings(text, GROUNDED, prompt=PROMPT) if f.flag == "ungrounded"]
    assert bool(found) is (bad_key is not None)
    if found:
        assert f"{bad_key}=" in found[0].message
        start, end = found[0].evidence.span
        assert text[start:end].strip('"') in found[0].message


def test_ungrounded_needs_grounded_expect_and_a_prompt() -> None:
    text = '{"order_id": 4821, "city": "Paris"}'
    assert not [f for f in findings(text, {"format": "json"}, prompt=PROMPT) if f.flag == "ungrounded"]
    assert not [f for f in findings(text, GROUNDED, prompt=None) if f.flag == "ungrounded"]


def test_ungrounded_accepts_non_english_values() -> None:
    prompt = "Extrahiere die Bestellung: Bestellung 12 für Jürgen Groß, 2 Stühle nach Zürich."
    text = '{"order_id": 12, "customer": "Jürgen Groß", "city": "Zürich"}'
    assert not [f for f in findings(text, GROUNDED, prompt=prompt) if f.flag == "ungrounded"]


@pytest.mark.parametrize("value, grounded", [
    ("Zurich", True),  # the prompt's 'Zürich' without its accent
    ("Seville", False),  # not in this prompt at all
    ("Zurichberg", False),
])
def test_ungrounded_folds_accents(value: str, grounded: bool) -> None:
    prompt = "Extrahiere die Bestellung: Bestellung 12 für Jürgen Groß, 2 Stühle nach Zürich."
    text = json.dumps({"order_id": 12, "city": value})
    assert (not [f for f in findings(text, GROUNDED, prompt=prompt) if f.flag == "ungrounded"]) is grounded


@pytest.mark.parametrize("value, grounded", [
    ("Seville", True),  # the English name of the prompt's 'Sevilla'
    ("Sevilla", True),
    ("Berlin", False),
    ("Sevastopol", False),
])
def test_ungrounded_accepts_a_name_in_another_spelling(value: str, grounded: bool) -> None:
    prompt = "Extract the order as JSON: Pedido 4410: 6 sillas enviadas a Sevilla por Bern."
    text = json.dumps({"order_id": 4410, "city": value})
    assert (not [f for f in findings(text, GROUNDED, prompt=prompt) if f.flag == "ungrounded"]) is grounded
