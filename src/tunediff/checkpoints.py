"""Training checkpoints as variants: `--adapter 'out/checkpoint-*'` and the facts of each step.

A glob in `--adapter`/`--model` expands to one variant per matching folder, named `step-N`
from the number in the folder's name (`checkpoint-300` -> `step-300`) and sorted by step, so a
finished training run's checkpoints line up as a timeline. When the folder holds the
`trainer_state.json` that transformers' Trainer writes, its epoch and last logged training
loss go into run.json next to the step (the same three facts `ReviewCallback` records live).
"""

from __future__ import annotations

import glob
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UserError

_GLOB_CHARS = re.compile(r"[*?\[]")
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


def step_name(step: int, prefix: str | None = None) -> str:
    """The variant name of a training step: `step-300` (or `good-step-300` with a prefix)."""
    return f"{prefix}-step-{step}" if prefix else f"step-{step}"


def is_glob(path: str) -> bool:
    return bool(_GLOB_CHARS.search(path))


@dataclass(frozen=True)
class Checkpoint:
    """One matched checkpoint folder and what its trainer_state.json says about it."""

    path: str
    step: int
    epoch: float | None = None
    train_loss: float | None = None


def expand(pattern: str, flag: str) -> list[Checkpoint]:
    """Folders matching `pattern`, sorted by step; one-line errors for no match or no step number."""
    folders = [Path(p) for p in glob.glob(pattern) if Path(p).is_dir()]
    if not folders:
        raise UserError(f"{flag} {pattern}: no folder matches this pattern; check the path "
                        "(quote the pattern so the shell does not expand it)")
    found: dict[int, Checkpoint] = {}
    for folder in folders:
        match = _LAST_NUMBER.search(folder.name)
        if match is None:
            raise UserError(f"{flag} {pattern}: '{folder}' has no step number in its name "
                            "(expected names such as checkpoint-300); narrow the pattern")
        step = int(match.group(1))
        if step in found:
            raise UserError(f"{flag} {pattern}: '{found[step].path}' and '{folder}' are both step {step}; "
                            "narrow the pattern")
        found[step] = Checkpoint(str(folder), step, *trainer_facts(folder, step))
    return [found[s] for s in sorted(found)]


def trainer_facts(folder: Path, step: int) -> tuple[float | None, float | None]:
    """(epoch, training loss) at `step` from the folder's trainer_state.json; (None, None) without one.

    The loss is the last one logged at or before the step (Trainer logs every `logging_steps`).
    """
    try:
        state = json.loads((folder / "trainer_state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(state, dict):
        return None, None
    return _number(state.get("epoch")), loss_at(state.get("log_history") or [], step)


def loss_at(log_history: list[dict[str, Any]], step: int) -> float | None:
    """The last training loss logged at or before `step` (Trainer's `state.log_history`)."""
    loss = None
    for entry in log_history:
        if isinstance(entry, dict) and _number(entry.get("step"), default=math.inf) <= step and "loss" in entry:
            loss = _number(entry.get("loss"))
    return loss


def _number(value: Any, default: float | None = None) -> Any:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
