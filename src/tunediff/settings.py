"""Generation settings, presets and sweeps.

Every variant in a run gets the same settings. Precedence, lowest first: built-in
defaults, the preset, the review set's `defaults`, then command-line flags.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from .errors import UserError

PRESETS: dict[str, dict[str, Any]] = {
    # Deterministic: the reference point for comparing weights.
    "greedy": {"temperature": 0.0, "top_p": 1.0, "top_k": 0, "repetition_penalty": 1.0},
    # Low temperature for JSON and extraction: near-deterministic, a little sampling noise.
    "structured": {"temperature": 0.2, "top_p": 0.9, "top_k": 0, "repetition_penalty": 1.0},
    # Chat-like sampling, as a user of a chat UI would see it.
    "conversational": {"temperature": 0.7, "top_p": 0.95, "top_k": 50, "repetition_penalty": 1.0},
}
DEFAULT_PRESET = "greedy"
SWEEPABLE = ("temperature", "top_p", "top_k", "max_new_tokens", "repetition_penalty")


@dataclass(frozen=True)
class GenerationSettings:
    """Sampling settings applied identically to every variant."""

    temperature: float = 0.0
    """0 means greedy decoding."""
    top_p: float = 1.0
    top_k: int = 0
    """0 means no top-k cut."""
    max_new_tokens: int = 256
    repetition_penalty: float = 1.0
    stop: tuple[str, ...] = ()
    """Stop strings: generation ends at the first one; it is cut from `text`."""
    seed: int = 0
    samples: int = 1
    """Samples per prompt."""
    preset: str = DEFAULT_PRESET

    @property
    def greedy(self) -> bool:
        return self.temperature == 0.0

    def validate(self, source: str = "settings", check_samples: bool = True) -> GenerationSettings:
        if self.max_new_tokens <= 0:
            raise UserError(f"{source}: max_new_tokens must be > 0, got {self.max_new_tokens}")
        if self.temperature < 0:
            raise UserError(f"{source}: temperature must be >= 0 (0 = greedy), got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise UserError(f"{source}: top_p must be in (0, 1], got {self.top_p}")
        if self.top_k < 0:
            raise UserError(f"{source}: top_k must be >= 0 (0 = off), got {self.top_k}")
        if self.repetition_penalty <= 0:
            raise UserError(f"{source}: repetition_penalty must be > 0, got {self.repetition_penalty}")
        if self.samples < 1:
            raise UserError(f"{source}: samples must be >= 1, got {self.samples}")
        if check_samples and self.samples > 1 and self.greedy:
            # Several greedy samples are identical copies; say so rather than waste time.
            raise UserError(f"{source}: samples > 1 needs temperature > 0 (greedy samples are identical)")
        return self

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["stop"] = list(self.stop)
        return data


@dataclass(frozen=True)
class SettingPoint:
    """One point of the settings grid: an id used in records and its settings."""

    id: str
    settings: GenerationSettings


FIELD_TYPES = {f.name: f.type for f in fields(GenerationSettings)}
_CASTS = {
    "temperature": float,
    "top_p": float,
    "top_k": int,
    "max_new_tokens": int,
    "repetition_penalty": float,
    "seed": int,
    "samples": int,
}


def _cast(key: str, value: Any, source: str) -> Any:
    if key == "stop":
        stops = (value,) if isinstance(value, str) else value
        if not isinstance(stops, list | tuple) or not all(isinstance(v, str) for v in stops):
            raise UserError(f"{source}: stop must be a string or a list of strings")
        if not all(stops):  # "" matches at once: every output would be cut to nothing
            raise UserError(f"{source}: stop strings must not be empty")
        return tuple(stops)
    if key == "preset":
        if value not in PRESETS:
            raise UserError(f"{source}: unknown preset '{value}'; use one of {', '.join(PRESETS)}")
        return value
    try:
        number = _CASTS[key](value)
    except (TypeError, ValueError, OverflowError):
        raise UserError(f"{source}: {key} must be a number, got {value!r}") from None
    if not math.isfinite(number):  # nan slips through every `<` check; inf is no temperature either
        raise UserError(f"{source}: {key} must be a finite number, got {value!r}")
    return number


def resolve_settings(
    suite_defaults: dict[str, Any] | None = None,
    cli: dict[str, Any] | None = None,
    suite_source: str = "review set defaults",
) -> GenerationSettings:
    """Merge defaults, presets, the review set's defaults and CLI flags (None = not given)."""
    suite_defaults = dict(suite_defaults or {})
    cli = {k: v for k, v in (cli or {}).items() if v is not None and v != ()}
    values: dict[str, Any] = {}
    preset = suite_defaults.get("preset", DEFAULT_PRESET)
    values.update(PRESETS[_cast("preset", preset, f"{suite_source}: preset")])
    values["preset"] = preset
    for key, val in suite_defaults.items():
        if key == "preset":
            continue
        if key not in FIELD_TYPES:
            raise UserError(f"{suite_source}: unknown setting '{key}'; known: {', '.join(FIELD_TYPES)}")
        values[key] = _cast(key, val, f"{suite_source}: {key}")
    if "preset" in cli:
        values.update(PRESETS[_cast("preset", cli["preset"], "--preset")])
        values["preset"] = cli["preset"]
    for key, val in cli.items():
        if key != "preset":
            values[key] = _cast(key, val, f"--{key.replace('_', '-')}")
    # samples vs greedy is checked per grid point: a sweep may add temperatures > 0.
    return GenerationSettings(**values).validate("generation settings", check_samples=False)


def parse_sweep(specs: list[str] | tuple[str, ...]) -> dict[str, list[Any]]:
    """Parse `--sweep temperature=0.1,0.7` values into {key: [values]}."""
    grid: dict[str, list[Any]] = {}
    for spec in specs:
        key, sep, raw = spec.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not raw.strip():
            raise UserError(f"--sweep {spec}: expected KEY=V1,V2 (for example temperature=0.1,0.7)")
        if key not in SWEEPABLE:
            raise UserError(f"--sweep {spec}: cannot sweep '{key}'; sweepable: {', '.join(SWEEPABLE)}")
        grid[key] = [_cast(key, v.strip(), f"--sweep {key}") for v in raw.split(",")]
    return grid


def expand_grid(base: GenerationSettings, grid: dict[str, list[Any]]) -> list[SettingPoint]:
    """Every combination of the sweep values over `base`; one `default` point without a sweep."""
    if not grid:
        return [SettingPoint("default", base.validate("generation settings"))]
    keys = list(grid)
    points = []
    for combo in itertools.product(*(grid[k] for k in keys)):
        changes = dict(zip(keys, combo, strict=True))
        point_id = ",".join(f"{k}={_fmt(v)}" for k, v in changes.items())
        settings = replace(base, **changes)
        if settings.samples > 1 and settings.greedy:
            settings = replace(settings, samples=1)
        points.append(SettingPoint(point_id, settings.validate(f"--sweep {point_id}")))
    return points


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def record_seed(base_seed: int, prompt_id: str, setting_id: str, sample: int) -> int:
    """The seed of one output. Variants share it, so they see the same random stream."""
    digest = hashlib.sha256(f"{base_seed}\0{prompt_id}\0{setting_id}\0{sample}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


__all__ = [
    "GenerationSettings",
    "SettingPoint",
    "PRESETS",
    "resolve_settings",
    "parse_sweep",
    "expand_grid",
    "record_seed",
]
