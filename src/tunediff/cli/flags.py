"""CLI commands for flags: `tunediff flag IN.jsonl` and `tunediff flags RUN`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

_threshold_option = click.option(
    "--threshold", "thresholds", multiple=True, metavar="KEY=VALUE",
    help="Override a flag threshold (repeatable), e.g. repetition.seq_rep_4=0.4. See docs/flags.md.")
_config_option = click.option(
    "--config", "config", type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file with a `thresholds:` mapping; --threshold wins over it.")


@click.command("flag")
@click.argument("in_path", metavar="IN.jsonl", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--out", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write findings here (JSONL) instead of stdout.")
@click.option("--base-variant", default="base", show_default=True,
              help="The variant the set-level flags compare the others with.")
@click.option("--template", "template", type=click.Path(path_type=Path, dir_okay=False),
              help="The chat template (Jinja) the outputs were made with: its turn markers are looked for.")
@click.option("--turn-marker", "turn_marker", multiple=True, metavar="TEXT",
              help="Text that starts a turn in the template used (repeatable), e.g. 'Question:'.")
@click.option("--data", "data", type=click.Path(path_type=Path, dir_okay=False),
              help="The fine-tune's training data (JSONL): ood answers shaped like it are ood_drift.")
@_threshold_option
@_config_option
def flag_cmd(in_path: Path, out_path: Path | None, base_variant: str, template: Path | None,
             turn_marker: tuple[str, ...], data: Path | None, thresholds: tuple[str, ...],
             config: Path | None) -> None:
    """Flag generations made by any other tool.

    IN.jsonl holds one output per line: required id, variant, text; optional category,
    prompt, finish_reason (eos|stop|length), raw_text, sample, setting, expect, reference.
    A missing optional field only switches off the flags that need it (docs/flags.md).
    Findings go to OUT (or stdout), one per line; a summary table goes to stderr.

    \b
    Examples:
      tunediff flag outputs.jsonl > findings.jsonl
      tunediff flag outputs.jsonl --out findings.jsonl --base-variant llama-base
      tunediff flag outputs.jsonl --threshold repetition.seq_rep_4=0.4 --config flags.yaml
      tunediff flag outputs.jsonl --template qa.jinja --data train.jsonl
      tunediff flag outputs.jsonl --turn-marker 'Question:' --turn-marker 'Answer:'
    """
    from rich.console import Console

    from ..flags import findings_jsonl, flag_records
    from ..flags.inputs import read_input, training_texts
    from ..flags.thresholds import resolve
    from ..records import write_text_atomic
    from ..views.summary import render_summary_data, summary_table

    limits = resolve(config, thresholds)
    markers = list(turn_marker)
    if template is not None:
        from ..tokenizer_facts import load_template, turn_markers

        markers = turn_markers(load_template(template)) + markers
    training = training_texts(data) if data is not None else None
    records = read_input(in_path)
    findings = flag_records(records, base_variant=base_variant, thresholds=limits, turn_markers=markers,
                            training=training)
    text = findings_jsonl(findings)
    if out_path:
        write_text_atomic(out_path, text)
    else:
        sys.stdout.write(text)
    variants = [base_variant] if any(r.variant == base_variant for r in records) else []
    render_summary_data(summary_table(records, findings, variants), Console(stderr=True), title=str(in_path))
    click.echo(f"{len(findings)} findings on {len(records)} outputs" + (f" -> {out_path}" if out_path else ""),
               err=True)


@click.command("flags")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option("--recompute", is_flag=True, help="Recompute RUN/flags.jsonl even when it exists.")
@_threshold_option
@_config_option
def flags_cmd(run_dir: Path, as_json: bool, recompute: bool, thresholds: tuple[str, ...], config: Path | None) -> None:
    """Flag rates per category and variant, base vs each fine-tune, from RUN/flags.jsonl.

    Computes flags.jsonl when it is missing or older than the generations (a training run or a
    resumed run added outputs), or with --recompute / --threshold / --config.
    For a --sweep run it also says, per flag and variant, whether the flag persists at
    every setting (the weights) or appears only at some (the settings).

    \b
    Examples:
      tunediff flags runs/demo
      tunediff flags runs/demo --json | jq '.rows[] | select(.variant=="tuned")'
      tunediff flags runs/demo --recompute --threshold ramble.length_ratio=4
    """
    from rich.console import Console

    from ..flags import flag_run_dir
    from ..flags.thresholds import resolve
    from ..rundir import RunDir
    from ..views.data import RunView, flags_current
    from ..views.summary import render_summary_data
    from ..views.timeline import render_timeline, timelines

    run = RunDir.open(run_dir)
    if recompute or thresholds or config or not flags_current(run):
        findings = flag_run_dir(run_dir, thresholds=resolve(config, thresholds))
        click.echo(f"wrote {run.flags_path} ({len(findings)} findings)", err=True)
    else:
        findings = run.findings
    view = RunView(run.records, findings, run.variants, run.base_variant, run.manifest)
    data = view.summary()
    if as_json:
        data["timeline"] = [t.to_dict() for t in timelines(view)]
        click.echo(json.dumps(data, indent=2))
    else:
        console = Console()
        render_summary_data(data, console, title=str(run_dir))
        render_timeline(view, console)


COMMANDS: list[click.Command] = [flag_cmd, flags_cmd]
