"""Caches from anyone: a ``library.json``, ``programs.json`` or ``stats.json`` that is torn,
tampered with, nested too deep, of the wrong shape or no file at all. Each is a miss: the
command gives what it gives without a cache, and says nothing of it."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from records import record, uuid

runner = CliRunner()


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return Path(os.environ["KINDFUL_CACHE"])


@pytest.fixture
def home(kindful_home: Path) -> Path:
    kindful_home.mkdir(parents=True)
    lines = [
        record(
            id=uuid(n),
            started_at=f"2026-11-2{n}T07:30:00+01:00",
            ended_at=f"2026-11-2{n}T07:35:00+01:00",
            ratings={"calm_before": 3, "calm_after": 5},
        )
        for n in range(3)
    ]
    (kindful_home / "sessions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    return kindful_home


def out(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


HOSTILE_BYTES = [
    b"",
    b"{",
    b"[" * 100_000,
    b'{"key": 1, "data": 2}',
    b"\xff\xfe not UTF-8",
    b'{"format": 3}\n[]\n\n',
]


@pytest.mark.parametrize("name", ["library.json", "programs.json", "stats.json"])
@pytest.mark.parametrize("garbage", HOSTILE_BYTES)
def test_a_cache_of_garbage_is_a_miss(home: Path, cache: Path, name: str, garbage: bytes) -> None:
    fresh = [out("list", "--json"), out("program", "list", "--json"), out("stats", "--json")]
    (cache / name).write_bytes(garbage)
    assert [out("list", "--json"), out("program", "list", "--json"), out("stats", "--json")] == (
        fresh
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["library.json", "programs.json", "stats.json"])
def test_a_fifo_as_a_cache_is_a_miss(home: Path, cache: Path, name: str) -> None:
    fresh = out("list", "--json"), out("program", "list", "--json"), out("stats", "--json")
    (cache / name).unlink()
    os.mkfifo(cache / name)
    assert (out("list", "--json"), out("program", "list", "--json"), out("stats", "--json")) == (
        fresh
    )


def _tally(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    return lambda head: change(head["tally"])


TAMPERED = {
    "sessions -5": _tally(lambda t: t.update(count=-5)),
    "negative minutes": _tally(lambda t: t.update(seconds=-100.0)),
    "minutes past a float": _tally(lambda t: t.update(seconds=1e400)),
    "a practice made up": _tally(lambda t: t["practices"].update(x=["\x1b[31m", 1, 1, 1e300])),
    "a day past the calendar": _tally(lambda t: t.update(runs=[[1, 10**20]])),
    "a day before the calendar": _tally(lambda t: t.update(runs=[[0, 3]])),
    "a run ending before it begins": _tally(lambda t: t.update(runs=[[739000, 738990]])),
    "a day of words": _tally(lambda t: t.update(runs=[[739000, "x"]])),
    "a day that is true": _tally(lambda t: t.update(runs=[[True, 3]])),
    "a rating of words": _tally(lambda t: t["ratings"].update(calm_before=[3, "x"])),
    "more completed than sessions": _tally(lambda t: t.update(completed=99)),
}


@pytest.mark.parametrize("change", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_stats_cache_is_rebuilt_silently(
    home: Path, cache: Path, change: Callable[[dict[str, Any]], None]
) -> None:
    fresh = out("stats", "--json"), out("stats")
    lines = (cache / "stats.json").read_bytes().split(b"\n")
    head = copy.deepcopy(json.loads(lines[0]))
    change(head)
    (cache / "stats.json").write_bytes(b"\n".join([json.dumps(head).encode(), *lines[1:]]))
    assert (out("stats", "--json"), out("stats")) == fresh


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.update(planned_seconds=-5),
        lambda e: e.update(planned_seconds=1e400),
        lambda e: e.update(id="\x1b]0;owned\x07"),
        lambda e: e.update(titles={"en": "\x1b[2J"}),
        lambda e: e.clear(),
    ],
)
def test_a_tampered_library_cache_is_a_miss(
    home: Path, cache: Path, change: Callable[[dict[str, Any]], None]
) -> None:
    fresh = out("list", "--json"), out("list")
    kept = json.loads((cache / "library.json").read_text())
    for entry in kept["data"]["files"].values():
        if entry["entry"] is not None:  # a file with problems keeps its problem instead
            change(entry["entry"])
    (cache / "library.json").write_text(json.dumps(kept))
    assert (out("list", "--json"), out("list")) == fresh
