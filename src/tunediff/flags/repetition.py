"""Repetition loops: a repeated tail, a high share of repeated 4-grams, duplicated lines.

Three signals, any of which fires the flag (see thresholds.py for the sources):
- tail loop (Holtzman et al. 2020): the output ends in one unit repeated back to back;
- seq-rep-4 (Welleck et al. 2019) over prose, with code blocks and valid JSON left out;
- duplicate-line share (Gopher filters), with refrains (copies separated by other lines)
  forgiven unless duplication dominates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Finding, GenerationRecord
from ._core import Context, finding, register
from ._text import JsonFound, blank, find_json, tokens, without_code

_WORDLIKE = re.compile(r"\w")
_RULE = re.compile(r"^[ \t]*(?=[^\n]*[-=_*~])[|:\-+=*_#~. \t]+$", re.M)
_MAX_PERIOD = 120  # tokens; longer units are caught by seq-rep-4 and duplicate lines
_MAX_TAIL_TOKENS = 1500


@dataclass(frozen=True)
class TailLoop:
    period: int  # tokens per repeated unit
    repeats: float  # copies of the unit, the cut-off last one counted in part
    covered: int  # tokens in the looping tail
    start: int  # char offset where the loop starts


def tail_loop(text: str) -> TailLoop | None:
    """The longest back-to-back repetition ending the text (a partial last copy allowed)."""
    toks = tokens(text)[-_MAX_TAIL_TOKENS:]
    seq = [t[0] for t in toks]
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


def seq_rep_4(seq: list[str]) -> float:
    grams = [tuple(seq[i:i + 4]) for i in range(len(seq) - 3)]
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


def _prose(text: str) -> str:
    """Text with code fences and a JSON answer blanked: repeated keys across objects are not loops."""
    prose = without_code(text)
    found = find_json(prose)
    if isinstance(found, JsonFound):
        prose = blank(prose, found.start, found.end)
    return prose


def dup_lines(prose: str) -> tuple[float, bool, int, int | None]:
    """(duplicate share, whether a copy directly follows its original, lines judged, first dup offset)."""
    seen: set[str] = set()
    lines, dups, adjacent, prev, first = 0, 0, False, None, None
    offset = 0
    for raw in prose.split("\n"):
        line = " ".join(raw.split()).lower()
        start, offset = offset, offset + len(raw) + 1
        if len(re.findall(r"\w+", line)) < 3:
            continue  # short lines (list bullets, '}', table rules) repeat legitimately
        lines += 1
        if line in seen:
            dups += 1
            adjacent = adjacent or line == prev
            first = start if first is None else first
        seen.add(line)
        prev = line
    return (dups / lines if lines else 0.0), adjacent, lines, first


@register("repetition", "output", "A loop: the same phrase or line over and over.")
def repetition(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    text = rec.text
    loop = tail_loop(text)
    if loop and _is_loop(loop, rec, ctx):
        unit = " ".join(t[0] for t in tokens(text[loop.start:])[:loop.period])
        return [finding(rec, "repetition", f"loop: {unit[:60]!r} repeated {loop.repeats:.1f} times at the end",
                        "error", (loop.start, len(text)), "tail_repeats", loop.repeats,
                        ctx.t("repetition.tail_repeats"))]
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
    frac, adjacent, lines, first = dup_lines(prose)
    enough = lines >= ctx.t("repetition.min_lines") and frac >= ctx.t("repetition.dup_line_frac")
    if enough and (adjacent or frac >= 0.5):
        return [finding(rec, "repetition", f"{frac:.0%} of {lines} lines are duplicates", "warn",
                        (first or 0, len(text)), "dup_line_frac", frac, ctx.t("repetition.dup_line_frac"))]
    return []


def _is_loop(loop: TailLoop, rec: GenerationRecord, ctx: Context) -> bool:
    if loop.repeats >= ctx.t("repetition.stutter_repeats") and loop.covered >= 10:
        return True
    if loop.repeats < ctx.t("repetition.tail_repeats") or loop.covered < ctx.t("repetition.tail_min_tokens"):
        return False
    # A model that stopped by itself after three copies may be writing a refrain; a loop that
    # ran into the token limit, or that fills much of the output, is degenerate.
    total = len(tokens(rec.text))
    return rec.finish_reason == "length" or loop.repeats >= 4 or loop.covered >= 0.4 * total


def _first_repeat_offset(toks: list[tuple[str, int, int]]) -> int:
    seen: set[tuple[str, ...]] = set()
    for i in range(len(toks) - 3):
        gram = tuple(t[0] for t in toks[i:i + 4])
        if gram in seen:
            return toks[i][1]
        seen.add(gram)
    return 0
