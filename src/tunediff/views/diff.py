"""Word-level diff of a variant's output against the base output, in character offsets.

Offsets (not rendered markup) come out of here, so the report can lay diff spans and flag
evidence spans over the same text and escape it once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# Words, runs of punctuation, and whitespace are separate tokens: a changed comma does not
# mark the neighbouring word, and whitespace-only changes never count as changed words.
_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")

# Below this share of common words the two texts are different answers, not edits of each
# other: highlighting every word would only add noise.
REWRITE_BELOW = 0.25


@dataclass(frozen=True)
class Token:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


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


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start()) for m in _TOKEN.finditer(text)]


def _is_word(tok: Token) -> bool:
    return not tok.text.isspace()


def word_diff(old: str, new: str) -> WordDiff:
    """Diff two texts on word tokens; whitespace differences alone are not changes."""
    if old == new:
        return WordDiff()
    a = [t for t in tokenize(old) if _is_word(t)]
    b = [t for t in tokenize(new) if _is_word(t)]
    # autojunk off: in a looping output the repeated words are the point, not junk.
    matcher = SequenceMatcher(None, [t.text for t in a], [t.text for t in b], autojunk=False)
    out = WordDiff(similarity=matcher.ratio() if (a or b) else 1.0)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if j2 > j1:
            out.inserted.append((b[j1].start, b[j2 - 1].end))
            out.added_words += j2 - j1
        if i2 > i1:
            out.deleted.append((a[i1].start, a[i2 - 1].end))
            out.removed_words += i2 - i1
    return out
