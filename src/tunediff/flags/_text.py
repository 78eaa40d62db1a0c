"""Text helpers shared by the flag families: tokens with offsets, JSON location, word sets."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# CJK and kana characters are one token each: those scripts do not separate words by spaces,
# and treating a whole sentence as one "word" would hide loops in them.
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]|[^\W_]+(?:['’][^\W_]+)*|[^\w\s]|_+")
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]|[^\W_]+(?:['’][^\W_]+)*")
_FENCE = re.compile(r"```[^\n`]*\n(.*?)(?:```|\Z)", re.S)
DIGITS = re.compile(r"\d+")
JSON_KEY = re.compile(r'"([^"\n{}]{1,40})"[ \t]*:')
"""A `"key":` as JSON writes it, inside whole or broken JSON; group 1 is the key."""

STOPWORDS = frozenset("""a an the and or but if then so of to in on at by for with from as is are was were be been
being it its this that these those i you he she we they me him her us them my your his our their do
does did have has had will would can could should may might must shall there here what which who whom whose
when where why how all any some each more most other such only own same than too very just also into about
over after before up down out off again once s t""".split())


@lru_cache(maxsize=8192)
def tokens(text: str) -> list[tuple[str, int, int]]:
    """Lowercased tokens (words, CJK characters, punctuation) with their [start, end) offsets.

    Cached: several flags tokenize the same output. Callers must not mutate the list.
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lengthen when lowercased: keep offsets exact
        return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(low)]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=8192)
def word_set(text: str) -> frozenset[str]:
    return frozenset(words(text))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


_BLANK_SHARE = 0.1  # visible characters under this share of a text leave it blank to a reader


def nearly_blank(text: str) -> bool:
    """Nothing, or whitespace with a few stray characters in it (under a tenth of the text:
    96 spaces and a '\ufffd'): what a reader sees as no answer."""
    visible = len("".join(text.split()))
    return visible == 0 or visible < _BLANK_SHARE * len(text)


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS}


def content_stems(text: str) -> set[str]:
    """Content words, stemmed (`stem`): 'years' in an answer meets 'year' in its prompt, 'giving'
    meets 'give'."""
    return {stem(w) for w in content_words(text)}


_SPELLED = re.compile(r"(?<![^\W\d_])[^\W\d_](?:[-.][^\W\d_]){2,}(?![^\W\d_])")
"""Three or more single letters joined by hyphens or dots: a word spelled out ('c-a-t'), initials."""


def unspelled(text: str) -> str:
    """`text` with each spelled-out word written whole ('m-a-l-e' -> 'male', 'U.S.A' -> 'USA'):
    its letters are one word to a reader, not four one-letter words."""
    return _SPELLED.sub(lambda m: re.sub(r"[-.]", "", m.group(0)), text)


_SUFFIX = re.compile(r"(?<=[a-z]{3})(?:ing|ed|es|s)$")


def stem(word: str) -> str:
    """A light English stem, enough to meet a prompt's word in an answer: 'legs' = 'leg',
    'sleeping' = 'sleep', 'shipped' = 'ship', 'giving' = 'give' = 'giv', 'stopping' = 'stop'."""
    cut = _SUFFIX.sub("", word)
    if cut != word and len(cut) > 3 and cut[-1] == cut[-2] and cut[-1] not in "aeiouls":
        return cut[:-1]  # 'stopp' of 'stopping' is 'stop'
    return cut[:-1] if cut == word and len(word) > 3 and word.endswith("e") else cut  # 'give' meets 'giv(ing)'


def blank(text: str, start: int, end: int) -> str:
    """Replace [start, end) with spaces, keeping newlines, so offsets stay valid."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def without_code(text: str) -> str:
    """Prose only: fenced code blocks blanked out (code repeats lines by nature); offsets kept."""
    for m in reversed(list(_FENCE.finditer(text))):
        text = blank(text, m.start(), m.end())
    return text


def jaccard(a: AbstractSet[Any], b: AbstractSet[Any]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def overlap(a: set[Any], b: set[Any]) -> float:
    """Overlap coefficient |A&B| / min(|A|, |B|): 'Tokyo.' agrees with 'The capital is Tokyo.'"""
    if not a or not b:
        return 1.0 if a == b else 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True)
class JsonFound:
    """Where a JSON value sits in an output, and what surrounds it."""

    value: Any
    start: int
    end: int
    fenced: bool  # inside a ```json fence (the fence itself is not 'extra text')
    before: str  # text before it, fence excluded, stripped
    after: str  # text after it, fence excluded, stripped

    @property
    def bare(self) -> bool:
        return not self.before and not self.after


@dataclass(frozen=True)
class JsonError:
    message: str
    position: int


def find_json(text: str) -> JsonFound | JsonError:
    """The first JSON object or array in `text` (whole output, a fence, or embedded in prose)."""
    return _find_json_cached(text)


@lru_cache(maxsize=4096)
def _find_json_cached(text: str) -> JsonFound | JsonError:
    decoder = json.JSONDecoder()
    fence = _FENCE.search(text)
    candidates: list[tuple[int, bool]] = []
    if fence:
        inner = fence.start(1) + (len(fence.group(1)) - len(fence.group(1).lstrip()))
        candidates.append((inner, True))
    for m in re.finditer(r"[{\[]", text):
        candidates.append((m.start(), False))
        if len(candidates) > 20:  # prose with many brackets: the first few starts suffice
            break
    first_error: JsonError | None = None
    lead = len(text) - len(text.lstrip())
    for start, fenced in candidates:
        try:
            value, end = decoder.raw_decode(text, start)
        except RecursionError:  # nested past Python's depth ('[[[[...' to the limit): no JSON to read
            exc = json.JSONDecodeError("nested too deep", text, start)
            if fenced or start == lead:
                return JsonError(exc.msg, exc.pos)
            continue
        except json.JSONDecodeError as exc:
            if fenced or start == lead:
                # The output opens as JSON and that value is broken (often cut by the limit):
                # an object nested inside it is not "the JSON with extra text around it".
                return JsonError(exc.msg, exc.pos)
            if first_error is None:
                first_error = JsonError(exc.msg, exc.pos)
            continue
        if not isinstance(value, dict | list):
            continue
        before, after = text[:start], text[end:]
        if fenced and fence:
            before = text[:fence.start()] + text[fence.start(1):start]
            after = text[end:fence.end(1)] + " " + text[fence.end():]
        return JsonFound(value, start, end, fenced, before.strip(), after.strip())
    if first_error is None:
        return JsonError("no JSON object or array found", 0)
    return first_error


def looks_like_json(text: str) -> bool:
    """The output starts as JSON (possibly cut off or fenced): the shape a JSON fine-tune produces."""
    head = text.lstrip()
    if head.startswith("```"):
        head = head.split("\n", 1)[-1].lstrip()
    return head[:1] in ("{", "[") and head[1:2] in ('"', "\n", " ", "{", "]", "}", "")


def json_leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path, leaf) pairs of a parsed JSON value."""
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            out.extend(json_leaves(v, f"{path}.{k}" if path else str(k)))
        return out
    if isinstance(value, list):
        out = []
        for i, v in enumerate(value):
            out.extend(json_leaves(v, f"{path}[{i}]"))
        return out
    return [(path, value)]


def fold(word: str) -> str:
    """Lowercase without accents: 'Bogotá' = 'bogota', 'Malmö' = 'malmo'."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
