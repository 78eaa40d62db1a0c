"""Word-level diff of a variant's output against the base output, in character offsets.

Offsets (not rendered markup) come out of here, so the report can lay diff spans and flag
evidence spans over the same text and escape it once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# Words and runs of punctuation are the tokens; whitespace is not one: a changed comma does not
# mark the neighbouring word, and whitespace-only changes never count as changed words.
_WORD = re.compile(r"\w+|[^\w\s]+")

# Below this share of common words the two texts are different answers, not edits of each
# other: highlighting every word would only add noise.
REWRITE_BELOW = 0.25


@dataclass
class WordDiff:
    """How `new` differs from `old`, word by word."""

    inserted: list[tuple[int, int]] = field(default_factory=list)
    """Character spans [start, end) in `new` that are not in `old`."""
    deleted: list[tuple[int, int]] = field(default_factory=list)
    """Character spans in `old` that are not in `new`."""
    added_words: int = 0
    removed_words: int = 0
    similarity: float = 1.0
    """Share of words in common (difflib ratio over word tokens), 1.0 for identical texts."""

    @property
    def changed(self) -> bool:
        return bool(self.added_words or self.removed_words)

    @property
    def rewritten(self) -> bool:
        return self.changed and self.similarity < REWRITE_BELOW


def _words(text: str) -> tuple[list[str], list[int], list[int]]:
    words, starts, ends = [], [], []
    for m in _WORD.finditer(text):
        words.append(m.group())
        starts.append(m.start())
        ends.append(m.end())
    return words, starts, ends


def word_diff(old: str, new: str) -> WordDiff:
    """Diff two texts on word tokens; whitespace differences alone are not changes."""
    if old == new:
        return WordDiff()
    a, a_start, a_end = _words(old)
    b, b_start, b_end = _words(new)
    if a == b:
        return WordDiff()
    # autojunk off: in a looping output the repeated words are the point, not junk.
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if a and b and matcher.quick_ratio() < REWRITE_BELOW:
        # Different answers (prose vs JSON): the exact alignment would cost quadratic time and be
        # shown as nothing but noise, so count words outside the shared multiset instead.
        common = sum((Counter(a) & Counter(b)).values())
        return WordDiff(added_words=len(b) - common, removed_words=len(a) - common,
                        similarity=2 * common / (len(a) + len(b)))
    out = WordDiff(similarity=matcher.ratio())
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if j2 > j1:
            out.inserted.append((b_start[j1], b_end[j2 - 1]))
            out.added_words += j2 - j1
        if i2 > i1:
            out.deleted.append((a_start[i1], a_end[i2 - 1]))
            out.removed_words += i2 - i1
    return out
