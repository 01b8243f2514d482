"""The typer application and the one place where kindful's errors become exit statuses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from kindful import __version__
from kindful.cli import coercion
from kindful.errors import KindfulError, UsageError
from kindful.exit_status import ExitStatus
from kindful.safe_text import say

LANG_HELP = "Language code, e.g. en or de (default: KINDFUL_LANG, the setting, the locale)."

if TYPE_CHECKING:
    from kindful.i18n import Languages


def languages(option: str | None) -> Languages:
    """Give the languages a person wants: ``--lang``, ``KINDFUL_LANG``, the setting, the locale.

    The one way every command chooses its languages.
    """
    from kindful.i18n import INTERFACE_LANGUAGES, Languages, normalise, t, wanted_languages
    from kindful.settings import load_settings

    chosen = Languages(wanted_languages(option, load_settings().lang))
    if option is not None and normalise(option) not in INTERFACE_LANGUAGES:
        # Said, then gone on from: a practice may still have texts in that language.
        available = ", ".join(INTERFACE_LANGUAGES)
        from kindful.safe_text import echoed

        shown = echoed(option)
        note = t(chosen.ui, "lang.unavailable", lang=shown, available=available, chosen=chosen.ui)
        say(f"kindful: {note}", err=True)
    return chosen


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

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        plain_help(self)
        return super().make_context(info_name, args, parent, **extra)

    def resolve_command(self, ctx: Any, args: Any) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            plain_help(command)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KindfulError as error:
            for line in error.lines():
                say(line, err=True)
            sys.stderr.flush()
            code = ExitStatus.USAGE if isinstance(error, UsageError) else ExitStatus.PROBLEM
            raise typer.Exit(int(code)) from None


METAVARS = {
    "lang": "CODE",
    "weeks": "N",
}  # an option's value named in help, where its name says it less well


def plain_help(command: Any) -> None:
    """Make a command's help read as a person wrote it; once per command.

    Flags show no ``<bool>``; arguments show their metavar (``PRACTICE``, ``FILE...``, ``[ID]``)
    without a type or typer's braces; a paragraph of help is one line, wrapped to the terminal.
    This leans on typer's help internals; where they differ, the help stays as typer makes it.
    """
    if getattr(command, "_plain_help", False):
        return
    command._plain_help = True
    if command.help:
        paragraphs = command.help.split("\n\n")
        command.help = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    for param in command.params:
        _plain_param(param)
    make_help_option = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = make_help_option(ctx)
        if option is not None:
            _plain_param(option)
        return option

    command.get_help_option = get_help_option


def _plain_param(param: Any) -> None:
    if getattr(param, "param_type_name", "") == "argument":
        name = param.metavar or param.name.upper()
        if param.nargs != 1 and not name.endswith("..."):
            name += "..."
        usage = name if param.required or name.startswith("[") else f"[{name}]"
        param.metavar = name
        param.get_usage_pieces = lambda ctx: [usage]
        param.display_type_rich = lambda ctx: None
    elif getattr(param, "is_flag", False) and param.metavar is None:
        param.metavar = ""
    elif param.metavar is None and getattr(param, "opts", None):
        long = max(param.opts, key=len).lstrip("-")
        param.metavar = METAVARS.get(long, long.upper())


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
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        say(f"kindful {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_print_version,
        is_eager=True,
    ),
) -> None:
    """A calm companion for guided self-compassion practice."""
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        from kindful.i18n import t

        say(t(languages(None).ui, "welcome"))
