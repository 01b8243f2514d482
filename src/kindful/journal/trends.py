"""Is it helping? Weekly figures for the last weeks, and each survey's scores over time.

Pure, like ``stats``: ``trends`` takes the sessions (log records, in any order) and the person's
today and gives figures. Only sessions at speed 1 count (contract section 9). A session belongs
to the ISO week of the date written in its ``started_at``; ``sessions`` and ``minutes`` take
every session, ended early or not, as ``stats`` does; a week's change for a rating pair is the
mean of after minus before over the sessions of that week that gave both. A survey counts
wherever it was answered, ended early or not, and its scores are kept in time order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kindful.journal.line import AFTER, BEFORE

WEEKS = 12
SCORES_KEPT = 52  # the latest scores of each survey drawn as its line


def week_label(day: date) -> str:
    """Give the ISO week of ``day`` as ``YYYY-Www``."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


@dataclass
class Week:
    """One week: how many sessions, how many minutes, and the mean change of each rating pair."""

    week: str
    sessions: int = 0
    minutes: float = 0.0
    change_sums: dict[str, list[float]] = field(default_factory=dict)  # stem: [count, sum]
    heart_sessions: int = 0  # sessions of the week with heart figures
    heart_sums: dict[str, float] = field(default_factory=dict)  # figure: sum over them

    @property
    def changes(self) -> dict[str, float]:
        return {stem: total / n for stem, (n, total) in sorted(self.change_sums.items())}

    @property
    def heart(self) -> dict[str, float]:
        """Give the mean of each heart figure over the week's sessions that have them."""
        n = self.heart_sessions
        return {name: total / n for name, total in self.heart_sums.items()} if n else {}

    def as_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "sessions": self.sessions,
            "minutes": round(self.minutes, 2),
            "changes": {stem: round(v, 4) for stem, v in self.changes.items()},
            **(
                {
                    "heart": {
                        "sessions": self.heart_sessions,
                        **{k: round(v, 1) for k, v in self.heart.items()},
                    }
                }
                if self.heart_sessions
                else {}
            ),
        }


@dataclass
class SurveyTrend:
    """One survey key: how often answered, its first and last score, its mean, its latest scores."""

    count: int = 0
    first: float = 0.0
    last: float = 0.0
    total: float = 0.0
    scores: list[tuple[datetime, float]] = field(default_factory=list)
    # each subscale's figures, as logged: its reverse items already turned round
    subscales: dict[str, SurveyTrend] = field(default_factory=dict)

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else 0.0

    def as_json(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "count": self.count,
            "first": self.first,
            "last": self.last,
            "mean": round(self.mean, 4),
        }
        if self.subscales:
            figures["subscales"] = {
                name: sub.as_json() for name, sub in sorted(self.subscales.items())
            }
        return figures


@dataclass
class Trends:
    """The weeks, oldest first (the current week last), and the surveys by key."""

    weeks: list[Week]
    surveys: dict[str, SurveyTrend]

    def as_json(self) -> dict[str, Any]:
        """Give what ``stats --json`` adds (contract section 9)."""
        return {
            "weeks": [w.as_json() for w in self.weeks],
            "surveys": {k: s.as_json() for k, s in sorted(self.surveys.items())},
        }


def _finite(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


def first_day(today: date, weeks: int = WEEKS) -> date:
    """Give the Monday that begins the first of the last ``weeks`` weeks up to ``today``'s."""
    return today - timedelta(days=today.weekday(), weeks=weeks - 1)


def trends(
    sessions: Iterable[dict[str, Any]],
    today: date,
    weeks: int = WEEKS,
    with_surveys: Iterable[dict[str, Any]] | None = None,
) -> Trends:
    """Give the last ``weeks`` weeks up to ``today``'s, and every survey's scores.

    ``sessions`` must hold every session of those weeks; the surveys are taken from
    ``with_surveys`` when given (every session that holds one), else from ``sessions``.
    """
    first_monday = first_day(today, weeks)
    table = [Week(week_label(first_monday + timedelta(weeks=i))) for i in range(weeks)]
    surveys: dict[str, list[tuple[datetime, float]]] = {}
    subscales: dict[tuple[str, str], list[tuple[datetime, float]]] = {}
    for record in sessions:
        if record.get("speed") != 1:
            continue
        started = record.get("started_at")
        try:
            when = datetime.fromisoformat(started)  # type: ignore[arg-type]
            day = date.fromisoformat(started[:10])  # type: ignore[index]
        except (TypeError, ValueError):
            continue
        index = (day - first_monday).days // 7
        if 0 <= index < weeks and day <= today:
            _add_week(table[index], record)
        if with_surveys is None:
            _add_surveys(surveys, subscales, record, when)
    for record in with_surveys or ():
        if record.get("speed") == 1:
            try:
                when = datetime.fromisoformat(record.get("started_at"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
            _add_surveys(surveys, subscales, record, when)
    found = {key: _survey(scores) for key, scores in surveys.items()}
    for (key, name), scores in subscales.items():
        if key in found:
            found[key].subscales[name] = _survey(scores, kept=0)
    return Trends(table, found)


def _add_surveys(
    surveys: dict[str, list[tuple[datetime, float]]],
    subscales: dict[tuple[str, str], list[tuple[datetime, float]]],
    record: dict[str, Any],
    when: datetime,
) -> None:
    for key, score in _survey_scores(record.get("surveys")):
        surveys.setdefault(key, []).append((when, score))
        for name, value in _subscale_scores(record["surveys"][key]):
            subscales.setdefault((key, name), []).append((when, value))


HEART_FIGURES = ("mean_hr", "rmssd_ms", "sdnn_ms", "peak_to_trough_bpm")


def _add_week(week: Week, record: dict[str, Any]) -> None:
    week.sessions += 1
    elapsed = record.get("elapsed_seconds")
    if _finite(elapsed):
        week.minutes += float(elapsed) / 60  # type: ignore[arg-type]
    heart = record.get("heart")
    if type(heart) is dict and all(_finite(heart.get(k)) for k in HEART_FIGURES):
        week.heart_sessions += 1
        for name in HEART_FIGURES:
            week.heart_sums[name] = week.heart_sums.get(name, 0.0) + float(heart[name])
    ratings = record.get("ratings")
    if type(ratings) is not dict:
        return
    for key, before in ratings.items():
        if not key.endswith(BEFORE):
            continue
        stem = key[: -len(BEFORE)]
        after = ratings.get(stem + AFTER)
        if _finite(before) and _finite(after):
            sums = week.change_sums.setdefault(stem, [0, 0.0])
            sums[0] += 1
            sums[1] += after - before


def _survey_scores(surveys: object) -> list[tuple[str, float]]:
    if type(surveys) is not dict:
        return []
    return [
        (key, float(value["score"]))
        for key, value in surveys.items()
        if type(key) is str and type(value) is dict and _finite(value.get("score"))
    ]


def _subscale_scores(survey: dict[str, Any]) -> list[tuple[str, float]]:
    found = survey.get("subscales")
    if type(found) is not dict:
        return []
    return [(name, float(v)) for name, v in found.items() if type(name) is str and _finite(v)]


def _survey(scores: list[tuple[datetime, float]], kept: int = SCORES_KEPT) -> SurveyTrend:
    scores.sort(key=lambda item: item[0])
    values = [score for _, score in scores]
    return SurveyTrend(
        count=len(values),
        first=values[0],
        last=values[-1],
        total=sum(values),
        scores=scores[-kept:] if kept else [],
    )
