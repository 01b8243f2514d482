"""Check the built-ins' time to feel with the installed voice, not only with the estimate.

``kindful validate`` times texts with the calibrated estimate (110 words a minute in English,
100 in German). This measures every timed text of every built-in practice with the voice
kindful would speak it with (espeak-ng at its calm rate on Linux) and prints, per language,
the `speaking-time` and `time-to-feel` warnings the measured lengths give, and the smallest
quiet left after a text. Each text is synthesised once per language.

    python bench/time_to_feel.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kindful.practice.checking.warnings import file_warnings  # noqa: E402
from kindful.practice.library import is_program_text  # noqa: E402
from kindful.sound.voice import speech_timer  # noqa: E402


def main() -> int:
    timer = speech_timer()
    if timer is None:
        print("no voice engine installed: nothing to measure")
        return 1
    lengths: dict[tuple[str, str], float] = {}

    def measured(text: str, lang: str) -> float:
        if (text, lang) not in lengths:
            seconds = timer(text, lang)
            lengths[text, lang] = seconds if seconds is not None else 0.0
        return lengths[text, lang]

    started = time.perf_counter()
    found: Counter[str] = Counter()
    paths = sorted((ROOT / "practices").glob("*.yaml"))
    practices = [p for p in paths if not is_program_text(p.read_text(encoding="utf-8"))]
    for path in practices:
        for warning in file_warnings(path, measured)[1]:
            found[warning.code] += 1
            print(f"{path.name}:{warning.line}:{warning.column}: {warning.message}")
    took = time.perf_counter() - started
    print(
        f"{len(practices)} practices, {len(lengths)} texts measured in {took:.0f} s: "
        + (", ".join(f"{n} {code}" for code, n in sorted(found.items())) or "no warnings")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
