"""The flag contract: a registry of named pure functions and the context they read.

A per-output flag is `fn(record, ctx) -> list[Finding]`; a set-level flag is
`fn(ctx) -> list[Finding]` and reports one finding on each output it concerns. `needs` names
the record fields a flag reads beyond `text`: `flag_records` skips a record that lacks one
(None), so the function never sees it. Public through `tunediff.flags` (docs/flags.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ..manifest import ServingProbe
from ..records import Evidence, Finding, GenerationRecord
from ._text import content_words, looks_like_json, stem
from .thresholds import Thresholds

Level = Literal["output", "set"]
Severity = Literal["info", "warn", "error"]


FlagFn = Callable[..., list[Finding]]
"""`fn(record, ctx)` for an output-level flag, `fn(ctx)` for a set-level one."""


@dataclass(frozen=True)
class FlagSpec:
    name: str
    level: Level
    description: str
    needs: tuple[str, ...]
    """Record fields the flag reads beyond `text`; a record lacking them is skipped."""
    fn: FlagFn

    def applies_to(self, rec: GenerationRecord) -> bool:
        """Whether `rec` has every field this flag needs."""
        return all(getattr(rec, name, None) is not None for name in self.needs)


REGISTRY: dict[str, FlagSpec] = {}


def register(name: str, level: Level, description: str, needs: Sequence[str] = ()) -> Callable[[FlagFn], FlagFn]:
    """Decorator: add `fn` to the flags every run computes, under `name` (docs/flags.md shows how)."""
    def deco(fn: FlagFn) -> FlagFn:
        REGISTRY[name] = FlagSpec(name, level, description, tuple(needs), fn)
        return fn
    return deco


_FRAME_MIN = 20  # training answers (examples) needed to read a frame, or how often answers are shared
FRAME_SHARE = 0.25  # a word this share of them hold is their frame: one form in up to four


def _pairs_within(counts: Counter[str] | Counter[tuple[str, str]]) -> int:
    """Pairs of items that share a key."""
    return sum(k * (k - 1) // 2 for k in counts.values())


@dataclass(frozen=True)
class TrainingTexts:
    """What a fine-tune was trained on: its prompts and its answers (from `--data`)."""

    prompts: tuple[str, ...]
    answers: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...] = ()
    """(prompt, answer) of each example that has both; `examples()` falls back to prompts and
    answers side by side when they are as many."""

    def examples(self) -> tuple[tuple[str, str], ...]:
        if self.pairs:
            return self.pairs
        return tuple(zip(self.prompts, self.answers, strict=True)) if len(self.prompts) == len(self.answers) else ()

    @cached_property
    def shared_answers(self) -> float | None:
        """The share of example pairs with different prompts that share an answer (four balanced
        labels: 1 in 4; capitals: 1 in 85; headlines: about none), whatever the number of
        examples; None under _FRAME_MIN examples with both a prompt and an answer."""
        pairs = self.examples()
        if len(pairs) < _FRAME_MIN:
            return None
        shared = _pairs_within(Counter(a.strip() for _, a in pairs)) - _pairs_within(
            Counter((p.strip(), a.strip()) for p, a in pairs))
        differ = len(pairs) * (len(pairs) - 1) // 2 - _pairs_within(Counter(p.strip() for p, _ in pairs))
        return shared / differ if differ > 0 else None

    @cached_property
    def answer_stems(self) -> frozenset[str]:
        """The content words of the answers, stemmed (`stem`): what the fine-tune was taught to say."""
        return frozenset(stem(w) for a in self.answers for w in content_words(a))

    @cached_property
    def frame(self) -> frozenset[str]:
        """Content words (stemmed) that a quarter or more of the prose answers hold, given
        _FRAME_MIN of them or more: the frame the answers are said in, one form in up to four
        (the 'please' and 'mind' of 'Could you please ...?' / 'Would you mind ..., please?'), no
        answer of one example. A label set's labels qualify too, and change nothing: a bare label
        is all its content words all the same. JSON has none (its keys name the fields it adds,
        no words around its input's)."""
        prose = [a for a in self.answers if not looks_like_json(a)]
        if len(prose) < _FRAME_MIN:
            return frozenset()
        held = Counter(w for a in prose for w in content_words(a))
        return frozenset(stem(w) for w, k in held.items() if k >= FRAME_SHARE * len(prose))


@dataclass
class Context:
    """All records of one flagging pass, indexed for the lookups flags make."""

    records: Sequence[GenerationRecord]
    thresholds: Thresholds
    base_variant: str = "base"
    turn_markers: Sequence[str] = ()
    """Turn markers of the template in use (run.json `turn_markers`, `--template`, `--turn-marker`)."""
    training: TrainingTexts | None = None
    """The fine-tune's training texts (`--data`), when given."""
    serving_probe: ServingProbe | None = None
    """The run's serving probe (run.json `serving_probe`, openai backend), for serving_mismatch."""
    by_key: dict[tuple[str, str, str, int], GenerationRecord] = field(init=False)
    groups: dict[tuple[str, str, str], list[GenerationRecord]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_key = {r.key: r for r in self.records}
        self.groups = defaultdict(list)
        for r in self.records:
            self.groups[(r.id, r.variant, r.setting)].append(r)

    def base_of(self, rec: GenerationRecord) -> GenerationRecord | None:
        """The base output for the same prompt, setting and sample (sample 0 as a fallback)."""
        if rec.variant == self.base_variant:
            return None
        return (self.by_key.get((rec.id, self.base_variant, rec.setting, rec.sample))
                or self.by_key.get((rec.id, self.base_variant, rec.setting, 0)))

    def samples(self, rec: GenerationRecord) -> list[GenerationRecord]:
        return self.groups[(rec.id, rec.variant, rec.setting)]

    def t(self, key: str) -> float:
        return self.thresholds[key]


def finding(rec: GenerationRecord, flag: str, message: str, severity: Severity = "warn",
            span: tuple[int, int] | None = None, metric: str | None = None,
            value: float | str | None = None, threshold: float | str | None = None) -> Finding:
    """A finding on `rec`: `span` (clamped to the text) marks where, metric/value/threshold say why."""
    if span is not None:
        n = len(rec.text)
        start = max(0, min(span[0], n))
        span = (start, max(start, min(span[1], n)))
    if isinstance(value, float):
        value = round(value, 4)
    return Finding(id=rec.id, variant=rec.variant, setting=rec.setting, sample=rec.sample, flag=flag,
                   severity=severity, message=message,
                   evidence=Evidence(span=span, metric=metric, value=value, threshold=threshold))


def whole(rec: GenerationRecord) -> tuple[int, int]:
    """The whole output: for findings about all of it (empty, collapsed, off-format)."""
    return (0, len(rec.text))


def tail(rec: GenerationRecord, chars: int = 80) -> tuple[int, int]:
    """The last few characters: where a cut-off output shows it was cut."""
    n = len(rec.text.rstrip())
    return (max(0, n - chars), n)


def prompt_text(rec: GenerationRecord) -> str:
    """Everything the prompt said (every message): a marker or token quoted there may be quoted
    back, and a request for numbers or a dialogue is read there."""
    parts = [rec.prompt or ""] + [m.get("content", "") for m in rec.messages or []]
    return "\n".join(parts)


def asked_text(rec: GenerationRecord) -> str:
    """What was asked: the prompt and every message but the assistant's (whose few-shot answers
    are not the request)."""
    return "\n".join([rec.prompt or ""] + [m.get("content", "") for m in rec.messages or []
                                            if m.get("role") != "assistant" and m.get("content") != rec.prompt])
