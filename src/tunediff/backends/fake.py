"""A backend with scripted replies, for fast tests of run, flags, views and the CLI.

Replies are keyed by (prompt id, variant); a callable can compute them instead. It records
every request it was asked, so tests can check what the run loop sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import UserError
from ..manifest import BackendFacts, BaseWeights
from ..records import FinishReason
from ..variants import Variant
from .base import BatchCallback, GenerationRequest, GenerationResult

Reply = str | tuple[str, FinishReason]  # text, or (text, finish_reason)


class FakeBackend:
    name = "fake"

    def __init__(
        self,
        replies: dict[tuple[str, str], Reply] | Callable[[GenerationRequest], Reply] | None = None,
        batch_size: int = 4,
        fail_after: int | None = None,
        **_: Any,
    ):
        self.replies = replies or {}
        self.batch_size = batch_size
        self.fail_after = fail_after
        self.requests: list[GenerationRequest] = []
        self.variants: list[Variant] = []

    def load(self, variants: Sequence[Variant]) -> None:
        self.variants = list(variants)

    def describe(self) -> BackendFacts:
        return BackendFacts(base_model=BaseWeights(spec="fake"), chat_template=None, eos_token_ids=[])

    def render(self, messages: Sequence[dict[str, str]]) -> str | None:
        return "".join(f"<{m['role']}>{m['content']}\n" for m in messages) + "<assistant>"

    def _reply(self, req: GenerationRequest) -> tuple[str, FinishReason]:
        if callable(self.replies):
            reply = self.replies(req)
        else:
            reply = self.replies.get((req.prompt_id, req.variant), f"{req.variant} answer to {req.prompt_id}")
        return (reply, "eos") if isinstance(reply, str) else reply

    def generate(self, requests: Sequence[GenerationRequest], on_batch: BatchCallback) -> None:
        done = 0
        for start in range(0, len(requests), self.batch_size):
            batch = requests[start : start + self.batch_size]
            t0 = time.perf_counter()
            results = []
            for req in batch:
                if self.fail_after is not None and done >= self.fail_after:
                    raise UserError(f"fake backend: failing after {self.fail_after} records as scripted")
                self.requests.append(req)
                text, finish = self._reply(req)
                raw = text + ("<|im_end|>" if finish == "eos" else "")
                results.append(
                    (
                        req,
                        GenerationResult(
                            text,
                            raw,
                            finish,
                            prompt_tokens=len(req.messages[-1]["content"].split()),
                            new_tokens=len(text.split()) + (finish == "eos"),
                        ),
                    )
                )
                done += 1
            elapsed = time.perf_counter() - t0
            on_batch(
                [
                    (
                        r,
                        GenerationResult(
                            **{**res.__dict__, "latency_s": elapsed / len(batch), "batch_latency_s": elapsed}
                        ),
                    )
                    for r, res in results
                ]
            )

    def close(self) -> None:
        pass
