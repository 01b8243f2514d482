"""``kindful share``: one page for a client, checked in a real browser."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from browser import browse, needs_chromium
from kindful.cli import app

runner = CliRunner()
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)

PRACTICE = """\
kindful: 1
id: held-moment
title: {en: A held moment, de: Ein gehaltener Moment}
author: Jürgen Größ
license: CC BY 4.0
languages: [en, de]
steps:
  - bell: 1
  - say: {en: Rest here for a while., de: Ruh dich hier eine Weile aus.}
    seconds: 8
  - silence: 20
    bell_every: 10
  - rate: {en: How calm are you?, de: Wie ruhig bist du?}
    key: calm_after
  - say: {en: Thank you for this time., de: Danke für diese Zeit.}
    seconds: 5
"""


@pytest.fixture
def held(tmp_path: Path) -> Path:
    path = tmp_path / "held.yaml"
    path.write_text(PRACTICE, encoding="utf-8")
    return path


def attribute(dom: str, name: str) -> str:
    found = re.search(rf'<audio [^>]*{name}="([^"]*)"', dom)
    assert found, f"no {name} on the player"
    return found.group(1)


@needs_espeak
@needs_chromium
def test_the_page_plays_its_audio_and_marks_the_line_heard(held: Path, tmp_path: Path) -> None:
    page = tmp_path / "out" / "held.html"
    page.parent.mkdir()
    result = runner.invoke(app, ["share", str(held), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in page.parent.iterdir()) == ["held.html"]  # nothing beside it
    html = page.read_text(encoding="utf-8")
    cues = re.findall(r'<li data-cue="(\d+)" data-start="([\d.]+)" data-end="([\d.]+)"', html)
    say = next(c for c in cues if "Rest here" in html.split(f'data-cue="{c[0]}"')[1][:200])
    middle = (float(say[1]) + float(say[2])) / 2

    # The seek happens once the audio is decoded, which on a loaded machine can outlast the
    # browser's time budget: a page that has not got there yet is asked again.
    for _ in range(3):
        dom = browse(page, tmp_path / "profile", "--dump-dom", at=middle)
        if attribute(dom, "data-now"):
            break
    planned = float(attribute(dom, "data-seconds"))
    assert float(attribute(dom, "data-duration")) == pytest.approx(planned, abs=0.1)
    assert int(attribute(dom, "data-cues")) == len(cues)  # the track's cues, from the WebVTT
    assert attribute(dom, "data-now") == say[0]
    marked = re.findall(r'<li data-cue="(\d+)"[^>]*class="now"', dom)
    assert marked == [say[0]]

    shot = tmp_path / "phone.png"
    browse(page, tmp_path / "profile", "--window-size=360,1600", f"--screenshot={shot}", at=middle)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (360, 1600)


@needs_espeak
def test_the_page_needs_nothing_else_and_names_no_id_path_or_key(
    held: Path, tmp_path: Path
) -> None:
    page = tmp_path / "held.html"
    result = runner.invoke(app, ["share", str(held), "-o", str(page), "--lang", "de"])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    assert "Jürgen Größ" in html and "CC BY 4.0" in html
    assert "Ein gehaltener Moment" in html and "Danke für diese Zeit." in html
    assert "Du kannst jederzeit innehalten oder aufhören." in html  # the spoken opening
    assert 'src="data:audio/mpeg;base64,' in html
    assert 'src="data:text/vtt;base64,' in html
    assert not re.search(r'(src|href)="(?!data:)', html)  # nothing fetched from anywhere
    for private in ("held-moment", "calm_after", str(tmp_path), "held.yaml"):
        assert private not in html, private


@needs_espeak
def test_audio_beside_writes_the_mp3_next_to_the_page(held: Path, tmp_path: Path) -> None:
    page = tmp_path / "held.html"
    result = runner.invoke(app, ["share", str(held), "-o", str(page), "--audio-beside"])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert '<source src="held.mp3" type="audio/mpeg">' in html
    assert (tmp_path / "held.mp3").stat().st_size > 10_000
    again = runner.invoke(app, ["share", str(held), "-o", str(page), "--audio-beside"])
    assert again.exit_code == 1  # off a terminal, nothing is written over unasked
    assert "--force" in again.output


def test_share_asks_for_a_page(held: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["share", str(held)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["share", str(held), "-o", str(tmp_path / "a.mp3")])
    assert result.exit_code == 2
    assert ".html" in result.output
