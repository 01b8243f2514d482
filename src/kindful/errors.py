"""The one exception family of kindful: each carries the lines a person is shown."""

from __future__ import annotations

from dataclasses import dataclass


class KindfulError(Exception):
    """A problem the person can act on; ``str()`` is what they are shown."""

    def lines(self) -> list[str]:
        """Give the user-facing lines, one per problem."""
        return [str(self)]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class PracticeError(KindfulError):
    """A practice file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class NotFoundError(KindfulError):
    """A practice id or path that does not lead anywhere."""


class LogError(KindfulError):
    """The session log cannot be read or written."""


class ConfigError(KindfulError):
    """The settings file is not usable."""


class UsageError(KindfulError):
    """An option value that makes no sense (exit status 2)."""
