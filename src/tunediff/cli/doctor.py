"""`tunediff doctor`: pre-flight checks before generating (registered in cli/__init__.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..backends.hf.embedded import EMBEDDED_NAME, GEMMA_NAME

STYLES = {"pass": ("PASS", "green"), "warn": ("WARN", "yellow"), "fail": ("FAIL", "bold red")}


@click.command("doctor")
@click.option("--base", default=EMBEDDED_NAME, show_default=True,
              help=f"Base model: '{EMBEDDED_NAME}' (embedded), '{GEMMA_NAME}' (pass --template), a model "
                   "directory or a .gguf file.")
@click.option("--adapter", "adapters", multiple=True, metavar="[NAME=]PATH",
              help="PEFT adapter folder to check (repeatable; a bare PATH is named 'tuned').")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path),
              help="Training data JSONL (messages, prompt/completion, instruction/output or text).")
@click.option("--max-new-tokens", "max_new_tokens", type=int, default=256, show_default=True,
              help="The generation limit you will run with; longer training answers are reported.")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="Jinja chat template file, for a tokenizer without one (as in `tunediff run`).")
@click.option("--allow-pickle", is_flag=True, help="Read pickle (.bin) weights, with torch weights_only.")
@click.option("--probe", is_flag=True,
              help="Also generate a few greedy outputs (base and adapters, one batch) and check them (about a minute).")
@click.option("--suite", type=click.Path(dir_okay=False, path_type=Path),
              help="With --probe: take its first standard, edge and ood prompts (default: built-in prompts).")
@click.option("--probe-tokens", "probe_tokens", type=int, default=48, show_default=True,
              help="With --probe: new tokens per output.")
@click.option("--json", "as_json", is_flag=True, help="Print {\"checks\": [...]} as JSON instead of a table.")
def doctor_cmd(base: str, adapters: tuple[str, ...], data: Path | None, max_new_tokens: int, template: Path | None,
               allow_pickle: bool, probe: bool, suite: Path | None, probe_tokens: int, as_json: bool) -> None:
    """Check the usual root causes of a bad fine-tune before generating anything.

    Chat template (present; prompts start with BOS when the model expects it, and only once;
    the same in the adapter's tokenizer), stopping (generation EOS
    ids include the template's end-of-turn token; pad = EOS), the adapter (base model,
    target modules, shapes, rank, all-zero lora_B, pickle weights) and, with --data, the
    training texts (ending with the end token, turn markers, duplicates, lengths).

    Each check passes, warns or fails with a fix hint. Exit status 1 when any check fails,
    0 otherwise, 2 for bad input. The base weights are not loaded: configs, the tokenizer,
    safetensors headers and the adapter's small matrices suffice (pickle weights, read
    only with --allow-pickle, must be read whole).

    --probe loads the model and generates: greedy, ~48 new tokens for a few prompts, base
    and every adapter in one batch, then checks that each adapter ends its turn on standard
    prompts, writes no new turn, does not babble, and changes at least one output.

    \b
    Examples:
      tunediff doctor --adapter ./lora
      tunediff doctor --base ./my-base --adapter tuned=./lora --data train.jsonl
      tunediff doctor --adapter ep1=./ckpt-100 --adapter ep2=./ckpt-200 --json
      tunediff doctor --base model.gguf --template chatml.jinja --data train.jsonl
      tunediff doctor --adapter ./lora --probe --suite review.yaml
    """
    from ..doctor import run_doctor
    from ..errors import UserError

    if probe_tokens <= 0:
        raise UserError(f"--probe-tokens must be > 0, got {probe_tokens}")
    checks = run_doctor(base, adapters, data, max_new_tokens=max_new_tokens, allow_pickle=allow_pickle,
                        template=template)
    report = None
    if probe:
        from ..doctor.probe import safe_probe
        from ..variants import parse_named

        report = safe_probe(base, [parse_named(a, "--adapter") for a in adapters], template=template, suite=suite,
                            max_new_tokens=probe_tokens, allow_pickle=allow_pickle)
        checks = checks + report.checks
    if as_json:
        out: dict[str, Any] = {"checks": [c.to_dict() for c in checks]}
        if report is not None:
            out["probe"] = report.to_dict()
        click.echo(json.dumps(out, indent=2))
    else:
        _print_table(checks)
        if report is not None:
            click.echo(report.summary())
    if any(c.status == "fail" for c in checks):
        sys.exit(1)


def _print_table(checks: list) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    hints = any(c.hint for c in checks)
    table = Table(show_lines=hints, expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("result", overflow="fold")
    if hints:  # an all-pass checklist has nothing to fix: give the results the width
        table.add_column("fix", overflow="fold")
    for c in checks:
        label, style = STYLES[c.status]
        row = [f"[{style}]{label}[/]", c.id, escape(c.message)] + ([escape(c.hint)] if hints else [])
        table.add_row(*row)
    console = Console(soft_wrap=False)
    console.print(table)
    counts = {s: sum(1 for c in checks if c.status == s) for s in STYLES}
    click.echo(f"{counts['pass']} passed, {counts['warn']} warnings, {counts['fail']} failed")


COMMANDS: list[click.Command] = [doctor_cmd]
