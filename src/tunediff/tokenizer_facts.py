"""Tokenizer facts, computed once: the chat template and its turn markers, the end-of-turn token,
the EOS ids generation stops at, and the BOS rule. The hf backend, the doctor and (through
run.json) the flags all read them here, so the doctor cannot approve a stop token the run does
not stop at, and flags look for the markers of the template the run used.

Rendering is jinja2 in a sandbox set up like transformers' `apply_chat_template`, so this module
imports without transformers. One difference is deliberate: printing a variable nobody defined
is an error here (transformers prints nothing): a template that silently drops one is a bug the
user should hear about before a run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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

    # jinja2's stubs type __str__ as returning str; raising instead is the point here.
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
           bos_token: str | None = None, eos_token: str | None = None,
           special_tokens: Mapping[str, str] | None = None) -> str:
    """The template's text for `messages`. Raises TemplateRenderError when it does not render.

    Special tokens the tokenizer lacks render as "" (as transformers does); `special_tokens`
    passes all of a tokenizer's (`pad_token`, `unk_token`, ...).
    """
    try:
        template = _COMPILED.get(chat_template)
        if template is None:
            template = _COMPILED[chat_template] = _ENV.from_string(chat_template)
        values: dict[str, str | None] = {"bos_token": bos_token, "eos_token": eos_token, "pad_token": None,
                                         "unk_token": None, **(special_tokens or {})}
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

    Renders user, assistant, user, assistant with sentinel contents. The text between the first
    answer and the second question, less what ends the conversation after an answer, starts a
    user turn (`<|im_start|>user`); the text between the second question and its answer, less
    what ends a conversation after a question, starts the assistant's (`<|im_start|>assistant`).
    Where nothing is left (`[INST] q [/INST]`, `Question: q\\nAnswer:`) the question's ending
    hands over (`[/INST]`, `Answer:`). Markers are stripped of whitespace and a BOS token, and
    cut after the role name when a tag precedes it (`<|start_header_id|>user`). A template that
    cannot render the conversation, or drops a content, has no markers ([]).
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
    _, a1, u2, a2 = (pos + len(s) for pos, s in zip(at, _SENTINELS, strict=True))
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


def turn_openers(markers: Sequence[str]) -> list[str]:
    """The role-less start of each marker (`<|im_start|>` of `<|im_start|>user`): it opens any turn,
    a system turn included. A marker without a role after a tag (`[INST]`, `Question:`) is its own opener."""
    out = []
    for marker in markers:
        m = re.match(r"^(.*[>\]])[A-Za-z_]+$", marker)
        out.append(m.group(1) if m else marker)
    return list(dict.fromkeys(out))


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


def tidy_markers(markers: Sequence[str]) -> list[str]:
    """Markers as `turn_markers` gives them, from any source (an older run.json recorded a marker
    over two lines, `</user>\n<assistant>`): the user's, then the assistant's, each one line."""
    return [_clean(m, role) for m, role in zip(markers, ("user", "assistant"), strict=False)] + list(markers[2:])


def _clean(marker: str, role: str) -> str:
    marker = marker.strip()
    # Over several lines (`</user>\n<assistant>`: the user's turn closed, the assistant's opened),
    # the line that names the role opens the turn, else the last.
    lines = [line.strip() for line in marker.splitlines() if line.strip()]
    if len(lines) > 1:
        marker = next((line for line in lines if role in line.lower()), lines[-1])
    # `<|start_header_id|>user<|end_header_id|>` -> `<|start_header_id|>user`; `<|user|>` stays whole.
    cut = marker.find(role)
    if cut > 0 and marker[cut - 1] in ">]":
        marker = marker[:cut + len(role)]
    return marker


# ---------------------------------------------------------------------- facts of a loaded tokenizer


@dataclass(frozen=True)
class TokenizerFacts:
    """What the run sends and stops at, and what the doctor checks, for one tokenizer and template."""

    chat_template: str | None
    template_source: str
    """Where the template came from: `--template FILE`, `the tokenizer of DIR`."""
    special_tokens: dict[str, str]
    """bos_token, eos_token, pad_token, ... as the template sees them."""
    bos_token: str | None
    bos_id: int | None
    encoding_adds_bos: bool
    """`tokenizer(text)` puts BOS first: what a trainer or server that encodes text normally sends."""
    bos_declared: str | None
    """Which model file says prompts start with BOS (`add_bos_token` in tokenizer_config.json or
    config.json), else None. A GGUF's `tokenizer.ggml.add_bos_token` needs no reading: converting
    the GGUF builds a tokenizer that adds BOS exactly when it says so (encoding_adds_bos)."""
    prompts_start_with_bos: bool
    """The rendered prompt starts with the BOS token. tunediff run encodes prompts without adding
    special tokens, so this is whether the prompts it sends start with BOS."""
    end_of_turn: str | None
    """The special token that closes the assistant's turn in the template (`<|im_end|>`)."""
    end_of_turn_id: int | None
    deployment_eos_ids: tuple[int, ...]
    """The EOS ids a deployment with the model's own config stops at."""
    deployment_eos_source: str
    stop_ids: tuple[int, ...]
    """What tunediff run stops at: the deployment's EOS ids, the tokenizer's EOS and the end of turn."""
    turn_markers: tuple[str, ...]

    @property
    def expects_bos(self) -> bool:
        return self.bos_id is not None and (self.encoding_adds_bos or self.bos_declared is not None)

    @property
    def bos_evidence(self) -> str:
        return "the tokenizer adds it when encoding" if self.encoding_adds_bos else f"{self.bos_declared} says so"

    def render(self, messages: Sequence[dict[str, str]], add_generation_prompt: bool = True) -> str:
        if self.chat_template is None:
            raise UserError(f"{self.template_source}: no chat template; pass --template FILE.jinja")
        try:
            return render(self.chat_template, messages, add_generation_prompt=add_generation_prompt,
                          special_tokens=self.special_tokens)
        except TemplateRenderError as exc:
            raise UserError(f"{self.template_source}: the chat template does not render ({exc.message})") from None

    def encode(self, tokenizer: Any, text: str) -> list[int]:
        """The ids tunediff run sends for a rendered prompt: exactly the template's text.

        No special tokens are added: a BOS belongs in the template (`{{ bos_token }}`), where
        training and deployment see it too; the doctor's `template.bos` fails when it is missing.
        """
        return list(tokenizer(text, add_special_tokens=False)["input_ids"])

    def to_manifest(self) -> dict[str, Any]:
        """The run.json keys these facts decide."""
        return {"turn_markers": list(self.turn_markers), "prompts_start_with_bos": self.prompts_start_with_bos,
                "end_of_turn_token": self.end_of_turn, "eos_token_ids": sorted(self.stop_ids)}


def chat_template_of(tokenizer: Any) -> str | None:
    """The tokenizer's default chat template (a dict of named templates holds it under `default`)."""
    template = getattr(tokenizer, "chat_template", None)
    if isinstance(template, dict):
        template = template.get("default")
    return template or None


def load_tokenizer(model_dir: Path, template: str | Path | None = None) -> tuple[Any, str | None, str]:
    """(tokenizer, chat template, where the template came from) for a model directory.

    `template` is a `--template` file: read and checked before the tokenizer loads. The
    tokenizer's own template must render too; a bad one is a one-line error naming the folder.
    """
    text = load_template(template) if template is not None else None
    from transformers import AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    except (OSError, ValueError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise UserError(f"{model_dir}: cannot load the tokenizer ({first})") from None
    if text is not None:
        tok.chat_template = text
        return tok, text, f"--template {template}"
    own = chat_template_of(tok)
    if own is not None:
        check_renders(own, f"{model_dir} (the tokenizer's chat template)", tok.bos_token, tok.eos_token)
    return tok, own, f"the tokenizer of {Path(model_dir).name}"


def adapter_template(directory: Path) -> tuple[Any | None, str | None]:
    """An adapter folder's own tokenizer (None when it saved only chat_template.jinja) and template."""
    if any((directory / name).is_file() for name in TOKENIZER_FILES):
        tok, template, _ = load_tokenizer(directory)
        return tok, template
    path = directory / "chat_template.jinja"
    return None, (load_template(path, flag="adapter template") if path.is_file() else None)


TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.json")


def facts_for(tokenizer: Any, model_dir: Path, chat_template: str | None, template_source: str,
              generation_eos: int | list[int] | None = None) -> TokenizerFacts:
    """Compute every fact for a tokenizer, the template in use and the model's config files.

    `generation_eos`: a model in memory's generation_config.eos_token_id, read instead of files."""
    tok = tokenizer
    specials = {k: str(v) for k, v in (getattr(tok, "special_tokens_map", None) or {}).items() if isinstance(v, str)}
    bos, bos_id = tok.bos_token, tok.bos_token_id
    adds = bos_id is not None and _encodes_with_bos(tok, bos_id)
    sample = render(chat_template, _SAMPLE, special_tokens=specials) if chat_template else ""
    eot = end_of_turn_token(chat_template, tok, specials) if chat_template else None
    eot_id = int(tok.convert_tokens_to_ids(eot)) if eot is not None else None
    deploy, source = _deployment_eos(model_dir, tok) if generation_eos is None else (
        [int(v) for v in (generation_eos if isinstance(generation_eos, list) else [generation_eos])],
        "the model's generation_config")
    stops = set(deploy) | ({int(tok.eos_token_id)} if tok.eos_token_id is not None else set())
    if eot_id is not None:
        stops.add(eot_id)
    if not stops:
        raise UserError(f"{model_dir}: the tokenizer and generation config name no end-of-sequence token; "
                        "cannot tell when to stop")
    markers = turn_markers(chat_template, bos, tok.eos_token) if chat_template else []
    return TokenizerFacts(chat_template, template_source, specials, bos, bos_id, adds,
                          _declared_bos(model_dir), bool(bos) and sample.startswith(bos), eot, eot_id,
                          tuple(deploy), source, tuple(sorted(stops)), tuple(markers))


def _encodes_with_bos(tok: Any, bos_id: int) -> bool:
    ids = tok("x")["input_ids"]
    return bool(ids) and ids[0] == bos_id and tok("x", add_special_tokens=False)["input_ids"][:1] != [bos_id]


def _declared_bos(model_dir: Path) -> str | None:
    for name in ("tokenizer_config.json", "config.json"):
        if (Path(model_dir) / name).is_file() and _json_object(Path(model_dir) / name).get("add_bos_token") is True:
            return f"{name} (add_bos_token)"
    return None


def _deployment_eos(model_dir: Path, tok: Any) -> tuple[list[int], str]:
    """(EOS ids generation stops at with the model's config, the file they came from)."""
    raw, source = None, "the tokenizer's eos_token"
    for name in ("generation_config.json", "config.json"):
        if raw is None and (Path(model_dir) / name).is_file():
            raw, source = _json_object(Path(model_dir) / name).get("eos_token_id"), name
    if raw is None:
        raw, source = tok.eos_token_id, "the tokenizer's eos_token"
    return [int(v) for v in (raw if isinstance(raw, list) else [raw]) if v is not None], source


def _json_object(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise UserError(f"{path}: not a valid JSON object")
    return data


def special_token_strings(tok: Any) -> list[str]:
    """Special and added-special tokens, longest first (so `<|im_end|>` wins over `<|im`)."""
    names = set(tok.all_special_tokens)
    for added in getattr(tok, "added_tokens_decoder", {}).values():
        if getattr(added, "special", False):
            names.add(str(added))
    return sorted((n for n in names if n), key=len, reverse=True)


def end_of_turn_token(chat_template: str, tok: Any, specials: dict[str, str]) -> str | None:
    """The special token that closes the assistant's turn: the first one after a sentinel answer.

    `<|im_end|>` for ChatML, `<|eot_id|>` for Llama 3, `<end_of_turn>` for Gemma, `</s>` for
    Mistral; None when the template closes turns with plain text.
    """
    answer = _SENTINELS[1]
    for chat in ([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": answer}],
                 [{"role": "user", "content": answer}]):
        try:
            rendered = render(chat_template, chat, add_generation_prompt=False, special_tokens=specials)
        except TemplateRenderError:  # templates may refuse a role order
            continue
        if answer not in rendered:
            continue
        after = rendered[rendered.rfind(answer) + len(answer):]
        found = [(after.find(t), -len(t), t) for t in special_token_strings(tok) if t in after]
        return min(found)[2] if found else None
    return None
