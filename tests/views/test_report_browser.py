"""The report in a real headless Chromium (Debian's), opened from file:// with the network blocked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from report_helpers import XSS, make_run

from tunediff.views.report import write_report

pytestmark = pytest.mark.browser


def open_report(chromium: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    """A page on the report with every request other than the file itself aborted and recorded.

    Script errors and console errors (a CSP violation is one) land in `problems` with the dialogs."""
    url = path.resolve().as_uri()
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    requests: list[str] = []
    problems: list[str] = []

    def gate(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.on("request", lambda req: requests.append(req.url))
    page.on("dialog", lambda d: (problems.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, requests, problems


def visible_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all("article.card", "cs => cs.filter(c => !c.hidden).map(c => c.id)")


def test_opens_offline_and_shows_every_card(tmp_path: Path, chromium: Any) -> None:
    report = write_report(make_run(tmp_path, n=9, variants=("tuned", "epoch1")))
    page, requests, problems = open_report(chromium, report)
    assert requests == [report.resolve().as_uri()]
    assert page.locator("article.card").count() == 9
    assert len(visible_ids(page)) == 9
    assert all(page.locator("article.card").nth(i).is_visible() for i in range(9))
    assert page.locator("#shown").inner_text() == "9 of 9 shown"
    assert problems == []
    page.context.close()


def test_filters_hide_and_show_the_right_cards(tmp_path: Path, chromium: Any) -> None:
    run = make_run(tmp_path, n=12)
    page, _, problems = open_report(chromium, write_report(run))
    cats = page.eval_on_selector_all("article.card",
                                     "cs => Object.fromEntries(cs.map(c => [c.id, c.dataset.category]))")
    page.select_option("#f-category", "ood")
    assert visible_ids(page) == [cid for cid, cat in cats.items() if cat == "ood"]
    assert page.locator("#shown").inner_text() == "4 of 12 shown"
    assert not page.locator("#card-0").is_visible() and page.locator("#card-2").is_visible()
    page.select_option("#f-category", "")
    # The fixture's tuned variant rambles on even standard prompts (p00, p06, with a User: turn) and on p01.
    page.select_option("#f-flag", "next_turn")
    assert visible_ids(page) == ["card-0", "card-6"]
    page.select_option("#f-flag", "no_stop")
    flagged = visible_ids(page)
    assert flagged == ["card-0", "card-1", "card-6"]
    page.select_option("#f-category", "edge")
    assert visible_ids(page) == ["card-1"]
    page.select_option("#f-flag", "__none__")
    assert visible_ids(page) == ["card-4", "card-7", "card-10"]
    page.select_option("#f-category", "")
    page.select_option("#f-flag", "")
    assert len(visible_ids(page)) == 12
    page.select_option("#f-flag", "__gained__")
    assert visible_ids(page) == ["card-0", "card-1", "card-6"]
    assert problems == []
    page.context.close()


def test_changed_only_hides_identical_outputs(tmp_path: Path, chromium: Any) -> None:
    run = make_run(tmp_path, n=6, variants=("same",))
    page, _, _ = open_report(chromium, write_report(run))
    # `same` repeats base on non-standard prompts (see report_helpers._reply): only p00/p03 changed,
    # plus edge p01 which rambles.
    page.check("#f-changed")
    assert visible_ids(page) == ["card-0", "card-1", "card-3"]
    page.uncheck("#f-changed")
    assert len(visible_ids(page)) == 6
    page.context.close()


def test_hostile_text_is_shown_as_text_and_runs_nothing(tmp_path: Path, chromium: Any) -> None:
    report = write_report(make_run(tmp_path, n=8, xss=True))
    page, requests, problems = open_report(chromium, report)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert problems == []
    assert requests == [report.resolve().as_uri()]  # <img src=x> would have tried to load x
    body = page.locator("#cards").inner_text()
    for payload in XSS:
        assert payload in body
    assert page.locator("#cards img, #cards textarea, #cards script").count() == 0
    page.context.close()


def test_flag_message_shows_on_focus(tmp_path: Path, chromium: Any) -> None:
    page, _, problems = open_report(chromium, write_report(make_run(tmp_path, n=3)))
    mark = page.locator("#card-0 mark.flag").first
    assert page.locator("#tip").is_hidden()
    mark.focus()
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert tip.inner_text() == mark.get_attribute("data-tip")
    assert tip.inner_text().startswith(("next_turn: ", "no_stop: "))
    assert mark.get_attribute("title") is None  # the no-script fallback is dropped: one tooltip only
    box, mark_box = tip.bounding_box(), mark.bounding_box()
    assert abs(box["y"] - (mark_box["y"] + 4)) < 40  # next to the mark, not somewhere else
    mark.blur()
    assert tip.is_hidden()
    page.locator("#card-0 .badge").first.hover()
    assert tip.is_visible() and tip.inner_text()
    assert problems == []
    page.context.close()


def test_the_request_monitor_sees_network_loads(tmp_path: Path, chromium: Any) -> None:
    """Control: a page that does load something is caught, so the offline assertions can fail."""
    page_file = tmp_path / "leaky.html"
    page_file.write_text('<img src="http://example.invalid/x.png"><link rel="stylesheet" href="https://cdn.invalid/a.css">',
                         encoding="utf-8")
    page, requests, _ = open_report(chromium, page_file)
    assert "http://example.invalid/x.png" in requests and "https://cdn.invalid/a.css" in requests
    page.context.close()
