"""Shared fixtures: no test touches the real home, settings, cache or locale."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

# pytest started with SIGINT ignored (as from some shells, CI runners and `nohup`) hands that to
# every child, so a Ctrl-C sent to a run would be lost: tests start from Python's own handler.
signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def kindful_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give each test its own empty KINDFUL_HOME, no settings file and an English locale."""
    home = tmp_path / "kindful-home"
    monkeypatch.setenv("KINDFUL_HOME", str(home))
    monkeypatch.setenv("KINDFUL_CONFIG", str(tmp_path / "no-config.yaml"))
    monkeypatch.setenv("KINDFUL_CACHE", str(tmp_path / "kindful-cache"))
    for name in ("KINDFUL_PATH", "KINDFUL_LANG", "LC_ALL", "LC_MESSAGES", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return home
