"""Recording a practice's texts in the author's own voice: the ``Recorder`` and its screen.

The ``Recorder`` walks the texts to record (``kindful.practice.plan.own_voice``) and reacts to keys:
``r`` record, ``space`` stop, ``p`` play back, ``enter`` keep, ``x`` record again, ``n``/``b``
next and back, ``q`` leave. It knows nothing of terminals or devices: a take comes from a
``Source`` (the microphone, or a file in the tests), playing goes through a ``play`` function,
and time from an injected clock, so that the tests drive it by hand. ``screen(recorder)`` gives
the lines to show; ``record_live`` runs both on a terminal.
"""

from __future__ import annotations

import os
import select
import shutil
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from kindful.i18n import t
from kindful.lengths import length
from kindful.practice.plan.own_voice import ToRecord
from kindful.practice.plan.speaking import words

if TYPE_CHECKING:  # numpy and the sound load once the first text is on screen
    from kindful.sound.bowl import Samples
    from kindful.sound.capture import Source

TICK = 0.05  # seconds between looks at the microphone while recording
METER_WIDTH = 30
METER_FLOOR = -60.0  # dBFS at the meter's left end
MAX_TAKE = 600.0  # seconds: a take is stopped by itself after ten minutes
BOLD, PLAIN = "\x1b[1m", "\x1b[0m"


class State(Enum):
    """Where the author is with the text on screen."""

    READY = "ready"
    RECORDING = "recording"
    TAKEN = "taken"  # a take, cleaned, waiting to be kept or done again


@dataclass(frozen=True)
class Take:
    """A take as it will be kept, with what it says about fitting its step."""

    samples: Samples

    @property
    def seconds(self) -> float:
        from kindful.sound.bowl import RATE

        return len(self.samples) / RATE


class Recorder:
    """The recording of one practice's texts (see the module docstring)."""

    def __init__(
        self,
        texts: list[ToRecord],
        folder: Path,
        *,
        ui: str,
        listen: Callable[[], Source],
        play: Callable[[Samples], None],
        clock: Callable[[], float],
    ) -> None:
        self.texts = texts
        self.folder = folder
        self.ui = ui
        self.listen = listen
        self.play = play
        self.clock = clock
        self.index = 0
        self.state = State.READY
        self.take: Take | None = None
        self.level = METER_FLOOR
        self.message = ""
        self.kept = 0
        self.done = False
        self._source: Source | None = None
        self._heard: list[Samples] = []
        self._started = 0.0

    @property
    def text(self) -> ToRecord:
        return self.texts[self.index]

    def clip(self, text: ToRecord | None = None) -> Path:
        """Give the file the recording of ``text`` (the one on screen) is kept in."""
        return self.folder / f"{(text or self.text).key}.flac"

    def recorded(self) -> int:
        """Give how many of the texts have a recording."""
        return sum(self.clip(text).is_file() for text in self.texts)

    @property
    def seconds(self) -> float:
        """Give how long the take under way has run."""
        return self.clock() - self._started if self.state is State.RECORDING else 0.0

    # -- keys ------------------------------------------------------------------------------

    def press(self, key: str) -> None:
        """React to one key: ``r``, ``space``, ``p``, ``enter``, ``x``, ``n``, ``b`` or ``q``."""
        self.message = ""
        if self.state is State.RECORDING:
            if key in (" ", "space", "enter", "r"):
                self._stop()
            elif key == "q":
                self._abandon()
                self.done = True
            return
        if key in ("r", "x"):
            self._start()
        elif key == "p":
            self._play()
        elif key == "enter" and self.take is not None:
            self._keep()
        elif key == "n":
            self._move(1)
        elif key == "b":
            self._move(-1)
        elif key == "q":
            self.done = True

    def tick(self) -> None:
        """While recording, take what the microphone heard and move the level meter."""
        if self.state is not State.RECORDING or self._source is None:
            return
        from kindful.sound.capture import level_db

        heard = self._source.read()
        if len(heard):
            self._heard.append(heard)
            self.level = max(METER_FLOOR, level_db(heard))
        if self.seconds >= MAX_TAKE:
            self._stop()

    # -- inside ----------------------------------------------------------------------------

    def _start(self) -> None:
        self.take = None
        self._heard = []
        self._source = self.listen()
        self._started = self.clock()
        self.state = State.RECORDING
        self.level = METER_FLOOR

    def _finish_source(self) -> Samples:
        import numpy as np

        if self._source is not None:
            self._heard.append(self._source.read())
            self._source.close()
            self._source = None
        heard = np.concatenate(self._heard) if self._heard else np.zeros(0, dtype=np.float32)
        self._heard = []
        return heard

    def _abandon(self) -> None:
        self._finish_source()
        self.state = State.READY

    def _stop(self) -> None:
        from kindful.sound.takes import SilentTake, clean

        heard = self._finish_source()
        try:
            self.take = Take(clean(heard))
        except SilentTake:
            self.take = None
            self.state = State.READY
            self.message = t(self.ui, "record.silent")
            return
        self.state = State.TAKEN

    def _play(self) -> None:
        if self.take is not None:
            self.play(self.take.samples)
            return
        from kindful.sound.takes import read_clip

        kept = read_clip(self.clip()) if self.clip().is_file() else None
        if kept is not None:
            self.play(kept)
        else:
            self.message = t(self.ui, "record.nothing_to_play")

    def _keep(self) -> None:
        from kindful.sound.takes import write_clip

        assert self.take is not None
        try:
            write_clip(self.clip(), self.take.samples)
        except OSError as error:
            self.message = t(
                self.ui,
                "record.cannot_write",
                folder=str(self.folder),
                reason=error.strerror or str(error),
            )
            return
        self.kept += 1
        self.take = None
        self.state = State.READY
        if self.index + 1 < len(self.texts):
            self.index += 1
            self.message = t(self.ui, "record.kept_next")
        else:
            self.message = t(self.ui, "record.kept_last")

    def _move(self, step: int) -> None:
        target = self.index + step
        if 0 <= target < len(self.texts):
            self.index = target
            self.take = None
            self.state = State.READY


def fit(take_seconds: float, text: ToRecord, ui: str) -> list[str]:
    """Give what a take says about its step: its length and pace, and a warning if too long."""
    pace = words(text.shown) * 60.0 / take_seconds if take_seconds > 0 else 0.0
    lines = [t(ui, "record.take", seconds=length(take_seconds, ui), pace=round(pace))]
    if text.seconds is not None:
        lines[0] += " " + t(ui, "record.against", step=length(text.seconds, ui))
        if take_seconds > text.seconds:
            lines.append(t(ui, "record.too_long", step=length(text.seconds, ui)))
    return lines


def meter(level: float, width: int = METER_WIDTH) -> str:
    """Give the level meter for ``level`` dBFS: a bar from -60 to 0 dB."""
    filled = round((min(0.0, max(METER_FLOOR, level)) - METER_FLOOR) / -METER_FLOOR * width)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


@dataclass(frozen=True)
class Screen:
    """What the recorder shows: a heading, the text (shown large), and what to do."""

    head: list[str]
    text: list[str]
    foot: list[str]


def screen(recorder: Recorder) -> Screen:
    """Give what the recorder shows now (plain text; the caller makes it safe to show)."""
    ui = recorder.ui
    text = recorder.text
    step = length(text.seconds, ui) if text.seconds is not None else t(ui, "record.untimed")
    head = t(ui, "record.place", n=recorder.index + 1, total=len(recorder.texts), step=step)
    if recorder.clip().is_file():
        head += "  " + t(ui, "record.has_clip")
    lines: list[str] = []
    if recorder.state is State.RECORDING:
        seconds = length(recorder.seconds, ui)
        lines.append(f"● {t(ui, 'record.recording')} {seconds}  {meter(recorder.level)}")
        lines.append(t(ui, "record.keys_recording"))
    elif recorder.state is State.TAKEN and recorder.take is not None:
        lines += fit(recorder.take.seconds, text, ui)
        lines.append(t(ui, "record.keys_taken"))
    else:
        lines.append(t(ui, "record.keys_ready"))
    if recorder.message:
        lines += ["", recorder.message]
    return Screen([head], text.shown.splitlines() or [""], lines)


def record_live(recorder: Recorder, *, fd: int, open_microphone: Callable[[], None]) -> None:
    """Run ``recorder`` on the terminal ``fd``: draw, read keys, tick, until ``q``.

    The first text is drawn before ``open_microphone`` is called, so that opening the device
    never keeps the text from the screen.
    """
    from kindful.safe_text import visible
    from kindful.session.terminal import LiveTerminal

    out = sys.stdout
    keys = {b" ": "space", b"\r": "enter", b"\n": "enter"}
    with LiveTerminal(fd, out):

        def draw() -> None:
            now = screen(recorder)
            lines = [visible(line, newlines=False) for line in now.head] + [""]
            # Large as a terminal allows: bold, set in from the margin, a line apart.
            width = max(20, shutil.get_terminal_size().columns - 8)
            for paragraph in now.text:
                for line in textwrap.wrap(visible(paragraph, newlines=False), width) or [""]:
                    lines += [BOLD + "    " + line + PLAIN, ""]
            lines += [visible(line, newlines=False) for line in now.foot]
            out.write("\x1b[H\x1b[2J" + "\r\n".join(lines))
            out.flush()

        draw()
        open_microphone()
        while not recorder.done:
            wait = TICK if recorder.state is State.RECORDING else None
            ready, _, _ = select.select([fd], [], [], wait)
            if ready:
                data = os.read(fd, 64)
                if not data:
                    break
                for byte in data:
                    char = bytes([byte])
                    recorder.press(keys.get(char, char.decode("latin-1").lower()))
            recorder.tick()
            draw()
