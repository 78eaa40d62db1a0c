"""`tunediff init` and `tunediff suite check|sample`: make and check review sets."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click
import yaml

from ..errors import UserError
from ..suite import check_suite, load_suite
from ..textfiles import writing
from ..training_data import read_training_data, sample_prompts


@click.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init_cmd(path: Path, force: bool) -> None:
    """Write a starter review set with standard, edge and ood examples and comments.

    \b
    Examples:
      tunediff init review.yaml
      tunediff init review.yaml --force
    """
    if path.exists() and not force:
        raise UserError(f"{path}: already exists; pass --force to overwrite")
    text = resources.files("tunediff").joinpath("starter.yaml").read_text(encoding="utf-8")
    with writing(path, elsewhere="give another path"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}; edit it, then run `tunediff suite check {path}`", err=True)


@click.group("suite")
def suite_group() -> None:
    """Check a review set, or draw prompts for one from training data."""


@suite_group.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when there are balance warnings.")
def check_cmd(path: Path, strict: bool) -> None:
    """Validate a review set and warn when it is unbalanced.

    Errors (unknown keys, bad categories, duplicate ids, empty prompts) exit 2. Balance
    problems (outside 20-50 prompts, a category missing or under 5) are warnings.

    \b
    Examples:
      tunediff suite check review.yaml
      tunediff suite check review.jsonl --strict
    """
    suite = load_suite(path)
    result = check_suite(suite)
    counts = ", ".join(f"{n} {c}" for c, n in result.counts.items())
    click.echo(f"{path}: {len(suite.prompts)} prompts ({counts})")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not result.warnings:
        click.echo("ok: valid and balanced")
    if strict and result.warnings:
        sys.exit(1)


@suite_group.command("sample")
@click.argument("train", type=click.Path(path_type=Path))
@click.option("-n", "n", type=int, default=15, show_default=True, help="How many prompts to draw.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same draw).")
@click.option("--prefix", default="std", show_default=True, help="Id prefix of the drawn prompts.")
def sample_cmd(train: Path, n: int, seed: int, prefix: str) -> None:
    """Draw standard prompts from training data; prints review-set YAML to stdout.

    Reads chat `messages`, `prompt`/`completion`, `instruction`/`input`/`output` and plain
    `text` JSONL. The trained answer becomes the prompt's `reference`.

    \b
    Examples:
      tunediff suite sample train.jsonl -n 15 > standard.yaml
      tunediff suite sample train.jsonl -n 15 --seed 3
    """
    if n <= 0:
        raise UserError(f"-n must be > 0, got {n}")
    drawn = sample_prompts(read_training_data(train), n, seed)
    prompts = []
    for i, ex in enumerate(drawn, start=1):
        item: dict = {"id": f"{prefix}-{i:02d}", "category": "standard"}
        if len(ex.messages) == 1 and ex.messages[0]["role"] == "user":
            item["prompt"] = ex.prompt
        else:
            item["messages"] = [dict(m) for m in ex.messages]
        if ex.answer is not None:
            item["reference"] = ex.answer
        prompts.append(item)
    click.echo(f"# drawn from {train} (seed {seed}, {len(prompts)} of n={n})")
    click.echo(yaml.safe_dump({"prompts": prompts}, sort_keys=False, allow_unicode=True, width=100), nl=False)


COMMANDS: list[click.Command] = [init_cmd, suite_group]
