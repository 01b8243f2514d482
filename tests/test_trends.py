"""Week-by-week figures and survey trends, checked against a slow oracle; ``--log`` files."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from kindful import paths
from kindful.cli import app
from kindful.journal.render_trends import bar, spark
from kindful.journal.trends import trends, week_label
from records import record, uuid

runner = CliRunner()
TODAY = date(2026, 11, 25)  # a Wednesday


def oracle(records: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """Give the weeks and surveys the slow way: for each week, look at every record again."""
    weeks = []
    for back in range(11, -1, -1):
        day = today - timedelta(weeks=back)
        label = f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"
        mine = [
            r
            for r in records
            if r["speed"] == 1
            and date.fromisoformat(r["started_at"][:10]) <= today
            and "{}-W{:02d}".format(*date.fromisoformat(r["started_at"][:10]).isocalendar()[:2])
            == label
        ]
        stems = sorted(
            {k[: -len("_before")] for r in mine for k in r["ratings"] if k.endswith("_before")}
        )
        changes = {}
        for stem in stems:
            pairs = [
                r["ratings"][stem + "_after"] - r["ratings"][stem + "_before"]
                for r in mine
                if stem + "_before" in r["ratings"] and stem + "_after" in r["ratings"]
            ]
            if pairs:
                changes[stem] = round(sum(pairs) / len(pairs), 4)
        weeks.append(
            {
                "week": label,
                "sessions": len(mine),
                "minutes": round(sum(r["elapsed_seconds"] for r in mine) / 60, 2),
                "changes": changes,
            }
        )
    surveys: dict[str, Any] = {}
    answered = sorted(
        (r for r in records if r["speed"] == 1 and "surveys" in r),
        key=lambda r: datetime.fromisoformat(r["started_at"]),
    )
    for key in sorted({k for r in answered for k in r["surveys"]}):
        scores = [r["surveys"][key]["score"] for r in answered if key in r["surveys"]]
        surveys[key] = {
            "count": len(scores),
            "first": scores[0],
            "last": scores[-1],
            "mean": round(sum(scores) / len(scores), 4),
        }
    return {"weeks": weeks, "surveys": surveys}


def random_log(seed: int, count: int = 300) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records = []
    for n in range(count):
        day = TODAY - timedelta(days=rng.randint(-3, 120))
        offset = rng.choice(["+01:00", "+02:00", "-05:00"])
        started = f"{day.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00{offset}"
        ratings: dict[str, int] = {}
        for stem in ("stress", "kindness"):
            if rng.random() < 0.6:
                ratings[stem + "_before"] = rng.randint(0, 10)
            if rng.random() < 0.6:
                ratings[stem + "_after"] = rng.randint(0, 10)
        fields: dict[str, Any] = {
            "id": uuid(n),
            "started_at": started,
            "ended_at": started,
            "elapsed_seconds": rng.randint(30, 1800),
            "completed": rng.random() < 0.9,
            "speed": 1 if rng.random() < 0.9 else 10,
            "ratings": ratings,
        }
        if rng.random() < 0.2:
            key = rng.choice(["weekly", "scs"])
            fields["surveys"] = {
                key: {"score": rng.randint(10, 50) / 10, "subscales": {}, "answers": [1]}
            }
        records.append(record(**fields))
    return records


def test_the_weeks_and_surveys_agree_with_the_slow_oracle() -> None:
    for seed in range(20):
        records = random_log(seed)
        assert trends(records, TODAY).as_json() == oracle(records, TODAY), seed


def test_twelve_weeks_end_with_the_current_one_even_when_empty() -> None:
    weeks = trends([], TODAY).as_json()["weeks"]
    assert [w["week"] for w in weeks][-2:] == ["2026-W47", "2026-W48"]
    assert len(weeks) == 12 and weeks[0]["week"] == "2026-W37"
    assert week_label(date(2027, 1, 1)) == "2026-W53"


def test_a_survey_with_a_score_that_is_no_number_is_left_out() -> None:
    records = [
        record(id=uuid(1), surveys={"s": {"score": "high"}}),
        record(id=uuid(2), surveys={"s": {"score": 3}}),
        record(id=uuid(3), surveys=["s"]),
    ]
    assert trends(records, TODAY).as_json()["surveys"] == {
        "s": {"count": 1, "first": 3.0, "last": 3.0, "mean": 3.0}
    }


def test_bars_and_lines_scale_to_their_largest() -> None:
    assert bar(0, 10) == "" and bar(10, 10) == "█" * 20 and bar(0.1, 10) == "█"
    assert spark([1, 3, 5]) == "▁▅█" and spark([2, 2]) == "▅▅" and spark([]) == ""


def write_log(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_a_coach_reads_an_exported_log_with_the_same_reader(
    tmp_path: Path, kindful_home: Path, monkeypatch: Any
) -> None:
    today = date.today().isoformat()
    client = [
        record(id=uuid(1), started_at=f"{today}T07:00:00+01:00", practice="one", title="One"),
        record(
            id=uuid(2),
            started_at=f"{today}T08:00:00+01:00",
            surveys={"weekly": {"score": 3.5, "subscales": {}, "answers": [3, 4]}},
        ),
    ]
    client_home = tmp_path / "client"
    write_log(client_home / "sessions.jsonl", client)
    monkeypatch.setenv("KINDFUL_HOME", str(client_home))
    exported = tmp_path / "from-client.jsonl"
    result = runner.invoke(app, ["export", "--format", "jsonl", "--output", str(exported)])
    assert result.exit_code == 0, result.output
    with exported.open("a") as file:
        file.write("a line that is no record\n")
    monkeypatch.setenv("KINDFUL_HOME", str(kindful_home))
    write_log(kindful_home / "sessions.jsonl", [record(id=uuid(9), practice="mine")])
    own = (kindful_home / "sessions.jsonl").read_bytes()

    stats = runner.invoke(app, ["stats", "--json", "--log", str(exported)])
    assert stats.exit_code == 0, stats.output
    figures = json.loads(stats.stdout)
    assert (figures["sessions"], figures["skipped_lines"]) == (2, 1)
    assert figures["surveys"] == {"weekly": {"count": 1, "first": 3.5, "last": 3.5, "mean": 3.5}}
    assert figures["weeks"][-1]["sessions"] == 2
    assert f"{exported}:3" in stats.stderr
    history = runner.invoke(app, ["history", "--json", "--log", str(exported)])
    assert [r["id"] for r in json.loads(history.stdout)] == [uuid(2), uuid(1)]
    twice = runner.invoke(
        app, ["history", "--json", "--log", str(exported), "--log", str(exported)]
    )
    assert len(json.loads(twice.stdout)) == 2  # a record read twice counts once
    again = runner.invoke(app, ["export", "-f", "csv", "--log", str(exported)])
    assert again.stdout.count("\n") == 3
    assert (kindful_home / "sessions.jsonl").read_bytes() == own
    assert not (paths.cache_folder() / "stats.json").exists()


def test_a_missing_log_file_is_one_clear_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "--log", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"{tmp_path / 'none.jsonl'}: cannot read the log: no such file or directory"
    )


def test_stats_draws_the_weeks_and_the_surveys(kindful_home: Path) -> None:
    today = date.today().isoformat()
    write_log(
        kindful_home / "sessions.jsonl",
        [
            record(
                id=uuid(1),
                started_at=f"{today}T07:00:00+01:00",
                ratings={"stress_before": 6, "stress_after": 3},
                surveys={"weekly": {"score": 2.5, "subscales": {}, "answers": [2, 3]}},
            )
        ],
    )
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0, result.output
    assert "Week by week, the last 12 weeks" in result.stdout
    assert "stress change" in result.stdout and "−3.0" in result.stdout
    assert "weekly: first 2.5, latest 2.5, mean 2.5 (1 times)" in result.stdout


def test_stats_reads_only_the_parts_it_needs_and_gets_the_whole_logs_figures(
    kindful_home: Path,
) -> None:
    today = date.today()
    shift = today - TODAY
    records = []
    for r in random_log(3, 400):
        moved = (date.fromisoformat(r["started_at"][:10]) + shift).isoformat()
        stamp = moved + r["started_at"][10:]
        records.append({**r, "started_at": stamp, "ended_at": stamp})
    expected = trends(records, today).as_json()
    assert expected["surveys"] and any(w["sessions"] for w in expected["weeks"])
    joined = kindful_home.parent / "joined.jsonl"  # out of time order: read whole with --log
    write_log(joined, records)
    in_order = sorted(records, key=lambda r: datetime.fromisoformat(r["ended_at"]))
    write_log(kindful_home / "sessions.jsonl", in_order)  # as kindful appends
    for args in (["stats", "--json"], ["stats", "--json", "--log", str(joined)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        figures = json.loads(result.stdout)
        assert (figures["weeks"], figures["surveys"]) == (expected["weeks"], expected["surveys"])
