"""``kindful today``: what to practise today, and ``today --run`` to run it.

The next day of the program followed, or, without one, a practice to begin with. Only typer and
the standard library load with this module; ``today`` works from cached outlines and the end of
the log, so that it starts nearly as fast as ``--version``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.cli.program import _followed, _today_in
from kindful.cli.run_options import NO_BELL, NO_LOG, PLAIN, SOUND, SPEED, VOICE, Asked
from kindful.safe_text import say, say_json

if TYPE_CHECKING:
    from kindful.i18n import Languages
    from kindful.journal.reader import SessionLog
    from kindful.journal.record import SessionRecord
    from kindful.journal.tally import Tally
    from kindful.program.helps import Offer, Reading
    from kindful.program.outline import Outline
    from kindful.program.state import Following
    from kindful.program.today import Today


@app.command()
def today(
    run_it: bool = typer.Option(False, "--run", help="Run today's practices now."),
    repeat: bool = typer.Option(
        False, "--repeat", help="The last day done instead, to ease back in after a pause."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout and nothing else."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    plain: bool = PLAIN,
    speed: float = SPEED,
    no_log: bool = NO_LOG,
    no_bell: bool = NO_BELL,
    voice: bool | None = VOICE,
    sound: str | None = SOUND,
) -> None:
    """What to practise today: the next day of your program, or a gentle suggestion.

    With --run it runs them, taking the options of run (--plain, --speed, --no-bell, --voice,
    --sound, --no-log).
    """
    asked = Asked(
        speed=speed, plain=plain, log=not no_log, bell=not no_bell, voice=voice, sound=sound
    )
    wanted = languages(lang)
    asked.check(wanted.ui)
    followed = _followed(wanted)
    if followed is None:
        _suggest(wanted, as_json=as_json, run_it=run_it, asked=asked)
        return
    current, outline = followed
    offered = _today_in(current, outline, wanted.ui)
    if run_it:
        status = _run_day(current, outline, offered, wanted, repeat=repeat, asked=asked)
        if status:
            raise typer.Exit(status)
        return
    practices = _practices()
    extra = _offer_beside_program(practices)
    if as_json:
        shown = offered.as_json()
        if extra is not None:
            shown["suggested"] = _suggested_json(extra, wanted)
        say_json(shown)
        return
    say(_today_text(offered, wanted, practices))
    if extra is not None:
        say("")
        say(_offer_text(extra, practices, wanted))


def _today_text(offered: Today, wanted: Languages, practices: dict[str, Any]) -> str:
    from kindful import i18n
    from kindful.program.outline import pick

    outline = offered.outline
    text_lang = wanted.for_texts(outline.languages)
    ui = wanted.ui_beside(text_lang)
    title = pick(outline.title, text_lang)
    if offered.finished:
        return i18n.t(ui, "program.finished", title=title)
    lines: list[str] = []
    if offered.greeting.welcome_back:
        lines += [i18n.t(ui, "today.welcome_back"), ""]
    elif offered.greeting.done_today:
        lines += [i18n.t(ui, "today.done_today"), ""]
    day = offered.day
    week = outline.weeks[day.week - 1]
    lines.append(
        i18n.t(ui, "today.where", title=title, week=day.week, day=day.day, days=len(week.days))
    )
    lines.append(pick(week.title, text_lang))
    if week.text:
        lines += ["", pick(week.text, text_lang)]
    lines.append("")
    missing = offered.missing
    left = list(missing)
    for ref in day.practices:
        name, length = _describe(ref, practices, wanted)
        if ref in left:
            left.remove(ref)
            lines.append(i18n.t(ui, "today.practice", title=name, length=length))
        else:
            lines.append(i18n.t(ui, "today.practice_done", title=name))
    lines += ["", i18n.t(ui, "today.run")]
    last = offered.last_day
    if offered.greeting.welcome_back and last is not None:
        lines.append(i18n.t(ui, "today.repeat", week=last.week, day=last.day))
    return "\n".join(lines)


def _practices() -> dict[str, Any]:
    from kindful.practice.library import read_catalogue

    return {entry.id: entry for entry in read_catalogue().entries}


def _describe(ref: str, practices: dict[str, Any], wanted: Languages) -> tuple[str, str]:
    from kindful.lengths import clock

    entry = practices.get(ref)
    if entry is None:
        return ref, "?"
    return entry.title(wanted.for_texts(entry.languages)), clock(entry.planned_seconds)


def _suggest(wanted: Languages, *, as_json: bool, run_it: bool, asked: Asked) -> None:
    """Offer a practice without a program: what has helped, else a short or a long-missed one."""
    from kindful import i18n
    from kindful.cli.log import _say_skipped
    from kindful.program.helps import offer
    from kindful.program.today import suggest

    practices = _practices()
    reading, sums, log = _reading()
    last = sums.last_days() if sums is not None else {}
    _say_skipped(log, wanted.ui)
    extra = offer(reading, practices, following=False)
    offered = suggest([(ref, e.planned_seconds) for ref, e in practices.items()], last)
    chosen = extra.practice if extra is not None else offered.practice
    if as_json:
        shown = offered.as_json()
        if chosen is not None:
            shown["practices"] = [chosen]
            why = extra or offered.why
            shown["suggested"] = _suggested_json(why, wanted, chosen)
        say_json(shown)
        return
    if chosen is None:
        say(i18n.t(wanted.ui, "today.nothing"))
        return
    if run_it:
        status = _run_one(chosen, None, wanted, asked=asked)
        if status:
            raise typer.Exit(status)
        return
    if extra is not None:
        say(_offer_text(extra, practices, wanted))
    else:
        assert offered.practice is not None
        name, length = _describe(offered.practice, practices, wanted)
        key = "today.short" if offered.why == "short" else "today.least_recent"
        say(i18n.t(wanted.ui, key, title=name, length=length, id=offered.practice))
    say(i18n.t(wanted.ui, "today.follow"))


def _now() -> Any:
    from datetime import datetime

    return datetime.now().astimezone()


def _reading(sums: bool = True) -> tuple[Reading, Tally | None, SessionLog]:
    """Read the log for what ``today`` offers, without reading it whole.

    Today's latest stress rating comes from the end of the log (``sessions_since``); with
    ``sums``, what has helped and each practice's last day come from the sums ``stats`` keeps
    (``journal.stats_cache``: only what was appended since is read, the whole log only when
    there are none yet). ``log.skipped`` is what a reading of the whole log skips.
    """
    from datetime import datetime, time

    from kindful.journal.reader import SessionLog
    from kindful.journal.recent import sessions_since
    from kindful.paths import home
    from kindful.program.helps import STEM, Reading

    now = _now()
    reading = Reading(now.date())
    midnight = datetime.combine(now.date(), time(0), now.tzinfo)
    found = None
    with SessionLog(home()) as log:
        if sums:
            from kindful.journal.stats_cache import sums as cached_sums

            found = cached_sums(log)
            reading.take_changes(found.changes_of(STEM))
        skipped = log.skipped
        reading.add(sessions_since(log, midnight), changes=False)
        if sums:
            log.skipped = skipped
    return reading, found, log


def _offer_beside_program(practices: dict[str, Any]) -> Offer | None:
    """Give what to offer beside the program's day: only on a hard day (see ``helps``)."""
    from kindful.program.helps import offer

    reading, _, _ = _reading(sums=False)
    if not reading.hard_day:
        return None
    reading, _, _ = _reading()  # a hard day: what has helped, from the sums of the whole log
    return offer(reading, practices, following=True)


def _offer_text(extra: Offer, practices: dict[str, Any], wanted: Languages) -> str:
    """Give the sentence that offers: it says why, and leaves the choice with the person."""
    from kindful import i18n
    from kindful.lengths import number

    ui = wanted.ui
    name, length = _describe(extra.practice, practices, wanted)
    values: dict[str, Any] = {"title": name, "length": length, "id": extra.practice}
    if extra.helped is not None:
        values["change"] = number(abs(round(extra.helped.mean_change, 1)), ui)
        values["count"] = extra.helped.count
    key = {
        ("helped", False): "today.offer.helped",
        ("helped", True): "today.offer.hard_helped",
        ("first_aid", True): "today.offer.hard_first_aid",
    }[(extra.reason, extra.hard)]
    return i18n.t(ui, key, **values)


def _suggested_json(
    why: Offer | str, wanted: Languages, chosen: str | None = None
) -> dict[str, str]:
    """Give ``{"id", "why", "reason"}`` of a practice offered (``why`` in kindful's words)."""
    from kindful import i18n
    from kindful.lengths import number

    ui = wanted.ui
    if isinstance(why, str):  # the usual suggestion: short and new, or least recent
        assert chosen is not None
        return {"id": chosen, "why": i18n.t(ui, f"today.why.{why}"), "reason": why}
    if why.helped is not None:
        change = number(abs(round(why.helped.mean_change, 1)), ui)
        text = i18n.t(ui, "today.why.helped", change=change, count=why.helped.count)
    else:
        text = i18n.t(ui, "today.why.hard")
    return {"id": why.practice, "why": text, "reason": why.reason}


def _run_day(
    current: Following,
    outline: Outline,
    offered: Today,
    wanted: Languages,
    *,
    repeat: bool,
    asked: Asked,
) -> int:
    """Run the practices the day still lacks (or, with ``repeat``, all of the last day's)."""
    from kindful import i18n

    if repeat and offered.last_day is not None:
        day = offered.last_day
        for ref in day.practices:
            status = _run_one(ref, _marker(outline, day), wanted, asked=asked)
            if status:
                return status
        return 0
    if offered.finished:
        say(i18n.t(wanted.ui, "today.nothing_to_run"))
        return 0
    day, index = offered.day, offered.index
    from kindful.journal.record import counts

    missing = offered.missing
    while missing:
        made: list[SessionRecord] = []
        status = _run_one(missing[0], _marker(outline, day), wanted, asked=asked, made=made)
        if status:
            return status
        if not made or not made[0].completed:
            return 0  # ended early: the day waits, with no word about it
        if not asked.log or made[0].speed != 1:  # a rehearsal or unlogged: the day as it was
            missing = missing[1:]
            continue
        if not counts(made[0].to_dict()):
            return 0  # skipped through: it does not count, and the day waits for it
        again = _today_in(current, outline, wanted.ui)
        left = [] if again.progress.done[index] else again.progress.missing(index)
        if len(left) >= len(missing):
            return 0
        missing = left
    return 0


def _marker(outline: Outline, day: Any) -> dict[str, Any]:
    return {"id": outline.id, "week": day.week, "day": day.day}


def _run_one(
    ref: str,
    marker: dict[str, Any] | None,
    wanted: Languages,
    *,
    asked: Asked,
    made: list[SessionRecord] | None = None,
) -> int:
    """Run one practice as ``kindful run`` would, its record carrying the program's day."""
    from kindful.cli import run as running
    from kindful.practice.library import find_practice

    found = find_practice(ref)
    options = asked.options(found, wanted, program=marker)
    return running._run(found, options, running.EDGES, made)
