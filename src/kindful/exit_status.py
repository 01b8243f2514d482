"""Named exit statuses: what scripts calling kindful can rely on (contract section 1)."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    PROBLEM = 1  # a practice, a file, the log or the settings: said in one line each
    USAGE = 2
    SIGHUP = 129
    INTERRUPTED = 130  # Ctrl-C
    SIGTERM = 143
