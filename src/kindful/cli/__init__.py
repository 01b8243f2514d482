"""The command line: parses options, calls the core, renders what it gives back.

Each command module imports only typer and the standard library at import time, so that
``kindful --version`` and ``kindful list`` start fast; heavy modules load inside commands.
"""

from kindful.cli import library  # noqa: F401  (registers the commands)
from kindful.cli import log  # noqa: F401  (registers the commands)
from kindful.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the kindful command line."""
    app()
