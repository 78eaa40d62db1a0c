"""Variants: what is compared. `base`, LoRA adapters, full checkpoints, or served model names."""

from __future__ import annotations

import re
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


def build_variants(adapters: list[str] | tuple[str, ...] = (), models: list[str] | tuple[str, ...] = (),
                   served: list[str] | tuple[str, ...] = ()) -> list[Variant]:
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
            name, path = parse_named(spec, "--adapter")
            variants.append(Variant(name, "adapter", path))
        for spec in models:
            name, path = parse_named(spec, "--model", default_name="model")
            variants.append(Variant(name, "model", path))
    seen: set[str] = set()
    for v in variants:
        if v.name in seen:
            raise UserError(f"variant name '{v.name}' is used twice; name each one (--adapter NAME=PATH)")
        if v.name == BASE and v.kind not in ("base", "served"):
            raise UserError(f"variant name 'base' is reserved for the base model; pick another name for {v.path}")
        seen.add(v.name)
    return variants
