"""`serving_mismatch`: a served variant answered differently alone than inside the run.

The openai backend's integrity probe (backends/openai_probe.py) re-asks a few prompts of each
variant one at a time after the run, and run.json keeps its report (`serving_probe`). A record
whose answer alone differs from its answer inside the run is flagged: the serving engine mixed
variants (an adapter applied to base requests, or the reverse). `flag_records` computes it from
the probe report it is given (`flag_run_dir` passes the run's), like any other flag.
"""

from __future__ import annotations

from ..records import Evidence, Finding
from ._core import Context, register


@register("serving_mismatch", "set", "A served variant answered differently when asked alone than inside the run "
          "(the serving engine mixed the adapter into base requests, or the reverse), from the openai backend's "
          "serving probe in run.json.")
def serving_mismatch(ctx: Context) -> list[Finding]:
    """One error finding per mismatch of the run's serving probe."""
    out = []
    for item in ctx.serving_probe.mismatches if ctx.serving_probe else []:
        key = (item.id, item.variant, item.setting, item.sample)
        other = item.same_as_variant
        message = (f"asked alone, the server answered differently ({item.alone_text[:80]!r})"
                   + (f"; the run's answer is {other}'s answer" if other else "")
                   + ": the serving engine mixed variants; rerun without --interleave or check the server")
        rec = ctx.by_key.get(key)
        out.append(Finding(id=key[0], variant=key[1], setting=key[2], sample=key[3], flag="serving_mismatch",
                           severity="error", message=message,
                           evidence=Evidence(span=(0, len(rec.text)) if rec and rec.text else None,
                                             metric="probe_equal", value="differs", threshold="equal text (greedy)")))
    return out
