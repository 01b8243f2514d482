"""Files, log lines, settings and typed answers from anyone: each is refused clearly or shown
harmlessly, and nothing is lost. The files are in ``tests/hostile/``."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fakes import FakeClock
from kindful.cli import app
from kindful.cli import run as run_command
from kindful.errors import LogError, PracticeError
from kindful.journal import writer
from kindful.journal.reader import MAX_LINE, SessionLog, parse_record
from kindful.journal.record import Reflection, SessionRecord
from kindful.practice.checking.load import load_practice, parse_practice
from kindful.practice.plan.planner import make_plan
from kindful.session.engine import BellRung, BreathPhase, Session
from records import record, uuid

HOSTILE = Path(__file__).with_name("hostile")
runner = CliRunner()
RAW = ("\x1b", "\x07", "\x9b", "\u202e")  # what must never reach a terminal from data


def shows_nothing_raw(text: str) -> bool:
    return not any(char in text for char in RAW)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(run_command, "EDGES", run_command.Edges(clock=clock, sleep=clock.tick))
    return clock


@pytest.fixture
def home(kindful_home: Path) -> Path:
    kindful_home.mkdir(parents=True, exist_ok=True)
    return kindful_home


def hostile_log(home: Path) -> Path:
    path = home / "sessions.jsonl"
    path.write_bytes((HOSTILE / "log-lines.jsonl").read_bytes())
    return path


# ----------------------------------------------------------------------------- practice files


@pytest.mark.parametrize(
    ("name", "where", "char"),
    [
        ("clipboard.yaml", "3:8", "U+001B"),
        ("window-title.yaml", "5:10", "U+001B"),
        ("c1-control.yaml", "5:10", "U+009B"),
        ("bidi.yaml", "5:10", "U+202E"),
    ],
)
def test_control_characters_in_a_practice_are_errors_at_their_place(
    name: str, where: str, char: str
) -> None:
    result = runner.invoke(app, ["validate", str(HOSTILE / name)])
    assert result.exit_code == 1
    assert f"{HOSTILE / name}:{where}: the text holds the control character {char}" in result.stdout
    assert shows_nothing_raw(result.stdout + result.stderr)


def test_a_newline_is_the_one_control_a_text_may_hold() -> None:
    practice = parse_practice('kindful: 1\ntitle: T\nsteps:\n  - say: "one\\ntwo"\n', "p.yaml", "p")
    assert practice.title == "T"
    with pytest.raises(PracticeError, match=r"U\+0009"):
        parse_practice('kindful: 1\ntitle: "a\\tb"\nsteps:\n  - say: x\n', "p.yaml", "p")


def test_control_characters_in_keys_are_errors_too() -> None:
    with pytest.raises(PracticeError) as caught:
        parse_practice('kindful: 1\ntitle: T\n"\\e[2J": 1\nsteps:\n  - say: x\n', "p.yaml", "p")
    assert any("U+001B" in p.message and p.line == 3 for p in caught.value.problems)


def test_show_and_list_never_pass_a_control_character(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    folder.mkdir()
    for name in ("clipboard.yaml", "bidi.yaml"):
        (folder / name).write_bytes((HOSTILE / name).read_bytes())
    env = {"KINDFUL_PATH": str(folder)}
    listed = runner.invoke(app, ["list"], env=env)
    assert listed.exit_code == 0
    assert "not listed" in listed.stderr
    assert shows_nothing_raw(listed.stdout + listed.stderr)
    shown = runner.invoke(app, ["show", str(folder / "clipboard.yaml")])
    assert shown.exit_code == 1
    assert shows_nothing_raw(shown.stdout + shown.stderr)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fast-bells.yaml", "6:17: `bell_every` should be at least 5 s"),
        ("fast-breath.yaml", "6:9: `in` should be at least 1 s"),
    ],
)
def test_events_faster_than_can_be_shown_are_refused(name: str, message: str) -> None:
    with pytest.raises(PracticeError) as caught:
        load_practice(HOSTILE / name)
    assert message in str(caught.value)


def test_a_text_that_placeholders_would_blow_up_is_refused() -> None:
    text = (
        "kindful: 1\n"
        f'title: "{"{w}" * 4000}"\n'
        "inputs:\n  - name: w\n    ask: Word?\n"
        "steps:\n  - say: Hello\n"
    )
    with pytest.raises(PracticeError, match=r"800,000 characters with its inputs filled in"):
        parse_practice(text, "p.yaml", "p")
    just = text.replace("{w}" * 4000, "{w}" * 50)  # 50 answers of 200: exactly 10,000
    assert parse_practice(just, "p.yaml", "p").title == "{w}" * 50


def test_a_default_answer_is_at_most_200_characters() -> None:
    text = (
        "kindful: 1\ntitle: T\ninputs:\n  - name: w\n    ask: Word?\n"
        f"    default: {'x' * 201}\nsteps:\n  - say: Hi {{w}}\n"
    )
    with pytest.raises(PracticeError, match="at most 200 characters"):
        parse_practice(text, "p.yaml", "p")


def test_a_mapping_of_many_keys_is_read_without_a_linear_search_per_key() -> None:
    from kindful.safe_yaml import parse

    # As many keys as the 100,000-value limit lets one mapping hold: 4 values a key.
    keys = "".join(f"k{n}: {n}\n" for n in range(24_000))

    def too_slow(*_: object) -> None:
        raise TimeoutError("24,000 keys took over 5 s: duplicates searched linearly")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(5)  # a bound, not a measurement: a linear search takes about 20 s here
    try:
        document = parse(keys + "k7: again\n")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    [duplicate] = document.duplicates
    assert (duplicate.line, duplicate.key) == (24_001, "k7")
    assert "first at line 8" in duplicate.message
    assert document.root is not None and document.root.get("k23999") is not None


# ----------------------------------------------------------------------------- the engine


def test_events_that_fall_due_while_the_engine_is_late_are_coalesced() -> None:
    practice = parse_practice(
        "kindful: 1\ntitle: T\nsteps:\n  - silence: 3600\n    bell_every: 5\n"
        "  - breathe: ''\n    in: 1\n    out: 1\n    seconds: 3600\n",
        "p.yaml",
        "p",
    )
    clock = FakeClock()
    session = Session(make_plan(practice, "en"), clock)
    session.start()
    clock.tick(3000)  # a laptop asleep for 50 minutes: 599 bells fell due
    events = session.update()
    assert [e for e in events if isinstance(e, BellRung)] == [BellRung(1)]
    clock.tick(600 + 3000)  # past the silence and most of the breathing
    events = session.update()
    assert len([e for e in events if isinstance(e, BreathPhase)]) == 1
    assert len(events) <= 3


# ----------------------------------------------------------------------------- non-regular files


def run_kindful(args: list[str], env: dict[str, str], timeout: float = 20) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "kindful", *args],
        capture_output=True,
        text=True,
        timeout=timeout,  # a FIFO used to make kindful wait here for ever
        env={**os.environ, **env},
    )


def test_a_fifo_among_the_practices_is_skipped_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    folder.mkdir()
    os.mkfifo(folder / "waiting.yaml")
    done = run_kindful(["list"], {"KINDFUL_PATH": str(folder)})
    assert done.returncode == 0, done.stderr
    assert "waiting.yaml:1:1: this is not a regular file" in done.stderr
    done = run_kindful(["validate", str(folder / "waiting.yaml")], {})
    assert done.returncode == 1
    assert "not a regular file" in done.stdout


def test_a_fifo_as_the_settings_file_is_one_clear_error(tmp_path: Path) -> None:
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    done = run_kindful(["stats"], {"KINDFUL_CONFIG": str(fifo)})
    assert done.returncode == 1
    assert done.stderr == f"{fifo}: the settings file is not a regular file\n"


def test_a_fifo_beside_the_log_is_left_out(home: Path) -> None:
    (home / "sessions.jsonl").write_text(json.dumps(record()) + "\n")
    os.mkfifo(home / "sessions.sync-conflict-1.jsonl")
    done = run_kindful(["stats", "--json"], {"KINDFUL_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sessions"] == 1


def test_a_thousand_conflict_copies_need_no_thousand_file_descriptors(home: Path) -> None:
    for n in range(300):
        line = json.dumps(record(id=uuid(n), started_at=f"2026-01-01T07:{n % 60:02d}:00+01:00"))
        (home / f"sessions.sync-conflict-{n:04d}.jsonl").write_text(line + "\n")
    probe = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))\n"
        "from kindful.cli import app\n"
        "sys.argv = ['kindful', *sys.argv[1:]]\n"
        "app()\n"
    )
    for args in (["stats", "--json"], ["history", "--json", "--limit", "1000"]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "KINDFUL_HOME": str(home)},
        )
        assert done.returncode == 0, done.stderr
        value = json.loads(done.stdout)
        assert (value["sessions"] if isinstance(value, dict) else len(value)) == 300


# ----------------------------------------------------------------------------- the log's modes


def test_a_symlinked_log_leaves_the_modes_of_its_target_and_its_folder(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    target = shared / "sessions.jsonl"
    target.write_text("")
    target.chmod(0o644)
    home = tmp_path / "home"
    home.mkdir()
    (home / "sessions.jsonl").symlink_to(target)
    writer.append(SessionRecord(**record()), home / "sessions.jsonl")  # type: ignore[arg-type]
    assert len(target.read_text().splitlines()) == 1
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_log_linked_to_something_not_a_file_is_refused_and_nothing_is_chmodded(
    tmp_path: Path,
) -> None:
    devices = tmp_path / "dev"
    devices.mkdir()
    devices.chmod(0o755)
    os.mkfifo(devices / "pipe")
    (devices / "pipe").chmod(0o666)
    home = tmp_path / "home"
    home.mkdir()
    (home / "sessions.jsonl").symlink_to(devices / "pipe")
    with pytest.raises(LogError, match="not a regular file"):
        writer.append(SessionRecord(**record()), home / "sessions.jsonl")  # type: ignore[arg-type]
    assert stat.S_IMODE(devices.stat().st_mode) == 0o755
    assert stat.S_IMODE((devices / "pipe").stat().st_mode) == 0o666
    with pytest.raises(LogError, match="not a regular file"):
        writer.append(SessionRecord(**record()), Path(os.devnull))  # type: ignore[arg-type]
    assert stat.S_IMODE(os.stat(os.devnull).st_mode) == 0o666


# ----------------------------------------------------------------------------- log lines


def test_markup_and_escapes_in_the_log_are_shown_as_text(home: Path) -> None:
    hostile_log(home)
    history = runner.invoke(app, ["history", "--reflections"])
    assert history.exit_code == 0, history.output
    out = history.stdout
    assert shows_nothing_raw(out)
    assert "[/]" in out
    assert "my [partner] [/]" in out
    assert "[bold]Why?" in out
    assert "[link=https://example.invalid]click[/link]" in out
    assert "calm\\x1b]52;c;Y3VybA==\\x07\\x1b[2J\\x9b2J\\u202eevil" in out
    assert "\\x1b]0;title\\x07\\x1b[31mred \\ud800" in out
    table = runner.invoke(app, ["history"])
    assert table.exit_code == 0, table.output
    assert shows_nothing_raw(table.stdout)
    assert "[/] 3" in table.stdout  # the rating key, too
    stats = runner.invoke(app, ["stats"])
    assert stats.exit_code == 0, stats.output
    assert shows_nothing_raw(stats.stdout)
    assert "[link=https://example.invalid]click[/li" in stats.stdout  # cut to the width


def test_numbers_that_do_not_fit_a_float_are_skipped_lines(home: Path) -> None:
    hostile_log(home)
    for args in (["stats", "--json"], ["history", "--json"], ["stats"], ["history"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "4 lines of the log" in result.stderr, result.stderr
    assert parse_record(json.dumps(record(planned_seconds=10**400)).encode()) is None
    assert parse_record(json.dumps(record(ratings={"x": -(10**400)})).encode()) is None
    assert parse_record(json.dumps(record(speed=1e308)).encode()) is not None


def test_stats_json_never_prints_nan_or_infinity(home: Path) -> None:
    lines = [json.dumps(record(id=uuid(n), elapsed_seconds=1.7e308)) for n in range(3)]
    (home / "sessions.jsonl").write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    figures = json.loads(result.stdout)
    assert figures["sessions"] == 3
    assert figures["total_minutes"] is None


def test_json_output_escapes_the_controls_json_leaves_raw(home: Path) -> None:
    hostile_log(home)
    for args in (["history", "--json"], ["export", "--format", "json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert shows_nothing_raw(result.stdout)
        assert "\\u009b2J\\u202eevil" in result.stdout
        titles = {r["title"] for r in json.loads(result.stdout)}
        assert "calm\x1b]52;c;Y3VybA==\x07\x1b[2J\x9b2J\u202eevil" in titles  # the same data


def test_csv_guards_formulas_and_shows_controls(home: Path) -> None:
    hostile_log(home)
    result = runner.invoke(app, ["export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert shows_nothing_raw(out)
    assert '\'=HYPERLINK(""https://example.invalid"",""x"")' in out
    assert "+ — @SUM(1+1)" in out  # only a cell's start can make a formula
    assert "calm\\x1b]52;c;" in out
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["rating:[/]"] == "3"
    assert all(not row["title"].startswith(("=", "+", "-", "@")) for row in rows)


# ----------------------------------------------------------------------------- typed answers


CHECK_IN = """\
kindful: 1
title: Check-in
inputs:
  - name: friend
    ask: Who is a good friend to you?
steps:
  - say: "Imagine {friend} beside you."
  - reflect: What do you need?
"""


@pytest.fixture
def check_in(tmp_path: Path) -> Path:
    path = tmp_path / "check-in.yaml"
    path.write_text(CHECK_IN)
    return path


def logged(home: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (home / "sessions.jsonl").read_text().splitlines()]


def test_an_answer_with_escapes_is_shown_visibly_and_kept_in_the_log(
    check_in: Path, kindful_home: Path
) -> None:
    typed = "\x1b]52;c;eA==\x07Ana [b]\n\x1b[2Jneeds\n"
    result = runner.invoke(app, ["run", str(check_in)], input=typed)
    assert result.exit_code == 0, result.output
    assert shows_nothing_raw(result.stdout)
    assert "Imagine \\x1b]52;c;eA==\\x07Ana [b] beside you." in result.stdout
    [logged_record] = logged(kindful_home)
    assert logged_record["reflections"][0]["text"] == "\x1b[2Jneeds"
    history = runner.invoke(app, ["history", "--reflections"])
    assert shows_nothing_raw(history.stdout)
    assert "\\x1b[2Jneeds" in history.stdout


def test_an_input_option_is_at_most_200_characters(check_in: Path) -> None:
    result = runner.invoke(app, ["run", str(check_in), "--input", "friend=" + "x" * 201])
    assert result.exit_code == 2
    assert "at most 200" in result.stderr
    typed = "y" * 5000 + "\n\n"
    result = runner.invoke(app, ["run", str(check_in), "--no-log"], input=typed)
    assert result.exit_code == 0, result.output
    assert f"Imagine {'y' * 200} beside you." in result.stdout


def test_an_input_that_is_not_utf8_is_replaced_not_a_crash(
    check_in: Path, kindful_home: Path
) -> None:
    # A Latin-1 terminal: the argument arrives with its byte escaped as a lone surrogate.
    result = runner.invoke(app, ["run", str(check_in), "--input", "friend=J\udcfcrgen"], input="")
    assert result.exit_code == 0, result.output
    assert "Imagine J\ufffdrgen beside you." in result.stdout
    assert len(logged(kindful_home)) == 1


def test_a_typed_answer_that_is_not_utf8_is_logged_with_replacements(
    check_in: Path, kindful_home: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kindful", "run", str(check_in), "--plain"],
        input=b"J\xfcrgen\nRuhe f\xfcr mich\n",
        capture_output=True,
        timeout=60,
        env={**os.environ, "KINDFUL_HOME": str(kindful_home)},
    )
    assert done.returncode == 0, done.stderr
    [logged_record] = logged(kindful_home)
    assert logged_record["reflections"][0]["text"] == "Ruhe f\ufffdr mich"


def test_a_reflection_too_long_for_a_log_line_is_cut_and_read_back(
    check_in: Path, kindful_home: Path
) -> None:
    typed = "\n" + "ä" * 1_100_000 + "\n"  # 2.2 MB of UTF-8
    result = runner.invoke(app, ["run", str(check_in)], input=typed)
    assert result.exit_code == 0, result.output
    assert "too long for the log: it was cut to fit" in result.stdout
    line = (kindful_home / "sessions.jsonl").read_bytes()
    assert len(line) <= MAX_LINE + 1
    with SessionLog(kindful_home) as log:
        [back] = list(log.sessions())
    assert log.skipped.count == 0
    assert back["reflections"][0]["text"].endswith("ä…")


def test_fit_leaves_a_record_that_fits_as_it_is() -> None:
    session = SessionRecord(**{**record(), "reflections": [Reflection("Q", "short")]})  # type: ignore[arg-type]
    assert writer.fit(session) == (session, False)


# ----------------------------------------------------------------------------- nothing lost


class Broken(RuntimeError):
    pass


@pytest.fixture
def broken_renderer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from kindful.session import plain

    real = plain.PlainRunner.step_started
    calls = {"n": 0}

    def step_started(self: Any, event: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise Broken("the renderer fell over")
        real(self, event)

    monkeypatch.setattr(plain.PlainRunner, "step_started", step_started)
    yield


def test_a_failure_after_the_first_step_still_logs_the_session(
    check_in: Path, kindful_home: Path, broken_renderer: None
) -> None:
    result = runner.invoke(app, ["run", str(check_in)], input="Ana\n")
    assert result.exit_code == 1
    [logged_record] = logged(kindful_home)
    assert logged_record["completed"] is False
    assert logged_record["steps_done"] == 1
    assert result.stderr.splitlines() == [
        "kindful: something went wrong during the session "
        "(Broken: the renderer fell over); the session was kept."
    ]
    assert "Traceback" not in result.output


def test_a_failure_when_the_log_cannot_be_written_prints_the_record(
    check_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken_renderer: None
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("KINDFUL_HOME", str(blocker / "home"))
    result = runner.invoke(app, ["run", str(check_in)], input="Ana\n")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("kindful: something went wrong during the session")
    assert lines[1].startswith("kindful: the session could not be logged")
    assert json.loads(lines[2])["steps_done"] == 1


def test_a_surprise_from_the_writer_still_prints_the_record(
    check_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def surprise(*_: object, **__: object) -> None:
        raise UnicodeEncodeError("utf-8", "x", 0, 1, "surprise")

    monkeypatch.setattr(writer, "append", surprise)
    result = runner.invoke(app, ["run", str(check_in)], input="Ana\nfine\n")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("kindful: the session could not be logged: UnicodeEncodeError")
    assert json.loads(lines[1])["completed"] is True


# ----------------------------------------------------------------------------- the stats cache


def test_a_rewrite_of_the_same_size_is_seen_by_the_cache(home: Path) -> None:
    log = home / "sessions.jsonl"
    lines = [json.dumps(record(id=uuid(n), elapsed_seconds=300)) for n in range(50)]
    log.write_text("\n".join(lines) + "\n")
    first = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert first["total_minutes"] == 250
    stamp = os.stat(log)
    middle = lines[25].replace('"elapsed_seconds": 300', '"elapsed_seconds": 900')
    assert middle != lines[25] and len(middle) == len(lines[25])
    # a sync tool writes the changed file beside the log and renames it over the log
    lines[25] = middle
    fresh = home / ".sessions.jsonl.sync"
    fresh.write_text("\n".join(lines) + "\n")
    os.utime(fresh, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    os.replace(fresh, log)
    second = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert second["total_minutes"] == 260
    # an edit in place of the last lines read is seen too
    last = lines[-1].replace('"elapsed_seconds": 300', '"elapsed_seconds": 900')
    with log.open("r+b") as file:
        file.seek(sum(len(line) + 1 for line in lines[:-1]))
        file.write(last.encode())
    os.utime(log, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    third = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert third["total_minutes"] == 270


# ----------------------------------------------------------------------------- kindful new


def test_new_writes_its_schema_past_a_planted_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    folder = tmp_path / "mine"
    folder.mkdir()
    for name in (
        "kindful-practice.schema.json.tmp",
        ".kindful-practice.schema.json.tmp",
        "kindful-practice.schema.tmp",
    ):
        (folder / name).symlink_to(victim)
    result = runner.invoke(app, ["new", str(folder / "calm")])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    schema = next(folder.glob("*.schema.json"))
    assert not schema.is_symlink()
    assert json.loads(schema.read_text())["title"]


# ----------------------------------------------------------------------------- platforms


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["list"],
        ["show", "box-breathing"],
        ["validate", str(HOSTILE / "fast-bells.yaml")],
        ["history"],
        ["stats"],
        ["export", "--format", "csv"],
        ["run", "box-breathing", "--plain", "--speed", "1000"],
    ],
)
def test_commands_work_without_the_posix_only_modules(args: list[str]) -> None:
    # As on Windows: no termios, tty or fcntl to import.
    probe = (
        "import sys\n"
        "for name in ('termios', 'tty', 'fcntl'):\n"
        "    sys.modules[name] = None\n"
        "from kindful.cli import app\n"
        "sys.argv = ['kindful', *sys.argv[1:]]\n"
        "app()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == (1 if args[0] == "validate" else 0), done.stderr


def test_without_a_posix_terminal_run_says_once_that_it_shows_plain_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kindful import platforms

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(platforms, "LIVE_SCREEN", False)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.setitem(sys.modules, "termios", None)  # type: ignore[arg-type]
    assert run_command._is_terminal("en") is False
    assert capsys.readouterr().err == (
        "kindful: the live screen needs a POSIX terminal (Linux, macOS): showing plain lines.\n"
    )


def test_a_record_printed_on_stderr_is_valid_json_with_nothing_raw(
    check_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("KINDFUL_HOME", str(blocker / "home"))
    result = runner.invoke(app, ["run", str(check_in)], input="Ana\n\x9b2J \u202e \x1b[2J\n")
    assert result.exit_code == 1
    assert shows_nothing_raw(result.stderr)
    printed = json.loads(result.stderr.splitlines()[1])
    assert printed["reflections"][0]["text"] == "\x9b2J \u202e \x1b[2J"
