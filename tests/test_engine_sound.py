"""The engine's waits for sound: bells that take their strikes' time, steps held for speech."""

from __future__ import annotations

from fakes import FakeClock
from kindful.practice.plan.planner import Bell, Plan, PlannedStep, Reflect, Say, Silence
from kindful.session.engine import BellRung, Finished, Session, StepStarted


def plan_of(*steps: PlannedStep) -> Plan:
    return Plan(practice="test", title="Test", lang="en", steps=tuple(steps))


def times(session: Session, clock: FakeClock) -> list[tuple[float, object]]:
    seen = [(clock.now, e) for e in session.start()]
    while not session.finished:
        when = session.next_event()
        assert when is not None
        clock.now = when
        seen += [(clock.now, e) for e in session.update()]
    return seen


def test_a_bell_step_lasts_its_strikes_when_given_a_gap() -> None:
    clock = FakeClock(0.0)
    session = Session(plan_of(Bell("", None, strikes=3), Say("a", 10.0)), clock, bell_gap=1.5)
    seen = times(session, clock)
    assert (0.0, BellRung(3)) in seen
    starts = [(at, e.index) for at, e in seen if isinstance(e, StepStarted)]
    assert starts == [(0.0, 0), (4.5, 1)]
    assert seen[-1] == (14.5, Finished(True))
    assert session.outcome().elapsed_seconds == 14.5


def test_without_a_gap_a_bell_takes_no_time() -> None:
    clock = FakeClock(0.0)
    seen = times(Session(plan_of(Bell("", None, strikes=2), Say("a", 5.0)), clock), clock)
    assert seen[-1] == (5.0, Finished(True))


def test_the_closing_bell_rings_out_before_the_end() -> None:
    clock = FakeClock(0.0)
    session = Session(plan_of(Say("a", 5.0), Bell("", None, strikes=2)), clock, bell_gap=1.5)
    assert times(session, clock)[-1] == (8.0, Finished(True))


def test_a_held_step_ends_when_its_speech_does_and_later_steps_follow() -> None:
    clock = FakeClock(0.0)
    session = Session(plan_of(Say("a", 5.0), Silence("", 10.0)), clock)
    session.start()
    session.hold(7.5)  # the speech is 7.5 s long: longer than its 5 s step
    assert session.next_event() == 7.5
    clock.now = 7.5
    assert [type(e) for e in session.update()] == [StepStarted]
    assert session.next_event() == 17.5
    session.hold(3.0)  # a hold shorter than the step changes nothing
    assert session.next_event() == 17.5


def test_a_hold_waits_out_a_pause_too() -> None:
    clock = FakeClock(0.0)
    session = Session(plan_of(Say("a", 5.0), Say("b", 5.0)), clock)
    session.start()
    clock.now = 2.0
    session.toggle_pause()
    clock.now = 12.0
    session.hold(12.0 + 6.0)  # six seconds of speech left, said while paused
    clock.now = 20.0
    session.toggle_pause()  # resumed after 18 s paused
    assert session.next_event() == 20.0 + 6.0


def test_steps_that_wait_for_the_person_are_not_held() -> None:
    clock = FakeClock(0.0)
    session = Session(plan_of(Reflect("why?", None)), clock)
    session.start()
    session.hold(100.0)
    assert session.next_event() is None
