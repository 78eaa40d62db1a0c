"""`tunediff doctor --probe`: a live check of what the adapters learned, in one short greedy batch.

The static checks read files; a fine-tune that never learned to stop (the no-eos fixture) or an
adapter that is silently a no-op looks clean there. The probe generates ~48 new tokens for a
handful of prompts with the base and every adapter in one mixed batch, through the same hf
backend, template and stop ids as `tunediff run`, and checks each output with its evidence:
it ends its turn on standard prompts, writes no new turn, is not babble, and the adapter
changes at least one output.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from ..tokenizer_facts import TokenizerFacts, turn_openers
from ._types import Check, failed, passed, warned

if TYPE_CHECKING:
    from ..suite import Suite

PROBE_TOKENS = 48
BUILTIN_PROMPTS = (
    ("probe-standard", "standard", "Name three colours of the rainbow."),
    ("probe-edge", "edge", "Reply with only the word yes."),
    ("probe-ood", "ood", "What is the capital of France?"),
)
# Words that say nothing about a prompt's subject (the content-word test ignores them).
_STOPWORDS = frozenset("""about after again also been before being between both could does doing down during each
from further have having here into just more most only other over same should some such than that their them then
there these they this those through under until very were what when where which while will with would your please
give write reply answer question tell""".split())


_SHORT_LOOP = re.compile(r"(.{1,12}?)\1{3,}", re.S)


@dataclass
class ProbeReport:
    """The probe's checks, what it generated, and how long it took."""

    checks: list[Check]
    seconds: float
    outputs: list[dict[str, Any]] = field(default_factory=list)
    prompts: int = 0
    variants: int = 0
    max_new_tokens: int = PROBE_TOKENS
    load_seconds: float = 0.0

    def summary(self) -> str:
        verdict = "under a minute" if self.seconds < 60 else "over a minute"
        return (f"probe: {self.prompts} prompts x {self.variants} variants, greedy, up to {self.max_new_tokens} new "
                f"tokens, one mixed batch: {self.seconds:.1f} s, of which loading the model "
                f"{self.load_seconds:.1f} s ({verdict})")

    def to_dict(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 2), "load_seconds": round(self.load_seconds, 2),
                "max_new_tokens": self.max_new_tokens, "outputs": self.outputs}


def probe_prompts(suite: Suite | str | Path | None) -> list[tuple[str, str, tuple[dict[str, str], ...]]]:
    """(id, category, messages): the review set's first standard, edge and ood prompts, else built-in ones."""
    if suite is not None:
        from ..suite import Suite, load_suite

        firsts: dict[str, Any] = {}
        for prompt in (suite if isinstance(suite, Suite) else load_suite(suite)).prompts:
            firsts.setdefault(prompt.category, prompt)
        if firsts:
            return [(p.id, p.category, p.messages) for p in firsts.values()]
    return [(pid, cat, ({"role": "user", "content": text},)) for pid, cat, text in BUILTIN_PROMPTS]


def run_probe(base: str, adapters: Sequence[tuple[str, str]], *, template: str | Path | None = None,
              suite: Suite | str | Path | None = None, max_new_tokens: int = PROBE_TOKENS, allow_pickle: bool = False,
              dtype: str = "float32") -> ProbeReport:
    """Generate the probe batch with the hf backend and check every output."""
    from ..backends import GenerationRequest, get_backend
    from ..settings import GenerationSettings
    from ..variants import Variant

    started = time.perf_counter()
    prompts = probe_prompts(suite)
    variants = [Variant("base", "base")] + [Variant(name, "adapter", path) for name, path in adapters]
    settings = GenerationSettings(temperature=0.0, max_new_tokens=max_new_tokens)
    backend = get_backend("hf", base=base, template=str(template) if template else None, dtype=dtype,
                          allow_pickle=allow_pickle, progress=False)
    results: dict[tuple[str, str], Any] = {}
    try:
        backend.load(variants)
        loaded = time.perf_counter() - started
        requests = [GenerationRequest(pid, v.name, "probe", 0, messages, settings, seed=0)
                    for pid, _, messages in prompts for v in variants]
        backend.generate(requests, lambda done: results.update({(r.prompt_id, r.variant): res for r, res in done}))
        # The hf backend's tokenizer facts; the Backend protocol does not promise them.
        facts: TokenizerFacts = backend.facts  # type: ignore[attr-defined]
    finally:
        backend.close()
    seconds = time.perf_counter() - started
    checks = check_outputs(prompts, [v.name for v in variants], results, facts, max_new_tokens)
    outputs = [{"prompt_id": pid, "variant": name, "finish_reason": res.finish_reason, "raw_text": res.raw_text}
               for (pid, name), res in results.items()]
    return ProbeReport(checks, seconds, outputs, len(prompts), len(variants), max_new_tokens, loaded)


def check_outputs(prompts: Sequence[tuple[str, str, tuple[dict[str, str], ...]]], variants: Sequence[str],
                  results: dict[tuple[str, str], Any], facts: TokenizerFacts, max_new_tokens: int) -> list[Check]:
    """The probe's verdicts from its outputs: babble for every variant, the rest per adapter."""
    checks = []
    for name in variants:
        checks.append(_babble(name, prompts, results, facts))
        if name == "base":
            continue
        checks += [_stops(name, prompts, results, facts, max_new_tokens), _no_new_turn(name, prompts, results, facts),
                   _changes(name, prompts, results)]
    return checks


def _snippet(text: str, width: int = 70) -> str:
    return repr(text if len(text) <= width else text[:width] + "...")


def _stops(name: str, prompts: Sequence[Any], results: dict, facts: TokenizerFacts, limit: int) -> Check:
    cid = f"probe.stop:{name}"
    standard = [pid for pid, cat, _ in prompts if cat == "standard"] or [pid for pid, _, _ in prompts]
    end = facts.end_of_turn or "the end-of-turn token"
    openers = turn_openers(facts.turn_markers)
    for pid in standard:
        res = results[(pid, name)]
        if res.finish_reason == "length":
            return failed(cid, f"{pid}: no {end} within {limit} new tokens: {_snippet(res.raw_text[-70:])}",
                          "train on answers that end with the end-of-turn token (unmasked); if its answers are "
                          "longer, probe with --probe-tokens N")
        early = next((m for m in openers if m in res.raw_text), None)
        if early is not None:
            at = res.raw_text.find(early)
            return failed(cid, f"{pid}: writes {early} after its answer instead of ending the turn with {end}: "
                          f"{_snippet(res.raw_text[max(0, at - 30):])}", "train on answers that end with "
                          f"{end} right after the answer, and keep it out of the masked labels")
        if facts.end_of_turn and not res.raw_text.endswith(facts.end_of_turn):
            return warned(cid, f"{pid}: stops, but not with {end}: {_snippet(res.raw_text[-40:])}",
                          f"end the training answers with {end}, the token the chat template closes turns with")
    return passed(cid, f"ends its turn with {end} on {len(standard)} standard prompt(s)")


def _no_new_turn(name: str, prompts: Sequence[Any], results: dict, facts: TokenizerFacts) -> Check:
    cid = f"probe.turn:{name}"
    markers = list(facts.turn_markers) + turn_openers(facts.turn_markers)
    for pid, _, _ in prompts:
        raw = results[(pid, name)].raw_text
        found = next((m for m in markers if m in raw), None)
        if found is not None:
            at = raw.find(found)
            return failed(cid, f"{pid}: starts a new turn ({found}): {_snippet(raw[max(0, at - 30):])}",
                          "the model never learned where its turn ends: end every training answer with the "
                          "end-of-turn token")
    shown = ", ".join(facts.turn_markers) or "no markers known"
    return passed(cid, f"no new turn in {len(prompts)} outputs (markers: {shown})")


def _babble(name: str, prompts: Sequence[Any], results: dict, facts: TokenizerFacts) -> Check:
    cid = f"probe.babble:{name}"
    markers = list(facts.turn_markers) + turn_openers(facts.turn_markers)
    for pid, _, messages in prompts:
        res = results[(pid, name)]
        why = babble_reason(res.text, res.raw_text, " ".join(m["content"] for m in messages),
                            results[(pid, "base")].text if name != "base" else None, markers)
        if why:
            return failed(cid, f"{pid}: {why}: {_snippet(res.raw_text)}",
                          "check template.bos and the template itself: base and fine-tune babbling alike "
                          "usually means the prompt format is not the trained one")
    return passed(cid, f"{len(prompts)} outputs read as text")


def babble_reason(text: str, raw: str, prompt: str, base_text: str | None, markers: Sequence[str] = ()) -> str | None:
    """Why an output is babble, or None: mostly repeated characters, mostly template markers, or
    (when the base's output shares content words with the prompt) none of the prompt's words."""
    visible = text
    for marker in sorted(markers, key=len, reverse=True):
        visible = visible.replace(marker, "")
    written = len(re.sub(r"\s+", "", raw))
    if written >= 16 and len(re.sub(r"\s+", "", visible)) < 0.5 * written:
        return "mostly special tokens and template markers"
    body = re.sub(r"\s+", " ", raw).strip()
    # A unit of a few characters looping (`QuestionQuestion...`, `":":":`) over half the output; a
    # sentence that loops (a base model's usual way to fill 48 tokens) is not babble.
    if len(body) >= 24 and sum(len(m.group(0)) for m in _SHORT_LOOP.finditer(body)) >= 0.5 * len(body):
        return "mostly repeated characters"
    if base_text is not None:
        asked = _content_words(prompt)
        mine = re.findall(r"\w+", text)
        if len(mine) >= 8 and asked & _content_words(base_text) and not asked & _content_words(text):
            return "none of the prompt's content words, where the base's output has some"
    return None


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _STOPWORDS}


def _changes(name: str, prompts: Sequence[Any], results: dict) -> Check:
    cid = f"probe.changes:{name}"
    same = [pid for pid, _, _ in prompts if results[(pid, name)].raw_text == results[(pid, "base")].raw_text]
    if len(same) == len(prompts):
        return failed(cid, f"all {len(prompts)} outputs are identical to the base's: the adapter changes nothing",
                      "check adapter.zero (lora_B all zero: untrained) and that training saved the trained weights")
    return passed(cid, f"changes {len(prompts) - len(same)} of {len(prompts)} outputs")


def probe_failed(message: str) -> Check:
    return failed("probe", message, "fix the error, or run the static checks without --probe")


def safe_probe(*args: Any, **kwargs: Any) -> ProbeReport:
    """run_probe, with a load error reported as a failed check instead of ending the doctor."""
    started = time.perf_counter()
    try:
        return run_probe(*args, **kwargs)
    except UserError as exc:
        return ProbeReport([probe_failed(str(exc))], time.perf_counter() - started)
