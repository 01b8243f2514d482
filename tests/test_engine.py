"""The session engine, driven by a fake clock: no test here sleeps."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakes import FakeClock
from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    BreathPattern,
    Plan,
    PlannedStep,
    Quote,
    Rate,
    Reflect,
    Say,
    Silence,
    Survey,
    SurveyItem,
)
from kindful.session.engine import (
    REFLECT_CAP,
    UNTIMED_CAP,
    BellRung,
    BreathPhase,
    Event,
    Finished,
    Phase,
    Session,
    StepStarted,
    untimed_cap,
)


def plan_of(*steps: PlannedStep) -> Plan:
    return Plan(practice="test", title="Test", lang="en", steps=tuple(steps))


def started(plan: Plan, clock: FakeClock, speed: float = 1.0) -> tuple[Session, list[Event]]:
    session = Session(plan, clock, speed)
    return session, session.start()


def starts(events: list[Event]) -> list[int]:
    return [e.index for e in events if isinstance(e, StepStarted)]


def run_to_end(session: Session, clock: FakeClock) -> list[tuple[float, Event]]:
    """Jump the clock from change to change; give each event with when it came."""
    seen: list[tuple[float, Event]] = []
    while not session.finished:
        when = session.next_change()
        assert when is not None, "only a person could go on"
        assert when > clock.now - 1e-9
        clock.now = when
        seen += [(clock.now, e) for e in session.update()]
    return seen


def test_timed_steps_end_on_their_deadlines() -> None:
    clock = FakeClock(0.0)
    session, events = started(plan_of(Say("a", 10), Say("b", 5)), clock)
    assert starts(events) == [0]
    clock.tick(9.99)
    assert session.update() == []
    clock.tick(0.01)
    assert starts(session.update()) == [1]
    clock.tick(5)
    assert session.update() == [Finished(completed=True)]
    outcome = session.outcome()
    assert outcome.completed
    assert outcome.steps_done == outcome.steps_total == 2
    assert outcome.elapsed_seconds == pytest.approx(15)


def test_a_late_update_catches_up_every_step_in_order() -> None:
    clock = FakeClock()
    session, _ = started(
        plan_of(Say("a", 1), Bell("", 0, strikes=2), Say("b", 1), Say("c", 1)), clock
    )
    clock.tick(100)
    events = session.update()
    assert starts(events) == [1, 2, 3]
    assert BellRung(2) in events
    assert events[-1] == Finished(completed=True)
    assert session.outcome().elapsed_seconds == pytest.approx(3)  # ended at the last deadline


def test_pause_stops_the_clock_and_shifts_later_deadlines() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 10), Say("b", 10)), clock)
    clock.tick(4)
    session.toggle_pause()
    assert session.view().paused
    assert session.next_change() is None
    clock.tick(60)
    assert session.update() == []
    assert session.view().step_left == 6
    session.toggle_pause()
    clock.tick(5.99)
    assert session.update() == []
    clock.tick(0.01)
    assert starts(session.update()) == [1]
    clock.tick(10)
    session.update()
    assert session.outcome().elapsed_seconds == pytest.approx(20)


def test_what_fell_due_before_a_pause_still_happens() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 1), Say("b", 10)), clock)
    clock.tick(2)
    session.toggle_pause()
    assert starts(session.update()) == [1]
    assert session.view().step_left == 9


def test_next_step_starts_the_next_one_now() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 10), Say("b", 10), Say("c", 10)), clock)
    clock.tick(3)
    session.next_step()
    assert starts(session.update()) == [1]
    assert session.view().step_left == 10
    assert session.view().total_left == 20
    clock.tick(10)
    assert starts(session.update()) == [2]


def test_next_step_on_the_last_step_completes_the_session() -> None:
    clock = FakeClock()
    session, _ = started(plan_of(Say("a", 10)), clock)
    session.next_step()
    assert session.update() == [Finished(completed=True)]
    assert session.outcome().completed


def test_quit_ends_now_as_not_completed() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 10), Say("b", 10)), clock)
    clock.tick(12)
    session.quit()
    events = session.update()
    assert starts(events) == [1]
    assert events[-1] == Finished(completed=False)
    outcome = session.outcome()
    assert not outcome.completed
    assert outcome.steps_done == 1
    assert outcome.elapsed_seconds == pytest.approx(12)
    assert session.view().finished
    session.next_step()  # after the end, keys change nothing
    assert session.update() == []


def test_quit_while_paused_leaves_the_pause_out() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 10)), clock)
    clock.tick(3)
    session.toggle_pause()
    clock.tick(50)
    session.quit()
    assert session.outcome().elapsed_seconds == pytest.approx(3)


def test_soften_holds_the_step_until_the_person_comes_back() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 10), Say("b", 10)), clock)
    clock.tick(4)
    session.soften()
    view = session.view()
    assert view.softening and not view.paused
    assert session.next_change() is None
    clock.tick(90)
    assert session.update() == []
    session.unsoften()
    assert session.view().step_left == 6
    assert session.next_change() == pytest.approx(clock.now + 1)
    clock.tick(6)
    assert starts(session.update()) == [1]
    session.quit()
    assert session.outcome().elapsed_seconds == pytest.approx(10)


def test_pause_inside_soften_resumes_only_when_both_end() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 10)), clock)
    clock.tick(2)
    session.soften()
    clock.tick(5)
    session.toggle_pause()
    clock.tick(5)
    session.unsoften()
    assert session.next_change() is None  # still paused
    clock.tick(5)
    session.toggle_pause()
    assert session.view().step_left == 8


def test_untimed_steps_wait_for_the_person() -> None:
    clock = FakeClock(0.0)
    plan = plan_of(Say("read me", None), Quote("words", None, by="someone"), Say("b", 5))
    session, _ = started(plan, clock)
    assert session.view().step_left is None
    assert session.view().total_left == 5
    assert session.next_change() is None
    clock.tick(300)
    assert session.update() == []
    session.next_step()
    assert starts(session.update()) == [1]
    clock.tick(30)
    session.next_step()
    assert starts(session.update()) == [2]
    assert session.view().step_left == 5
    clock.tick(5)
    assert session.update() == [Finished(completed=True)]
    # 300 s before the first text: a minute of it counts (the untimed cap), then 30 + 5.
    assert session.outcome().elapsed_seconds == pytest.approx(95)


def test_answers_are_recorded_and_move_on() -> None:
    clock = FakeClock()
    plan = plan_of(
        Rate("How stressed?", None, key="stress", low=0, high=10),
        Reflect("What do you need?", None),
        Reflect("Private", None, save=False),
        Reflect("Skipped", None),
        Rate("Again", None, key="calm"),
    )
    session, _ = started(plan, clock)
    with pytest.raises(ValueError):
        session.answer(11)
    assert session.view().index == 0
    session.answer(6)
    session.answer("  rest, and ä ö ü ß  ")
    session.answer("not kept")
    session.answer("   ")
    session.answer(None)
    assert session.update()[-1] == Finished(completed=True)
    outcome = session.outcome()
    assert outcome.ratings == {"stress": 6}
    assert [(r.prompt, r.text) for r in outcome.reflections] == [
        ("What do you need?", "rest, and ä ö ü ß")
    ]


def test_answer_to_a_step_that_asks_nothing_is_refused() -> None:
    session, _ = started(plan_of(Say("a", None)), FakeClock())
    with pytest.raises(ValueError):
        session.answer("hello")


def test_a_bell_step_rings_and_takes_no_time() -> None:
    clock = FakeClock(0.0)
    session, events = started(plan_of(Bell("", 0, strikes=3), Say("a", 4), Bell("", 0)), clock)
    assert starts(events) == [0, 1]
    assert BellRung(3) in events
    clock.tick(4)
    events = session.update()
    assert events == [StepStarted(2, Bell("", 0)), BellRung(1), Finished(completed=True)]
    assert session.outcome().elapsed_seconds == pytest.approx(4)


def test_silence_rings_at_each_interval_but_not_at_its_end() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Silence("", 60, bell_every=20), Say("after", 1)), clock)
    seen = run_to_end(session, clock)
    bells = [when for when, e in seen if isinstance(e, BellRung)]
    assert bells == pytest.approx([20, 40])


def test_breathing_announces_each_phase_with_its_cycle() -> None:
    clock = FakeClock(0.0)
    pattern = BreathPattern(inhale=4, hold=2, exhale=6, rest=0)
    session, events = started(plan_of(Breathe("", 24, pattern=pattern, cycles=2)), clock)
    assert events[-1] == BreathPhase(Phase.IN, 4, 1, 2)
    seen = [(when, e) for when, e in run_to_end(session, clock) if isinstance(e, BreathPhase)]
    assert [(when, e.phase, e.cycle) for when, e in seen] == [
        (4, Phase.HOLD, 1),
        (6, Phase.OUT, 1),
        (12, Phase.IN, 2),
        (16, Phase.HOLD, 2),
        (18, Phase.OUT, 2),
    ]


def test_the_breath_view_follows_the_pacer() -> None:
    clock = FakeClock(0.0)
    pattern = BreathPattern(inhale=4, hold=0, exhale=4, rest=2)
    session, _ = started(plan_of(Breathe("", 20, pattern=pattern, cycles=2)), clock)
    breath = session.view().breath
    assert breath is not None
    assert (breath.phase, breath.phase_left, breath.fraction, breath.cycle) == (Phase.IN, 4, 0, 1)
    clock.now = 2.0
    breath = session.view().breath
    assert breath is not None
    assert (breath.phase, breath.phase_left, breath.fraction) == (Phase.IN, 2, 0.5)
    clock.now = 5.0
    breath = session.view().breath
    assert breath is not None
    assert (breath.phase, breath.phase_left, breath.fraction) == (Phase.OUT, 3, 0.75)
    clock.now = 9.0
    breath = session.view().breath
    assert breath is not None
    assert (breath.phase, breath.fraction, breath.cycle) == (Phase.REST, 0, 1)
    clock.now = 10.5
    breath = session.view().breath
    assert breath is not None
    assert (breath.phase, breath.cycle, breath.cycles) == (Phase.IN, 2, 2)


def test_speed_divides_every_deadline_and_counts_planned_seconds() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 60), Silence("", 60, bell_every=30)), clock, speed=10)
    clock.tick(3)
    assert session.view().step_left == 30
    assert session.view().total_left == 90
    seen = run_to_end(session, clock)
    assert [when for when, e in seen if isinstance(e, StepStarted)] == pytest.approx([6])
    assert [when for when, e in seen if isinstance(e, BellRung)] == pytest.approx([9])
    assert session.outcome().elapsed_seconds == pytest.approx(12)


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Session(plan_of(Say("a", 1)), FakeClock(), speed=0)


def test_deadlines_do_not_drift_over_a_long_plan_with_irregular_updates() -> None:
    rng = random.Random(7)
    steps: list[PlannedStep] = []
    for _ in range(200):
        steps.append(Say("a", rng.choice([0.1, 1 / 3, 2.7, 7.25, 13])))
        steps.append(Breathe("", 11, pattern=BreathPattern(5.5, 0, 5.5, 0), cycles=1))
    plan = plan_of(*steps)
    clock = FakeClock(12345.678)
    start = clock.now
    session, _ = started(plan, clock)
    total = plan.planned_seconds
    while not session.finished:
        clock.tick(rng.uniform(0, 3.0))
        session.update()
        gone = clock.now - start
        if gone < total - 1e-6:
            # the countdown still agrees with a clock that has run from the start
            assert session.view().total_left == math.ceil(total - gone - 1e-6)
    assert session.outcome().elapsed_seconds == pytest.approx(total, abs=1e-6)


def test_next_change_leads_through_every_view_change_and_no_more() -> None:
    clock = FakeClock(0.0)
    pattern = BreathPattern(inhale=5.5, hold=0, exhale=5.5, rest=0)
    session, _ = started(plan_of(Breathe("", 22, pattern=pattern, cycles=2), Say("b", 3.5)), clock)
    views = [session.view()]
    wakes = 0
    while not session.finished:
        when = session.next_change()
        assert when is not None
        # just before the change, nothing has changed yet
        clock.now = when - 1e-4
        session.update()
        assert session.view() == views[-1]
        clock.now = when
        session.update()
        wakes += 1
        views.append(session.view())
        assert views[-1] != views[-2], f"a wake-up with nothing new at {when}"
    # 4 phases of 16 pacer sizes, and the second ticks of the step and of the whole
    assert wakes <= 4 * 16 + 2 * 26 + 4


def test_next_change_is_none_when_only_the_person_can_move_on() -> None:
    session, _ = started(plan_of(Reflect("?", None)), FakeClock())
    assert session.next_change() is None
    assert session.next_event() is None


def test_the_view_numbers_steps_and_counts_down_whole_seconds() -> None:
    clock = FakeClock(0.0)
    session, _ = started(plan_of(Say("a", 2.5), Say("b", None), Say("c", 3)), clock)
    view = session.view()
    assert (view.index, view.total, view.step_left, view.total_left) == (0, 3, 3, 6)
    clock.tick(0.6)
    assert session.view().step_left == 2
    assert session.view().breath is None


durations = st.sampled_from([0.0, 0.25, 1 / 3, 1.0, 2.5, 5.5, 7.0])
step_kinds = st.one_of(
    st.builds(lambda s: Say("say", s), durations),
    st.builds(lambda s: Say("untimed", None), st.none()),
    st.builds(
        lambda i, h, o, r, c: Breathe(
            "", (i + h + o + r) * c, pattern=BreathPattern(i, h, o, r), cycles=c
        ),
        st.sampled_from([1.0, 4.0, 5.5]),
        st.sampled_from([0.0, 1.5]),
        st.sampled_from([1.0, 5.5]),
        st.sampled_from([0.0, 2.0]),
        st.integers(1, 3),
    ),
    st.builds(lambda s, b: Silence("", s, bell_every=b), durations, st.sampled_from([None, 1.0])),
    st.builds(lambda n: Bell("", 0, strikes=n), st.integers(1, 3)),
    st.builds(lambda _: Rate("?", None, key="k"), st.none()),
)
actions = st.lists(
    st.tuples(
        st.floats(0, 4, allow_nan=False),
        st.sampled_from(["update", "pause", "next", "soften", "unsoften", "answer"]),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(step_kinds, min_size=1, max_size=8), actions, st.sampled_from([1.0, 2.0, 10.0]))
def test_any_plan_and_any_keys_keep_the_session_sound(
    steps: list[PlannedStep], presses: list[tuple[float, str]], speed: float
) -> None:
    clock = FakeClock(50.0)
    session, _ = started(plan_of(*steps), clock, speed)
    start = clock.now
    left = session.view().total_left
    # A breath broken into by a pause or softening is begun again: time left grows by that part.
    again = max((s.pattern.seconds for s in steps if isinstance(s, Breathe)), default=0.0)
    for wait, action in presses:
        clock.tick(wait)
        if action == "pause":
            session.toggle_pause()
        elif action == "next":
            session.next_step()
        elif action == "soften":
            session.soften()
        elif action == "unsoften":
            session.unsoften()
        elif action == "answer" and isinstance(session.step, Rate):
            session.answer(3)
        session.update()
        view = session.view()
        assert view.total_left <= left + math.ceil(again)  # time only ever runs down
        left = view.total_left
        change = session.next_change()
        assert change is None or change > clock.now
        assert session.outcome().elapsed_seconds <= clock.now - start + 1e-9
    if session.paused:
        session.toggle_pause()
    session.unsoften()
    while not session.finished:  # let it run out, moving on where it waits
        change = session.next_change()
        if change is None:
            session.next_step()
        else:
            assert change > clock.now
            clock.now = change
        session.update()
    outcome = session.outcome()
    assert outcome.completed
    assert outcome.steps_done == len(steps)


@pytest.mark.parametrize("interrupt", ["pause", "soften"])
def test_breathing_resumes_at_the_start_of_a_breath(interrupt: str) -> None:
    clock = FakeClock(0.0)
    pattern = BreathPattern(inhale=4, hold=0, exhale=6, rest=0)
    session, _ = started(plan_of(Breathe("", 30, pattern=pattern, cycles=3), Say("x", 5.0)), clock)
    clock.now = 17.0  # cycle 2, breathing out
    session.update()
    stop, go = (
        (session.toggle_pause, session.toggle_pause)
        if interrupt == "pause"
        else (session.soften, session.unsoften)
    )
    stop()
    clock.now = 100.0
    go()
    events = session.update()
    breath = session.view().breath
    assert breath is not None
    assert (breath.phase, breath.cycle, breath.fraction, breath.phase_left) == (Phase.IN, 2, 0, 4)
    assert BreathPhase(Phase.IN, 4, 2, 3) in events
    seen = run_to_end(session, clock)
    step_two = [when for when, e in seen if isinstance(e, StepStarted)]
    assert step_two == [100.0 + 20.0]  # the whole of cycles 2 and 3 after coming back
    assert session.outcome().completed


def test_a_prompt_left_open_counts_only_up_to_its_cap() -> None:
    clock = FakeClock(0.0)
    plan = plan_of(Say("a", 10), Reflect("What do you need?", None), Say("b", 10))
    session, _ = started(plan, clock)
    clock.tick(10)
    session.update()
    clock.tick(12 * 60 + 6)  # twelve minutes at the prompt, the kettle boiling
    assert session.outcome().elapsed_seconds == pytest.approx(10 + REFLECT_CAP)
    session.answer("rest")
    clock.tick(10)
    session.update()
    outcome = session.outcome()
    assert outcome.completed
    assert outcome.elapsed_seconds == pytest.approx(10 + REFLECT_CAP + 10)


def test_an_answer_within_the_cap_counts_whole_and_a_pause_not_at_all() -> None:
    clock = FakeClock(0.0)
    plan = plan_of(Rate("How stressed?", None, key="stress"), Say("b", 10))
    session, _ = started(plan, clock)
    clock.tick(20)
    session.toggle_pause()
    clock.tick(600)  # paused: never counted, and it does not use up the cap
    session.toggle_pause()
    clock.tick(UNTIMED_CAP - 30)
    session.answer(4)
    clock.tick(10)
    session.update()
    assert session.outcome().elapsed_seconds == pytest.approx(UNTIMED_CAP - 10 + 10)


def test_quitting_at_an_open_prompt_counts_only_the_cap_and_the_cap_follows_the_speed() -> None:
    clock = FakeClock(0.0)
    plan = plan_of(Say("a", 60), Reflect("?", None), Say("b", 60))
    session, _ = started(plan, clock, speed=10)
    clock.tick(6)
    session.update()
    clock.tick(3600)
    session.quit()
    outcome = session.outcome()
    assert not outcome.completed
    assert outcome.elapsed_seconds == pytest.approx(6 + REFLECT_CAP / 10)


def test_each_kind_of_untimed_step_has_its_cap() -> None:
    items = tuple(SurveyItem(f"item {n}") for n in range(4))
    assert untimed_cap(Survey("How was the week?", None, key="w", items=items)) == 4 * 30
    assert untimed_cap(Reflect("?", None)) == REFLECT_CAP
    assert untimed_cap(Say("read me", None)) == untimed_cap(Quote("q", None)) == UNTIMED_CAP
