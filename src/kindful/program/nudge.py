"""A gentle nudge from the shell: one quiet line a day, only while nothing was practised today.

After each session kindful writes the day it was practised to ``KINDFUL_HOME/.last-practice``.
The snippet ``kindful shell-init`` prints compares that day with today's using shell builtins
only (no Python, no program started in bash and zsh), at most once per shell per day, and marks
``.nudged`` when it has spoken, so a second terminal stays quiet too.
"""

from __future__ import annotations

import os
from pathlib import Path

LAST_PRACTICE = ".last-practice"
NUDGED = ".nudged"
SHELLS = ("bash", "zsh", "fish")
DAY = 10  # characters of YYYY-MM-DD: all a state file is read for

# What the snippet trusts of the data folder: nothing but a regular file's first ten
# characters (bash reads up to a NUL, which it would otherwise skip through the whole file). A FIFO or a device there (which would hold the prompt for ever) is not read, a
# link is not written through, and a file grown large costs no more than a small one.
_BASH = """\
# kindful: one quiet line a day while nothing was practised yet (kindful shell-init bash)
__kindful_nudge() {
  local today seen file home=@HOME@
  [[ -n ${KINDFUL_HOME-} ]] && home=$KINDFUL_HOME
  printf -v today '%(%Y-%m-%d)T' -1
  [[ ${__kindful_day-} == "$today" ]] && return 0
  __kindful_day=$today
  for file in "$home/@LAST@" "$home/@NUDGED@"; do
    seen=
    [[ -f $file && -r $file ]] && read -r -d '' -n @DAY@ seen < "$file"
    [[ $seen == "$today" ]] && return 0
  done
  file=$home/@NUDGED@
  if [[ ! -L $file && ( -f $file || ! -e $file ) ]]; then
    { printf '%s\\n' "$today" >| "$file"; } 2>/dev/null
  fi
  printf '%s\\n' @LINE@
}
case ";${PROMPT_COMMAND-};" in
  *";__kindful_nudge;"*) ;;
  *) PROMPT_COMMAND="__kindful_nudge${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
"""

_ZSH = """\
# kindful: one quiet line a day while nothing was practised yet (kindful shell-init zsh)
__kindful_nudge() {
  local today=${(%):-%D{%Y-%m-%d}} seen file home=@HOME@
  [[ -n ${KINDFUL_HOME-} ]] && home=$KINDFUL_HOME
  [[ ${__kindful_day-} == "$today" ]] && return 0
  __kindful_day=$today
  for file in "$home/@LAST@" "$home/@NUDGED@"; do
    seen=
    [[ -f $file && -r $file ]] && read -r -u 0 -k @DAY@ seen < "$file"
    [[ $seen == "$today" ]] && return 0
  done
  file=$home/@NUDGED@
  if [[ ! -L $file && ( -f $file || ! -e $file ) ]]; then
    { print -r -- "$today" >| "$file"; } 2>/dev/null
  fi
  print -r -- @LINE@
}
autoload -Uz add-zsh-hook && add-zsh-hook precmd __kindful_nudge
"""

# fish has no builtin for the date: it asks `date` once per prompt (about a millisecond).
_FISH = """\
# kindful: one quiet line a day while nothing was practised yet (kindful shell-init fish)
function __kindful_nudge --on-event fish_prompt
  set -l today (date +%Y-%m-%d)
  test "$__kindful_day" = "$today"; and return 0
  set -g __kindful_day $today
  set -l home @HOME@
  set -q KINDFUL_HOME; and test -n "$KINDFUL_HOME"; and set home $KINDFUL_HOME
  for file in $home/@LAST@ $home/@NUDGED@
    set -l seen
    test -f $file; and test -r $file; and read -l -n @DAY@ seen < $file
    test "$seen" = "$today"; and return 0
  end
  set -l file $home/@NUDGED@
  if not test -L $file; and begin; test -f $file; or not test -e $file; end
    begin; echo $today > $file; end 2>/dev/null
  end
  echo @LINE@
end
"""

_TEMPLATES = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}


def posix_quote(value: str) -> str:
    """Give ``value`` as one word for bash and zsh: ``$'...'``, every control escaped.

    ANSI-C quoting reads the same in both shells, whatever their options; a newline, any other
    control and a byte that is not UTF-8 (a path's ``surrogateescape``) are written as ``\\xHH``.
    """
    out = []
    for char in value:
        if char in "\\'":
            out.append("\\" + char)
        elif char.isprintable() and not "\ud800" <= char <= "\udfff":
            out.append(char)
        else:
            out += [f"\\x{byte:02x}" for byte in os.fsencode(char)]
    return "$'" + "".join(out) + "'"


def fish_quote(value: str) -> str:
    """Give ``value`` as one word for fish: in single quotes, where only ``\\`` and ``\'`` escape."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def snippet(shell: str, home: Path, line: str) -> str:
    """Give the start-up snippet for ``shell``; ``home`` is the default data folder."""
    quote = fish_quote if shell == "fish" else posix_quote
    # Plain replacement, not str.format: shell code is full of braces.
    text = _TEMPLATES[shell]
    for token, value in (
        ("@HOME@", quote(str(home))),
        ("@LAST@", LAST_PRACTICE),
        ("@NUDGED@", NUDGED),
        ("@DAY@", str(DAY)),
        ("@LINE@", quote(line)),
    ):
        text = text.replace(token, value)
    return text


def mark_practised(home: Path, day: str) -> None:
    """Write ``day`` (``YYYY-MM-DD``) as the last day practised, for the snippet to compare."""
    import contextlib

    from kindful import atomic

    # Only the nudge would be wrong, and it is never more than one line.
    with contextlib.suppress(OSError):
        atomic.write_text(home / LAST_PRACTICE, day + "\n")
