"""Variants: what is compared. `base`, LoRA adapters, full checkpoints, or served model names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .errors import UserError

VariantKind = Literal["base", "adapter", "model", "served"]
BASE = "base"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Variant:
    """One side of the comparison.

    kind `base`: the base model (adapters disabled); `adapter`: a PEFT adapter on the base;
    `model`: a full checkpoint; `served`: a model name on an OpenAI-compatible server.
    """

    name: str
    kind: VariantKind
    path: str | None = None
    """Adapter or model folder, or the served model's name; None for the base."""
    step: int | None = None
    """Training step, for a checkpoint (`--adapter 'out/checkpoint-*'` or `ReviewCallback`)."""
    epoch: float | None = None
    """Training epoch at that step, when the trainer recorded it."""
    train_loss: float | None = None
    """Last logged training loss at that step, when the trainer recorded it."""


def parse_named(spec: str, flag: str, default_name: str = "tuned") -> tuple[str, str]:
    """`NAME=PATH` -> (NAME, PATH); a bare PATH gets `default_name`."""
    name, sep, path = spec.partition("=")
    if not sep:
        return default_name, spec
    if not _NAME.match(name):
        raise UserError(f"{flag} {spec}: variant name '{name}' must be letters, digits, '_', '-' or '.'")
    if not path:
        raise UserError(f"{flag} {spec}: missing path after '='")
    return name, path


def _expand(spec: str, flag: str, kind: VariantKind, default_name: str) -> list[Variant]:
    """One variant, or one per checkpoint folder when the path is a glob (named `step-N`)."""
    from .checkpoints import expand, is_glob, step_name

    name, path = parse_named(spec, flag, default_name=default_name)
    if not is_glob(path):
        return [Variant(name, kind, path)]
    prefix = name if "=" in spec else None
    return [Variant(step_name(c.step, prefix), kind, c.path, c.step, c.epoch, c.train_loss)
            for c in expand(path, flag)]


def build_variants(adapters: Sequence[str] = (), models: Sequence[str] = (),
                   served: Sequence[str] = ()) -> list[Variant]:
    """Variants for a run: `base` first, then adapters and models in the order given."""
    variants: list[Variant] = []
    if served:
        for spec in served:
            name, model = parse_named(spec, "--variant", default_name="")
            if not name:
                raise UserError(f"--variant {spec}: expected NAME=SERVED_MODEL (for example base=base)")
            variants.append(Variant(name, "served", model))
    else:
        variants.append(Variant(BASE, "base"))
        for spec in adapters:
            variants.extend(_expand(spec, "--adapter", "adapter", "tuned"))
        for spec in models:
            variants.extend(_expand(spec, "--model", "model", "model"))
    seen: set[str] = set()
    for v in variants:
        if v.name == BASE and v.kind not in ("base", "served"):
            raise UserError(f"variant name 'base' is reserved for the base model; pick another name for {v.path}")
        if v.name in seen:
            raise UserError(f"variant name '{v.name}' is used twice; name each one (--adapter NAME=PATH)")
        seen.add(v.name)
    return variants
