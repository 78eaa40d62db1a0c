"""`tunediff report`: one self-contained HTML file that works offline.

Everything is rendered here, server-side, into static HTML: no data is embedded as JSON
and the small inline script only hides and shows cards. A Content-Security-Policy meta tag
forbids every network load, so a shared report cannot phone home even if edited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from ..ratings import load_ratings
from ..records import MISSING_CATEGORY, REPORT, GenerationRecord, write_text_atomic
from ..rundir import RunDir
from ..stats import pair_stats
from .changes import what_changed
from .data import ALL, FlagCounts, RunView, category_of
from .report_cards import attr, build_cards, render_card
from .svg import grouped_bars, variant_colours
from .timeline import headline, timeline_html

TEMPLATE = Path(__file__).with_name("report_template.html")
FILTERS_JS = Path(__file__).with_name("filters.js")
"""The card filters, shared with the notebook view, inlined into the page's script."""
CHART_FLAGS = 10


def write_report(run_dir: str | Path, out: str | Path | None = None) -> Path:
    """Render RUN as HTML to `out` (default RUN/report.html), atomically; return the path."""
    run = RunDir.open(run_dir)
    path = Path(out) if out else run.path / REPORT
    write_text_atomic(path, build_report(run))
    return path


def build_report(run: RunDir, view: RunView | None = None) -> str:
    view = view or RunView.of(run)
    ratings = load_ratings(run.path)
    cards = build_cards(view, ratings)
    parts = {
        "TITLE": escape(f"tunediff report: {_title(run)}"),
        "HEADING": _heading(run, view),
        "CHANGES": changes_html(view),
        "TIMELINE": timeline_html(view),
        "HEADER": _header(run, view),
        "SUMMARY": summary_html(view),
        "RATINGS": ratings_html(ratings, view) if ratings else "",
        "FILTERS": filters_html(view, len(cards)),
        "CARDS": "\n".join(render_card(c, view.base) for c in cards),
        "FILTERSJS": FILTERS_JS.read_text(encoding="utf-8"),
    }
    template = TEMPLATE.read_text(encoding="utf-8")
    # One pass over the template's own markers: inserted text is never searched again.
    return re.sub(r"<!--@([A-Z]+)-->", lambda m: parts[m.group(1)], template)


def _title(run: RunDir) -> str:
    return run.manifest.suite.name or run.path.name


# ---------------------------------------------------------------------------- header


def _heading(run: RunDir, view: RunView) -> str:
    return (f"<h1>{escape(_title(run))}</h1>"
            f'<p class="sub">what the fine-tune changed: {len(view.variants)} variants, '
            f"{len({r.id for r in view.records})} prompts, {len(view.records)} outputs "
            '(<a href="#run">run details</a> below the outputs)</p>')


def changes_html(view: RunView) -> str:
    """The opening sentences (views/changes.py) as a list; text escaped."""
    items = "".join(f'<li class="{attr(s.kind)}">{escape(s.text)}</li>' for s in what_changed(view, headline(view)))
    return f'<h2 id="changes">What changed</h2><ul class="changes">{items}</ul>' if items else ""


def _header(run: RunDir, view: RunView) -> str:
    """The run's metadata (paths, hashes, versions, settings): below the outputs."""
    m = run.manifest
    general = {
        "run": str(run.path), "status": m.status, "review set": m.suite.path,
        "set sha256": m.suite.sha256[:16] or None, "prompts": m.suite.n_prompts or None,
        "backend": m.backend, "base": m.base,
        "base model": m.base_model.model_dump(exclude_none=True) if m.base_model else None,
        "eos token ids": m.eos_token_ids, "system prompt": m.suite.system,
        "started": m.timings.started, "finished": m.timings.finished,
    }
    html = ['<h2 id="run">Run details</h2>', '<div class="meta-grid">', _kv_table(general),
            _kv_table(m.versions, "library versions"), "</div>"]
    entries = [v.model_dump(mode="json", exclude_none=True) for v in m.variants]
    html.append(_variants_table(entries or [{"name": v} for v in view.variants]))
    html.append(_settings_table([s.model_dump() for s in m.settings]))
    template = m.chat_template
    if template:
        html.append('<details class="noprint"><summary>chat template</summary>'
                    f'<pre class="mono">{escape(str(template))}</pre></details>')
    return "\n".join(html)


def _kv_table(data: dict[str, Any], caption: str = "") -> str:
    rows = [f"<tr><th>{escape(str(k))}</th><td>{escape(_fmt(v))}</td></tr>" for k, v in data.items()
            if v not in (None, "", [], {})]
    if not rows:
        return ""
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table class="kv">{cap}{"".join(rows)}</table>'


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_fmt(v)}" for k, v in value.items())
    return str(value)


def _variants_table(variants: Sequence[dict[str, Any]]) -> str:
    """Name, kind, path first, then whatever else the backend recorded (hashes, adapter config)."""
    extra = list(dict.fromkeys(k for v in variants for k in v if k not in ("name", "kind", "path")))
    cols = ["name", "kind", "path", *extra]
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    rows = "".join("<tr>" + "".join(f"<td>{escape(_fmt(v.get(c, '')))}</td>" for c in cols) + "</tr>" for v in variants)
    return f"<h3>Variants</h3><table><tr>{head}</tr>{rows}</table>"


def _settings_table(settings: Sequence[dict[str, Any]]) -> str:
    if not settings:
        return ""
    cols = list(dict.fromkeys(k for s in settings for k in s))
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    rows = "".join("<tr>" + "".join(f"<td>{escape(_fmt(s.get(c, '')))}</td>" for c in cols) + "</tr>" for s in settings)
    return f"<h3>Generation settings (identical for every variant)</h3><table><tr>{head}</tr>{rows}</table>"


# ---------------------------------------------------------------------------- summary


def summary_html(view: RunView) -> str:
    html = ['<h2 id="summary">Flags: base vs fine-tune</h2>']
    if not view.findings and not view.run_level:
        html.append('<p class="sub">No flag fired on any output.</p>')
    names = ["any", *view.flags]
    colours = variant_colours(view.variants)
    by_cat = {c: _rates(per) for c, per in view.counts("category").items()}
    overall = by_cat.pop(ALL, {})
    variants = [v for v in view.variants if v in overall]
    charts = [grouped_bars("Outputs with each flag",
                           [(n, [(v, overall[v].get(n, 0.0)) for v in variants]) for n in names[:CHART_FLAGS]],
                           colours),
              grouped_bars("Outputs with any flag, by category",
                           [(c, [(v, by_cat[c].get(v, {}).get("any", 0.0)) for v in variants]) for c in by_cat],
                           colours)]
    table = _rates_table(names, variants, overall, "all outputs")
    html.append(f'<div class="charts">{table}{"".join(charts)}</div>')
    tables = "".join(_rates_table(names, variants, r, cat) for cat, r in by_cat.items())
    html.append(f'<h3>By category</h3><div class="tables">{tables}</div>')
    html.append(_kept_table(view))
    if len(view.settings) > 1:
        html.append(_sweep_grid(view, variants))
    if view.run_level:
        items = "".join(f"<li><b>{escape(f.variant)}</b> <code>{escape(f.flag)}</code>: {escape(f.message)}</li>"
                        for f in view.run_level)
        html.append(f'<h3>Across a variant\'s outputs</h3><ul class="notes">{items}</ul>')
    return "\n".join(html)


def _rates(per_variant: dict[str, FlagCounts]) -> dict[str, dict[str, float]]:
    return {v: {"any": c.rate(), **{f: c.rate(f) for f in c.counts}} for v, c in per_variant.items()}


def _kept_table(view: RunView) -> str:
    """Reference answers kept per category and variant (k/n, exact 95% interval), and the
    prompts the base answered and a fine-tune no longer does."""
    kept = view.reference_kept()
    if not kept:
        return ""
    variants = [v for v in view.variants if any(v in per for per in kept.values())]
    head = "".join(f'<th class="num">{escape(v)}</th>' for v in variants)
    rows = []
    for cat, per in kept.items():
        base = per.get(view.base)
        cells = []
        for v in variants:
            s = per.get(v)
            worse = s is not None and base is not None and v != view.base and (s.rate or 0) < (base.rate or 0)
            cls = ' class="num delta-up"' if worse else ' class="num"'
            cells.append(f"<td{cls}>{escape(s.text()) if s else ''}</td>")
        rows.append(f"<tr><th>{escape(cat)}</th>{''.join(cells)}</tr>")
    html = ['<h3 id="kept">Reference answers kept</h3>',
            f"<table><tr><th>category</th>{head}</tr>{''.join(rows)}</table>",
            '<p class="sub">k/n: outputs whose prompt has a short reference answer and that still give it '
            "(no <code>wrong_answer</code>); in brackets the exact (Clopper-Pearson) 95% interval.</p>"]
    lost = view.forgotten()
    if lost:
        items = "".join(f"<li><b>{escape(f.id)}</b> {escape(f.variant)}: expected <q>{escape(f.reference)}</q>; "
                        f"said <q>{escape(_clip(f.text))}</q> (base: <q>{escape(_clip(f.base_text))}</q>)</li>"
                        for f in lost)
        html.append(f'<h3 id="forgotten">Forgotten knowledge: the base was right, the fine-tune is not</h3>'
                    f'<ul class="notes">{items}</ul>')
    return "".join(html)


def _clip(text: str, limit: int = 120) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[:limit - 1] + "…"


def _rates_table(names: Sequence[str], variants: Sequence[str], rates: dict[str, dict[str, float]],
                 caption: str) -> str:
    reference = variants[0] if variants else ""
    head = "".join(f'<th class="num">{escape(v)}</th>' for v in variants)
    rows = []
    for name in names:
        if not any(rates.get(v, {}).get(name) for v in variants) and name != "any":
            continue
        cells = []
        for v in variants:
            value = rates.get(v, {}).get(name, 0.0)
            cell = f"{value:.0%}"
            if v != reference:
                delta = round(100 * (value - rates.get(reference, {}).get(name, 0.0)))
                if delta:
                    cls = "delta-up" if delta > 0 else "delta-down"
                    cell += f' <span class="{cls}">({delta:+d})</span>'
            cells.append(f'<td class="num">{cell}</td>')
        rows.append(f"<tr><th>{escape(name)}</th>{''.join(cells)}</tr>")
    return f"<table><caption>{escape(caption)}</caption><tr><th>flag</th>{head}</tr>{''.join(rows)}</table>"


def _sweep_grid(view: RunView, variants: Sequence[str]) -> str:
    """Settings x variant: a settings problem shows as a row, a weights problem as a column."""
    by_setting = {g: _rates(per) for g, per in view.counts("setting").items()}
    head = "".join(f'<th class="num">{escape(v)}</th>' for v in variants)
    rows = []
    for setting, rates in by_setting.items():
        cells = []
        for v in variants:
            r = rates.get(v, {})
            top = ", ".join(f"{n} {r[n]:.0%}" for n in view.flags if r.get(n))[:80]
            cells.append(f'<td class="num">{r.get("any", 0.0):.0%}<br><span class="diffstat">{escape(top)}</span></td>')
        rows.append(f"<tr><th>{escape(setting)}</th>{''.join(cells)}</tr>")
    return (f'<h3 id="sweep">Settings grid: outputs with any flag</h3><table><tr><th>setting</th>{head}</tr>'
            f"{''.join(rows)}</table>")


# ---------------------------------------------------------------------------- ratings


def ratings_html(ratings: Sequence[Any], view: RunView) -> str:
    records, order = view.records, view.variants
    categories = {r.id: category_of(r) for r in records}
    html = [f'<h2 id="ratings">Blind review: {len(ratings)} ratings by '
            f'{escape(", ".join(sorted({r.rater for r in ratings})))}</h2>']
    cards = {(r.id, r.setting, r.sample): i for i, r in enumerate(_card_keys(records))}
    for ps in pair_stats(ratings, categories, order):
        rows = []
        for name, t in [*ps.by_category.items(), ("overall", ps.overall)]:
            lo, hi = t.ci
            rate = "n/a" if t.win_rate is None else f"{t.win_rate:.0%}"
            ci = "n/a" if not t.decisive else f"{lo:.0%} – {hi:.0%}"
            rows.append(f"<tr><th>{escape(name)}</th>" + "".join(f'<td class="num">{x}</td>' for x in (
                t.total, t.win, t.tie, t.loss, t.both_bad, rate, ci, f"{t.p_value:.3g}")) + "</tr>")
        head = "".join(f'<th class="num">{h}</th>' for h in ("n", "win", "tie", "loss", "both bad", "win rate",
                                                              "95% CI (exact)", "sign test p"))
        html.append(f"<h3>{escape(ps.candidate)} vs {escape(ps.reference)}</h3>"
                    f"<table><tr><th>category</th>{head}</tr>{''.join(rows)}</table>"
                    '<p class="sub">Win rate = wins / (wins + losses), Clopper-Pearson interval; ties and both-bad '
                    "are excluded from the win rate and the two-sided sign test.</p>")
        for who, kappa in ps.kappa.items():
            html.append(f'<p class="sub">Cohen\'s kappa, {escape(who)}: '
                        f"{'undefined' if kappa is None else f'{kappa:.2f}'}</p>")
        if ps.lost:
            links = ", ".join(_lost_link(x, cards) for x in ps.lost)
            html.append(f"<p>{escape(ps.candidate)} lost: {links}</p>")
    return "\n".join(html)


def _card_keys(records: Sequence[GenerationRecord]) -> list[GenerationRecord]:
    seen: dict[tuple[str, str, int], GenerationRecord] = {}
    for r in records:
        seen.setdefault((r.id, r.setting, r.sample), r)
    return list(seen.values())


def _lost_link(item: dict[str, Any], cards: dict[tuple[str, str, int], int]) -> str:
    index = cards.get((item["id"], item["setting"], item["sample"]))
    label = escape(f"{item['id']} ({item['rater']})")
    return f'<a href="#card-{index}">{label}</a>' if index is not None else label


# ---------------------------------------------------------------------------- filters


def filters_html(view: RunView, n_cards: int) -> str:
    cats = [c for c in view.categories if c != MISSING_CATEGORY]
    settings = view.settings
    opts = "".join(f'<option value="{attr(c)}">{escape(c)}</option>' for c in cats)
    flag_opts = "".join(f'<option value="{attr(n)}">{escape(n)}</option>' for n in view.flags)
    html = ['<div class="filters" role="search">',
            f'<label>category <select id="f-category"><option value="">all</option>{opts}</select></label>',
            '<label>flag <select id="f-flag"><option value="">all outputs</option>'
            '<option value="__any__">any flag</option><option value="__none__">no flag</option>'
            f'<option value="__gained__">flag gained vs base</option>{flag_opts}</select></label>']
    if len(settings) > 1:
        s_opts = "".join(f'<option value="{attr(s)}">{escape(s)}</option>' for s in settings)
        html.append(f'<label>setting <select id="f-setting"><option value="">all</option>{s_opts}</select></label>')
    html += ['<label><input type="checkbox" id="f-changed"> changed only</label>',
             '<label><input type="checkbox" id="f-diff" checked> highlight diff</label>',
             f'<span id="shown">{n_cards} of {n_cards} shown</span></div>']
    return "".join(html)
