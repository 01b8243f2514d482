"""``kindful resonance``: breathe at five slow rates and see where the heart follows most.

The sweep is a practice made on the spot (``practice/plan/timers.resonance_practice``) and run as
``run`` runs any practice, with a heart source that must be there before it begins; the beats
it gave are then scored rate by rate (``heart/resonance``). Only typer and the standard library
load with this module.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.cli.run_options import HEART, NO_BELL, NO_LOG, PLAIN, SOUND, SPEED, VOICE, Asked
from kindful.safe_text import console, say

if TYPE_CHECKING:
    from kindful.heart.monitor import HeartMonitor
    from kindful.heart.resonance import Resonance

FIRST_BEATS = 20.0  # seconds a strap has to send its first beats before the sweep begins


@app.command()
def resonance(
    heart: str | None = HEART,
    keep: bool | None = typer.Option(
        None,
        "--keep/--no-keep",
        help="Keep the rate found as resonance_bpm for resonant-breathing (asked on a terminal).",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    plain: bool = PLAIN,
    speed: float = SPEED,
    no_log: bool = NO_LOG,
    no_bell: bool = NO_BELL,
    voice: bool | None = VOICE,
    sound: str | None = SOUND,
) -> None:
    """Breathe at 6.5, 6, 5.5, 5 and 4.5 breaths a minute, two minutes each, with a heart
    source; then see at which rate your heart rate rose and fell most with the breath.

    It measures; it does not diagnose. See docs/heart.md.
    """
    import contextlib

    from kindful.cli import run as running
    from kindful.errors import UsageError
    from kindful.heart.resonance import RATES, SECONDS_EACH, breath
    from kindful.i18n import t
    from kindful.practice.plan.timers import resonance_practice
    from kindful.practice.plan.written import Found
    from kindful.settings import load_settings

    wanted = languages(lang)
    ui = wanted.ui
    asked = Asked(
        speed=speed, plain=plain, log=not no_log, bell=not no_bell, voice=voice, sound=sound
    )
    asked.check(ui)
    source = heart or load_settings().heart
    if not source:
        raise UsageError(t(ui, "resonance.no_source"))
    practice = resonance_practice(tuple((r, *breath(r)) for r in RATES), SECONDS_EACH)
    found = Found(practice=practice, path=Path(practice.id), origin="kindful")
    options = asked.options(found, wanted)
    monitor = _first_beats(source, speed, options.ui)
    # With --json, stdout holds the JSON alone: the practice's own lines go to stderr.
    out = contextlib.redirect_stdout(sys.stderr) if json_output else contextlib.nullcontext()
    with out:
        status = running._run(found, options, running.EDGES, heart=monitor)
    end = running.EDGES.clock()
    if status:
        raise typer.Exit(status)
    result = _scored(monitor, end, speed)
    if json_output:
        import json

        say(json.dumps(result.to_json()))
    else:
        _show(result, options.ui)
    if result.best_bpm is not None:
        _offer_to_keep(result.best_bpm, keep, options.ui)


def _first_beats(source: str, speed: float, ui: str) -> HeartMonitor:
    """Open the source and wait for its first beats; a source that gives none is an error."""
    from kindful.cli import run as running
    from kindful.errors import KindfulError
    from kindful.heart.monitor import monitor_for
    from kindful.i18n import t

    said: list[str] = []
    monitor = monitor_for(source, speed)
    monitor.note = said.append
    clock, sleep = running.EDGES.clock, running.EDGES.sleep
    start = clock()
    monitor.start(start)
    if monitor.source is not None and monitor.source.kind == "ble":
        say(f"kindful: {t(ui, 'resonance.looking')}", err=True)
    while not said and monitor.heart_rate is None and clock() - start < FIRST_BEATS:
        if not monitor.poll(clock()):
            sleep(0.25)
    if monitor.heart_rate is None:
        monitor.close()
        reason = said[0] if said else t(ui, "resonance.no_beats", seconds=int(FIRST_BEATS))
        raise KindfulError(t(ui, "resonance.cannot", reason=reason))
    from kindful.cli.hearing import note

    monitor.note = note
    return monitor


def _scored(monitor: HeartMonitor, end: float, speed: float) -> Resonance:
    from kindful.heart.resonance import RATES, SECONDS_EACH, analyse

    times, intervals = monitor.beats()
    spans = monitor.paced(end)
    each = SECONDS_EACH / speed
    segments = [
        (bpm, start * speed, min(stop, start + each) * speed)
        for bpm, (start, stop) in zip(RATES, spans, strict=False)
    ]
    return analyse([at * speed for at in times], intervals, segments)


def _show(result: Resonance, ui: str) -> None:
    from rich.table import Table

    from kindful.i18n import t
    from kindful.lengths import number

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column(t(ui, "resonance.col_rate"), justify="right")
    table.add_column(t(ui, "resonance.col_swing"), justify="right")
    table.add_column(t(ui, "resonance.col_beats"), justify="right")
    for rate in result.rates:
        mark = " ←" if rate.bpm == result.best_bpm else ""
        swing = number(round(rate.peak_to_trough_bpm, 1), ui) if rate.cycles else "·"
        table.add_row(number(rate.bpm, ui), swing + mark, str(rate.beats))
    shown = console()
    shown.print(table)
    if result.best_bpm is None:
        shown.print(t(ui, "resonance.none"))
    else:
        shown.print(t(ui, "resonance.best", rate=number(result.best_bpm, ui)))


def _offer_to_keep(bpm: float, keep: bool | None, ui: str) -> None:
    from kindful.i18n import t
    from kindful.lengths import number
    from kindful.settings import set_setting

    if keep is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            return  # nobody to ask, and nobody asked for it: nothing is kept
        answer = typer.prompt(t(ui, "resonance.keep_ask", rate=number(bpm, ui)), default="n")
        keep = answer.strip().lower() in ("y", "yes", "j", "ja")
    if keep:
        path = set_setting("resonance_bpm", f"{bpm:g}")
        say(t(ui, "resonance.kept", rate=number(bpm, ui), path=path), err=True)
