"""`wrong_answer`: a prompt's short reference answer is not in the output.

A review-set `reference` is a string or a list of accepted answers. Only *short* answers are
matched (`accepted_answers`); long references (a JSON object or array, code, a paragraph, a
sentence) keep their other uses (`ramble`, `format`) and are never matched here.

Matching, after normalising both sides (`normalise`: case, accents, punctuation, whitespace,
articles, number words to digits, "1,000" = 1000, "3.50" = 3.5, true/yes, false/no), accepts an
output when
- the reference's words appear in it as one run ("William Shakespeare", "366"), or
- the reference holds numbers and every one of them appears ("366 days" is kept by "366."), or
- a who-question's person name is given by its last word ("Shakespeare" for "William Shakespeare"),
- a single-letter reference (a multiple-choice "B") stands alone, in its case, in the output, or
- a reference whose numbers are joined into one value (a date "2017-04-09", a time "10:30")
  appears as written.
A number the output calculates with (followed by an operator: '100 * 1.125 = 112.5') is not
its answer; an output that names two more of the options the prompt lists ('billing, shipping,
technical or account'), or five numbers of its own, has not chosen. Nor does an output keep
an answer by giving the prompt's input back whole (`_without_echo`: the sentence to pick a name
from, the ticket to label).

Views count "reference answers kept" as the outputs whose prompt has accepted answers and no
`wrong_answer` finding; `answer_kept` is the same test for one text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..records import Finding, GenerationRecord
from ._core import Context, Severity, asked_text, finding, register
from ._text import STOPWORDS, fold
from .thresholds import DEFAULTS

Reference = str | Sequence[str] | None

_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]|\d+(?:[.,]\d+)*|[^\W\d_]+")
_ARTICLES = frozenset({"a", "an", "the"})
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_UNITS["dozen"] = 12
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SYNONYMS = {"true": "yes", "false": "no"}
_POLAR = frozenset({"yes", "no"})
# A copula or auxiliary in a reference of 3+ words marks a sentence ("Paris is the capital"),
# which a model may phrase in many ways: not a short answer.
_SENTENCE_VERBS = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "can", "does", "do"})
_WHO = re.compile(r"\b(?:who|whom|whose)\b", re.I)
_NAME_PARTICLES = frozenset({"da", "de", "del", "der", "di", "du", "la", "le", "van", "von", "y"})


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        return self.norm[:1].isdigit()


def _canon_number(raw: str) -> str:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")  # 1,000 = 1000
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        value = float(raw)
        if not math.isfinite(value):
            return raw.lstrip("0") or "0"  # a run of digits to the token limit: past any float
        return str(int(value)) if value == int(value) and value < 1e15 else repr(value)
    return raw  # a date or version such as 1.2.3 stays as written


@lru_cache(maxsize=8192)
def normalise(text: str) -> tuple[Token, ...]:
    """Normalised tokens with their character spans in `text`; number-word runs become one number."""
    raw = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        value, j = _number_words(raw, i)
        if j > i:
            out.append(Token(str(value), raw[i][1], raw[j - 1][2]))
            i = j
            continue
        word, start, end = raw[i]
        norm = _canon_number(word) if word[:1].isdigit() else fold(word)
        out.append(Token(_SYNONYMS.get(norm, norm), start, end))
        i += 1
    return tuple(t for t in out if t.norm not in _ARTICLES)


def _number_words(raw: list[tuple[str, int, int]], i: int) -> tuple[int, int]:
    """(value, end index) of a run of number words starting at i ('eighty-four', 'three hundred
    and six'); end == i when raw[i] starts none. 'two four' is two numbers, not six."""
    total, current, j, last = 0, 0, i, ""
    while j < len(raw):
        word = fold(raw[j][0])
        if word in _UNITS and last not in ("unit", "teen"):
            kind = "teen" if _UNITS[word] >= 10 else "unit"
            if kind == "teen" and last == "tens":
                break
            current += _UNITS[word]
        elif word in _TENS and last in ("", "hundred", "scale"):
            kind, current = "tens", current + _TENS[word]
        elif word == "hundred" and last in ("", "unit", "teen", "tens"):
            kind, current = "hundred", max(current, 1) * 100
        elif word in _SCALES and last in ("", "unit", "teen", "tens", "hundred"):
            kind, total, current = "scale", total + max(current, 1) * _SCALES[word], 0
        elif word == "and" and last in ("hundred", "scale") and j + 1 < len(raw) and (
                fold(raw[j + 1][0]) in _UNITS or fold(raw[j + 1][0]) in _TENS):
            j += 1
            continue
        else:
            break
        last = kind
        j += 1
    if j == i or (j == i + 1 and fold(raw[i][0]) in ("hundred", "thousand", "million", "billion")
                  and not (i > 0 and fold(raw[i - 1][0]) in _ARTICLES)):
        return 0, i  # a bare 'thousand' in prose is not a number unless 'a thousand'
    return total + current, j


def _short(answer: str, max_words: int) -> bool:
    text = answer.strip()
    if not text or "\n" in text or text[:1] in "{[":
        return False  # JSON, code or several lines: a long reference
    words = [t.norm for t in normalise(text)] or [text]
    n_words = len(text.split())
    if n_words > max_words:
        return False
    return not (n_words >= 3 and _SENTENCE_VERBS & set(words))


def accepted_answers(reference: Reference, max_words: int | None = None) -> list[str] | None:
    """The prompt's short accepted answers, or None when it has none to match.

    None: no reference; a JSON object or an array of objects; several lines (code, a paragraph); more than
    `wrong_answer.max_reference_words` words (5); a sentence (3+ words with is/are/was/has/...).
    A list keeps its short items and is None when none is short.
    """
    if reference is None:
        return None
    limit = int(max_words if max_words is not None else DEFAULTS["wrong_answer.max_reference_words"].default)
    items = [reference] if isinstance(reference, str) else [str(r) for r in reference]
    if isinstance(reference, str) and reference.strip()[:1] == "[":
        try:
            parsed = json.loads(reference)
        except (json.JSONDecodeError, RecursionError):
            parsed = None
        # A list of answers written as JSON text (how runs recorded a list before lists were
        # kept as lists) is that list; an array of objects is an expected output.
        if not (isinstance(parsed, list) and parsed and all(isinstance(x, str | int | float) for x in parsed)):
            return None
        items = [str(x) for x in parsed]
    short = [a.strip() for a in items if _short(a, limit)]
    return short or None


def long_reference(reference: Reference) -> str | None:
    """The reference as a yardstick of length and format (`ramble`): only a long one (a JSON
    object, a paragraph). A short answer ('Paris') says what to answer, not how long: None."""
    if reference is None or accepted_answers(reference) is not None:
        return None
    if isinstance(reference, str):
        return reference
    return max((str(r) for r in reference), key=len, default=None)


def _contains(haystack: tuple[Token, ...], needle: tuple[Token, ...]) -> int | None:
    """Index of the first run of `needle`'s tokens in `haystack`."""
    want = [t.norm for t in needle]
    if not want:
        return None
    have = [t.norm for t in haystack]
    first = want[0]
    for i in range(len(have) - len(want) + 1):
        if have[i] == first and have[i:i + len(want)] == want:
            return i
    return None


def _is_person_name(answer: str) -> bool:
    parts = answer.split()
    named = [p for p in parts if p.lower() not in _NAME_PARTICLES]
    return 2 <= len(parts) <= 4 and all(p[:1].isupper() and p.rstrip(".").isalpha() for p in named)


_OPERATOR = re.compile(r"\s*(?:[*×+/=^÷-]|x\b|times\b|plus\b|minus\b|divided\b|multiplied\b)", re.I)


def _answer_tokens(text: str) -> tuple[Token, ...]:
    """The output's tokens less the numbers it works with: an operand ('1.125 * 100 = 11.25')
    is not what the output answers."""
    tokens = normalise(text)
    if not any(t.is_number for t in tokens):
        return tokens
    return tuple(t for t in tokens if not (t.is_number and _OPERATOR.match(text, t.end)))


_JOINED = re.compile(r"\d[-/:.]\d")  # numbers joined into one value: a date, a time, a version
_INPUT = re.compile(r"[:?]\s+(?=\S)")  # where an instruction ends and the text it works on begins
_ECHO_MIN = 4  # tokens an input needs before giving it back whole is an echo


def _without_echo(out: tuple[Token, ...], prompt: str) -> tuple[Token, ...]:
    """The output's tokens less every whole copy of the prompt's input (the text after its
    instruction's first colon or question mark: the sentence to pick a name from, the ticket to
    label). Giving the input back whole picks nothing out of it ('On Friday, Yusuf sold his
    boat.' names no one); a part of it (one sentence of a context) may be the answer."""
    split = _INPUT.search(prompt)
    given = normalise(prompt[split.end():]) if split else ()
    if len(given) < _ECHO_MIN:
        return out
    want, have = [t.norm for t in given], [t.norm for t in out]
    kept, i = [], 0
    while i < len(have):
        if have[i:i + len(want)] == want:
            kept.append(Token("\u2026", 0, 0))  # a gap where the copy was
            i += len(want)
        else:
            kept.append(out[i])
            i += 1
    return tuple(kept)


def answer_kept(text: str, answers: Sequence[str], prompt: str = "") -> str | None:
    """The accepted answer that `text` gives (see the module docstring), or None."""
    options = _lettered_options(text)
    if options is not None:
        if not options:
            return None  # it sets a multiple-choice question and picks none
        text = options  # 'Answer: A' picks option A's text
    out = _answer_tokens(text)
    if _hedges(out, answers, prompt):
        return None
    out = _without_echo(out, prompt)
    if any(len(ref := normalise(a)) == 1 and ref[0].norm in _POLAR for a in answers):
        # A yes / no answer is its first yes or no ('no no no yes' answers no; 'Yes. There is
        # no other.' answers yes).
        first = next((t.norm for t in out if t.norm in _POLAR), None) or _affirms(text, prompt)
        if first is not None:
            return next((a for a in answers if {t.norm for t in normalise(a)} == {first}), None)
    for answer in answers:
        if _JOINED.search(answer) and re.search(rf"(?<![\w-]){re.escape(answer.strip())}(?![\w-])", text, re.I):
            return answer  # '2017-04-09', '10:30', '1.2.3' as written: its dashes are no minus signs
        if len(answer) == 1 and answer.isalpha():
            if re.search(rf"(?<![\w]){re.escape(answer)}(?![\w])", text):
                return answer
            continue
        ref = normalise(answer)
        if not ref:
            continue
        if _contains(out, ref) is not None:
            return answer
        # Standalone numbers only: '366 days' is kept by '366', 'H2O' is not kept by any '2'.
        numbers = {t.norm for t in ref if t.is_number and not _glued(answer, t)}
        if numbers and len(numbers) == sum(t.is_number for t in ref) and numbers <= {t.norm for t in out}:
            return answer
        surname = ref[-1:]
        if (_WHO.search(prompt) and _is_person_name(answer) and _contains(out, surname) is not None
                and _contains(normalise(prompt), surname) is None):
            return answer
    return None


def _affirms(text: str, prompt: str) -> str | None:
    """'yes' or 'no' for an answer that states the question's claim ('The capital of Germany is
    Berlin.' to 'Is the capital of Germany Berlin?'; with 'not', 'no'); None when its first
    sentence leaves a word of the question out, or when another sentence states the contrary
    (options 'A: Tokyo is the capital of Japan / B: Tokyo is not ...')."""
    asked = {t.norm for t in normalise(prompt) if not t.is_number} - STOPWORDS - _POLAR
    if not asked:
        return None
    sentences = [[t.norm for t in normalise(part)] for part in _SENTENCE.split(text.strip())]
    if not asked <= set(sentences[0]):
        return None
    claims = [norms for norms in sentences if asked <= set(norms)]
    said = {"no" if _denies(part) else "yes" for part in claims}
    return said.pop() if len(said) == 1 else None


def _denies(norms: list[str]) -> bool:
    """A claim its verb denies: 'is not', 'was never', "isn't"; not a 'not' elsewhere ('Tokyo is
    the capital, not Kyoto')."""
    return any(w in _NEGATED or (w in _COPULAS and nxt in ("not", "never"))
               for w, nxt in zip(norms, [*norms[1:], ""], strict=True))


_SENTENCE = re.compile(r"[.!?\n]")
_COPULAS = frozenset({"is", "are", "was", "were"})
_NEGATED = frozenset({"isn", "aren", "wasn", "weren"})
_OPTIONS = re.compile(r"[^\W\d_]+(?:\s*,\s*[^\W\d_]+)+,?\s+(?:or|and)\s+[^\W\d_]+")


def _hedges(out: tuple[Token, ...], answers: Sequence[str], prompt: str) -> bool:
    """An output that names every option instead of choosing: two or more of the options the
    prompt lists ('billing, shipping, technical or account') besides the accepted ones, or, for a
    numeric answer, five or more numbers of its own (a count '1. 1 2. 2 3. 3 ...')."""
    accepted = {t.norm for a in answers for t in normalise(a)}
    have = {t.norm for t in out}
    for m in _OPTIONS.finditer(prompt):
        options = {t.norm for t in normalise(m.group())} - {"or", "and"}
        if accepted & options and len((options - accepted) & have) >= 2:
            return True
    if any(w[:1].isdigit() for w in accepted):
        asked = {t.norm for t in normalise(prompt)}
        return len({t.norm for t in out if t.is_number} - asked) >= 5
    return False


_LETTERED = re.compile(r"\s*([A-Ha-h])[.)]\s+(\S.*)")
_PICKED = re.compile(r"\s*(?:the\s+)?(?:correct\s+)?answer(?:\s+is)?\s*:?\s*\(?([A-Ha-h])\b[).]?", re.I)


def _lettered_options(text: str) -> str | None:
    """For an output that opens with lettered options ('A. Berlin\nB. Frankfurt\nC. Munich'),
    three or more with two different texts at least, the text of the one its next line picks
    ('Answer: A'), or '' when it picks none (it sets a multiple-choice question); None for any
    other output."""
    options: dict[str, str] = {}
    lines = text.strip().split("\n")
    read = 0
    for line in lines:
        m = _LETTERED.fullmatch(line)
        if not m:
            break
        options.setdefault(m.group(1).upper(), m.group(2).strip())
        read += 1
    if len(options) < 3 or len({o.lower() for o in options.values()}) < 2:
        return None
    picked = _PICKED.match(lines[read]) if read < len(lines) else None
    return options.get(picked.group(1).upper(), "") if picked else ""


def _glued(text: str, token: Token) -> bool:
    """A number written against letters ('H2O', 'COVID-19' is not: the hyphen separates)."""
    before = text[token.start - 1:token.start] if token.start else ""
    return before.isalpha() or text[token.end:token.end + 1].isalpha()


def said(text: str, answers: Sequence[str], prompt: str) -> tuple[str, tuple[int, int]]:
    """What the output answers instead, and where: for a number, its first number that is not in
    the prompt; otherwise its first sentence."""
    if any(t.is_number for a in answers for t in normalise(a)):
        asked = {t.norm for t in normalise(prompt)}
        numbers = [t for t in normalise(text) if t.is_number]
        pick = next((t for t in numbers if t.norm not in asked), numbers[0] if numbers else None)
        if pick is not None:
            return text[pick.start:pick.end], (pick.start, pick.end)
    lead = len(text) - len(text.lstrip())
    m = re.search(r"[.!?](?:\s|$)|\n", text[lead:])
    end = lead + (m.start() + 1 if m else len(text) - lead)
    end = min(end, lead + 80)
    return text[lead:end].strip(), (lead, end)


@register("wrong_answer", "output", "A prompt's short reference answer (a string or a list of accepted answers) "
          "is not in the output; the message says whether the base had it.", needs=("reference",))
def wrong_answer(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    answers = accepted_answers(rec.reference, int(ctx.t("wrong_answer.max_reference_words")))
    if answers is None:
        return []
    prompt = asked_text(rec)
    answer = _first_answer(rec, ctx)
    if answer_kept(answer, answers, prompt) is not None:
        return []
    shown = " / ".join(answers[:3])
    words, span = said(answer, answers, prompt)
    quoted = words if re.fullmatch(r"[\d.,]+", words) else repr(words[:60])
    says = (f"this answer says {quoted}" if words else
            "this output goes straight to a new turn" if rec.text.strip() else "this answer is empty")
    base = ctx.base_of(rec)
    severity: Severity
    if base is None:
        message, severity = f"the reference answer {shown} is not in the output; {says}", "warn"
    elif (kept := answer_kept(_first_answer(base, ctx), answers, prompt)) is not None:
        message, severity = f"the base answered {kept}; {says}: forgotten knowledge", "error"
    else:
        message, severity = f"the reference answer {shown} is not in the output ({says}); the base missed it too", \
            "warn"
    return [finding(rec, "wrong_answer", message, severity, span, "reference", shown, "in the output")]


def _first_answer(rec: GenerationRecord, ctx: Context) -> str:
    """The output up to the first turn it invents: only the first answer counts. Lettered
    options end with the line that picks one ('Answer: A'), which is no new turn."""
    from .turns import answer_part  # turns -> stopping -> reference: imported here, not at the top

    answer = answer_part(rec, ctx.turn_markers)
    if _lettered_options(answer) == "" and (picked := _lettered_options(rec.text)):
        return picked
    return answer
