"""What has helped: the rules ``today`` offers by, pure and on the command line."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from kindful.cli import today as today_command
from kindful.program.helps import FIRST_AID, Reading, offer
from records import record, uuid

runner = CliRunner()
TODAY = date(2026, 11, 25)
PRACTICES = ["daily-check-in", "box-breathing", "first-aid", "rain"]


def session(
    n: int, practice: str, day: str, before: float | None, after: float | None = None, **fields: Any
) -> dict[str, Any]:
    ratings: dict[str, float] = {}
    if before is not None:
        ratings["stress_before"] = before
    if after is not None:
        ratings["stress_after"] = after
    started = f"{day}T{8 + n % 12:02d}:00:00+01:00"
    return record(
        id=uuid(n),
        practice=practice,
        started_at=started,
        ended_at=started,
        ratings=ratings,
        **fields,
    )


def read(*records: dict[str, Any]) -> Reading:
    return Reading(TODAY).add(records)


def test_the_practice_that_eased_stress_most_over_two_sessions_or_more_is_offered() -> None:
    reading = read(
        session(1, "box-breathing", "2026-11-20", 7, 5),
        session(2, "box-breathing", "2026-11-21", 6, 4),  # -2 over 2
        session(3, "rain", "2026-11-22", 8, 3),  # -5, but once: not yet
        session(4, "daily-check-in", "2026-11-22", 6, 5),
        session(5, "daily-check-in", "2026-11-23", 6, 5),  # -1 over 2: helped, less
    )
    helped = reading.most_helped(PRACTICES)
    assert helped is not None
    assert (helped.practice, helped.count, helped.mean_change) == ("box-breathing", 2, -2.0)
    chosen = offer(reading, PRACTICES, following=False)
    assert chosen is not None and (chosen.practice, chosen.reason, chosen.hard) == (
        "box-breathing",
        "helped",
        False,
    )
    assert offer(reading, PRACTICES, following=True) is None  # the program's day, no more
    assert reading.most_helped(["rain"]) is None  # a practice no longer there is not offered


def test_less_than_a_point_rehearsals_and_unpaired_ratings_are_not_help() -> None:
    reading = read(
        session(1, "rain", "2026-11-20", 6, 5.5),
        session(2, "rain", "2026-11-21", 6, 5.5),  # -0.5: not enough to say it helped
        session(3, "box-breathing", "2026-11-20", 9, 1, speed=10),
        session(4, "box-breathing", "2026-11-21", 9, 1, speed=10),  # rehearsals
        session(5, "daily-check-in", "2026-11-21", 9),
        session(6, "daily-check-in", "2026-11-22", 9),  # no after
    )
    assert reading.most_helped(PRACTICES) is None
    assert offer(reading, PRACTICES, following=False) is None


@pytest.mark.parametrize(
    ("before", "after", "hard"),
    [(8, None, True), (10, 9, True), (8, 4, False), (7, None, False), (None, None, False)],
)
def test_a_hard_day_is_a_high_stress_rating_today_that_stayed_high(
    before: float | None, after: float | None, hard: bool
) -> None:
    reading = read(session(1, "daily-check-in", "2026-11-25", before, after))
    assert reading.hard_day is hard


def test_the_latest_rating_of_today_decides_and_yesterday_does_not_count() -> None:
    assert not read(session(1, "rain", "2026-11-24", 10)).hard_day
    later_calm = read(session(1, "rain", "2026-11-25", 9), session(2, "rain", "2026-11-25", 3))
    assert not later_calm.hard_day


def test_on_a_hard_day_first_aid_is_offered_when_nothing_has_helped_yet() -> None:
    reading = read(session(1, "daily-check-in", "2026-11-25", 9))
    chosen = offer(reading, PRACTICES, following=True)
    assert chosen is not None and (chosen.practice, chosen.reason) == (FIRST_AID, "first_aid")
    assert offer(reading, ["rain"], following=True) is None  # no first aid to offer
    helped = read(
        session(1, "rain", "2026-11-20", 7, 4),
        session(2, "rain", "2026-11-21", 7, 4),
        session(3, "daily-check-in", "2026-11-25", 9),
    )
    chosen = offer(helped, PRACTICES, following=True)
    assert chosen is not None and (chosen.practice, chosen.hard) == ("rain", True)


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime(2026, 11, 25, 18, 0).astimezone()
    monkeypatch.setattr(today_command, "_now", lambda: moment)


def write(home: Path, *records: dict[str, Any]) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "sessions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))


def test_today_offers_what_helped_outside_a_program_in_words_and_json(
    kindful_home: Path, today_is: None
) -> None:
    write(
        kindful_home,
        session(1, "box-breathing", "2026-11-20", 7, 4),
        session(2, "box-breathing", "2026-11-21", 6, 4),
    )
    first = runner.invoke(app, ["today"]).stdout.splitlines()[0]
    assert first.startswith("What has helped you: Box breathing (")  # its length, as listed
    assert first.endswith(
        ") eased your stress by 2.5 on average over 2 sessions."
        " It is here if you would like it: kindful run box-breathing"
    )
    data = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    assert data["practices"] == ["box-breathing"]
    assert data["suggested"] == {
        "id": "box-breathing",
        "why": "eased your stress by 2.5 on average over 2 sessions",
        "reason": "helped",
    }


def test_an_empty_home_suggests_a_short_practice_with_its_reason(kindful_home: Path) -> None:
    data = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    assert data["suggested"] == {
        "id": "daily-check-in",
        "why": "a short practice you have not done yet",
        "reason": "short",
    }


def test_in_a_program_a_hard_day_adds_first_aid_as_an_offer(
    kindful_home: Path, today_is: None
) -> None:
    assert runner.invoke(app, ["program", "start", "four-weeks-of-kindness"]).exit_code == 0
    calm = runner.invoke(app, ["today", "--json"]).stdout
    assert "suggested" not in json.loads(calm)
    write(kindful_home, session(1, "daily-check-in", "2026-11-25", 9))
    shown = runner.invoke(app, ["today"]).stdout
    last = shown.rstrip().splitlines()[-1]
    assert last.startswith(
        "Today sounds hard. If a minute for yourself would help, First aid for a hard moment ("
    )
    assert last.endswith(") is here: kindful run first-aid")
    assert "Begin with: kindful today --run" in shown  # the program's day is still there
    data = json.loads(runner.invoke(app, ["today", "--json", "--lang", "de"]).stdout)
    assert data["program"] == "four-weeks-of-kindness"
    assert data["suggested"] == {
        "id": "first-aid",
        "why": "dein Stress lag heute vor einer Übung bei 8 von 10 oder mehr",
        "reason": "first_aid",
    }


def test_today_reads_the_end_of_the_log_and_the_kept_sums_not_the_whole_log(
    kindful_home: Path, today_is: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kindful.journal import reader

    old = [
        session(n, "box-breathing" if n % 2 else "rain", f"2025-{n % 12 + 1:02d}-10", 7, 4)
        for n in range(1, 400)
    ]
    write(kindful_home, *old, session(400, "daily-check-in", "2026-11-25", 9))
    first = runner.invoke(app, ["today", "--json"])  # the first reading keeps the sums
    assert first.exit_code == 0, first.output
    parsed: list[bytes] = []
    real = reader.parse_record

    def counting(line: bytes) -> dict[str, Any] | None:
        parsed.append(line)
        return real(line)

    monkeypatch.setattr(reader, "parse_record", counting)
    again = runner.invoke(app, ["today", "--json"])
    assert again.stdout == first.stdout
    assert json.loads(again.stdout)["suggested"]["id"] == "box-breathing"  # eased most, most often
    assert len(parsed) < 5  # today's session, from the end; none of the year before
