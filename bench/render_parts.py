"""Render, taken apart: the CPU time of each pass of one render, in one process.

Where ``render_bench.py`` measures whole renders, this lays a practice out once and then
times each pass on its own, the least of ``--runs`` tries (a shared machine only ever adds):
the first pass (mixing and measuring the loudness), the second (mixing again, gain, limiter)
at the mix's rate and resampled for Opus, and each encoder alone, fed the mastered blocks
held in memory. What a whole render costs beyond these is starting Python and loading
kindful, numpy and the sound libraries.

    python bench/render_parts.py                    # loving-kindness at 10 minutes
    python bench/render_parts.py --minutes 60 --runs 2
"""

from __future__ import annotations

import argparse
import resource
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def least(work: Callable[[], object], runs: int) -> float:
    """Give the least CPU seconds ``work`` took in ``runs`` tries."""
    times = []
    for _ in range(runs):
        start = cpu()
        work()
        times.append(cpu() - start)
    return min(times)


def encoding(out: Path, blocks: list[Any], rate: int) -> Callable[[], None]:
    """Give the work of encoding ``blocks`` into ``out`` as kindful does, tags left out."""
    from kindful.sound import master

    def encode() -> None:
        master._write_soundfile(out, iter(blocks), out.suffix, rate, None, None)

    return encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practice", default="loving-kindness")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    import numpy as np

    from kindful.cli.render import planned
    from kindful.session.offline import lay_out
    from kindful.session.sounding import Hearing
    from kindful.settings import load_settings
    from kindful.sound import master
    from kindful.sound.speech import author_clips, speaking
    from kindful.sound.voice_choice import find_voice

    _, plan, found = planned(options.practice, None, None, options.minutes)
    settings = load_settings()
    clips, _ = author_clips(found.practice, plan, found.path)
    voice = speaking(find_voice(plan.lang, dict(settings.voices), settings.speech_rate), clips)
    hearing = Hearing(bells=True, voice=voice, breath_cues=settings.breath_cues)
    rendering = lay_out(plan, hearing, ui="en", tell=lambda line: None)  # fills the caches

    def laid() -> object:
        return lay_out(plan, hearing, ui="en", tell=lambda line: None)

    mixdown = rendering.mixdown
    length = round(rendering.seconds * master.RATE)
    mastered = master.Mastered(mixdown, length, master.gain_for(mixdown, length, None))
    ours = list(mastered.blocks())
    opus = list(mastered.blocks(master.OPUS_RATE))
    sounding = float(np.mean(np.concatenate(ours) != 0))
    print(f"{options.practice} at {options.minutes:g} min: {rendering.seconds:.0f} s of audio,")
    print(f"{sounding:.0%} of its samples not silent; CPU seconds, least of {options.runs}:")
    runs = options.runs
    rows = [
        ("laying out again (speech already read)", least(laid, runs)),
        (
            "first pass: mix and measure",
            least(lambda: master.gain_for(mixdown, length, None), runs),
        ),
        ("second pass: mix, gain, limiter", least(lambda: list(mastered.blocks()), runs)),
        (
            "second pass, resampled for .opus",
            least(lambda: list(mastered.blocks(master.OPUS_RATE)), runs),
        ),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".flac", ".ogg", ".opus", ".mp3"):
            blocks = opus if suffix == ".opus" else ours
            rate = master.OPUS_RATE if suffix == ".opus" else master.RATE
            out = Path(folder) / f"a{suffix}"
            rows.append(
                (f"{suffix} encoder alone", least(encoding(out, blocks, rate), options.runs))
            )
            if suffix in (".opus", ".mp3"):
                quiet = [np.zeros_like(block) for block in blocks]
                name = f"{suffix} encoder, as long but all silence"
                rows.append((name, least(encoding(out, quiet, rate), options.runs)))
    for name, seconds in rows:
        print(f"  {name:<42} {seconds:6.2f} s  {rendering.seconds / seconds:7.0f}x")


if __name__ == "__main__":
    main()
