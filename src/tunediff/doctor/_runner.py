"""Run the checklist: everything for `tunediff doctor`, the cheap part before `tunediff run`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..backends.hf.embedded import EMBEDDED_NAME
from ..variants import parse_named
from ._base import CheckedBase, load_base
from ._types import Check
from .adapter import (
    Adapter,
    check_base_model,
    check_modules,
    check_rank,
    check_shapes,
    check_weights,
    check_zero,
    load_adapter,
)
from .data import check_data
from .stopping import check_eos, check_pad, stop_tokens
from .template import check_adapter_tokenizer, check_base_template, check_bos

if TYPE_CHECKING:
    from ..run import RunPlan


def adapter_checks(base: CheckedBase, ad: Adapter, full: bool = True) -> list[Check]:
    """Weights first: when they cannot be read, the checks that need them are left out."""
    checks = [check_weights(ad), check_base_model(base, ad)]
    if not ad.readable:
        return checks
    checks += [check_modules(base, ad), check_shapes(base, ad)]
    if full:
        checks.append(check_rank(ad))
    if str(ad.config.get("peft_type", "LORA")).upper() == "LORA":
        checks.append(check_zero(ad))
    return checks


def run_doctor(base: str = EMBEDDED_NAME, adapters: Sequence[str] = (), data: str | Path | None = None, *,
               max_new_tokens: int = 256, allow_pickle: bool = False,
               template: str | Path | None = None) -> list[Check]:
    """Every check for a base, its adapters (`[NAME=]PATH`) and optionally the training data.

    Raises UserError for bad input (missing paths, unreadable files); problems with the
    setup itself come back as failed checks.
    """
    if max_new_tokens <= 0:
        from ..errors import UserError

        raise UserError(f"--max-new-tokens must be > 0, got {max_new_tokens}")
    named = [parse_named(spec, "--adapter") for spec in adapters]
    loaded = [load_adapter(name, path, allow_pickle) for name, path in named]
    model = load_base(base, template, allow_pickle)
    checks = [check_base_template(model), check_bos(model)]
    checks += [check_adapter_tokenizer(model, ad.name, ad.dir) for ad in loaded]
    checks.append(check_eos(model))
    report = None
    if data is not None:
        report = check_data(data, model.tokenizer, stop_tokens(model), max_new_tokens)
    checks.append(check_pad(model, [(ad.name, ad.dir) for ad in loaded], report.end_share if report else None))
    for ad in loaded:
        checks += adapter_checks(model, ad)
    if report:
        checks += report.checks
    return checks


def quick_checks(plan: RunPlan, allow_pickle: bool = False) -> list[Check]:
    """The cheap subset `tunediff run` runs before generating: template, BOS, EOS ids, adapters.

    Reads the tokenizer, configs and safetensors headers plus the small lora_B tensors;
    never the base weights.
    """
    model = load_base(plan.base or EMBEDDED_NAME, plan.template, allow_pickle)
    checks = [check_base_template(model), check_bos(model), check_eos(model)]
    for variant in plan.variants:
        if variant.kind == "adapter" and variant.path is not None:  # build_variants gives every adapter a path
            checks += adapter_checks(model, load_adapter(variant.name, variant.path, allow_pickle), full=False)
    return checks


def worst(checks: Sequence[Check]) -> str:
    order = {"pass": 0, "warn": 1, "fail": 2}
    return max((c.status for c in checks), key=order.__getitem__, default="pass")
