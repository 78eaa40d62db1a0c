"""Settings or weights? For a sweep run, whether each flag persists across every setting.

A failure that shows at every temperature / top-p comes from the weights (retrain); one that
shows only at some settings comes from the generation settings (change them first).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..records import Finding, GenerationRecord

Verdict = Literal["weights", "settings", "mixed"]
PERSIST_RATIO = 0.5
"""A flag 'persists' when its rate at the least affected setting is at least half the highest."""


@dataclass(frozen=True)
class SettingDiagnosis:
    flag: str
    variant: str
    rates: dict[str, tuple[int, int]]
    """setting id -> (outputs flagged, outputs)."""
    verdict: Verdict
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"flag": self.flag, "variant": self.variant, "verdict": self.verdict, "message": self.message,
                "rates": {s: {"flagged": k, "outputs": n, "rate": round(k / n, 4) if n else 0.0}
                          for s, (k, n) in self.rates.items()}}


def settings_vs_weights(records: Sequence[GenerationRecord], findings: Sequence[Finding]) -> list[SettingDiagnosis]:
    """One diagnosis per (flag, variant) that fired, when the records span two or more settings."""
    settings = list(dict.fromkeys(r.setting for r in records))
    if len(settings) < 2:
        return []
    variants = list(dict.fromkeys(r.variant for r in records))
    outputs: dict[tuple[str, str], int] = defaultdict(int)
    for r in records:
        outputs[(r.variant, r.setting)] += 1
    flagged: dict[tuple[str, str], set[tuple[str, str, int]]] = defaultdict(set)
    for f in findings:
        flagged[(f.flag, f.variant)].add((f.id, f.setting, f.sample))
    out = []
    for (flag, variant), keys in flagged.items():
        if variant not in variants:
            continue
        rates = {s: (sum(1 for k in keys if k[1] == s), outputs[(variant, s)]) for s in settings}
        out.append(_judge(flag, variant, rates))
    order = {v: i for i, v in enumerate(variants)}
    out.sort(key=lambda d: (order[d.variant], d.flag))
    return out


def _judge(flag: str, variant: str, rates: dict[str, tuple[int, int]]) -> SettingDiagnosis:
    share = {s: (k / n if n else 0.0) for s, (k, n) in rates.items()}
    low, high = min(share.values()), max(share.values())
    shown = ", ".join(f"{s} {share[s]:.0%}" for s in share)
    if low > 0 and low >= PERSIST_RATIO * high:
        return SettingDiagnosis(flag, variant, rates, "weights",
                                f"{flag} on {variant} at every setting ({shown}): points at the weights")
    absent = [s for s, v in share.items() if v == 0]
    if absent:
        present = [s for s, v in share.items() if v > 0]
        return SettingDiagnosis(flag, variant, rates, "settings",
                                f"{flag} on {variant} only at {', '.join(present)} ({shown}): points at the "
                                "generation settings; try other settings before retraining")
    worst = max(share, key=lambda s: share[s])
    return SettingDiagnosis(flag, variant, rates, "mixed",
                            f"{flag} on {variant} at every setting but mostly at {worst} ({shown}): "
                            "the weights, made worse by the settings")
