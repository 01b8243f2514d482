"""The live screen, drawn from a ``View``: pure functions that give rich renderables.

``render(view, title=..., lang=...)`` is the whole screen for one moment of a session;
``render_question`` the screen while a ``reflect`` or ``rate`` step waits for a typed answer.
Nothing here reads the clock or writes to the terminal, so tests render to a capture console.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import ClassVar

from rich.align import Align
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from kindful.i18n import t
from kindful.lengths import clock, number, short
from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    PlannedStep,
    Quote,
    Rate,
    Reflect,
    Silence,
    Survey,
)
from kindful.practice.plan.planner import visible_place as visible_place
from kindful.session.engine import BreathView, View

PACER_WIDTH = 36  # the widest the pacer grows, in columns, when the terminal has room
MEASURE = 72  # the widest the block of text grows: lines longer than this are hard to follow
ELLIPSIS = "…"
PACER_STYLE = Style(color="cyan")
DIM = Style(dim=True)


class Pacer:
    """The breathing pacer: a soft, centred shape whose width follows ``fraction`` (0..1).

    It keeps three rows at every size, so the screen does not jump as it grows and shrinks;
    empty lungs show as a single dot.
    """

    def __init__(self, fraction: float, style: Style = PACER_STYLE) -> None:
        self.fraction = min(1.0, max(0.0, fraction))
        self.style = style

    def widths(self, room: int) -> tuple[int, int]:
        """Give the widths of the middle row and the outer rows in ``room`` columns."""
        full = max(3, min(PACER_WIDTH, room))
        # Keep the parity of the full width so the shape stays centred as it changes.
        middle = 2 * round(self.fraction * full / 2) + full % 2
        middle = min(full, middle)
        outer = max(0, middle - 2 * max(1, middle // 8))
        if middle <= 1:
            return 0, 0
        return middle, outer

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = options.max_width
        middle, outer = self.widths(room)
        rows = (
            [" ", "·", " "]
            if middle == 0
            else ["▄" * outer, "█" * middle, "▀" * outer]
            if outer
            else [" ", "█" * middle, " "]
        )
        for row in rows:
            left = (room - len(row)) // 2
            yield Segment(" " * left)
            yield Segment(row, self.style)
            yield Segment(" " * (room - left - len(row)))
            yield Segment.line()


class KeysLine:
    """The keys shown on screen (``space pause · n next · ...``), wrapped between whole items.

    A narrow terminal breaks the line only at the `` · `` separators, never between a key and
    what it does.
    """

    def __init__(self, line: str, style: Style = DIM) -> None:
        self.items = line.split(" · ")
        self.style = style

    def lines(self, width: int) -> list[str]:
        """Give the rows the keys take in ``width`` columns."""
        rows: list[str] = []
        for item in self.items:
            if rows and len(rows[-1]) + 3 + len(item) <= width:
                rows[-1] += " · " + item
            else:
                rows.append(item)
        return rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for row in self.lines(options.max_width):
            yield Text(row, style=self.style)


def _key(part: RenderableType) -> Hashable | None:
    """Give what decides how ``part`` looks, for the parts this screen uses; None for others."""
    if isinstance(part, Text):
        spans = tuple((span.start, span.end, str(span.style)) for span in part.spans)
        return ("text", part.plain, str(part.style), spans, part.justify, part.no_wrap)
    if isinstance(part, Align):
        inner = _key(part.renderable)
        return None if inner is None else ("align", part.align, inner)
    if isinstance(part, Pacer):
        return ("pacer", part.fraction, str(part.style))
    if isinstance(part, KeysLine):
        return ("keys", tuple(part.items), str(part.style))
    if isinstance(part, Group):
        keys = tuple(_key(inner) for inner in part.renderables)
        return None if None in keys else ("group", keys)
    return None


class Guidance(Text):
    """The step's text: the part of the screen that a short terminal cuts, ending it with ``…``."""


class Stack:
    """Parts one below the other with a margin, like ``Padding(Group(*parts), (top, side))``.

    The block is at most ``MEASURE`` columns wide and sits in the middle of a wider terminal.
    Given a height (a live screen is), a block taller than it loses lines of its ``Guidance``
    first, then its blank lines and its top margin, so that the countdown and the keys stay.

    Between two frames of a session most of the screen is the same (the title, the step's
    text, the keys); each part's rendered lines are kept, keyed by what it shows and the
    width, so only the parts that changed (a countdown, the pacer) are laid out again. That
    keeps a live session's CPU low.
    """

    CACHE_SIZE = 256
    _cache: ClassVar[OrderedDict[Hashable, list[list[Segment]]]] = OrderedDict()

    def __init__(
        self, *parts: RenderableType, top: int = 1, side: int = 2, fit: bool = False
    ) -> None:
        self.parts = parts
        self.top = top
        self.side = side
        self.fit = fit  # cut to the height given, as a screen must

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        side = min(self.side, max(0, (width - 1) // 2))
        measure = min(MEASURE, width - 2 * side)
        inner = options.update(width=measure, height=None)
        margin = Segment(" " * ((width - measure) // 2))
        parts = [(part, self._lines(console, inner, part)) for part in self.parts]
        top = self.top
        if self.fit:  # a live frame is drawn in a Screen, which sets the terminal's height
            height = options.height if options.height is not None else options.max_height
            top, parts = _fit(parts, height, top, measure)
        for _ in range(top):
            yield Segment.line()
        for _, lines in parts:
            for line in lines:
                yield margin
                yield from line
                yield Segment.line()

    def _lines(
        self, console: Console, options: ConsoleOptions, part: RenderableType
    ) -> list[list[Segment]]:
        key = _key(part)
        if key is None:
            return console.render_lines(part, options, pad=False)
        key = (key, options.max_width, options.encoding, options.legacy_windows)
        cache = self._cache
        lines = cache.get(key)
        if lines is None:
            lines = cache[key] = console.render_lines(part, options, pad=False)
            if len(cache) > self.CACHE_SIZE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        return lines


Rendered = list[tuple[RenderableType, list[list[Segment]]]]


def _fit(parts: Rendered, height: int, top: int, width: int) -> tuple[int, Rendered]:
    """Give the top margin and the parts cut to ``height`` rows: guidance first, then blanks."""
    over = top + sum(len(lines) for _, lines in parts) - height
    if over <= 0:
        return top, parts
    fitted: Rendered = []
    for part, lines in parts:
        if over > 0 and isinstance(part, Guidance) and len(lines) > 1:
            keep = max(1, len(lines) - over)
            over -= len(lines) - keep
            lines = [*lines[: keep - 1], _ended(lines[keep - 1], width)]
        fitted.append((part, lines))
    if over > 0 and top:
        cut = min(top, over)
        top, over = top - cut, over - cut
    if over > 0:
        blank = [
            i for i, (part, _) in enumerate(fitted) if isinstance(part, Text) and not part.plain
        ]
        for index in reversed(blank[-over:]):  # the lowest blanks first, near the keys
            del fitted[index]
    return top, fitted


def _ended(line: list[Segment], width: int) -> list[Segment]:
    """Give a line of text ended with ``…`` to say that more was cut, within ``width``."""
    text = "".join(segment.text for segment in line).rstrip()
    style = next((s.style for s in line if s.text.strip()), None)
    if len(text) + 1 > width:
        text = text[: width - 1].rstrip()
    return [Segment(text + ELLIPSIS, style)]


def _keys_line(view: View, lang: str) -> KeysLine:
    return KeysLine(t(lang, "live.keys_soften" if view.softening else "live.keys"))


def _where(view: View, lang: str, place: tuple[int, int] | None = None, speed: float = 1) -> Text:
    """Give the line saying where the person is: step k of n, time left overall, a rehearsal."""
    index, total = place or (view.index + 1, view.total)
    parts = [t(lang, "live.step_of", index=index, total=total)]
    if view.total_left > 0:
        parts.append(t(lang, "live.left", time=clock(view.total_left)))
    if speed != 1:
        parts.append(t(lang, "live.rehearsal", speed=number(speed, lang)))
    return Text(" · ".join(parts), style=DIM)


def _countdown(seconds: int) -> RenderableType:
    return Align.center(Text(clock(seconds), style="bold"))


def _breath(breath: BreathView, lang: str) -> list[RenderableType]:
    phase = Text(t(lang, f"live.phase.{breath.phase.value}"), style="bold")
    phase.append(f"  {breath.phase_left}", style=Style(bold=False))
    cycle = Text(t(lang, "live.cycle", cycle=breath.cycle, cycles=breath.cycles), style=DIM)
    return [Pacer(breath.fraction), Text(), Align.center(phase), Align.center(cycle)]


def _step_body(view: View, lang: str) -> list[RenderableType]:
    """Give what a step shows, each kind in its own way."""
    step: PlannedStep = view.step
    body: list[RenderableType] = []
    if isinstance(step, Quote):
        body.append(Text(step.text, style="italic"))
        if step.by:
            body.append(Align.right(Text(f"— {step.by}", style=DIM)))
    elif isinstance(step, Bell):
        if step.text:
            body += [Text(step.text), Text()]
        strikes = " ".join("◦" for _ in range(max(1, step.strikes)))
        body.append(Align.center(Text(f"{strikes}  {t(lang, 'live.bell')}  {strikes}", style=DIM)))
        return body
    elif isinstance(step, Silence):
        body.append(Text(step.text) if step.text else Text(t(lang, "live.silence"), style=DIM))
    elif step.text:
        body.append(Guidance(step.text))

    if isinstance(step, Breathe) and view.breath is not None:
        body += [Text(), *_breath(view.breath, lang)]
    elif view.step_left is not None:
        body += [Text(), _countdown(view.step_left)]
        if isinstance(step, Silence) and step.bell_every:
            hint = t(lang, "live.bell_every", time=short(step.bell_every, lang))
            body.append(Align.center(Text(hint, style=DIM)))
    elif not isinstance(step, Rate | Reflect | Survey):
        body += [Text(), Text(t(lang, "live.continue"), style=DIM)]
    return body


def _soften_body(lang: str) -> list[RenderableType]:
    return [
        Text(t(lang, "live.soften.title"), style="bold"),
        Text(),
        Text(t(lang, "live.soften.feet")),
        Text(t(lang, "live.soften.breath")),
        Text(t(lang, "live.soften.kind"), style="italic"),
        Text(),
        Text(t(lang, "live.soften.stop")),
        Text(),
        Text(t(lang, "live.soften.back"), style=DIM),
    ]


def render(
    view: View,
    *,
    title: str,
    lang: str,
    place: tuple[int, int] | None = None,
    speed: float = 1,
    heart: str = "",
) -> RenderableType:
    """Give the live screen for ``view``: title, where, the step (or the interlude), keys.

    ``place`` is "step k of n" as a person counts (``visible_place``); ``speed`` other than 1
    says that this is a rehearsal; ``heart`` is the heart rate's line, shown under where.
    """
    where = _where(view, lang, place, speed)
    parts: list[RenderableType] = [Text(title, style="bold"), where]
    if heart:
        parts.append(Text(heart, style=DIM))
    parts.append(Text())
    parts += _soften_body(lang) if view.softening else _step_body(view, lang)
    parts.append(Text())
    if view.paused:
        parts += [Text(t(lang, "live.paused"), style="bold"), Text()]
    parts.append(_keys_line(view, lang))
    return Stack(*parts, fit=True)


def render_question(
    view: View,
    *,
    title: str,
    lang: str,
    problem: str | None = None,
    place: tuple[int, int] | None = None,
    speed: float = 1,
) -> RenderableType:
    """Give the screen above the line where a ``reflect`` or ``rate`` answer is typed."""
    step = view.step
    where = _where(view, lang, place, speed)
    parts: list[RenderableType] = [Text(title, style="bold"), where, Text()]
    parts.append(Guidance(step.text))
    if isinstance(step, Rate):
        scale = Text(f"{step.low} … {step.high}", style="bold")
        parts += [Text(), scale]
        digits = max(len(str(step.low)), len(str(step.high)))
        for number, label in sorted(step.labels.items()):
            parts.append(Text(f"  {number:>{digits}}  {label}"))
        hint = t(lang, "live.rate.hint", low=step.low, high=step.high)
    else:
        hint = t(lang, "live.reflect.hint")
    parts += [Text(), Text(hint, style=DIM)]
    if problem:
        parts.append(Text(problem, style="bold"))
    parts += [Text(), KeysLine(t(lang, "live.question_keys"))]
    return Stack(*parts, fit=True)


def render_item(
    view: View, index: int, *, title: str, lang: str, problem: str | None = None
) -> RenderableType:
    """Give the screen above the line where item ``index`` of a ``survey`` is answered."""
    step = view.step
    assert isinstance(step, Survey)
    where = t(lang, "live.survey.where", index=index + 1, total=len(step.items))
    parts: list[RenderableType] = [Text(title, style="bold"), _where(view, lang), Text()]
    parts += [Text(step.text, style=DIM), Text(where, style=DIM), Text()]
    parts.append(Text(step.items[index].text))
    parts += [Text(), Text(f"{step.low} … {step.high}", style="bold")]
    digits = max(len(str(step.low)), len(str(step.high)))
    for value, label in sorted(step.labels.items()):
        parts.append(Text(f"  {value:>{digits}}  {label}"))
    parts += [Text(), Text(t(lang, "live.rate.hint", low=step.low, high=step.high), style=DIM)]
    if problem:
        parts.append(Text(problem, style="bold"))
    return Stack(*parts)
