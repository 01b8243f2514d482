"""The typer application and the one place where kindful's errors become exit statuses."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from kindful import __version__
from kindful.cli import coercion
from kindful.errors import KindfulError, UsageError
from kindful.exit_status import ExitStatus

coercion.install()


LANG_HELP = "Language code, e.g. en or de (default: KINDFUL_LANG, the setting, the locale)."


class KindfulGroup(TyperGroup):
    """Runs a command; a KindfulError becomes its lines on stderr and exit status 1 (2 for usage)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KindfulError as error:
            for line in error.lines():
                print(line, file=sys.stderr)
            sys.stderr.flush()
            code = ExitStatus.USAGE if isinstance(error, UsageError) else ExitStatus.PROBLEM
            raise typer.Exit(int(code)) from None


app = typer.Typer(
    name="kindful",
    cls=KindfulGroup,
    help="A calm companion for guided self-compassion practice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        print(f"kindful {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_print_version,
        is_eager=True,
    ),
) -> None:
    """A calm companion for guided self-compassion practice."""
