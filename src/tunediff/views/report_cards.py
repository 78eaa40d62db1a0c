"""The per-output cards of the HTML report: variants side by side, word diff, flag evidence.

Every piece of model text and prompt text goes through `html.escape` exactly once, here,
after the diff and flag spans have been laid over the raw text in character offsets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..ratings import Rating
from ..records import Finding, GenerationRecord, records_by_output
from .data import RunView
from .diff import WordDiff, word_diff


def attr(value: object) -> str:
    """Escape for a double-quoted attribute (quotes included)."""
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    tip: str
    severity: str


def render_text(text: str, marks: Sequence[Mark] = (), inserted: Sequence[tuple[int, int]] = (),
                tag: str = "ins") -> str:
    """Escaped text with flag marks (outer, focusable, tooltip) and diff spans (inner `tag`)."""
    n = len(text)
    spans = [Mark(max(0, min(m.start, n)), max(0, min(m.end, n)), m.tip, m.severity) for m in marks]
    spans = [m for m in spans if m.end > m.start]
    bounds = sorted({0, n, *(m.start for m in spans), *(m.end for m in spans)})
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        inner = _render_diff(text, a, b, inserted, tag)
        covering = [m for m in spans if m.start <= a and m.end >= b]
        if not covering:
            out.append(inner)
            continue
        tip = "\n".join(dict.fromkeys(m.tip for m in covering))
        sev = "error" if any(m.severity == "error" for m in covering) else covering[0].severity
        out.append(f'<mark class="flag sev-{attr(sev)}" tabindex="0" title="{attr(tip)}" data-tip="{attr(tip)}">'
                   f"{inner}</mark>")
    return "".join(out)


def _render_diff(text: str, a: int, b: int, spans: Sequence[tuple[int, int]], tag: str) -> str:
    out, pos = [], a
    for s, e in spans:
        s, e = max(s, a), min(e, b)
        if e <= s:
            continue
        if s > pos:
            out.append(escape(text[pos:s]))
        out.append(f"<{tag}>{escape(text[s:e])}</{tag}>")
        pos = e
    if pos < b:
        out.append(escape(text[pos:b]))
    return "".join(out)


@dataclass
class CardData:
    """One (prompt, setting, sample) with every variant's record."""

    index: int
    records: list[GenerationRecord]
    findings: dict[str, list[Finding]]
    """variant -> its findings on this output."""
    diffs: dict[str, WordDiff]
    """variant -> its diff against the reference variant (reference itself absent)."""
    ratings: list[Rating]
    gained: list[str]
    """Flags some variant has here that the base has not (RunView.gained), for the filter."""

    @property
    def first(self) -> GenerationRecord:
        return self.records[0]

    @property
    def changed(self) -> bool:
        return any(d.changed for d in self.diffs.values())

    def flag_set(self) -> set[str]:
        return {f.flag for fs in self.findings.values() for f in fs}



def build_cards(view: RunView, ratings: Sequence[Rating]) -> list[CardData]:
    records, order, by_key = view.records, view.variants, view.by_record
    gained: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    for g in view.gained():
        gained[(g["id"], g["setting"], g["sample"])].update(g["gained"])
    rated: dict[tuple[str, str, int], list[Rating]] = defaultdict(list)
    for r in ratings:
        rated[(r.prompt_id, r.setting, r.sample)].append(r)
    groups = records_by_output(records)
    cards = []
    rank = {v: i for i, v in enumerate(order)}
    for i, (key, recs) in enumerate(groups.items()):
        recs.sort(key=lambda r: rank.get(r.variant, len(rank)))
        ref = recs[0]
        diffs = {r.variant: word_diff(ref.text, r.text) for r in recs[1:]}
        cards.append(CardData(i, recs, {r.variant: by_key.get(r.key, []) for r in recs}, diffs, rated.get(key, []),
                              sorted(gained.get(key, ()))))
    return cards


def render_card(card: CardData, reference: str) -> str:
    rec = card.first
    flags = sorted(card.flag_set())
    head = [f'<span class="pid">{escape(rec.id)}</span>',
            f'<span class="pill cat-{attr(rec.category or "none")}">{escape(rec.category or "no category")}</span>']
    if rec.setting != "default":
        head.append(f'<span class="pill">{escape(rec.setting)}</span>')
    if rec.sample:
        head.append(f'<span class="pill">sample {rec.sample}</span>')
    if len(card.records) > 1:
        head.append('<span class="pill changed">changed</span>' if card.changed
                    else f'<span class="pill same">identical to {escape(reference)}</span>')
    head += [f'<span class="rating">{escape(line)}</span>' for line in _rating_lines(card.ratings)]
    data = (f'data-category="{attr(rec.category or "")}" data-flags="{attr(" ".join(flags))}" '
            f'data-gained="{attr(" ".join(card.gained))}" '
            f'data-setting="{attr(rec.setting)}" data-changed="{int(card.changed)}"')
    cols = [_column(r, card, reference) for r in card.records]
    return (f'<article class="card" id="card-{card.index}" {data}>'
            f'<header>{"".join(head)}</header>'
            f'<pre class="prompt">{escape(rec.prompt or "")}</pre>'
            f'<div class="cols" style="--n:{len(cols)}">{"".join(cols)}</div></article>')


def _column(rec: GenerationRecord, card: CardData, reference: str) -> str:
    findings = card.findings.get(rec.variant, [])
    meta = []
    if rec.finish_reason:
        cls = ' class="fin-length"' if rec.finish_reason == "length" else ""
        meta.append(f"<span{cls}>{escape(rec.finish_reason)}</span>")
    if rec.new_tokens is not None:
        meta.append(f"{rec.new_tokens} tok")
    diff = card.diffs.get(rec.variant)
    if diff is not None:
        meta.append(_diffstat(diff, reference))
    badges = _badges(findings)
    marks = [Mark(f.evidence.span[0], f.evidence.span[1], f"{f.flag}: {f.message}", f.severity)
             for f in findings if f.evidence.span]
    inserted: list[tuple[int, int]] = []
    tag = "ins"
    if diff is not None and not diff.rewritten:
        inserted = diff.inserted
    elif rec.variant == reference and len(card.diffs) == 1:
        # With exactly one other variant the base column can show what that variant dropped.
        only = next(iter(card.diffs.values()))
        if not only.rewritten:
            inserted, tag = only.deleted, "del"
    body = render_text(rec.text, marks, inserted, tag) if rec.text else "(empty output)"
    empty = " empty" if not rec.text else ""
    return (f'<section class="col"><h4><span class="vname">{escape(rec.variant)}</span>'
            f'<span class="vmeta">{" · ".join(meta)}</span></h4>{badges}'
            f'<pre class="out{empty}">{body}</pre></section>')


def _diffstat(diff: WordDiff, reference: str) -> str:
    if not diff.changed:
        return f'<span class="diffstat">same as {escape(reference)}</span>'
    label = " · rewritten" if diff.rewritten else ""
    return (f'<span class="diffstat"><span class="a">+{diff.added_words}</span> '
            f'<span class="r">−{diff.removed_words}</span> words vs {escape(reference)}{label}</span>')


def _badges(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[f.flag].append(f)
    out = []
    for name, fs in grouped.items():
        sev = "error" if any(f.severity == "error" for f in fs) else fs[0].severity
        tip = "\n".join(dict.fromkeys(f.message for f in fs))
        out.append(f'<span class="badge sev-{attr(sev)}" tabindex="0" title="{attr(tip)}" data-tip="{attr(tip)}">'
                   f"{escape(name)}</span>")
    return f'<div class="badges">{"".join(out)}</div>'


def _rating_lines(ratings: Sequence[Rating]) -> list[str]:
    lines = []
    for r in ratings:
        if r.winner:
            verdict = f"{r.winner} better"
        else:
            verdict = "tie" if r.choice == "tie" else "both bad"
        lines.append(f"{r.rater}: {verdict} ({r.variant_a} vs {r.variant_b})")
    return lines
