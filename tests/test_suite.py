"""Review sets: YAML and JSONL load; every kind of bad input names the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tunediff.errors import UserError
from tunediff.suite import check_suite, load_suite

GOOD = """\
name: t
system: Be brief.
defaults: {preset: structured, max_new_tokens: 64}
prompts:
  - id: s1
    category: standard
    prompt: "Extract: Order 1: 2 mugs to Lima."
    expect: {format: json, grounded: true, schema: {type: object}}
    reference: {order_id: 1}
  - id: o1
    category: ood
    messages:
      - {role: user, content: "Hi"}
      - {role: assistant, content: "Hello"}
      - {role: user, content: "Capital of Japan?"}
"""


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_loads_with_system_prompt_messages_and_reference(tmp_path):
    suite = load_suite(write(tmp_path, GOOD))
    s1, o1 = suite.prompts
    assert s1.messages == (
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Extract: Order 1: 2 mugs to Lima."},
    )
    assert s1.reference == '{"order_id": 1}' and s1.expect["format"] == "json"
    assert o1.text == "Capital of Japan?" and o1.messages[0]["role"] == "system" and len(o1.messages) == 4
    assert suite.defaults["preset"] == "structured" and len(suite.sha256) == 64


def test_jsonl_loads(tmp_path):
    path = write(
        tmp_path,
        '{"id": "a", "category": "edge", "prompt": "x"}\n\n{"id": "b", "category": "ood", "prompt": "y"}\n',
        "r.jsonl",
    )
    assert [p.id for p in load_suite(path).prompts] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("prompts:\n  - id: a\n    category: standard\n    prompt: [unclosed\n", r"r\.yaml:\d+: malformed YAML"),
        (
            "prompts:\n  - id: a\n    category: standard\n    prompt: hi\n    colour: red\n",
            r"r\.yaml:5: colour: unknown key 'colour'",
        ),
        (
            "prompts:\n  - id: a\n    category: normal\n    prompt: hi\n",
            r"r\.yaml:3: category: 'normal' is not a category",
        ),
        (
            "prompts:\n  - {id: a, category: edge, prompt: hi}\n  - {id: a, category: edge, prompt: ho}\n",
            r"r\.yaml:3: id: duplicate id 'a' \(first at line 2\)",
        ),
        ("prompts:\n  - id: a\n    category: ood\n    prompt: '  '\n", r"r\.yaml:4: prompt: empty prompt"),
        ("prompts:\n  - {category: ood, prompt: hi}\n", r"r\.yaml:2: id: missing id"),
        ("prompts:\n  - {id: a, category: ood}\n", r"exactly one of `prompt`"),
        ("prompts:\n  - {id: a, category: ood, prompt: hi, expect: {format: xml}}\n", r"expect: format 'xml'"),
        ("prompts:\n  - {id: a, category: ood, prompt: hi, expect: {regex: '('}}\n", r"regex does not compile"),
        (
            "defaults: {temperature: -1}\nprompts:\n  - {id: a, category: ood, prompt: hi}\n",
            r"temperature must be >= 0",
        ),
        ("defaults: {top_p: 1.5}\nprompts:\n  - {id: a, category: ood, prompt: hi}\n", r"top_p must be in \(0, 1\]"),
        (
            "defaults: {max_new_tokens: 0}\nprompts:\n  - {id: a, category: ood, prompt: hi}\n",
            r"max_new_tokens must be > 0",
        ),
        ("title: x\nprompts:\n  - {id: a, category: ood, prompt: hi}\n", r"r\.yaml:1: unknown key 'title'"),
        ("", r"empty review set"),
    ],
)
def test_bad_yaml_names_file_line_and_field(tmp_path, text, expected):
    with pytest.raises(UserError, match=expected):
        load_suite(write(tmp_path, text))


def test_bad_jsonl_names_the_line(tmp_path):
    path = write(tmp_path, '{"id": "a", "category": "ood", "prompt": "x"}\n{"id": "b", "category": \n', "r.jsonl")
    with pytest.raises(UserError, match=r"r\.jsonl:2: malformed JSON"):
        load_suite(path)
    path = write(
        tmp_path,
        '{"id": "a", "category": "ood", "prompt": "x"}\n{"id": "b", "category": "odd", "prompt": "y"}\n',
        "r.jsonl",
    )
    with pytest.raises(UserError, match=r"r\.jsonl:2: category"):
        load_suite(path)


def test_balance_warnings(tmp_path):
    small = load_suite(write(tmp_path, GOOD))
    warnings = " | ".join(check_suite(small).warnings)
    assert "fewer than 20" in warnings and "'edge' is missing" in warnings and "'standard' has 1 prompts" in warnings
    items = "".join(
        f"  - {{id: {c}{i}, category: {c}, prompt: 'p {i}', expect: {{format: json}}}}\n"
        for c in ("standard", "edge", "ood")
        for i in range(8)
    )
    assert check_suite(load_suite(write(tmp_path, "prompts:\n" + items))).warnings == ()
