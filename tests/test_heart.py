"""Heart rhythm: the strap's packets, the figures, the sources, the sweep; no strap needed."""

from __future__ import annotations

import asyncio
import itertools
import math
import os
import statistics
import struct
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from kindful.heart.ble import EXTRA, BleSource
from kindful.heart.figures import artefacts, heart_figures, rmssd, sdnn
from kindful.heart.measurement import BadPacket, parse_measurement
from kindful.heart.monitor import HeartMonitor
from kindful.heart.resonance import RATES, SECONDS_EACH, analyse, breath
from kindful.heart.sources import FileSource, HeartUnavailable, read_rr_file

DATA = Path(__file__).parent / "data"


def _numbers(path: Path) -> list[float]:
    return [float(w) for line in path.read_text().splitlines() if (w := line.split("#")[0].strip())]


# --- the packet (0x2A37) ---------------------------------------------------------------------


def _packet(hr: int, wide: bool, contact: bool | None, energy: int | None, rr: tuple[int, ...]):
    flags = (0x01 if wide else 0) | (0x08 if energy is not None else 0) | (0x10 if rr else 0)
    if contact is not None:
        flags |= 0x04 | (0x02 if contact else 0)
    body = struct.pack("<H" if wide else "<B", hr)
    body += struct.pack("<H", energy) if energy is not None else b""
    body += b"".join(struct.pack("<H", r) for r in rr)
    return bytes([flags]) + body


@pytest.mark.parametrize(
    ("wide", "contact", "energy", "rr"),
    list(
        itertools.product(
            (False, True), (None, False, True), (None, 1234), ((), (1024,), (800, 1000, 65535))
        )
    ),
)
def test_every_flag_combination_is_read(wide, contact, energy, rr) -> None:
    hr = 300 if wide else 72
    got = parse_measurement(_packet(hr, wide, contact, energy, rr))
    assert got.heart_rate == hr
    assert got.contact is contact
    assert got.energy_kj == energy
    assert got.rr_ms == pytest.approx(tuple(r * 1000 / 1024 for r in rr))


def test_a_packet_written_out_by_hand() -> None:
    # flags 0x16: RR intervals, contact reported and present; 72 bpm; one interval of 1024/1024 s
    got = parse_measurement(b"\x16\x48\x00\x04")
    assert (got.heart_rate, got.contact, got.energy_kj, got.rr_ms) == (72, True, None, (1000.0,))
    # flags 0x19: 16-bit rate, energy, RR: 0x0100 bpm, 5 kJ, 512/1024 s and 768/1024 s
    got = parse_measurement(b"\x19\x00\x01\x05\x00\x00\x02\x00\x03")
    assert (got.heart_rate, got.energy_kj, got.rr_ms) == (256, 5, (500.0, 750.0))


@pytest.mark.parametrize(
    "data", [b"", b"\x01\x48", b"\x08\x48\x01", b"\x10\x48\x00\x04\x01", b"\x19\x00"]
)
def test_what_is_no_packet_says_so(data: bytes) -> None:
    with pytest.raises(BadPacket):
        parse_measurement(data)


# --- the figures -------------------------------------------------------------------------------


def _artefacts_by_hand(rr: list[float]) -> list[bool]:
    flagged = []
    for i, value in enumerate(rr):
        around = rr[max(0, i - 2) : i] + rr[i + 1 : i + 3]
        median = statistics.median(around)
        flagged.append(abs(value - median) > 0.2 * median)
    return flagged


def test_a_missed_beat_is_an_artefact_and_nothing_else_is() -> None:
    rr = [800.0] * 10
    rr[5] = 1600.0  # the strap missed a beat
    assert artefacts(rr).tolist() == [i == 5 for i in range(10)]
    assert artefacts([820.0, 790.0, 805.0, 900.0, 810.0]).tolist() == [False] * 5


def test_the_raw_figures_match_pyhrvs_own_report_on_its_sample() -> None:
    rr = _numbers(DATA / "pyhrv-nni-long.txt")
    assert len(rr) == 4684
    assert rmssd(rr) == pytest.approx(60.523, abs=0.001)
    assert sdnn(rr) == pytest.approx(85.357, abs=0.001)


@pytest.mark.parametrize("name", ["pyhrv-nni-short.txt", "pyhrv-nni-long.txt"])
def test_the_session_figures_match_a_computation_by_hand(name: str) -> None:
    rr = _numbers(DATA / name)
    bad = _artefacts_by_hand(rr)
    clean = [r for r, b in zip(rr, bad, strict=True) if not b]
    steps = [b - a for a, b, x, y in zip(rr, rr[1:], bad, bad[1:], strict=False) if not (x or y)]
    got = heart_figures(rr, "file")
    assert got is not None
    assert got.beats == len(rr)
    assert got.artefacts == sum(bad) > 0
    assert got.mean_hr == pytest.approx(60_000 / statistics.fmean(clean), abs=0.05)
    assert got.rmssd_ms == pytest.approx(
        math.sqrt(statistics.fmean(s * s for s in steps)), abs=0.05
    )
    assert got.sdnn_ms == pytest.approx(statistics.stdev(clean), abs=0.05)
    assert 0 < got.peak_to_trough_bpm < 60


def test_too_few_beats_give_no_figures() -> None:
    assert heart_figures([800.0, 810.0], "ble") is None
    assert heart_figures([], "ble") is None


def _swinging(rate_at: Any, seconds: float, start: float = 0.0) -> tuple[list[float], list[float]]:
    """Beats whose heart rate follows ``rate_at(t)``: their times and their intervals."""
    times, intervals, t = [], [], start
    while t < start + seconds:
        rr = 60_000.0 / rate_at(t)
        t += rr / 1000.0
        times.append(t)
        intervals.append(rr)
    return times, intervals


def test_peak_to_trough_follows_the_breath() -> None:
    # heart rate 60 +/- 6 with a 10-second breath: a swing of about 12 bpm a cycle
    _, rr = _swinging(lambda t: 60 + 6 * math.sin(2 * math.pi * t / 10), 300)
    cycles = [(i * 10.0, i * 10.0 + 10.0) for i in range(29)]
    got = heart_figures(rr, "file", cycles)
    assert got is not None
    assert 10.0 < got.peak_to_trough_bpm <= 12.0


# --- the sweep ---------------------------------------------------------------------------------


def test_the_sweep_names_the_rate_where_the_heart_swings_most() -> None:
    times: list[float] = []
    rr: list[float] = []
    segments = []
    for i, bpm in enumerate(RATES):
        start = i * SECONDS_EACH
        swing = 10 - 12 * abs(bpm - 5.5)  # largest at 5.5 breaths a minute

        def rate(t: float, bpm: float = bpm, swing: float = swing) -> float:
            return 65 + swing / 2 * math.sin(2 * math.pi * t * bpm / 60)

        t, r = _swinging(rate, SECONDS_EACH, start)
        times += t
        rr += r
        segments.append((bpm, start, start + SECONDS_EACH))
    result = analyse(times, rr, segments)
    assert result.best_bpm == 5.5
    assert [r.bpm for r in result.rates] == list(RATES)
    assert all(r.beats > 100 for r in result.rates)
    assert result.to_json()["best_bpm"] == 5.5


def test_a_sweep_without_beats_names_no_rate() -> None:
    assert analyse([], [], [(6.0, 0.0, 120.0)]).best_bpm is None


def test_each_rate_breathes_in_for_four_parts_of_ten() -> None:
    assert breath(6.0) == (4.0, 6.0)
    assert sum(breath(5.5)) == pytest.approx(60 / 5.5, abs=0.02)


# --- the file source ---------------------------------------------------------------------------


def test_a_file_replays_at_the_sessions_pace(tmp_path: Path) -> None:
    path = tmp_path / "rr.txt"
    path.write_text("# from a strap\n1000\n500\n\n1500 # a long one\n")
    source = FileSource(path)
    source.open(100.0)
    assert source.take(100.9) == []
    assert source.take(101.0) == [1000.0]
    assert source.take(101.6) == [500.0]
    assert source.ended() is None
    assert source.take(103.0) == [1500.0]
    assert source.ended() == "the RR file has ended"


def test_a_file_replays_faster_under_speed(tmp_path: Path) -> None:
    path = tmp_path / "rr.txt"
    path.write_text("1000\n1000\n1000\n")
    source = FileSource(path, speed=10)
    source.open(0.0)
    assert source.take(0.2) == [1000.0, 1000.0]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("800\nabc\n", "line 2: 'abc' is not an RR interval"),
        ("800\n-3\n", "line 2: '-3'"),
        ("nan\n", "line 1: 'nan'"),
        ("# nothing\n", "holds no intervals"),
        ("800\n\x1b[2J\n", "line 2: '\\x1b[2J'"),
    ],
)
def test_a_bad_rr_file_is_one_line(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "rr.txt"
    path.write_text(text)
    with pytest.raises(HeartUnavailable) as caught:
        read_rr_file(path)
    [line] = caught.value.lines()
    assert says in line and "\x1b" not in line


def test_a_fifo_is_not_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "rr.fifo"
    os.mkfifo(path)
    with pytest.raises(HeartUnavailable, match="not a regular file"):
        read_rr_file(path)


# --- the monitor -------------------------------------------------------------------------------


class _Absent:
    kind = "ble"

    def open(self, now: float) -> None:
        raise HeartUnavailable("no heart-rate strap found")

    def take(self, now: float) -> list[float]:
        raise AssertionError("an absent source is not polled")

    def ended(self) -> str | None:
        return None

    def close(self) -> None:
        pass


def test_an_absent_strap_is_said_once_and_the_practice_goes_on() -> None:
    said: list[str] = []
    monitor = HeartMonitor(_Absent(), said.append)
    monitor.start(0.0)
    assert not monitor.poll(1.0) and not monitor.poll(2.0)
    assert said == ["no heart-rate strap found"]
    assert monitor.figures() is None and monitor.heart_rate is None


def test_a_source_that_stops_is_said_once(tmp_path: Path) -> None:
    path = tmp_path / "rr.txt"
    path.write_text("1000\n" * 20)
    said: list[str] = []
    monitor = HeartMonitor(FileSource(path), said.append)
    monitor.start(0.0)
    for second in range(1, 40):
        monitor.poll(float(second))
    assert said == ["heart: the RR file has ended; the practice goes on without it"]
    assert monitor.heart_rate == pytest.approx(60.0)
    figures = monitor.figures()
    assert figures is not None and figures.beats == 20 and figures.source == "file"


def test_the_trace_rises_with_the_heart_rate(tmp_path: Path) -> None:
    path = tmp_path / "rr.txt"
    path.write_text("".join(f"{60_000 / (60 + i)}\n" for i in range(30)))
    monitor = HeartMonitor(FileSource(path), lambda _: None)
    monitor.start(0.0)
    monitor.poll(25.0)
    trace = monitor.trace(25.0, width=8)
    assert len(trace) == 8 and trace[0] == "▁" and trace[-1] in "▇█"
    assert list(trace) == sorted(trace)


def test_breath_marks_make_the_cycles(tmp_path: Path) -> None:
    _, rr = _swinging(lambda t: 60 + 5 * math.sin(2 * math.pi * t / 10), 120)
    path = tmp_path / "rr.txt"
    path.write_text("".join(f"{r}\n" for r in rr))
    monitor = HeartMonitor(FileSource(path), lambda _: None)
    monitor.start(0.0)
    for second in range(0, 121):
        if second % 10 == 0:
            monitor.breath_began(float(second))
        monitor.poll(float(second))
    figures = monitor.figures()
    assert figures is not None and 8.0 < figures.peak_to_trough_bpm <= 10.0


# --- Bluetooth, behind the interface -----------------------------------------------------------
# bleak talks to BlueZ over D-Bus; a virtual strap in bumble cannot stand behind that, so the
# notification path is driven by a fake client with the same surface (start_notify, the
# disconnect callback, an async context manager) as bleak's BleakClient.


class _Strap:
    name = "Polar H10 0A1B2C3D"
    address = "A0:9E:1A:00:00:01"


class _FakeClient:
    def __init__(self, packets: list[bytes], delivered: threading.Event, drop: bool) -> None:
        self.packets, self.delivered, self.drop = packets, delivered, drop
        self.lost: Any = None

    async def __aenter__(self) -> _FakeClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def start_notify(self, uuid: str, callback: Any) -> None:
        assert uuid == "00002a37-0000-1000-8000-00805f9b34fb"
        for packet in self.packets:
            callback(None, bytearray(packet))
        self.delivered.set()
        if self.drop:
            asyncio.get_running_loop().call_soon(self.lost, self)


def _ble(packets: list[bytes], *, found: bool = True, drop: bool = False):
    delivered = threading.Event()

    async def find(address: str | None, seconds: float) -> Any:
        return _Strap() if found else None

    def client(device: Any, lost: Any) -> _FakeClient:
        made = _FakeClient(packets, delivered, drop)
        made.lost = lost
        return made

    return BleSource(find_device=find, make_client=client), delivered


def test_notifications_become_beats_and_a_bad_packet_is_passed_over() -> None:
    source, delivered = _ble([b"\x10\x48\x00\x04", b"\x10", b"\x10\x48\x00\x02\x00\x03"])
    source.open(0.0)
    try:
        assert delivered.wait(5)
        assert source.take(1.0) == [1000.0, 500.0, 750.0]
        assert source.bad_packets == 1
        assert source.ended() is None and source.name == "Polar H10 0A1B2C3D"
    finally:
        source.close()


def test_a_strap_that_disconnects_is_said() -> None:
    source, delivered = _ble([b"\x10\x48\x00\x04"], drop=True)
    source.open(0.0)
    assert delivered.wait(5)
    source.close()
    assert source.ended() == "the strap disconnected"


def test_no_strap_found_is_one_reason() -> None:
    source, _ = _ble([], found=False)
    source.open(0.0)
    source.close()
    assert source.ended() == "no heart-rate strap found"


def test_without_the_extra_it_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bleak", None)
    with pytest.raises(HeartUnavailable) as caught:
        BleSource().open(0.0)
    assert caught.value.lines() == [f"kindful: {EXTRA}"]


# --- a run with a heart source -----------------------------------------------------------------

BREATHING = """\
kindful: 1
title: Slow breathing
steps:
  - breathe: Breathe slowly.
    in: 4
    out: 6
    seconds: 150
"""


def test_a_plain_run_says_the_heart_rate_each_minute_and_logs_the_figures(
    tmp_path: Path, kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from fakes import FakeClock
    from kindful.cli import app
    from kindful.cli import run as run_command

    clock = FakeClock()
    monkeypatch.setattr(run_command, "EDGES", run_command.Edges(clock=clock, sleep=clock.tick))
    practice = tmp_path / "slow.yaml"
    practice.write_text(BREATHING)
    result = CliRunner().invoke(
        app, ["run", str(practice), "--heart", str(DATA / "pyhrv-nni-short.txt")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Heart rate: ") == 3  # at 0, 1 and 2 minutes
    [line] = (kindful_home / "sessions.jsonl").read_text().splitlines()
    heart = json.loads(line)["heart"]
    assert heart["source"] == "file" and 150 < heart["beats"] < 220
    assert set(heart) == {
        "source",
        "beats",
        "artefacts",
        "mean_hr",
        "rmssd_ms",
        "sdnn_ms",
        "peak_to_trough_bpm",
    }


def test_a_missing_heart_file_is_said_and_the_practice_goes_on(
    tmp_path: Path, kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from fakes import FakeClock
    from kindful.cli import app
    from kindful.cli import run as run_command

    clock = FakeClock()
    monkeypatch.setattr(run_command, "EDGES", run_command.Edges(clock=clock, sleep=clock.tick))
    practice = tmp_path / "slow.yaml"
    practice.write_text(BREATHING)
    result = CliRunner().invoke(app, ["run", str(practice), "--heart", str(tmp_path / "none.txt")])
    assert result.exit_code == 0, result.output
    assert "cannot read RR intervals" in result.output
    assert '"heart"' not in (kindful_home / "sessions.jsonl").read_text()


# --- stats, by week ----------------------------------------------------------------------------


def _heart(mean_hr: float, rmssd: float, swing: float) -> dict[str, Any]:
    return {
        "source": "ble",
        "beats": 400,
        "artefacts": 2,
        "mean_hr": mean_hr,
        "rmssd_ms": rmssd,
        "sdnn_ms": 50.0,
        "peak_to_trough_bpm": swing,
    }


def test_stats_shows_the_heart_figures_by_week(kindful_home: Path) -> None:
    import json
    from datetime import date, timedelta

    from typer.testing import CliRunner

    from kindful.cli import app
    from records import record, uuid

    today = date.today()
    monday = today - timedelta(days=today.weekday())
    at = f"{monday.isoformat()}T07:30:00+01:00"
    lines = [
        record(id=uuid(1), started_at=at, heart=_heart(70, 40, 8)),
        record(id=uuid(2), started_at=at, heart=_heart(60, 60, 12)),
        record(id=uuid(3), started_at=at),  # no strap that day
        record(id=uuid(4), started_at=at, heart={"mean_hr": "fast"}),  # not figures: passed over
    ]
    kindful_home.mkdir(parents=True, exist_ok=True)
    (kindful_home / "sessions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    result = CliRunner().invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    weeks = json.loads(result.output)["weeks"]
    assert weeks[-1]["heart"] == {
        "sessions": 2,
        "mean_hr": 65.0,
        "rmssd_ms": 50.0,
        "sdnn_ms": 50.0,
        "peak_to_trough_bpm": 10.0,
    }
    assert all("heart" not in week for week in weeks[:-1])
    shown = CliRunner().invoke(app, ["stats"], env={"COLUMNS": "160"})
    assert shown.exit_code == 0, shown.output
    assert "heart rate" in shown.output and "RMSSD ms" in shown.output


# --- kindful resonance, and resonant-breathing at the rate it found ---------------------------


def _sweep_file(path: Path, best: float = 5.5) -> None:
    """Write RR intervals of a heart that swings most with the breath at ``best`` a minute."""
    from kindful.practice.plan.timers import RESONANCE_INTRO

    intervals: list[float] = []
    t = 0.0
    bounds = [RESONANCE_INTRO + i * SECONDS_EACH for i in range(len(RATES) + 1)]
    while t < bounds[-1] + 60:
        i = next((k for k in range(len(RATES)) if bounds[k] <= t < bounds[k + 1]), None)
        if i is None:
            rate = 65.0
        else:
            bpm = RATES[i]
            swing = 10 - 12 * abs(bpm - best)
            rate = 65 + swing / 2 * math.sin(2 * math.pi * (t - bounds[i]) * bpm / 60)
        rr = 60_000.0 / rate
        t += rr / 1000.0
        intervals.append(rr)
    path.write_text("".join(f"{r:.1f}\n" for r in intervals))


def _fake_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from fakes import FakeClock
    from kindful.cli import run as run_command

    clock = FakeClock()
    monkeypatch.setattr(run_command, "EDGES", run_command.Edges(clock=clock, sleep=clock.tick))


def test_resonance_names_the_rate_and_keeps_it_when_asked(
    tmp_path: Path, kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from kindful.cli import app
    from kindful.settings import load_settings

    _fake_time(monkeypatch)
    rr = tmp_path / "sweep.txt"
    _sweep_file(rr)
    result = CliRunner().invoke(
        app, ["resonance", "--heart", str(rr), "--json", "--keep", "--plain"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["best_bpm"] == 5.5
    assert [r["bpm"] for r in data["rates"]] == list(RATES)
    assert all(r["beats"] > 100 for r in data["rates"])
    assert load_settings().resonance_bpm == 5.5
    [record] = [json.loads(x) for x in (kindful_home / "sessions.jsonl").read_text().splitlines()]
    assert record["practice"] == "resonance" and record["heart"]["source"] == "file"


def test_resonance_without_a_source_says_how_to_give_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from kindful.cli import app

    _fake_time(monkeypatch)
    result = CliRunner().invoke(app, ["resonance"])
    assert result.exit_code == 2
    assert "--heart ble" in result.output


def test_resonance_with_a_source_that_gives_nothing_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from kindful.cli import app

    _fake_time(monkeypatch)
    result = CliRunner().invoke(app, ["resonance", "--heart", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "the sweep needs heartbeats" in result.output


def test_resonant_breathing_paces_the_rate_resonance_found() -> None:
    from kindful.practice.library import find_practice
    from kindful.practice.plan.timers import paced_at
    from kindful.practice.plan.written import Breathe

    practice = find_practice("resonant-breathing").practice
    paced = paced_at(practice, 6.0)

    def breaths(steps: Any) -> list[Breathe]:
        found = []
        for step in steps:
            if isinstance(step, Breathe):
                found.append(step)
            elif hasattr(step, "steps"):
                found += breaths(step.steps)
        return found

    before, after = breaths(practice.steps), breaths(paced.steps)
    assert before and len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        assert new.inhale + new.hold + new.out + new.rest == pytest.approx(10.0, abs=0.05)
        assert new.out / new.inhale == pytest.approx(old.out / old.inhale, rel=0.02)
