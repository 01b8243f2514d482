"""Where an author's recordings of a practice are kept: ``STEM.voice/LANG`` beside its file.

Apart from the texts to record (``plan.own_voice``), so that looking for the folder needs
nothing more than a path.
"""

from __future__ import annotations

from pathlib import Path


def voice_folder(practice_file: Path, lang: str) -> Path:
    """Give the folder of a practice's recordings in ``lang``: ``STEM.voice/LANG`` beside it."""
    stem = practice_file.name
    for suffix in (".yaml", ".yml"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return practice_file.parent / f"{stem}.voice" / lang
