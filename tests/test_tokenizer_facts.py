"""tokenizer_facts' pure part: rendering, turn markers and template loading, on templates written here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tunediff.errors import UserError
from tunediff.tokenizer_facts import TemplateRenderError, load_template, render, tidy_markers, turn_markers

CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + "
    "'\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
# Gemma's shape: BOS first, `model` for the assistant, system text folded into the first user turn.
GEMMA = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{% set first = messages[0]['content'] + '\\n\\n' %}"
    "{% set loop_messages = messages[1:] %}{% else %}{% set first = '' %}{% set loop_messages = messages %}{% endif %}"
    "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% set role = 'model' if message['role'] == 'assistant' else message['role'] %}"
    "{{ '<start_of_turn>' + role + '\\n' + (first if loop.first else '') + message['content'] | trim }}"
    "{{ '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}"
)
# Llama 3.1's shape, including the system turn it always writes first.
LLAMA3 = (
    "{{- bos_token }}{%- if not date_string is defined %}{%- set date_string = '26 Jul 2024' %}{%- endif %}"
    "{{- '<|start_header_id|>system<|end_header_id|>\\n\\n' }}{{- 'Cutting Knowledge Date: December 2023\\n' }}"
    "{{- 'Today Date: ' + date_string + '\\n\\n<|eot_id|>' }}"
    "{%- for message in messages %}{%- if message['role'] != 'system' %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + "
    "'<|eot_id|>' }}{%- endif %}{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)
MISTRAL = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}"
)
# Llama 2's shape: BOS before every user turn, which is not part of the marker.
LLAMA2 = (
    "{% for message in messages %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + message['content'] + "
    "' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' ' + message['content'] + ' ' + eos_token }}{% endif %}"
    "{% endfor %}"
)
QUESTION = (
    "{% for message in messages %}{% if message['role'] == 'user' %}Question: {{ message['content'] }}\n"
    "Answer:{% elif message['role'] == 'assistant' %} {{ message['content'] }}{{ eos_token }}\n"
    "{% endif %}{% endfor %}"
)


@pytest.mark.parametrize(("template", "bos", "eos", "expected"), [
    (CHATML, None, "<|im_end|>", ["<|im_start|>user", "<|im_start|>assistant"]),
    # SmolLM2's bos_token is <|im_start|>: there it opens every turn and stays in the markers.
    (CHATML, "<|im_start|>", "<|im_end|>", ["<|im_start|>user", "<|im_start|>assistant"]),
    (LLAMA2, "<s>", "</s>", ["[INST]", "[/INST]"]),
    (GEMMA, "<bos>", "<eos>", ["<start_of_turn>user", "<start_of_turn>model"]),
    (LLAMA3, "<|begin_of_text|>", "<|eot_id|>", ["<|start_header_id|>user", "<|start_header_id|>assistant"]),
    (MISTRAL, "<s>", "</s>", ["[INST]", "[/INST]"]),
    (QUESTION, None, "</s>", ["Question:", "Answer:"]),
    (QUESTION, None, None, ["Question:", "Answer:"]),
])
def test_turn_markers_of_common_templates(template, bos, eos, expected):
    assert turn_markers(template, bos_token=bos, eos_token=eos) == expected


def test_turn_markers_keep_a_whole_role_tag():
    zephyr = ("{% for m in messages %}{{ '<|' + m['role'] + '|>\\n' + m['content'] + eos_token + '\\n' }}{% endfor %}"
              "{% if add_generation_prompt %}<|assistant|>\n{% endif %}")
    assert turn_markers(zephyr, eos_token="</s>") == ["<|user|>", "<|assistant|>"]


XML = ("{% for m in messages %}{% if m.role == 'user' %}<user>\n{{ m.content }}\n</user>\n<assistant>\n"
       "{% else %}{{ m.content }}\n</assistant>\n{% endif %}{% endfor %}")


def test_turn_markers_are_one_line_each_the_one_naming_the_role():
    # the user's turn closed and the assistant's opened, over two lines: the opening is the marker
    assert turn_markers(XML) == ["<user>", "<assistant>"]
    # a run.json of an older version recorded the two lines; flags read them as one
    assert tidy_markers(["<user>", "</user>\n<assistant>"]) == ["<user>", "<assistant>"]
    assert tidy_markers(["Q:", "A:", "Note:"]) == ["Q:", "A:", "Note:"]


def test_template_that_drops_the_conversation_has_no_markers():
    assert turn_markers("Answer the question.") == []
    assert turn_markers("{{ raise_exception('no') }}") == []


def test_render_matches_what_the_template_says():
    text = render(GEMMA, [{"role": "user", "content": "Hi"}], bos_token="<bos>")
    assert text == "<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n"
    assert render(CHATML, [{"role": "user", "content": "Hi"}], add_generation_prompt=False) == \
        "<|im_start|>user\nHi<|im_end|>\n"


def test_render_errors_carry_the_template_line():
    with pytest.raises(TemplateRenderError) as err:
        render("line one\n{% for m in messages %}\n{{ m['content'] }", [])
    assert err.value.lineno == 3
    with pytest.raises(TemplateRenderError, match="'speaker' is undefined"):
        render("{% for m in messages %}{{ speaker }}: {{ m['content'] }}{% endfor %}",
               [{"role": "user", "content": "x"}])
    # Undefined names may still be tested and defaulted, as real templates do.
    assert render("{% if tools %}T{% endif %}{{ date_string | default('today') }}", []) == "today"


@pytest.mark.parametrize(("content", "message"), [
    (b"{% for m in messages %}{{ m.content }", r"bad\.jinja:1: the chat template does not render \(unexpected '}'"),
    (b"{{ speaker }}", r"bad\.jinja:1: the chat template does not render \('speaker' is undefined\)"),
    (b"{{ raise_exception('roles must alternate') }}", r"bad\.jinja:1: .*\(roles must alternate\)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff", r"bad\.jinja: not a text file"),
])
def test_load_template_names_the_file_and_the_jinja_message(tmp_path, content, message):
    path = tmp_path / "bad.jinja"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as err:
        load_template(path)
    assert "\n" not in str(err.value)


def test_load_template_reads_a_good_one(tmp_path):
    path = tmp_path / "qa.jinja"
    path.write_text(QUESTION, encoding="utf-8")
    assert load_template(path) == QUESTION
    with pytest.raises(UserError, match="no such file"):
        load_template(tmp_path / "missing.jinja")


def test_the_module_imports_without_transformers():
    code = "import sys, tunediff.tokenizer_facts; print('transformers' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
