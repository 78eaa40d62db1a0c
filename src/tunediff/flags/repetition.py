"""Repetition loops: a repeated tail, a high share of repeated 4-grams, duplicated lines.

Three signals, any of which fires the flag (see thresholds.py for the sources):
- tail loop (Holtzman et al. 2020): the output ends in one unit repeated back to back;
- seq-rep-4 (Welleck et al. 2019) over prose, with code blocks and valid JSON left out;
- duplicate-line share (Gopher filters), with refrains (copies separated by other lines)
  forgiven unless duplication dominates.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Finding, GenerationRecord
from ._core import Context, finding, prompt_text, register
from ._text import DIGITS, JSON_KEY, STOPWORDS, JsonFound, blank, find_json, looks_like_json, tokens, without_code

_WORDLIKE = re.compile(r"\w")
_ALPHA = re.compile(r"[^\W\d_]")
_COUNTING = re.compile(r"\b(?:count\w*|list\w*|enumerat\w*|numbers|sequence|digits|table)\b", re.I)
# A unit of 1-16 characters repeated back to back inside a word or a JSON string value
# ('A2-A2-A2-...', 'LSAMALSAARULSAMALSAARUL...'); whitespace ends a unit (word loops are tokens').
_CHAR_LOOP = re.compile(r"(\S{1,16}?)\1{3,}")
_OBJECT_BOUNDS = re.compile(r"[^{}\[\]]+")  # the text between braces and brackets: one object's level
_RULE = re.compile(r"^[ \t]*(?=[^\n]*[-=_*~])[|:\-+=*_#~. \t]+$", re.M)
_SLOT_TOKENS = 3  # a slot that changes between copies: a name of up to three tokens ('South Korea')
_MAX_PERIOD = 120  # tokens; longer units are caught by seq-rep-4 and duplicate lines
_MAX_TAIL_TOKENS = 1500


@dataclass(frozen=True)
class TailLoop:
    period: int  # tokens per repeated unit
    repeats: float  # copies of the unit, the cut-off last one counted in part
    covered: int  # tokens in the looping tail
    start: int  # char offset where the loop starts


def tail_loop(text: str, mask_numbers: bool = False) -> TailLoop | None:
    """The longest back-to-back repetition ending the text (a partial last copy allowed).

    With `mask_numbers` every number counts as the same token, so copies that differ only in a
    counter ('0 57 more lamps shipped. 0 58 more lamps shipped. ...') are one unit repeated.
    """
    toks = tokens(text)[-_MAX_TAIL_TOKENS:]
    seq = [_mask(t[0]) for t in toks] if mask_numbers else [t[0] for t in toks]
    n = len(seq)
    best: tuple[int, int] | None = None  # (covered, period)
    found_periods: list[int] = []
    limit = min(_MAX_PERIOD, n // 2)
    # Only periods where the last (or, when the last word was cut, the second-last) token recurs.
    candidates = {n - 1 - j for j in range(max(0, n - 1 - limit), n - 1) if seq[j] == seq[n - 1]}
    if n >= 2:
        candidates |= {n - 2 - j for j in range(max(0, n - 2 - limit), n - 2) if seq[j] == seq[n - 2]}
    for p in sorted(c for c in candidates if 1 <= c <= limit):
        if any(p % q == 0 for q in found_periods):
            continue  # multiples of a looping period repeat the same finding
        i = n - 1
        if i - p >= 0 and seq[i] != seq[i - p] and seq[i - p].startswith(seq[i]):
            i -= 1  # the token limit cut the last word in half
        while i - p >= 0 and seq[i] == seq[i - p]:
            i -= 1
        covered = (n - 1 - i) + p
        if covered >= 2 * p:
            if covered >= 3 * p:  # a multiple of a real loop repeats its finding; of '0 0' it may not
                found_periods.append(p)
            if best is None or covered > best[0]:
                best = (covered, p)
    if best is None:
        return None
    covered, p = best
    first = n - covered
    for _ in range(p - 1):  # start the highlight at a word, shifting by less than one unit
        if _WORDLIKE.match(seq[first]) or covered <= 2 * p:
            break
        first, covered = first + 1, covered - 1
    return TailLoop(p, covered / p, covered, toks[first][1])


def _mask(token: str) -> str:
    """Numbers as one token: copies that differ only in a counter are copies."""
    return DIGITS.sub("0", token) if token[:1].isdigit() else token


def seq_rep_4(seq: list[str]) -> float:
    grams = [tuple(seq[i:i + 4]) for i in range(len(seq) - 3)]
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


def _turn_lines(prose: str, markers: Sequence[str]) -> str:
    """The prose with a line break before each turn marker written inside a line ('[INST] What
    is the capital of Finland? [/INST] Helsinki'): the question and its answer are two lines,
    each with its own slot. The same length, so spans stay true."""
    for marker in (m.strip() for m in markers):
        if marker:
            prose = prose.replace(" " + marker, "\n" + marker)
    return prose


def _prose(text: str) -> str:
    """Text with code fences and a JSON answer blanked: repeated keys across objects are not loops."""
    prose = without_code(text)
    found = find_json(prose)
    if isinstance(found, JsonFound):
        prose = blank(prose, found.start, found.end)
    return prose


def dup_lines(prose: str, mask_numbers: bool = False) -> tuple[float, bool, int, int | None]:
    """(duplicate share, whether a copy directly follows its original, lines judged, first dup offset).

    With `mask_numbers`, lines that differ only in their numbers are duplicates, and a line
    needs three words of letters to be judged (rows of numbers repeat their shape by design).
    """
    seen: set[str] = set()
    lines, dups, adjacent, prev, first = 0, 0, False, None, None
    offset = 0
    for raw in prose.split("\n"):
        line = " ".join(raw.split()).lower()
        start, offset = offset, offset + len(raw) + 1
        if mask_numbers:
            line = DIGITS.sub("0", line)
        if len(re.findall(r"[^\W\d_]+" if mask_numbers else r"\w+", line)) < 3:
            if line:
                prev = None  # a line between breaks 'directly follows' ('Email:' between two addresses)
            continue  # short lines (list bullets, '}', table rules) repeat legitimately
        lines += 1
        if line in seen:
            dups += 1
            adjacent = adjacent or line == prev
            first = start if first is None else first
        seen.add(line)
        prev = line
    return (dups / lines if lines else 0.0), adjacent, lines, first


def slot_loop(prose: str, min_copies: int) -> tuple[int, int, int] | None:
    """(start, end, copies) of the first run of `min_copies`+ consecutive blocks of 1-4 lines in
    which each line differs from the same line of the block before in one slot at most (a span of
    up to three tokens: 'Sweden' / 'South Korea'), numbers masked: 'Question: ... capital of
    Croatia?' / 'Answer: Zagreb', then '... of Sweden?' / 'Stockholm' (four lines under Alpaca's
    headers). A block needs three words of letters per line on average, or eight in all: rows of
    a table or a list of numbers repeat their shape by design."""
    if prose.count("\n") < min_copies - 1:
        return None  # fewer lines than copies
    lines = [(m.start(), m.end(), [_mask(t[0]) for t in tokens(m.group())])
             for m in re.finditer(r"[^\n]*\S[^\n]*", prose)]
    for size in (1, 2, 3, 4):
        for offset in range(size):
            run, best = 1, None
            for i in range(offset + size, len(lines) - size + 1, size):
                if _one_slot_each(lines[i:i + size], lines[i - size:i]):
                    run += 1
                    if run >= min_copies:
                        best = (lines[i - (run - 1) * size][0], lines[i + size - 1][1], run)
                elif best:
                    break
                else:
                    run = 1
            if best:
                return best
    return None


def _one_slot_each(block: list[tuple[int, int, list[str]]], before: list[tuple[int, int, list[str]]]) -> bool:
    if sum(1 for line in block for w in line[2] if _ALPHA.match(w)) < min(3 * len(block), 8):
        return False
    for (_, _, a), (_, _, b) in zip(block, before, strict=True):
        if not _one_slot(a, b):
            return False
    return True


def _one_slot(a: list[str], b: list[str]) -> bool:
    """Whether two lines' tokens differ in one slot at most: one span of up to _SLOT_TOKENS tokens
    on each side ('... capital of Sweden?' / '... capital of South Korea?')."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return len(a) - start - end <= _SLOT_TOKENS and len(b) - start - end <= _SLOT_TOKENS


def char_loop(text: str, min_chars: int, min_repeats: int) -> tuple[str, int, int] | None:
    """(unit, start, end) of the first unit of 1-16 characters with a letter or digit repeated
    back to back at least `min_repeats` times over at least `min_chars` characters; a unit of
    one character needs twice the characters ('Nooooo' is emphasis, a rule of '-' is no unit)."""
    for m in _CHAR_LOOP.finditer(text):
        unit = m.group(1)
        covered = m.end() - m.start()
        if not any(c.isalnum() for c in unit) or covered // len(unit) < min_repeats:
            continue
        if covered >= (2 * min_chars if len(unit) == 1 else min_chars):
            return unit, m.start(), m.end()
    return None


@register("repetition", "output", "A loop: the same phrase or line over and over, at any scale: characters "
          "inside a word, a sentence with only a counter changing, a long unit cut by the token limit.")
def repetition(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    text = rec.text
    loop = tail_loop(text)
    if loop and _is_loop(loop, rec, ctx):
        unit = " ".join(t[0] for t in tokens(text[loop.start:])[:loop.period])
        return [finding(rec, "repetition", f"loop: {unit[:60]!r} repeated {loop.repeats:.1f} times at the end",
                        "error", (loop.start, len(text)), "tail_repeats", loop.repeats,
                        ctx.t("repetition.tail_repeats"))]
    counted = _counter_loop(rec, ctx) or _two_word_stutter(rec, ctx) or _word_run(rec, ctx)
    if counted:
        return counted
    if not looks_like_json(text):
        slots = slot_loop(_turn_lines(_prose(text), ctx.turn_markers), int(ctx.t("repetition.tail_repeats")))
        # Three parallel lines that ran into the limit loop; a finished list of three or four
        # ('Add 1 cup of flour / of sugar / of milk') is a list, five are a loop.
        if slots and (rec.finish_reason == "length" or slots[2] >= 5):
            start, end, copies = slots
            head = text[start:end].split("\n")[0][:50]
            return [finding(rec, "repetition", f"{copies} copies of {head!r}... with one slot changing", "error",
                            (start, end), "slot_copies", copies, ctx.t("repetition.tail_repeats"))]
    chars = char_loop(without_code(text), int(ctx.t("repetition.char_min_chars")),
                      int(ctx.t("repetition.char_min_repeats")))
    if chars:
        unit, start, end = chars
        repeats = (end - start) / len(unit)
        return [finding(rec, "repetition", f"loop inside a word: {unit!r} repeated {repeats:.0f} times", "error",
                        (start, end), "char_repeats", repeats, ctx.t("repetition.char_min_repeats"))]
    prose = _prose(text)
    toks = [t for t in tokens(prose) if _WORDLIKE.match(t[0])]
    if len(toks) - 3 < ctx.t("repetition.min_ngrams"):
        # Almost no words: judge all tokens, so output made of quotes and colons is seen too
        # (JSON, even cut off, has enough words to stay out). Table rules are blanked first.
        every = tokens(_RULE.sub(lambda m: " " * len(m.group()), prose))
        if len(toks) < 0.1 * len(every):
            toks = every
    seq = [t[0] for t in toks]
    if len(seq) - 3 >= ctx.t("repetition.min_ngrams"):
        rep = seq_rep_4(seq)
        if rep >= ctx.t("repetition.seq_rep_4"):
            start = _first_repeat_offset(toks)
            return [finding(rec, "repetition", f"{rep:.0%} of 4-grams are repeats", "warn",
                            (start, len(text)), "seq_rep_4", rep, ctx.t("repetition.seq_rep_4"))]
    degenerate = _degenerate(rec, ctx) or _key_loop(rec, ctx) or _noise(rec, ctx)
    if degenerate:
        return degenerate
    for masked in (False, True):
        if masked and looks_like_json(text):
            break
        frac, adjacent, lines, first = dup_lines(prose, masked)
        enough = lines >= ctx.t("repetition.min_lines") and frac >= ctx.t("repetition.dup_line_frac")
        if enough and (adjacent or frac >= 0.5):
            apart = " apart from their numbers" if masked else ""
            return [finding(rec, "repetition", f"{frac:.0%} of {lines} lines are duplicates{apart}", "warn",
                            (first or 0, len(text)), "dup_line_frac", frac, ctx.t("repetition.dup_line_frac"))]
    return []


def degenerate(text: str, ctx: Context) -> bool:
    """The same few tokens over and over: >= repetition.degenerate_min_tokens tokens (code blocks
    and table rules left out), of which at most repetition.degenerate_diversity are distinct
    (`"item": "item": " " "id" ...`, the debris of a collapsed adapter, which no unit repeats
    exactly). A unit of characters looping inside a word counts as its copies ('2020202020...'
    is '20' over and over). A valid JSON object or array is left out (an array of zeros was maybe
    asked for)."""
    found = tokens(spell_out_loops(_RULE.sub(lambda m: " " * len(m.group()), without_code(text))))
    if len(found) < ctx.t("repetition.degenerate_min_tokens"):
        return False
    if (len({t[0] for t in found}) / len(found) > ctx.t("repetition.degenerate_diversity")
            and (compressed(text) or 1.0) > ctx.t("repetition.compress_ratio")):
        return False
    return not _json_document(text)


def compressed(text: str) -> float | None:
    """zlib-compressed size / raw size of a text of 100+ bytes (None when shorter: the
    compressor's header dominates). A loop compresses to little, whatever its unit
    ('illingippingipping...illingipping'); fluent text to half or more."""
    raw = text.encode("utf-8")
    return len(zlib.compress(raw, 9)) / len(raw) if len(raw) >= 100 else None


def spell_out_loops(text: str) -> str:
    """Each character loop as its copies, one token each ('A2-A2-A2-A2-' -> 'A2- A2- A2- A2-')."""
    return _CHAR_LOOP.sub(_spell_out, text)


def one_unit(text: str) -> str:
    """The one word an answer is made of, when it is mostly that word over and over ('billing
    billing billing ...', 'billingbillingbilling...lockSecondsbilling...': a label stuttered to
    the token limit, at least half its words); else the answer, stripped."""
    found = [w.strip(".,;") for w in spell_out_loops(text).split()]
    if len(found) > 1:
        word, count = Counter(w.lower() for w in found).most_common(1)[0]
        if count >= 0.5 * len(found) and count > 1:
            return next(w for w in found if w.lower() == word)
    return text.strip()


def looped_unit(text: str) -> str | None:
    """The unit an output is nothing but, repeated back to back 4+ times ('0' of '00000000000',
    'ab' of 'abababab'); None for any other text."""
    m = _CHAR_LOOP.fullmatch(text.strip())
    return m.group(1) if m and any(c.isalnum() for c in m.group(1)) else None


def _spell_out(m: re.Match[str]) -> str:
    unit = m.group(1)
    if not any(c.isalnum() for c in unit):
        return m.group()
    return " ".join([unit] * (len(m.group()) // len(unit)))


def _degenerate(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    if not degenerate(rec.text, ctx):
        return []
    found = tokens(rec.text)
    kinds = len({t[0] for t in found})
    if kinds / len(found) > ctx.t("repetition.degenerate_diversity"):
        ratio = compressed(rec.text) or 1.0
        return [finding(rec, "repetition", f"the same characters over and over: the text compresses to {ratio:.0%} "
                        "of its size", "warn", (0, len(rec.text)), "compressed_ratio", ratio,
                        ctx.t("repetition.compress_ratio"))]
    return [finding(rec, "repetition", f"the same {kinds} tokens over and over ({len(found)} tokens, "
                    f"{kinds / len(found):.0%} distinct)", "warn", (0, len(rec.text)), "distinct_tokens",
                    kinds / len(found), ctx.t("repetition.degenerate_diversity"))]


def noise(rec: GenerationRecord, ctx: Context) -> float | None:
    """The share of letters in an output that is no language, run to the token limit: >=
    repetition.noise_min_chars characters (spaces aside), under repetition.noise_letters of them
    letters (`4444,,,44quantity2,,4466...`, `" " ":":" "...`), not a JSON object or array, to a prompt that does
    not ask for numbers (a list of them, counting). None when the output is not such noise."""
    text = rec.text
    chars = [c for c in text if not c.isspace()]
    if rec.finish_reason != "length" or len(chars) < ctx.t("repetition.noise_min_chars"):
        return None
    share = sum(c.isalpha() for c in chars) / len(chars)
    asked = prompt_text(rec)
    if share >= ctx.t("repetition.noise_letters") or not asked.strip() or _COUNTING.search(asked):
        return None
    return None if _json_document(text) else share


def _json_document(text: str) -> bool:
    """Whether the text is a valid JSON object or array (what a prompt may ask to repeat: an array
    of zeros); a bare number or string is not ('1000000...0' to the limit is noise)."""
    try:
        return isinstance(json.loads(text), (dict, list))
    except (ValueError, RecursionError):
        return False


def _noise(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    share = noise(rec, ctx)
    if share is None:
        return []
    return [finding(rec, "repetition", f"no language: {share:.0%} of its characters are letters, to the token "
                    "limit (digits, quotes and commas over and over)", "warn", (0, len(rec.text)), "letter_share",
                    share, ctx.t("repetition.noise_letters"))]


def _key_loop(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    """One JSON object that writes the same key again and again (`"item": "Glow", "city": "Lemma",
    ..., "item": "Glow", "city": ...`): no object holds a key three times by design. Keys repeated
    across objects (an array of records) are split apart by the braces between them."""
    for segment in _OBJECT_BOUNDS.finditer(rec.text):
        counts: dict[str, list[int]] = {}
        for m in JSON_KEY.finditer(segment.group()):
            counts.setdefault(m.group(1), []).append(segment.start() + m.start())
        key, where = max(counts.items(), key=lambda kv: len(kv[1]), default=("", []))
        if len(where) >= ctx.t("repetition.tail_repeats"):
            return [finding(rec, "repetition", f"one JSON object writes the key {key!r} {len(where)} times", "warn",
                            (where[0], len(rec.text)), "key_repeats", len(where), ctx.t("repetition.tail_repeats"))]
    return []


def _counter_loop(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    """Copies of a sentence or line that differ only in their numbers, at the end of the output.

    Only prose: the unit needs three words (counting '1, 2, 3, ...' and numeric table rows have
    none), and JSON is left out (an array of objects repeats its keys with new values by design).
    """
    text = rec.text
    if looks_like_json(text):
        return []
    loop = tail_loop(text, mask_numbers=True)
    if not loop or not _is_loop(loop, rec, ctx):
        return []
    unit = [t[0] for t in tokens(text[loop.start:])[:loop.period]]
    if not any(DIGITS.search(w) for w in unit):
        return []
    if len({w for w in unit if _ALPHA.match(w)}) < 3:
        # Counting ('1. 1 2. 2 3. 3 ...') is a loop only when it ran into the limit unasked.
        asked = prompt_text(rec)
        if (rec.finish_reason != "length" or loop.repeats < ctx.t("repetition.stutter_repeats")
                or not asked.strip() or _COUNTING.search(asked)):
            return []
    return [finding(rec, "repetition", f"loop with a counter: {' '.join(unit)[:60]!r} repeated "
                    f"{loop.repeats:.1f} times, only the numbers change", "error", (loop.start, len(text)),
                    "tail_repeats", loop.repeats, ctx.t("repetition.tail_repeats"))]


def _two_word_stutter(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    """An output made of one or two words only, one of them said 3+ times back to back ('no no
    no no yes', 'positive negative negative negative negative'): the tail loop misses it when
    the other word comes last."""
    found = [t for t in tokens(rec.text) if _WORDLIKE.match(t[0])]
    if len(found) < 4 or len({t[0] for t in found}) > 2 or not all(_ALPHA.match(t[0]) for t in found):
        return []  # words of letters only: '[0, 0, 0, ...]' may have been asked for
    best, run, start, at = 1, 1, found[0][1], found[0][1]
    for prev, cur in zip(found, found[1:], strict=False):
        run = run + 1 if cur[0] == prev[0] else 1
        if run == 1:
            at = cur[1]
        if run > best:
            best, start = run, at
    if best < ctx.t("repetition.tail_repeats"):
        return []
    return [finding(rec, "repetition", f"one word said {best} times back to back, in an output of "
                    f"{len(found)} words and no other word but one", "error", (start, len(rec.text.rstrip())),
                    "tail_repeats", best, ctx.t("repetition.tail_repeats"))]


_WORD_RUN = re.compile(r"\b([^\W\d_]{4,})(?:[ ,]+\1\b){2,}", re.I)  # 'aquarium, aquarium, aquarium'


def _word_run(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    """One word of 4+ letters, no stopword, said 3+ times back to back anywhere, apart only by
    spaces or commas ('Hal, aquarium, aquarium, aquarium, Bergen'): the tail loop misses it when
    other words follow, and no list of things names one thing three times running."""
    for m in _WORD_RUN.finditer(without_code(rec.text)):
        word = m.group(1).lower()
        repeats = len(re.findall(rf"\b{re.escape(m.group(1))}\b", m.group(), re.I))
        if word not in STOPWORDS and repeats >= ctx.t("repetition.tail_repeats"):
            return [finding(rec, "repetition", f"{m.group(1)!r} said {repeats} times back to back", "error",
                            (m.start(), m.end()), "tail_repeats", repeats, ctx.t("repetition.tail_repeats"))]
    return []


def _is_loop(loop: TailLoop, rec: GenerationRecord, ctx: Context) -> bool:
    if loop.repeats >= ctx.t("repetition.stutter_repeats") and loop.covered >= 10:
        return True
    if (rec.finish_reason == "length" and loop.repeats >= ctx.t("repetition.cut_repeats")
            and loop.period >= ctx.t("repetition.cut_min_period")):
        return True  # a long unit that ran into the token limit: two copies and a third begun
    if loop.repeats < ctx.t("repetition.tail_repeats"):
        return False
    total = len(tokens(rec.text))
    if loop.covered >= total:
        return True  # nothing but the unit, three times or more: 'negative negative negative'
    if loop.covered < ctx.t("repetition.tail_min_tokens"):
        return False
    # A model that stopped by itself after three copies may be writing a refrain; a loop that
    # ran into the token limit, or that fills much of the output, is degenerate.
    return rec.finish_reason == "length" or loop.repeats >= 4 or loop.covered >= 0.4 * total


def _first_repeat_offset(toks: list[tuple[str, int, int]]) -> int:
    seen: set[tuple[str, ...]] = set()
    for i in range(len(toks) - 3):
        gram = tuple(t[0] for t in toks[i:i + 4])
        if gram in seen:
            return toks[i][1]
        seen.add(gram)
    return 0
