"""The layout keeps its promises: imports run one way, the shared modules import nothing above
them, only the CLI knows typer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kindful"
MODULES = sorted(p for p in SRC.rglob("*.py"))

# What each package may not import (the rest of kindful is fair game, downward).
FORBIDDEN = {
    "practice": ("kindful.session", "kindful.cli", "kindful.journal", "kindful.sound"),
    "journal": ("kindful.session", "kindful.cli", "kindful.practice", "kindful.sound"),
    "session": ("kindful.cli",),
    "sound": ("kindful.cli", "kindful.session"),
    "program": ("kindful.cli", "kindful.session"),
    "heart": (
        "kindful.cli",
        "kindful.session",
        "kindful.journal",
        "kindful.practice",
        "kindful.sound",
        "kindful.program",
    ),
}


def imported(path: Path) -> set[str]:
    """Give every module ``path`` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def package_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else ""


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_run_one_way(path: Path) -> None:
    forbidden = FORBIDDEN.get(package_of(path), ())
    wrong = sorted(
        name
        for name in imported(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )
    assert wrong == []


SHARED = sorted(p for p in SRC.glob("*.py") if p.name != "__main__.py")
BELOW = {p.stem for p in SHARED} | {"locales", "__version__"}  # what they may import


@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.name)
def test_the_shared_modules_import_nothing_above_them(path: Path) -> None:
    above = sorted(
        name
        for name in imported(path)
        if name.startswith("kindful.") and name.split(".")[1] not in BELOW
    )
    assert above == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_only_the_command_line_knows_typer(path: Path) -> None:
    if package_of(path) == "cli":
        return
    assert not {n for n in imported(path) if n == "typer" or n.startswith(("typer.", "click"))}


# Inside practice/, the groups import one way: what each may import of the package.
PRACTICE_GROUPS = {
    "format": (),
    "plan": ("format",),
    "checking": ("format", "plan"),
    "views": ("format", "plan"),
}
PRACTICE = SRC / "practice"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PRACTICE.rglob("*.py") if p.parent != PRACTICE),
    ids=lambda p: str(p.relative_to(PRACTICE)),
)
def test_the_practice_groups_import_one_way(path: Path) -> None:
    group = path.relative_to(PRACTICE).parts[0]
    allowed = {group, *PRACTICE_GROUPS[group]}
    wrong = sorted(
        name
        for name in imported(path)
        if name.startswith("kindful.practice.") and name.split(".")[2] not in allowed
    )
    assert wrong == []


def test_every_practice_module_is_in_a_group() -> None:
    loose = sorted(p.name for p in PRACTICE.glob("*.py"))
    assert loose == ["__init__.py", "library.py"]
    assert sorted(
        p.name for p in PRACTICE.iterdir() if p.is_dir() and p.name != "__pycache__"
    ) == sorted(PRACTICE_GROUPS)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Give, for each module of kindful, the modules of kindful it imports (anywhere in it).

    A package's ``__init__`` is left out: importing a module runs it, but it imports nothing.
    """
    modules = {_module_name(p): p for p in MODULES if p.name != "__init__.py"}
    return {name: (imported(path) & modules.keys()) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Give the groups of modules that import each other, directly or round a loop."""
    found: list[list[str]] = []
    for start in sorted(graph):
        ahead = set().union(*(_reach(graph, after) for after in graph[start]))
        loop = sorted(m for m in ahead if start in _reach(graph, m))
        if loop and loop not in found:
            found.append(loop)
    return found


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    """Give ``start`` and every module it imports, directly or through others."""
    seen, todo = {start}, [start]
    while todo:
        for after in graph[todo.pop()] - seen:
            seen.add(after)
            todo.append(after)
    return seen


def test_no_two_modules_import_each_other() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_sees_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_packages_start_empty_so_that_lazy_imports_stay_lazy() -> None:
    for init in SRC.glob("*/**/__init__.py"):
        if init.parent.name in ("cli", "locales"):
            continue
        assert init.read_text(encoding="utf-8").strip() == "", init


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_are_absolute_so_that_the_checks_see_them(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]


def test_the_checks_see_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from kindful.session.engine import Session\n", encoding="utf-8")
    assert "kindful.session.engine" in imported(bad)
