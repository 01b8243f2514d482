"""The ``share`` command: one page a client can keep, with the practice's audio inside it.

Only typer and the standard library load with this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.cli.render import RenderError
from kindful.safe_text import say

SHARE_KBPS = 64  # MP3 for a page: every browser plays it, and speech needs no more
CHUNK = 3 * 1 << 16  # bytes of audio turned into base64 at a time (a multiple of 3)
AUDIO_HOLE = "\x00audio\x00"  # where the audio's address goes, while the page is written


@app.command()
def share(
    practice: str = typer.Argument(..., help="A practice id, or a path to a .yaml file."),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="PAGE.html", help="The page to write."
    ),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    voice: str | None = typer.Option(
        None, "--voice", metavar="NAME", help="The voice: an engine's voice name or a piper model."
    ),
    inputs: list[str] | None = typer.Option(
        None,
        "--input",
        metavar="NAME=VALUE",
        help="Answer an input (repeatable; else its default).",
    ),
    audio_beside: bool = typer.Option(
        False, "--audio-beside", help="Write the audio as PAGE.mp3 beside the page, not inside."
    ),
    force: bool = typer.Option(False, "--force", help="Write over PAGE (and its audio) unasked."),
    bitrate: int | None = typer.Option(
        None, "--bitrate", metavar="KBPS", help=f"kbit/s of the MP3 (default {SHARE_KBPS})."
    ),
) -> None:
    """Write one page for a client: the practice's audio, its transcript as it plays, the script.

    The page works offline and on a phone, and prints as a script. Nothing on it names an id, a
    file path or a log key.
    """
    from kindful import i18n
    from kindful.cli.render import check_format, may_write_over, planned
    from kindful.cli.stopping import stopping
    from kindful.errors import UsageError
    from kindful.settings import load_settings

    wanted = languages(lang)
    ui = wanted.ui
    if output is None:
        raise UsageError(i18n.t(ui, "handover.no_page"))
    if output.suffix.lower() not in (".html", ".htm"):
        raise UsageError(i18n.t(ui, "handover.page_suffix", suffix=output.suffix or output.name))
    audio = output.with_suffix(".mp3")
    check_format(audio, bitrate, ui)
    chosen, plan, found = planned(practice, lang, inputs, None)
    ui = wanted.ui_beside(chosen)
    may_write_over([output, audio] if audio_beside else [output], force, ui)
    settings = load_settings()
    with stopping(ui):
        if audio_beside:
            heard = make_heard(plan, found, audio, voice, settings, ui, bitrate, audio.name)
            write_page(output, found.practice, plan, heard, None)
        else:
            from kindful.atomic import scratch

            with scratch(output) as temp:
                mp3 = temp.with_suffix(".mp3")  # the encoder is told the format by the name
                try:
                    heard = make_heard(plan, found, mp3, voice, settings, ui, bitrate, AUDIO_HOLE)
                    write_page(output, found.practice, plan, heard, mp3)
                finally:
                    mp3.unlink(missing_ok=True)
    from kindful.cli.render import _shareable
    from kindful.lengths import length

    _shareable(output)
    time = length(heard.seconds, ui)
    if audio_beside:
        say(i18n.t(ui, "handover.page_beside", path=output, audio=audio, time=time), flush=True)
    else:
        size = f"{output.stat().st_size / 1e6:.1f} MB"
        say(i18n.t(ui, "handover.page_written", path=output, time=time, size=size), flush=True)


def make_heard(
    plan: Any,
    found: Any,
    audio: Path,
    voice: str | None,
    settings: Any,
    ui: str,
    bitrate: int | None,
    src: str,
    album: str | None = None,
) -> Any:
    """Render ``plan`` to ``audio`` and give it as a page shows it (``Heard``), at ``src``."""
    from kindful.cli.render import render_file
    from kindful.practice.views.pages import Heard
    from kindful.sound.transcript import webvtt

    rendering = render_file(
        plan, found, audio, voice, settings, ui, bitrate=bitrate or SHARE_KBPS, album=album
    )
    cues = sorted(rendering.cues, key=lambda cue: cue.start)
    return Heard(
        src=src,
        mime="audio/mpeg",
        vtt=webvtt(cues),
        cues=[(cue.start, cue.end, cue.text) for cue in cues],
        seconds=rendering.seconds,
    )


def write_page(
    output: Path, practice: Any, plan: Any, heard: Any, embed: Path | None, html: str | None = None
) -> None:
    """Write the page, the audio at ``embed`` streamed into it as base64 (if given)."""
    from kindful.atomic import replacing
    from kindful.practice.views.pages import share_page

    text = html if html is not None else share_page(practice, plan, plan.lang, heard)
    try:
        with replacing(output) as out:
            if embed is None:
                out.write(text.encode("utf-8"))
                return
            before, after = text.split(AUDIO_HOLE, 1)
            out.write(before.encode("utf-8"))
            out.write(b"data:audio/mpeg;base64,")
            stream_base64(embed, out)
            out.write(after.encode("utf-8"))
    except OSError as error:
        from kindful.i18n import t

        reason = error.strerror or str(error)
        message = t(plan.lang, "sound.render.cannot_write", reason=reason)
        raise RenderError(message, path=output) from None


def stream_base64(path: Path, out: BinaryIO) -> None:
    """Write the file at ``path`` to ``out`` as base64, a chunk at a time."""
    import base64

    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            out.write(base64.b64encode(chunk))
