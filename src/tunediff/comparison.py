"""`tunediff.compare`: base vs fine-tune from what a notebook holds after training.

    run_dir = tunediff.compare(model, suite="review.yaml", tokenizer=tok, out="runs/nb")
    run_dir = tunediff.compare(model, adapters=["a=out/a", "out/checkpoint-*"], suite=..., tokenizer=tok)
    run_dir = tunediff.compare("path/to/base", adapters=["tuned=./lora"], suite=...)   # = tunediff.run

A model object is used in place (no reload, no copy of the weights). A PEFT model's own adapter
is the variant `name` (default `tuned`) unless `adapters` are given; adapter folders are attached
for the comparison and removed afterwards, leaving the model as it was (its adapters, active
adapter, `requires_grad` flags and train mode). Returns the run directory, as `tunediff.run` does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import UserError
from .in_memory import LiveRun, generation_mode, is_peft
from .run import RunPlan, default_out, run
from .rundir import RunPath
from .suite import Suite
from .variants import BASE, Variant, build_variants


def compare(model: Any, adapters: Sequence[str] = (), *, suite: Suite | str | Path, tokenizer: Any = None,
            out: str | Path | None = None, name: str = "tuned", limit: int | None = None,
            batch_size: int | None = None, allow_pickle: bool = False, progress: bool = True, flag: bool = True,
            **settings: Any) -> Path:
    """Compare `model` (an object in memory, or a base model path/name) with its fine-tune(s).

    adapters: `[NAME=]PATH` specs as `--adapter` takes them (globs included); tokenizer: needed
    for a model object; settings: `tunediff run`'s generation settings (max_new_tokens=...).
    """
    if isinstance(model, (str, Path)):
        options = {"batch_size": batch_size, "allow_pickle": allow_pickle, "progress": progress}
        return run(suite, base=str(model), adapters=list(adapters), out=out, backend_options=options,
                   progress=progress, flag=flag, limit=limit, **settings)
    if tokenizer is None:
        raise UserError("tunediff.compare(model, ...): a model object needs its tokenizer; pass tokenizer=tok")
    variants = build_variants(list(adapters))[1:]
    if not variants and not is_peft(model):
        raise UserError("tunediff.compare: nothing to compare; the model has no adapter, pass adapters=['NAME=PATH']")
    live = LiveRun(suite, out or _default_out(suite, limit, settings), limit=limit, batch_size=batch_size,
                   progress=progress, flag=flag, **settings)
    base = Variant(BASE, "base")
    with generation_mode(model), _attached(model, variants, allow_pickle) as (peft_model, details):
        if variants:
            names = {v.name: v.name for v in variants}
        else:
            variants = [Variant(name, "adapter", f"<in memory: {model.active_adapter}>")]
            names = {name: model.active_adapter}
        live.generate(peft_model, tokenizer, [base, *variants], adapter_names=names, details=details)
    live.finish()
    return RunPath(live.out)


@contextlib.contextmanager
def _attached(model: Any, adapters: Sequence[Variant], allow_pickle: bool) -> Iterator[tuple[Any, dict[str, Any]]]:
    """`model` with the adapter folders attached; on exit the model is as it was before."""
    if not adapters:
        yield model, {}
        return
    from .backends.hf.engine import _attach_adapters, _check_adapter

    details = {v.name: _check_adapter(v, allow_pickle) for v in adapters}
    grads = {n: p.requires_grad for n, p in model.named_parameters()}
    if is_peft(model):
        active = model.active_adapter
        taken = sorted(set(model.peft_config) & {v.name for v in adapters})
        if taken:
            raise UserError(f"tunediff.compare: the model already has an adapter named {taken[0]!r}; "
                            "name the folder another way (adapters=['OTHER=PATH'])")
        peft_model = model
        try:
            for v in adapters:
                model.load_adapter(v.path, adapter_name=v.name, is_trainable=False)
            yield model, details
        finally:
            for v in adapters:
                if v.name in model.peft_config:
                    model.delete_adapter(v.name)
            model.set_adapter(active)
            _restore_grads(model, grads)
        return
    peft_model = _attach_adapters(model, adapters)
    try:
        yield peft_model, details
    finally:
        peft_model.unload()  # takes the LoRA layers out of the caller's model again
        _restore_grads(model, grads)


def _restore_grads(model: Any, grads: dict[str, bool]) -> None:
    for n, p in model.named_parameters():
        if n in grads:
            p.requires_grad_(grads[n])


def _default_out(suite: Suite | str | Path, limit: int | None, settings: dict[str, Any]) -> Path:
    from .run import resolve_points

    loaded, points = resolve_points(suite, limit=limit, **settings)
    return default_out(RunPlan(loaded, (Variant(BASE, "base"),), points, "hf", "in-memory"))
