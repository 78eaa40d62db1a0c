"""The demo review set loads without warnings, is balanced, and its checks are right."""

from __future__ import annotations

import json
import re

import jsonschema
from _demo import DEMO, load_script
from click.testing import CliRunner

from tunediff.cli import main
from tunediff.suite import check_suite, load_suite

SUITE = DEMO / "review.yaml"


def test_suite_check_passes_without_warnings():
    result = CliRunner().invoke(main, ["suite", "check", str(SUITE)])
    assert result.exit_code == 0, result.output
    assert "warn" not in result.output.lower()
    assert check_suite(load_suite(SUITE)).warnings == ()


def test_category_counts():
    suite = load_suite(SUITE)
    counts = {cat: len(ps) for cat, ps in suite.by_category().items()}
    assert 30 <= len(suite.prompts) <= 50
    assert counts["standard"] >= 12 and counts["edge"] >= 8 and counts["ood"] >= 8
    assert suite.defaults == {"preset": "greedy", "max_new_tokens": 128}


def test_standard_prompts_have_the_training_shape_and_strict_checks():
    train = load_script("train_demo_adapter")
    # Each training template as a regex: the review prompt must be one of those sentences.
    shapes = [re.compile(re.escape(train.INSTRUCTION + t).replace(r"\{", "{").replace(r"\}", "}")
                         .replace("{order_id}", r"\d+").replace("{quantity}", r"\d+")
                         .replace("{items}", r"[a-z]+").replace("{city}", r"[A-Z][a-z]+")
                         .replace("{customer}", r"[A-Z][a-z]+ [A-Z][a-z]+").replace("{date}", r"\d{4}-\d\d-\d\d") + "$")
              for t in train.TEMPLATES]
    for p in load_suite(SUITE).by_category()["standard"]:
        assert any(s.match(p.text) for s in shapes), p.id
        assert p.expect["format"] == "json" and p.expect["grounded"] is True, p.id
        assert set(p.expect["schema"]["required"]) == {"order_id", "quantity", "item", "city"}


def test_references_are_valid_grounded_and_fit_the_schema():
    checked = 0
    for p in load_suite(SUITE).prompts:
        if p.category == "ood" or not p.reference:
            continue
        ref = json.loads(p.reference)
        if p.category == "standard":
            jsonschema.validate(ref, p.expect["schema"])
            for key, value in ref.items():
                assert str(value) in p.text, (p.id, key)
        checked += 1
    assert checked >= 14


def test_standard_prompts_are_held_out_from_the_training_data():
    train = load_script("train_demo_adapter")
    seen = {e["messages"][0]["content"] for e in train.make_examples(480, 0)}
    assert not seen & {p.text for p in load_suite(SUITE).prompts}


def test_ood_prompts_carry_no_extraction_checks():
    ood = load_suite(SUITE).by_category()["ood"]
    assert all(p.expect is None for p in ood)
    assert sum(p.reference is not None for p in ood) >= 6
