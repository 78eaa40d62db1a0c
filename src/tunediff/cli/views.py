"""View commands over a finished run directory: show (and report, review, stats, export)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UserError
from ..records import CATEGORIES
from ..views.export import FORMATS as EXPORT_FORMATS


@click.command("show")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.option("-c", "--category", "categories", multiple=True, type=click.Choice(CATEGORIES),
              help="Only this category (repeatable).")
@click.option("-i", "--id", "ids", multiple=True, help="Only this prompt id or id prefix (repeatable).")
@click.option("-v", "--variant", "variants", multiple=True, help="Only these variants (repeatable).")
@click.option("-s", "--setting", "settings", multiple=True, help="Only this sweep setting id (repeatable).")
@click.option("-f", "--flag", "flags", multiple=True, help="Only prompts where this flag fired (repeatable).")
@click.option("--width", type=click.IntRange(min=1), default=1200, show_default=True,
              help="Clip each output to this many characters.")
def show_cmd(run_dir: Path, categories: tuple[str, ...], ids: tuple[str, ...], variants: tuple[str, ...],
             settings: tuple[str, ...], flags: tuple[str, ...], width: int) -> None:
    """Show a run side by side in the terminal, one panel per variant, with flag badges.

    \b
    Examples:
      tunediff show runs/demo
      tunediff show runs/demo -c ood
      tunediff show runs/demo -i std-01 -i std-02
      tunediff show runs/demo -f no_stop | less -R
    """
    from rich.console import Console

    from ..rundir import RunDir
    from ..views.data import RunView
    from ..views.summary import render_changes, render_summary
    from ..views.terminal import render_show, select

    run = RunDir.open(run_dir)
    view = RunView.of(run)
    records = select(view.records, categories, ids, variants, settings)
    console = Console(soft_wrap=False)
    render_changes(view, console)
    shown = render_show(run, console, records, view.findings, flags, width)
    if not shown:
        raise UserError(f"{run_dir}: no outputs match these filters")
    render_summary(run, console, view)


COMMANDS: list[click.Command] = [show_cmd]


@click.command("review")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Keep the default unless raters on other machines must reach it.")
@click.option("--rater", help="Rater name (otherwise the page asks, or use ?rater=NAME in the URL).")
@click.option("--variants", help="The two variants to compare, e.g. base,tuned (default: base vs the first other).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
def review_cmd(run_dir: Path, port: int, host: str, rater: str | None, variants: str | None, no_browser: bool) -> None:
    """Rate outputs blind in the browser: two variants as A and B, sides random per prompt and rater.

    Ratings go to RUN/ratings.sqlite as each one is made; stop with Ctrl-C and run the same
    command again to resume at the first unrated item. Several raters can rate at once.

    \b
    Examples:
      tunediff review runs/demo
      tunediff review runs/demo --rater alice --no-browser
      tunediff review runs/demo --variants base,epoch3 --port 0
    """
    from ..views.review import ReviewApp, serve

    serve(ReviewApp(run_dir, variants=variants, rater=rater), host, port, open_browser=not no_browser)


COMMANDS.append(review_cmd)


@click.command("report")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write here instead of RUN/report.html.")
def report_cmd(run_dir: Path, out: Path | None) -> None:
    """Write one self-contained HTML report of a run: works offline, safe to share.

    Header with models and settings, flag rates base vs fine-tune with charts, one card per
    prompt with the variants side by side, word diff and flag evidence, filters, and the
    blind-review statistics once rated.

    \b
    Examples:
      tunediff report runs/demo
      tunediff report runs/demo --out /tmp/demo.html
    """
    from ..views.report import write_report

    click.echo(str(write_report(run_dir, out)))


@click.command("stats")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.option("--variants", help="Only the pair REFERENCE,CANDIDATE, e.g. base,tuned (win rate is CANDIDATE's).")
def stats_cmd(run_dir: Path, as_json: bool, variants: str | None) -> None:
    """Win / tie / loss per category with exact 95% intervals and a sign test, and flag rates.

    The win rate is wins / (wins + losses) with a Clopper-Pearson interval; the two-sided
    sign test excludes ties and both-bad. Cohen's kappa is shown when two raters rated the
    same items. A run nobody has rated yet is not an error: the flag-based comparison is
    printed, a note goes to stderr, and the exit status is 0.

    \b
    Examples:
      tunediff stats runs/demo
      tunediff stats runs/demo --json | jq .pairs
      tunediff stats runs/sweep --variants base,epoch3
    """
    import json

    from ..rundir import RunDir
    from ..views.stats_text import format_stats, run_stats

    pair = None
    if variants is not None:
        names = [v.strip() for v in variants.split(",") if v.strip()]
        if len(names) != 2 or names[0] == names[1]:
            raise UserError(f"--variants {variants}: give two different variant names, e.g. base,tuned")
        pair = (names[0], names[1])
    data = run_stats(RunDir.open(run_dir), pair)
    if not data["n_ratings"]:
        click.echo(f"note: no ratings in {run_dir} yet; rate with `tunediff review {run_dir}`", err=True)
    click.echo(json.dumps(data, indent=2) if as_json else format_stats(data))


@click.command("export")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", required=True, type=click.Choice(EXPORT_FORMATS),
              help="dpo: preference pairs from decisive ratings; csv/jsonl: outputs with flags and ratings; "
                   "md: a Markdown summary.")
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write to this file (atomically) instead of stdout.")
def export_cmd(run_dir: Path, fmt: str, out: Path | None) -> None:
    """Export a run: DPO pairs, CSV, JSONL, or a Markdown summary for a PR or model card.

    \b
    Examples:
      tunediff export runs/demo --format dpo --out prefs.jsonl
      tunediff export runs/demo --format csv > outputs.csv
      tunediff export runs/demo --format md >> MODEL_CARD.md
    """
    from ..records import write_text_atomic
    from ..rundir import RunDir
    from ..views.export import export_run

    text, count = export_run(RunDir.open(run_dir), fmt)
    if fmt == "dpo" and not count:
        click.echo(f"note: no decisive ratings in {run_dir}; DPO pairs need 'A better' or 'B better' ratings", err=True)
    if out is None:
        click.echo(text, nl=False)
        return
    write_text_atomic(out, text)
    click.echo(f"wrote {count} {'pairs' if fmt == 'dpo' else 'rows'} to {out}", err=True)


COMMANDS += [report_cmd, stats_cmd, export_cmd]
