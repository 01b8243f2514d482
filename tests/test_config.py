"""Settings: defaults without a file, one clear line per problem with a bad one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kindful.errors import ConfigError
from kindful.settings import Settings, load_settings


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problem(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return str(caught.value)


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.yaml") == Settings()
    assert Settings() == Settings(lang=None, bell=True, save_reflections=True, show_streaks=True)


def test_the_default_path_follows_kindful_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "show_streaks: false\n")
    monkeypatch.setenv("KINDFUL_CONFIG", str(path))
    assert load_settings().show_streaks is False


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "~\n"])
def test_an_empty_file_gives_the_defaults(tmp_path: Path, text: str) -> None:
    assert load_settings(write(tmp_path, text)) == Settings()


def test_every_key_is_read(tmp_path: Path) -> None:
    text = "lang: de\nbell: false\nsave_reflections: no\nshow_streaks: false\n"
    assert load_settings(write(tmp_path, text)) == Settings("de", False, False, False)


def test_lang_may_be_null(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "lang: null\n")).lang is None


def test_bad_yaml_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bell: true\nlang: [de\n")
    message = problem(path)
    assert message.startswith(f"{path}:")
    assert "not valid YAML" in message
    assert "\n" not in message


def test_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- bell\n- lang\n")
    assert problem(path) == f"{path}:1:1: the settings must be a mapping of key: value"


def test_an_unknown_key_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "bell: true\nshow_streak: false\n")
    message = problem(path)
    assert message.startswith(f"{path}:2:1: unknown setting 'show_streak'")
    assert "did you mean 'show_streaks'" in message


def test_a_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path, 'bell: "yes"\n')
    assert problem(path) == f"{path}:1:7: 'bell' must be true or false"


def test_a_bare_no_as_a_language_gets_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "lang: no\n")
    assert 'write "no" in quotes' in problem(path)


def test_a_list_where_a_language_belongs(tmp_path: Path) -> None:
    path = write(tmp_path, "lang: [de, en]\n")
    assert problem(path).startswith(f"{path}:1:7: 'lang' must be a language code")


def test_a_key_set_twice(tmp_path: Path) -> None:
    path = write(tmp_path, "bell: true\nbell: false\n")
    assert problem(path) == f"{path}:2:1: 'bell' is set twice"


def test_every_problem_is_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bel: true\nlang: 3\n")
    lines = problem(path).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}:") for line in lines)


def test_a_large_file_is_refused_unread(tmp_path: Path) -> None:
    path = write(tmp_path, "# " + "x" * (64 * 1024) + "\n")
    assert "larger than 64 KiB" in problem(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, b"bell: true\nlang: \xff\n")
    assert problem(path) == f"{path}:2:1: the settings file is not UTF-8 text"


def test_a_folder_is_not_a_settings_file(tmp_path: Path) -> None:
    assert "is a folder" in problem(tmp_path)


def test_deep_nesting_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "bell: " + "[" * 20000 + "]" * 20000 + "\n")
    assert problem(path).startswith(f"{path}")
