"""Ending a command that writes files on Ctrl-C, SIGTERM or SIGHUP without leaving any behind.

By default SIGTERM and SIGHUP end Python at once, so a temp file being written (``atomic``)
would stay. Inside ``stopping`` they unwind as Ctrl-C does: every ``finally`` runs, the temp
files go, and kindful ends with 130, 143 or 129 after one line on stderr.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer


@contextmanager
def stopping(ui: str) -> Iterator[None]:
    """Within the block, a stop unwinds; then kindful says so and exits with its status."""
    from kindful.session.signals import Stopped, stop_on_signals, stop_status

    status = None
    with stop_on_signals():
        try:
            yield
        except (KeyboardInterrupt, Stopped) as stop:
            status = stop_status(stop)
    if status is not None:
        from kindful.i18n import t
        from kindful.safe_text import say

        say(f"kindful: {t(ui, 'handover.stopped')}", err=True)
        raise typer.Exit(int(status))
