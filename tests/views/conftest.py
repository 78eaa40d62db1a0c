"""Fixtures for the report, stats and export tests, and a headless Chromium (Debian's, never
a downloaded one) shared by the browser tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from report_helpers import CHROMIUM_ARGS


# Module scope, not session: Playwright's sync API allows one running instance per thread, and
# other browser test modules start their own.
@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()
