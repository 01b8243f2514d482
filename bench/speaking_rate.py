"""Calibrate the speaking-time estimate: how many words a minute espeak-ng really speaks.

Every text of eight words or more in the built-in practices is spoken by espeak-ng at each
rate asked (``-s``, its nominal words a minute), written to a WAV file and measured with sox's
``soxi -D``. The figure per language and rate is the effective rate, pauses at commas and full
stops included: words spoken divided by minutes of audio. It also prints how far kindful's
estimate (``kindful.practice.plan.speaking``) lies from the measured length, text by text.

    python bench/speaking_rate.py                   # rates 100 110 120 140 175
    python bench/speaking_rate.py --rates 110 --limit 40
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kindful.practice.checking.load import load_practice  # noqa: E402
from kindful.practice.plan.planner import make_plan  # noqa: E402
from kindful.practice.plan.speaking import speaking_seconds, words  # noqa: E402


def texts(lang: str, limit: int | None) -> list[str]:
    """Give the built-in texts in ``lang`` long enough to measure, each once."""
    found: dict[str, None] = {}
    for path in sorted((ROOT / "practices").glob("*.yaml")):
        for step in make_plan(load_practice(path), lang).steps:
            if words(step.text) >= 8:
                found[step.text] = None
    return list(found)[:limit]


def spoken(text: str, lang: str, rate: int, folder: Path) -> float:
    """Give the length in seconds of ``text`` as espeak-ng speaks it at ``rate``."""
    wav = folder / "out.wav"
    subprocess.run(
        ["espeak-ng", "-v", lang, "-s", str(rate), "-w", str(wav), text],
        check=True,
        capture_output=True,
    )
    out = subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True, text=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[100, 110, 120, 140, 175])
    parser.add_argument("--limit", type=int, default=None, help="at most this many texts")
    args = parser.parse_args()
    if not (shutil.which("espeak-ng") and shutil.which("soxi")):
        sys.exit("needs espeak-ng and sox (apt-get install espeak-ng sox)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for lang in ("en", "de"):
            sample = texts(lang, args.limit)
            count = sum(words(t) for t in sample)
            print(f"{lang}: {len(sample)} texts, {count} words")
            for rate in args.rates:
                lengths = [spoken(t, lang, rate, folder) for t in sample]
                effective = count * 60 / sum(lengths)
                ratios = [
                    speaking_seconds(t, lang) / s for t, s in zip(sample, lengths, strict=True)
                ]
                print(
                    f"  -s {rate:3d}: {sum(lengths):7.1f} s of speech, {effective:5.1f} words/min;"
                    f" estimate/measured median {statistics.median(ratios):.2f},"
                    f" lowest {min(ratios):.2f}"
                )


if __name__ == "__main__":
    main()
