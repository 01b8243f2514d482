"""The passphrase of the reflections key: asked once on a terminal, or read from a descriptor.

A script gives it with ``--passphrase-fd N`` (the first line read from descriptor N, as gpg's
option of that name does), so that it never shows in a command line or an environment.
Without a terminal and without the option, nothing is asked and sealed reflections stay sealed.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import typer

from kindful.safe_text import say

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kindful.journal.record import Record
    from kindful.journal.sealing import Key, Opening

FD_HELP = "Read the passphrase of the reflections key from this file descriptor (for scripts)."
MOST = 4096  # a passphrase is a line; more is not one


def option() -> int | None:
    """Give the ``--passphrase-fd`` option, the same on every command that takes it."""
    return typer.Option(None, "--passphrase-fd", metavar="N", min=0, help=FD_HELP)  # type: ignore[no-any-return]


def ask(fd: int | None, lang: str, *, twice: bool = False) -> str | None:
    """Give the passphrase: from descriptor ``fd``, else asked on the terminal.

    ``None`` when there is neither. ``twice``: a new one, asked again to be sure. Raises
    ``UsageError`` for a descriptor that cannot be read, ``KindfulError`` for an empty
    passphrase or two that differ.
    """
    from kindful.errors import KindfulError
    from kindful.i18n import t

    if fd is not None:
        passphrase = _from_fd(fd, lang)
    elif sys.stdin.isatty():
        import getpass

        passphrase = getpass.getpass(t(lang, "key.passphrase"))  # on the terminal, unechoed
        if twice and passphrase and getpass.getpass(t(lang, "key.passphrase_again")) != passphrase:
            raise KindfulError(t(lang, "key.passphrase_differs"))
    else:
        return None
    if not passphrase:
        raise KindfulError(t(lang, "key.passphrase_empty"))
    return passphrase


def _from_fd(fd: int, lang: str) -> str:
    from kindful.errors import UsageError
    from kindful.i18n import t

    data = b""
    try:
        while b"\n" not in data and len(data) < MOST:
            more = os.read(fd, MOST - len(data))
            if not more:
                break
            data += more
    except OSError:
        raise UsageError(t(lang, "key.bad_fd", fd=fd)) from None
    line = data.split(b"\n", 1)[0].removesuffix(b"\r")
    return line.decode("utf-8", "replace")


def opening(records: Iterable[Record], fd: int | None, lang: str) -> Opening:
    """Give what opens the sealed reflections among ``records``: the key, unlocked once.

    The passphrase is asked only when it can be (a terminal, or ``fd``), the key file is
    there and one of the records is sealed (``records`` is read only then, and only up to the
    first sealed one); otherwise the opening has no key and counts what it could not open. A
    wrong passphrase raises ``KindfulError`` (one line).
    """
    from kindful.journal.sealing import Opening, is_sealed
    from kindful.paths import key_path

    if fd is None and not sys.stdin.isatty():
        return Opening(None)
    if not key_path().exists() or not any(is_sealed(r) for r in records):
        return Opening(None)
    return Opening(unlock(fd, lang))


def unlock(fd: int | None, lang: str) -> Key | None:
    """Give the reflections key opened with its passphrase; ``None`` with no key or no asking."""
    from kindful.errors import KindfulError
    from kindful.files import read_regular
    from kindful.i18n import t
    from kindful.journal.sealing import KEY_FILE_MOST, Key, WrongPassphrase
    from kindful.paths import key_path

    path = key_path()
    try:
        key_file = read_regular(path, KEY_FILE_MOST)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise KindfulError(f"cannot read the key: {error.strerror}", path=path) from None
    passphrase = ask(fd, lang)
    if passphrase is None:
        return None
    try:
        return Key.unlock(key_file, passphrase)
    except WrongPassphrase:
        raise KindfulError(t(lang, "key.wrong_passphrase")) from None


def say_unopened(opening: Opening, lang: str) -> None:
    """Say on stderr, in one line, how many sessions kept their reflections sealed, and why."""
    from kindful.i18n import tn
    from kindful.paths import key_path

    count = opening.unopened
    if not count:
        return
    if opening.key is not None:
        line = tn(lang, "sealed.unopened", count, count=count)
    elif not key_path().exists():
        line = tn(lang, "sealed.no_key", count, count=count, path=key_path())
    else:
        line = tn(lang, "sealed.closed", count, count=count)
    say(f"kindful: {line}", err=True)
