"""The review page in a real headless Chromium, driven by the keyboard like a rater would."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

try:
    from .conftest_review import XSS, db_rows, live_server, make_review_run, texts
except ImportError:  # tests/views is not a package
    from conftest_review import XSS, db_rows, live_server, make_review_run, texts

pytestmark = pytest.mark.browser

PRESSED = ["1", "2", "3", "4", "b"]  # A better, B better, tie, both bad, B better (letter alias)
CHOICE = {"1": "a", "2": "b", "3": "tie", "4": "both_bad", "b": "b"}


@pytest.fixture(scope="module")
def browser(chromium: Browser) -> Browser:
    """The shared module-scoped Chromium of tests/views/conftest.py."""
    return chromium


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == []  # no script error and no CSP violation on the page


@contextmanager
def serving(page: Page, run_dir: Path, **app_kwargs: Any) -> Iterator[str]:
    """`live_server`, and no request of the page in flight when it stops: a request reset by
    the stopping server is logged as a console error (net::ERR_CONNECTION_RESET), which the
    `page` fixture would count against the page."""
    with live_server(run_dir, **app_kwargs) as url:
        yield url
        page.wait_for_load_state("networkidle")


def _open(page: Page, url: str, rater: str) -> None:
    page.goto(f"{url}?rater={rater}")
    expect(page.locator("#prompt")).not_to_have_text("")


def test_keyboard_rating_persists_and_resumes(page: Page, tmp_path: Path) -> None:
    run_dir = make_review_run(tmp_path, n=20)
    out = texts(run_dir)
    shown: dict[str, str] = {}
    with serving(page, run_dir) as url:
        _open(page, url, "alice")
        for i, key in enumerate(PRESSED):
            expect(page.locator("#pos")).to_have_text(f"{i + 1} of 20")
            pid = page.locator("#item-id").inner_text()
            expect(page.locator("#name-a")).to_have_text("")  # blind before rating
            shown[pid] = page.locator("#text-a").inner_text()
            page.keyboard.press(key)
            expect(page.locator("#name-a")).to_have_text(
                f"= {'base' if out[(pid, 'base')] == shown[pid] else 'tuned'}")
            expect(page.locator("#progress")).to_have_text(f"{i + 1} / 20")
            page.keyboard.press("n" if i % 2 else "ArrowRight")

        page.reload()
        expect(page.locator("#progress")).to_have_text("5 / 20")
        expect(page.locator("#pos")).to_have_text("6 of 20")
        expect(page.locator("#item-id")).to_have_text("p06")
        expect(page.locator("#name-a")).to_have_text("")
        page.keyboard.press("p")
        expect(page.locator("#item-id")).to_have_text("p05")
        expect(page.locator('button.choice[data-choice="b"]')).to_have_attribute("aria-pressed", "true")

    rows = db_rows(run_dir, "SELECT r.prompt_id, r.choice, r.winner, a.variant_a, a.variant_b FROM ratings r "
                            "JOIN assignments a USING (rater, prompt_id, setting, sample, variant_a, variant_b) "
                            "WHERE r.rater = 'alice' ORDER BY r.prompt_id")
    assert [r[0] for r in rows] == ["p01", "p02", "p03", "p04", "p05"]
    for (pid, choice, winner, var_a, var_b), key in zip(rows, PRESSED, strict=True):
        assert choice == CHOICE[key]
        assert out[(pid, var_a)] == shown[pid]  # the recorded mapping is what the rater saw on the left
        assert winner == {"a": var_a, "b": var_b}.get(choice)
    sides = db_rows(run_dir, "SELECT variant_a FROM assignments WHERE rater = 'alice'")
    assert len(sides) == 20 and {s[0] for s in sides} == {"base", "tuned"}
    _check_stats(run_dir, rows)


def _check_stats(run_dir: Path, rows: list[tuple]) -> None:
    """`tunediff stats --json` counts exactly what was pressed, from tuned's point of view."""
    (run_dir / "flags.jsonl").write_text("")  # flagged with no findings: this checks rating counts only
    result = subprocess.run([sys.executable, "-m", "tunediff", "stats", str(run_dir), "--json"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    outcome = {pid: choice if choice in ("tie", "both_bad") else ("win" if winner == "tuned" else "loss")
               for pid, choice, winner, _, _ in rows}
    category = {"p01": "standard", "p02": "edge", "p03": "ood", "p04": "standard", "p05": "edge"}
    (pair,) = data["pairs"]
    assert (data["n_ratings"], pair["reference"], pair["candidate"]) == (5, "base", "tuned")
    for name, tally in [("overall", pair["overall"]), *pair["by_category"].items()]:
        want = Counter(o for pid, o in outcome.items() if name in ("overall", category[pid]))
        assert {k: tally[k] for k in ("win", "tie", "loss", "both_bad")} == \
            {k: want[k] for k in ("win", "tie", "loss", "both_bad")}, name
    assert sorted(pair["by_category"]) == ["edge", "ood", "standard"]


def test_two_raters_have_independent_progress_and_sides(browser: Browser, tmp_path: Path) -> None:
    run_dir = make_review_run(tmp_path, n=20)
    with live_server(run_dir) as url:  # its pages close before the server stops
        pages = {}
        for rater in ("ann", "bob"):
            pages[rater] = browser.new_context().new_page()
            _open(pages[rater], url, rater)
        for _ in range(3):
            pages["ann"].keyboard.press("3")
            expect(pages["ann"].locator("#status")).to_contain_text("rated")
            pages["ann"].keyboard.press("n")
        pages["bob"].keyboard.press("4")
        expect(pages["bob"].locator("#progress")).to_have_text("1 / 20")
        expect(pages["ann"].locator("#progress")).to_have_text("3 / 20")
        for rater, done in (("ann", 3), ("bob", 1)):
            pages[rater].reload()
            expect(pages[rater].locator("#pos")).to_have_text(f"{done + 1} of 20")
        for p in pages.values():
            p.context.close()
    ann = db_rows(run_dir, "SELECT prompt_id, variant_a FROM assignments WHERE rater = 'ann' ORDER BY prompt_id")
    bob = db_rows(run_dir, "SELECT prompt_id, variant_a FROM assignments WHERE rater = 'bob' ORDER BY prompt_id")
    assert len(ann) == len(bob) == 20 and ann != bob


def test_the_page_asks_for_a_name(page: Page, tmp_path: Path) -> None:
    run_dir = make_review_run(tmp_path, n=3)
    with serving(page, run_dir) as url:
        page.goto(url)
        expect(page.locator("#who")).to_be_visible()
        page.locator("#who-name").fill("zoe")
        page.keyboard.press("Enter")
        expect(page.locator("#rater")).to_have_text("zoe")
        expect(page.locator("#progress")).to_have_text("0 / 3")


def test_hostile_text_is_shown_as_text_and_runs_nothing(page: Page, tmp_path: Path) -> None:
    run_dir = make_review_run(tmp_path, n=4, xss=True)
    out = texts(run_dir)
    with serving(page, run_dir, rater="<img src=x onerror=window.__xss=1>") as url:
        page.goto(url)  # the rater name comes from --rater, embedded in the page's JSON config
        expect(page.locator("#prompt")).not_to_have_text("")
        expect(page.locator("#rater")).to_have_text("<img src=x onerror=window.__xss=1>")
        for i in range(4):
            pid = f"p{i + 1:02d}"
            expect(page.locator("#item-id")).to_have_text(pid)
            expect(page.locator("#prompt")).to_have_text(f"{XSS[i % 4]} prompt {i + 1}")
            both = {page.locator("#text-a").inner_text(), page.locator("#text-b").inner_text()}
            assert both == {out[(pid, "base")], out[(pid, "tuned")]}
            page.keyboard.press("1")
            expect(page.locator("#name-a")).not_to_have_text("")
            page.keyboard.press("n")
        page.locator("#note").fill("</textarea><script>window.__xss=1</script>")
        page.keyboard.press("Escape")
        page.keyboard.press("p")
        page.keyboard.press("n")
        expect(page.locator("#note")).to_have_value("</textarea><script>window.__xss=1</script>")
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("main img, main script").count() == 0
        assert "49" not in page.locator("main").inner_text()  # {{7*7}} is not evaluated by any template
        assert "{{7*7}}" in page.locator("main").inner_text()
