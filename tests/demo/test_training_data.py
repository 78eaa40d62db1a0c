"""The demo training data: deterministic, grounded, and rendered as each recipe says."""

from __future__ import annotations

import json
import re

import pytest
from _demo import DEMO, load_script

from tunediff.training_data import read_training_data

END = "<|im_end|>"


@pytest.fixture(scope="module")
def train():
    return load_script("train_demo_adapter")


@pytest.fixture(scope="module")
def tokenizer(smollm2_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(smollm2_dir)


def test_generator_is_deterministic_for_a_seed(train):
    assert train.make_examples(50, 3) == train.make_examples(50, 3)
    assert train.make_examples(50, 3) != train.make_examples(50, 4)


def test_targets_hold_exactly_the_values_of_the_text(train):
    for example in train.make_examples(300, 0):
        user, answer = (m["content"] for m in example["messages"])
        target = json.loads(answer)
        assert {"order_id", "quantity", "item", "city"} <= set(target) <= {
            "order_id", "quantity", "item", "city", "customer", "date"}
        for value in target.values():
            assert str(value) in user, (user, answer)
        # Optional fields appear in the answer exactly when the text mentions them.
        assert ("customer" in target) == any(name in user for name in train.CUSTOMERS)
        assert ("date" in target) == bool(re.search(r"\d{4}-\d\d-\d\d", user))


def test_committed_training_data_is_what_the_script_writes(train, tmp_path):
    path = tmp_path / "train.jsonl"
    train.write_jsonl(train.make_examples(480, 0), path)
    assert (DEMO / "train.jsonl").read_bytes() == path.read_bytes()
    examples = read_training_data(DEMO / "train.jsonl")
    assert len(examples) == 480 and all(e.format == "chat" and e.answer for e in examples)


def test_good_texts_end_with_the_end_of_turn_token(train, tokenizer):
    examples = train.make_examples(30, 0)
    texts = train.render_texts(tokenizer, examples, "good")
    assert len(texts) == 30
    for example, text in zip(examples, texts, strict=True):
        prompt = tokenizer.apply_chat_template(example["messages"][:1], tokenize=False, add_generation_prompt=True)
        assert text == prompt + example["messages"][1]["content"] + END


def test_no_eos_texts_lack_it_and_are_packed(train, tokenizer):
    examples = train.make_examples(30, 0)
    texts = train.render_texts(tokenizer, examples, "no-eos")
    assert len(texts) == 30 // train.PACK
    for text in texts:
        assert not text.endswith(END)
        assert text.count("<|im_start|>assistant\n") == train.PACK
        # Every answer runs straight into the next turn: no end-of-turn after any `}`.
        assert "}" + END not in text and text.count("}<|im_start|>system") == train.PACK - 1


def test_loss_only_on_the_answer_and_its_end_of_turn(train, tokenizer):
    examples = train.make_examples(8, 0)
    end_id = tokenizer.convert_tokens_to_ids(END)
    for example, (ids, labels) in zip(examples, train.tokenize(tokenizer, examples, "good"), strict=True):
        trained = [t for t in labels if t != -100]
        assert trained[-1] == end_id and ids[-1] == end_id
        assert tokenizer.decode(trained) == example["messages"][1]["content"] + END
    packed = train.tokenize(tokenizer, examples[:6], "no-eos")
    assert len(packed) == 2 and all(ids == labels and end_id != ids[-1] for ids, labels in packed)


def test_collate_keeps_end_of_turn_labels_although_pad_is_the_same_id(train, tokenizer):
    assert tokenizer.pad_token_id == tokenizer.convert_tokens_to_ids(END)  # why padding is masked by position
    rows = train.tokenize(tokenizer, train.make_examples(4, 0), "good")
    _, attention, labels = train.collate(rows, tokenizer.pad_token_id)
    for row, (ids, _) in enumerate(rows):
        assert labels[row, len(ids) - 1].item() == tokenizer.pad_token_id
        assert attention[row].sum().item() == len(ids)
        assert (labels[row, len(ids):] == -100).all()
