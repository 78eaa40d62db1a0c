"""The backend contract: (prompt, variant, settings) requests in, generation results out.

Backends know nothing of flags or views. The run loop hands a backend every request still
missing from the run directory; the backend groups them into batches as it likes (the HF
backend mixes base and adapter rows in one batch, the openai backend runs one variant at a
time) and reports each finished batch through `on_batch`, which appends it to disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..manifest import BackendFacts
from ..records import FinishReason
from ..settings import GenerationSettings
from ..variants import Variant


@dataclass(frozen=True)
class GenerationRequest:
    """One output to produce."""

    prompt_id: str
    variant: str
    setting_id: str
    sample: int
    messages: tuple[dict[str, str], ...]
    settings: GenerationSettings
    seed: int
    """Per-output seed; equal across variants for the same prompt, setting and sample."""

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.prompt_id, self.variant, self.setting_id, self.sample)


@dataclass(frozen=True)
class GenerationResult:
    """What a backend produced for one request."""

    text: str
    raw_text: str
    finish_reason: FinishReason
    """`eos`, `stop` or `length`."""
    prompt_tokens: int | None = None
    new_tokens: int | None = None
    latency_s: float | None = None
    batch_latency_s: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


BatchCallback = Callable[[Sequence[tuple[GenerationRequest, GenerationResult]]], None]


class Backend(Protocol):
    """A generation backend. Implementations import their heavy dependencies lazily."""

    name: str

    def load(self, variants: Sequence[Variant]) -> None:
        """Load models and check that every variant can run; raise UserError otherwise."""

    def describe(self) -> BackendFacts:
        """Facts for run.json: base model, variant hashes, chat template, EOS ids (only those it knows)."""

    def render(self, messages: Sequence[dict[str, str]]) -> str | None:
        """The exact prompt text every variant receives (None when the server renders it)."""

    def generate(self, requests: Sequence[GenerationRequest], on_batch: BatchCallback) -> None:
        """Produce a result for every request, calling `on_batch` as each batch finishes."""

    def close(self) -> None:
        """Release models, connections and threads."""
