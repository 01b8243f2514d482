"""``kindful publish``: a program as a folder and a podcast feed, read back by feedparser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import soundfile
from typer.testing import CliRunner

from browser import browse, needs_chromium, page_requests, players
from kindful.cli import app

runner = CliRunner()
pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)

STEP = """\
kindful: 1
title: {{en: {title}, de: {title} auf Deutsch}}
summary: {{en: The {title} practice., de: Die Übung {title}.}}
author: Ana Müller
languages: [en, de]
steps:
  - say: {{en: {title} begins., de: {title} beginnt.}}
    seconds: {seconds}
"""
PATH = """\
kindful: 1
program: true
title: {en: Little path, de: Kleiner Weg}
summary: {en: Three small steps., de: Drei kleine Schritte.}
languages: [en, de]
weeks:
  - title: {en: First, de: Erste}
    text: {en: Go gently., de: Geh sanft.}
    days: [[two], [one, three]]
  - title: {en: Second, de: Zweite}
    days: [[one]]
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    for name, seconds in (("one", 4), ("two", 6), ("three", 8)):
        text = STEP.format(title=name.title(), seconds=seconds)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    (folder / "little-path.yaml").write_text(PATH, encoding="utf-8")
    monkeypatch.setenv("KINDFUL_PATH", str(folder))
    return folder


def test_the_feed_has_one_item_per_practice_in_program_order(folder: Path, tmp_path: Path) -> None:
    feedparser = pytest.importorskip("feedparser")
    out = tmp_path / "site"
    base = "https://coach.example/path"
    result = runner.invoke(app, ["publish", "little-path", "-o", str(out), "--base-url", base])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "01.mp3",
        "02.mp3",
        "03.mp3",
        "feed.xml",
        "index.html",
    ]
    parsed = feedparser.parse(str(out / "feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Little path"
    assert "<itunes:type>serial</itunes:type>" in (out / "feed.xml").read_text(encoding="utf-8")
    # the order of first appearance in the program: two, one, three
    assert [entry.title for entry in parsed.entries] == ["Two", "One", "Three"]
    for number, entry in enumerate(parsed.entries, 1):
        (enclosure,) = entry.enclosures
        name = f"{number:02d}.mp3"
        assert enclosure.href == f"{base}/{name}"
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == (out / name).stat().st_size
        seconds = soundfile.info(str(out / name)).duration
        h, m, s = (int(part) for part in entry.itunes_duration.split(":"))
        assert abs(h * 3600 + m * 60 + s - seconds) <= 0.5
        assert entry.author == "Ana Müller"
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates)  # an app that sorts by date keeps the program's order


def test_the_folder_works_from_a_disk_in_the_readers_language(folder: Path, tmp_path: Path) -> None:
    feedparser = pytest.importorskip("feedparser")
    out = tmp_path / "site"
    result = runner.invoke(app, ["publish", "little-path", "-o", str(out), "--lang", "de"])
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse(str(out / "feed.xml"))
    assert not parsed.bozo
    assert parsed.feed.title == "Kleiner Weg"
    assert [e.enclosures[0].href for e in parsed.entries] == ["01.mp3", "02.mp3", "03.mp3"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Woche 1: Erste" in html and "Geh sanft." in html
    assert html.count("<audio ") == 3
    assert '<source src="02.mp3"' in html
    assert "One auf Deutsch" in html
    assert not re.search(r'(src|href)="(https?:|/)', html)
    for private in ("little-path", str(folder), "one.yaml"):
        assert private not in html


@needs_chromium
def test_the_page_loads_every_practice_in_order_in_a_real_browser(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    result = runner.invoke(app, ["publish", "little-path", "-o", str(out)])
    assert result.exit_code == 0, result.output
    net_log = tmp_path / "net.json"
    # A loaded machine can outlast the browser's time budget before every file is read: a page
    # that has not got there yet is asked again (a missing file never gets there).
    for _ in range(3):
        dom = browse(out / "index.html", tmp_path / "profile", "--dump-dom", net_log=net_log)
        if all("data-duration" in player for player in players(dom)):
            break
    assert page_requests(net_log) == []  # nothing asked of the network: all is in the folder
    # One section per practice, in the order the program first names them: two, one, three.
    sections = re.findall(r'<section class="practice" id="p(\d+)">\s*<h2[^>]*>([^<]*)</h2>', dom)
    assert sections == [("1", "Two"), ("2", "One"), ("3", "Three")]
    heard = players(dom)
    assert [player["src"] for player in heard] == ["01.mp3", "02.mp3", "03.mp3"]
    for player in heard:
        assert (out / player["src"]).is_file()
        # Set by the page once the browser has read the file's header: the file was there.
        assert "data-duration" in player, player
        assert float(player["data-duration"]) == pytest.approx(
            float(player["data-seconds"]), abs=0.1
        )
        assert int(player["data-cues"]) >= 1  # its transcript, from the WebVTT inside


def test_publish_asks_before_writing_over_a_folder(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "feed.xml").write_text("the old feed")
    result = runner.invoke(app, ["publish", "little-path", "-o", str(out)])
    assert result.exit_code == 1
    assert "--force" in result.output
    assert (out / "feed.xml").read_text() == "the old feed"
    bad = runner.invoke(app, ["publish", "little-path", "-o", str(out), "--base-url", "coach"])
    assert bad.exit_code == 2
