"""SIGTERM and SIGHUP unwind a run like Ctrl-C, once, and leave the handlers as they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from kindful.exit_status import ExitStatus
from kindful.session.signals import Stopped, stop_on_signals, stop_status


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, ExitStatus.SIGTERM), (signal.SIGHUP, ExitStatus.SIGHUP)]
)
def test_a_signal_raises_stopped_with_its_status(signum: int, status: ExitStatus) -> None:
    with pytest.raises(Stopped) as caught, stop_on_signals():
        os.kill(os.getpid(), signum)
    assert caught.value.status == status
    assert stop_status(caught.value) == status


def test_ctrl_c_is_130() -> None:
    with pytest.raises(KeyboardInterrupt) as caught, stop_on_signals():
        os.kill(os.getpid(), signal.SIGINT)
    assert stop_status(caught.value) == ExitStatus.INTERRUPTED


def test_a_second_signal_does_not_cut_the_cleanup_short() -> None:
    cleaned = False
    with stop_on_signals():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        except Stopped:
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)
            cleaned = True
    assert cleaned


def test_the_handlers_before_come_back() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    with stop_on_signals():
        assert signal.getsignal(signal.SIGTERM) is not before[signal.SIGTERM]
    assert {s: signal.getsignal(s) for s in before} == before


def test_an_ignored_signal_stays_ignored() -> None:
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with stop_on_signals():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGHUP)  # nothing happens, as under nohup
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_after_hold_a_stop_is_noted_not_raised() -> None:
    with stop_on_signals() as guard:
        guard.hold()
        signal.raise_signal(signal.SIGTERM)  # would raise Stopped without hold
        assert guard.status == ExitStatus.SIGTERM
        signal.raise_signal(signal.SIGINT)
        assert guard.status == ExitStatus.SIGTERM  # the first one counts


HELD = """
import os, signal, sys, threading, time
from kindful.platforms import leave_stops_to_main_thread, stops_held
from kindful.session.signals import Stopped, stop_on_signals

started = threading.Event()
finish = threading.Event()

send = threading.Event()
sent = threading.Event()

def worker():  # sends the stop, as a terminal that closes sends it to the process
    if sys.argv[1] == "held":
        leave_stops_to_main_thread()
    started.set()
    send.wait()
    os.kill(os.getpid(), signal.SIGTERM)
    sent.set()
    finish.wait()

thread = threading.Thread(target=worker)
thread.start()
started.wait()
lost = []
outcome = "not stopped"
try:
    with stop_on_signals():
        with stops_held():
            try:  # foreign code that drops what is raised in it, as cffi does in a callback
                send.set()
                while not sent.is_set():  # where the interpreter would run a handler
                    pass
                deadline = time.monotonic() + 0.1
                while time.monotonic() < deadline:  # and some more, once it was sent
                    pass
            except BaseException as error:
                lost.append(error)
        outcome = "not stopped after the block"
except Stopped:
    outcome = "stopped after the block"
finish.set()
thread.join()
print(outcome, "lost" if lost else "kept")
"""


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="needs signal masks")
def test_a_stop_held_during_foreign_code_is_taken_when_it_is_done() -> None:
    # In a process of its own: which threads hold a signal back decides where it goes.
    done = subprocess.run(
        [sys.executable, "-c", HELD, "held"], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "stopped after the block kept", done.stderr


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="needs signal masks")
def test_a_thread_that_does_not_leave_stops_to_the_main_thread_lets_them_through() -> None:
    # The reason kindful's own threads hold stops back: otherwise the hold leaks.
    done = subprocess.run(
        [sys.executable, "-c", HELD, "open"], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip().endswith("lost"), done.stderr


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="needs signal masks")
def test_the_voice_worker_leaves_stops_to_the_main_thread() -> None:
    from fakes import FakeClock
    from kindful.practice.plan.planner import Plan, Say
    from kindful.session.engine import Session
    from kindful.session.sounding import Guide, Hearing
    from sound_fakes import FakeVoice, RecordingSink

    clock = FakeClock()
    session = Session(Plan("p", "P", "en", (Say("Rest.", 1.0),)), clock)
    guide = Guide(
        session,
        RecordingSink(clock),
        Hearing(voice=FakeVoice()),
        lang="en",
        clock=clock,
        tell=print,
    )
    assert guide._pool is not None
    try:
        held = guide._pool.submit(signal.pthread_sigmask, signal.SIG_BLOCK, []).result()
    finally:
        guide.close()
    assert {signal.SIGINT, signal.SIGTERM, signal.SIGHUP} <= held


def test_a_stop_whose_raise_was_lost_is_raised_again_at_the_check() -> None:
    import contextlib

    from kindful.session.signals import stop_check

    stop_check()  # outside a run: nothing to check
    with pytest.raises(Stopped), stop_on_signals():
        with contextlib.suppress(BaseException):  # a finaliser, a callback from C
            os.kill(os.getpid(), signal.SIGTERM)
        stop_check()
    with stop_on_signals() as guard:
        with contextlib.suppress(BaseException):
            os.kill(os.getpid(), signal.SIGTERM)
        guard.hold()  # the record is being written: nothing is raised again
        stop_check()
    stop_check()  # the block is over: its stop is gone with it
