"""Stopping and length: no_stop, next_turn, special_tokens, empty, ramble.

These are the visible symptoms of an end-of-turn token the fine-tune never learned (missing
from the training texts, masked as padding, or a template mismatch).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import Finding, GenerationRecord
from ._core import Context, finding, register, tail
from ._text import JsonFound, find_json, word_count, words
from .reference import long_reference

# Turn markers written as plain text at a line start. A marker that also appears in the
# prompt, or a prompt that asks for a dialogue, does not count: the answer may quote it.
_TEXT_TURN = re.compile(
    r"^[ \t]*(?:<\|im_start\|>|<\|start_header_id\|>|<start_of_turn>|<\|(?:user|assistant|system)\|>|\[INST\]"
    r"|#{2,4}[ \t]*(?:Instruction|Human|User|Input|Response|Output|Assistant)\b(?:[ \t]*:|[ \t]*$)"
    r"|(?:User|Human|USER|HUMAN|Assistant|ASSISTANT)[ \t]*:)",
    re.M)
# What `<|im_start|>user\n...` looks like once special tokens are stripped from the text.
_STRIPPED_ROLE = re.compile(r"^(?:system|user|assistant)[ \t]*\n(?=[ \t]*\S)", re.M)
_DIALOGUE = re.compile(r"\b(?:dialog(?:ue)?s?|conversations?|transcripts?|script|chat ?log|interview|role-?play"
                       r"|screenplay|exchange between)\b", re.I)
_RAW_TURN = re.compile(r"<\|im_start\|>|<\|start_header_id\|>|<start_of_turn>|<\|(?:user|assistant|system)\|>"
                       r"|\[INST\]")
_RAW_SPECIAL = re.compile(r"<\|[^|<>\s]{1,40}\|>|<(?:start|end)_of_turn>|</?s>|\[/?INST\]")
_END_TOKENS = ("<|im_end|>", "<|eot_id|>", "<|endoftext|>", "</s>", "<end_of_turn>", "<|end|>", "<|eom_id|>")
_VISIBLE_SPECIAL = re.compile(r"<\|[^|<>\s]{1,40}\|>|<(?:start|end)_of_turn>|\[/?INST\]|<</?SYS>>"
                              r"|<(?:unk|pad|eos|bos|mask|sep|cls)>|</?s>")


def _prompt_text(rec: GenerationRecord) -> str:
    parts = [rec.prompt or ""] + [m.get("content", "") for m in rec.messages or []]
    return "\n".join(parts)


@register("empty", "output", "The output is empty or whitespace only.")
def empty(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    if rec.text.strip():
        return []
    return [finding(rec, "empty", "empty output", "error", (0, 0), "chars", len(rec.text), 0)]


@register("no_stop", "output", "Finished by the token limit, not by EOS or a stop string.", needs=("finish_reason",))
def no_stop(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    if rec.finish_reason != "length":
        return []
    tokens = f" after {rec.new_tokens} tokens" if rec.new_tokens else ""
    return [finding(rec, "no_stop", f"stopped by the token limit{tokens}, not by EOS or a stop string",
                    "warn", tail(rec), "finish_reason", "length", "eos|stop")]


@register("next_turn", "output",
          "The output goes on with a new turn or template marker (EOS / end-of-turn was not learned).")
def next_turn(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    if rec.raw_text:
        hit = _RAW_TURN.search(rec.raw_text)
        if hit:
            pos = raw_to_text(rec, hit.start())
            snippet = rec.raw_text[hit.start():hit.start() + 60]
            return [finding(rec, "next_turn", f"goes on with a new turn: {snippet!r}", "error",
                            (pos, pos + 80) if pos < len(rec.text) else tail(rec), "marker", hit.group())]
    prompt = _prompt_text(rec)
    template = _template_turn(rec, ctx.turn_markers, prompt)
    if template:
        return template
    for m in _RAW_TURN.finditer(rec.text):  # template tokens are unambiguous wherever they show
        if m.group() not in prompt:
            return [finding(rec, "next_turn", f"goes on with a new turn: {rec.text[m.start():m.start() + 60]!r}",
                            "error", (m.start(), min(len(rec.text), m.start() + 80)), "marker", m.group())]
    if _DIALOGUE.search(prompt):
        return []
    for pattern in (_TEXT_TURN, _STRIPPED_ROLE):
        for m in pattern.finditer(rec.text):
            marker = m.group().strip()
            if (marker and marker in prompt) or _in_label_list(rec.text, m.start()):
                continue
            return [finding(rec, "next_turn", f"goes on with a new turn: {rec.text[m.start():m.start() + 60]!r}",
                            "error", (m.start(), min(len(rec.text), m.start() + 80)), "marker", marker)]
    return []


def _template_turn(rec: GenerationRecord, markers: Sequence[str], prompt: str) -> list[Finding]:
    """A marker of the template in use (run.json `turn_markers`, --template, --turn-marker).

    Markers made of special tokens count anywhere in raw_text or text. A plain-text marker
    (`Question:`, `### Instruction:`) counts at a line start; the assistant's marker (second)
    not at the very start of the output, where it only restates the turn being answered, and
    only when it is more than a word and a colon (`Answer:` at a line start is also prose).
    """
    for index, marker in enumerate(m.strip() for m in markers):
        if not marker or marker in prompt:
            continue
        if _RAW_SPECIAL.search(marker):
            hit = rec.raw_text.find(marker) if rec.raw_text else -1
            if hit >= 0:
                pos = raw_to_text(rec, hit)
                span = (pos, pos + 80) if pos < len(rec.text) else tail(rec)
                return [finding(rec, "next_turn", f"goes on with a new turn of the template: "
                                f"{rec.raw_text[hit:hit + 60]!r}", "error", span, "marker", marker)]  # type: ignore[index]
            hit = rec.text.find(marker)
        else:
            plain = re.fullmatch(r"[^\W\d_]+[ \t]*:", marker) is not None
            if index > 0 and plain:
                continue
            found = re.compile(rf"^[ \t]*{re.escape(marker)}", re.M).search(rec.text)
            hit = found.start() if found else -1
            if index > 0 and hit >= 0 and not rec.text[:hit].strip():
                continue
        if hit >= 0:
            return [finding(rec, "next_turn", f"goes on with a new turn of the template: "
                            f"{rec.text[hit:hit + 60].strip()!r}", "error",
                            (hit, min(len(rec.text), hit + 80)), "marker", marker)]
    return []


@register("special_tokens", "output", "Special or template tokens leak into the visible text.")
def special_tokens(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    prompt = _prompt_text(rec)
    text = rec.text
    balanced_s = text.count("<s>") == text.count("</s>")  # <s>...</s> is HTML strikethrough
    for m in _VISIBLE_SPECIAL.finditer(text):
        token = m.group()
        if token in prompt or (token in ("<s>", "</s>") and balanced_s):
            continue
        return [finding(rec, "special_tokens", f"special token {token} in the visible text", "warn",
                        (m.start(), m.end()), "token", token)]
    return _mid_stream_end(rec)


def _mid_stream_end(rec: GenerationRecord) -> list[Finding]:
    """An end-of-turn token generated mid-output while generation went on: EOS ids miss it."""
    raw = rec.raw_text or ""
    for token in _END_TOKENS:
        idx = raw.find(token)
        if idx < 0:
            continue
        rest = _RAW_SPECIAL.sub("", raw[idx + len(token):]).strip()
        if rest and not _RAW_TURN.search(raw[idx:]):  # a following turn is next_turn's finding
            pos = raw_to_text(rec, idx)
            return [finding(rec, "special_tokens",
                            f"end-of-turn token {token} was generated but the output went on "
                            f"({rest[:40]!r}...): the generation EOS ids miss it", "warn",
                            (pos, pos + 40) if pos < len(rec.text) else tail(rec), "token", token)]
    return []


_LABEL_LINE = re.compile(r"^[ \t]*[-*]?[ \t]*\**[A-Za-z][\w ]{0,24}\**[ \t]*:")


def _in_label_list(text: str, pos: int) -> bool:
    """`User: ...` inside a run of `Label: ...` lines is a definition list or a form, not a new turn."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    at = sum(1 for ln in text[:pos].split("\n")[:-1] if ln.strip())
    neighbours = [lines[i] for i in (at - 1, at + 1) if 0 <= i < len(lines)]
    roles = re.compile(r"^[ \t]*(?:User|Human|USER|HUMAN|Assistant|ASSISTANT)[ \t]*:")
    return any(_LABEL_LINE.match(ln) and not roles.match(ln) for ln in neighbours)


def raw_to_text(rec: GenerationRecord, raw_index: int) -> int:
    """Map a position in raw_text to the matching position in text (special tokens removed)."""
    prefix = _RAW_SPECIAL.sub("", (rec.raw_text or "")[:raw_index]).lstrip()
    lead = len(rec.text) - len(rec.text.lstrip())
    return min(len(rec.text), lead + len(prefix.rstrip()))


@register("ramble", "output",
          "Text goes on after a complete answer (after a bare JSON answer), or is far longer than the "
          "base's or the reference's answer.")
def ramble(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    base = ctx.base_of(rec)
    after = _after_json(rec, base, ctx)
    if after:
        return after
    if rec.variant == ctx.base_variant:
        return []  # the base is the yardstick; its own length is no finding
    for other, label in ((base, "the base's"), (long_reference(rec.reference), "the reference")):
        if other is None or (isinstance(other, GenerationRecord) and other.finish_reason == "length"):
            continue  # a base cut by the limit is no yardstick for length
        other_text = other.text if isinstance(other, GenerationRecord) else other
        n, m = word_count(rec.text), word_count(other_text)
        ratio = n / max(m, 1)
        if ratio > ctx.t("ramble.length_ratio") and n - m >= ctx.t("ramble.min_extra_words"):
            start = _char_of_word(rec.text, m)
            return [finding(rec, "ramble", f"{n} words, {ratio:.1f}x {label} answer ({m} words)", "warn",
                            (start, len(rec.text)), "length_ratio", ratio, ctx.t("ramble.length_ratio"))]
    return []


def _after_json(rec: GenerationRecord, base: GenerationRecord | None, ctx: Context) -> list[Finding]:
    """Words after a complete JSON answer where the base (or reference) answered with bare JSON.

    When the prompt itself expects JSON the `format` flag reports the extra text instead.
    """
    if (rec.expect or {}).get("format") == "json":
        return []
    found = find_json(rec.text)
    if not isinstance(found, JsonFound) or found.before or not found.after:
        return []
    yardsticks = [t for t in ((base.text if base else None), long_reference(rec.reference)) if t]
    if not any(isinstance(f := find_json(t), JsonFound) and f.bare for t in yardsticks):
        return []
    extra = len(words(found.after))
    if extra < ctx.t("ramble.after_json_words"):
        return []
    return [finding(rec, "ramble", f"goes on for {extra} words after a complete JSON answer", "warn",
                    (found.end, len(rec.text)), "words_after_json", extra, ctx.t("ramble.after_json_words"))]


def _char_of_word(text: str, index: int) -> int:
    for i, m in enumerate(re.finditer(r"\S+", text)):
        if i == index:
            return m.start()
    return len(text)
