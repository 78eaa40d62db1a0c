"""The `tunediff` command line: thin commands that parse, call the library and print.

Each family of commands lives in its own module here and is registered below. Heavy
imports (torch, transformers) happen inside command bodies, never at import time, so
`tunediff show`, `report` and `stats` start fast.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import UserError


class TunediffGroup(click.Group):
    """Turns UserError into one line on stderr and exit status 2, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; finished records are kept, rerun the same command to resume", err=True)
            sys.exit(130)


@click.group(cls=TunediffGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="tunediff")
def main() -> None:
    """tunediff: see what a fine-tune changed.

    \b
    Typical session:
      tunediff init review.yaml
      tunediff suite check review.yaml
      tunediff run review.yaml --adapter tuned=./my-lora --out runs/first
      tunediff show runs/first
      tunediff report runs/first
      tunediff demo                     # all of it on the embedded SmolLM2
    """


def _register() -> None:
    from . import doctor, flags, run, suite, views

    for module in (suite, run, views, flags, doctor):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
