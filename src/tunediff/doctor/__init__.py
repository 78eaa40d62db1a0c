"""`tunediff doctor`: pre-flight checks for the usual root causes of a bad fine-tune.

Template, stopping (EOS / end of turn, pad = EOS), the adapter (base, modules, shapes,
zero B matrices, pickle) and the training data. Heavy imports (transformers, torch,
safetensors) happen inside the checks, never when this package is imported.
"""

from ._runner import quick_checks, run_doctor, worst
from ._types import STATUSES, Check, Status

__all__ = ["Check", "STATUSES", "Status", "quick_checks", "run_doctor", "worst"]
