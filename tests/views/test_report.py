"""The HTML report: structure, escaping of hostile text, offline-only, size, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_helpers import XSS, make_run, rate

from tunediff.cli import main
from tunediff.records import FLAGS, GENERATIONS, MANIFEST
from tunediff.rundir import RunDir
from tunediff.views.report import build_report, write_report

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "p", "div", "span",
                "table", "caption", "tr", "th", "td", "pre", "code", "details", "summary", "article", "header",
                "section", "mark", "ins", "del", "label", "select", "option", "input", "svg", "text", "rect", "line",
                "ul", "li", "b", "a", "script"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


def test_report_has_header_summary_and_one_card_per_output_group(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=9, variants=("tuned", "epoch1"))
    html = write_report(run).read_text(encoding="utf-8")
    assert (run / "report.html").is_file()
    tags = parse(html)
    cards = [a for t, a in tags.tags if t == "article"]
    assert len(cards) == 9
    assert [c["data-category"] for c in cards[:3]] == ["standard", "edge", "ood"]
    # p00 is standard and even: tuned writes a User: turn and hits the limit.
    assert cards[0]["data-flags"] == "next_turn no_stop" and cards[0]["data-changed"] == "1"
    assert cards[0]["data-gained"] == "next_turn no_stop"
    text = "".join(tags.text)
    for needle in ("/adapters/tuned", "library versions", "pydantic", "max_new_tokens", "Outputs with each flag"):
        assert needle in text
    marks = [a for t, a in tags.tags if t == "mark"]
    assert any(a["title"] == 'next_turn: writes the next "User:" turn' and a["tabindex"] == "0" for a in marks)
    assert "<ins>" in html
    assert sum(1 for t, _ in tags.tags if t == "svg") == 2


def test_hostile_text_is_escaped_everywhere(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=8, xss=True)
    manifest = json.loads((run / MANIFEST).read_text(encoding="utf-8"))
    manifest["suite"]["name"] = XSS[0]
    manifest["variants"][1]["path"] = XSS[1]
    manifest["versions"]["evil"] = XSS[2]
    (run / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    html = build_report(RunDir.open(run))
    assert f"<title>tunediff report: {XSS[0].replace('<', '&lt;').replace('>', '&gt;')}</title>" in html
    tags = parse(html)
    names = {t for t, _ in tags.tags}
    assert names <= ALLOWED_TAGS, names - ALLOWED_TAGS
    assert [t for t, _ in tags.tags].count("script") == 1  # the report's own filter script
    assert "img" not in names and "textarea" not in names
    assert not [k for _, a in tags.tags for k in a if k.startswith("on")]
    text = "".join(tags.text)
    for payload in XSS:
        assert payload in text  # shown as text, prompt and output both
    # Shown as written: a template engine would have turned it into 49. (Not "49 not in the text":
    # timings and hashes in the page contain 49 now and then.)
    assert "{{7*7}}" in text
    # Flag messages with markup are escaped inside attributes too.
    assert 'title="special_tokens: markup &lt;b&gt;leak&lt;/b&gt; &quot; &#x27;"' in html


def test_report_makes_no_network_reference(tmp_path: Path) -> None:
    html = build_report(RunDir.open(make_run(tmp_path, n=6)))
    assert "default-src 'none'" in html
    tags = parse(html)
    for tag, attrs in tags.tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            assert value is None or value.startswith("#"), (tag, key, value)
    assert "@import" not in html and "url(" not in html


def test_report_size_50_prompts_3_variants(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=50, variants=("tuned", "epoch1"))
    # Long outputs like a 256-token ramble, so the size check is not flattered by short texts.
    lines = []
    for _, obj in __import__("tunediff.records", fromlist=["read_jsonl"]).read_jsonl(run / GENERATIONS):
        obj["text"] = (obj["text"] + " ") * 12
        lines.append(json.dumps(obj) + "\n")
    (run / GENERATIONS).write_text("".join(lines), encoding="utf-8")
    size = write_report(run).stat().st_size
    assert 100_000 < size < 3_000_000


def test_sweep_grid_and_ratings_section(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=6, sweep=("temperature=0.2,0.8",))
    rate(run, [("alice", "p00", "tuned"), ("alice", "p01", "base"), ("bob", "p00", "tuned")], setting="temperature=0.8")
    html = build_report(RunDir.open(run))
    text = "".join(parse(html).text)
    assert "Settings grid" in text and "temperature=0.2" in text and "temperature=0.8" in text
    assert 'id="f-setting"' in html
    assert "Blind review: 3 ratings by alice, bob" in text
    assert "tuned vs base" in text and "95% CI (exact)" in text
    assert "alice: base better (base vs tuned)" in text


def test_tolerates_a_bare_manifest(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=3)
    (run / MANIFEST).write_text("{}", encoding="utf-8")
    html = build_report(RunDir.open(run))
    assert html.count("<article") == 3


def test_report_cli(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=3)
    out = tmp_path / "sub" / "r.html"
    result = CliRunner().invoke(main, ["report", str(run), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and result.output.strip() == str(out)
    bad = CliRunner().invoke(main, ["report", str(tmp_path / "nope")])
    assert bad.exit_code == 2 and bad.output.startswith("error: ") and bad.output.count("\n") == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = CliRunner().invoke(main, ["report", str(empty)])
    assert bad.exit_code == 2 and "no generations" in bad.output


def test_report_computes_flags_when_flags_jsonl_is_missing(tmp_path: Path) -> None:
    run = make_run(tmp_path, n=6)
    (run / FLAGS).unlink()
    html = build_report(RunDir.open(run))
    # The real detectors see the fake "length" finish and the "User:" turn.
    flags = [a["data-flags"] for t, a in parse(html).tags if t == "article"]
    assert "no_stop" in flags[0]


def test_views_do_not_import_torch() -> None:
    code = ("import sys, tunediff.views.report, tunediff.views.export, tunediff.stats, tunediff.cli; "
            "print(sorted(m for m in ('torch', 'transformers', 'peft', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("variants", [("tuned",), ("a", "b", "c")])
def test_cards_show_every_variant_side_by_side(tmp_path: Path, variants: tuple[str, ...]) -> None:
    html = build_report(RunDir.open(make_run(tmp_path, n=3, variants=variants)))
    assert html.count('class="col"') == 3 * (1 + len(variants))
    assert f'style="--n:{1 + len(variants)}"' in html
