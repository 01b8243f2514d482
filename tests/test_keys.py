"""Key bytes as a terminal sends them, turned into the keys a live session reacts to."""

from __future__ import annotations

import os
import signal

import pytest

from kindful.session.keys import Key, TerminalKeys, parse


@pytest.mark.parametrize(
    ("data", "keys"),
    [
        (b" ", [Key.SPACE]),
        (b"n", [Key.NEXT]),
        (b"N", [Key.NEXT]),
        (b"s", [Key.SOFTEN]),
        (b"q", [Key.QUIT]),
        (b"Q", [Key.QUIT]),
        (b"\r", [Key.ENTER]),
        (b"\n", [Key.ENTER]),
        (b"\x03", [Key.INTERRUPT]),
        (b"\x1b[C", [Key.RIGHT]),
        (b"\x1bOC", [Key.RIGHT]),  # the arrow in application cursor mode
        (b"x", [Key.OTHER]),
        (b"", []),
    ],
)
def test_single_keys(data: bytes, keys: list[Key]) -> None:
    assert parse(data) == (keys, b"")


def test_several_keys_in_one_read() -> None:
    assert parse(b" n\x1b[Cq") == ([Key.SPACE, Key.NEXT, Key.RIGHT, Key.QUIT], b"")


@pytest.mark.parametrize(
    "seq",
    [b"\x1b[D", b"\x1b[A", b"\x1b[B", b"\x1b[1;5C", b"\x1b[15~", b"\x1bOP", b"\x1bx"],
)
def test_other_sequences_are_one_other_key(seq: bytes) -> None:
    assert parse(seq + b"n") == ([Key.OTHER, Key.NEXT], b"")


def test_a_cut_short_sequence_waits_for_the_rest() -> None:
    assert parse(b"n\x1b[", final=False) == ([Key.NEXT], b"\x1b[")
    assert parse(b"\x1b", final=False) == ([], b"\x1b")
    assert parse(b"\x1b[" + b"C", final=False) == ([Key.RIGHT], b"")


def test_a_lone_escape_at_the_end_is_the_escape_key() -> None:
    assert parse(b"\x1b") == ([Key.ESCAPE], b"")
    assert parse(b"\x1b[1;") == ([Key.OTHER], b"")


def test_characters_beyond_ascii_count_once() -> None:
    assert parse("äß n".encode()) == ([Key.OTHER, Key.OTHER, Key.SPACE, Key.NEXT], b"")


def test_terminal_keys_read_from_a_pipe() -> None:
    r, w = os.pipe()
    try:
        with TerminalKeys(r) as keys:
            assert keys.read(0) == []
            os.write(w, b" \x1b[")
            assert keys.read(0) == [Key.SPACE]  # the arrow is not complete yet
            os.write(w, b"C")
            assert keys.read(0) == [Key.RIGHT]
            os.write(w, b"\x1b")
            assert keys.read(0) == []
            assert keys.read(0) == [Key.ESCAPE]  # nothing more came: a lone Escape
    finally:
        os.close(r)
        os.close(w)


def test_terminal_keys_end_of_input_quits() -> None:
    r, w = os.pipe()
    os.close(w)
    try:
        with TerminalKeys(r) as keys:
            assert keys.read(0) == [Key.QUIT]
    finally:
        os.close(r)


@pytest.mark.skipif(not hasattr(signal, "SIGWINCH"), reason="no SIGWINCH here")
def test_terminal_keys_notice_a_resize() -> None:
    r, w = os.pipe()
    try:
        before = signal.getsignal(signal.SIGWINCH)
        with TerminalKeys(r) as keys:
            os.kill(os.getpid(), signal.SIGWINCH)
            assert keys.read(1.0) == [Key.RESIZE]
            assert keys.read(0) == []
        assert signal.getsignal(signal.SIGWINCH) == before
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.skipif(not hasattr(signal, "SIGTSTP"), reason="no SIGTSTP here")
def test_terminal_keys_turn_ctrl_z_into_a_suspend() -> None:
    r, w = os.pipe()
    try:
        with TerminalKeys(r) as keys:
            os.kill(os.getpid(), signal.SIGTSTP)
            assert keys.read(1.0) == [Key.SUSPEND]
            with keys.stop_allowed():
                assert signal.getsignal(signal.SIGTSTP) == signal.SIG_DFL
            assert signal.getsignal(signal.SIGTSTP) != signal.SIG_DFL
    finally:
        os.close(r)
        os.close(w)
