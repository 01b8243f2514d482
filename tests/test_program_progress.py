"""Progress through a program goes by completion, on a fake log and a fake today."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from kindful.program.outline import Outline, WeekOutline
from kindful.program.progress import GAP_DAYS, Day, greeting, progress
from kindful.program.today import last_days, suggest, today_in
from records import record, uuid

CET = timezone(timedelta(hours=1))
START = datetime(2026, 11, 23, 7, 0, tzinfo=CET)
DAYS = [Day(1, 1, ["a"]), Day(1, 2, ["b", "c"]), Day(2, 1, ["a"])]
OUTLINE = Outline(
    "path",
    "Path",
    None,
    ["en"],
    [WeekOutline("One", None, [["a"], ["b", "c"]]), WeekOutline("Two", "go on", [["a"]])],
)


class Log:
    """A fake log: sessions added one after another, each ending when it says."""

    def __init__(self) -> None:
        self.records: list[dict[str, object]] = []

    def add(self, practice: str, ended: datetime, **fields: object) -> None:
        started = ended - timedelta(minutes=5)
        self.records.append(
            record(
                id=uuid(len(self.records) + 1),
                practice=practice,
                started_at=started.isoformat(),
                ended_at=ended.isoformat(),
                **fields,
            )
        )


def at(day: int, hour: int = 8, minute: int = 0) -> datetime:
    return START.replace(hour=hour, minute=minute) + timedelta(days=day)


def test_nothing_done_offers_the_first_day() -> None:
    state = progress(DAYS, [], START)
    assert state.current == 0
    assert state.missing(0) == ["a"]
    assert state.last_practised is None


def test_each_session_counts_toward_the_day_current_when_it_ended() -> None:
    log = Log()
    log.add("a", at(0))
    log.add("c", at(1))
    log.add("a", at(1, 9))  # day 2 does not list a: it counts nowhere
    state = progress(DAYS, log.records, START)
    assert state.done == [True, False, False]
    assert state.counted == [["a"], ["c"], []]
    assert state.missing(1) == ["b"]
    log.add("b", at(2))
    log.add("a", at(2, 9))
    state = progress(DAYS, log.records, START)
    assert state.done == [True, True, True]
    assert state.finished
    assert state.done_on == [date(2026, 11, 23), date(2026, 11, 25), date(2026, 11, 25)]


def test_a_session_done_early_does_not_count_for_a_later_day() -> None:
    log = Log()
    log.add("a", at(0))
    log.add("a", at(0, 9))  # the second a, while day 2 is current: day 3 still lacks it
    state = progress(DAYS, log.records, START)
    assert state.counted == [["a"], [], []]


def test_sessions_count_in_time_order_whatever_the_order_in_the_log() -> None:
    log = Log()
    log.add("a", at(2))
    log.add("b", at(1))  # from a conflict copy read later, but it ended first
    state = progress(DAYS, log.records, START)
    assert state.counted == [["a"], [], []]  # when b ended, day 1 was current, and lacks no b


def test_rehearsals_sessions_ended_early_and_sessions_before_the_start_do_not_count() -> None:
    log = Log()
    log.add("a", at(0), speed=10)
    log.add("a", at(0, 9), completed=False)
    log.add("a", at(-1))
    state = progress(DAYS, log.records, START)
    assert state.done == [False, False, False]
    assert state.last_practised is None


def test_a_day_that_lists_a_practice_twice_needs_it_twice() -> None:
    days = [Day(1, 1, ["a", "a"])]
    log = Log()
    log.add("a", at(0))
    assert progress(days, log.records, START).missing(0) == ["a"]
    log.add("a", at(0, 9))
    assert progress(days, log.records, START).finished


def test_a_session_across_midnight_belongs_to_the_day_it_started() -> None:
    log = Log()
    log.add("a", at(0, 23, 58) + timedelta(minutes=5))  # 23:58 to 00:03
    state = progress(DAYS, log.records, START)
    assert state.done_on[0] == date(2026, 11, 23)
    just_after_midnight = date(2026, 11, 24)
    said = greeting(state, START, just_after_midnight)
    assert not said.done_today and not said.welcome_back
    offered = today_in(OUTLINE, START, log.records, just_after_midnight)
    assert (offered.day.week, offered.day.day) == (1, 2)


def test_a_day_done_today_is_said_and_the_next_day_offered() -> None:
    log = Log()
    log.add("a", at(0, 23, 50))
    offered = today_in(OUTLINE, START, log.records, date(2026, 11, 23))
    assert offered.greeting.done_today
    assert offered.missing == ["b", "c"]


def test_after_a_gap_it_welcomes_back_and_offers_the_last_day_again() -> None:
    log = Log()
    log.add("a", at(0))
    for gap, welcome in ((1, False), (GAP_DAYS - 1, False), (GAP_DAYS, True), (40, True)):
        offered = today_in(OUTLINE, START, log.records, date(2026, 11, 23) + timedelta(gap))
        assert offered.greeting.welcome_back is welcome, gap
        assert offered.index == 1  # progress never moves with the calendar
        assert offered.last_day == Day(1, 1, ["a"])


def test_a_gap_after_starting_without_practising_welcomes_back_too() -> None:
    offered = today_in(OUTLINE, START, [], date(2026, 11, 23) + timedelta(GAP_DAYS))
    assert offered.greeting.welcome_back
    assert offered.last_day is None


def test_a_finished_program_offers_its_last_day_as_done() -> None:
    log = Log()
    for day, practice in enumerate("abca"):
        log.add(practice, at(day))
    offered = today_in(OUTLINE, START, log.records, date(2026, 12, 1))
    assert offered.as_json() == {
        "program": "path",
        "week": 2,
        "day": 1,
        "practices": ["a"],
        "done": True,
    }
    assert offered.missing == []


def test_without_a_program_the_shortest_new_practice_then_the_least_recent() -> None:
    practices = [("long", 1200.0), ("short", 180.0), ("mid", 300.0)]
    assert suggest(practices, {}).practice == "short"
    log = Log()
    log.add("short", at(0))
    assert suggest(practices, last_days(log.records)).practice == "mid"
    log.add("mid", at(1))
    log.add("long", at(2), speed=2)  # a rehearsal: still new
    assert suggest(practices, last_days(log.records)).practice == "long"
    log.add("long", at(3))
    chosen = suggest(practices, last_days(log.records))
    assert (chosen.practice, chosen.why, chosen.last) == (
        "short",
        "least_recent",
        date(2026, 11, 23),
    )
    assert suggest([], {}).as_json() == {
        "program": None,
        "week": None,
        "day": None,
        "practices": [],
        "done": False,
    }


def test_a_session_skipped_through_does_not_count_for_the_program() -> None:
    log = Log()
    log.add("a", at(0), planned_seconds=360, elapsed_seconds=28)  # every step skipped
    state = progress(DAYS, log.records, START)
    assert state.done == [False, False, False]
    assert state.last_practised is None
    assert last_days(log.records) == {}  # nor as done, for the suggestion
    log.add("a", at(0, 9), planned_seconds=360, elapsed_seconds=200)
    assert progress(DAYS, log.records, START).done == [True, False, False]


def test_the_first_suggestion_is_a_practice_to_begin_with_not_a_questionnaire() -> None:
    practices = [("weekly-check", 18.0), ("first-aid", 64.0), ("check-in", 102.0), ("long", 900.0)]
    assert suggest(practices, {}).practice == "check-in"
    only_quick = [("weekly-check", 18.0), ("long", 900.0)]
    assert suggest(only_quick, {}).practice == "weekly-check"  # short, when nothing else is
