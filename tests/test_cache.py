"""The one cache helper: private, atomic, in the cache folder, and any surprise is a miss."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pytest
from typer.testing import CliRunner

from kindful import cache, paths
from kindful.cli import app
from kindful.decoding import Range, decode, encode


@dataclass(frozen=True)
class Count:
    sessions: Annotated[int, Range(0)]
    minutes: float
    names: tuple[str, ...]
    by_day: dict[int, str]
    note: str | None


GOOD = Count(3, 12.5, ("a", "b"), {1: "x"}, None)


def test_a_value_is_kept_and_read_back(kindful_home: Path) -> None:
    file = cache.folder("counts.json")
    assert cache.write(file, cache.key("counts"), GOOD)
    assert cache.read(file, cache.key("counts"), Count) == GOOD


def test_the_cache_is_not_in_the_data_home(
    kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KINDFUL_CACHE")
    assert kindful_home not in paths.cache_folder().parents
    assert paths.cache_folder().name == "kindful"


def test_the_folder_and_the_file_are_private(kindful_home: Path) -> None:
    old = os.umask(0o022)
    try:
        file = cache.folder("deep", "counts.json")
        cache.write(file, "k", GOOD)
    finally:
        os.umask(old)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(paths.cache_folder().stat().st_mode) == 0o700


def test_the_key_holds_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.key("counts", "x")
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert cache.key("counts", "x") != before


def kept(data: object, key: str = "k") -> bytes:
    return json.dumps({"key": key, "data": data}).encode()


GOOD_DATA = encode(GOOD)

HOSTILE: dict[str, bytes] = {
    "garbage": b"\x00\xff not json",
    "torn": kept(GOOD_DATA)[:30],
    "empty": b"",
    "a list": b"[]",
    "another key": kept(GOOD_DATA, key="other"),
    "a field more at the top": json.dumps({"key": "k", "data": GOOD_DATA, "x": 1}).encode(),
    "no data": json.dumps({"key": "k"}).encode(),
    "sessions below zero": kept({**GOOD_DATA, "sessions": -5}),
    "sessions as text": kept({**GOOD_DATA, "sessions": "5"}),
    "sessions as true": kept({**GOOD_DATA, "sessions": True}),
    "sessions as a fraction": kept({**GOOD_DATA, "sessions": 2.5}),
    "minutes as NaN": b'{"key": "k", "data": {"sessions": 1, "minutes": NaN, "names": [], "by_day": {}, "note": null}}',
    "a name that is a number": kept({**GOOD_DATA, "names": ["a", 1]}),
    "names as a string": kept({**GOOD_DATA, "names": "ab"}),
    "a day that is no number": kept({**GOOD_DATA, "by_day": {"one": "x"}}),
    "a day numbered 01": kept({**GOOD_DATA, "by_day": {"01": "x"}}),
    "a field missing": kept({k: v for k, v in GOOD_DATA.items() if k != "note"}),
    "a field more": kept({**GOOD_DATA, "extra": 1}),
    "an escape sequence": kept({**GOOD_DATA, "note": "\x1b]0;owned\x07"}),
    "nested past the recursion limit": b'{"key": "k", "data": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}",
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=list(HOSTILE))
def test_any_surprise_on_reading_is_a_miss(kindful_home: Path, content: bytes) -> None:
    file = cache.folder("counts.json")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(content)
    assert cache.read(file, "k", Count) is None


def test_the_good_data_is_read(kindful_home: Path) -> None:
    file = cache.folder("counts.json")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(kept(GOOD_DATA))
    assert cache.read(file, "k", Count) == GOOD  # so each case above misses for its one flaw


def test_a_fifo_a_folder_or_a_large_file_is_a_miss(kindful_home: Path) -> None:
    folder = cache.folder()
    folder.mkdir(parents=True)
    os.mkfifo(folder / "fifo.json")
    (folder / "dir.json").mkdir()
    (folder / "large.json").write_bytes(kept(GOOD_DATA) + b" " * 2000)
    for name in ("fifo.json", "dir.json", "large.json", "missing.json"):
        assert cache.read(folder / name, "k", Count, limit=1000) is None, name


def test_a_cache_that_cannot_be_written_costs_only_time(kindful_home: Path) -> None:
    paths.cache_folder().parent.mkdir(parents=True, exist_ok=True)
    paths.cache_folder().write_text("a file where the folder should be")
    assert not cache.write(cache.folder("counts.json"), "k", GOOD)


def test_pruning_keeps_the_files_used_last(kindful_home: Path) -> None:
    folder = cache.folder("some")
    for n in range(5):
        cache.write(folder / f"{n}.json", "k", GOOD)
        os.utime(folder / f"{n}.json", ns=(n * 10**9, n * 10**9))
    cache.used(folder / "0.json")
    cache.prune(folder, 2)
    assert sorted(p.name for p in folder.iterdir()) == ["0.json", "4.json"]


def test_decoding_gives_the_very_types(kindful_home: Path) -> None:
    value = decode(Count, json.loads(json.dumps(encode(GOOD))))
    assert value == GOOD and isinstance(value.names, tuple) and isinstance(value.minutes, float)


@pytest.mark.parametrize("damage", ["[]", '{"key": 1}', "{", '{"key": "x", "data": {"files": 3}}'])
def test_a_damaged_list_cache_lists_the_same(kindful_home: Path, damage: str) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["list", "--json"])
    assert first.exit_code == 0, first.output
    (paths.cache_folder() / "library.json").write_text(damage)
    again = runner.invoke(app, ["list", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_a_planted_list_entry_of_the_wrong_type_is_read_again(kindful_home: Path) -> None:
    runner = CliRunner()
    first = json.loads(runner.invoke(app, ["list", "--json"]).stdout)
    file = paths.cache_folder() / "library.json"
    data = json.loads(file.read_text())
    for listed in data["data"]["files"].values():
        if listed["entry"] is not None:
            listed["entry"]["planned_seconds"] = "a long time"
    file.write_text(json.dumps(data))
    assert json.loads(runner.invoke(app, ["list", "--json"]).stdout) == first
