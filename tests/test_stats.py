"""The figures of a practice, on known logs and a fixed today."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kindful.journal.stats import as_json, tally
from records import EMPTY_STATS, record
from streak_oracle import current_streak, longest_streak


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KINDFUL_HOME", str(tmp_path))
    return tmp_path


def session(started_at: str, **changes: Any) -> dict[str, Any]:
    return record(**{"id": f"id-{started_at}-{len(changes)}", "started_at": started_at, **changes})


def on(*days: str, clock: str = "07:30:00+01:00", **changes: Any) -> list[dict[str, Any]]:
    return [session(f"{day}T{clock}", **changes) for day in days]


def days(*texts: str) -> set[date]:
    return {date.fromisoformat(text) for text in texts}


def test_an_empty_log_gives_zeros() -> None:
    figures = as_json(tally([], date(2026, 11, 25)))
    assert figures == EMPTY_STATS


def test_streak_ending_today_or_yesterday_counts_else_zero() -> None:
    practised = days("2026-11-20", "2026-11-22", "2026-11-23", "2026-11-24")
    assert current_streak(practised, date(2026, 11, 24)) == 3
    assert current_streak(practised, date(2026, 11, 25)) == 3  # today still open
    assert current_streak(practised, date(2026, 11, 26)) == 0
    assert current_streak(practised, date(2026, 11, 21)) == 1  # yesterday, the 20th
    assert longest_streak(practised) == 3
    assert longest_streak(set()) == 0
    log = on(*(day.isoformat() for day in practised))
    for today, streak in (
        ((2026, 11, 24), 3),
        ((2026, 11, 25), 3),
        ((2026, 11, 26), 0),
        ((2026, 11, 21), 1),
    ):
        figures = tally(log, date(*today))
        assert (figures.current_streak, figures.longest_streak) == (streak, 3)


def test_streaks_run_across_month_and_year_ends() -> None:
    log = on("2025-12-30", "2025-12-31", "2026-01-01", "2026-01-31", "2026-02-01", "2026-02-02")
    figures = tally(log, date(2026, 2, 2))
    assert figures.longest_streak == 3
    assert figures.current_streak == 3
    assert tally(log, date(2026, 1, 2)).current_streak == 3


def test_streak_runs_across_the_change_to_and_from_summer_time() -> None:
    spring = on("2026-03-28", clock="21:00:00+01:00") + on(
        "2026-03-29", "2026-03-30", clock="21:00:00+02:00"
    )
    autumn = on("2026-10-24", clock="23:59:00+02:00") + on(
        "2026-10-25", "2026-10-26", clock="00:01:00+01:00"
    )
    assert tally(spring, date(2026, 3, 30)).current_streak == 3
    assert tally(autumn, date(2026, 10, 26)).current_streak == 3


def test_the_practice_day_is_the_date_written_in_started_at() -> None:
    log = [
        session("2026-03-29T23:30:00-07:00"),  # already March 30 in UTC
        session("2026-03-30T00:15:00+14:00"),  # still March 29 in UTC
        session("2026-03-31T06:00:00+05:30"),
    ]
    figures = tally(log, date(2026, 3, 31))
    assert set(figures.day_minutes) == days("2026-03-29", "2026-03-30", "2026-03-31")
    assert figures.current_streak == 3
    assert figures.last_practiced == date(2026, 3, 31)


def test_rehearsals_do_not_count_anywhere() -> None:
    log = on("2026-11-24") + on("2026-11-25", speed=4) + on("2026-11-25", speed=0.5)
    figures = tally(log, date(2026, 11, 25))
    assert (figures.sessions, figures.completed, figures.rehearsals) == (1, 1, 2)
    assert figures.total_minutes == 5
    assert figures.current_streak == 1
    assert figures.last_practiced == date(2026, 11, 24)


def test_sessions_ended_early_count_their_minutes_but_make_no_practice_day() -> None:
    log = on("2026-11-24", completed=False, elapsed_seconds=90, steps_done=2) + on("2026-11-25")
    figures = tally(log, date(2026, 11, 25))
    assert (figures.sessions, figures.completed) == (2, 1)
    assert figures.total_minutes == pytest.approx(6.5)
    assert figures.current_streak == 1
    assert as_json(figures)["practices"] == {
        "check-in": {"sessions": 2, "completed": 1, "minutes": 6.5, "changes": {}}
    }


def test_days_in_the_last_7_and_30_include_today() -> None:
    log = on("2026-10-26", "2026-10-27", "2026-11-18", "2026-11-19", "2026-11-25", "2026-11-26")
    figures = tally(log, date(2026, 11, 25))
    assert figures.days_last_7 == 2  # the 19th and today; the 26th is not yet
    assert figures.days_last_30 == 4  # from October 27
    assert figures.last_practiced == date(2026, 11, 26)


def test_per_practice_figures_keep_the_latest_title() -> None:
    log = on("2026-11-20", "2026-11-21") + on(
        "2026-11-22", practice="box", title="Box breathing", elapsed_seconds=250
    )
    log[1]["title"] = "Daily check-in"
    figures = tally(log, date(2026, 11, 25))
    assert figures.practices["check-in"].title == "Daily check-in"
    assert as_json(figures)["practices"] == {
        "box": {"sessions": 1, "completed": 1, "minutes": 4.2, "changes": {}},
        "check-in": {"sessions": 2, "completed": 2, "minutes": 10.0, "changes": {}},
    }


def test_ratings_and_before_after_changes() -> None:
    log = (
        on("2026-11-20", ratings={"stress_before": 6, "stress_after": 3, "calm": 7})
        + on("2026-11-21", ratings={"stress_before": 8, "stress_after": 4})
        + on("2026-11-22", ratings={"stress_before": 5})  # no pair
        + on("2026-11-23", ratings={"stress_after": 1, "calm_before": 2})  # no pair either
        + on("2026-11-24", ratings={"stress_before": 9, "stress_after": 1}, speed=2)  # rehearsal
    )
    figures = as_json(tally(log, date(2026, 11, 25)))
    assert figures["ratings"] == {
        "calm": {"count": 1, "mean": 7.0},
        "calm_before": {"count": 1, "mean": 2.0},
        "stress_after": {"count": 3, "mean": 2.67},
        "stress_before": {"count": 3, "mean": 6.33},
    }
    assert figures["changes"] == {"stress": {"count": 2, "mean_change": -3.5}}


def test_minutes_are_rounded_to_one_decimal_in_json() -> None:
    log = on("2026-11-24", elapsed_seconds=100) + on("2026-11-25", elapsed_seconds=0.4)
    figures = as_json(tally(log, date(2026, 11, 25), skipped_lines=2))
    assert figures["total_minutes"] == 1.7
    assert figures["skipped_lines"] == 2


def test_day_minutes_sum_the_sessions_of_a_practice_day() -> None:
    log = on("2026-11-24", elapsed_seconds=600) + on(
        "2026-11-24", clock="20:00:00+01:00", elapsed_seconds=300
    )
    log += on("2026-11-25", completed=False, elapsed_seconds=60)
    figures = tally(log, date(2026, 11, 25))
    assert figures.day_minutes == {date(2026, 11, 24): 15.0}


def test_longest_streak_over_ten_thousand_days_is_quick_and_right() -> None:
    first = date(2000, 1, 1)
    log = on(*((first + timedelta(days=n)).isoformat() for n in range(10_000) if n != 5000))
    figures = tally(log, first + timedelta(days=9_999))
    assert figures.longest_streak == 5000  # days 0 to 4999; then 5001 to 9999 makes 4999
    assert figures.current_streak == 4999


def reference_streaks(practised: set[date], today: date) -> tuple[int, int]:
    """Count the streaks the slow way: walk every day from the first to the last."""
    if not practised:
        return 0, 0
    longest = run = 0
    day = min(practised)
    while day <= max(practised):
        run = run + 1 if day in practised else 0
        longest = max(longest, run)
        day += timedelta(days=1)
    end = today if today in practised else today - timedelta(days=1)
    current = 0
    while end in practised:
        current += 1
        end -= timedelta(days=1)
    return current, longest


@settings(max_examples=100, deadline=None)
@given(
    offsets=st.sets(st.integers(min_value=-400, max_value=3), max_size=60),
    order=st.randoms(use_true_random=False),
)
def test_streaks_agree_with_walking_the_calendar(offsets: set[int], order: Any) -> None:
    today = date(2026, 3, 1)  # after a February, before the change to summer time
    practised = {today + timedelta(days=n) for n in offsets}
    log = on(*(day.isoformat() for day in practised))
    order.shuffle(log)
    figures = tally(log, today)
    assert (figures.current_streak, figures.longest_streak) == reference_streaks(practised, today)
    assert figures.days_last_7 == sum(1 for n in offsets if -6 <= n <= 0)
    assert figures.days_last_30 == sum(1 for n in offsets if -29 <= n <= 0)


def test_a_session_skipped_through_is_completed_but_makes_no_practice_day() -> None:
    # 28 s through a 6-minute practice reaches the end: completed, but not a day's practice.
    skipped = on("2026-11-24", planned_seconds=360, elapsed_seconds=28)
    half = on("2026-11-25", planned_seconds=360, elapsed_seconds=180)  # exactly half: counts
    just_under = on("2026-11-26", planned_seconds=360, elapsed_seconds=179.9)
    figures = tally(skipped + half + just_under, date(2026, 11, 26))
    assert (figures.sessions, figures.completed) == (3, 3)
    assert figures.last_practiced == date(2026, 11, 25)
    assert figures.current_streak == figures.longest_streak == 1  # the 25th, ending yesterday
    assert figures.days_last_7 == 1
    assert set(figures.day_minutes) == days("2026-11-25")


def test_a_practice_of_questions_only_counts_once_completed() -> None:
    log = on("2026-11-26", planned_seconds=0, elapsed_seconds=5)
    assert tally(log, date(2026, 11, 26)).current_streak == 1


def test_each_practice_says_how_its_ratings_changed_and_over_how_many_sessions() -> None:
    log = (
        on("2026-11-20", ratings={"stress_before": 7, "stress_after": 4})
        + on("2026-11-21", ratings={"stress_before": 6, "stress_after": 4})
        + on("2026-11-22", ratings={"stress_before": 5})  # no pair: no change
        + on(
            "2026-11-23",
            practice="box",
            title="Box",
            ratings={"stress_before": 5, "stress_after": 5, "calm_before": 2, "calm_after": 6},
        )
    )
    figures = as_json(tally(log, date(2026, 11, 25)))
    assert figures["practices"]["check-in"]["changes"] == {
        "stress": {"count": 2, "mean_change": -2.5}
    }
    assert figures["practices"]["box"]["changes"] == {
        "calm": {"count": 1, "mean_change": 4.0},
        "stress": {"count": 1, "mean_change": 0.0},
    }
    assert figures["changes"]["stress"] == {"count": 3, "mean_change": -1.67}
