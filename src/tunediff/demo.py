"""`tunediff demo`: the whole workflow on the embedded SmolLM2 and the committed demo adapter."""

from __future__ import annotations

import sys
from pathlib import Path

from .backends.hf.embedded import EMBEDDED_NAME
from .errors import UserError


def demo_dir() -> Path:
    """The demo assets: packaged inside the wheel, or `examples/demo` in a source checkout."""
    packaged = Path(__file__).parent / "_demo"
    if (packaged / "review.yaml").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "examples" / "demo"
    if (checkout / "review.yaml").is_file():
        return checkout
    raise UserError("demo assets not found (examples/demo); reinstall tunediff from a full checkout")


def run_demo(out: Path | None = None, limit: int | None = None, progress: bool = True) -> Path:
    from .run import execute, plan_run

    assets = demo_dir()
    adapter = assets / "adapter"
    if not (adapter / "adapter_config.json").is_file():
        raise UserError(f"{adapter}: demo adapter missing; train it with `python examples/demo/train_demo_adapter.py`")
    plan = plan_run(assets / "review.yaml", base=EMBEDDED_NAME, adapters=[f"tuned={adapter}"], limit=limit)
    out = out or Path("runs") / "demo"
    run_dir = execute(plan, out, backend_options={"progress": progress}, progress=progress)
    report = _write_report(run_dir)
    if progress:
        _print_flag_summary(run_dir)
    print(str(run_dir))
    lines = [f"demo run: {run_dir}", f"report:   {report}  (open it in a browser)"]
    lines += [
        "next:",
        f"  tunediff show {run_dir}              # side by side in the terminal",
        f"  tunediff report {run_dir}            # one HTML file to share",
        f"  tunediff review {run_dir}            # rate the pairs blind in the browser",
        f"  tunediff stats {run_dir}             # win rates once rated",
    ]
    print("\n".join(lines), file=sys.stderr)
    return run_dir


def _print_flag_summary(run_dir: Path) -> None:
    """What the flags found, base vs the demo adapter, on stderr (stdout carries the run dir)."""
    from rich.console import Console

    from .rundir import RunDir
    from .views.summary import render_summary

    render_summary(RunDir.open(run_dir), Console(stderr=True))


def _write_report(run_dir: Path) -> Path:
    from .views.report import write_report

    return write_report(run_dir)
