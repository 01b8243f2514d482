"""The command line: parses options, calls the core, renders what it gives back.

Each command module imports only typer, the standard library and kindful's own small
stdlib-only modules (errors, status) at import time, so that ``kindful --version`` and
``kindful list`` start fast; heavy modules (rich, yaml, pydantic, the stats code) load inside
the commands that need them.
"""

from kindful.cli import library, log, run  # noqa: F401  (each registers its commands)
from kindful.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the kindful command line."""
    app()
