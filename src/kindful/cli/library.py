"""Commands about practices: list, show, validate, schema, new.

Only typer and the standard library are imported here at start-up; each command imports
what it needs when it runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kindful.cli.app import LANG_HELP, app, languages

if TYPE_CHECKING:
    from kindful.i18n import Languages
    from kindful.practice.library import Entry


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout and nothing else."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """List the practices kindful can find, and where each came from."""
    from kindful.practice.library import read_catalogue

    catalogue = read_catalogue()
    for problem in catalogue.problems:
        print(f"kindful: not listed: {problem}", file=sys.stderr)
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
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(_list_table(catalogue.entries, wanted))


def _list_table(entries: list[Entry], wanted: Languages) -> str:
    from kindful import i18n
    from kindful.lengths import clock

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
            [e.id, e.title(chosen), clock(e.planned_seconds), ",".join(e.languages), origin]
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
    practice: str = typer.Argument(..., help="A practice id, or a path to a .yaml file."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """Show a practice as a script: every step with its time, the total, inputs, sources."""
    from rich.console import Console

    from kindful.practice.library import find_practice
    from kindful.practice.plan import make_plan
    from kindful.practice.script import render_script

    found = find_practice(practice)
    wanted = languages(lang)
    chosen = wanted.for_texts(found.practice.languages_used())
    answers = {q.name: q.default or f"‹{q.name}›" for q in found.practice.questions(chosen)}
    plan = make_plan(found.practice, chosen, answers)
    ui = wanted.ui_beside(chosen)
    Console(highlight=False).print(render_script(found.practice, plan, ui))


@app.command()
def validate(
    targets: list[Path] = typer.Argument(..., help="Practice files, or folders to search."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP, hidden=True),
) -> None:
    """Check practice files; print every problem as PATH:LINE:COL: message."""
    from kindful import i18n
    from kindful.errors import KindfulError, PracticeError
    from kindful.practice.load import load_practice

    ui = languages(lang).ui
    files: list[Path] = []
    for target in targets:
        found = _practice_files(target)
        if not found:
            print(i18n.t(ui, "validate.none", path=target), file=sys.stderr)
            raise typer.Exit(1)
        files += found
    bad = problems = 0
    for path in files:
        try:
            if _is_program(path):
                lines = _program_lines(path, files)
                if any(": warning: " not in line for line in lines):
                    bad += 1
                    problems += sum(": warning: " not in line for line in lines)
                for line in lines:
                    print(line)
                continue
            load_practice(path)
        except PracticeError as error:
            bad += 1
            problems += len(error.problems)
            for line in error.lines():
                print(line)
        except KindfulError as error:  # pragma: no cover - load_practice raises PracticeError
            bad += 1
            problems += 1
            print(f"{path}:1:1: {error}")
    if bad:
        summary = i18n.t(ui, "validate.summary_bad", files=len(files), bad=bad, problems=problems)
        print(summary, file=sys.stderr)
        raise typer.Exit(1)
    print(i18n.t(ui, "validate.summary_ok", files=len(files)), file=sys.stderr)


def _is_program(path: Path) -> bool:
    from kindful.errors import PracticeError
    from kindful.practice.library import is_program_text
    from kindful.practice.load import read_text

    try:
        return is_program_text(read_text(path))
    except PracticeError:
        return False  # loading it as a practice says why it cannot be read


def _program_lines(path: Path, files: list[Path]) -> list[str]:
    """Give every problem and warning of a program file, its practice ids looked up."""
    from kindful.errors import PracticeError
    from kindful.practice.library import read_catalogue
    from kindful.program.load import ProgramError, load_program

    known = {entry.id for entry in read_catalogue().entries}
    known |= {p.stem for p in files if not _is_program(p)}  # practices validated beside it
    try:
        loaded = load_program(path, known)
    except ProgramError as error:
        return [str(p) for p in sorted([*error.problems, *error.warnings])]
    except PracticeError as error:
        return error.lines()
    return [str(warning) for warning in loaded.warnings]


def _practice_files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [target]


@app.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of kindful files (a practice or a program)."""
    import json

    from kindful.program.model import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command()
def new(
    name: str = typer.Argument(..., help="The new practice's id, or a path ending in it."),
) -> None:
    """Write NAME.yaml: a commented starter practice, with its schema beside it."""
    from kindful import i18n
    from kindful.practice.starter import write_starter

    path, schema_path = write_starter(name)
    print(i18n.t(languages(None).ui, "new.written", path=path, schema=schema_path.name))
