"""Sealed reflections: the answers to ``reflect`` steps, readable with the person's key alone.

The cryptography is age's, through pyrage; none is written here. A record's reflections are
sealed to the public key in the setting ``reflections_to`` (X25519) as an ASCII-armored age
file holding their JSON list; the record keeps ``"reflections": []`` and every other field
plain, so that stats need no key. The private key is kept as age keeps one (the lines that
``age-keygen`` writes), itself sealed with a passphrase (age's scrypt), so both the standard
``age`` command and kindful can open a sealed record. Lose the key or its passphrase, and the
reflections are lost: nothing here can open them without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kindful.errors import KindfulError
from kindful.journal.line import Record

if TYPE_CHECKING:
    from pyrage import x25519

    from kindful.journal.record import Reflection, SessionRecord

SEALED = "reflections_sealed"
ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
SECRET_PREFIX = "AGE-SECRET-KEY-1"
KEY_FILE_MOST = 64 * 1024  # a key file is well under a kilobyte; more is not one


class WrongPassphrase(KindfulError):
    """The passphrase does not open the key file."""


class SealError(KindfulError):
    """A key or a recipient that age does not take."""


@dataclass(frozen=True)
class NewKey:
    """A new key pair: the public key, and the key file (the private key, passphrase-sealed)."""

    public: str
    key_file: bytes


def new_key(passphrase: str, now: datetime | None = None) -> NewKey:
    """Give a new X25519 key pair, its private key sealed with ``passphrase`` (age's scrypt)."""
    from pyrage import passphrase as with_passphrase
    from pyrage import x25519

    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    created = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    # The lines age-keygen writes, so that `age -d -i FILE` takes the file as it is.
    lines = f"# created: {created}\n# public key: {public}\n{identity}\n"
    sealed = with_passphrase.encrypt(lines.encode("ascii"), passphrase, armored=True)
    return NewKey(public, sealed)


def check_recipient(recipient: str) -> None:
    """Raise ``SealError`` unless age takes ``recipient`` as a public key."""
    from pyrage import RecipientError, x25519

    try:
        x25519.Recipient.from_str(recipient)
    except RecipientError as error:
        raise SealError(f"'reflections_to' is not an age public key ({error})") from None


def seal(reflections: Iterable[Reflection | dict[str, str]], recipient: str) -> str:
    """Give the reflections as an ASCII-armored age file sealed to ``recipient``."""
    import pyrage
    from pyrage import x25519

    items = [
        r if isinstance(r, dict) else {"prompt": r.prompt, "text": r.text} for r in reflections
    ]
    data = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        to = x25519.Recipient.from_str(recipient)
    except pyrage.RecipientError as error:
        raise SealError(f"'reflections_to' is not an age public key ({error})") from None
    return pyrage.encrypt(data, [to], armored=True).decode("ascii")


def sealed_record(record: SessionRecord, recipient: str) -> SessionRecord:
    """Give the record with its reflections sealed to ``recipient``; as it is when it has none."""
    if not record.reflections:
        return record
    return replace(record, reflections=[], reflections_sealed=seal(record.reflections, recipient))


class Key:
    """A private key, opened with its passphrase: opens sealed reflections."""

    def __init__(self, identity: x25519.Identity) -> None:
        self._identity = identity

    @classmethod
    def unlock(cls, key_file: bytes, passphrase: str) -> Key:
        """Give the key in ``key_file`` opened with ``passphrase``.

        Raises ``WrongPassphrase`` when the passphrase does not open it, ``SealError`` when
        the file holds no age key.
        """
        from pyrage import DecryptError, IdentityError, x25519
        from pyrage import passphrase as with_passphrase

        try:
            lines = with_passphrase.decrypt(key_file, passphrase).decode("ascii", "replace")
        except DecryptError as error:
            if "Decryption failed" in str(error):
                raise WrongPassphrase("the passphrase does not open the key") from None
            raise SealError(f"the key file is not a sealed age key ({error})") from None
        found = [line.strip() for line in lines.splitlines() if line.startswith(SECRET_PREFIX)]
        if len(found) != 1:
            raise SealError("the key file holds no age key")
        try:
            return cls(x25519.Identity.from_str(found[0]))
        except IdentityError:
            raise SealError("the key file holds no age key") from None

    def open(self, sealed: object) -> list[dict[str, str]] | None:
        """Give the reflections sealed in ``sealed``; ``None`` when this key cannot open them."""
        import pyrage

        if not isinstance(sealed, str):
            return None
        try:
            data = pyrage.decrypt(sealed.encode("ascii"), [self._identity])
            items = json.loads(data.decode("utf-8"))
        except (pyrage.DecryptError, UnicodeError, ValueError):
            return None
        if type(items) is not list or not all(_is_reflection(item) for item in items):
            return None
        return items


def _is_reflection(item: object) -> bool:
    return (
        type(item) is dict
        and type(item.get("prompt")) is str
        and type(item.get("text")) is str
        and len(item) == 2
    )


def is_sealed(record: Record) -> bool:
    """Tell whether a record read from the log holds sealed reflections."""
    return SEALED in record


@dataclass
class Opening:
    """Opens the sealed reflections of records as they pass, counting those it could not."""

    key: Key | None
    unopened: int = 0

    def opened(self, record: Record) -> Record:
        """Give the record with its sealed reflections opened and ``reflections_sealed`` gone.

        Without a key, or with one that does not open them, the record is given as it is.
        """
        if SEALED not in record:
            return record
        items = self.key.open(record[SEALED]) if self.key is not None else None
        if items is None:
            self.unopened += 1
            return record
        opened = {k: v for k, v in record.items() if k != SEALED}
        opened["reflections"] = [*record["reflections"], *items]
        return opened

    def each(self, records: Iterable[Record]) -> Iterator[Record]:
        """Give each record opened (see ``opened``)."""
        for record in records:
            yield self.opened(record)


def without_reflections(record: Record) -> Record:
    """Give the record without its reflections, plain or sealed."""
    return {k: v for k, v in record.items() if k not in ("reflections", SEALED)}


def seal_old(folder: Path, recipient: str) -> int:
    """Seal the plain reflections already in the log in ``folder``; give how many records.

    Through ``forget``'s rewrite: under the append lock, to a new file renamed over the old
    one, every line that needs nothing kept byte for byte.
    """
    from kindful.journal.forget import rewrite

    check_recipient(recipient)

    def change(line: bytes) -> bytes:
        sealed = seal_line(line, recipient)
        return line if sealed is None else sealed

    return rewrite(folder, needs_sealing, change)


def needs_sealing(line: bytes) -> bool:
    """Tell whether a log line is a record with plain reflections and none sealed."""
    from kindful.journal.reader import parse_record

    if b'"reflections"' not in line:
        return False
    record = parse_record(line[:-1] if line.endswith(b"\n") else line)
    return record is not None and SEALED not in record and bool(record["reflections"])


def seal_line(line: bytes, recipient: str) -> bytes | None:
    """Give a log line with its plain reflections sealed, every other byte of it kept.

    ``None`` when the line needs nothing: not a record, no reflections, or sealed already.
    Only the value of ``"reflections"`` changes (to ``[]``), and ``"reflections_sealed"``
    follows it.
    """
    from kindful.journal.reader import parse_record

    end = len(line) - 1 if line.endswith(b"\n") else len(line)
    record = parse_record(line[:end])
    if record is None or SEALED in record or not record["reflections"]:
        return None
    text = line[:end].decode("utf-8")
    span = _value_span(text, "reflections")
    if span is None:
        return None
    armored = json.dumps(seal(record["reflections"], recipient))
    start, stop = span
    sealed = f'{text[:start]}[],"{SEALED}":{armored}{text[stop:]}'
    return sealed.encode("utf-8") + line[end:]


_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def _value_span(text: str, wanted: str) -> tuple[int, int] | None:
    """Give where the value of the top-level key ``wanted`` is in a JSON object (its last one)."""
    found: tuple[int, int] | None = None
    at = _skip(text, 0)
    if text[at : at + 1] != "{":
        return None
    at = _skip(text, at + 1)
    while text[at : at + 1] == '"':
        key, at = _DECODER.raw_decode(text, at)
        at = _skip(text, at)
        if text[at : at + 1] != ":":
            return None
        at = _skip(text, at + 1)
        _, end = _DECODER.raw_decode(text, at)
        if key == wanted:
            found = (at, end)
        at = _skip(text, end)
        if text[at : at + 1] == ",":
            at = _skip(text, at + 1)
    return found


def _skip(text: str, at: int) -> int:
    """Give where the next character that is not JSON's white space is, from ``at``."""
    while at < len(text) and text[at] in _SPACE:
        at += 1
    return at


def count_sealed(records: Iterable[Record]) -> int:
    """Give how many of the records hold sealed reflections."""
    return sum(1 for record in records if SEALED in record)
