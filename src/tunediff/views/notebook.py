"""A run in a Jupyter notebook: `tunediff.open_run(path)` (and the path `tunediff.run` returns)
display as the report's opening sentences, timeline, flag summary and side-by-side pairs.

One HTML fragment, self-contained: the report's own pieces (escaped once, where they are built),
the report's stylesheet scoped to the fragment with `@scope` so it cannot restyle the notebook,
and a small script that runs the filters inside this fragment only (several runs can be shown in
one notebook). Nothing is loaded from the network.
"""

from __future__ import annotations

import re
import uuid
from html import escape
from pathlib import Path

from ..ratings import load_ratings
from ..rundir import RunDir
from .data import RunView
from .report import TEMPLATE, changes_html, filters_html, ratings_html, summary_html
from .report_cards import build_cards, render_card
from .timeline import timeline_html

MAX_CARDS = 200
"""Cards rendered inline; a larger run says how many were left out and points at the report."""

FILTERS_JS = Path(__file__).with_name("filters.js")
"""The card filters, shared with the report."""



def _scoped_css() -> str:
    """The report's stylesheet, limited to the fragment: page-level selectors become the fragment."""
    css = re.search(r"<style>(.*?)</style>", TEMPLATE.read_text(encoding="utf-8"), re.S)
    text = css.group(1) if css else ""
    text = re.sub(r"(?m)^:root\b", ":scope", text)
    text = re.sub(r"(?m)^body\.nodiff", ":scope.nodiff", text)
    text = re.sub(r"(?m)^body\b", ":scope", text)
    text = re.sub(r"(?m)^main\b", ".tdnb-main", text)
    return f"@scope (.tunediff-run) {{\n{text}\n}}"


def notebook_html(run: RunDir, max_cards: int = MAX_CARDS) -> str:
    """The fragment `_repr_html_` returns for a run directory."""
    view = RunView.of(run)
    ratings = load_ratings(run.path)
    cards = build_cards(view, ratings)
    shown = cards[:max_cards]
    dom_id = f"tunediff-{uuid.uuid4().hex[:12]}"
    left_out = (f'<p class="sub">{len(cards) - len(shown)} more outputs are in the report '
                "(<code>tunediff.write_report(path)</code>).</p>" if len(cards) > len(shown) else "")
    title = escape(f"tunediff: {run.path.name} ({len(view.variants)} variants, "
                   f"{len({r.id for r in view.records})} prompts)")
    return (f'<div class="tunediff-run" id="{dom_id}"><style>{_scoped_css()}</style>'
            f'<div class="tdnb-main"><h3>{title}</h3>{changes_html(view)}{timeline_html(view)}{summary_html(view)}'
            f'{ratings_html(ratings, view) if ratings else ""}'
            f'<h2 id="outputs">Outputs</h2>{filters_html(view, len(shown))}'
            f'<div id="cards">{"".join(render_card(c, view.base) for c in shown)}</div>{left_out}</div>'
            f'<script>{FILTERS_JS.read_text(encoding="utf-8")}(document.getElementById("{dom_id}"));</script></div>')


def repr_html(path: str | Path) -> str:
    return notebook_html(RunDir.open(path))
