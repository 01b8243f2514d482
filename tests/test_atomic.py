"""Replacing a kept file: the new content is on the disk before it takes the old one's place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kindful import atomic


def test_the_new_content_is_synced_before_it_replaces_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kept.json"
    path.write_text("old")
    order: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        order.append(f"fsync {os.pread(fd, 100, 0).decode()}")
        real_fsync(fd)

    def replace(src: str, dst: Path) -> None:
        order.append(f"replace {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic.write_text(path, "new")
    assert order == ["fsync new", "replace kept.json"]
    assert path.read_text() == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "kept.json"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic.replacing_text(path) as out:
        out.write("half")
        raise RuntimeError("stopped")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.json"]
