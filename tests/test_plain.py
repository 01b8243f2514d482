"""The plain runner, with a fake clock and a sleep that only moves it: nothing here waits."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from kindful.lengths import length, number
from kindful.practice.format.model import Question
from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    BreathPattern,
    Plan,
    PlannedStep,
    Rate,
    Say,
    Silence,
)
from kindful.session.engine import Outcome, Session
from kindful.session.plain import Lines, ask_inputs, rating_lines, run_plain, summary


class FakeTime:
    """A clock and the sleep that moves it; every line written is stamped with the time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class StampedOut(io.StringIO):
    def __init__(self, time: FakeTime, tty: bool = False) -> None:
        super().__init__()
        self.time = time
        self.tty = tty
        self.stamps: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        if text.strip("\n\a"):
            self.stamps.append((self.time.now, text.rstrip("\n")))
        return super().write(text)

    def isatty(self) -> bool:
        return self.tty


def plan_of(*steps: PlannedStep) -> Plan:
    return Plan(practice="p", title="Pause", lang="en", steps=tuple(steps))


def answers(*lines: str) -> Iterator[str | None]:
    yield from lines
    while True:
        yield None


def run(
    plan: Plan,
    lines: Iterator[str | None] | None = None,
    speed: float = 1.0,
    tty: bool = False,
    wait: bool = False,
) -> tuple[Session, StampedOut]:
    time = FakeTime()
    out = StampedOut(time, tty)
    feed = lines or answers()
    session = Session(plan, time.clock, speed)
    run_plain(
        session,
        lang=plan.lang,
        out=out,
        read_line=lambda: next(feed),
        sleep=time.sleep,
        clock=time.clock,
        wait=wait,
    )
    return session, out


def test_each_line_comes_at_its_planned_time() -> None:
    pattern = BreathPattern(inhale=5.5, hold=0, exhale=5.5, rest=0)
    plan = plan_of(Say("Arrive", 3), Breathe("", 22, pattern=pattern, cycles=2), Say("End", 1))
    session, out = run(plan)
    assert out.stamps == [
        (0, "Pause · 3 steps · 26 s"),
        (0, "[1/3] Arrive (3 s)"),
        (3, "[2/3] Paced breathing (2 breaths, 22 s)"),
        (3, "Breathe in 5.5 s (1 of 2)"),
        (8.5, "Breathe out 5.5 s"),
        (14, "Breathe in 5.5 s (2 of 2)"),
        (19.5, "Breathe out 5.5 s"),
        (25, "[3/3] End (1 s)"),
    ]
    assert session.outcome().completed
    assert session.outcome().elapsed_seconds == pytest.approx(26)


def test_speed_divides_the_waits() -> None:
    _, out = run(plan_of(Say("a", 30), Silence("", 60, bell_every=20)), speed=10)
    assert [when for when, _ in out.stamps] == pytest.approx([0, 0, 3, 5, 7])
    assert out.stamps[0][1] == "Pause · 2 steps · 1 min 30 s · at 10× speed"


def test_untimed_steps_continue_at_once() -> None:
    session, out = run(plan_of(Say("Read this", None), Say("And this", None)))
    assert out.stamps[-1] == (0, "[2/2] And this")
    assert session.outcome().completed


def test_at_a_terminal_untimed_steps_wait_for_enter() -> None:
    read: list[str] = []

    def typed() -> Iterator[str | None]:
        for line in ("", ""):
            read.append(line)
            yield line

    session, out = run(plan_of(Say("Read this", None), Say("And this", None)), typed(), wait=True)
    assert out.getvalue().count("Press Enter to continue.") == 2
    assert len(read) == 2
    assert session.outcome().completed


def test_a_rating_off_the_scale_is_asked_again_and_end_of_input_skips() -> None:
    plan = plan_of(Rate("How?", None, key="a", low=1, high=5), Rate("Again?", None, key="b"))
    session, out = run(plan, answers("0", "three", "4"))
    text = out.getvalue()
    assert text.count("Please type a whole number from 1 to 5") == 2
    assert session.outcome().ratings == {"a": 4}


def test_the_bell_character_only_goes_to_a_terminal() -> None:
    plan = plan_of(Bell("", 0, strikes=2))
    _, piped = run(plan)
    assert "\a" not in piped.getvalue()
    _, terminal = run(plan, tty=True)
    assert terminal.getvalue().count("\a") == 2
    assert terminal.getvalue().splitlines()[:2] == ["Pause", "Bell ×2"]  # a bell is no step


def test_no_bell_character_when_the_bell_is_off() -> None:
    time = FakeTime()
    out = StampedOut(time, tty=True)
    session = Session(plan_of(Bell("", 0)), time.clock)
    run_plain(session, lang="en", bell=False, out=out, sleep=time.sleep, clock=time.clock)
    assert "\a" not in out.getvalue()


def test_inputs_take_the_default_on_an_empty_line_or_the_end() -> None:
    out = io.StringIO()
    feed = answers("", "  Ana  ")
    questions = [
        Question("a", "First?", "one"),
        Question("b", "Second?", ""),
        Question("c", "Given?", "x"),
        Question("d", "Fourth?", "four"),
    ]
    got = ask_inputs(questions, {"c": "given"}, "en", Lines(out), lambda: next(feed))
    assert got == {"a": "one", "b": "Ana", "c": "given", "d": "four"}
    assert out.getvalue().splitlines() == [
        "First? (Enter keeps “one”)",
        "Second? (Enter skips)",
        "Fourth? (Enter keeps “four”)",
    ]


def test_lengths_and_numbers_read_well() -> None:
    assert length(45, "en") == "45 s"
    assert length(5.5, "de") == "5,5 s"
    assert length(150, "en") == "2 min 30 s"
    assert length(3600, "en") == "1 h"
    assert length(3725, "de") == "1 h 2 min 5 s"
    assert number(2.5, "de") == "2,5"
    assert number(12.345, "de", 1) == "12,3"


def test_rating_changes_pair_before_and_after() -> None:
    ratings = {"stress_before": 6, "calm": 4, "stress_after": 3, "ache_before": 2}
    assert rating_lines(ratings, "en") == ["ache 2", "calm 4", "stress 6 → 3"]


def test_ratings_are_named_by_label_in_the_order_asked_and_say_which_way() -> None:
    ends = {0: "ruhig", 10: "sehr gestresst"}
    rates = [
        Rate("?", None, key="self_kindness_before"),
        Rate("?", None, key="stress_before", labels=ends, label="Stress"),
        Rate("?", None, key="stress_after", labels=ends, label="Stress"),
        Rate("?", None, key="self_kindness_after"),
    ]
    ratings = {"stress_before": 7, "stress_after": 3, "self_kindness_before": 4}
    ratings |= {"self_kindness_after": 4, "extra_key": 1}
    assert rating_lines(ratings, "de", rates) == [
        "self kindness 4 → 4",
        "Stress 7 → 3, in Richtung ruhig",
        "extra key 1",
    ]
    ratings["stress_after"] = 9
    assert rating_lines(ratings, "en", rates)[1] == "Stress 7 → 9, toward sehr gestresst"


def test_the_summary_is_kind_either_way() -> None:
    done = Outcome(302, 9, 9, True, {"stress_before": 6, "stress_after": 3})
    assert summary(done, "en") == [
        "Thank you for taking this time. You practised for 5 min 2 s, all 9 steps.",
        "stress 6 → 3",
    ]
    early = Outcome(75, 3, 9, False)
    assert summary(early, "de") == [
        "Du hast 1 min 15 s geübt (3 von 9 Schritten). Jeder Moment der Übung zählt."
    ]


def test_one_of_a_thing_is_said_in_the_singular() -> None:
    pattern = BreathPattern(inhale=4, hold=0, exhale=6, rest=0)
    session, out = run(plan_of(Breathe("", 10, pattern=pattern, cycles=1)))
    assert out.stamps[0][1] == "Pause · 1 step · 10 s"
    assert out.stamps[1][1] == "[1/1] Paced breathing (1 breath, 10 s)"
    assert summary(session.outcome(), "de") == [
        "Schön, dass du dir die Zeit genommen hast. Du hast 10 s geübt."
    ]


class TerminalOut(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_inputs_wrap_between_words_at_the_terminals_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    out = TerminalOut()
    ask = "Who is someone you love, someone it is easy to wish well?"
    ask_inputs([Question("who", ask, "")], {}, "en", Lines(out), lambda: "Sam")
    rows = out.getvalue().splitlines()
    assert rows == ["Who is someone you love,", "someone it is easy to wish", "well? (Enter skips)"]
    assert all(len(row) < 30 for row in rows)


def test_no_built_in_input_tells_of_enter_twice() -> None:
    from kindful.practice.library import find_practice

    for practice_id in ("loving-kindness",):
        for lang in ("en", "de"):
            for question in find_practice(practice_id).practice.questions(lang):
                assert "Enter" not in question.ask


def test_the_summary_counts_the_steps_a_person_saw() -> None:
    steps = [Bell("", 0.0), Say("a", 5.0), Say("b", 5.0), Bell("", 0.0)]
    assert summary(Outcome(10, 4, 4, True), "en", steps)[0].endswith("all 2 steps.")
    assert "(1 of 2 steps)" in summary(Outcome(5, 2, 4, False), "en", steps)[0]


def test_a_stop_whose_raise_was_lost_still_ends_the_run() -> None:
    # Python runs a signal handler wherever the main thread is; raised inside code that drops
    # what is raised (a finaliser run by the garbage collector, a callback from C), the stop is
    # gone. The run must still end at the next turn of its loop, not play on for ten minutes.
    import contextlib
    import signal

    from kindful.session.signals import Stopped, stop_on_signals

    plan = plan_of(Say("Arrive", 3), Say("Stay", 600), Say("End", 1))
    time = FakeTime()
    out = StampedOut(time, False)
    session = Session(plan, time.clock, 1.0)

    def out_write(text: str) -> int:  # the line of a step is written, then a finaliser runs
        written = StampedOut.write(out, text)
        if text.startswith("[2/3]"):
            with contextlib.suppress(BaseException):  # the stop's raise is lost there
                signal.raise_signal(signal.SIGTERM)
        return written

    out.write = out_write  # type: ignore[method-assign]
    with pytest.raises(Stopped), stop_on_signals():
        run_plain(
            session, lang="en", out=out, read_line=lambda: None, sleep=time.sleep, clock=time.clock
        )
    assert time.now == 3  # ended before the next nap, not a minute or ten later
