"""A gentle nudge from the shell: one quiet line a day, only while nothing was practised today.

After each session kindful writes the day it was practised to ``KINDFUL_HOME/.last-practice``.
The snippet ``kindful shell-init`` prints compares that day with today's using shell builtins
only (no Python, no program started in bash and zsh), at most once per shell per day, and marks
``.nudged`` when it has spoken, so a second terminal stays quiet too.
"""

from __future__ import annotations

import shlex
from pathlib import Path

LAST_PRACTICE = ".last-practice"
NUDGED = ".nudged"
SHELLS = ("bash", "zsh", "fish")

_BASH = """\
# kindful: one quiet line a day while nothing was practised yet (kindful shell-init bash)
__kindful_nudge() {
  local today seen home="${KINDFUL_HOME:-@HOME@}"
  printf -v today '%(%Y-%m-%d)T' -1
  [[ ${__kindful_day-} == "$today" ]] && return 0
  __kindful_day=$today
  seen=; [[ -r $home/@LAST@ ]] && read -r seen < "$home/@LAST@"
  [[ $seen == "$today" ]] && return 0
  seen=; [[ -r $home/@NUDGED@ ]] && read -r seen < "$home/@NUDGED@"
  [[ $seen == "$today" ]] && return 0
  { printf '%s\\n' "$today" > "$home/@NUDGED@"; } 2>/dev/null
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
  local today=${(%):-%D{%Y-%m-%d}} seen home="${KINDFUL_HOME:-@HOME@}"
  [[ ${__kindful_day-} == "$today" ]] && return 0
  __kindful_day=$today
  seen=; [[ -r $home/@LAST@ ]] && read -r seen < "$home/@LAST@"
  [[ $seen == "$today" ]] && return 0
  seen=; [[ -r $home/@NUDGED@ ]] && read -r seen < "$home/@NUDGED@"
  [[ $seen == "$today" ]] && return 0
  { print -r -- "$today" > "$home/@NUDGED@"; } 2>/dev/null
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
  set -l seen
  test -r $home/@LAST@; and read -l seen < $home/@LAST@
  test "$seen" = "$today"; and return 0
  set seen
  test -r $home/@NUDGED@; and read -l seen < $home/@NUDGED@
  test "$seen" = "$today"; and return 0
  echo $today > $home/@NUDGED@ 2>/dev/null
  echo @LINE@
end
"""

_TEMPLATES = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}


def snippet(shell: str, home: Path, line: str) -> str:
    """Give the start-up snippet for ``shell``; ``home`` is the default data folder."""
    # Plain replacement, not str.format: shell code is full of braces.
    text = _TEMPLATES[shell]
    for token, value in (
        ("@HOME@", shlex.quote(str(home))),
        ("@LAST@", LAST_PRACTICE),
        ("@NUDGED@", NUDGED),
        ("@LINE@", shlex.quote(line)),
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
