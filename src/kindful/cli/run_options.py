"""The options every way of practising shares: ``run``, ``today --run``, ``sit``, ``breathe``.

Each command declares them with these same typer options and settles them through ``Asked``,
so that a pace, a sound or a voice means the same wherever a practice is run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from kindful import safe_text

if TYPE_CHECKING:
    from kindful.i18n import Languages
    from kindful.practice.plan.written import Found
    from kindful.settings import Settings

# The options every way of practising takes (``run``, ``today --run``, ``sit``, ``breathe``).
SPEED = typer.Option(
    1.0, "--speed", metavar="X", help="Run the clock X times faster: a rehearsal for authors."
)
PLAIN = typer.Option(
    False, "--plain", help="No animation: one line per prompt, for screen readers and logs."
)
NO_LOG = typer.Option(False, "--no-log", help="Do not write the session to the log.")
NO_BELL = typer.Option(False, "--no-bell", help="Do not ring the bell.")
VOICE = typer.Option(
    None, "--voice/--no-voice", help="Speak the guidance aloud (an offline voice engine)."
)
SOUND = typer.Option(
    None,
    "--sound",
    metavar="bowl|terminal|off",
    help="The bell: a singing bowl, the terminal's, or none.",
)
HEART = typer.Option(
    None,
    "--heart",
    metavar="SOURCE",
    help="Follow the heart rhythm: ble, ble:ADDRESS, or a file of RR intervals in ms.",
)


SOUNDS = ("bowl", "terminal", "off")


@dataclass(frozen=True, kw_only=True)
class Asked:
    """The options of a run as typed: ``run``, ``today --run``, ``sit`` and ``breathe`` share them."""

    speed: float = 1.0
    plain: bool = False
    log: bool = True
    bell: bool = True  # False: --no-bell
    voice: bool | None = None  # None: the setting decides
    sound: str | None = None
    heart: str | None = None  # None: the setting decides

    def check(self, ui: str, minutes: float | None = None) -> None:
        """Refuse, as wrong usage, a pace or a sound no run can have."""
        from kindful import i18n
        from kindful.errors import UsageError

        if not 0 < self.speed < math.inf:  # nan and inf too: a log line must stay valid JSON
            raise UsageError(i18n.t(ui, "run.speed_positive"))
        from kindful.cli.budgets import check_minutes

        check_minutes(minutes, ui)
        if self.sound is not None and self.sound not in SOUNDS:
            raise UsageError(i18n.t(ui, "sound.choice", value=safe_text.echoed(self.sound)))

    def options(
        self,
        found: Found,
        wanted: Languages,
        inputs: dict[str, str] | None = None,
        minutes: float | None = None,
        program: dict[str, Any] | None = None,
    ) -> RunOptions:
        """Give the settled options of one run of ``found``: languages, settings, outputs."""
        from kindful.settings import load_settings

        settings = load_settings()
        chosen = wanted.for_texts(found.practice.languages_used())
        return RunOptions(
            lang=chosen,
            ui=wanted.ui_beside(chosen),
            inputs=dict(inputs or {}),
            minutes=minutes,
            speed=self.speed,
            settings=settings,
            plain=self.plain,
            log=self.log,
            bell=settings.bell and self.bell,
            program=program,
            sound="off" if not self.bell else self.sound or settings.sound,
            voice=settings.voice if self.voice is None else self.voice,
            found=found,
            heart=self.heart or settings.heart,
        )


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """What one run was asked for, settled: its languages, answers, pace and outputs."""

    lang: str  # the practice's language for this run
    ui: str  # kindful's own words
    inputs: dict[str, str]  # answers given with --input
    minutes: float | None
    speed: float
    settings: Settings
    plain: bool
    log: bool
    bell: bool
    program: dict[str, Any] | None = None  # the program's day this run is, from `today --run`
    sound: str | None = None  # bowl, terminal, off; None: the bowl where it can be heard
    voice: bool = False
    found: Found | None = None  # where the practice came from: its recordings lie beside it
    heart: str | None = None  # where heartbeats come from (--heart), if anywhere
