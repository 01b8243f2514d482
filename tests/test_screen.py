"""The live screen rendered from views of each step kind, at 60 and at 40 columns."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.align import Align
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.screen import Screen
from rich.text import Text

from kindful.lengths import clock, short
from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    BreathPattern,
    PlannedStep,
    Quote,
    Rate,
    Reflect,
    Say,
    Silence,
)
from kindful.session.engine import BreathView, Phase, View
from kindful.session.screen import (
    KeysLine,
    Pacer,
    Stack,
    render,
    render_question,
    visible_place,
)

WIDTHS = [60, 40]


def show(renderable: RenderableType, width: int = 60) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)
    console.print(renderable)
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    assert all(len(line) <= width for line in text.splitlines()), text
    return text


def view(step: PlannedStep, **changes: object) -> View:
    base = View(
        index=2,
        total=7,
        step=step,
        step_left=None if step.seconds is None else int(step.seconds),
        total_left=754,
        breath=None,
        paused=False,
        softening=False,
        finished=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def screen(v: View, width: int = 60, lang: str = "en") -> str:
    return show(render(v, title="A Kind Pause", lang=lang), width)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_screen_has_the_title_where_and_keys(width: int) -> None:
    text = screen(view(Say("Settle in.", seconds=42.0)), width)
    assert "A Kind Pause" in text
    assert "step 3 of 7 · 12:34 left" in text
    assert "Settle in." in text
    assert "0:42" in text
    for key in ("space pause", "n next", "s soften", "q end"):
        assert key in text  # never split between a key and what it does


def test_the_keys_line_is_one_line_when_there_is_room() -> None:
    assert "space pause · n next · s soften · q end" in screen(view(Say("x", seconds=1.0)))


def test_keys_wrap_only_between_items() -> None:
    line = KeysLine("space pause · n next · s soften · q end")
    assert line.lines(36) == ["space pause · n next · s soften", "q end"]
    assert line.lines(12) == ["space pause", "n next", "s soften", "q end"]


@pytest.mark.parametrize("width", WIDTHS)
def test_an_untimed_say_waits_for_the_person(width: int) -> None:
    text = screen(view(Say("Take your time.", seconds=None)), width)
    assert "Take your time." in text
    assert "Press n or Enter to continue." in text
    assert "0:" not in text.split("left")[1]


@pytest.mark.parametrize("width", WIDTHS)
def test_breathing_shows_pacer_phase_and_cycle(width: int) -> None:
    step = Breathe("Breathe gently.", seconds=88.0, pattern=BreathPattern(5.5, 0, 5.5, 0), cycles=8)
    breath = BreathView(Phase.IN, 5.5, 3, 0.5, cycle=3, cycles=8)
    text = screen(view(step, breath=breath), width)
    assert "Breathe gently." in text
    assert "breathe in  3" in text
    assert "cycle 3 of 8" in text
    assert "█" in text


def test_the_pacer_grows_with_the_breath() -> None:
    sizes = [Pacer(f / 16).widths(60)[0] for f in range(17)]
    assert sizes == sorted(sizes)
    assert sizes[0] == 0 and sizes[-1] == 36
    assert Pacer(1.0).widths(20)[0] == 20  # a narrow terminal: as wide as there is room
    assert "·" in show(Pacer(0.0))
    full = show(Pacer(1.0), 40).splitlines()
    assert len(full) == 3
    assert full[1].strip() == "█" * 36
    assert len(full[0].strip()) < 36


@pytest.mark.parametrize(("phase", "word"), [(Phase.HOLD, "halten"), (Phase.OUT, "ausatmen")])
def test_phase_words_in_german(phase: Phase, word: str) -> None:
    step = Breathe("", seconds=16.0, pattern=BreathPattern(4, 4, 4, 4), cycles=1)
    breath = BreathView(phase, 4.0, 2, 1.0, cycle=1, cycles=1)
    text = screen(view(step, breath=breath), 40, lang="de")
    assert f"{word}  2" in text
    assert "Atemzug 1 von 1" in text
    assert "Schritt 3 von 7 · noch 12:34" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_silence_shows_its_line_and_interval_bells(width: int) -> None:
    text = screen(view(Silence("Rest here.", seconds=300.0, bell_every=60.0)), width)
    assert "Rest here." in text
    assert "5:00" in text
    assert "a bell every 1:00" in text
    bare = screen(view(Silence("", seconds=90.0)), width)
    assert "silence" in bare
    assert "bell" not in bare


@pytest.mark.parametrize("width", WIDTHS)
def test_a_quote_and_who_said_it(width: int) -> None:
    words = "You yourself, as much as anybody in the entire universe, deserve your love."
    text = screen(view(Quote(words, seconds=None, by="Sharon Salzberg")), width)
    assert "— Sharon Salzberg" in text
    assert "deserve your love." in " ".join(text.split())
    assert "Press n or Enter to continue." in text


@pytest.mark.parametrize("width", WIDTHS)
def test_a_bell(width: int) -> None:
    text = screen(view(Bell("", seconds=0.0, strikes=3)), width)
    assert "◦ ◦ ◦  the bell  ◦ ◦ ◦" in text


def test_paused_says_so() -> None:
    text = screen(view(Say("Settle in.", seconds=42.0), paused=True))
    assert "Paused. Press space to go on." in text
    assert "0:42" in text


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("width", WIDTHS)
def test_softening_shows_the_interlude_instead_of_the_step(width: int, lang: str) -> None:
    text = screen(view(Say("Settle in.", seconds=42.0), softening=True), width, lang)
    assert "Settle in." not in text
    if lang == "en":
        orienting = "Look around and name three things you can see. Feel your feet on the ground."
        assert orienting in " ".join(text.split())
        assert "Breathe as it comes." in text
        assert "This is hard right now. I can go gently with myself." in " ".join(text.split())
        assert "emergency number" in " ".join(text.split())
        assert "You can stop at any time" in text
        assert "any key come back" in text
    else:
        orienting = "Schau dich um und nenne drei Dinge, die du sehen kannst."
        assert orienting in " ".join(text.split())
        assert "Spür deine Füße auf dem Boden." in " ".join(text.split())
        assert "Ich darf behutsam mit mir umgehen." in " ".join(text.split())
        assert "Du kannst jederzeit aufhören" in " ".join(text.split())
        assert "TelefonSeelsorge 0800 111 0 111" in " ".join(text.split())
        assert "beliebige Taste zurück" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_a_rating_question_shows_the_scale_and_labels(width: int) -> None:
    step = Rate(
        "How kind are you to yourself right now?",
        seconds=None,
        key="kind_before",
        labels={0: "not at all", 10: "very kind"},
    )
    text = show(render_question(view(step), title="A Kind Pause", lang="en"), width)
    assert "How kind are you to yourself" in text
    assert "0 … 10" in text
    assert " 0  not at all" in text
    assert "10  very kind" in text
    assert "Enter alone skips · Ctrl-C ends" in text
    again = render_question(view(step), title="A Kind Pause", lang="en", problem="Once more.")
    assert "Once more." in show(again, width)


def test_a_reflect_question() -> None:
    text = show(
        render_question(view(Reflect("What do you need?", seconds=None)), title="T", lang="de")
    )
    assert "What do you need?" in text
    assert "Schreib deine Antwort und drück Enter." in text
    assert text.rstrip().endswith("nur Enter überspringt · Strg-C beendet")


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (5, "0:05"), (754, "12:34"), (3723, "1:02:03"), (-1, "0:00")]
)
def test_clock(seconds: int, text: str) -> None:
    assert clock(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(119.96, "2:00"), (59.97, "1:00"), (5.5, "0:05.5"), (3599.99, "1:00:00")]
)
def test_clock_rounds_to_tenths_before_it_splits(seconds: float, text: str) -> None:
    assert clock(seconds) == text


def test_short_lengths() -> None:
    assert short(5.5, "en") == "5.5 s"
    assert short(5.5, "de") == "5,5 s"
    assert short(90, "en") == "1:30"


@pytest.mark.parametrize("width", [*WIDTHS, 7])
def test_a_stack_looks_like_a_padded_group_and_keeps_its_lines(width: int) -> None:
    parts: list[RenderableType] = [
        Text("A Kind Pause", style="bold"),
        Text("Some words that wrap at a narrow width, more than once."),
        Align.center(Text("0:42")),
        Pacer(0.5),
        KeysLine("space pause · n next · s soften · q end"),
    ]

    def rows(text: str) -> list[str]:
        return [line.rstrip() for line in text.rstrip().splitlines()]

    expected = rows(show(Padding(Group(*parts), (1, 2, 0, 2)), width))
    assert rows(show(Stack(*parts), width)) == expected
    assert rows(show(Stack(*parts), width)) == expected  # again, from the kept lines


LONG = (
    "Let your attention rest on the breath for a moment, without changing it. Notice where you "
    "feel it most clearly: at the nostrils, in the chest, or in the belly as it rises and falls."
)


def at_size(renderable: RenderableType, width: int, height: int) -> list[str]:
    console = Console(
        file=io.StringIO(), width=width, height=height, color_system=None, force_terminal=False
    )
    console.print(Screen(renderable), end="")
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return [line.rstrip() for line in text.split("\n")]


def test_at_200_columns_the_text_keeps_a_readable_measure_in_a_centred_block() -> None:
    rows = at_size(render(view(Say(LONG, seconds=42.0)), title="A Kind Pause", lang="en"), 200, 20)
    left = (200 - 72) // 2
    pad = " " * left
    assert rows[:12] == [
        "",
        pad + "A Kind Pause",
        pad + "step 3 of 7 · 12:34 left",
        "",
        pad + "Let your attention rest on the breath for a moment, without changing it.",
        pad + "Notice where you feel it most clearly: at the nostrils, in the chest, or",
        pad + "in the belly as it rises and falls.",
        "",
        pad + " " * 34 + "0:42",
        "",
        pad + "space pause · n next · s soften · q end",
        "",
    ]
    assert max(len(row) - left for row in rows if row) <= 72


def test_a_short_terminal_keeps_the_countdown_and_the_keys_and_cuts_the_text() -> None:
    rows = at_size(render(view(Say(LONG, seconds=42.0)), title="A Kind Pause", lang="en"), 40, 9)
    assert rows == [
        "  A Kind Pause",
        "  step 3 of 7 · 12:34 left",
        "",
        "  Let your attention rest on the…",
        "",
        "                  0:42",
        "",
        "  space pause · n next · s soften",
        "  q end",
    ]


def test_a_very_short_terminal_gives_up_blank_lines_before_the_keys() -> None:
    rows = at_size(render(view(Say(LONG, seconds=42.0)), title="A Kind Pause", lang="en"), 60, 6)
    assert rows[-1] == "  space pause · n next · s soften · q end"
    assert any(row.strip() == "0:42" for row in rows)
    assert any(row.endswith("…") for row in rows)


def test_the_first_screen_counts_no_bell_as_a_step() -> None:
    steps = [
        Bell("", 0.0),
        Say("Settle in.", seconds=5.0),
        Bell("", 0.0, strikes=2),
        Say("Go.", 5.0),
    ]
    assert [visible_place(steps, i) for i in range(4)] == [(1, 2), (1, 2), (1, 2), (2, 2)]
    text = show(render(view(steps[1], index=1, total=4), title="T", lang="en", place=(1, 2)))
    assert "step 1 of 2" in text
