"""The command line: parses options, calls the core, renders what it gives back.

Each command module imports only typer, the standard library and kindful's own small
stdlib-only modules (errors, status) at import time, so that ``kindful --version`` and
``kindful list`` start fast; heavy modules (rich, yaml, pydantic, the stats code) load inside
the commands that need them.
"""

# Each module registers its commands as it is imported; help lists them in this order:
# practising first, then the log, then the tools for authors.
from kindful.cli import run  # noqa: F401, I001
from kindful.cli import program  # noqa: F401
from kindful.cli import today  # noqa: F401
from kindful.cli import sitting  # noqa: F401
from kindful.cli import resonance  # noqa: F401
from kindful.cli import log  # noqa: F401
from kindful.cli import log_add  # noqa: F401
from kindful.cli import forget  # noqa: F401
from kindful.cli import key  # noqa: F401
from kindful.cli import library  # noqa: F401
from kindful.cli import render  # noqa: F401
from kindful.cli import share  # noqa: F401
from kindful.cli import publish  # noqa: F401
from kindful.cli import record  # noqa: F401
from kindful.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the kindful command line."""
    app()
