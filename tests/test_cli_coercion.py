"""Option values are converted by hand for plain types, and start-up stays free of pydantic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from kindful.cli.coercion import _plain_type, convert, install

runner = CliRunner()


def test_install_takes_with_this_typer() -> None:
    assert install() is True


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (int, "12", 12),
        (float, "2.5", 2.5),
        (str, "de", "de"),
        (Path, "a/b", Path("a/b")),
        (bool, "yes", True),
        (bool, "off", False),
        (list[str], ("a=1", "b=2"), ["a=1", "b=2"]),
        (int, 3, 3),
    ],
)
def test_convert(kind: object, value: object, expected: object) -> None:
    assert convert(kind, value) == expected


@pytest.mark.parametrize(("kind", "value"), [(int, "many"), (float, "x"), (bool, "maybe")])
def test_convert_refuses(kind: object, value: object) -> None:
    with pytest.raises(ValueError):
        convert(kind, value)


def test_only_plain_types_are_taken() -> None:
    assert _plain_type(int | None) is int
    assert _plain_type(list[str]) == list[str]
    assert _plain_type(list[int]) is None
    assert _plain_type(int | str) is None


def test_a_wrong_option_value_is_a_usage_error() -> None:
    result = runner.invoke(app, ["stats", "--weeks", "many"])
    assert result.exit_code == 2
    assert "'many' is not a whole number" in result.output
    outside = runner.invoke(app, ["stats", "--weeks", "0"])
    assert outside.exit_code == 2
    words = " ".join(w for w in outside.output.split() if w != "│")
    assert "0 is not in the range: it should be from 1 to 520" in words


def test_list_twice_never_loads_pydantic_or_yaml_the_second_time(kindful_home: Path) -> None:
    code = (
        "import sys\n"
        "from kindful.cli import main\n"
        "sys.argv = ['kindful', 'list', '--lang', 'de']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'rich.live') if m in sys.modules), file=sys.stderr)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    second = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert "self-compassion-break" in second.stdout
    assert "'pydantic'" in first.stderr  # the first list reads the files
    assert second.stderr.strip().splitlines()[-1] == "[]"
