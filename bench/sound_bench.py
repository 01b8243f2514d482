"""Sound: how fast a practice renders to a file, and what a live run with voice and bowl costs.

    python bench/sound_bench.py render          # a 10-minute practice to .wav and .mp3
    python bench/sound_bench.py live            # an 83 s session, voice and bowl, speed 1
    python bench/sound_bench.py live --no-device   # the same, playing into nothing

``render`` lays out ``loving-kindness`` at ``--minutes 10`` with espeak-ng in process (the same
code as ``kindful render``) and times each part; target: all of it under 1/40 of the audio.

``live`` runs the plain runner at speed 1 on the real clock, with the espeak-ng voice and the
bowl playing into miniaudio's NULL device (a device that pulls samples in real time and makes
no sound: this machine has no sound card). Each step's start is compared with the deadline the
engine gave for it before the runner slept, and the CPU of the process (every thread: the
runner, the synthesis ahead, the device's callback) and of its espeak-ng children is read from
the first step's start to the end. Targets: every step boundary within 30 ms, CPU within 1 % of
one core.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LIVE = """\
kindful: 1
title: Sound bench
steps:
  - bell: 1
  - say: Welcome. Let yourself arrive, just as you are, with nothing to fix.
    seconds: 8
  - breathe: ""
    in: 4
    out: 6
    cycles: 2
  - say: Notice the places where your body touches the chair, and let them be held.
    seconds: 9
  - silence: 6
  - say: May I be kind to myself. May I give myself the compassion I need.
    seconds: 9
  - breathe: ""
    in: 4
    hold: 2
    out: 6
    cycles: 1
  - say: Rest here for a moment. There is nothing you need to do.
    seconds: 7
  - quote: Be gentle with yourself.
    seconds: 4
  - say: Slowly come back, bringing some of this kindness with you.
    seconds: 8
  - bell: 2
"""


def bench_render(minutes: float) -> None:
    from kindful.practice.library import find_practice
    from kindful.practice.plan.planner import make_plan
    from kindful.session.offline import lay_out
    from kindful.session.sounding import Hearing
    from kindful.sound.master import Tags, write_programme
    from kindful.sound.voice import find_voice

    found = find_practice("loving-kindness")
    for lang in ("en", "de"):
        questions = found.practice.questions(lang)
        plan = make_plan(found.practice, lang, {q.name: q.default for q in questions}, minutes)
        voice = find_voice(lang)
        if voice is None:
            sys.exit("espeak-ng is not installed")
        voice.speak("warm up", lang)
        marks = [_both()]
        rendering = lay_out(plan, Hearing(voice=voice), ui=lang, tell=print)
        marks.append(_both())
        marks.append(_both())  # mixing now happens as each file is written, in blocks
        tags = Tags(plan.title, "kindful")
        with tempfile.TemporaryDirectory() as folder:
            write_programme(Path(folder) / "a.wav", rendering.mixdown, rendering.seconds, tags)
            marks.append(_both())
            write_programme(Path(folder) / "a.mp3", rendering.mixdown, rendering.seconds, tags)
            marks.append(_both())
        audio = rendering.seconds
        wall = [b[0] - a[0] for a, b in itertools.pairwise(marks)]
        cpu = [b[1] - a[1] for a, b in itertools.pairwise(marks)]
        print(
            f"{lang}: {audio:.1f} s of audio (plan {plan.planned_seconds:.0f} s), wall / CPU seconds:"
        )
        for name, w, c in zip(
            ("lay out and speak", "mix", "write .wav", "write .mp3"), wall, cpu, strict=True
        ):
            print(f"    {name:<18} {w:7.3f} {c:7.3f}")
        for name, parts in ((".wav", [0, 1, 2]), (".mp3", [0, 1, 3])):
            w, c = sum(wall[i] for i in parts), sum(cpu[i] for i in parts)
            print(
                f"    to {name}: wall {w:.2f} s = 1/{audio / w:.0f}, CPU {c:.2f} s = 1/{audio / c:.0f}"
            )


def _both() -> tuple[float, float]:
    return time.perf_counter(), _cpu()


def bench_live(device: bool) -> None:
    from kindful.practice.checking.load import load_practice
    from kindful.practice.plan.planner import make_plan
    from kindful.session.engine import Session, StepStarted
    from kindful.session.plain import Lines, PlainRunner
    from kindful.session.sounding import Guide, Hearing
    from kindful.sound.bowl import BELL_GAP
    from kindful.sound.output import open_device
    from kindful.sound.voice import find_voice

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sound-bench.yaml"
        path.write_text(LIVE, encoding="utf-8")
        practice = load_practice(path)
    plan = make_plan(practice, "en", {}, None)
    voice = find_voice("en")
    if voice is None:
        sys.exit("espeak-ng is not installed")
    session = Session(plan, time.monotonic, bell_gap=BELL_GAP)
    sink: Any = open_device(null=True) if device else _Unheard()
    guide = Guide(session, sink, Hearing(voice=voice), lang="en", clock=time.monotonic, tell=print)
    late: list[tuple[int, float]] = []
    cpu: dict[str, float] = {}

    class Stamped(PlainRunner):
        due: float | None = None

        def sleep_until(self, due: float) -> None:
            self.due = due
            super().sleep_until(due)

        def handle(self, events: list[object]) -> None:  # type: ignore[override]
            now = time.monotonic()
            for event in events:
                if isinstance(event, StepStarted):
                    if event.index == 0:
                        cpu["start"] = _cpu()
                        cpu["own"] = time.process_time()
                        cpu["wall"] = now
                    elif self.due is not None:
                        late.append((event.index, now - self.due))
            super().handle(events)  # type: ignore[arg-type]

    runner = Stamped(
        session,
        lang="en",
        lines=Lines(io.StringIO()),
        read_line=lambda: None,
        sleep=time.sleep,
        clock=time.monotonic,
        guide=guide,
    )
    runner.run()
    wall = time.monotonic() - cpu["wall"]
    used = _cpu() - cpu["start"]
    own = time.process_time() - cpu["own"]
    guide.close()
    outcome = session.outcome()
    worst = max(late, key=lambda pair: abs(pair[1]))
    print(
        f"{len(late)} step boundaries: max {1000 * abs(worst[1]):.2f} ms (step {worst[0] + 1}),"
        f" mean {1000 * statistics.mean(abs(x) for _, x in late):.2f} ms"
    )
    print(
        f"CPU {used:.3f} s over {wall:.1f} s = {100 * used / wall:.2f} % of one core"
        f" (planned {plan.planned_seconds:.0f} s, practised {outcome.elapsed_seconds:.1f} s)"
    )
    print(
        f"    kindful itself {100 * own / wall:.2f} %, espeak-ng {100 * (used - own) / wall:.2f} %"
    )


class _Unheard:
    """A sink that takes every sound and plays none: kindful's own cost, without a device."""

    def play(self, samples: object, tag: str) -> None:
        pass

    def stop(self, tag: str | None = None) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def close(self) -> None:
        pass


def _cpu() -> float:
    """Give the CPU seconds of this process (all threads) and of its finished children."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["render", "live"])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument(
        "--no-device",
        action="store_true",
        help="live: play into nothing, to see kindful's own part",
    )
    options = parser.parse_args()
    os.environ.setdefault("KINDFUL_HOME", tempfile.mkdtemp())
    if options.what == "render":
        bench_render(options.minutes)
    else:
        bench_live(device=not options.no_device)


if __name__ == "__main__":
    main()
