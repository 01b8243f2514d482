"""The budgets an option must keep, checked once for every command that takes it."""

from __future__ import annotations


def check_minutes(minutes: float | None, ui: str) -> None:
    """Raise ``UsageError`` unless ``--minutes`` is above 0 and within a practice's reach."""
    from kindful.errors import UsageError
    from kindful.i18n import t
    from kindful.practice.format.limits import MAX_TOTAL_SECONDS

    if minutes is not None and not 0 < minutes * 60 <= MAX_TOTAL_SECONDS:
        most = MAX_TOTAL_SECONDS / 60
        raise UsageError(t(ui, "budget.minutes", most=f"{most:g}", hours=f"{most / 60:g}"))
