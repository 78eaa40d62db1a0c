"""The result of one doctor check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["pass", "warn", "fail"]
STATUSES: tuple[Status, ...] = ("pass", "warn", "fail")


@dataclass(frozen=True)
class Check:
    """One checklist item: what was checked, how it went, and how to fix it."""

    id: str
    """Stable name, e.g. `stopping.eos` or `adapter.zero:tuned` (`:NAME` for per-adapter checks)."""
    status: Status
    message: str
    """One line: what was found, with the figures."""
    hint: str = ""
    """One line: what to do about it (empty when there is nothing to do)."""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "message": self.message, "hint": self.hint}


def passed(id: str, message: str, hint: str = "") -> Check:
    return Check(id, "pass", message, hint)


def warned(id: str, message: str, hint: str) -> Check:
    return Check(id, "warn", message, hint)


def failed(id: str, message: str, hint: str) -> Check:
    return Check(id, "fail", message, hint)
