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

SCRIPT = """
(function () {
  "use strict";
  var root = document.getElementById("%(id)s");
  if (!root) { return; }
  var cards = Array.prototype.slice.call(root.querySelectorAll("article.card"));
  var q = function (sel) { return root.querySelector(sel); };
  var cat = q("#f-category"), flag = q("#f-flag"), setting = q("#f-setting"), changed = q("#f-changed");
  var diff = q("#f-diff"), shown = q("#shown");
  function hasFlag(card, name) {
    var flags = card.getAttribute("data-flags");
    if (name === "__any__") { return flags !== ""; }
    if (name === "__none__") { return flags === ""; }
    if (name === "__gained__") { return card.getAttribute("data-gained") !== ""; }
    return (" " + flags + " ").indexOf(" " + name + " ") >= 0;
  }
  function apply() {
    var n = 0;
    cards.forEach(function (card) {
      var ok = (!cat || !cat.value || card.getAttribute("data-category") === cat.value)
        && (!flag || !flag.value || hasFlag(card, flag.value))
        && (!setting || !setting.value || card.getAttribute("data-setting") === setting.value)
        && (!changed || !changed.checked || card.getAttribute("data-changed") === "1");
      card.hidden = !ok;
      if (ok) { n += 1; }
    });
    if (shown) { shown.textContent = n + " of " + cards.length + " shown"; }
  }
  [cat, flag, setting, changed].forEach(function (el) { if (el) { el.addEventListener("change", apply); } });
  if (diff) { diff.addEventListener("change", function () { root.classList.toggle("nodiff", !diff.checked); }); }
  apply();
})();
"""


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
            f"<script>{SCRIPT % {'id': dom_id}}</script></div>")


def repr_html(path: str | Path) -> str:
    return notebook_html(RunDir.open(path))
