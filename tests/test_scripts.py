"""The script as an author reads it: text, Markdown, HTML; a scaled preview; the starter."""

from __future__ import annotations

import io
import json
import re
import struct
from pathlib import Path
from textwrap import dedent

import pytest
from rich.console import Console
from typer.testing import CliRunner

from browser import browse, needs_chromium
from kindful.cli import app
from kindful.practice.checking.load import parse_practice
from kindful.practice.plan.planner import Breathe, Say, Silence, make_plan, scale_steps
from kindful.practice.views.script import render_script
from kindful.practice.views.script_formats import render_html, render_markdown

runner = CliRunner()

TEXT = """\
kindful: 1
id: calm
title: {en: "A calm <minute>", de: "Eine ruhige Minute"}
summary: {en: "Breathe | rest.", de: "Atmen, ruhen."}
languages: [en, de]
sources:
  - cite: "Neff, K. D. (2003). Self-compassion: An alternative conceptualization of a healthy attitude toward oneself. Self and Identity, 2(2), 85-101."
    doi: 10.1080/15298860309032
inputs:
  - name: friend
    ask: {en: "Who is a friend you trust, someone whose kindness you can picture clearly?", de: "Wer?"}
    default: Sam
steps:
  - breathe: {en: "Slowly.", de: "Langsam."}
    in: 4
    out: 6
    cycles: 1
  - say: {en: "Hello {friend}.", de: "Hallo {friend}."}
    seconds: 20
  - silence: 1m
    bell_every: 20
  - reflect: {en: "What stays?", de: "Was bleibt?"}
"""


def practice_file(folder: Path) -> Path:
    path = folder / "calm.yaml"
    path.write_text(TEXT, encoding="utf-8")
    return path


def text_script(lang: str, width: int = 60, for_author: bool = False, text: str = TEXT) -> str:
    practice = parse_practice(text, "calm.yaml", "calm")
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(render_script(practice, make_plan(practice, lang, {}), lang, for_author))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


# ----------------------------------------------------------------------------- text


def test_the_text_script_wraps_questions_and_sources_under_themselves() -> None:
    assert text_script("en") == dedent(
        """\
        A calm <minute>
        Breathe | rest.
        en, de · 4 steps · 1 min 30 s

        Asked before the first step
         {friend}  Who is a friend you trust, someone whose kindness
                   you can picture clearly? (default: Sam)

        0:00  breathe  Slowly.                              10 s
                       in 4 s · out 6 s × 1 cycle
        0:10  say      Hello Sam.                           20 s
        0:30  silence  a bell every 20 s                   1 min
        1:30  reflect  What stays?                 waits for you
        Timed total: 1 min 30 s

        Sources
         -  Neff, K. D. (2003). Self-compassion: An alternative
            conceptualization of a healthy attitude toward oneself.
            Self and Identity, 2(2), 85-101.
            doi:10.1080/15298860309032"""
    )


RATED = """\
kindful: 1
id: rated
title: Rated
author: Jürgen Größ
license: CC BY 4.0
steps:
  - rate: How calm are you?
    key: calm_before
    max: 10
"""


@pytest.mark.parametrize("output", ["text", "markdown", "html"])
def test_a_clients_script_has_author_and_licence_but_no_id_or_key(
    output: str, tmp_path: Path
) -> None:
    path = tmp_path / "rated.yaml"
    path.write_text(RATED, encoding="utf-8")
    client = runner.invoke(app, ["show", str(path), "--format", output])
    author = runner.invoke(app, ["show", str(path), "--format", output, "--for-author"])
    assert client.exit_code == 0 and author.exit_code == 0, client.output + author.output
    assert "Jürgen Größ" in client.stdout and "CC BY 4.0" in client.stdout
    assert "calm_before" not in client.stdout
    assert "rated" not in client.stdout.replace("Rated", "")
    assert "calm_before" in author.stdout.replace("\\_", "_")  # Markdown escapes it
    assert "rated ·" in author.stdout


def test_step_kinds_are_named_in_the_readers_language() -> None:
    script = text_script("de")
    assert "0:00  atmen   Langsam." in script
    assert "ein 4 s · aus 6 s × 1 Atemzug" in script
    assert "0:30  Stille  alle 20 s eine Glocke" in script
    assert "1:30  Frage   Was bleibt?" in script


def test_a_file_in_no_declared_language_is_not_called_english(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text("kindful: 1\ntitle: Plain\nsteps:\n  - say: Hi.\n    seconds: 5\n")
    shown = runner.invoke(app, ["show", str(path), "--for-author"])
    assert shown.stdout.splitlines()[1] == "plain · 1 step · 5 s"
    german = runner.invoke(app, ["show", str(path), "--lang", "de", "--for-author"])
    assert german.stdout.splitlines()[1:4] == [
        "plain · 1 Schritt · 5 s",
        "",
        "0:00  sagen  Hi.  5 s",
    ]


# ----------------------------------------------------------------------------- markdown and html


def test_markdown_is_the_script_with_its_markup_escaped() -> None:
    practice = parse_practice(TEXT, "calm.yaml", "calm")
    markdown = render_markdown(practice, make_plan(practice, "en", {}), "en")
    assert markdown == dedent(
        """\
        # A calm \\<minute\\>

        *Breathe \\| rest.*

        en, de · 4 steps · 1 min 30 s

        ## Asked before the first step

        - `{friend}` Who is a friend you trust, someone whose kindness you can picture clearly? (default: Sam)

        ## Script

        | at | step |  | length |
        | ---: | --- | --- | ---: |
        | 0:00 | breathe | Slowly.<br>*in 4 s · out 6 s × 1 cycle* | 10 s |
        | 0:10 | say | Hello Sam. | 20 s |
        | 0:30 | silence | *a bell every 20 s* | 1 min |
        | 1:30 | reflect | What stays? | waits for you |

        **Timed total: 1 min 30 s**

        ## Sources

        - Neff, K. D. (2003). Self-compassion: An alternative conceptualization of a healthy attitude toward oneself. Self and Identity, 2(2), 85-101. doi:10.1080/15298860309032
        """
    )


def test_html_is_one_page_that_needs_nothing_else() -> None:
    practice = parse_practice(TEXT, "calm.yaml", "calm")
    page = render_html(practice, make_plan(practice, "de", {}), "de")
    assert page.startswith('<!DOCTYPE html>\n<html lang="de">')
    assert "<title>Eine ruhige Minute</title>" in page
    assert "@media print" in page
    assert not re.search(r"<(script|link|img|iframe)|src=|href=|url\(|@import", page)
    assert '<td class="kind">atmen</td>' in page
    english = render_html(practice, make_plan(practice, "en", {}), "en")
    assert "<h1>A calm &lt;minute&gt;</h1>" in english
    assert '<span class="detail">in 4 s · out 6 s × 1 cycle</span>' in english
    assert "<li>Neff, K. D. (2003)." in english


def test_show_writes_markdown_and_html_on_stdout(tmp_path: Path) -> None:
    path = practice_file(tmp_path)
    markdown = runner.invoke(app, ["show", str(path), "--format", "markdown"])
    assert markdown.exit_code == 0, markdown.output
    assert markdown.stdout.startswith("# A calm \\<minute\\>\n")
    html = runner.invoke(app, ["show", str(path), "--format", "html", "--lang", "de"])
    assert html.exit_code == 0, html.output
    assert html.stdout.startswith("<!DOCTYPE html>")
    assert runner.invoke(app, ["show", str(path), "--format", "pdf"]).exit_code == 2


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@needs_chromium
def test_html_renders_in_a_real_browser(tmp_path: Path) -> None:
    path = practice_file(tmp_path)
    html = runner.invoke(app, ["show", str(path), "--format", "html"])
    page = tmp_path / "calm.html"
    page.write_text(html.stdout, encoding="utf-8")
    shot = tmp_path / "calm.png"
    profile = tmp_path / "profile"
    dom = browse(page, profile, f"--screenshot={shot}", "--window-size=1000,1400", "--dump-dom")
    # the browser's own reading of the page: every step made it into the table
    assert dom.count('<td class="at">') == 4
    assert "Timed total: 1 min 30 s" in dom
    assert _png_size(shot) == (1000, 1400)
    pdf = tmp_path / "calm.pdf"
    browse(page, profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.read_bytes()[:5] == b"%PDF-"


# ----------------------------------------------------------------------------- scaling


def words(n: int) -> str:
    return " ".join(["word"] * n)


def test_scaling_never_gives_a_text_less_than_its_speaking_time() -> None:
    needs = {"": 0.0, words(55): 30.0}  # 55 words: 30 s at 110 a minute
    steps = (Say(words(55), 60.0), Silence("", 120.0), Say("", 60.0))
    scaled = scale_steps(steps, 60, lambda step: needs[step.text])
    assert [s.seconds for s in scaled.steps] == [30.0, 20.0, 10.0]
    assert (scaled.held_for_speech, scaled.held_breathing) == (1, 0)
    free = scale_steps(steps, 60)
    assert [s.seconds for s in free.steps] == [15.0, 30.0, 15.0]
    assert free.held_for_speech == 0


def test_breathing_keeps_cycles_enough_for_its_text() -> None:
    steps = (Breathe(words(40), 100.0, None, cycles=10), Silence("", 100.0))
    scaled = scale_steps(steps, 40, lambda step: 22.0 if step.text else 0.0)
    breathe = scaled.steps[0]
    assert isinstance(breathe, Breathe) and breathe.cycles == 3  # 2 would be 20 s < 22 s
    assert scaled.held_for_speech == 1
    one = scale_steps((Breathe("", 100.0, None, cycles=10), Silence("", 100.0)), 4)
    assert one.steps[0].seconds == 8.0 and one.held_breathing == 1


def test_interval_bells_keep_their_count_and_stay_sensible() -> None:
    steps = (Silence("", 300.0, None, 60.0), Silence("", 60.0, None, 20.0), Say("", 60.0))
    shorter = scale_steps(steps, 42).steps  # a tenth of the time
    assert [s.seconds for s in shorter] == pytest.approx([30.0, 6.0, 6.0])
    assert isinstance(shorter[0], Silence) and shorter[0].bell_every == pytest.approx(6.0)
    assert isinstance(shorter[1], Silence) and shorter[1].bell_every is None  # 2 s apart: none
    longer = scale_steps(steps, 840).steps
    assert isinstance(longer[0], Silence) and longer[0].bell_every == pytest.approx(120.0)


def test_run_and_show_minutes_say_what_could_not_shrink(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(
        "kindful: 1\ntitle: Long\nsteps:\n"
        f"  - say: {words(55)}\n    seconds: 60\n  - silence: 60\n",
        encoding="utf-8",
    )
    shown = runner.invoke(app, ["show", str(path), "--minutes", "0.5"])
    assert shown.exit_code == 0, shown.output
    assert shown.stderr == (
        "kindful: this practice runs 33.8 s, as near to 0.5 min as it can: "
        "1 timed text keeps the time it needs to be spoken\n"
    )
    assert "0:30  silence" in shown.stdout and "Timed total: 33.8 s" in shown.stdout
    assert runner.invoke(app, ["show", str(path), "--minutes", "0"]).exit_code == 2
    fine = runner.invoke(app, ["show", str(path), "--minutes", "4"])
    assert fine.stderr == "" and "Timed total: 4 min" in fine.stdout


# ----------------------------------------------------------------------------- new, find, list


@pytest.mark.parametrize(
    ("langs", "declared", "title"),
    [
        (["--lang", "de"], "languages: [de]", 'title: "Abend ruhe"'),
        (["--lang", "en"], "languages: [en]", 'title: "Abend ruhe"'),
        ([], "languages: [en, de]", 'title: {en: "Abend ruhe", de: "Abend ruhe"}'),
        (["--lang", "de", "--lang", "en"], "languages: [de, en]", 'title: {de: "Abend ruhe"'),
    ],
)
def test_new_writes_the_starter_in_the_languages_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, langs: list[str], declared: str, title: str
) -> None:
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["new", "abend-ruhe", *langs])
    assert made.exit_code == 0, made.output
    text = (tmp_path / "abend-ruhe.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert any(line.startswith(declared) for line in lines)
    assert any(line.startswith(title) for line in lines)
    assert 'default: ""' not in text
    assert all(line == line.rstrip() for line in lines)
    checked = runner.invoke(app, ["validate", "--strict", "abend-ruhe.yaml"])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == ""


def test_a_one_language_starter_has_only_that_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["new", "abend", "--lang", "de"]).exit_code == 0
    text = (tmp_path / "abend.yaml").read_text(encoding="utf-8")
    assert "en:" not in text and "de:" not in text
    assert "Stell dir vor, {friend} ist bei dir" in text and 'default: "ein guter Freund"' in text
    other = runner.invoke(app, ["new", "soir", "--lang", "fr"])
    assert other.exit_code == 2
    assert "writes starters in en and de, not fr" in other.stderr


def test_show_finds_a_file_by_its_name_when_its_id_differs(kindful_home: Path) -> None:
    folder = kindful_home / "practices"
    folder.mkdir(parents=True)
    (folder / "by-name.yaml").write_text(
        "kindful: 1\nid: other-id\ntitle: Named\nsteps:\n  - bell: 1\n", encoding="utf-8"
    )
    for ref in ("by-name", "other-id"):
        shown = runner.invoke(app, ["show", ref, "--for-author"])
        assert shown.exit_code == 0, shown.output
        assert shown.stdout.splitlines()[:2] == ["Named", "other-id · 0 s"]  # a bell alone


def test_list_shows_no_language_for_a_file_in_none(kindful_home: Path) -> None:
    folder = kindful_home / "practices"
    folder.mkdir(parents=True)
    (folder / "plain.yaml").write_text(
        "kindful: 1\ntitle: Plain\nsteps:\n  - bell: 1\n", encoding="utf-8"
    )
    (folder / "einsprachig.yaml").write_text(
        "kindful: 1\ntitle: Nur Deutsch\nlanguages: [de]\nsteps:\n  - say: Hallo.\n",
        encoding="utf-8",
    )
    listed = runner.invoke(app, ["list", "--json"])
    rows = {row["id"]: row["languages"] for row in json.loads(listed.stdout)}
    assert rows["plain"] == [] and rows["einsprachig"] == ["de"]
