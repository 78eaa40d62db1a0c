"""Checks of a run plan against what is already there: the run directory's plan, the model's context."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .errors import UserError
from .manifest import Manifest, plan_entries
from .rundir import RunDir

if TYPE_CHECKING:
    from .run import RunPlan


def check_same_plan(run: RunDir, plan: RunPlan) -> None:
    """A run directory holds one plan: the same review set, variants and settings."""
    if not run.manifest_path.is_file():
        return
    previous = run.manifest
    if previous.fingerprint != plan.fingerprint():
        raise UserError(
            f"{run.manifest_path}: this folder holds a run with other variants or settings "
            f"({_plan_diff(previous, plan)}); use another --out to start a new run"
        )
    before = previous.suite.sha256
    if before and plan.suite.sha256 and before != plan.suite.sha256:
        raise UserError(
            f"{run.manifest_path}: this folder holds a run of another review set "
            f"({previous.suite.path}, sha256 {before[:12]}; {plan.suite.path} is {plan.suite.sha256[:12]}); "
            "use another --out to start a new run"
        )


def check_context(backend: Any, plan: RunPlan, pending_ids: set[str]) -> None:
    """Warn about prompts that leave no room for their new tokens in the model's context; refuse
    prompts longer than the context itself (their prefill alone would exhaust memory)."""
    measure = getattr(backend, "context_use", None)  # backends with a local tokenizer
    if measure is None:
        return
    new_tokens = max(p.settings.max_new_tokens for p in plan.points)
    for prompt in plan.prompts:
        if prompt.id not in pending_ids:
            continue
        tokens, limit = measure(prompt.messages)
        if limit is None or tokens + new_tokens <= limit:
            continue
        where = f"{plan.suite.path}:{prompt.line}: prompt '{prompt.id}'" if prompt.line else f"prompt '{prompt.id}'"
        if tokens >= limit:
            raise UserError(f"{where} is {tokens:,} tokens; the model's context holds {limit:,}: shorten it "
                            "or drop it from the review set")
        print(f"warning: {where} is {tokens:,} tokens; with max_new_tokens {new_tokens} it does not fit the "
              f"model's context of {limit:,} tokens; output past that length is unreliable", file=sys.stderr)


def _plan_diff(previous: Manifest, plan: RunPlan) -> str:
    now = {**plan_entries(plan.variants, plan.points), "backend": plan.backend, "base": plan.base,
           "template": plan.template}
    diffs = [key for key, value in now.items() if getattr(previous, key) != value]
    return "differs in " + ", ".join(diffs) if diffs else "different plan"
