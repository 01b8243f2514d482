"""What a run plays: the bowl, the voice and the breathing cues, opened for one session.

Imported only by ``run`` once a session is about to start, so ``kindful`` starts without it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from kindful.safe_text import say

if TYPE_CHECKING:
    from kindful.cli.run_options import RunOptions
    from kindful.session.engine import Clock, Session
    from kindful.session.sounding import Guide
    from kindful.sound.speech import Clips


def guide_for(
    session: Session,
    options: RunOptions,
    clock: Clock,
    live: bool,
    tell: Callable[[str], None] | None = None,
) -> Guide | None:
    """Give what plays the session's sound, ``None`` for silence or the terminal's bell alone.

    What cannot be had (no device, no voice) is said through ``tell`` (stderr by default).

    The bowl plays by itself only where a person is listening at a terminal; a pipe or a log
    gets it only when asked for by name (``--sound bowl``, ``--voice``).
    """
    sound = options.sound if options.bell else "off"
    if not options.voice and (
        sound in ("terminal", "off") or (sound is None and not live and not _is_terminal_out())
    ):
        return None
    from kindful.session.sounding import Guide, Wanted, listen

    settings = options.settings
    tell = tell or note
    clips = _clips(session, options, tell) if options.voice else None
    wanted = Wanted(
        sound=sound,
        voice=options.voice,
        voices=settings.voices,
        speech_rate=settings.speech_rate,
        breath_cues=settings.breath_cues,
        volume=settings.volume,
        clips=clips,
    )
    sink, hearing, _ = listen(wanted, options.lang, options.ui, tell)
    if sink is None:
        return None
    if hearing.bells:
        from kindful.sound.bowl import BELL_GAP

        session.bell_gap = BELL_GAP
    return Guide(session, sink, hearing, lang=options.lang, clock=clock, tell=tell)


def _clips(session: Session, options: RunOptions, tell: Callable[[str], None]) -> Clips | None:
    """Give the author's recordings for this run, and say how many texts they cover."""
    if options.found is None:
        return None
    from kindful.i18n import t
    from kindful.sound.speech import author_clips

    clips, texts = author_clips(options.found.practice, session.plan, options.found.path)
    if texts is not None:
        tell(t(options.ui, "voice.in_your_voice", count=len(clips), total=texts))
    return clips


def note(line: str) -> None:
    """Say a line about the sound on stderr."""
    say(f"kindful: {line}", err=True)


def _is_terminal_out() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def heard_first(notes: list[str], ui: str, read_line: Callable[[], str | None] | None) -> bool:
    """Say what the sound cannot do, if anything, and ask whether to begin with text alone.

    Gives whether to begin: ``q`` (then Enter) says no. ``read_line`` is ``None`` for stdin.
    """
    if not notes:
        return True
    from kindful.i18n import t
    from kindful.safe_text import say
    from kindful.session.plain import stdin_line

    for line in notes:
        note(line)
    notes.clear()
    say(t(ui, "run.voice_missing_go_on"), end=" ", flush=True)
    answer = (read_line or stdin_line)()
    return answer is None or answer.strip().lower() != "q"
