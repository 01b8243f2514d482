"""The ``render`` command: a practice as an audio file, with a WebVTT transcript beside it.

Only typer and the standard library load with this module; numpy, soundfile and the voice load
inside the command.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.errors import KindfulError


class RenderError(KindfulError):
    """The audio file cannot be made."""


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
) -> None:
    """Render a practice as an audio file: spoken guidance, bells, breathing cues, exact silences.

    Questions become their spoken prompt and a 10 s pause. A WebVTT transcript is written beside
    the file (FILE with .vtt).
    """
    from kindful import i18n
    from kindful.cli.run import _check_input_names, _given_inputs, _plan
    from kindful.errors import UsageError
    from kindful.practice.library import find_practice
    from kindful.settings import load_settings

    settings = load_settings()
    wanted = languages(lang)
    ui = wanted.ui
    if output is None:
        raise UsageError(i18n.t(ui, "sound.render.no_output"))
    from kindful.cli.budgets import check_minutes

    check_minutes(minutes, ui)
    from kindful.sound.mix import FORMATS, can_write

    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(i18n.t(ui, "sound.render.format", suffix=suffix or output.name))
    if not can_write(suffix):
        raise RenderError(i18n.t(ui, "sound.render.format_missing", suffix=suffix), path=output)
    given = _given_inputs(inputs or [], ui)
    found = find_practice(practice)
    chosen = wanted.for_texts(found.practice.languages_used())
    ui = wanted.ui_beside(chosen)
    _check_input_names(found, chosen, given, ui)
    answers = {q.name: given.get(q.name, q.default) for q in found.practice.questions(chosen)}
    plan = _plan(found, chosen, answers, minutes, ui)
    from kindful.sound.speech import author_clips

    clips, texts = author_clips(found.practice, plan, found.path)
    if texts is not None:
        from kindful.cli.hearing import note

        note(i18n.t(ui, "voice.in_your_voice", count=len(clips), total=texts))
    _render(plan, output, voice, settings, ui, clips)


def _render(
    plan: object,
    output: Path,
    voice_name: str | None,
    settings: object,
    ui: str,
    clips: object = None,
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from kindful.i18n import t
    from kindful.lengths import length
    from kindful.practice.plan import Plan
    from kindful.session.offline import lay_out
    from kindful.session.sounding import Hearing
    from kindful.settings import Settings
    from kindful.sound.mix import write_audio
    from kindful.sound.transcript import webvtt
    from kindful.sound.voice import find_voice

    assert isinstance(plan, Plan) and isinstance(settings, Settings)
    voices = dict(settings.voices)
    if voice_name:
        voices[plan.lang] = voice_name
    from kindful.sound.speech import speaking

    engine = find_voice(plan.lang, voices, settings.speech_rate)
    voice = speaking(engine, clips)  # type: ignore[arg-type]
    err = Console(stderr=True, highlight=False)
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
        task = bar.add_task(t(ui, "sound.render.progress"), total=len(plan.steps))
        rendering = lay_out(
            plan,
            hearing,
            ui=ui,
            tell=lambda line: err.print(f"kindful: {line}", markup=False),
            progress=lambda done, total: bar.update(task, completed=done),
        )
        bar.update(task, completed=len(plan.steps))
        mixing = bar.add_task(t(ui, "sound.render.mixing"), total=len(rendering.mixdown.placed))
        samples = rendering.mixdown.mix(
            rendering.seconds, progress=lambda done, total: bar.update(mixing, completed=done)
        )
    from kindful.atomic import write_text

    vtt = output.with_suffix(".vtt")
    try:
        write_audio(output, samples)
        write_text(vtt, webvtt(rendering.cues))
        _shareable(output, vtt)
    except OSError as error:
        reason = error.strerror or str(error)
        raise RenderError(t(ui, "sound.render.cannot_write", reason=reason), path=output) from None
    time_text = length(rendering.seconds, ui)
    print(t(ui, "sound.render.written", path=output, time=time_text, vtt=vtt))
    sys.stdout.flush()


def _shareable(*paths: Path) -> None:
    """Give the files the mode a new file gets here: they are made to be sent, not kept private."""
    import os

    mask = os.umask(0)
    os.umask(mask)
    for path in paths:
        os.chmod(path, 0o666 & ~mask)
