"""The one exception family of kindful: each carries what a person is shown, as data.

An error knows where it is (a file, and in a file a line and column) and what is wrong; only the
command line turns it into lines on stderr and an exit status (``lines()``), so no module has to
take another's message apart again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a file, at a 1-based line and column; ``key`` names the key, if one.

    ``severity`` is ``"error"`` (the file cannot be used) or ``"warning"`` (it can, but something
    will likely go wrong for the person practising); ``code`` is a short stable name for the kind
    of problem, for editors and scripts (``unknown-key``, ``speaking-time``, ...).
    """

    path: str
    line: int
    column: int
    message: str
    key: str | None = None
    severity: str = "error"
    code: str = "invalid"

    def __str__(self) -> str:
        tag = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.column}: {tag}{self.message}"

    def as_dict(self) -> dict[str, object]:
        """Give the problem as ``validate --format json`` prints it."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class KindfulError(Exception):
    """A problem the person can act on: a message, and the file it is about, if any.

    An error may instead carry ``problems``, each at its own line and column.
    """

    def __init__(
        self,
        message: str = "",
        *,
        path: str | os.PathLike[str] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else os.fspath(path)
        self.problems = sorted(problems or [])
        super().__init__(message)

    def __str__(self) -> str:
        if self.problems:
            return "\n".join(str(p) for p in self.problems)
        return self.message if self.path is None else f"{self.path}: {self.message}"

    def lines(self) -> list[str]:
        """Give the user-facing lines, one per problem, each saying where it is."""
        if self.problems or self.path is not None:
            return str(self).splitlines()
        return [f"kindful: {self.message}"]


class PracticeError(KindfulError):
    """A practice file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems=problems)


class NotFoundError(KindfulError):
    """A practice id or path that does not lead anywhere."""


class LogError(KindfulError):
    """The session log cannot be read or written."""


class ConfigError(KindfulError):
    """The settings file is not usable."""


class UsageError(KindfulError):
    """An option value that makes no sense (exit status 2)."""
