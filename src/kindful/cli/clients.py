"""A coach's view: each ``--log`` file is a client, named by its file or by ``--label``.

``stats``, ``history`` and ``export`` read each client's log on its own and show them side by
side: one block of figures per client, a client column in history and export, JSON keyed by
the client's name. Only the standard library loads with this module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from kindful.journal.reader import SessionLog
    from kindful.journal.stats import Stats
    from kindful.journal.trends import Trends


@dataclass(frozen=True)
class Client:
    """One client's log: the name a coach knows them by, and the file they sent."""

    label: str
    path: Path

    def open(self) -> SessionLog:
        from kindful.journal.reader import SessionLog
        from kindful.paths import home

        return SessionLog(home(), [self.path])


def clients(logs: list[str], labels: list[str] | None, lang: str) -> list[Client]:
    """Give a client per ``--log`` file, named by ``labels`` in order, else by the file's name.

    The same file named twice is one client. Two files of the same name (``anna/log.jsonl``,
    ``ben/log.jsonl``) are told apart by their folder.
    """
    from kindful.errors import UsageError
    from kindful.i18n import t

    paths: list[Path] = []
    for log in logs:
        path = Path(log).expanduser()
        if not any(_same(path, seen) for seen in paths):
            paths.append(path)
    if labels:
        if len(labels) != len(paths):
            raise UsageError(t(lang, "coach.labels", labels=len(labels), logs=len(paths)))
        return [Client(label, path) for label, path in zip(labels, paths, strict=True)]
    names = [path.stem for path in paths]
    named = [
        f"{path.parent.name}/{path.stem}" if names.count(path.stem) > 1 and path.parent.name else n
        for path, n in zip(paths, names, strict=True)
    ]
    out: list[Client] = []
    for path, name in zip(paths, named, strict=True):
        label, number = name, 2
        while any(c.label == label for c in out):
            label, number = f"{name} ({number})", number + 1
        out.append(Client(label, path))
    return out


def _same(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return one == other


def several(logs: list[str] | None, labels: list[str] | None) -> bool:
    """Tell whether the output is keyed by client: more than one file, or names given."""
    return bool(labels) or len({str(Path(f).expanduser()) for f in logs or []}) > 1


@dataclass
class Figures:
    """What ``stats`` shows of one client."""

    client: Client
    stats: Stats
    trends: Trends
    log: SessionLog

    def as_json(self) -> dict[str, Any]:
        from kindful.journal.stats import as_json

        return {
            **as_json(self.stats),
            "practice_days": len(self.stats.day_minutes),
            **self.trends.as_json(),
        }


def figures(client: Client, today: date) -> Figures:
    """Give the figures of one client's log, read whole (a file sent need not be in order)."""
    from kindful.journal.stats import figures as figures_of
    from kindful.journal.tally import Tally
    from kindful.journal.trends import trends

    with client.open() as log:
        sums = Tally()
        sums.add(log.sessions())
        skipped = log.skipped
        stats = figures_of(sums, today, skipped.count, calendar_from=None)
        weekly = trends(log.sessions(), today)
        log.skipped = skipped
    return Figures(client, stats, weekly, log)
