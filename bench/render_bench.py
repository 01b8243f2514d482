"""Render: CPU time against the audio's length, and peak memory, per format and length.

Each render runs as its own process (``kindful render``), measured with ``os.wait4``: the CPU
time (user and system, espeak-ng's included) and the peak resident memory of that process.
One render of each length is made first and not counted, so that the speech cache holds the
texts and every counted run measures laying out, mixing, measuring and encoding.

    python bench/render_bench.py                       # 10 and 60 minutes, every format
    python bench/render_bench.py --minutes 10 240 --formats wav opus
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

FORMATS = ("wav", "flac", "ogg", "opus", "mp3")


def run(practice: str, out: Path, minutes: float) -> tuple[float, float]:
    """Give the CPU seconds and the peak memory (MB) of one render."""
    command = [sys.executable, "-m", "kindful", "render", practice, "-o", str(out)]
    command += ["--minutes", str(minutes), "--force"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        sys.exit(f"render failed: {err.decode()}")
    peak_kb = usage.ru_maxrss  # kilobytes on Linux
    return usage.ru_utime + usage.ru_stime, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practice", default="loving-kindness")
    parser.add_argument("--minutes", type=float, nargs="+", default=[10, 60])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    options = parser.parse_args()
    import soundfile

    with tempfile.TemporaryDirectory() as folder:
        print(
            f"{'format':<6} {'minutes':>7} {'audio s':>8} {'CPU s':>7} {'x real':>7} {'peak MB':>8}"
        )
        for minutes in options.minutes:
            run(options.practice, Path(folder) / "warm.wav", minutes)  # fills the speech cache
            for suffix in options.formats:
                out = Path(folder) / f"a.{suffix}"
                cpu, peak = run(options.practice, out, minutes)
                audio = soundfile.info(str(out)).duration
                print(
                    f"{suffix:<6} {minutes:>7g} {audio:>8.0f} {cpu:>7.2f} {audio / cpu:>7.0f}"
                    f" {peak:>8.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
