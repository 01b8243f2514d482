"""One way out to the screen: every command writes through ``kindful.safe_text``'s sink, so that
a value from a file, the log or an option is shown as text, and a terminal that is not UTF-8
gets replacement characters instead of a traceback."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kindful.cli

CLI = Path(kindful.cli.__file__).parent
STREAMS = {"stdout", "stderr"}
# What a command may do with a stream itself: ask about it, never write to it.
ASKING = {"isatty", "fileno", "flush", "encoding"}
# Functions a stream may be handed to, each writing only what is already safe: the plain
# runner's lines and questions (made visible there), and export's data for other tools
# (cells through safe_text.csv_cell, JSON through safe_text.json_safe), and stdout sent to
# stderr for a while (what is written meanwhile still goes through the sink).
RECEIVERS = {"Lines", "confirmed", "write", "ask_inputs", "redirect_stdout"}
ECHOES = {"echo", "secho"}


def _writes_around_the_sink(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in {"print", "Console"}:
                found.append((node.lineno, f"{func.id}(...)"))
            if isinstance(func, ast.Attribute) and func.attr in ECHOES:
                found.append((node.lineno, f"{func.attr}(...)"))
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "rich.console"
            and any(alias.name == "Console" for alias in node.names)
        ):
            found.append((node.lineno, "imports rich's Console"))
        if (
            isinstance(node, ast.Attribute)
            and node.attr in STREAMS
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            parent = parents.get(node)
            if isinstance(parent, ast.Attribute) and parent.attr in ASKING:
                continue
            if isinstance(parent, ast.Call) and node in parent.args:
                func = parent.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in RECEIVERS:
                    continue
            found.append((node.lineno, f"sys.{node.attr}"))
    return found


def test_no_command_module_writes_to_the_terminal_but_through_the_sink() -> None:
    modules = sorted(CLI.glob("*.py"))
    assert len(modules) > 10
    found = [
        f"{path.name}:{line}: {what}"
        for path in modules
        for line, what in _writes_around_the_sink(ast.parse(path.read_text(), str(path)))
    ]
    assert found == []


def test_the_walk_finds_each_way_around_the_sink() -> None:
    code = (
        "import sys\nfrom rich.console import Console\nprint(1)\nsys.stdout.write('x')\n"
        "typer.echo('x')\nConsole().print('x')\nf(sys.stderr)\nsys.stdout.isatty()\n"
        "Lines(sys.stdout)\n"
    )
    lines = [line for line, _ in _writes_around_the_sink(ast.parse(code))]
    assert sorted(lines) == [2, 3, 4, 5, 6, 7]


def kindful(args: list[str], home: Path, encoding: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kindful", *args],
        capture_output=True,
        text=True,
        encoding=encoding,
        errors="strict",
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "KINDFUL_HOME": str(home), "PYTHONIOENCODING": encoding},
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_is_not_utf8_gets_replacement_characters(
    kindful_home: Path, encoding: str
) -> None:
    kindful_home.mkdir(parents=True)
    line = {
        "v": 1,
        "id": "00000000-0000-4000-8000-000000000001",
        "practice": "check-in",
        "title": "Ruhe ☯ für dich \u202e\x1b[31m",
        "lang": "de",
        "started_at": "2026-11-23T07:30:00+01:00",
        "ended_at": "2026-11-23T07:35:00+01:00",
        "planned_seconds": 300,
        "elapsed_seconds": 300,
        "completed": True,
        "steps_done": 4,
        "steps_total": 4,
        "speed": 1,
        "ratings": {"ruhe_☯": 5},
        "reflections": [{"prompt": "Wie? ☯", "text": "gut ☯ \x1b]0;x\x07"}],
    }
    (kindful_home / "sessions.jsonl").write_text(json.dumps(line) + "\n")
    for args in (
        ["show", "box-breathing", "--lang", "de"],
        ["stats"],
        ["list", "--lang", "de"],
        ["history"],
        ["history", "--json"],
        ["program", "list", "--lang", "de"],
        ["today"],
    ):
        done = kindful(args, kindful_home, encoding)
        assert done.returncode == 0, (args, done.stderr)
        assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
        assert "Traceback" not in done.stderr
