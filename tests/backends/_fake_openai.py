"""A tiny OpenAI-compatible server (stdlib only) with scripted faults, for fast backend tests.

Answers are deterministic: "<model> says: <last user message>". Knobs:
- `models`: the served ids; `list_models=False` makes /v1/models answer 404, as some servers do;
- `fail_first`: the first N chat/completion requests answer HTTP 500;
- `delay`: seconds each answer takes (so requests overlap);
- `mixup`: when another model's request is in flight, answer as that model (the adapter
  mix-up that some engines show under concurrent multi-LoRA batches);
- a user message containing LONG ends with finish_reason "length"; one containing STOP,
  with stop strings sent, ends at the first stop string (vLLM's `stop_reason`).

Run as a script (`python _fake_openai.py PORT [DELAY]`) to get a process a test can kill.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAI(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0, models: tuple[str, ...] = ("base", "tuned"), list_models: bool = True,
                 fail_first: int = 0, delay: float = 0.0, mixup: bool = False):
        super().__init__(("127.0.0.1", port), _Handler)
        self.models, self.list_models = list(models), list_models
        self.fail_first, self.delay, self.mixup = fail_first, delay, mixup
        self.lock = threading.Lock()
        self.log: list[dict[str, Any]] = []  # every completion request: body, start, end, status
        self.in_flight: dict[int, str] = {}
        self.count = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def answer(self, body: dict[str, Any], chat: bool) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.count += 1
            if self.count <= self.fail_first:
                return 500, {"error": {"message": "scripted failure"}}
            me = threading.get_ident()
            self.in_flight[me] = body["model"]
        try:
            time.sleep(self.delay)
            with self.lock:
                others = [m for t, m in self.in_flight.items() if t != me and m != body["model"]]
            if body["model"] not in self.models:
                return 404, {"error": {"message": f"The model `{body['model']}` does not exist.", "code": 404}}
            model = others[0] if self.mixup and others else body["model"]
            user = body["messages"][-1]["content"] if chat else body["prompt"]
            text, finish, stop_reason = f"{model} says: {user}", "stop", None
            if "LONG" in user:
                finish = "length"
            elif "STOP" in user and body.get("stop"):
                stop_reason = body["stop"][0]
            choice: dict[str, Any] = {"index": 0, "finish_reason": finish, "stop_reason": stop_reason}
            choice.update({"message": {"role": "assistant", "content": text}} if chat else {"text": text})
            usage = {"prompt_tokens": len(user.split()), "completion_tokens": len(text.split())}
            return 200, {"object": "chat.completion", "model": model, "choices": [choice], "usage": usage}
        finally:
            with self.lock:
                self.in_flight.pop(me, None)


class _Handler(BaseHTTPRequestHandler):
    server: FakeOpenAI

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, data: dict[str, Any]) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        if self.path == "/v1/models" and self.server.list_models:
            self._send(200, {"object": "list", "data": [{"id": m, "object": "model", "root": "fake-root"}
                                                       for m in self.server.models]})
        else:
            self._send(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        chat = self.path == "/v1/chat/completions"
        if not chat and self.path != "/v1/completions":
            return self._send(404, {"error": {"message": "not found"}})
        start = time.monotonic()
        status, data = self.server.answer(body, chat)
        with self.server.lock:
            self.server.log.append({"path": self.path, "body": body, "start": start, "end": time.monotonic(),
                                    "status": status})
        self._send(status, data)


if __name__ == "__main__":
    server = FakeOpenAI(int(sys.argv[1]), delay=float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)
    print("ready", flush=True)
    server.serve_forever()
