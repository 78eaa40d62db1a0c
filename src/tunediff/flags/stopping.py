"""Stopping and length: no_stop, special_tokens, empty, ramble (next_turn: turns.py).

These are the visible symptoms of an end-of-turn token the fine-tune never learned (missing
from the training texts, masked as padding, or a template mismatch).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..records import Finding, GenerationRecord
from ._core import Context, finding, prompt_text, register, tail
from ._text import JsonFound, find_json, word_count, words
from .reference import long_reference
from .repetition import degenerate, repetition

RAW_TURN = re.compile(r"<\|im_start\|>|<\|start_header_id\|>|<start_of_turn>|<\|(?:user|assistant|system)\|>"
                       r"|\[INST\]")
RAW_SPECIAL = re.compile(r"<\|[^|<>\s]{1,40}\|>|<(?:start|end)_of_turn>|</?s>|\[/?INST\]")
_END_TOKENS = ("<|im_end|>", "<|eot_id|>", "<|endoftext|>", "</s>", "<end_of_turn>", "<|end|>", "<|eom_id|>")
_VISIBLE_SPECIAL = re.compile(r"<\|[^|<>\s]{1,40}\|>|<(?:start|end)_of_turn>|\[/?INST\]|<</?SYS>>"
                              r"|<(?:unk|pad|eos|bos|mask|sep|cls)>|</?s>")
# `<|name|>` is a token when its name is a tokenizer's kind of name (`im_end`, `eot_id`,
# `reserved_special_token_3`: an underscore or a digit) or a role or control name real templates
# use; a plain word in the brackets (`<|admin|>`, `<|director|>`) is markup the model made up.
_TOKEN_NAME = re.compile(r"[^|<>\s]*[_\d][^|<>\s]*")
_TOKEN_WORDS = frozenset({"user", "assistant", "system", "end", "prompter", "endoftext", "endofprompt", "model",
                          "tool", "ipython", "function", "observation", "human", "bot", "pad", "unk", "sep", "cls",
                          "mask", "bos", "eos", "begin", "image", "audio"})


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
    missed = _missed_end(rec)
    why = (f"; the model wrote the end-of-turn token {missed} but went on: the generation's EOS ids miss it"
           if missed else "")
    return [finding(rec, "no_stop", f"stopped by the token limit{tokens}, not by EOS or a stop string{why}",
                    "warn", tail(rec), "finish_reason", "length", "eos|stop")]


@register("special_tokens", "output", "Special or template tokens leak into the visible text.")
def special_tokens(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    prompt = prompt_text(rec)
    text = rec.text
    balanced_s = text.count("<s>") == text.count("</s>")  # <s>...</s> is HTML strikethrough
    for m in _VISIBLE_SPECIAL.finditer(text):
        token = m.group()
        if token in prompt or (token in ("<s>", "</s>") and balanced_s) or not _a_token(token, ctx.turn_markers):
            continue
        return [finding(rec, "special_tokens", f"special token {token} in the visible text", "warn",
                        (m.start(), m.end()), "token", token)]
    for tag in template_tags(ctx.turn_markers):  # a template's own markup (`</assistant>`) shown as text
        at = text.find(tag)
        if at >= 0 and tag not in prompt:
            return [finding(rec, "special_tokens", f"template tag {tag} in the visible text", "warn",
                            (at, at + len(tag)), "token", tag)]
    end = _missed_end(rec)  # an end token the text shows (a template's `</s>`, though balanced) and more after it
    if end and end in text:
        at = text.find(end)
        return [finding(rec, "special_tokens", f"end-of-turn token {end} in the visible text, and the output "
                        "went on after it", "warn", (at, at + len(end)), "token", end)]
    return []


def template_tags(markers: Sequence[str]) -> tuple[str, ...]:
    """The tags of a template's markers and their closing forms (`<assistant>`, `</assistant>`):
    markup a template writes as plain text. `<|...|>` and `<...>` tokens are the tokenizer's.
    Read once per template, not once per output."""
    return _template_tags(tuple(markers))


@lru_cache(maxsize=64)
def _template_tags(markers: tuple[str, ...]) -> tuple[str, ...]:
    found = [m for marker in markers for m in re.findall(r"<[A-Za-z][\w-]*>", marker)]
    return tuple(dict.fromkeys([*found, *(f"</{tag[1:]}" for tag in found)]))


def _a_token(found: str, markers: Sequence[str]) -> bool:
    """Whether a `<|name|>` match names a token (other special forms always do); a template's
    own markers always do."""
    if not found.startswith("<|") or any(found in m for m in markers):
        return True
    name = found[2:-2]
    return bool(_TOKEN_NAME.fullmatch(name)) or name.lower() in _TOKEN_WORDS


def _missed_end(rec: GenerationRecord) -> str | None:
    """An end-of-turn token the model generated mid-output (`raw_text`) with more text after it:
    the generation's EOS ids miss it. A following turn is next_turn's finding. Where the text
    shows the token it is special_tokens'; a special token hidden from the text is not (no_stop
    names it)."""
    raw = rec.raw_text or ""
    for token in _END_TOKENS:
        idx = raw.find(token)
        if idx < 0:
            continue
        rest = RAW_SPECIAL.sub("", raw[idx + len(token):]).strip()
        if rest and not RAW_TURN.search(raw[idx:]):
            return token
    return None


def raw_to_text(rec: GenerationRecord, raw_index: int) -> int:
    """Map a position in raw_text to the matching position in text (special tokens removed)."""
    prefix = RAW_SPECIAL.sub("", (rec.raw_text or "")[:raw_index]).lstrip()
    lead = len(rec.text) - len(rec.text.lstrip())
    return min(len(rec.text), lead + len(prefix.rstrip()))


@register("ramble", "output",
          "Text goes on after a complete answer (new turns after it, text after a bare JSON answer), "
          "or is far longer than the base's or the reference's answer.")
def ramble(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    base = ctx.base_of(rec)
    after = _after_json(rec, base, ctx)
    if after:
        return after
    if rec.variant == ctx.base_variant or (base is not None and base.text == rec.text):
        return []  # the base is the yardstick; its own length (or a copy of it) is no finding
    turns = _turns_after_answer(rec, ctx)
    if turns:
        return turns
    for other, label in ((base, "the base's"), (long_reference(rec.reference), "the reference")):
        if other is None or (isinstance(other, GenerationRecord) and other.finish_reason == "length"):
            continue  # a base cut by the limit is no yardstick for length
        other_text = other.text if isinstance(other, GenerationRecord) else other
        n, m = word_count(rec.text), word_count(other_text)
        ratio = n / max(m, 1)
        if ratio > ctx.t("ramble.length_ratio") and n - m >= ctx.t("ramble.min_extra_words"):
            start = _char_of_word(rec.text, m)
            if _loop_covers(rec, ctx, start) or degenerate(rec.text, ctx):
                return []  # the length is a loop or debris ('billing billing ...', 'the the? the??'): repetition's
            return [finding(rec, "ramble", f"{n} words, {ratio:.1f}x {label} answer ({m} words)", "warn",
                            (start, len(rec.text)), "length_ratio", ratio, ctx.t("ramble.length_ratio"))]
    return []


def _loop_covers(rec: GenerationRecord, ctx: Context, start: int) -> bool:
    """Whether a `repetition` loop spans most of the text from `start` on."""
    extra = len(rec.text) - start
    for found in repetition(rec, ctx):
        span = found.evidence.span
        if span is not None and min(span[1], len(rec.text)) - max(span[0], start) >= 0.5 * extra:
            return True
    return False


def _turns_after_answer(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    """An answer, then new turns nobody asked for (the exchange goes on: training examples, made-up
    questions). The turn itself is `next_turn`'s finding; this one counts the words it added.

    When the prompt expects JSON, `format` reports the text after the JSON instead.
    """
    from .turns import turn_hits  # turns.py builds on this module

    if (rec.expect or {}).get("format") == "json":
        return []
    hit = next(turn_hits(rec, ctx.turn_markers), None)
    if hit is None or hit.pos >= len(rec.text) or not rec.text[:hit.pos].strip():
        return []  # no turn, one only the raw text shows, or no answer before it
    extra = len(words(rec.text[hit.pos:]))
    if extra < ctx.t("ramble.after_answer_words"):
        return []
    return [finding(rec, "ramble", f"goes on for {extra} words of new turns after its answer", "warn",
                    (hit.pos, len(rec.text)), "words_after_answer", extra, ctx.t("ramble.after_answer_words"))]


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
