"""Shell completion: the words a shell offers after ``kindful run`` or ``kindful show``.

Completion runs only when a shell asks (typer's ``--install-completion`` sets that up), so
nothing here loads at start-up.
"""

from __future__ import annotations


def practice_ids(incomplete: str) -> list[str]:
    """Give the ids of the practices kindful can find that begin with ``incomplete``."""
    from kindful.practice.library import read_catalogue

    try:
        entries = read_catalogue().entries
    except Exception:  # a completion must never print a traceback into the shell
        return []
    return [entry.id for entry in entries if entry.id.startswith(incomplete)]


def program_ids(incomplete: str) -> list[str]:
    """Give the ids of the programs kindful can find that begin with ``incomplete``."""
    from kindful.program.library import read_programs

    try:
        outlines = read_programs().outlines
    except Exception:  # a completion must never print a traceback into the shell
        return []
    return [outline.id for outline in outlines if outline.id.startswith(incomplete)]
