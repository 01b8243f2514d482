"""The ``record`` command: the author records each text of a practice in their own voice.

Only typer and the standard library load with this module; the practice, numpy and the
microphone load inside the command, the microphone once the first text is on screen.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.errors import KindfulError
from kindful.safe_text import say, visible

if TYPE_CHECKING:
    from kindful.practice.plan.own_voice import ToRecord

AUDIO = (".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif")
_NUMBERED = re.compile(r"^0*(\d+)$")


class RecordError(KindfulError):
    """The recordings cannot be made or kept."""


@app.command()
def record(
    practice: str = typer.Argument(..., help="A practice id, or a path to a .yaml file."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    show_list: bool = typer.Option(
        False, "--list", help="Print the texts, numbered, as they will be recorded."
    ),
    import_from: Path | None = typer.Option(
        None,
        "--import",
        metavar="DIR",
        help="Take 01.wav, 02.flac, ... (numbered as --list) instead of the microphone.",
    ),
    status: bool = typer.Option(
        False, "--status", help="Say which texts are recorded, missing, or recorded for no text."
    ),
) -> None:
    """Record each text of a practice in your own voice, for run --voice and render.

    Keys: r record, space stop, p play back, enter keep, x record again, n/b next and back,
    q leave (what was kept stays kept).
    """
    from kindful.errors import UsageError
    from kindful.practice.format.recordings import voice_folder
    from kindful.practice.library import find_practice
    from kindful.practice.plan.own_voice import texts_to_record

    wanted = languages(lang)
    found = find_practice(practice)
    chosen = wanted.for_texts(found.practice.languages_used())
    ui = wanted.ui_beside(chosen)
    if sum((show_list, status, import_from is not None)) > 1:
        raise UsageError(t(ui, "record.one_of"))
    texts = texts_to_record(found.practice, chosen)
    folder = voice_folder(found.path, chosen)
    if show_list:
        _list(texts, ui)
    elif status:
        _status(texts, folder, ui)
    elif import_from is not None:
        _import(texts, folder, import_from, ui)
    else:
        _record(texts, folder, ui)


def t(ui: str, key: str, **values: object) -> str:
    from kindful.i18n import t as say

    return say(ui, key, **values)


def _out(line: str) -> None:
    say(visible(line, newlines=False))


def _when(text: ToRecord, ui: str) -> str:
    from kindful.lengths import length

    return length(text.seconds, ui) if text.seconds is not None else t(ui, "record.untimed")


def _list(texts: list[ToRecord], ui: str) -> None:
    for text in texts:
        _out(f"{text.number:>3}  [{_when(text, ui)}]  {text.text}")


def _status(texts: list[ToRecord], folder: Path, ui: str) -> None:
    keys = {text.key for text in texts}
    recorded = [text for text in texts if (folder / f"{text.key}.flac").is_file()]
    orphaned = sorted(path.name for path in _clips(folder) if path.stem not in keys)
    for text in texts:
        mark = t(ui, "record.recorded") if text in recorded else t(ui, "record.missing")
        _out(f"{text.number:>3}  {mark:<10} {text.text}")
    for name in orphaned:
        _out(f"  -  {t(ui, 'record.orphaned'):<10} {folder / name}")
    _out(
        t(
            ui,
            "record.summary",
            recorded=len(recorded),
            total=len(texts),
            missing=len(texts) - len(recorded),
            orphaned=len(orphaned),
        )
    )


def _clips(folder: Path) -> list[Path]:
    try:
        return [path for path in folder.iterdir() if path.suffix == ".flac" and path.is_file()]
    except OSError:
        return []


def _writable(folder: Path, ui: str) -> None:
    """Make the clips' folder, or say in one line why it cannot be."""
    import os

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RecordError(
            t(ui, "record.cannot_write", folder=str(folder), reason=error.strerror or str(error))
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RecordError(t(ui, "record.cannot_write", folder=str(folder), reason=os.strerror(13)))


def _import(texts: list[ToRecord], folder: Path, source: Path, ui: str) -> None:
    from kindful.sound.takes import SilentTake, clean, read_audio, write_clip

    if not source.is_dir():
        raise RecordError(t(ui, "record.no_folder", folder=str(source)))
    takes: dict[int, Path] = {}
    for path in sorted(source.iterdir()):
        match = _NUMBERED.match(path.stem)
        if path.suffix.lower() in AUDIO and match and path.is_file():
            number = int(match.group(1))
            if number in takes:
                raise RecordError(
                    t(ui, "record.twice", number=number, first=takes[number].name, second=path.name)
                )
            takes[number] = path
    if not takes:
        raise RecordError(t(ui, "record.no_takes", folder=str(source)))
    _writable(folder, ui)
    problems: list[str] = []
    kept: list[int] = []
    for number, path in sorted(takes.items()):
        if not 1 <= number <= len(texts):
            problems.append(
                t(ui, "record.no_such_text", file=path.name, number=number, total=len(texts))
            )
            continue
        try:
            samples = clean(read_audio(path))
        except SilentTake:
            problems.append(f"{path.name}: {t(ui, 'record.silent')}")
            continue
        except Exception as error:  # soundfile's errors have no common class
            problems.append(t(ui, "record.unreadable", file=path.name, reason=str(error)))
            continue
        text = texts[number - 1]
        try:
            write_clip(folder / f"{text.key}.flac", samples)
        except OSError as error:
            raise RecordError(
                t(
                    ui,
                    "record.cannot_write",
                    folder=str(folder),
                    reason=error.strerror or str(error),
                )
            ) from None
        kept.append(number)
    if kept:
        _out(
            t(
                ui,
                "record.imported",
                count=len(kept),
                numbers=", ".join(map(str, kept)),
                folder=str(folder),
            )
        )
    if problems:
        raise RecordError("\n".join(problems))


def _record(texts: list[ToRecord], folder: Path, ui: str) -> None:
    from kindful.session.recording import Recorder, record_live

    if not texts:
        raise RecordError(t(ui, "record.nothing"))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise RecordError(t(ui, "record.needs_terminal"))
    _writable(folder, ui)
    device: list[Any] = []

    def play(samples: Any) -> None:
        from kindful.sound.output import NoDevice, open_device

        if not device:
            try:
                device.append(open_device())
            except NoDevice as error:
                recorder.message = str(error)
                return
        device[0].play(samples, "take")

    def listen() -> Any:
        from kindful.sound.capture import open_microphone

        return open_microphone()

    def check_microphone() -> None:
        # Once the first text is on screen: numpy and the device load only now.
        from kindful.sound.capture import NoMicrophone, open_microphone

        try:
            open_microphone().close()
        except NoMicrophone as error:
            raise RecordError(t(ui, "record.no_microphone", reason=str(error))) from None

    recorder = Recorder(texts, folder, ui=ui, listen=listen, play=play, clock=time.monotonic)
    try:
        record_live(recorder, fd=sys.stdin.fileno(), open_microphone=check_microphone)
    finally:
        for sink in device:
            sink.close()
    _out(t(ui, "record.left", kept=recorder.kept, recorded=recorder.recorded(), total=len(texts)))
