"""``kindful sit`` and ``kindful breathe``: practice without a file.

A quiet timer with bells, and a breathing pacer, made on the spot (``practice/plan/timers.py``) and
run the way ``run`` runs any practice: the same engine, live screen, plain lines, sound, voice
and log. Only typer and the standard library load with this module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.cli.run_options import NO_BELL, NO_LOG, PLAIN, SOUND, SPEED, VOICE, Asked

if TYPE_CHECKING:
    from kindful.practice.plan.written import Compiled


@app.command()
def sit(
    duration: str = typer.Argument(
        ..., metavar="DURATION", help="How long: 10m, 90s, 1m30s, 1:30 or 1h."
    ),
    bell_every: str | None = typer.Option(
        None, "--bell-every", metavar="D", help="A soft bell every D (such as 5m) while you sit."
    ),
    text: str | None = typer.Option(
        None, "--text", metavar="TEXT", help="A line of your own to show while you sit."
    ),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    plain: bool = PLAIN,
    speed: float = SPEED,
    no_log: bool = NO_LOG,
    no_bell: bool = NO_BELL,
    voice: bool | None = VOICE,
    sound: str | None = SOUND,
) -> None:
    """Sit quietly for a while: an opening bell, silence, a closing bell; logged as sit.

    Keys as in run: space pause, s soften, q end.
    """
    from kindful.practice.plan import timers

    asked = Asked(
        speed=speed, plain=plain, log=not no_log, bell=not no_bell, voice=voice, sound=sound
    )

    def make() -> Compiled:
        seconds = timers.sit_seconds(duration)
        every = None if bell_every is None else timers.sit_seconds(bell_every)
        return timers.sit_practice(seconds, every, text)

    _practise(make, asked, lang)


@app.command()
def breathe(
    pattern: str = typer.Argument(
        ...,
        metavar="PATTERN",
        help="resonant, box, 4-7-8, sigh, or IN-HOLD-OUT[-REST] in seconds (such as 4-2-6).",
    ),
    minutes: float | None = typer.Option(
        None, "--minutes", metavar="M", help="Breathe for about M minutes (whole breaths)."
    ),
    cycles: int | None = typer.Option(None, "--cycles", metavar="N", help="Take N breaths."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    plain: bool = PLAIN,
    speed: float = SPEED,
    no_log: bool = NO_LOG,
    no_bell: bool = NO_BELL,
    voice: bool | None = VOICE,
    sound: str | None = SOUND,
) -> None:
    """Paced breathing without a file: a named pattern or your own; logged as breathe.

    resonant: 5.5 breaths a minute. box: 4-4-4-4. 4-7-8: four breaths, with a caution about
    the hold. sigh: a double breath in, a long breath out. Without --minutes or --cycles: five
    minutes (box four, 4-7-8 four breaths).
    """
    from kindful.practice.plan import timers

    asked = Asked(
        speed=speed, plain=plain, log=not no_log, bell=not no_bell, voice=voice, sound=sound
    )

    def make() -> Compiled:
        chosen = timers.pattern(pattern)
        return timers.breathe_practice(chosen, timers.cycles_for(chosen, minutes, cycles))

    _practise(make, asked, lang)


def _practise(make: Callable[[], Compiled], asked: Asked, lang: str | None) -> None:
    """Make the practice (wrong input is a usage error) and run it as ``run`` would."""
    from kindful.cli import run as running
    from kindful.errors import UsageError
    from kindful.practice.plan.timers import TimerError
    from kindful.practice.plan.written import Found

    wanted = languages(lang)
    asked.check(wanted.ui)
    try:
        practice = make()
    except TimerError as error:
        raise UsageError(error.message(wanted.ui)) from None
    found = Found(practice=practice, path=Path(practice.id), origin="kindful")
    status = running._run(found, asked.options(found, wanted), running.EDGES)
    if status:
        raise typer.Exit(status)
