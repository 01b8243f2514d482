"""Headless Chromium for the pages kindful hands over: the DOM it leaves, what it fetched."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="needs chromium (apt-get install chromium)"
)


def browse(
    page: Path, profile: Path, *extra: str, at: float | None = None, net_log: Path | None = None
) -> str:
    """Give the page's DOM as headless Chromium leaves it once its media has loaded.

    With ``net_log``, Chromium writes there every request it made (see ``page_requests``).
    """
    address = page.as_uri() + (f"#at={at}" if at is not None else "")
    logging = [f"--log-net-log={net_log}"] if net_log is not None else []
    done = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=20000",
            *logging,
            *extra,
            address,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def page_requests(net_log: Path) -> list[str]:
    """Give the addresses that a page opened from a file asked the network for.

    Chromium's own requests (updates, the clock, accounts) are in the log too; a page's are
    the ones made on behalf of a ``file://`` document.
    """
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start
        and "url" in event.get("params", {})
        and str(event["params"].get("network_isolation_key", "")).startswith("file://")
    ]


def players(dom: str) -> list[dict[str, str]]:
    """Give each audio element of ``dom`` as its attributes, and its source's as ``src``."""
    found = []
    for element, inside in re.findall(r"<audio ([^>]*)>(.*?)</audio>", dom, re.S):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', element))
        source = re.search(r'<source [^>]*src="([^"]*)"', inside)
        attributes["src"] = source.group(1) if source else ""
        found.append(attributes)
    return found
