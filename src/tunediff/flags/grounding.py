"""`ungrounded`: extracted values that do not appear in the prompt (shape filled with invented content).

Runs where the prompt's `expect` has `grounded: true`. A value counts as grounded when every
number in it appears among the prompt's numbers (month names count as their numbers, so a
reformatted date passes) and every word of it appears among the prompt's words, in any case,
with or without accents, or is a name the prompt spells the other language's way ('Seville' for
'Sevilla').
Booleans and nulls are judgements, not extractions, and are not checked.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

from ..records import Finding, GenerationRecord
from ._core import Context, asked_text, finding, register
from ._text import JsonFound, find_json, fold, json_leaves

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ALPHA = re.compile(r"[^\W\d_]+")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _NUMBER.finditer(text):
        raw = m.group()
        out.add(raw)
        out.add(raw.replace(",", ""))  # 1,200 == 1200
        for part in re.split(r"[.,]", raw):
            out.add(part.lstrip("0") or "0")
        try:
            out.add(_canon(float(raw.replace(",", ""))))
        except ValueError:
            pass
    return out


def _canon(x: float) -> str:
    if not math.isfinite(x):
        return repr(x)  # digits past any float ('1e309', 3,000 ones): compared as written
    return str(int(x)) if x == int(x) else repr(x)


_MONTH_NUMBER = {name: str(i) for i, m in enumerate(_MONTHS, start=1) for name in (m, m[:3])}
_CURRENCY = {"$": "usd", "€": "eur", "£": "gbp", "¥": "jpy"}


def _forms(word: str) -> set[str]:
    """Plural- and accent-insensitive forms: 'kettles' in the prompt grounds 'kettle' in the
    output, and back; 'Malmö' grounds 'Malmo'."""
    word = fold(word)
    out = {word}
    if word.endswith("s") and len(word) > 3:
        out.add(word[:-1])
    if word.endswith("es") and len(word) > 4:
        out.add(word[:-2])
    return out


def _prompt_vocab(text: str) -> tuple[set[str], set[str]]:
    words = {f for w in _ALPHA.findall(text) for f in _forms(w.lower())}
    words.update(code for sym, code in _CURRENCY.items() if sym in text)
    numbers = _numbers(text)
    for name, number in _MONTH_NUMBER.items():
        if name in words:
            numbers.update({number, number.zfill(2)})
    return words, numbers


def grounded(value: Any, words: set[str], numbers: set[str]) -> bool:
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int | float):
        return _canon(float(value)) in numbers or str(value) in numbers
    text = str(value)
    for m in _NUMBER.finditer(text):
        parts = [m.group(), m.group().replace(",", "")] + [p.lstrip("0") or "0" for p in re.split(r"[.,]", m.group())]
        if not any(p in numbers for p in parts[:2]) and not all(p in numbers for p in parts[2:]):
            return False
    for w in _ALPHA.findall(text):
        month = _MONTH_NUMBER.get(w.lower())
        if not _forms(w.lower()) & words and not (month and month in numbers) and not _spelled_alike(w, words):
            return False
    return True


def _spelled_alike(word: str, words: set[str]) -> bool:
    """The same name in another language's spelling: 'Seville' for 'Sevilla', 'Lisbon' for
    'Lisboa' (5+ letters, the same first four, lengths within one, one or two letters changed
    at the end). 'Bern' does not ground 'Berlin', nor 'Lima' 'Limassol'."""
    w = fold(word)
    if len(w) < 5:
        return False
    for other in words:
        if len(other) >= 5 and other[:4] == w[:4] and abs(len(other) - len(w)) <= 1:
            common = len(os.path.commonprefix([w, other]))
            if max(len(w), len(other)) - common <= 2:
                return True
    return False


@register("ungrounded", "output", "Extracted values that do not appear in the prompt (expect.grounded).",
          needs=("expect", "prompt"))
def ungrounded(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    if not (rec.expect or {}).get("grounded") or not (rec.prompt or rec.messages):
        return []
    found = find_json(rec.text)
    if not isinstance(found, JsonFound):
        return []  # no values to check; `format` reports the invalid JSON
    prompt = asked_text(rec)
    words, numbers = _prompt_vocab(prompt)
    bad = [(path, v) for path, v in json_leaves(found.value) if not grounded(v, words, numbers)]
    if not bad:
        return []
    listed = ", ".join(f"{p}={json.dumps(v, ensure_ascii=False)}" for p, v in bad[:4])
    span = _locate(rec.text, bad[0][1], found)
    checked = sum(1 for _, v in json_leaves(found.value) if not (isinstance(v, bool) or v is None))
    return [finding(rec, "ungrounded", f"not in the prompt: {listed}", "warn", span, "ungrounded_values",
                    len(bad), f"0 of {checked}")]


def _locate(text: str, value: Any, found: JsonFound) -> tuple[int, int]:
    needle = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    idx = text.find(needle, found.start)
    if idx < 0 and isinstance(value, str):
        idx, needle = text.find(value, found.start), value
    return (idx, idx + len(needle)) if idx >= 0 else (found.start, found.end)
