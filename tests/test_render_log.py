"""How history, stats and the calendar read on a fixed-width console without colour."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from rich.console import Console, RenderableType

from kindful.journal.render import Calendar, level, render_history, render_stats, summary_lines
from kindful.journal.stats import Stats, tally
from kindful.lengths import number
from records import record

TODAY = date(2026, 11, 25)  # a Wednesday


def show(renderable: RenderableType, width: int = 60) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return str(output)


def session(day: str, **changes: Any) -> dict[str, Any]:
    started = {"started_at": f"{day}T07:30:00+01:00", "ended_at": f"{day}T07:35:00+01:00"}
    return record(**{"id": f"id-{day}", **started, **changes})


def test_levels_of_minutes() -> None:
    assert [level(m) for m in (None, 0, 4.9, 5, 14.9, 15, 29.9, 30, 300)] == list("·░░▒▒▓▓██")


def test_calendar_grid_shows_each_day_by_its_level() -> None:
    minutes = {
        date(2026, 11, 9): 3.0,
        date(2026, 11, 15): 45.0,
        date(2026, 11, 17): 10.0,
        date(2026, 11, 22): 0.0,
        date(2026, 11, 25): 20.0,
        date(2026, 11, 26): 30.0,  # tomorrow: not drawn
    }
    lines = show(Calendar(minutes, TODAY, 3, "en")).splitlines()
    assert lines[:8] == [
        "   Nov",
        "Mo ░ · ·",
        "Tu · ▒ ·",
        "We · · ▓",
        "Th · ·",
        "Fr · ·",
        "Sa · ·",
        "Su █ ░",
    ]
    assert lines[8] == "· none  ░ under 5 min  ▒ 5–14  ▓ 15–29  █ 30 min or more"


def test_calendar_marks_the_months_and_speaks_german() -> None:
    lines = show(Calendar({date(2026, 9, 21): 12.0}, TODAY, 10, "de")).splitlines()
    assert lines[0] == "   Sep Okt     Nov"
    assert lines[1] == "Mo ▒ · · · · · · · · ·"
    assert [line[:2] for line in lines[1:8]] == ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    assert lines[8].startswith("· keine")


def test_calendar_keeps_the_newest_weeks_that_fit() -> None:
    lines = show(Calendar({TODAY: 30.0}, TODAY, 52, "en"), width=60).splitlines()
    assert max(len(line) for line in lines[1:8]) == 60
    assert lines[3].endswith("█")  # Wednesday, today, at the right edge


def test_summary_is_kind_and_streaks_can_be_hidden() -> None:
    log = [
        session(day)
        for day in ("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-23", "2026-11-24")
    ]
    figures = tally(log, TODAY)
    assert summary_lines(figures, "en") == [
        "Sessions: 5 (5 completed) · time practised: 25 min",
        "Practice days: 2 of the last 7, 5 of the last 30.",
        "You have practised 2 days in a row, up to yesterday.",
        "Your longest run so far: 3 days in a row.",
    ]
    assert summary_lines(figures, "en", show_streaks=False)[2:] == [
        "You last practised on 2026-11-24."
    ]
    later = tally(log, date(2026, 12, 1))
    assert summary_lines(later, "de")[2] == (
        "Zuletzt hast du am 24.11.2026 geübt. Ein paar Minuten genügen, wann immer du magst."
    )
    assert not any(
        "streak" in line.lower() or "broken" in line.lower() for line in summary_lines(later, "en")
    )


def test_stats_show_practices_ratings_changes_and_the_calendar() -> None:
    log = [
        session("2026-11-24", ratings={"stress_before": 6, "stress_after": 3}),
        session(
            "2026-11-25",
            ratings={"stress_before": 5, "stress_after": 3},
            practice="box",
            title="Box",
        ),
        session("2026-11-25", speed=3, practice="box"),
    ]
    text = show(render_stats(tally(log, TODAY), "en", weeks=4), width=80)
    assert "You have practised 2 days in a row, today included." in text
    assert "1 rehearsal, not counted here." in text
    rows = [line.split() for line in text.splitlines()]
    assert ["Box", "1", "1", "5", "min", "box"] in rows
    assert ["Check-in", "1", "1", "5", "min", "check-in"] in rows
    assert "stress" in text and "5.5" in text and "3.0" in text and "-2.5" in text
    assert "Practice days, the last 4 weeks" in text
    assert "We · · · ▒" in text


def test_history_rows_say_how_far_and_keep_reflections_private() -> None:
    log = [
        session(
            "2026-11-25",
            completed=False,
            steps_done=3,
            steps_total=7,
            elapsed_seconds=150,
            ratings={"stress_before": 6, "stress_after": 3},
            reflections=[{"prompt": "What do you need?", "text": "a walk"}],
        ),
        session("2026-11-24", speed=4),
    ]
    text = show(render_history(log, "en"), width=100)
    assert "2026-11-25 07:30" in text
    assert "3 of 7 steps" in text
    assert "stress 6 → 3" in text
    assert "2 min 30 s" in text
    assert "completed · rehearsal ×4" in text
    assert "a walk" not in text and "What do you need?" not in text
    private = [
        line.rstrip() for line in show(render_history(log, "en", True), width=100).splitlines()
    ]
    assert private[:4] == [
        "2026-11-25 07:30 · Check-in · 2 min 30 s · 3 of 7 steps · stress 6 → 3",
        "  What do you need?",
        "  a walk",
        "",
    ]
    assert private[4] == "2026-11-24 07:30 · Check-in · 5 min · completed · rehearsal ×4"
    german = show(render_history(log, "de"), width=100)
    assert "25.11.2026 07:30" in german and "3 von 7 Schritten" in german and "2 min 30 s" in german


@pytest.mark.parametrize(
    ("value", "lang", "text"), [(12.25, "en", "12.2"), (12.35, "de", "12,3"), (0, "de", "0,0")]
)
def test_numbers_in_the_way_of_the_language(value: float, lang: str, text: str) -> None:
    assert number(value, lang, 1) == text


def test_empty_stats_render_without_tables() -> None:
    text = show(render_stats(Stats(today=TODAY), "en", weeks=2))
    assert "Sessions: 0 (0 completed) · time practised: 0 s" in text


def test_the_calendar_names_the_current_month_even_in_a_week_begun_before() -> None:
    tuesday = date(2026, 12, 1)  # its week began on Monday, November 30
    lines = show(Calendar({tuesday: 10.0}, tuesday, 12, "en")).splitlines()
    assert lines[0] == "   Sep   Oct     Nov   Dec"
    assert lines[2].endswith("▒")  # Tuesday's row, the last week
    narrow = show(Calendar({}, tuesday, 3, "de")).splitlines()
    assert narrow[0] == "     Dez"


def test_german_tables_name_ratings_in_words() -> None:
    log = [
        session("2026-11-24", ratings={"kindness_before": 4, "kindness_after": 7, "self_care": 5})
    ]
    text = show(render_stats(tally(log, TODAY), "de"), width=80)
    assert "kindness (vorher)" in text
    assert "kindness (nachher)" in text
    assert "self care" in text
    assert "kindness_after" not in text
    assert "kindness 4 → 7, self care 5" in show(render_history(log, "de"), width=100)


def test_history_shows_a_session_skipped_through_as_it_was() -> None:
    log = [
        session("2026-11-25", planned_seconds=360, elapsed_seconds=28),
        session("2026-11-24", planned_seconds=360, elapsed_seconds=300),
    ]
    lines = [
        line.rstrip() for line in show(render_history(log, "en", True), width=100).splitlines()
    ]
    assert lines[0] == (
        "2026-11-25 07:30 · Check-in · 28 s · completed · under half its time: not a practice day"
    )
    assert lines[2] == "2026-11-24 07:30 · Check-in · 5 min · completed"


def test_stats_show_how_each_practice_changed_its_ratings() -> None:
    log = [
        session("2026-11-24", ratings={"stress_before": 7, "stress_after": 4}),
        session("2026-11-25", ratings={"stress_before": 6, "stress_after": 4}),
    ]
    text = show(render_stats(tally(log, date(2026, 11, 25)), "en"), width=100)
    assert "how ratings changed, by practice" in text
    rows = [line.split() for line in text.splitlines()]
    assert ["Check-in", "stress", "2", "-2.5"] in rows
