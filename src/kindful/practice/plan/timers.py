"""Practices made on the spot, without a file: ``sit`` (a quiet timer) and ``breathe`` (a pacer).

Each is built as the typed steps a practice file compiles to and checked by
``Compiled.from_data``, as a kept practice is, so that it runs through the same plan,
engine, screens, sound and log as any practice. Pure: no I/O; the texts come in both of
kindful's languages from the catalogues, and the run picks one as for any practice.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from kindful.i18n import t
from kindful.lengths import number
from kindful.practice.format.limits import (
    MAX_SECONDS,
    MAX_STEPS,
    MAX_TEXT,
    MIN_BELL_EVERY,
    MIN_BREATH,
)
from kindful.practice.format.texts import Text
from kindful.practice.plan import written
from kindful.practice.plan.written import Compiled

LANGUAGES = ("en", "de")
SIT_ID = "sit"
BREATHE_ID = "breathe"
CAUTION_SECONDS = 10.0  # the caution before a long hold is shown this long
LONG_HOLD = 10.0  # a hold longer than this gets the caution (as `validate` warns of it)
DEFAULT_MINUTES = 5.0  # a pattern without --minutes or --cycles (4-7-8 has its own)


class TimerError(ValueError):
    """What is wrong with what was asked for, in a catalogue key and its values."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        return t(lang, self.key, **self.values)


@dataclass(frozen=True)
class Pattern:
    """A breathing pattern: seconds of each phase, its name, and how long it runs by default."""

    name: str  # as the person wrote it, or the named pattern's name
    inhale: float
    hold: float
    out: float
    rest: float = 0.0
    text: str | None = None  # the catalogue key of the step's text, for a named pattern
    cycles: int | None = None  # the default length, in breaths ...
    minutes: float = DEFAULT_MINUTES  # ... or else in minutes
    caution: bool = False

    @property
    def seconds(self) -> float:
        """Give the seconds of one breath."""
        return self.inhale + self.hold + self.out + self.rest


RESONANT = 60 / 5.5 / 2  # 5.5 breaths a minute, in and out alike
NAMED = {
    "resonant": Pattern("resonant", RESONANT, 0, RESONANT, text="breathe.text.resonant"),
    "box": Pattern("box", 4, 4, 4, 4, text="breathe.text.box", minutes=4),
    "4-7-8": Pattern("4-7-8", 4, 7, 8, text="breathe.text.478", cycles=4, caution=True),
    "sigh": Pattern("sigh", 3, 0, 6, text="breathe.text.sigh"),
}
_SECONDS = r"\d{1,4}(?:\.\d{1,3})?"
_GIVEN = re.compile(rf"^({_SECONDS})-({_SECONDS})-({_SECONDS})(?:-({_SECONDS}))?$")


def pattern(text: str) -> Pattern:
    """Give the pattern named, or written as ``IN-HOLD-OUT[-REST]`` in seconds.

    Raises ``TimerError`` for anything else, and for an in or out breath under a second.
    """
    given = text.strip().lower()
    if given in NAMED:
        return NAMED[given]
    match = _GIVEN.match(given)
    if match is None:
        raise TimerError("breathe.unknown", value=text, named=", ".join(NAMED))
    inhale, hold, out, rest = (float(x) if x else 0.0 for x in match.groups())
    if inhale < MIN_BREATH or out < MIN_BREATH:
        raise TimerError("breathe.too_short", value=text)
    if inhale + hold + out + rest > MAX_SECONDS:
        raise TimerError("timer.too_long")
    return Pattern(given, inhale, hold, out, rest, caution=hold > LONG_HOLD)


def cycles_for(chosen: Pattern, minutes: float | None, cycles: int | None) -> int:
    """Give the breaths to take: ``cycles``, else as many as fill ``minutes``, else the default."""
    if minutes is not None and cycles is not None:
        raise TimerError("breathe.minutes_or_cycles")
    if cycles is not None:
        if not 1 <= cycles <= MAX_STEPS:
            raise TimerError("breathe.cycles_range", most=MAX_STEPS)
        count = cycles
    elif minutes is not None:
        if not 0 < minutes < math.inf:
            raise TimerError("run.minutes_positive")
        count = max(1, round(minutes * 60 / chosen.seconds))
    elif chosen.cycles is not None:
        count = chosen.cycles
    else:
        count = max(1, round(chosen.minutes * 60 / chosen.seconds))
    if count * chosen.seconds > MAX_SECONDS:
        raise TimerError("timer.too_long")
    return count


def breathe_practice(chosen: Pattern, count: int) -> Compiled:
    """Give the practice of ``count`` breaths of ``chosen``: a bell, a caution if due, the breaths, a bell."""
    steps: list[written.Step] = [written.Bell(1)]
    if chosen.caution:
        steps.append(written.Say(_both("breathe.caution"), CAUTION_SECONDS))
    text: Text = _both(chosen.text) if chosen.text else ""
    hold, rest = chosen.hold or 0.0, chosen.rest or 0.0
    steps.append(written.Breathe(text, chosen.inhale, chosen.out, hold, rest, count, None))
    steps.append(written.Bell(1))
    title = {lang: t(lang, "breathe.title", name=_shown(chosen, lang)) for lang in LANGUAGES}
    return _compiled(BREATHE_ID, title, steps)


RESONANCE_ID = "resonance"
RESONANCE_INTRO = 30.0  # seconds to settle before the first rate


def resonance_practice(
    rates: tuple[tuple[float, float, float], ...], seconds_each: float
) -> Compiled:
    """Give the resonance sweep: a bell, a word to settle, each ``(bpm, in, out)`` in turn, a bell."""
    steps: list[written.Step] = [
        written.Bell(1),
        written.Say(_both("resonance.intro"), RESONANCE_INTRO),
    ]
    for bpm, inhale, out in rates:
        shown = {lang: t(lang, "resonance.rate", rate=number(bpm, lang)) for lang in LANGUAGES}
        steps.append(written.Breathe(shown, inhale, out, 0.0, 0.0, None, seconds_each))
    steps.append(written.Bell(1))
    title = {lang: t(lang, "resonance.title") for lang in LANGUAGES}
    return _compiled(RESONANCE_ID, title, steps)


RESONANT_BREATHING = "resonant-breathing"


def paced_at(practice: Compiled, bpm: float) -> Compiled:
    """Give ``practice`` with every breath paced at ``bpm`` breaths a minute, its share kept.

    Each phase is scaled by the same factor, so an out-breath longer than the in-breath stays
    so; a breath counted in cycles keeps about its time. ``resonant-breathing`` is run this way
    when the setting ``resonance_bpm`` holds the rate ``kindful resonance`` found.
    """
    from dataclasses import replace

    from kindful.practice.plan.written import Breathe, Repeat, Step

    def paced(step: Step) -> Step:
        if isinstance(step, Repeat):
            return replace(step, steps=tuple(paced(inner) for inner in step.steps))
        if not isinstance(step, Breathe):
            return step
        cycle = step.inhale + step.hold + step.out + step.rest
        factor = 60.0 / bpm / cycle
        cycles = step.cycles
        if cycles is not None:
            cycles = max(1, round(cycles / factor))
        return replace(
            step,
            inhale=round(step.inhale * factor, 2),
            hold=round(step.hold * factor, 2),
            out=round(step.out * factor, 2),
            rest=round(step.rest * factor, 2),
            cycles=cycles,
        )

    return replace(practice, steps=tuple(paced(step) for step in practice.steps))


def _shown(chosen: Pattern, lang: str) -> str:
    if chosen.name == "resonant":
        return t(lang, "breathe.resonant_name", rate=number(5.5, lang))
    if chosen.name in NAMED:
        return chosen.name
    parts = (chosen.inhale, chosen.hold, chosen.out) + ((chosen.rest,) if chosen.rest else ())
    return "-".join(number(x, lang) for x in parts)


def sit_seconds(text: str) -> float:
    """Give the seconds of a DURATION given on the command line; ``TimerError`` if it is none."""
    from kindful.practice.format.duration_text import parse_duration

    try:
        seconds = parse_duration(text)
    except (ValueError, OverflowError):
        raise TimerError("timer.duration", value=text) from None
    if not 0 < seconds <= MAX_SECONDS:
        raise TimerError("timer.duration", value=text)
    return seconds


def sit_practice(
    seconds: float, bell_every: float | None = None, text: str | None = None
) -> Compiled:
    """Give a quiet sitting of ``seconds``: an opening bell, the silence, a closing bell."""
    if bell_every is not None:
        if bell_every < MIN_BELL_EVERY:
            raise TimerError("sit.bell_every_short", least=number(MIN_BELL_EVERY, "en"))
        if bell_every >= seconds:
            raise TimerError("sit.bell_every_long")
    if text is not None and (not text.strip() or len(text) > MAX_TEXT):
        raise TimerError("sit.text", most=MAX_TEXT)
    shown: Text = _literal(text.strip()) if text is not None else _both("sit.text_default")
    silence = written.Silence(seconds, shown, bell_every)
    title = {lang: t(lang, "sit.title") for lang in LANGUAGES}
    return _compiled(SIT_ID, title, [written.Bell(1), silence, written.Bell(1)])


def _literal(text: str) -> str:
    """Give a person's own words as a TEXT that shows them as typed: braces are no placeholders."""
    return text.replace("{", "{{").replace("}", "}}")


def _both(key: str) -> dict[str, str]:
    return {lang: t(lang, key) for lang in LANGUAGES}


def _compiled(practice_id: str, title: dict[str, str], steps: list[written.Step]) -> Compiled:
    """Give the practice checked as a kept practice is; ``TimerError`` where it fails."""
    practice = Compiled(
        id=practice_id,
        title=title,
        steps=tuple(steps),
        languages=LANGUAGES,
        summary=None,
        author=None,
        license=None,
        tags=(),
        sources=(),
        inputs=(),
    )
    try:
        return Compiled.from_data(practice.to_data())
    except ValueError:  # a text with a control character, say
        raise TimerError("timer.refused") from None
