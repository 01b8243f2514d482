"""Asking a person yes or no before kindful does something that cannot be undone."""

from __future__ import annotations


def confirmed(question: str, lang: str, *, err: bool = False) -> bool:
    """Ask ``question`` on stdout (stderr with ``err``), read one line from stdin; tell whether
    it was yes.

    An empty line or the end of input is no.
    """
    import sys

    from kindful.i18n import t
    from kindful.safe_text import say

    say(f"{question} [{t(lang, 'forget.yes_no')}] ", err=err, end="", flush=True)
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        say(err=err)
    return answer.strip().lower() in t(lang, "forget.yes_words").split()
