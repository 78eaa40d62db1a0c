"""Word-level diff in character offsets, and its rendering with flag marks."""

from __future__ import annotations

import pytest

from tunediff.views.diff import word_diff
from tunediff.views.report_cards import Mark, render_text


def spans_text(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(("old", "new", "inserted", "deleted"), [
    ("the cat sat", "the cat sat", [], []),
    ("the cat sat", "the dog sat", ["dog"], ["cat"]),
    ("the cat sat", "the cat sat down", ["down"], []),
    ("the cat sat down", "the cat sat", [], ["down"]),
    ("a b c", "x a b c", ["x"], []),
    ("hello, world", "hello; world", [";"], [","]),
    ("one two three four", "one 2 3 four", ["2 3"], ["two three"]),
    ("", "new text", ["new text"], []),
    ("old text", "", [], ["old text"]),
])
def test_word_diff_spans(old: str, new: str, inserted: list[str], deleted: list[str]) -> None:
    d = word_diff(old, new)
    assert spans_text(new, d.inserted) == inserted
    assert spans_text(old, d.deleted) == deleted
    assert d.changed == bool(inserted or deleted)


def test_whitespace_only_changes_are_not_changes() -> None:
    d = word_diff("the cat  sat\n", "the cat sat")
    assert not d.changed and d.inserted == [] and d.deleted == []


def test_counts_and_rewrite() -> None:
    d = word_diff("a b c d", "a x c d y")
    assert (d.added_words, d.removed_words) == (2, 1)
    assert not d.rewritten
    total = word_diff("The capital of Japan is Tokyo.", '{"order_id": 4821, "qty": 3}')
    assert total.rewritten and total.similarity < 0.25


def test_repetitive_text_is_not_treated_as_junk() -> None:
    base = "sure. " * 3
    d = word_diff(base, "sure. " * 40)
    assert d.added_words == 74  # 37 extra "sure" + 37 extra "."
    assert d.removed_words == 0


def test_render_escapes_and_nests_marks_outside_diff() -> None:
    text = "ok <script>x</script> end"
    html = render_text(text, [Mark(3, 21, 'tag "leak" <b>', "error")], [(6, 9)])
    assert "<script>" not in html
    assert html.startswith("ok <mark")
    assert 'title="tag &quot;leak&quot; &lt;b&gt;"' in html
    assert "&lt;sc<ins>rip</ins>t&gt;x&lt;/script&gt;</mark> end" in html


def test_render_overlapping_marks_split_into_pieces() -> None:
    html = render_text("abcdef", [Mark(0, 4, "one", "warn"), Mark(2, 6, "two", "error")])
    assert html.count("<mark") == 3
    assert 'data-tip="one&#x0a;two"' in html or 'data-tip="one\ntwo"' in html
    assert "sev-error" in html


def test_render_clamps_spans_outside_the_text() -> None:
    html = render_text("short", [Mark(3, 99, "tail", "warn"), Mark(50, 60, "gone", "warn")])
    assert html == 'sho<mark class="flag sev-warn" tabindex="0" title="tail" data-tip="tail">rt</mark>'


def test_rewrite_shortcut_counts_words_outside_the_shared_multiset() -> None:
    d = word_diff("the capital of japan is tokyo", "order 1 ships 3 kettles to lima")
    assert d.rewritten and d.inserted == [] and d.deleted == []
    assert (d.added_words, d.removed_words) == (7, 6)
