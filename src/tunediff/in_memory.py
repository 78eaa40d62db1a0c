"""Runs from a model already in memory: `ReviewCallback` while training, `tunediff.compare` in a notebook.

Both fill ONE run directory a variant at a time (`base`, then `step-40`, `step-80`, ... or the
notebook's adapters) from the model object the caller holds: no reload and no second copy of the
weights. Each pass generates the missing records of one variant with the review set's settings,
appends them (fsync per batch, as `tunediff run` does), then rewrites run.json and flags.jsonl
atomically, so `tunediff show`, `flags` and `report` work on the folder while training goes on.
A restarted training run finds the records already on disk and generates only what is missing.

`generation_mode` is what keeps training unchanged: eval mode (and on the CPU the engine's thread
count) for the pass, then the train mode, threads, `use_cache` and the RNG states (torch, CUDA,
Python, numpy) exactly as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import UserError
from .manifest import VariantEntry
from .records import GENERATIONS, read_records
from .run import RunPlan, _existing_records, _generate, _plan_part, make_run_dir, resolve_points
from .rundir import RunDir
from .suite import Suite
from .variants import Variant

BACKEND = "hf"
BASE_SPEC = "in-memory"  # run.json `base`: the weights came from the caller's model object


class LiveRun:
    """A run directory filled one variant at a time from a model in memory.

    `suite` is a path or a loaded `Suite`; `settings` are `tunediff run`'s (max_new_tokens, preset,
    temperature, ...). A bad path, an invalid review set or a bad setting raises `UserError` here,
    before any model work.
    """

    def __init__(self, suite: Suite | str | Path, out: str | Path, *, limit: int | None = None,
                 batch_size: int | None = None, progress: bool = True, flag: bool = True, **settings: Any):
        self.suite, self.points = resolve_points(suite, limit=limit, **settings)
        self.limit = limit
        self.out = Path(out)
        self.batch_size = batch_size
        self.progress = progress
        self.flag = flag
        run = RunDir(self.out)
        if not run.manifest_path.is_file():
            return
        previous = run.manifest
        if previous.fingerprint != self.fingerprint():
            raise UserError(f"{run.manifest_path}: this folder holds a run with other settings or another "
                            "kind of run; give another out= folder")
        before = previous.suite.sha256
        if before and self.suite.sha256 and before != self.suite.sha256:
            raise UserError(f"{run.manifest_path}: this folder holds a run of another review set "
                            f"({previous.suite.path}); give another out= folder")

    def fingerprint(self) -> str:
        """What must not change between a run and its resumption: the settings (variants grow)."""
        data = {"points": [[p.id, p.settings.to_dict()] for p in self.points], "backend": BACKEND,
                "base": BASE_SPEC}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def missing(self, variant: str) -> int:
        """Records of `variant` not yet on disk."""
        plan = self._plan([Variant(variant, "base")])
        done = _existing_records(RunDir(self.out), plan)
        return sum(1 for r in plan.requests() if r.key not in done)

    def generate(self, model: Any, tokenizer: Any, variants: Sequence[Variant], *,
                 facts: dict[str, dict[str, Any]] | None = None, adapter_names: dict[str, str] | None = None,
                 details: dict[str, Any] | None = None) -> float:
        """Generate the missing records of `variants` with `model` as it is now; returns the seconds spent.

        The caller chooses the weights: one variant per pass with the adapter disabled for `base`
        (the callback), or base and adapters in shared batches, each row naming its peft adapter
        in `adapter_names` (variant -> adapter; `tunediff.compare`). `facts` (step, epoch,
        train_loss per variant) go into run.json with the seconds of generation.
        """
        make_run_dir(self.out)
        with RunDir(self.out).writer_lock():
            seconds = self._generate(model, tokenizer, variants, facts or {}, adapter_names, details)
        if self.flag and (self.out / GENERATIONS).is_file():
            from .flags import flag_run_dir

            flag_run_dir(self.out)
        return seconds

    def _generate(self, model: Any, tokenizer: Any, variants: Sequence[Variant], facts: dict[str, dict[str, Any]],
                  adapter_names: dict[str, str] | None, details: dict[str, Any] | None) -> float:
        run = RunDir(self.out)
        plan = self._plan(variants)
        done = _existing_records(run, plan)
        pending = [r for r in plan.requests() if r.key not in done]
        engine = self._engine(model, tokenizer, variants if adapter_names else (), adapter_names, details)
        previous = run.manifest
        manifest = previous.model_copy(update=_plan_part(plan, previous, run.manifest_path.is_file()))
        manifest = manifest.with_facts(engine.describe())
        manifest.fingerprint, manifest.base = self.fingerprint(), BASE_SPEC
        if manifest.turn_markers is None:  # flags read the template's markers from run.json
            from .tokenizer_facts import turn_markers

            manifest.turn_markers = turn_markers(tokenizer.chat_template, tokenizer.bos_token, tokenizer.eos_token)
        manifest.rendered_prompts = {p.id: engine.render(p.messages) for p in plan.prompts}
        started = time.perf_counter()
        if pending:
            with generation_mode(model):
                _generate(engine, pending, {p.id: p for p in plan.prompts}, run, self.progress, len(done))
        seconds = round(time.perf_counter() - started, 3)
        entries = {v.name: v for v in previous.variants}
        for variant in variants:
            entry = {**VariantEntry.of(variant).model_dump(exclude_unset=True),
                     **{k: v for k, v in facts.get(variant.name, {}).items() if v is not None}}
            old = entries.get(variant.name)
            if pending or old is None or old.generation_s is None:
                # Seconds of the pass that made this variant (shared by the variants of one pass).
                entry.update(generation_s=seconds, n_generated=sum(r.variant == variant.name for r in pending))
            else:  # all on disk already (a resumed training run): keep the first measurement
                entry = {**old.model_dump(exclude_unset=True), **entry}
            entries[variant.name] = VariantEntry.model_validate(entry)
        manifest.variants = list(entries.values())
        manifest.n_records = len(read_records(run.generations_path)) if run.generations_path.is_file() else 0
        manifest.write(run.manifest_path)
        return seconds

    def finish(self) -> None:
        """Mark the run complete (training ended, or the notebook comparison is done)."""
        run = RunDir(self.out)
        if run.manifest_path.is_file():
            run.manifest.model_copy(update={"status": "complete"}).write(run.manifest_path)

    def _plan(self, variants: Sequence[Variant]) -> RunPlan:
        return RunPlan(self.suite, tuple(variants), self.points, BACKEND, BASE_SPEC, self.limit)

    def _engine(self, model: Any, tokenizer: Any, variants: Sequence[Variant],
                adapter_names: dict[str, str] | None, details: dict[str, Any] | None) -> Any:
        from .backends.hf.engine import HFBackend

        return HFBackend.from_memory(model, tokenizer, variants=variants, adapter_names=adapter_names,
                                     details=details, batch_size=self.batch_size, progress=self.progress)


def log(message: str) -> None:
    print(f"tunediff: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------- model state


def is_peft(model: Any) -> bool:
    return hasattr(model, "disable_adapter") and hasattr(model, "peft_config")


def base_weights(model: Any) -> contextlib.AbstractContextManager[Any]:
    """The base model's behaviour: a PEFT model with its adapter disabled, a plain model as it is."""
    return model.disable_adapter() if is_peft(model) else contextlib.nullcontext()


@contextlib.contextmanager
def generation_mode(model: Any) -> Iterator[None]:
    """Eval mode and full precision for one pass of generation, then everything training depends on put back."""
    import torch

    states = _rng_states()
    was_training = model.training
    config = getattr(model, "config", None)
    use_cache = getattr(config, "use_cache", None)
    # accelerate's mixed precision (SFTTrainer's default bf16) wraps the instance's forward in autocast;
    # generation runs the weights as saved, as `tunediff run` on the checkpoint folder would.
    wrapped = model.__dict__.get("forward") if "_original_forward" in model.__dict__ else None
    device_type = next(model.parameters()).device.type
    threads = torch.get_num_threads()
    if device_type == "cpu":  # the engine's choice for decoding; training gets its own back after
        from .backends.hf.threads import thread_count

        torch.set_num_threads(thread_count())
    model.eval()
    try:
        if wrapped is not None:
            model.forward = model._original_forward
        with torch.autocast(device_type, enabled=False):
            yield
    finally:
        if wrapped is not None:
            model.forward = wrapped
        model.train(was_training)
        torch.set_num_threads(threads)
        if config is not None and use_cache is not None:
            config.use_cache = use_cache
        _restore_rng_states(states)
        if torch.cuda.is_available():
            torch.cuda.empty_cache()  # the KV slots were freed; give the memory back to training


def _rng_states() -> dict[str, Any]:
    import torch

    states: dict[str, Any] = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        states["cuda"] = torch.cuda.get_rng_state_all()
    try:
        import numpy as np

        states["numpy"] = np.random.get_state()
    except ImportError:
        pass
    return states


def _restore_rng_states(states: dict[str, Any]) -> None:
    import torch

    torch.set_rng_state(states["torch"])
    random.setstate(states["python"])
    if "cuda" in states:
        torch.cuda.set_rng_state_all(states["cuda"])
    if "numpy" in states:
        import numpy as np

        np.random.set_state(states["numpy"])
