"""The typer application and the one place where kindful's errors become exit statuses."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from kindful import __version__
from kindful.cli import coercion
from kindful.errors import KindfulError, UsageError
from kindful.exit_status import ExitStatus

coercion.install()


LANG_HELP = "Language code, e.g. en or de (default: KINDFUL_LANG, the setting, the locale)."

if TYPE_CHECKING:
    from kindful.i18n import Languages


def languages(option: str | None) -> Languages:
    """Give the languages a person wants: ``--lang``, ``KINDFUL_LANG``, the setting, the locale.

    The one way every command chooses its languages.
    """
    from kindful.i18n import Languages, wanted_languages
    from kindful.settings import load_settings

    return Languages(wanted_languages(option, load_settings().lang))


class KindfulGroup(TyperGroup):
    """Runs a command; a KindfulError becomes its lines on stderr and exit status 1 (2 for usage)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KindfulError as error:
            from kindful.safe_text import visible

            for line in error.lines():
                print(visible(line), file=sys.stderr)
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
