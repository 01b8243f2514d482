"""Asking a person yes or no before kindful does something that cannot be undone."""

from __future__ import annotations

from typing import TextIO


def confirmed(question: str, lang: str, out: TextIO | None = None) -> bool:
    """Ask ``question`` on ``out`` (stdout), read one line from stdin; tell whether it was yes.

    An empty line or the end of input is no.
    """
    import sys

    from kindful.i18n import t

    out = out or sys.stdout
    out.write(f"{question} [{t(lang, 'forget.yes_no')}] ")
    out.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        out.write("\n")
    return answer.strip().lower() in t(lang, "forget.yes_words").split()
