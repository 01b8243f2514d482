"""The ``render`` command: a practice as an audio file, with a WebVTT transcript beside it.

Only typer and the standard library load with this module; numpy, soundfile and the voice load
inside the command.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.errors import KindfulError
from kindful.safe_text import console, say


class RenderError(KindfulError):
    """The audio file cannot be made."""


FORCE_HELP = "Write over FILE (and its transcript) unasked."
BITRATE_HELP = "kbit/s for .mp3 (default 128), .opus (64) and .ogg (about 64)."


@app.command()
def render(
    practice: str = typer.Argument(..., help="A practice id, or a path to a .yaml file."),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="The audio file: .wav, .flac, .ogg, .opus or .mp3.",
    ),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    inputs: list[str] | None = typer.Option(
        None,
        "--input",
        metavar="NAME=VALUE",
        help="Answer an input (repeatable; else its default).",
    ),
    minutes: float | None = typer.Option(
        None, "--minutes", metavar="M", help="Scale the timed steps to M minutes in all."
    ),
    voice: str | None = typer.Option(
        None,
        "--voice",
        metavar="NAME",
        help="The voice: an engine's voice name or a piper model file.",
    ),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    bitrate: int | None = typer.Option(None, "--bitrate", metavar="KBPS", help=BITRATE_HELP),
) -> None:
    """Render a practice as an audio file: spoken guidance, bells, breathing cues, exact silences.

    Questions become their spoken prompt and a 10 s pause. A WebVTT transcript is written beside
    the file (FILE with .vtt). The sound is brought to -19 LUFS and tagged with the title, the
    author and the sources.
    """
    from kindful import i18n
    from kindful.errors import UsageError
    from kindful.settings import load_settings

    settings = load_settings()
    wanted = languages(lang)
    ui = wanted.ui
    if output is None:
        raise UsageError(i18n.t(ui, "sound.render.no_output"))
    from kindful.cli.budgets import check_minutes

    check_minutes(minutes, ui)
    check_format(output, bitrate, ui)
    chosen, plan, found = planned(practice, lang, inputs, minutes)
    ui = wanted.ui_beside(chosen)
    vtt = output.with_suffix(".vtt")
    may_write_over([output, vtt], force, ui)
    from kindful.cli.stopping import stopping

    with stopping(ui):
        rendering = render_file(plan, found, output, voice, settings, ui, bitrate=bitrate, vtt=vtt)
    seconds = rendering.seconds
    from kindful.lengths import length

    time_text = length(seconds, ui)
    say(i18n.t(ui, "sound.render.written", path=output, time=time_text, vtt=vtt))
    sys.stdout.flush()


def check_format(output: Path, bitrate: int | None, ui: str) -> None:
    """Refuse a suffix kindful cannot write, and a bitrate the format cannot take (usage)."""
    from kindful.errors import UsageError
    from kindful.i18n import t
    from kindful.sound.mix import FORMATS, can_write

    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(t(ui, "sound.render.format", suffix=suffix or output.name))
    if not can_write(suffix):
        raise RenderError(t(ui, "sound.render.format_missing", suffix=suffix), path=output)
    if bitrate is not None:
        from kindful.sound.master import KBPS_RANGE

        if suffix not in KBPS_RANGE:
            raise UsageError(t(ui, "handover.bitrate_lossless", suffix=suffix))
        low, high = KBPS_RANGE[suffix]
        if not low <= bitrate <= high:
            raise UsageError(
                t(ui, "handover.bitrate", low=low, high=high, suffix=suffix, value=bitrate)
            )


def planned(
    practice: str, lang: str | None, inputs: list[str] | None, minutes: float | None
) -> tuple[str, Any, Any]:
    """Give the language chosen, the plan and the practice found, as ``run`` would plan it."""
    from kindful.cli.run import _check_input_names, _given_inputs, _plan
    from kindful.practice.library import find_practice

    wanted = languages(lang)
    given = _given_inputs(inputs or [], wanted.ui)
    found = find_practice(practice)
    chosen = wanted.for_texts(found.practice.languages_used())
    ui = wanted.ui_beside(chosen)
    _check_input_names(found, chosen, given, ui)
    answers = {q.name: given.get(q.name, q.default) for q in found.practice.questions(chosen)}
    return chosen, _plan(found, chosen, answers, minutes, ui), found


def may_write_over(paths: list[Path], force: bool, ui: str) -> None:
    """Go on if none of ``paths`` is there, or ``--force``, or the person says yes on a terminal.

    Elsewhere (a script, a pipe) a file that is there is refused: exit 1, nothing written.
    """
    from kindful.i18n import t

    there = [path for path in paths if path.exists()]
    if not there or force:
        return
    if not sys.stdin.isatty():
        raise RenderError(t(ui, "handover.exists"), path=there[0])
    from kindful.cli.ask import confirmed

    if len(there) == 1:
        question = t(ui, "handover.overwrite", path=there[0])
    else:
        question = t(ui, "handover.overwrite_both", path=there[0], vtt=there[1])
    if not confirmed(question, ui, err=True):
        raise RenderError(t(ui, "handover.not_overwritten"), path=there[0])


def tags_for(plan: Any, found: Any, album: str | None = None) -> Any:
    """Give the tags of a rendered practice: its title, its author, the program, its sources."""
    from kindful.sound.master import Tags

    practice = found.practice
    sources = "; ".join(source.cite for source in practice.sources) or None
    return Tags(
        title=plan.title,
        artist=practice.author or "kindful",
        album=album,
        comment=sources,
        lang=plan.lang,
    )


def render_file(
    plan: object,
    found: object,
    output: Path,
    voice_name: str | None,
    settings: object,
    ui: str,
    *,
    bitrate: int | None = None,
    vtt: Path | None = None,
    album: str | None = None,
) -> Any:
    """Write ``plan`` as audio to ``output`` (and its transcript to ``vtt``); give the
    ``Rendering`` (its cues, its seconds)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from kindful.i18n import t
    from kindful.practice.plan.planner import Plan
    from kindful.session.offline import lay_out
    from kindful.session.sounding import Hearing
    from kindful.settings import Settings
    from kindful.sound.master import write_programme
    from kindful.sound.transcript import webvtt
    from kindful.sound.voice_choice import find_voice

    assert isinstance(plan, Plan) and isinstance(settings, Settings)
    from kindful.sound.speech import author_clips, speaking

    clips, texts = author_clips(found.practice, plan, found.path)  # type: ignore[attr-defined]
    if texts is not None:
        from kindful.cli.hearing import note

        note(t(ui, "voice.in_your_voice", count=len(clips), total=texts))
    voices = dict(settings.voices)
    if voice_name:
        voices[plan.lang] = voice_name
    engine = find_voice(plan.lang, voices, settings.speech_rate)
    voice = speaking(engine, clips)
    err = console(stderr=True)
    if engine is None:
        err.print(f"kindful: {t(ui, 'sound.render.no_voice')}", markup=False)
    if engine is not None and voice is not None:
        from kindful.sound.voice import VoiceError

        try:
            voice.speak(plan.title, plan.lang)  # a voice name the engine does not know fails here
        except VoiceError as error:
            raise RenderError(str(error)) from None
    cues = settings.breath_cues
    hearing = Hearing(bells=settings.sound != "off", voice=voice, breath_cues=cues)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        if engine is not None and voice is not None:
            speaking_task = bar.add_task(t(ui, "voice.speaking"))
            _speak_ahead(
                plan,
                voice,
                lambda done, total: bar.update(speaking_task, completed=done, total=total),
            )
        task = bar.add_task(t(ui, "sound.render.progress"), total=len(plan.steps))
        rendering = lay_out(
            plan,
            hearing,
            ui=ui,
            tell=lambda line: err.print(f"kindful: {line}", markup=False),
            progress=lambda done, total: bar.update(task, completed=done),
            opening=t(plan.lang, "handover.opening"),
        )
        bar.update(task, completed=len(plan.steps))
        mixing = bar.add_task(t(ui, "sound.render.mixing"), total=1)
        try:
            write_programme(
                output,
                rendering.mixdown,
                rendering.seconds,
                tags_for(plan, found, album),
                kbps=bitrate,
                progress=lambda done, total: bar.update(mixing, completed=done, total=total),
            )
            if vtt is not None:
                from kindful.atomic import write_text

                write_text(vtt, webvtt(rendering.cues))
                _shareable(output, vtt)
            else:
                _shareable(output)
        except OSError as error:
            reason = error.strerror or str(error)
            raise RenderError(
                t(ui, "sound.render.cannot_write", reason=reason), path=output
            ) from None
    return rendering


def _shareable(*paths: Path) -> None:
    """Give the files the mode a new file gets here: they are made to be sent, not kept private."""
    import os

    mask = os.umask(0)
    os.umask(mask)
    for path in paths:
        os.chmod(path, 0o666 & ~mask)


def _speak_ahead(plan: object, voice: object, progress: Callable[[int, int], None]) -> None:
    """Synthesise the plan's texts side by side, a thread a core (four at most), so that the
    laying out finds each in the speech cache; a text that fails is met again there, and said."""
    import contextlib
    import os
    from concurrent.futures import ThreadPoolExecutor

    from kindful.practice.plan.own_voice import spoken
    from kindful.practice.plan.planner import Plan
    from kindful.sound.speech import Speech
    from kindful.sound.voice import VoiceError

    assert isinstance(plan, Plan) and isinstance(voice, Speech)
    texts = list(dict.fromkeys(spoken(step) for step in plan.steps if spoken(step).strip()))

    def say(text: str) -> None:
        with contextlib.suppress(VoiceError):
            voice.speak(text, plan.lang)

    with ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
        for done, _ in enumerate(pool.map(say, texts), 1):
            progress(done, len(texts))
