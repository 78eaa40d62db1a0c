"""The `tunediff` command line: thin commands that parse, call the library and print.

Each family of commands lives in its own module here and is registered below. Heavy
imports (torch, transformers) happen inside command bodies, never at import time, so
`tunediff show`, `report` and `stats` start fast.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from ..errors import UserError


class TunediffGroup(click.Group):
    """Turns UserError and click's usage errors into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            # A parse error can come before the subcommand has a context; name the subcommand anyway.
            _exit_usage(exc, " ".join(filter(None, [ctx.command_path, ctx.invoked_subcommand])))
        except OSError as exc:
            if exc.filename is None:
                raise
            # A last net: every known file problem has its own message; an unforeseen one still
            # reads as one line naming the file rather than a traceback.
            click.echo(f"error: {exc.filename}: {exc.strerror}", err=True)
            sys.exit(UserError.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; finished records are kept, rerun the same command to resume", err=True)
            sys.exit(130)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # the group's own options: `tunediff --bogus`
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            _exit_usage(exc)


def _exit_usage(exc: click.UsageError, command: str = "tunediff") -> NoReturn:
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        raise exc  # a bare `tunediff suite` prints that group's help, as click does
    click.echo(f"error: {usage_line(exc, command)}", err=True)
    sys.exit(exc.exit_code)


def usage_line(exc: click.UsageError, command: str = "tunediff") -> str:
    """Click's four-line usage error as one line that still names the option and the choices."""
    message = " ".join(exc.format_message().split())  # "Choose from:\n\tdpo,\n\tcsv" -> one line
    command = exc.ctx.command_path if exc.ctx else command
    return f"{message} (see `{command} --help`)"


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
