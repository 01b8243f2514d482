"""A coach's view: each --log file is a client, shown side by side and spoken of by name."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from kindful.journal.export import MAX_KEY_COLUMNS
from records import record, uuid

runner = CliRunner()
TODAY = date.today()
PROGRAM = "two-days"  # a program of the test's own (the built-in ones change with the library)
PROGRAM_FILE = """\
kindful: 1
program: true
title: Two days
weeks:
  - title: One
    days:
      - [daily-check-in, first-aid]
      - [soothing-touch]
      - [first-aid]
"""


@pytest.fixture(autouse=True)
def program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "coach"
    folder.mkdir()
    path = folder / f"{PROGRAM}.yaml"
    path.write_text(PROGRAM_FILE, encoding="utf-8")
    monkeypatch.setenv("KINDFUL_PATH", str(folder))
    return path


def stamp(days_ago: int, hour: int = 7) -> str:
    return f"{(TODAY - timedelta(days=days_ago)).isoformat()}T{hour:02d}:00:00+01:00"


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def survey(score: float, kindness: float, judgement: float) -> dict[str, Any]:
    return {"scs": {"score": score, "subscales": {"kindness": kindness, "judgement": judgement}}}


@pytest.fixture
def anna(tmp_path: Path) -> Path:
    """Twelve days of practice, a program's first two days, ratings and a survey with subscales."""
    records = [
        record(
            id=uuid(n),
            started_at=stamp(12 - n),
            ended_at=stamp(12 - n),
            practice="daily-check-in",
            ratings={"calm_before": 3, "calm_after": 6},
        )
        for n in range(12)
    ]
    records[0]["surveys"] = survey(2.0, 2.5, 1.5)
    records[11]["surveys"] = survey(3.0, 4.0, 3.5)
    records[5]["surveys"] = survey(2.5, 3.0, 2.0)
    program_sessions = (
        (19, "weekly-kindness-check"),
        (20, "daily-check-in"),
        (21, "first-aid"),
        (22, "soles-of-the-feet"),
        (23, "soothing-touch"),
    )
    for n, practice in program_sessions:
        at = stamp(3, hour=n - 10)
        records.append(
            record(
                id=uuid(n),
                started_at=at,
                ended_at=at,
                practice=practice,
                program={"id": PROGRAM, "week": 1, "day": 1 if n < 22 else 2},
            )
        )
    return write(tmp_path / "anna.jsonl", records)


@pytest.fixture
def ben(tmp_path: Path) -> Path:
    records = [
        record(id=uuid(100 + n), started_at=stamp(2 * n, 8), ended_at=stamp(2 * n, 8))
        for n in range(3)
    ]
    return write(tmp_path / "ben.jsonl", records)


def test_stats_shows_each_client_by_name_in_the_coachs_words(anna: Path, ben: Path) -> None:
    result = runner.invoke(app, ["stats", "--log", str(anna), "--log", str(ben)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Practice of anna" in out and "Practice of ben" in out
    assert out.index("Practice of anna") < out.index("Practice of ben")
    assert "anna practised on 12 days." in out
    assert "ben practised on 3 days." in out
    assert "ben practised today." in out
    assert "You " not in out and "Your " not in out and " you " not in out


def test_labels_name_the_clients_in_order(anna: Path, ben: Path) -> None:
    result = runner.invoke(
        app,
        ["stats", "--log", str(anna), "--log", str(ben), "--label", "Anna", "--label", "Ben"],
    )
    assert "Anna practised on 12 days." in result.stdout
    assert "Ben practised on 3 days." in result.stdout
    wrong = runner.invoke(app, ["stats", "--log", str(anna), "--log", str(ben), "--label", "A"])
    assert wrong.exit_code == 2
    assert "--label is given 1 times for 2 --log files" in wrong.stderr


def test_stats_json_is_keyed_by_client_with_subscales(anna: Path, ben: Path) -> None:
    result = runner.invoke(app, ["stats", "--json", "--log", str(anna), "--log", str(ben)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert list(figures) == ["anna", "ben"]
    assert (figures["anna"]["practice_days"], figures["ben"]["practice_days"]) == (12, 3)
    assert figures["anna"]["sessions"] == 17  # twelve days and five program sessions
    scs = figures["anna"]["surveys"]["scs"]
    assert (scs["first"], scs["last"], scs["mean"]) == (2.0, 3.0, 2.5)
    assert scs["subscales"] == {
        "judgement": {"count": 3, "first": 1.5, "last": 3.5, "mean": 2.3333},
        "kindness": {"count": 3, "first": 2.5, "last": 4.0, "mean": 3.1667},
    }
    one = json.loads(runner.invoke(app, ["stats", "--json", "--log", str(ben)]).stdout)
    assert one["sessions"] == 3  # one client, unnamed: the shape of your own stats


def test_stats_text_shows_subscales_and_their_direction(anna: Path) -> None:
    out = runner.invoke(app, ["stats", "--log", str(anna)]).stdout
    assert "kindness: first 2.5, latest 4, mean 3.17" in out
    assert "reverse items turned round" in out


def test_history_has_a_client_column_and_json_by_client(anna: Path, ben: Path) -> None:
    args = ["history", "--log", str(anna), "--log", str(ben), "-n", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == "client"
    clients = [line.split()[0] for line in lines[1:]]
    assert clients == ["ben", "anna", "ben", "anna"]  # newest first, the latest 2 of each
    as_json = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert list(as_json) == ["anna", "ben"] and len(as_json["ben"]) == 2


def test_export_puts_client_program_day_and_survey_scores_in_columns(anna: Path, ben: Path) -> None:
    result = runner.invoke(app, ["export", "--log", str(anna), "--log", str(ben)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 20
    assert {r["client"] for r in rows} == {"anna", "ben"}
    day = next(r for r in rows if r["practice"] == "soothing-touch")
    assert (day["program"], day["program_week"], day["program_day"]) == (PROGRAM, "1", "2")
    first = next(r for r in rows if r["id"] == uuid(0))
    assert (first["survey:scs"], first["survey:scs:kindness"]) == ("2.0", "2.5")
    assert (
        runner.invoke(
            app, ["export", "-f", "jsonl", "--log", str(anna), "--log", str(ben)]
        ).exit_code
        == 2
    )


def test_export_width_is_bounded_however_many_rating_keys(tmp_path: Path) -> None:
    records = [
        record(id=uuid(n), started_at=stamp(1), ratings={f"key_{n:04d}": n % 10, "calm": 5})
        for n in range(500)
    ]
    log = write(tmp_path / "wide.jsonl", records)
    result = runner.invoke(app, ["export", "--log", str(log)])
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header = rows[0]
    assert len(header) <= 16 + MAX_KEY_COLUMNS + 2
    assert "rating:calm" in header  # the key used most keeps its column
    assert header[-2] == "ratings_more"
    cells = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    kept = {name.removeprefix("rating:") for name in header if name.startswith("rating:")}
    for cell, original in zip(cells, records, strict=True):
        (key,) = set(original["ratings"]) - {"calm"}
        if key in kept:
            assert cell[f"rating:{key}"] == str(original["ratings"][key])
        else:
            assert cell["ratings_more"] == f"{key}={original['ratings'][key]}"


def test_program_status_follows_a_client_through_the_program(anna: Path, ben: Path) -> None:
    result = runner.invoke(app, ["program", "status", "--log", str(anna), "--label", "Anna"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Anna follows Two days, first session of it on ")
    assert "✓ day 1  daily-check-in, first-aid" in out
    assert "→ day 2  soothing-touch" not in out  # done too
    assert "✓ day 2  soothing-touch" in out
    assert "→ day 3  first-aid  (next)" in out
    assert "Days done: 2 of 3." in out
    both = runner.invoke(
        app,
        [
            "program",
            "status",
            "--json",
            "--program",
            PROGRAM,
            "--log",
            str(anna),
            "--log",
            str(ben),
        ],
    )
    figures = json.loads(both.stdout)
    assert [d["done"] for d in figures["anna"]["days"][:3]] == [True, True, False]
    assert figures["ben"] is None  # no session of it yet
    none = runner.invoke(app, ["program", "status", "--log", str(ben)])
    assert none.exit_code == 1
    assert "no session of a program in this log; name the program with --program" in none.stderr


def test_two_clients_export_their_logs_and_the_coach_reads_them_side_by_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole hand-over: each client exports with `export --format jsonl`, the coach reads."""
    sent = {}
    for name, days in (("anna", 4), ("ben", 1)):
        home = tmp_path / f"{name}-home"
        home.mkdir()
        write(
            home / "sessions.jsonl",
            [record(id=uuid(n), started_at=stamp(n), ended_at=stamp(n)) for n in range(days)],
        )
        monkeypatch.setenv("KINDFUL_HOME", str(home))
        sent[name] = tmp_path / f"{name}.jsonl"
        done = runner.invoke(app, ["export", "--format", "jsonl", "--output", str(sent[name])])
        assert done.exit_code == 0, done.output
    monkeypatch.setenv("KINDFUL_HOME", str(tmp_path / "coach-home"))
    logs = ["--log", str(sent["anna"]), "--log", str(sent["ben"])]
    out = runner.invoke(app, ["stats", *logs]).stdout
    assert "anna practised on 4 days." in out and "ben practised on 1 day." in out
    figures = json.loads(runner.invoke(app, ["stats", "--json", *logs]).stdout)
    assert {k: v["sessions"] for k, v in figures.items()} == {"anna": 4, "ben": 1}
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["export", *logs]).stdout)))
    assert [r["client"] for r in rows] == ["anna"] * 4 + ["ben"]
