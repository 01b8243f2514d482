"""The live screen, drawn from a ``View``: pure functions that give rich renderables.

``render(view, title=..., lang=...)`` is the whole screen for one moment of a session;
``render_question`` the screen while a ``reflect`` or ``rate`` step waits for a typed answer.
Nothing here reads the clock or writes to the terminal, so tests render to a capture console.
"""

from __future__ import annotations

from rich.align import Align
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from kindful.engine import BreathView, View
from kindful.i18n import t
from kindful.plan import Bell, Breathe, PlannedStep, Quote, Rate, Reflect, Silence

PACER_WIDTH = 36  # the widest the pacer grows, in columns, when the terminal has room
PACER_STYLE = Style(color="cyan")
DIM = Style(dim=True)


def clock_time(seconds: int) -> str:
    """Give whole seconds as a countdown reads: ``0:05``, ``12:30``, ``1:02:03``."""
    seconds = max(0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def seconds_text(seconds: float) -> str:
    """Give a planned length for a hint: ``1:00``, or ``5.5 s`` below a minute."""
    if seconds >= 60:
        return clock_time(round(seconds))
    return f"{seconds:g} s"


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


def _keys_line(view: View, lang: str) -> KeysLine:
    return KeysLine(t(lang, "live.keys_soften" if view.softening else "live.keys"))


def _where(view: View, lang: str) -> Text:
    """Give the line saying where the person is: step k of n, time left overall."""
    parts = [t(lang, "live.step_of", index=view.index + 1, total=view.total)]
    if view.total_left > 0:
        parts.append(t(lang, "live.left", time=clock_time(view.total_left)))
    return Text(" · ".join(parts), style=DIM)


def _countdown(seconds: int) -> RenderableType:
    return Align.center(Text(clock_time(seconds), style="bold"))


def _breath(breath: BreathView, lang: str) -> RenderableType:
    phase = Text(t(lang, f"live.phase.{breath.phase.value}"), style="bold")
    phase.append(f"  {breath.phase_left}", style=Style(bold=False))
    cycle = Text(t(lang, "live.cycle", cycle=breath.cycle, cycles=breath.cycles), style=DIM)
    return Group(Pacer(breath.fraction), Text(), Align.center(phase), Align.center(cycle))


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
        body.append(Text(step.text))

    if isinstance(step, Breathe) and view.breath is not None:
        body += [Text(), _breath(view.breath, lang)]
    elif view.step_left is not None:
        body += [Text(), _countdown(view.step_left)]
        if isinstance(step, Silence) and step.bell_every:
            hint = t(lang, "live.bell_every", time=seconds_text(step.bell_every))
            body.append(Align.center(Text(hint, style=DIM)))
    elif not isinstance(step, Rate | Reflect):
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


def render(view: View, *, title: str, lang: str) -> RenderableType:
    """Give the live screen for ``view``: title, where, the step (or the interlude), keys."""
    parts: list[RenderableType] = [Text(title, style="bold"), _where(view, lang), Text()]
    parts += _soften_body(lang) if view.softening else _step_body(view, lang)
    parts.append(Text())
    if view.paused:
        parts += [Text(t(lang, "live.paused"), style="bold"), Text()]
    parts.append(_keys_line(view, lang))
    return Padding(Group(*parts), (1, 2))


def render_question(
    view: View, *, title: str, lang: str, problem: str | None = None
) -> RenderableType:
    """Give the screen above the line where a ``reflect`` or ``rate`` answer is typed."""
    step = view.step
    parts: list[RenderableType] = [Text(title, style="bold"), _where(view, lang), Text()]
    parts.append(Text(step.text))
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
    return Padding(Group(*parts), (1, 2, 0, 2))
