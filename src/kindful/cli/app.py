"""The typer application and the one place where kindful's errors become exit statuses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from kindful import __version__
from kindful.cli import coercion
from kindful.errors import KindfulError, UsageError
from kindful.exit_status import ExitStatus

LANG_HELP = "Language code, e.g. en or de (default: KINDFUL_LANG, the setting, the locale)."


class KindfulCommand(TyperCommand):
    """A kindful command: its plain options are converted without pydantic (see ``coercion``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        coercion.adopt(self.get_params(ctx))  # only the command that runs, its --help too
        return super().parse_args(ctx, args)


class KindfulGroup(TyperGroup):
    """Runs a command; a KindfulError becomes its lines on stderr and exit status 1 (2 for usage).

    Its own plain options are converted without pydantic, as a KindfulCommand's are.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        coercion.adopt(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KindfulError as error:
            for line in error.lines():
                print(line if ":" in line.split(" ", 1)[0] else f"kindful: {line}", file=sys.stderr)
            sys.stderr.flush()
            code = ExitStatus.USAGE if isinstance(error, UsageError) else ExitStatus.PROBLEM
            raise typer.Exit(int(code)) from None


Command = TypeVar("Command", bound=Callable[..., Any])


class KindfulTyper(typer.Typer):
    """A typer app whose commands are KindfulCommands unless they ask for another class."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[Command], Command]:
        return super().command(name, cls=cls or KindfulCommand, **kwargs)


app = KindfulTyper(
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
