"""Where kindful keeps things: the data home, the log, practice folders, the settings file."""

from __future__ import annotations

import os
from pathlib import Path

LOG_NAME = "sessions.jsonl"


def home() -> Path:
    """Give the data folder: ``KINDFUL_HOME``, else the platform's user data folder."""
    env = os.environ.get("KINDFUL_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("kindful", appauthor=False)


def log_path() -> Path:
    """Give the path of the session log."""
    return home() / LOG_NAME


def config_path() -> Path:
    """Give the settings file: ``KINDFUL_CONFIG``, else ``config.yaml`` in the config folder."""
    env = os.environ.get("KINDFUL_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("kindful", appauthor=False) / "config.yaml"


KEY_NAME = "reflections-key.age"


def key_path() -> Path:
    """Give the file of the private key that opens sealed reflections, beside the settings."""
    return config_path().parent / KEY_NAME


def builtin_practices() -> Path:
    """Give the folder of the built-in practices, installed or in a source checkout."""
    installed = Path(__file__).with_name("practices")
    if installed.is_dir():
        return installed
    # A source checkout or an editable install: the top-level practices/ folder.
    return Path(__file__).resolve().parents[2] / "practices"


def practice_folders() -> list[tuple[Path, str]]:
    """Give the practice folders in lookup order, each with the origin shown in ``list``."""
    folders: list[tuple[Path, str]] = []
    for entry in os.environ.get("KINDFUL_PATH", "").split(os.pathsep):
        if entry:
            folder = Path(entry).expanduser()
            folders.append((folder, str(folder)))
    own = home() / "practices"
    folders.append((own, str(own)))
    folders.append((builtin_practices(), "built-in"))
    return folders


def cache_folder() -> Path:
    """Give the folder for caches: ``KINDFUL_CACHE``, else the platform's user cache folder.

    Never inside ``KINDFUL_HOME``: people copy and sync their data home, and a cache is neither
    theirs to keep nor safe to merge.
    """
    env = os.environ.get("KINDFUL_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("kindful", appauthor=False)


def private_folder(folder: Path) -> Path:
    """Make ``folder`` and any missing parents, readable by their owner alone; give it back.

    ``mkdir(mode=...)`` applies the mode to the last folder only, and the umask trims it;
    so each folder kindful creates is made on its own and then given its mode.
    """
    missing: list[Path] = []
    here = folder
    while not here.exists():
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by another kindful: it sets the mode itself
        path.chmod(0o700)
    return folder
