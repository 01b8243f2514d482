"""Commands about practices: list, show, validate, schema, new.

Only typer and the standard library are imported here at start-up; each command imports
what it needs when it runs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.cli.complete import practice_ids
from kindful.safe_text import console, json_safe, say, say_json

if TYPE_CHECKING:
    from kindful.errors import Problem
    from kindful.i18n import Languages
    from kindful.practice.checking.validated import Report
    from kindful.practice.library import Entry
    from kindful.sound.voice_choice import MeasuredSpeech


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout and nothing else."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """List the practices kindful can find, and where each came from."""
    from kindful.practice.library import read_catalogue

    catalogue = read_catalogue()
    for problem in catalogue.problems:
        say(f"kindful: not listed: {problem}", err=True)
    wanted = languages(lang)
    if as_json:
        import json

        rows = []
        for e in catalogue.entries:
            chosen = wanted.for_texts(e.languages)
            rows.append(
                {
                    "id": e.id,
                    "title": e.title(chosen),
                    "summary": e.summary(chosen),
                    "planned_seconds": round(e.planned_seconds, 3),
                    "languages": e.languages,
                    "origin": e.origin,
                    "path": e.path,
                    "shadows": e.shadows,
                }
            )
        say(json_safe(json.dumps(rows, ensure_ascii=False, indent=2)))
        return
    say(_list_table(catalogue.entries, wanted))


def _list_table(entries: list[Entry], wanted: Languages) -> str:
    from kindful import i18n
    from kindful.lengths import length

    ui = wanted.ui
    if not entries:
        return i18n.t(ui, "list.empty")
    heads = [i18n.t(ui, k) for k in ("list.id", "list.title", "list.length", "list.languages")]
    rows = []
    for e in entries:
        origin = _origin(e.origin, ui)
        if e.shadows:
            shadowed = ", ".join(_origin(o, ui) for o in e.shadows)
            origin += " (" + i18n.t(ui, "list.shadows", origin=shadowed) + ")"
        chosen = wanted.for_texts(e.languages)
        rows.append(
            [e.id, e.title(chosen), length(e.planned_seconds, ui), ",".join(e.languages), origin]
        )
    heads.append(i18n.t(ui, "list.origin"))
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads) - 1)]
    lines = []
    for row in [heads, *rows]:
        cells = [row[i].ljust(widths[i]) if i != 2 else row[i].rjust(widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    return "\n".join(lines)


def _origin(origin: str, ui: str) -> str:
    from kindful import i18n

    return i18n.t(ui, "list.built_in") if origin == "built-in" else origin


@app.command()
def show(
    practice: str = typer.Argument(
        ...,
        metavar="PRACTICE",
        help="A practice id, or a path to a .yaml file.",
        autocompletion=practice_ids,
    ),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    output: str = typer.Option(
        "text", "--format", help="text, markdown or html: a script to print or send."
    ),
    minutes: float | None = typer.Option(
        None, "--minutes", metavar="M", help="Preview the practice scaled to M minutes."
    ),
    for_author: bool = typer.Option(
        False, "--for-author", help="Show the id and the log keys too (a client sees neither)."
    ),
) -> None:
    """Show a practice as a script: every step with its time, the total, inputs, sources."""

    from kindful import i18n
    from kindful.errors import UsageError
    from kindful.practice.library import find_practice
    from kindful.practice.plan.planner import make_plan, scaling_note

    if output not in ("text", "markdown", "html"):
        raise UsageError(f"--format should be text, markdown or html, not {output!r}")
    wanted = languages(lang)
    from kindful.cli.budgets import check_minutes

    check_minutes(minutes, wanted.ui)
    if _show_program(practice, wanted, output, for_author):
        return
    found = find_practice(practice)
    chosen = wanted.for_texts(found.practice.languages_used())
    answers = {q.name: q.default or f"‹{q.name}›" for q in found.practice.questions(chosen)}
    ui = wanted.ui_beside(chosen)
    try:
        plan = make_plan(found.practice, chosen, answers, minutes)
    except ValueError:  # --minutes with nothing timed to scale
        raise UsageError(i18n.t(ui, "run.nothing_to_scale")) from None
    note = scaling_note(plan, ui)
    if note is not None:
        say(f"kindful: {note}", err=True)
    if output == "text":
        from kindful.practice.views.script import render_script

        console().print(render_script(found.practice, plan, ui, for_author))
        return
    from kindful.practice.views import script_formats

    render = script_formats.render_html if output == "html" else script_formats.render_markdown
    say(render(found.practice, plan, ui, for_author), end="")


def _show_program(ref: str, wanted: Any, output: str, for_author: bool) -> bool:
    """Show ``ref`` if it names a program (its weeks and days); tell whether it did."""
    from kindful.errors import NotFoundError
    from kindful.program.library import find_program

    try:
        outline = find_program(ref)
    except NotFoundError:
        return False  # a practice (or nothing: find_practice says so)
    from kindful.program import show as showing  # rich's tables: only for a program

    program = showing.printed(outline, wanted.for_texts(outline.languages))
    if output == "text":
        console().print(showing.render_text(program, for_author))
    elif output == "markdown":
        say(showing.render_markdown(program, for_author), end="")
    else:
        say(showing.render_html(program, for_author), end="")
    return True


@app.command()
def validate(
    targets: list[Path] = typer.Argument(
        ..., metavar="FILE...", help="Practice files, or folders to search."
    ),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail too (exit 1)."),
    output: str = typer.Option(
        "text",
        "--format",
        metavar="[text|json]",
        help="text: PATH:LINE:COL: message lines; json: a list for tools.",
    ),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, hidden=True),
) -> None:
    """Check practice files; print every problem as PATH:LINE:COL: message, warnings too."""
    from kindful import i18n
    from kindful.errors import UsageError

    if output not in ("text", "json"):
        raise UsageError(f"--format should be text or json, not {output!r}")
    ui = languages(lang).ui
    files: list[Path] = []
    for target in targets:
        found = _practice_files(target)
        if not found:
            say(i18n.t(ui, "validate.none", path=target), err=True)
            raise typer.Exit(1)
        files += found
    bad = errors = warned = 0
    report: list[Problem] = []
    _voices_here.cache_clear()  # once a run: the settings may have changed since
    _measured_speech.cache_clear()
    for path in files:
        found_errors, found_warnings = _file_problems(path, files)
        if not found_errors:
            found_warnings = [*found_warnings, *_unrecorded(path)]
        if found_errors:
            bad += 1
            errors += len(found_errors)
            report += sorted([*found_errors, *found_warnings])
            continue
        warned += len(found_warnings)
        report += found_warnings
    if output == "json":
        import json

        say(json_safe(json.dumps([p.as_dict() for p in report], ensure_ascii=False, indent=2)))
    else:
        for problem in report:
            say(str(problem))
    if bad:
        problems = i18n.tn(ui, "validate.problems", errors, count=errors)
        summary = i18n.tn(
            ui, "validate.files_bad", len(files), files=len(files), bad=bad, problems=problems
        )
    elif warned:
        counted = i18n.tn(ui, "validate.warnings", warned, count=warned)
        summary = i18n.tn(
            ui, "validate.files_warned", len(files), files=len(files), warnings=counted
        )
    else:
        summary = i18n.tn(ui, "validate.files_ok", len(files), files=len(files))
    say(summary, err=True)
    if bad or (strict and warned):
        raise typer.Exit(1)


def _file_problems(path: Path, files: list[Path]) -> Report:
    """Give the problems and the warnings of a practice or program file, read once."""
    from kindful.errors import PracticeError
    from kindful.practice.checking.file_text import read_text
    from kindful.practice.library import is_program_text

    try:
        text = read_text(path)  # the report kept for a practice is the report of this text
    except PracticeError as error:
        return list(error.problems), []
    if is_program_text(text):
        return _program_problems(path, files)
    return _practice_problems(text, path)


def _practice_problems(text: str, path: Path) -> Report:
    """Give the problems and the warnings of a practice's text; a text known, from before."""
    from kindful.errors import PracticeError
    from kindful.practice.checking.validated import keep_report, known_report, report_key

    voices = _voices_here()
    key = report_key(text, path)
    if voices is not None:  # the report rests on the voices that measured it
        key = report_key(f"{key}\0{voices}", path)
    known = known_report(key)
    if known is not None:
        return known
    from kindful.practice.checking.warnings import text_warnings

    try:
        speech = _measured_speech() if voices is not None else None
        report: Report = ([], text_warnings(text, path, speech))
    except PracticeError as error:
        report = (list(error.problems), [])
    keep_report(key, report)
    return report


def _unrecorded(path: Path) -> list[Problem]:
    """Give a warning for each text without a recording, in each language the author has begun
    to record (``STEM.voice/LANG`` beside the file); none where they have not."""
    from kindful.errors import PracticeError, Problem
    from kindful.practice.format.recordings import voice_folder

    if not voice_folder(path, "").is_dir():
        return []
    from kindful.practice.plan.own_voice import texts_to_record

    try:
        from kindful.practice.checking.file_text import read_text
        from kindful.practice.library import find_practice

        found = find_practice(str(path))
        lines = read_text(path).splitlines()
    except PracticeError:
        return []  # a program, or a file that cannot be read: said elsewhere
    problems = []
    for lang in found.practice.languages_used() or ["en"]:
        folder = voice_folder(path, lang)
        if not folder.is_dir():
            continue
        for text in texts_to_record(found.practice, lang):
            if (folder / f"{text.key}.flac").is_file():
                continue
            first = text.text.split(" — ")[0][:40]
            line = next((n for n, row in enumerate(lines, 1) if first in " ".join(row.split())), 1)
            message = (
                f"text {text.number} has no recording in `{lang}` "
                f"(kindful record {path} --lang {lang})"
            )
            problems.append(
                Problem(str(path), line, 1, message, severity="warning", code="no-recording")
            )
    return problems


@functools.cache
def _voices_here() -> str | None:
    """Give what names the voices that would measure speech here (the engines' programs and
    models as they are, and the settings), ``None`` when there is none: cheap, for the key of
    a kept report."""
    import os
    import shutil

    from kindful.settings import load_settings

    settings = load_settings()
    found = [shutil.which("espeak-ng"), shutil.which("say")]
    found += [str(Path(v).expanduser()) for v in settings.voices.values() if v.endswith(".onnx")]
    stamps = []
    for name in filter(None, found):
        try:
            stamps.append(f"{name} {os.stat(name).st_mtime_ns}")
        except OSError:
            continue
    if not stamps:
        return None
    return f"{stamps} {sorted(settings.voices.items())} {settings.speech_rate}"


@functools.cache
def _measured_speech() -> MeasuredSpeech | None:
    """Give how long texts take with the installed voice, ``None`` when there is none."""
    from kindful.settings import load_settings
    from kindful.sound.voice_choice import MeasuredSpeech, speech_timer

    settings = load_settings()
    timer = speech_timer(settings.voices, settings.speech_rate)
    return None if timer is None else MeasuredSpeech(timer)


def _program_problems(path: Path, files: list[Path]) -> Report:
    """Give the problems and the warnings of a program file, its practice ids looked up."""
    from kindful.errors import PracticeError
    from kindful.program.beside import practices_for
    from kindful.program.load import ProgramError, load_program

    known = practices_for(path, files)  # the library, the repository, the files validated
    try:
        loaded = load_program(path, known)
    except ProgramError as error:
        return list(error.problems), list(error.warnings)
    except PracticeError as error:
        return list(error.problems), []
    return [], list(loaded.warnings)


def _practice_files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [target]


@app.command()
def schema(
    program: bool = typer.Option(False, "--program", help="The program format alone."),
    practice: bool = typer.Option(False, "--practice", help="The practice format alone."),
) -> None:
    """Print the JSON Schema (draft 2020-12) of kindful files.

    By default one schema for both: a file with a `program` key is checked as a program,
    any other as a practice.
    """

    from kindful.errors import UsageError

    if program and practice:
        raise UsageError("--program and --practice: choose one")
    if practice:
        from kindful.practice.format.schema import json_schema as chosen
    elif program:
        from kindful.program.model import program_schema as chosen
    else:
        from kindful.program.model import json_schema as chosen
    say_json(chosen())


@app.command()
def new(
    name: str = typer.Argument(..., help="The new practice's id, or a path ending in it."),
    lang: list[str] = typer.Option(
        [], "--lang", help="A language of the starter (repeatable; default: en and de)."
    ),
) -> None:
    """Write NAME.yaml: a commented starter practice, with its schema beside it."""
    from kindful import i18n
    from kindful.practice.format.starter import SCHEMA_NAME, write_starter

    path, schema_path = write_starter(name, langs=[i18n.normalise(x) for x in lang] or None)
    ui = languages(None).ui
    if schema_path is None:
        kept = path.with_name(SCHEMA_NAME)
        say(f"kindful: {i18n.t(ui, 'new.schema_kept', path=kept)}", err=True)
    say(i18n.t(ui, "new.written", path=path, schema=SCHEMA_NAME))
