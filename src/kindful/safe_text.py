"""Text from anyone, made safe to show: nothing a terminal would obey, nothing read as markup.

A practice file may not hold control characters (``forbidden`` finds them for the loader);
whatever else reaches the screen (the log, a typed answer, an ``--input`` value, a file name)
goes through ``visible``, which writes each control character as the escape a programmer would
type (``\\x1b``, ``\\u202e``), and is handed to rich as a plain ``Text`` (``text``), never as
markup. Only the standard library loads with this module; rich loads when ``text`` is called.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.text import Text

# C0 and C1 controls and DEL, the bidirectional overrides, embeddings, isolates and marks, the
# line and paragraph separators, and lone surrogates (which no terminal encoding can write).
_OTHERS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_ANY = re.compile(f"[\x00-\x1f{_OTHERS}]")
_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_OTHERS}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves raw: everything above but the C0 controls.
_JSON_RAW = re.compile(f"[{_OTHERS}]")
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def forbidden(text: str) -> int | None:
    """Give the index of the first control character other than newline in ``text``, if any."""
    match = _BUT_NEWLINE.search(text)
    return None if match is None else match.start()


def visible(text: str, *, newlines: bool = True) -> str:
    """Give ``text`` with each control character written out as an escape such as ``\\x1b``.

    Newlines stay as they are unless ``newlines`` is false (for a one-line cell).
    """
    return (_BUT_NEWLINE if newlines else _ANY).sub(_escape, text)


def text(value: str, style: str = "", *, newlines: bool = True) -> Text:
    """Give ``value`` as a rich ``Text``: shown as written, never read as markup."""
    from rich.text import Text

    return Text(visible(value, newlines=newlines), style=style)


ECHOED = 40  # characters of a value a person typed that a message repeats


def echoed(value: str, limit: int = ECHOED) -> str:
    """Give a value a person gave (an option, a name) as a message repeats it: on one line,
    controls made visible, and cut to ``limit`` characters with an ellipsis."""
    shown = visible(value, newlines=False)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def clean(value: str) -> str:
    """Give ``value`` with lone surrogates (bytes that were not UTF-8) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


def json_safe(dumped: str) -> str:
    """Give JSON text with the controls it left raw written as ``\\uXXXX``: the same data.

    ``json.dumps`` escapes the C0 controls, but with ``ensure_ascii=False`` leaves C1 controls,
    bidi overrides and line separators raw; they can only stand inside strings, where the
    escape means the same character.
    """
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group(0)):04x}", dumped)


def csv_cell(value: str) -> str:
    """Give a CSV cell that a spreadsheet shows as text: visible controls, no formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a ``'`` in
    front (OWASP's advice against CSV injection); controls other than newline are written out.
    """
    if value.startswith(_CSV_FORMULA):
        value = "'" + value
    return visible(value)


# ----------------------------------------------------------------------------- the one way out
#
# Every command writes to the terminal through these: a line (``say``), JSON (``say_json``), a
# rich renderable (``console().print``). Each makes controls visible and writes only what the
# terminal's encoding can hold (anything else as "?"), so that a value from a file, the log or
# an option can neither steer the terminal nor crash an ASCII or Latin-1 one.
# ``tests/hostile/test_output.py`` fails when a command module writes any other way.


def say(line: object = "", *, err: bool = False, end: str = "\n", flush: bool = False) -> None:
    """Write ``line`` (made visible) and ``end`` to stdout, or to stderr with ``err``."""
    import sys

    stream = sys.stderr if err else sys.stdout
    if err:  # what was said before on stdout comes first
        before = getattr(sys.stdout, "flush", None)
        if before is not None:
            before()
    stream.write(encodable(visible(str(line)) + end, stream))
    if err or flush:
        stream.flush()


def forgiving_streams() -> None:
    """Let a character the terminal's encoding lacks become ``?`` rather than end a session.

    For what writes to the streams itself (the live screen, the plain runner). A day of
    several practices comes here again once stdin has been read, and a text stream refuses a
    new error handler after its first read: one already forgiving is left as it is.
    """
    import contextlib
    import io
    import sys

    for stream in (sys.stdin, sys.stdout):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or getattr(stream, "errors", None) == "replace":
            continue
        with contextlib.suppress(io.UnsupportedOperation):
            reconfigure(errors="replace")


def say_json(value: object) -> None:
    """Write ``value`` to stdout as indented JSON: non-ASCII kept, controls as ``\\uXXXX``."""
    import json
    import sys

    text = json_safe(json.dumps(value, ensure_ascii=False, indent=2)) + "\n"
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show it all gets all of it as escapes
        sys.stdout.write(json.dumps(value, ensure_ascii=True, indent=2) + "\n")


def encodable(value: str, stream: object) -> str:
    """Give ``value`` with what the encoding of ``stream`` cannot write replaced by ``?``."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        value.encode(encoding)
    except UnicodeEncodeError:
        return value.encode(encoding, "replace").decode(encoding)
    except LookupError:
        pass
    return value


def console(*, stderr: bool = False, **options: object) -> Any:
    """Give a rich ``Console`` whose every printed segment is made visible and encodable.

    It reads no markup and highlights nothing; ``options`` go to rich as they are.
    """
    from rich.console import Console
    from rich.segment import Segment

    class _SafeConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Any:
            for segment in super().render(renderable, options):
                if segment.control or not segment.text:
                    yield segment
                else:
                    text = encodable(visible(segment.text), self.file)
                    yield Segment(text, segment.style, segment.control)

    settings: dict[str, Any] = {"highlight": False, "markup": False, "emoji": False}
    settings.update(options)
    return _SafeConsole(stderr=stderr, **settings)
