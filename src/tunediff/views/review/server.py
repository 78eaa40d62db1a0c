"""The review app over HTTP: stdlib ThreadingHTTPServer, one HTML page and a small JSON API.

GET /                    the page (inline CSS/JS, allowed by a per-response CSP nonce)
GET /api/items?rater=R   the rater's items with A/B texts; names only for rated items
POST /api/rate           {rater, key, choice, tags, note}; 4xx and nothing stored on bad input

Bound to 127.0.0.1 by default. On a loopback address, requests whose Host header is not a
loopback name are refused, so a web page elsewhere cannot reach the app through DNS rebinding;
POST needs `Content-Type: application/json`, which a cross-site form cannot send.
"""

from __future__ import annotations

import errno
import json
import secrets
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ...errors import UserError
from .app import ApiError, ReviewApp

MAX_BODY = 64 * 1024
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1"}


def script_safe_json(data: Any) -> str:
    """JSON that can sit inside a <script> element: no `</script>`, `<!--` or line separators."""
    text = json.dumps(data, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def render_page(app: ReviewApp, nonce: str) -> str:
    template = resources.files(__package__).joinpath("page.html").read_text(encoding="utf-8")
    return template.replace("__NONCE__", nonce).replace("__CONFIG__", script_safe_json(app.config()))


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # a port in use must fail, not be shared

    def __init__(self, app: ReviewApp, host: str, port: int):
        self.app = app
        self.loopback = host in LOOPBACK_NAMES
        super().__init__((host, port), ReviewHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if isinstance(host, bytes):  # socketserver's type allows it; an AF_INET server gives str
            host = host.decode()
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "tunediff-review"

    def version_string(self) -> str:
        return self.server_version  # no Python version in the Server header

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the terminal shows the URL and errors, not one line per request

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path == "/":
            nonce = secrets.token_urlsafe(16)
            self._send(200, render_page(self.server.app, nonce).encode("utf-8"), "text/html; charset=utf-8", nonce)
        elif url.path == "/api/items":
            rater = parse_qs(url.query).get("rater", [None])[0]
            self._api(lambda: self.server.app.items_for(rater))
        elif url.path == "/favicon.ico":
            self._send(204, b"", "text/plain")
        else:
            self._json(404, {"error": f"no such page: {url.path}"})

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        if not self._host_ok():
            return
        if urlsplit(self.path).path != "/api/rate":
            self._json(404, {"error": "no such endpoint"})
            return
        body = self._read_json()
        if body is not None:
            self._api(lambda: self.server.app.rate(body[0]))

    def _read_json(self) -> tuple[Any] | None:
        """The parsed body in a 1-tuple, or None after sending the 4xx that explains why not."""
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            self._json(415, {"error": "send the rating as Content-Type: application/json"})
            return None
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._json(411, {"error": "Content-Length is required"})
            return None
        if length < 0 or length > MAX_BODY:
            self.close_connection = True  # the unread body must not be parsed as the next request
            self._json(413, {"error": f"request body over {MAX_BODY} bytes"})
            return None
        try:
            return (json.loads(self.rfile.read(length).decode("utf-8")),)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._json(400, {"error": f"body is not valid JSON ({exc})"})
            return None

    def _api(self, call: Any) -> None:
        try:
            self._json(200, call())
        except ApiError as exc:
            self._json(exc.status, {"error": exc.message})
        except UserError as exc:
            self._json(500, {"error": str(exc)})

    def _host_ok(self) -> bool:
        if not self.server.loopback:
            return True
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name in LOOPBACK_NAMES:
            return True
        self._json(403, {"error": f"Host '{host}' refused; open the app at {self.server.url}"})
        return False

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, ctype: str, nonce: str | None = None) -> None:
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", _csp(nonce))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _csp(nonce: str | None) -> str:
    inline = f"'nonce-{nonce}'" if nonce else "'none'"
    return (f"default-src 'none'; script-src {inline}; style-src {inline}; connect-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def make_server(app: ReviewApp, host: str = "127.0.0.1", port: int = 0) -> ReviewServer:
    """Bind (port 0 picks a free port); a port in use or a bad address is a one-line UserError."""
    try:
        return ReviewServer(app, host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError(f"port {port} on {host} is in use; pick another with --port, or --port 0 for any "
                            "free port") from None
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); check --host and --port") from None


def serve(app: ReviewApp, host: str, port: int, open_browser: bool) -> None:
    """Serve until Ctrl-C; prints the URL (with the rater, when given) to stderr."""
    server = make_server(app, host, port)
    try:  # from here on Ctrl-C, even before serve_forever starts, ends cleanly
        url = server.url
        if app.default_rater:
            from urllib.parse import quote

            url += f"?rater={quote(app.default_rater)}"
        print(f"review: {len(app.items)} items, {app.pair[0]} vs {app.pair[1]}, at {url} (Ctrl-C to stop)",
              file=sys.stderr, flush=True)
        if open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        server.serve_forever()
    except KeyboardInterrupt:
        print(f"review stopped; ratings are in {app.run.path / 'ratings.sqlite'}", file=sys.stderr)
    finally:
        server.server_close()
        app.close()
