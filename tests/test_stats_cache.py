"""The cache behind ``stats``: its figures are always those of reading the whole log."""

from __future__ import annotations

import binascii
import json
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kindful import paths
from kindful.cli import app
from kindful.journal import reader as logread
from kindful.journal import stats_cache as tally_cache
from kindful.journal.reader import SeenIds, SessionLog
from kindful.journal.stats import Stats, Tally, tally
from kindful.journal.stats import figures as stats_figures
from kindful.program.helps import Reading
from kindful.program.today import last_days
from streak_oracle import current_streak, days_within, longest_streak

TODAY = date(2026, 11, 25)
MAIN = "sessions.jsonl"
COPIES = ("sessions (Laptop's conflicted copy).jsonl", "sessions.sync-conflict-A.jsonl")
FILES = (MAIN, *COPIES)


@pytest.fixture
def home(kindful_home: Path) -> Path:
    kindful_home.mkdir()
    return kindful_home


def record(n: int) -> dict[str, Any]:
    """A record 1 made from ``n``: the same ``n`` is the same session (same id, same fields)."""
    day = TODAY - timedelta(days=n % 23)
    ratings: dict[str, float] = {"stress_before": n % 7 + 0.5}
    if n % 3:
        ratings["stress_after"] = n % 5 / 3
    started = f"{day.isoformat()}T{6 + n % 12:02d}:{n % 60:02d}:00+0{n % 3}:00"
    return {
        "v": 1,
        "id": f"00000000-0000-4000-8000-{n:012d}" if n % 5 else f"id-{n}",
        "practice": ("check-in", "box", "kind-words")[n % 3],
        "title": f"Title {n % 4}",
        "lang": "en",
        "started_at": started,
        "ended_at": started,
        "planned_seconds": 300,
        "elapsed_seconds": n * 7.3 / 11 if n % 4 else n * 60,
        "completed": n % 6 != 0,
        "steps_done": 4,
        "steps_total": 4,
        "speed": 1 if n % 9 else 2,
        "ratings": ratings,
        "reflections": [{"prompt": "What do you need?", "text": f"private words {n}"}],
    }


def line(n: int) -> bytes:
    return (json.dumps(record(n)) + "\n").encode()


def cached(home: Path, today: date = TODAY) -> tuple[Stats, list[tuple[str, int]]]:
    with SessionLog(home) as log:
        figures = tally_cache.figures(log, today, cache=paths.cache_folder() / "stats.json")
    return figures, log.skipped.places


def fresh(home: Path, today: date = TODAY) -> tuple[Stats, list[tuple[str, int]]]:
    with SessionLog(home) as log:
        figures = tally(log.sessions(), today)
        figures.skipped_lines = log.skipped.count
    return figures, log.skipped.places


def same(home: Path, today: date = TODAY) -> Stats:
    """Check the figures through the cache against reading the whole log; give them.

    And what ``today`` takes from the same sums: each practice's last practice day, and the
    stress changes by practice.
    """
    through_cache = cached(home, today)
    assert through_cache == fresh(home, today)
    with SessionLog(home) as log:
        sums = tally_cache.sums(log, cache=paths.cache_folder() / "stats.json")
    with SessionLog(home) as log:
        everything = list(log.sessions())
    assert sums.last_days() == last_days(everything)
    changes = Reading(today).add(everything).changes
    assert sums.changes_of("stress").keys() == changes.keys()
    for practice, (count, total) in sums.changes_of("stress").items():
        assert (count, total) == (changes[practice][0], pytest.approx(changes[practice][1]))
    return through_cache[0]


@contextmanager
def lines_parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Gather the lines the reader parses meanwhile."""
    parsed: list[bytes] = []
    real = logread.parse_record

    def counting(data: bytes) -> dict[str, Any] | None:
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(logread, "parse_record", counting)
    yield parsed
    monkeypatch.setattr(logread, "parse_record", real)


def append(path: Path, data: bytes) -> None:
    with path.open("ab") as file:
        file.write(data)


def test_the_cache_is_private_and_holds_no_reflections(home: Path) -> None:
    (home / MAIN).write_bytes(b"".join(line(n) for n in range(1, 30)))
    figures = same(home)
    cache = paths.cache_folder() / "stats.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert b"private words" not in cache.read_bytes()
    assert b"What do you need" not in cache.read_bytes()
    assert figures.sessions == sum(1 for n in range(1, 30) if n % 9)
    assert [p.name for p in (paths.cache_folder()).iterdir()] == ["stats.json"]


def test_only_what_was_appended_is_read(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log_file = home / MAIN
    log_file.write_bytes(b"".join(line(n) for n in range(1, 100)))
    same(home)
    with lines_parsed(monkeypatch) as parsed:
        figures, _ = cached(home)
    assert parsed == []
    assert figures == fresh(home)[0]
    append(log_file, line(100) + line(5) + b"junk\n")
    with lines_parsed(monkeypatch) as parsed:
        figures, places = cached(home)
    assert parsed == [line(100)[:-1], line(5)[:-1], b"junk"]
    assert places == [(str(log_file), 102)]  # named by its line in the file
    assert (figures, places) == fresh(home)


def test_the_cli_uses_the_cache_in_the_cache_folder(home: Path) -> None:
    (home / MAIN).write_bytes(line(1) + line(2) + b"{torn")
    runner = CliRunner()
    first = runner.invoke(app, ["stats", "--json"])
    assert first.exit_code == 0, first.output
    assert (paths.cache_folder() / "stats.json").is_file()
    second = runner.invoke(app, ["stats", "--json"])
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr)
    assert json.loads(second.stdout)["skipped_lines"] == 1
    assert (
        second.stderr
        == f"kindful: skipped 1 line of the log that is not a session ({home / MAIN}:3)\n"
    )


def test_a_torn_line_counts_as_skipped_until_it_is_completed(home: Path) -> None:
    log_file = home / MAIN
    whole = line(7)
    log_file.write_bytes(line(1) + whole[:20])
    assert same(home).skipped_lines == 1
    assert same(home).skipped_lines == 1
    append(log_file, whole[20:])
    figures = same(home)
    assert (figures.skipped_lines, figures.sessions) == (0, 2)
    append(log_file, whole[:-1])  # the same session again, its newline still missing
    assert same(home).sessions == 2
    append(log_file, b"\n" + line(8)[:-1])  # a whole last record without its newline counts
    assert same(home).sessions == 3
    append(log_file, b"\n")
    assert same(home).sessions == 3


def test_a_replaced_or_truncated_log_is_read_again(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = home / MAIN
    log_file.write_bytes(b"".join(line(n) for n in range(1, 20)))
    same(home)
    replacement = home / "new"
    replacement.write_bytes(b"".join(line(n) for n in range(30, 35)))
    os.replace(replacement, log_file)
    assert same(home).sessions == 5
    with log_file.open("r+b") as file:
        file.truncate(len(line(30)) + 10)
    assert same(home).sessions == 1
    log_file.write_bytes(line(40) + line(41))  # rewritten in place, same length or longer
    with lines_parsed(monkeypatch) as parsed:
        figures, _ = cached(home)
    assert figures == fresh(home)[0]
    assert figures.sessions == 2
    assert len(parsed) == 2  # from the start


def test_conflict_copies_coming_and_going(home: Path) -> None:
    (home / MAIN).write_bytes(line(1) + line(2))
    same(home)
    (home / COPIES[1]).write_bytes(line(2) + line(3))
    assert same(home).sessions == 3
    (home / COPIES[0]).write_bytes(line(3) + line(4) + b"junk")  # read before the other copy
    assert same(home).sessions == 4
    append(home / MAIN, line(5))  # the log grows while copies follow it: read again
    assert same(home).sessions == 5
    (home / COPIES[0]).unlink()
    assert same(home).sessions == 4


def test_a_broken_or_foreign_cache_is_left_aside(home: Path) -> None:
    (home / MAIN).write_bytes(b"".join(line(n) for n in range(1, 12)))
    wanted = same(home)
    cache = paths.cache_folder() / "stats.json"
    good = cache.read_bytes()
    head, days, surveys, ids, _ = good.split(b"\n")
    header = json.loads(head)

    def whole(head: bytes = head, days: bytes = days, surveys: bytes = surveys) -> bytes:
        return head + b"\n" + days + b"\n" + surveys + b"\n" + ids + b"\n"

    broken = [
        b"",
        b"not json\n\n\n\n",
        good[:-40],
        head + b"\n" + days + b"\n" + surveys + b"\n" + ids[:-4] + b"\n",
        whole(days=b"[1]"),
        whole(days=b'[["2026-11-25"],"AAAAAAAAAAA=","12"]'),
        whole(days=days[:-1]),
        whole(surveys=b"[1]"),
        whole(surveys=b"{"),
        whole(surveys=b'[{"v": 1}]'),
        whole(json.dumps({**header, "key": "another kindful"}).encode()),
        whole(json.dumps({**header, "tally": {}}).encode()),
        whole(json.dumps({**header, "skipped": [0, [[5, 1]]]}).encode()),
        *(
            whole(json.dumps({**header, "tally": {**header["tally"], "practices": rows}}).encode())
            for day in ("2026-13-01", "26-11-01", "2026-11-1", 20261101, None)
            for rows in [{k: [*v[:5], day] for k, v in header["tally"]["practices"].items()}]
        ),
    ]
    with SessionLog(home) as log:
        last = last_days(log.sessions())
    for text in broken:
        cache.write_bytes(text)
        append(home / MAIN, b"")
        assert cached(home)[0] == wanted
        cache.write_bytes(text)
        with SessionLog(home) as log:
            assert tally_cache.sums(log, cache=cache).last_days() == last
    # A cache that cannot be written is no error either.
    cache.unlink()
    cache.mkdir()
    assert same(home) == wanted


def test_a_cache_of_many_ids_is_compact(home: Path) -> None:
    (home / MAIN).write_bytes(b"".join(line(n) for n in range(1, 3001)))
    same(home)
    size = (paths.cache_folder() / "stats.json").stat().st_size
    assert size < 3000 * 40  # 17 bytes an id, in base64, and the sums of 23 days


@contextmanager
def a_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name) / "home"
        folder.mkdir()
        yield folder


OPERATIONS = st.one_of(
    st.tuples(st.just("append"), st.sampled_from(FILES), st.lists(st.integers(1, 60), max_size=6)),
    st.tuples(st.just("junk"), st.sampled_from(FILES), st.binary(max_size=20)),
    st.tuples(st.just("torn"), st.sampled_from(FILES), st.integers(1, 60)),
    st.tuples(st.just("complete"), st.sampled_from(FILES), st.just(0)),
    st.tuples(st.just("no newline"), st.sampled_from(FILES), st.integers(1, 60)),
    st.tuples(st.just("replace"), st.sampled_from(FILES), st.lists(st.integers(1, 60), max_size=6)),
    st.tuples(st.just("rewrite"), st.sampled_from(FILES), st.lists(st.integers(1, 60), max_size=6)),
    st.tuples(st.just("truncate"), st.sampled_from(FILES), st.floats(0, 1)),
    st.tuples(st.just("remove"), st.sampled_from(FILES), st.just(0)),
    st.tuples(st.just("today"), st.just(MAIN), st.integers(-3, 40)),
)


def apply(home: Path, operation: tuple[str, str, Any], torn: dict[str, bytes]) -> None:
    kind, name, value = operation
    path = home / name
    if kind == "append":
        append(path, b"".join(line(n) for n in value))
    elif kind == "junk":
        append(path, value.replace(b"\n", b" ") + b"\n")
    elif kind == "torn":
        whole = line(value)
        cut = value % (len(whole) - 1) + 1
        append(path, whole[:cut])
        torn[name] = whole[cut:]
    elif kind == "complete":
        append(path, torn.pop(name, b"\n"))
    elif kind == "no newline":
        append(path, line(value)[:-1])
    elif kind in ("replace", "rewrite"):
        data = b"".join(line(n) for n in value)
        if kind == "replace":
            (home / "new").write_bytes(data)
            os.replace(home / "new", path)
        else:
            with path.open("ab") as file:
                file.seek(0)
                file.truncate(0)
                file.write(data)
        torn.pop(name, None)
    elif kind == "truncate" and path.exists():
        with path.open("r+b") as file:
            file.truncate(int(path.stat().st_size * value))
        torn.pop(name, None)
    elif kind == "remove" and path.exists():
        path.unlink()
        torn.pop(name, None)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(OPERATIONS, max_size=14), chunk=st.sampled_from([7, 64, 1 << 20]))
def test_any_history_of_the_log_gives_the_figures_of_reading_it_all(
    monkeypatch: pytest.MonkeyPatch, operations: list[tuple[str, str, Any]], chunk: int
) -> None:
    monkeypatch.setattr(logread, "CHUNK", chunk)
    with a_home() as home:
        torn: dict[str, bytes] = {}
        today = TODAY
        for operation in operations:
            if operation[0] == "today":
                today = TODAY + timedelta(days=operation[2])
            apply(home, operation, torn)
            same(home, today)
        monkeypatch.setenv("KINDFUL_HOME", str(home))
        runner = CliRunner()
        through_cache = runner.invoke(app, ["stats", "--json"])
        through_cache_again = runner.invoke(app, ["stats", "--json"])
        (paths.cache_folder() / "stats.json").unlink(missing_ok=True)
        without = runner.invoke(app, ["stats", "--json"])
        assert through_cache.exit_code == 0, through_cache.output
        assert through_cache.stdout == through_cache_again.stdout == without.stdout
        assert through_cache.stderr == through_cache_again.stderr == without.stderr


@settings(max_examples=300, deadline=None)
@given(
    offsets=st.lists(st.integers(-60, 60), max_size=40),
    today=st.integers(-5, 5),
    split=st.integers(0, 40),
)
def test_runs_of_practice_days_give_the_streaks_of_the_days(
    offsets: list[int], today: int, split: int
) -> None:
    """The runs kept for a long log agree with counting the days themselves, in any order."""
    sessions = [
        {**record(n + 1), "started_at": f"{TODAY + timedelta(days=k)}T07:00:00+01:00", "speed": 1}
        for n, k in enumerate(offsets)
    ]
    sessions = [{**s, "completed": True, "elapsed_seconds": 300} for s in sessions]
    sums = Tally()
    sums.add(sessions[:split])
    sums.add(sessions[split:])
    on = TODAY + timedelta(days=today)
    figures = stats_figures(sums, on)
    days = {TODAY + timedelta(days=k) for k in offsets}
    assert figures.current_streak == current_streak(days, on)
    assert figures.longest_streak == longest_streak(days)
    assert figures.days_last_7 == days_within(days, on, 7)
    assert figures.days_last_30 == days_within(days, on, 30)
    assert figures.last_practiced == (max(days) if days else None)
    assert set(figures.day_minutes) == days


def test_ids_are_packed_in_pieces_that_join_up() -> None:
    ids = [record(n)["id"] for n in range(1, 40)]
    seen = SeenIds()
    for record_id in ids:
        assert seen.add(record_id)
    pieces = list(seen.packed(per_piece=3))
    assert len(pieces) == 13
    encoded = b"".join(binascii.b2a_base64(piece, newline=False) for piece in pieces)
    again = SeenIds(lambda: binascii.a2b_base64(encoded))
    assert again.as_given
    assert all(record_id in again for record_id in ids)
    assert again.as_given and len(again) == len(ids)
    assert not again.add(ids[0].upper()) and again.add("another")


def uuid(number: int) -> str:
    text = f"{number:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@settings(max_examples=200, deadline=None)
@given(
    given_ids=st.sets(st.integers(0, 2**128 - 1) | st.integers(0, 40), max_size=30),
    new_ids=st.lists(st.integers(0, 2**128 - 1) | st.integers(0, 40), max_size=30),
    per_piece=st.integers(1, 7),
)
def test_packed_ids_are_searched_and_merged_in_order(
    given_ids: set[int], new_ids: list[int], per_piece: int
) -> None:
    start = SeenIds()
    for number in given_ids:
        start.add(uuid(number))
    packed = b"".join(start.packed(per_piece))
    assert packed == b"".join(n.to_bytes(17, "big") for n in sorted(given_ids))
    seen = SeenIds(lambda: packed)
    assert all(uuid(number) in seen for number in given_ids)
    for number in new_ids:
        assert seen.add(uuid(number)) == (number not in given_ids)
        given_ids.add(number)
    everything = b"".join(n.to_bytes(17, "big") for n in sorted(given_ids))
    assert b"".join(seen.packed(per_piece)) == everything
    assert len(seen) == len(given_ids)


@pytest.mark.parametrize("args", [["stats"], ["stats", "--json"]])
def test_stats_loads_neither_pydantic_nor_yaml_without_settings(
    home: Path, args: list[str]
) -> None:
    (home / MAIN).write_bytes(line(1) + line(2))
    probe = (
        "import sys\n"
        "from kindful.cli import app\n"
        f"sys.argv = ['kindful', *{args!r}]\n"
        "try:\n"
        "    app()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('yaml', 'pydantic') if m in sys.modules), file=sys.stderr)\n"
    )
    for _ in range(2):  # without the cache, then with it
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        assert done.stderr.strip() == "[]"
    assert (paths.cache_folder() / "stats.json").is_file()


def test_surveys_through_the_cache_are_those_of_the_whole_log(home: Path) -> None:
    def surveyed(n: int, score: float) -> bytes:
        fields = record(n)
        fields["surveys"] = {"wellbeing": {"score": score, "answers": [1, 2]}}
        return (json.dumps(fields) + "\n").encode()

    runner = CliRunner()
    (home / MAIN).write_bytes(line(1) + surveyed(2, 3.0) + line(3))
    first = runner.invoke(app, ["stats", "--json"])
    append(home / MAIN, surveyed(4, 4.5) + line(5))
    warm = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    (paths.cache_folder() / "stats.json").unlink()
    cold = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert first.exit_code == 0, first.output
    assert warm["surveys"] == cold["surveys"]
    assert warm["surveys"]["wellbeing"]["count"] == 2
    assert b"reflection" not in (paths.cache_folder() / "stats.json").read_bytes()


def test_a_large_cache_reads_its_ids_only_when_they_are_needed(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of a cache larger than ``HEAD`` the ids are read only to merge a session read since,
    from the same cache or not at all."""
    log_file = home / MAIN
    log_file.write_bytes(b"".join(line(n) for n in range(1, 60)))
    same(home)
    kept = (paths.cache_folder() / "stats.json").read_bytes()
    third = kept.index(b"\n", kept.index(b"\n", kept.index(b"\n") + 1) + 1)
    assert third + 200 < len(kept)  # room for the ids to be left unread
    monkeypatch.setattr(tally_cache, "HEAD", third + 100)  # the head, not the ids
    read: list[int] = []
    real = tally_cache._ids

    def counting(cache: Path, before: bytes) -> memoryview:
        read.append(1)
        return real(cache, before)

    monkeypatch.setattr(tally_cache, "_ids", counting)
    same(home)
    assert read == []  # nothing new: the ids stay unread
    append(log_file, line(60) + line(3))  # a new session, and one read before
    same(home)
    assert read != []
    cache = paths.cache_folder() / "stats.json"
    good = cache.read_bytes()
    append(log_file, line(61))
    for broken in (good[:-30] + b"\n", good[:-1], good + b"more\n", good.replace(b"\n", b"", 3)):
        cache.write_bytes(broken)
        same(home)
    # The cache replaced after its head was read: its ids are not taken for the old head's.
    cache.write_bytes(good)
    append(log_file, line(62))

    def replaced(at: Path, before: bytes) -> memoryview:
        at.write_bytes(b"x" + at.read_bytes())
        return real(at, before)

    monkeypatch.setattr(tally_cache, "_ids", replaced)
    same(home)
    kept = cache.read_bytes()
    head = kept[: kept.rindex(b"\n", 0, len(kept) - 1) + 1]
    assert bytes(real(cache, head)) == kept[len(head) : -1]
    for other in (b"x" + head[1:], head[:-2] + b"\n", head + b"x"):
        with pytest.raises(tally_cache._Unusable):
            real(cache, other)
