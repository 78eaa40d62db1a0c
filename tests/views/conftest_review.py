"""Helpers for the review app tests: run directories made with the fake backend, a live server.

Imported by tests/views/test_review*.py (kept apart from tests/views/conftest.py on purpose).
XSS and CHROMIUM_ARGS live in report_helpers.py, the one place for them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from tunediff.run import run as tunediff_run
from tunediff.views.review import ReviewApp, make_server

try:
    from .report_helpers import XSS
except ImportError:  # tests/views is not a package
    from report_helpers import XSS


def make_review_run(tmp: Path, n: int = 20, xss: bool = False, name: str = "run",
                    adapters: tuple[str, ...] = ("tuned=x",)) -> Path:
    """A run of `n` prompts, variants base and tuned, whose texts never contain a variant name
    (a blind review must not give the sides away), with no findings: report_helpers.make_run
    makes the flagged runs the report tests read."""
    cats = ["standard", "edge", "ood"]
    prompts, replies = [], {}
    for i in range(n):
        pid = f"p{i + 1:02d}"
        text = f"Question number {i + 1}: summarise item {i + 1}."
        if xss:
            text = f"{XSS[i % len(XSS)]} prompt {i + 1}"
        prompts.append({"id": pid, "category": cats[i % 3], "prompt": text})
        left = f"First answer to question {i + 1}."
        right = f"Second answer to question {i + 1}, longer and different."
        if xss:
            left, right = f"{XSS[(i + 1) % len(XSS)]} left {i + 1}", f"{XSS[(i + 2) % len(XSS)]} right {i + 1}"
        replies[(pid, "base")], replies[(pid, "tuned")] = left, right
    suite = tmp / f"{name}.yaml"
    suite.write_text(yaml.safe_dump({"name": f"{name} review", "prompts": prompts}, sort_keys=False))
    out = tmp / name
    tunediff_run(suite, backend="fake", adapters=list(adapters), out=out, flag=False, progress=False,
                 backend_options={"replies": replies})
    return out


def texts(run_dir: Path) -> dict[tuple[str, str], str]:
    """(prompt id, variant) -> text, read back from generations.jsonl."""
    out = {}
    for line in (run_dir / "generations.jsonl").read_text().splitlines():
        rec = json.loads(line)
        out[(rec["id"], rec["variant"])] = rec["text"]
    return out


@contextmanager
def live_server(run_dir: Path, **app_kwargs: Any) -> Iterator[str]:
    """Serve the review app on a free loopback port in a thread; yields its base URL."""
    app = ReviewApp(run_dir, **app_kwargs)
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        app.close()
        thread.join(5)


def call(url: str, body: Any = None, headers: dict[str, str] | None = None,
         raw: bytes | None = None) -> tuple[int, Any, dict[str, str]]:
    """GET (or POST JSON when body/raw is given); returns (status, parsed JSON or text, headers)."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    hdrs = {"Content-Type": "application/json"} if data is not None else {}
    hdrs.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=hdrs, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, payload, h = resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        status, payload, h = exc.code, exc.read(), dict(exc.headers)
    try:
        return status, json.loads(payload), h
    except ValueError:
        return status, payload.decode("utf-8", "replace"), h


def db_rows(run_dir: Path, sql: str, *args: Any) -> list[tuple]:
    conn = sqlite3.connect(run_dir / "ratings.sqlite")
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()
