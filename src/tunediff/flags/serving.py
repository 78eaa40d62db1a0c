"""`serving_mismatch` findings from the openai backend's integrity probe (run.json "serving_probe").

The probe re-asks a few prompts of each variant one at a time after the run. A record whose
answer alone differs from its answer inside the run is flagged: the serving engine mixed
variants (an adapter applied to base requests, or the reverse).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..manifest import ServingProbe
from ..records import Evidence, Finding


def serving_findings(probe: ServingProbe | None, texts: Mapping[tuple[str, str, str, int], str]) -> list[Finding]:
    """One error finding per mismatch of the run's serving probe (run.json `serving_probe`)."""
    out = []
    for item in probe.mismatches if probe else []:
        key = (item.id, item.variant, item.setting, item.sample)
        other = item.same_as_variant
        alone = item.alone_text
        message = (f"asked alone, the server answered differently ({alone[:80]!r})"
                   + (f"; the run's answer is {other}'s answer" if other else "")
                   + ": the serving engine mixed variants; rerun without --interleave or check the server")
        text = texts.get(key, "")
        out.append(Finding(id=key[0], variant=key[1], setting=key[2], sample=key[3], flag="serving_mismatch",
                           severity="error", message=message,
                           evidence=Evidence(span=(0, len(text)) if text else None, metric="probe_equal",
                                             value="differs", threshold="equal text (greedy)")))
    return out
