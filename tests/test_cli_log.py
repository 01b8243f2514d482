"""kindful history, stats and export, run through the command line on logs written here."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from kindful.journal.record import Reflection, SessionRecord
from records import EMPTY_STATS, uuid
from records import record as log_record

runner = CliRunner()
TODAY = date.today()

STATS_SHAPE: dict[str, Any] = {
    "sessions": int,
    "completed": int,
    "total_minutes": float,
    "current_streak": int,
    "longest_streak": int,
    "last_practiced": (str, type(None)),
    "days_last_7": int,
    "days_last_30": int,
    "practices": dict,
    "ratings": dict,
    "changes": dict,
    "skipped_lines": int,
    "surveys": dict,  # contract section 9
    "weeks": list,
}


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("KINDFUL_HOME", str(folder))
    monkeypatch.setenv("KINDFUL_CONFIG", str(tmp_path / "config.yaml"))
    monkeypatch.delenv("KINDFUL_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    return folder


def record(n: int, days_ago: int = 0, **changes: Any) -> SessionRecord:
    started = f"{(TODAY - timedelta(days=days_ago)).isoformat()}T07:{n % 60:02d}:00+01:00"
    fields = log_record(
        id=uuid(n),
        started_at=started,
        ratings={"stress_before": 6, "stress_after": 3},
        reflections=[Reflection("What do you need?", "a quiet walk")],
    )
    return SessionRecord(**{**fields, **changes})


def write_log(
    home: Path, *records: SessionRecord, extra: str = "", name: str = "sessions.jsonl"
) -> Path:
    path = home / name
    path.write_text("".join(r.to_line() for r in records) + extra, encoding="utf-8")
    return path


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def a_week(home: Path) -> list[SessionRecord]:
    records = [record(n, days_ago=n) for n in range(7)]
    records.append(record(50, days_ago=1, speed=4, practice="box", title="Box breathing"))
    records.append(
        record(51, days_ago=2, completed=False, steps_done=2, practice="box", title="Box breathing")
    )
    write_log(home, *records)
    return records


def test_stats_json_on_a_missing_log_is_all_zeros() -> None:
    result = invoke("stats", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert {k: v for k, v in figures.items() if k not in ("weeks", "surveys")} == EMPTY_STATS
    assert figures["surveys"] == {} and len(figures["weeks"]) == 12
    assert result.stderr == ""


def test_stats_json_follows_the_contract(home: Path) -> None:
    a_week(home)
    with (home / "sessions.jsonl").open("a") as log_file:
        log_file.write("{torn")
    result = invoke("stats", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == set(STATS_SHAPE)
    for key, kind in STATS_SHAPE.items():
        assert isinstance(figures[key], kind), key
    assert not any(isinstance(figures[key], bool) for key in STATS_SHAPE)
    for practice in figures["practices"].values():
        assert set(practice) == {"sessions", "completed", "minutes", "changes"}
        assert [type(practice[k]) for k in ("sessions", "completed", "minutes")] == [
            int,
            int,
            float,
        ]
        for change in practice["changes"].values():
            assert set(change) == {"count", "mean_change"}
            assert (type(change["count"]), type(change["mean_change"])) == (int, float)
    for rating in figures["ratings"].values():
        assert set(rating) == {"count", "mean"}
        assert (type(rating["count"]), type(rating["mean"])) == (int, float)
    for change in figures["changes"].values():
        assert set(change) == {"count", "mean_change"}
        assert (type(change["count"]), type(change["mean_change"])) == (int, float)
    assert figures["sessions"] == 8
    assert figures["completed"] == 7
    assert figures["current_streak"] == 7
    assert figures["last_practiced"] == TODAY.isoformat()
    assert figures["days_last_7"] == 7
    assert figures["changes"] == {"stress": {"count": 8, "mean_change": -3.0}}
    assert figures["practices"]["box"] == {
        "sessions": 1,
        "completed": 0,
        "minutes": 5.0,
        "changes": {"stress": {"count": 1, "mean_change": -3.0}},
    }
    assert figures["skipped_lines"] == 1
    assert result.stderr == (
        f"kindful: skipped 1 line of the log that is not a session ({home / 'sessions.jsonl'}:10)\n"
    )


def test_stats_for_people_show_what_was_done_and_the_calendar(home: Path) -> None:
    a_week(home)
    result = invoke("stats", "--weeks", "3")
    assert result.exit_code == 0, result.output
    assert "You have practised 7 days in a row, today included." in result.stdout
    assert "1 rehearsal, not counted here." in result.stdout
    assert "Practice days, the last 3 weeks" in result.stdout
    assert "░ under 5 min" in result.stdout
    calendar = result.stdout.split("Week by week")[0].splitlines()
    assert sum(line.count("▒") for line in calendar[-9:-2]) == 7


def test_stats_hide_streaks_when_the_settings_say_so(home: Path, tmp_path: Path) -> None:
    a_week(home)
    (tmp_path / "config.yaml").write_text("show_streaks: false\nlang: de\n")
    result = invoke("stats")
    assert result.exit_code == 0, result.output
    assert "hintereinander" not in result.stdout
    assert f"Zuletzt hast du am {TODAY:%d.%m.%Y} geübt." in result.stdout
    assert "in a row" not in invoke("stats", "--lang", "en").stdout


def test_a_bad_settings_file_is_one_clear_error(home: Path, tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("show_streaks: maybe\n")
    result = invoke("stats")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", [["stats"], ["history"]])
def test_an_empty_log_is_a_friendly_line(home: Path, command: list[str]) -> None:
    write_log(home)
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    assert result.stdout == "No sessions yet. When you run a practice, it will show up here.\n"
    assert invoke(*command, "--lang", "de").stdout.startswith("Noch keine Sitzungen.")


def test_history_json_is_the_newest_records_as_in_the_log(home: Path) -> None:
    records = a_week(home)
    result = invoke("history", "--json", "--limit", "3", "--rehearsals", "--reflections")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed == [records[0].to_dict(), records[7].to_dict(), records[1].to_dict()]
    assert result.stderr == ""


def test_history_json_leaves_reflections_and_rehearsals_out_unless_asked(home: Path) -> None:
    records = a_week(home)
    listed = json.loads(invoke("history", "--json", "--limit", "2").stdout)
    without = [{k: v for k, v in r.to_dict().items() if k != "reflections"} for r in records]
    assert listed == [without[0], without[1]]
    assert "a quiet walk" not in invoke("history", "--json").stdout


def test_history_for_people_keeps_reflections_private(home: Path) -> None:
    a_week(home)
    result = invoke("history", "--limit", "4", "--rehearsals")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 5  # the header and four sessions
    assert TODAY.isoformat() in lines[1]
    assert "stress 6 → 3" in lines[1]
    assert "rehearsal ×4" in result.stdout
    assert "2 of 4 steps" in result.stdout
    assert "a quiet walk" not in result.stdout
    assert "a quiet walk" in invoke("history", "--reflections").stdout


def test_history_of_one_practice(home: Path) -> None:
    a_week(home)
    result = invoke("history", "--practice", "box", "--json")
    assert [r["practice"] for r in json.loads(result.stdout)] == ["box"]
    result = invoke("history", "--practice", "box", "--json", "--rehearsals")
    assert [r["practice"] for r in json.loads(result.stdout)] == ["box", "box"]
    result = invoke("history", "--practice", "nothing-like-it")
    assert result.exit_code == 0, result.output
    assert result.stdout == "No sessions of nothing-like-it yet.\n"
    assert "did you mean" not in result.stderr


def test_history_practice_typo_says_did_you_mean(home: Path) -> None:
    a_week(home)
    result = invoke("history", "--practice", "bxo")
    assert result.exit_code == 0, result.output
    assert result.stdout == "No sessions of bxo yet.\n"
    assert result.stderr == "kindful: no sessions of bxo; did you mean box?\n"


def test_history_since_and_completed(home: Path) -> None:
    a_week(home)
    since = (TODAY - timedelta(days=2)).isoformat()
    for option in (since, "3d"):
        listed = json.loads(invoke("history", "--json", "--since", option, "--rehearsals").stdout)
        assert sorted(r["id"][-2:] for r in listed) == ["00", "01", "02", "50", "51"]
    listed = json.loads(invoke("history", "--json", "--completed", "--rehearsals").stdout)
    assert "51" not in [r["id"][-2:] for r in listed]
    assert len(listed) == 8
    result = invoke("history", "--since", "last week")
    assert result.exit_code == 2
    assert "--since needs a date" in result.stderr


def test_history_ids_show_the_short_id_for_forget(home: Path) -> None:
    a_week(home)
    result = invoke("history", "--ids", "--limit", "1")
    assert result.stdout.splitlines()[1].startswith("00000000 ")


def test_history_json_on_a_missing_log_is_an_empty_list() -> None:
    result = invoke("history", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_conflict_copies_and_duplicates_are_read_once(home: Path) -> None:
    write_log(home, record(1, 0), record(2, 1))
    write_log(
        home,
        record(2, 1),
        record(3, 2),
        name="sessions.sync-conflict-20261101-123456-ABCDEFG.jsonl",
    )
    write_log(
        home,
        record(1, 0),
        record(4, 3),
        name="sessions (Laptop's conflicted copy 2026-11-01).jsonl",
    )
    figures = json.loads(invoke("stats", "--json").stdout)
    assert (figures["sessions"], figures["current_streak"]) == (4, 4)
    assert len(json.loads(invoke("history", "--json").stdout)) == 4


def test_many_skipped_lines_are_counted_in_one_line(home: Path) -> None:
    write_log(home, record(1), extra="junk\n" * 4 + "\x00\x00\x00\n")
    result = invoke("history")
    assert result.exit_code == 0, result.output
    assert result.stderr == "kindful: skipped 5 lines of the log that are not sessions\n"


@pytest.mark.parametrize(
    "command", [["stats"], ["stats", "--json"], ["history"], ["export", "--format", "csv"]]
)
def test_a_log_that_is_a_folder_is_one_line_and_exit_1(home: Path, command: list[str]) -> None:
    (home / "sessions.jsonl").mkdir()
    result = invoke(*command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{home / 'sessions.jsonl'}: the log is a folder, not a file\n"


def test_export_csv_to_stdout_marks_rehearsals_by_speed(home: Path) -> None:
    a_week(home)
    result = invoke("export", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        ",speed,program,program_week,program_day,rating:stress_after,rating:stress_before,reflections"
    )
    assert len(lines) == 10
    assert sum(",4,,,,3,6," in line for line in lines) == 1  # speed 4, no program day
    assert result.stderr == ""


def test_export_json_to_a_private_file(home: Path, tmp_path: Path) -> None:
    records = a_week(home)
    target = tmp_path / "practice.json"
    result = invoke("export", "--format", "json", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"kindful: Wrote 9 sessions to {target}.\n"
    assert json.loads(target.read_text(encoding="utf-8")) == [r.to_dict() for r in records]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_of_an_empty_log_is_valid_and_says_so() -> None:
    result = invoke("export", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert result.stderr == "kindful: The log has no sessions yet; the export is empty.\n"


def test_export_refuses_a_wrong_format_and_the_log_itself(home: Path) -> None:
    log_file = write_log(home, record(1))
    before = log_file.read_bytes()
    result = invoke("export", "--format", "xml")
    assert result.exit_code == 2
    result = invoke("export", "--format", "json", "--output", str(log_file))
    assert result.exit_code == 1
    assert "session log" in result.stderr
    assert log_file.read_bytes() == before


def test_export_stops_quietly_when_the_reader_stops(home: Path) -> None:
    write_log(home, *(record(n, days_ago=n % 400) for n in range(3000)))
    env = {**os.environ, "KINDFUL_HOME": str(home)}
    command = [sys.executable, "-m", "kindful", "export", "--format", "csv"]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.readline().startswith(b"id,practice,title")
        child.stdout.close()
        errors = child.stderr.read().decode()
        assert child.wait(timeout=60) == 0
    finally:
        child.kill()
        child.wait()
    assert errors == ""


def test_the_log_commands_load_nothing_heavy_until_they_run(home: Path) -> None:
    write_log(home, record(1))
    probe = (
        "import sys\n"
        "from kindful.cli import app\n"
        "heavy = ('kindful.journal.reader', 'kindful.journal.stats', 'kindful.journal.history', 'kindful.journal.render')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "sys.argv = ['kindful', 'stats', '--json']\n"
        "try:\n"
        "    app()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('rich', 'yaml', 'pydantic') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[0] == "[]"
    assert done.stderr.strip() == "[]"  # stats --json needs no rich, and no settings file no yaml


def test_export_takes_the_format_from_the_file_and_asks_before_overwriting(
    home: Path, tmp_path: Path
) -> None:
    a_week(home)
    target = tmp_path / "mine.JSON"
    assert invoke("export", "-o", str(target)).exit_code == 0
    assert len(json.loads(target.read_text())) == 9
    result = runner.invoke(app, ["export", "-o", str(target)], input="n\n")
    assert result.exit_code == 1
    assert "Write over it? [y/N]" in result.stderr
    assert result.stderr.endswith(
        f"{target}: already exists; nothing was written (--force writes over it)\n"
    )
    assert len(json.loads(target.read_text())) == 9
    result = runner.invoke(app, ["export", "-o", str(target), "-f", "csv"], input="y\n")
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("id,practice,")
    plain = tmp_path / "mine.txt"
    plain.write_text("old")
    assert invoke("export", "-o", str(plain), "--force").exit_code == 0
    assert plain.read_text().startswith("id,practice,")
    assert invoke("export").stdout.startswith("id,practice,")


def test_history_shows_a_practice_under_its_title_in_the_output_language(home: Path) -> None:
    write_log(
        home,
        record(1, days_ago=1, practice="check-in", title="Check-in", lang="en"),
        record(2, days_ago=0, practice="check-in", title="Kurzer Check-in", lang="de"),
    )
    result = invoke("history", "--lang", "de")
    assert result.stdout.count("Kurzer Check-in") == 2, result.stdout
    assert invoke("list").exit_code == 0  # the list's cache now knows the built-in titles
    english = invoke("history", "--lang", "en").stdout
    assert "Daily check-in" in english or "check-in" in english.lower()
    write_log(home, record(3, practice="box-breathing", title="Box-Atmung", lang="de"))
    assert "Box breathing" in invoke("history", "--lang", "en").stdout
    assert "Box breathing" in invoke("stats", "--lang", "en").stdout


def test_export_output_dash_is_stdout_and_makes_no_file(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_week(home)
    monkeypatch.chdir(tmp_path)
    result = invoke("export", "--output", "-", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 9
    assert result.stderr == ""
    assert not (tmp_path / "-").exists()
    result = invoke("export", "-o", "-")
    assert result.stdout.startswith("id,practice,")
    assert not (tmp_path / "-").exists()
