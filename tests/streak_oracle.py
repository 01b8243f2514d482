"""Streaks the slow, obvious way: day by day over a set of dates, to check the real tally."""

from __future__ import annotations

from datetime import date, timedelta


def current_streak(days: set[date], today: date) -> int:
    """Give the practice days in a row ending today, or yesterday when today has none yet."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def longest_streak(days: set[date]) -> int:
    """Give the most practice days in a row there have ever been."""
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    return longest


def days_within(days: set[date], today: date, span: int) -> int:
    """Give the practice days among the last ``span`` days, today included."""
    assert span >= 1, span
    first = today - timedelta(days=span - 1)
    return sum(1 for day in days if first <= day <= today)
