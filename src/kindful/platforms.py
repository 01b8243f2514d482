"""Platform facts in one place: what kindful needs of the system, and where it has it.

kindful supports Linux and macOS. The live screen needs a POSIX terminal (``termios`` and
``tty`` for keys without Enter, ``select`` on stdin, ``SIGHUP`` for a terminal that hangs up),
so elsewhere (Windows) ``run`` shows plain lines instead, and says so once; every other command
uses only what every platform has. Modules that need POSIX import it inside the live screen's
path only, behind ``LIVE_SCREEN``.
"""

from __future__ import annotations

import os

POSIX = os.name == "posix"
LIVE_SCREEN = POSIX  # the live screen (termios, tty, select on stdin, SIGHUP)
FILE_MODES = hasattr(os, "fchmod") and hasattr(os, "getuid")  # owner-only modes can be set
