"""tunediff: see what a fine-tune changed.

The Python API mirrors the CLI::

    import tunediff
    suite = tunediff.load_suite("review.yaml")
    run_dir = tunediff.run(suite, adapters=["tuned=./lora"], out="runs/first")
    run_dir = tunediff.compare(model, suite=suite, tokenizer=tok)   # a model in memory (notebook)
    run = tunediff.open_run(run_dir)
    findings = tunediff.flag_records(run.records)
    tunediff.write_report(run_dir)

Importing tunediff never imports torch: backends load their dependencies when used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import UserError
from .manifest import Manifest
from .records import Finding, GenerationRecord
from .run import execute, plan_run, run
from .rundir import RunDir
from .settings import PRESETS, GenerationSettings
from .suite import Prompt, Suite, check_suite, load_suite
from .variants import Variant

__version__ = "0.1.0"


def open_run(path: str | Path) -> RunDir:
    """Open a run directory: `.manifest`, `.records`, `.findings`, `.variants`. In a Jupyter
    notebook it displays as the report's summary and side-by-side pairs, with filters."""
    return RunDir.open(path)


def flag_records(records: list[GenerationRecord], **kwargs: Any) -> list[Finding]:
    """Flag generation records (see `tunediff.flags.flag_records`)."""
    from .flags import flag_records as _flag_records

    return _flag_records(records, **kwargs)


def compare(model: Any, adapters: Any = (), **kwargs: Any) -> Path:
    """Base vs fine-tune from a model object in memory (or a path); see `tunediff.comparison.compare`."""
    from .comparison import compare as _compare

    return _compare(model, adapters, **kwargs)


def write_report(run_dir: str | Path, out: str | Path | None = None) -> Path:
    """Write the self-contained HTML report of a run; returns its path."""
    from .views.report import write_report as _write_report

    return _write_report(run_dir, out)


__all__ = [
    "Finding", "GenerationRecord", "GenerationSettings", "Manifest", "PRESETS", "Prompt", "RunDir", "Suite",
    "UserError", "Variant", "check_suite", "compare", "execute", "flag_records", "load_suite", "open_run", "plan_run",
    "run", "write_report",
]
