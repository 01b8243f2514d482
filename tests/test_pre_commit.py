"""The pre-commit hook as a coach sets it up: a fresh repository, `pre-commit install`, commits.

The hook is the one this checkout ships (``.pre-commit-hooks.yaml``), run as a local hook that
calls this kindful, so that no network is needed; the coach's ``files: ^practices/`` is set as
docs/authoring.md says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
KINDFUL = Path(sys.executable).with_name("kindful")

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("pre-commit") is None or not KINDFUL.exists(),
    reason="needs git, pre-commit (pip install pre-commit) and kindful installed",
)

GOOD = "kindful: 1\ntitle: Calm\nsteps:\n  - say: Breathe gently.\n"
BROKEN = "kindful: 1\ntitle: Broken\nsteps:\n  - say: Hello.\n    secnds: 3\n"
PROGRAM = (
    "kindful: 1\nprogram: true\ntitle: Three days\nweeks:\n"
    "  - title: One\n    days:\n      - [calm]\n      - [calm]\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give a fresh git repository with the shipped hook installed as the docs set it up."""
    here = tmp_path / "coach"
    here.mkdir()
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-cache"))
    for name, value in {
        "GIT_AUTHOR_NAME": "Coach",
        "GIT_AUTHOR_EMAIL": "coach@example.org",
        "GIT_COMMITTER_NAME": "Coach",
        "GIT_COMMITTER_EMAIL": "coach@example.org",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
    }.items():
        monkeypatch.setenv(name, value)
    (shipped,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {
        **shipped,
        "entry": f"{KINDFUL} validate --strict",
        "language": "system",  # this kindful, not one installed from the network
        "files": "^practices/",  # as the docs suggest
    }
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (here / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(here, "init", "-q", "-b", "main")
    git(here, "add", ".pre-commit-config.yaml")
    git(here, "commit", "-q", "-m", "config", "--no-verify")
    run(here, "pre-commit", "install")
    (here / "practices").mkdir()
    return here


def git(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(where, "git", *args)


def run(where: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args, cwd=where, capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def commit(repo: Path, *names: str) -> subprocess.CompletedProcess[str]:
    git(repo, "add", *names)
    return run(repo, "git", "commit", "-q", "-m", "practice", check=False)


def test_a_good_practice_is_committed_with_the_schema_beside_it(repo: Path) -> None:
    run(repo, str(KINDFUL), "new", "practices/calm")  # writes the schema beside it
    assert (repo / "practices" / "kindful-practice.schema.json").exists()
    done = commit(repo, "practices")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schema.json" not in done.stdout + done.stderr + done.stderr


def test_a_broken_practice_is_refused_with_its_line(repo: Path) -> None:
    (repo / "practices" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    done = commit(repo, "practices/broken.yaml")
    assert done.returncode == 1
    assert (
        "practices/broken.yaml:5:5: unknown key `secnds` in a `say` step: did you mean `seconds`?"
        in done.stdout + done.stderr
    )
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1  # only the config


def test_a_program_committed_alone_finds_the_practices_committed_before(repo: Path) -> None:
    (repo / "practices" / "calm.yaml").write_text(GOOD, encoding="utf-8")
    assert commit(repo, "practices/calm.yaml").returncode == 0
    (repo / "practices" / "three-days.yaml").write_text(PROGRAM, encoding="utf-8")
    done = commit(repo, "practices/three-days.yaml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_program_naming_a_practice_nowhere_is_refused(repo: Path) -> None:
    (repo / "practices" / "three-days.yaml").write_text(PROGRAM, encoding="utf-8")
    done = commit(repo, "practices/three-days.yaml")
    assert done.returncode == 1
    assert "there is no practice `calm`" in done.stdout + done.stderr + done.stderr
