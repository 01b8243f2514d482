"""Sealed reflections: written sealed, opened with the passphrase, and by the standard age too.

Opening the key runs age's scrypt, which takes seconds on purpose: one key is made for the
whole module, and only the tests about the passphrase itself open it.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fakes import FakeClock
from kindful.cli import app
from kindful.cli import run as run_command
from kindful.errors import ConfigError
from kindful.journal import sealing, writer
from kindful.journal.record import MAX_LINE, Reflection, SessionRecord
from kindful.journal.sealing import Key, NewKey, Opening, WrongPassphrase
from kindful.settings import load_settings, set_setting
from records import record, uuid

runner = CliRunner()
PASSPHRASE = "a quiet walk by the river"

PRACTICE = """\
kindful: 1
id: tiny
title: {en: Tiny}
steps:
  - say: {en: Hello}
  - reflect: {en: What do you need?}
"""


@pytest.fixture(scope="module")
def made() -> NewKey:
    return sealing.new_key(PASSPHRASE)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "config.yaml"
    path.parent.mkdir()
    monkeypatch.setenv("KINDFUL_CONFIG", str(path))
    return path


@pytest.fixture
def key(made: NewKey, config: Path) -> NewKey:
    """The module's key, kept where kindful looks for it, and set as reflections_to."""
    (config.parent / "reflections-key.age").write_bytes(made.key_file)
    config.write_text(f"reflections_to: {made.public}\n", encoding="utf-8")
    return made


@pytest.fixture
def identity(made: NewKey) -> Key:
    """The module's key, opened once for all the tests that need it opened."""
    return _opened(made)


_OPENED: dict[str, Key] = {}


def _opened(made: NewKey) -> Key:
    if made.public not in _OPENED:
        _OPENED[made.public] = Key.unlock(made.key_file, PASSPHRASE)
    return _OPENED[made.public]


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(run_command, "EDGES", run_command.Edges(clock=clock, sleep=clock.tick))


def passphrase_fd(text: str) -> Iterator[str]:
    read, write = os.pipe()
    os.write(write, text.encode() + b"\n")
    os.close(write)
    try:
        yield str(read)
    finally:
        os.close(read)


@pytest.fixture
def right_fd() -> Iterator[str]:
    yield from passphrase_fd(PASSPHRASE)


@pytest.fixture
def wrong_fd() -> Iterator[str]:
    yield from passphrase_fd("not it")


def logged(home: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (home / "sessions.jsonl").read_text().splitlines()]


def run_tiny(tmp_path: Path, answer: str = "rest, ä ö") -> Any:
    practice = tmp_path / "tiny.yaml"
    practice.write_text(PRACTICE, encoding="utf-8")
    return runner.invoke(app, ["run", str(practice), "--plain"], input=f"{answer}\n")


REFLECTIONS = [Reflection("What do you need?", "rest"), Reflection("And now?", "ä ö ü \n ß")]


# sealing and opening


def test_sealed_reflections_open_with_the_key_alone(made: NewKey, identity: Key) -> None:
    sealed = sealing.seal(REFLECTIONS, made.public)
    assert sealed.startswith(sealing.ARMOR_BEGIN)
    assert "rest" not in sealed
    assert identity.open(sealed) == [
        {"prompt": "What do you need?", "text": "rest"},
        {"prompt": "And now?", "text": "ä ö ü \n ß"},
    ]
    other = Key(__import__("pyrage").x25519.Identity.generate())
    assert other.open(sealed) is None
    assert identity.open("not sealed") is None and identity.open(3) is None


def test_the_key_opens_with_its_passphrase_only(made: NewKey) -> None:
    assert _opened(made).open(sealing.seal(REFLECTIONS[:1], made.public)) is not None
    with pytest.raises(WrongPassphrase):
        Key.unlock(made.key_file, "not it")


def test_an_opening_fills_in_the_reflections_and_counts_what_it_cannot(
    made: NewKey, identity: Key
) -> None:
    sealed = sealing.sealed_record(
        SessionRecord(**{**record(id=uuid(1)), "reflections": REFLECTIONS}), made.public
    )
    data = sealed.to_dict()
    assert data["reflections"] == [] and "reflections_sealed" in data
    plain = record(id=uuid(2))
    opening = Opening(identity)
    opened = [opening.opened(r) for r in (data, plain)]
    assert opened[0]["reflections"][0] == {"prompt": "What do you need?", "text": "rest"}
    assert "reflections_sealed" not in opened[0]
    assert opened[1] == plain and opening.unopened == 0
    closed = Opening(None)
    assert closed.opened(data) == data and closed.unopened == 1


def test_a_sealed_record_still_fits_a_line_when_an_answer_is_long(made: NewKey) -> None:
    huge = SessionRecord(
        **{**record(), "reflections": [Reflection("Long?", "x" * MAX_LINE), REFLECTIONS[0]]}
    )
    written, cut = writer.fit(huge, made.public)
    assert cut
    assert written.reflections == [] and written.reflections_sealed is not None
    assert len(written.to_line().encode()) - 1 <= MAX_LINE
    assert len(written.to_line().encode()) > MAX_LINE * 0.95  # cut no more than needed


# run, history and export


def test_run_seals_without_asking_and_keeps_the_rest_plain(
    key: NewKey, identity: Key, tmp_path: Path, kindful_home: Path
) -> None:
    result = run_tiny(tmp_path)
    assert result.exit_code == 0, result.output
    assert "assphrase" not in result.output
    [logged_record] = logged(kindful_home)
    assert logged_record["reflections"] == []
    assert logged_record["completed"] is True and logged_record["practice"] == "tiny"
    assert "rest" not in (kindful_home / "sessions.jsonl").read_text()
    assert identity.open(logged_record["reflections_sealed"]) == [
        {"prompt": "What do you need?", "text": "rest, ä ö"}
    ]
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert stats["sessions"] == 1 and stats["completed"] == 1


def test_a_bad_key_in_the_settings_is_said_before_the_session(
    config: Path, tmp_path: Path, kindful_home: Path
) -> None:
    for bad in ("age1" + "q" * 58, "my-key"):  # the shape of a key but not one; not even that
        config.write_text(f"bell: true\nreflections_to: {bad}\n")
        result = run_tiny(tmp_path)
        assert result.exit_code == 1
        assert result.stderr == (
            f"{config}:2:17: 'reflections_to' must be an age public key (age1...), "
            "as kindful key new makes\n"
        )
        assert "Hello" not in result.stdout
        assert not (kindful_home / "sessions.jsonl").exists()


def test_history_says_how_many_are_sealed_without_the_passphrase(
    key: NewKey, tmp_path: Path
) -> None:
    run_tiny(tmp_path)
    run_tiny(tmp_path)
    result = runner.invoke(app, ["history", "--reflections"])
    assert result.exit_code == 0, result.output
    assert "(sealed)" in result.stdout and "rest" not in result.stdout
    assert result.stderr == (
        "kindful: 2 sessions have sealed reflections; give the passphrase "
        "(on a terminal, or --passphrase-fd N) to open them.\n"
    )
    result = runner.invoke(app, ["history", "--json"])
    assert all("reflections_sealed" not in r for r in json.loads(result.stdout))


def test_history_and_export_open_them_with_the_passphrase_once(
    key: NewKey, tmp_path: Path, right_fd: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_tiny(tmp_path)
    run_tiny(tmp_path, "a second answer")
    unlocked: list[int] = []

    def counting(cls: type[Key], key_file: bytes, passphrase: str) -> Key:
        unlocked.append(1)
        assert passphrase == PASSPHRASE
        return _opened(key)

    monkeypatch.setattr(Key, "unlock", classmethod(counting))
    result = runner.invoke(app, ["history", "--reflections", "--passphrase-fd", right_fd])
    assert result.exit_code == 0, result.output
    assert "rest, ä ö" in result.stdout and "a second answer" in result.stdout
    assert "(sealed)" not in result.stdout and result.stderr == ""
    assert unlocked == [1]


def test_export_opens_them_and_keep_sealed_leaves_them(
    key: NewKey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_tiny(tmp_path)
    monkeypatch.setattr(Key, "unlock", classmethod(lambda cls, f, p: _opened(key)))
    for fd in passphrase_fd(PASSPHRASE):
        result = runner.invoke(app, ["export", "-f", "json", "--passphrase-fd", fd])
    assert result.exit_code == 0, result.output
    [exported] = json.loads(result.stdout)
    assert exported["reflections"] == [{"prompt": "What do you need?", "text": "rest, ä ö"}]
    assert "reflections_sealed" not in exported
    for fd in passphrase_fd(PASSPHRASE):
        result = runner.invoke(app, ["export", "-f", "csv", "--passphrase-fd", fd])
    assert "What do you need? — rest, ä ö" in result.stdout
    result = runner.invoke(app, ["export", "-f", "json", "--keep-sealed"])
    assert result.exit_code == 0 and result.stderr == ""
    [kept] = json.loads(result.stdout)
    assert kept["reflections"] == [] and kept["reflections_sealed"].startswith("-----BEGIN AGE")
    result = runner.invoke(app, ["export", "-f", "json"])
    assert "1 session has sealed reflections" in result.stderr


def test_export_counts_the_sealed_once_when_it_writes_the_csv_again(
    key: NewKey, tmp_path: Path, kindful_home: Path
) -> None:
    run_tiny(tmp_path)
    with (kindful_home / "sessions.jsonl").open("a") as log:  # the columns guessed wrong
        log.write('{"ratings":{"not_a_column":1}}\n')
    result = runner.invoke(app, ["export", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "not_a_column" not in result.stdout
    assert "kindful: 1 session has sealed reflections" in result.stderr


def test_a_wrong_passphrase_is_one_line_and_exit_1(
    key: NewKey, tmp_path: Path, wrong_fd: str
) -> None:
    run_tiny(tmp_path)
    result = runner.invoke(app, ["history", "--reflections", "--passphrase-fd", wrong_fd])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "kindful: wrong passphrase: the reflections stay sealed\n"


def test_a_passphrase_fd_that_cannot_be_read_is_wrong_usage(key: NewKey, tmp_path: Path) -> None:
    run_tiny(tmp_path)
    result = runner.invoke(app, ["history", "--reflections", "--passphrase-fd", "97"])
    assert result.exit_code == 2
    assert (
        result.stderr == "kindful: --passphrase-fd 97 is not a file descriptor kindful can read\n"
    )


@pytest.mark.skipif(shutil.which("age") is None, reason="the age command is not installed")
def test_the_age_command_opens_a_sealed_record_with_the_key_file(
    key: NewKey, tmp_path: Path, kindful_home: Path, config: Path
) -> None:
    pexpect = pytest.importorskip("pexpect")
    run_tiny(tmp_path)
    [logged_record] = logged(kindful_home)
    sealed = tmp_path / "reflections.age"
    sealed.write_text(logged_record["reflections_sealed"])
    key_file = config.parent / "reflections-key.age"
    # age asks for the key file's passphrase on the terminal, as it would ask a person.
    child = pexpect.spawn("age", ["-d", "-i", str(key_file), str(sealed)], timeout=120)
    child.expect("passphrase")
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    out = child.before.decode()
    assert json.loads(out[out.index("[{") :]) == [
        {"prompt": "What do you need?", "text": "rest, ä ö"}
    ]


# key new


def test_key_new_makes_a_private_key_and_keeps_the_rest_of_the_settings(
    config: Path, kindful_home: Path
) -> None:
    config.write_text("# mine\nlang: de  # German\nbell: false\n", encoding="utf-8")
    for fd in passphrase_fd(PASSPHRASE):
        result = runner.invoke(app, ["key", "new", "--passphrase-fd", fd, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "lost for good" in result.stderr
    key_file = config.parent / "reflections-key.age"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes().startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    text = config.read_text()
    public = load_settings().reflections_to
    assert public is not None and public in result.stdout
    assert text == f"# mine\nlang: de  # German\nbell: false\nreflections_to: {public}\n"
    again = runner.invoke(app, ["key", "new", "--passphrase-fd", "0", "--lang", "en"])
    assert again.exit_code == 1
    assert again.stderr.startswith(f"{key_file}: a key is there already")
    assert config.read_text() == text


def test_key_new_needs_a_passphrase(config: Path) -> None:
    result = runner.invoke(app, ["key", "new"])
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "kindful: a passphrase is needed: type it on a terminal, or give --passphrase-fd N\n"
    )
    for fd in passphrase_fd(""):
        result = runner.invoke(app, ["key", "new", "--passphrase-fd", fd])
    assert result.exit_code == 1
    assert result.stderr.endswith("kindful: a passphrase may not be empty\n")
    assert not (config.parent / "reflections-key.age").exists()
    assert not config.exists()


def test_set_setting_replaces_the_line_or_adds_one_and_writes_nothing_invalid(
    config: Path, made: NewKey
) -> None:
    config.write_text("lang: en\nreflections_to: old\nbell: true", encoding="utf-8")
    public = made.public
    set_setting("reflections_to", public)
    assert config.read_text() == f"lang: en\nreflections_to: {public}\nbell: true"
    config.write_text("bell: true", encoding="utf-8")
    set_setting("reflections_to", public)
    assert config.read_text() == f"bell: true\nreflections_to: {public}\n"
    config.write_text("bell: [\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        set_setting("reflections_to", public)
    assert config.read_text() == "bell: [\n"
    assert sorted(p.name for p in config.parent.iterdir()) == ["config.yaml"]


# key seal-old


def plain_line(n: int, text: str = "rest") -> bytes:
    fields = record(id=uuid(n), reflections=[Reflection("What do you need?", f"{text} {n}")])
    return SessionRecord(**fields).to_line().encode()


def test_seal_line_changes_the_reflections_and_keeps_every_other_byte(
    made: NewKey, identity: Key
) -> None:
    line = (
        b' {"v": 1, "id": "00000000-0000-4000-8000-000000000007", "practice": "p", '
        b'"title": "T \\u00e4", "lang": "en", "started_at": "2026-11-23T07:30:00+01:00", '
        b'"ended_at": "2026-11-23T07:35:00+01:00", "planned_seconds": 3e2, '
        b'"elapsed_seconds": 300.0, "completed": true, "steps_done": 4, "steps_total": 4, '
        b'"speed": 1, "ratings": {"calm": 7}, '
        b'"reflections" : [ {"prompt": "Q", "text": "mine"} ] , "extra": {"kept": [1, 2]}}\r\n'
    )
    sealed = sealing.seal_line(line, made.public)
    assert sealed is not None
    before, after = line.split(b'[ {"prompt": "Q", "text": "mine"} ]')
    assert sealed.startswith(before + b'[],"reflections_sealed":"-----BEGIN AGE')
    assert sealed.endswith(b'-----END AGE ENCRYPTED FILE-----\\n"' + after)
    opened = Opening(identity).opened(json.loads(sealed))
    assert opened["reflections"] == [{"prompt": "Q", "text": "mine"}]
    assert sealing.seal_line(sealed, made.public) is None  # sealed already
    assert sealing.seal_line(plain_line(1).replace(b"rest 1", b""), made.public) is not None
    assert sealing.seal_line(SessionRecord(**record()).to_line().encode(), made.public) is None
    assert sealing.seal_line(b"{torn", made.public) is None


def test_seal_old_seals_the_log_and_keeps_every_other_line(
    key: NewKey, identity: Key, kindful_home: Path
) -> None:
    kindful_home.mkdir()
    untouched = [
        SessionRecord(**record(id=uuid(2))).to_line().encode(),
        b"not a session\n",
        sealing.seal_line(plain_line(3), key.public),
    ]
    log = kindful_home / "sessions.jsonl"
    log.write_bytes(plain_line(1) + b"".join(untouched) + plain_line(4) + b'{"torn')
    conflict = kindful_home / "sessions.sync-conflict-1.jsonl"
    conflict.write_bytes(plain_line(5))
    log.chmod(0o640)
    result = runner.invoke(app, ["key", "seal-old"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Sealed the reflections of 3 sessions.\n"
    lines = log.read_bytes().splitlines(keepends=True)
    assert lines[1:4] == untouched and lines[5] == b'{"torn'
    assert b"rest" not in log.read_bytes() + conflict.read_bytes()
    opening = Opening(identity)
    texts = [
        opening.opened(json.loads(line))["reflections"][0]["text"]
        for line in (lines[0], lines[4], conflict.read_bytes())
    ]
    assert texts == ["rest 1", "rest 4", "rest 5"]
    assert stat.S_IMODE(log.stat().st_mode) == 0o640  # the file's own mode, kept
    result = runner.invoke(app, ["key", "seal-old"])
    assert result.stdout == "No plain reflections in the log: nothing to seal.\n"


def test_seal_old_without_a_key_says_how_to_make_one(config: Path) -> None:
    result = runner.invoke(app, ["key", "seal-old"])
    assert result.exit_code == 1
    assert result.stderr == "kindful: there is no key to seal to yet: kindful key new makes one\n"


def test_a_crash_before_the_rename_leaves_the_log_whole_and_no_temp_file(
    made: NewKey, kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kindful import atomic
    from kindful.errors import KindfulError

    kindful_home.mkdir()
    log = kindful_home / "sessions.jsonl"
    before = b"".join(plain_line(n) for n in range(1, 5))
    log.write_bytes(before)

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(KindfulError, match="cannot rewrite the log: no space left on device"):
        sealing.seal_old(kindful_home, made.public)
    assert log.read_bytes() == before
    assert [p.name for p in kindful_home.iterdir()] == ["sessions.jsonl"]


APPENDER = """
import sys
from pathlib import Path
from kindful.journal.record import Reflection, SessionRecord
from kindful.journal.writer import append
sys.path.insert(0, sys.argv[3])
from records import record
name, count = sys.argv[1], int(sys.argv[2])
for n in range(count):
    fields = record(id=f"{name}-{n}", reflections=[Reflection("Q", f"{name} {n}")])
    append(SessionRecord(**fields), Path(sys.argv[4]))
"""


def test_sessions_appended_during_seal_old_are_all_kept(
    made: NewKey, identity: Key, kindful_home: Path
) -> None:
    import subprocess
    import sys

    kindful_home.mkdir()
    log = kindful_home / "sessions.jsonl"
    log.write_bytes(b"".join(plain_line(n) for n in range(1, 200)))
    tests = str(Path(__file__).parent)
    writers = [
        subprocess.Popen([sys.executable, "-c", APPENDER, name, "60", tests, str(log)])
        for name in ("a", "b")
    ]
    while any(w.poll() is None for w in writers):
        sealing.seal_old(kindful_home, made.public)
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    sealing.seal_old(kindful_home, made.public)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == 199 + 120
    assert {f"{name}-{n}" for name in "ab" for n in range(60)} <= set(ids)
    assert all(r["reflections"] == [] and "reflections_sealed" in r for r in records)
    opening = Opening(identity)
    texts = {opening.opened(r)["reflections"][0]["text"] for r in records}
    assert {f"a {n}" for n in range(60)} <= texts and "rest 199" in texts
    assert [p.name for p in kindful_home.iterdir()] == ["sessions.jsonl"]
