"""Tokenizer facts, computed once: the chat template, its turn markers, the end-of-turn token,
the EOS ids generation stops at, and the BOS rule.

The hf backend, the doctor and (through run.json) the flags all read these facts from here, so
the doctor cannot approve a stop token the run does not stop at, and a flag cannot look for
turn markers of a different template than the run used.

Rendering is plain jinja2 in a sandbox configured like transformers' `apply_chat_template`
(trim_blocks, lstrip_blocks, loop controls, `raise_exception`, `tojson`, `{% generation %}`),
so this module imports without transformers; functions that take a tokenizer only call its
methods. One difference is deliberate: a variable the template prints but nobody defined is an
error here (transformers prints nothing), because a template that silently drops a variable is
a template bug the user should hear about before a run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import UserError

# Message contents that no template adds or changes, found again in the rendered text.
_SENTINELS = ("TDXSENTINELuser1", "TDXSENTINELassistant1", "TDXSENTINELuser2", "TDXSENTINELassistant2")
_SAMPLE = [{"role": "user", "content": "What is 2 + 2?"}, {"role": "assistant", "content": "4"},
           {"role": "user", "content": "And 3 + 3?"}]
"""The conversation a template must render to count as usable (doctor, run and flag check it)."""


class TemplateRenderError(Exception):
    """The template did not render: a Jinja syntax error, an undefined variable, raise_exception."""

    def __init__(self, message: str, lineno: int | None = None):
        super().__init__(message)
        self.message = message
        self.lineno = lineno


class _PrintingUndefinedFails(jinja2.Undefined):
    """`{% if x %}`, `x is defined` and `x | default(...)` work; printing an undefined `x` fails."""

    __str__ = jinja2.Undefined._fail_with_undefined_error  # type: ignore[assignment]


class _Generation(jinja2.ext.Extension):
    """`{% generation %}...{% endgeneration %}` (transformers' assistant-mask tag) renders its body."""

    tags = {"generation"}

    def parse(self, parser: Any) -> jinja2.nodes.Node:
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_body"), [], [], body).set_lineno(lineno)

    def _body(self, caller: Any) -> str:
        return str(caller())


def _raise_exception(message: str) -> None:
    raise jinja2.exceptions.TemplateError(message)


def _tojson(x: Any, ensure_ascii: bool = False, indent: int | None = None, separators: Any = None,
            sort_keys: bool = False) -> str:
    # Jinja's own tojson escapes HTML characters; chat templates expect plain JSON.
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, undefined=_PrintingUndefinedFails,
                                        extensions=[_Generation, jinja2.ext.loopcontrols])
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
    return env


_ENV = _environment()
_COMPILED: dict[str, jinja2.Template] = {}


def render(chat_template: str, messages: Sequence[dict[str, str]], *, add_generation_prompt: bool = True,
           bos_token: str | None = None, eos_token: str | None = None, **tokens: str | None) -> str:
    """The template's text for `messages`. Raises TemplateRenderError when it does not render.

    Special tokens the tokenizer lacks render as "" (as transformers does); `tokens` passes
    more of them (`pad_token`, `unk_token`).
    """
    try:
        template = _COMPILED.get(chat_template)
        if template is None:
            template = _COMPILED[chat_template] = _ENV.from_string(chat_template)
        values = {"bos_token": bos_token, "eos_token": eos_token, "pad_token": None, "unk_token": None, **tokens}
        return template.render(messages=[dict(m) for m in messages], add_generation_prompt=add_generation_prompt,
                               tools=None, documents=None, **{k: v or "" for k, v in values.items()})
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateRenderError(exc.message or "syntax error", exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise TemplateRenderError(str(exc) or type(exc).__name__, _template_line(exc)) from None
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise TemplateRenderError(f"{type(exc).__name__}: {exc}", _template_line(exc)) from None


def _template_line(exc: BaseException) -> int | None:
    """The template line a runtime error came from: Jinja compiles templates to `<template>` frames."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def load_template(path: str | Path, flag: str = "--template") -> str:
    """Read a chat template file and check it renders a sample conversation.

    Bad input is one line naming the file (and the template line when Jinja knows it) with
    Jinja's message, raised as UserError, before any model is loaded.
    """
    file = Path(path)
    if not file.is_file():
        raise UserError(f"{flag} {path}: no such file")
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{flag} {path}: not a text file (not UTF-8); give a Jinja chat template") from None
    if "\x00" in text:
        raise UserError(f"{flag} {path}: not a text file (NUL bytes); give a Jinja chat template")
    check_renders(text, str(path))
    return text


def check_renders(chat_template: str, source: str, bos_token: str | None = None, eos_token: str | None = None) -> None:
    """UserError `SOURCE[:LINE]: the chat template does not render (MESSAGE)` unless the sample renders."""
    try:
        render(chat_template, _SAMPLE, bos_token=bos_token, eos_token=eos_token)
    except TemplateRenderError as exc:
        where = f"{source}:{exc.lineno}" if exc.lineno else source
        raise UserError(f"{where}: the chat template does not render ({exc.message}); fix the template") from None


def turn_markers(chat_template: str, bos_token: str | None = None, eos_token: str | None = None) -> list[str]:
    """The text that starts a user turn and an assistant turn in this template, user first.

    Renders user, assistant, user, assistant with sentinel contents. What follows the last
    assistant content is how an assistant turn ends; the text between the first answer and the
    second question, less that ending, starts a user turn (`<|im_start|>user`). Likewise what
    follows the last question when it ends the conversation is how a user turn ends, and the
    text between the second question and its answer, less that ending, starts the assistant's
    turn (`<|im_start|>assistant`). Where nothing is left (`[INST] q [/INST]`, `Question: q
    \\nAnswer:`), the user turn's ending is what hands over to the assistant (`[/INST]`,
    `Answer:`). Markers are stripped of whitespace and a BOS token, and cut after the role
    name when a tag precedes it (`<|start_header_id|>user`). A template that cannot render the
    conversation, or drops a content, has no markers ([]).
    """
    conv = [{"role": role, "content": text} for role, text in zip(("user", "assistant") * 2, _SENTINELS, strict=True)]
    full = partial = None
    for prefix in ([], [{"role": "system", "content": "TDXSENTINELsystem"}]):  # some templates insist on a system
        try:
            full = render(chat_template, prefix + conv, add_generation_prompt=False, bos_token=bos_token,
                          eos_token=eos_token)
            partial = render(chat_template, prefix + conv[:3], add_generation_prompt=False, bos_token=bos_token,
                             eos_token=eos_token)
            break
        except TemplateRenderError:
            continue
    if full is None or partial is None:
        return []
    at = _positions(full, _SENTINELS)
    user2_at = partial.rfind(_SENTINELS[2])
    if at is None or user2_at < 0:
        return []
    u1, a1, u2, a2 = (pos + len(s) for pos, s in zip(at, _SENTINELS, strict=True))
    assistant_end = full[a2:]
    user_start = _after_common_prefix(full[a1:at[2]], assistant_end)
    user_end = partial[user2_at + len(_SENTINELS[2]):]
    assistant_start = _after_common_prefix(full[u2:at[3]], user_end)
    if not assistant_start.strip():
        assistant_start = user_end
    markers = [_clean(user_start, "user"), _clean(assistant_start, "assistant")]
    # A BOS written before every user turn (`<s>[INST]`) is not part of the marker; a BOS that
    # opens every turn (SmolLM2's bos_token is `<|im_start|>`) is.
    if bos_token and not all(m.startswith(bos_token) for m in markers):
        markers = [m.removeprefix(bos_token).strip() for m in markers]
    return list(dict.fromkeys(m for m in markers if m))


def _positions(text: str, needles: Sequence[str]) -> list[int] | None:
    out, start = [], 0
    for needle in needles:
        pos = text.find(needle, start)
        if pos < 0:
            return None
        out.append(pos)
        start = pos + len(needle)
    return out


def _after_common_prefix(text: str, ending: str) -> str:
    n = 0
    while n < min(len(text), len(ending)) and text[n] == ending[n]:
        n += 1
    return text[n:]


def _clean(marker: str, role: str) -> str:
    marker = marker.strip()
    # `<|start_header_id|>user<|end_header_id|>` -> `<|start_header_id|>user`; `<|user|>` stays whole.
    cut = marker.find(role)
    if cut > 0 and marker[cut - 1] in ">]":
        marker = marker[:cut + len(role)]
    return marker
