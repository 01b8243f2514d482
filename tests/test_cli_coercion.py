"""kindful converts its own option values as typer would, without pydantic, and only its own.

The differential tests convert the same values both ways, through typer's own converter for a
parameter and through kindful's, and expect the same value or the same usage error.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import re
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pytest
import typer
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.core import TyperGroup
from typer.testing import CliRunner

from kindful.cli import app, coercion, option_values
from kindful.cli.app import KindfulGroup, KindfulTyper
from kindful.cli.coercion import Kind
from kindful.cli.option_values import UNSURE, convert

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


# -- helpers: one small app per parameter, built both ways ------------------------------------


def small_app(
    annotation: Any, adopted: bool, *, argument: bool = False, default: Any = None, **option: Any
) -> Any:
    """Give a typer app whose command ``go`` prints the one value it was given, and its type."""

    make, group = (KindfulTyper, KindfulGroup) if adopted else (typer.Typer, TyperGroup)
    small = make(cls=group, add_completion=False, pretty_exceptions_enable=False)

    @small.callback()
    def root() -> None:
        """A root, so that ``go`` stays a subcommand."""

    declared = (
        # the metavar is named, so that kindful's help wording (VALUE, not {value}) is no difference
        typer.Argument(..., metavar="VALUE", **option)
        if argument
        else typer.Option(default, "--value", **option)
    )

    def go(value: Any = declared) -> None:
        print(type(value).__name__, repr(value))

    go.__annotations__ = {"value": annotation, "return": None}
    small.command("go")(go)
    return small


def both_ways(annotation: Any, args: list[str], **option: Any) -> tuple[Any, Any]:
    """Give (exit status, output) of the same command line through typer's way and kindful's."""
    outcomes = []
    for adopted in (False, True):
        small = small_app(annotation, adopted, **option)
        result = runner.invoke(small, ["go", *args])
        outcomes.append((result.exit_code, plain_usage(result.output)))
    return outcomes[0], outcomes[1]


def plain_usage(output: str) -> str:
    """Give an output with its usage line as kindful's help writes it: no braces round a name."""
    return "\n".join(
        line.replace("{", "").replace("}", "") if line.startswith("Usage:") else line
        for line in output.split("\n")
    )


def parsed(command: Any, name: str = "kindful") -> list[Any]:
    """Give a command's parameters, its --help too, once it has parsed an empty command line."""
    ctx = command.make_context(name, [], resilient_parsing=True)
    return list(command.get_params(ctx))


def by_hand(param: Any) -> bool:
    """Tell whether kindful's converter took the parameter."""
    return type(param._runtime_param).__name__ == "PlainParam"


def the_param(annotation: Any, **option: Any) -> Any:
    """Give the parameter ``value`` of a small kindful app, built and parsed as typer does."""
    group: Any = typer.main.get_command(small_app(annotation, True, **option))
    param, _help = parsed(group.commands["go"], "go")
    return param


def words(output: str) -> str:
    """Give the words of an output, without the frame a usage error is drawn in."""
    return " ".join(w for w in output.split() if w.strip("│╭╮╰╯─"))


def converted(runtime: Any, param: Any, value: Any) -> tuple[Any, ...]:
    """Give what a runtime parameter makes of ``value``: the value's type and repr, or the error."""
    try:
        result = runtime.coerce(value, param=param, ctx=None)
    except typer.BadParameter as error:
        return ("error", error.message)
    return ("ok", type(result), repr(result))


def agree(param: Any, value: Any) -> tuple[Any, ...]:
    """Convert ``value`` through typer's converter and kindful's; they must agree."""
    plain = param._runtime_param
    assert type(plain).__name__ == "PlainParam"
    typers = converted(plain.fallback, param, value)
    assert converted(plain, param, value) == typers, value
    return typers


# -- the differential tables: the command line both ways --------------------------------------

INTS = ["12", "12.0", "12.00", "12.5", " 3 ", "\t3\n", "-4", "+5", "-0", "007", "1e3", "1_000"]
INTS += ["0x10", "", "many", "٣", "9" * 18, "9" * 19, "9" * 5000, "--1", "1__0", "3.", "1,000"]
FLOATS = ["2.5", " 3 ", "1e3", "1E-3", "nan", "NaN", "inf", "-inf", "infinity", "-0", "0", ".5"]
FLOATS += ["5.", "-.5", "+1.5", "1e999", "1e-999", "1.7976931348623159e308", "1_0", "", "x"]
FLOATS += ["1,5", "0x1p3", "1.5e", "e5", "0.1000000000000000055511151231257827", "1" * 40]
BOOLS = ["", " ", "yes", "no", "on", "off", "1", "0", "t", "f", "y", "n", "TRUE", " True "]
BOOLS += ["\u2003yes\u2003", "\x1cyes", "2", "maybe", "None", "ｙｅｓ", "K", "true\x00"]
TEXTS = ["de", "", " a ", "\udcff", "a\x00b", "é", "--", "-x"]


@pytest.mark.parametrize("value", INTS)
def test_int_options_agree(value: str) -> None:
    typers, kindfuls = both_ways(int, [f"--value={value}"])
    assert kindfuls == typers
    assert typers[0] in (0, 2)


@pytest.mark.parametrize("value", [*INTS, "0", "1", "520", "521", "-3"])
@pytest.mark.parametrize(
    "bounds",
    [
        {"min": 1},
        {"max": 520},
        {"min": 1, "max": 520},
        {"min": 1, "max": 9, "clamp": True},
        {"min": 0.5, "max": 9.5, "clamp": True},
    ],
)
def test_int_options_within_bounds_agree(value: str, bounds: dict[str, Any]) -> None:
    typers, kindfuls = both_ways(int | None, [f"--value={value}"], **bounds)
    assert kindfuls == typers
    assert typers[0] in (0, 2)


@pytest.mark.parametrize("value", FLOATS)
@pytest.mark.parametrize(
    "bounds",
    [{}, {"min": 0, "max": 1}, {"min": 0.5, "max": 2, "clamp": True}, {"min": 0, "clamp": True}],
)
def test_float_options_agree(value: str, bounds: dict[str, Any]) -> None:
    typers, kindfuls = both_ways(float | None, [f"--value={value}"], **bounds)
    assert kindfuls == typers
    assert typers[0] in (0, 2)


@pytest.mark.parametrize("value", BOOLS)
def test_bool_arguments_agree(value: str) -> None:
    typers, kindfuls = both_ways(bool, ["--", value], argument=True)
    assert kindfuls == typers
    assert typers[0] in (0, 2)


@pytest.mark.parametrize("value", TEXTS)
def test_text_options_and_arguments_agree(value: str) -> None:
    typers, kindfuls = both_ways(str | None, [f"--value={value}"])
    assert kindfuls == typers
    typers, kindfuls = both_ways(str, ["--", value], argument=True)
    assert kindfuls == typers


def test_list_options_agree() -> None:
    for args in ([], ["--value", "a=1"], ["--value", "a=1", "--value", "b=2"], ["--value="]):
        typers, kindfuls = both_ways(list[str] | None, args)
        assert kindfuls == typers
        assert typers[0] == 0
    for args in (["--value", "3", "--value", "4"], ["--value", "3", "--value", "x"]):
        typers, kindfuls = both_ways(list[int] | None, args, min=1, max=3, clamp=True)
        assert kindfuls == typers
        typers, kindfuls = both_ways(list[int] | None, args)
        assert kindfuls == typers


def test_defaults_and_missing_values_agree() -> None:
    for annotation, default in ((int, 12), (float, 1.0), (float, 2), (str, "de"), (int, None)):
        typers, kindfuls = both_ways(annotation, [], default=default)
        assert kindfuls == typers
        assert typers[0] == 0
    typers, kindfuls = both_ways(int, [], default=0, min=1)
    assert kindfuls == typers


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    file = tmp_path / "file.txt"
    file.write_text("x")
    hidden = tmp_path / "unreadable.txt"
    hidden.write_text("x")
    hidden.chmod(0)
    return {"file": file, "folder": tmp_path, "missing": tmp_path / "nothing", "hidden": hidden}


PATH_CHECKS: list[dict[str, Any]] = [
    {},
    {"exists": True},
    {"file_okay": False},
    {"dir_okay": False},
    {"readable": False},
    {"writable": True},
    {"resolve_path": True},
    {"allow_dash": True},
    {"exists": True, "dir_okay": False, "resolve_path": True},
]


@pytest.mark.parametrize("checks", PATH_CHECKS)
@pytest.mark.parametrize("which", ["file", "folder", "missing", "hidden", "dash", "relative"])
def test_path_options_agree_with_their_checks(
    paths: dict[str, Path], which: str, checks: dict[str, Any]
) -> None:
    value = {"dash": "-", "relative": "a/../b"}.get(which) or str(paths[which])
    typers, kindfuls = both_ways(Path | None, [f"--value={value}"], **checks)
    assert kindfuls == typers
    typers, kindfuls = both_ways(list[Path] | None, ["--value", value, "--value", "x"], **checks)
    assert kindfuls == typers


def test_path_checks_are_left_to_typer(paths: dict[str, Path]) -> None:
    for checks in PATH_CHECKS[1:]:
        param = the_param(Path | None, **checks)
        assert not by_hand(param), checks
    typers, kindfuls = both_ways(Path | None, [f"--value={paths['missing']}"], exists=True)
    assert kindfuls == typers
    assert typers[0] == 2
    assert "does not exist" in words(typers[1])


def test_parser_callbacks_and_other_types_are_left_to_typer() -> None:
    class Tone(enum.Enum):
        soft = "soft"
        bright = "bright"

    left_alone: list[tuple[Any, dict[str, Any]]] = [
        (int, {"parser": lambda text: int(text, 16)}),
        (str, {"parser": str.upper}),
        (Tone, {}),
        (Literal["en", "de"], {}),
        (datetime, {}),
        (tuple[int, str], {}),
        (typer.FileText, {}),
        (list[Tone], {}),
    ]
    for annotation, option in left_alone:
        assert not by_hand(the_param(annotation, **option)), annotation
    for args, option in (
        (["--value=ff"], {"parser": lambda text: int(text, 16)}),
        (["--value=12.0"], {"parser": lambda text: int(text, 16)}),
    ):
        typers, kindfuls = both_ways(int | None, args, **option)
        assert kindfuls == typers
    typers, kindfuls = both_ways(Tone | None, ["--value=soft"])
    assert kindfuls == typers
    assert typers == (0, "Tone <Tone.soft: 'soft'>\n")


def test_a_callback_sees_the_value_typer_would_give_it() -> None:
    seen: list[Any] = []

    def check(value: Any) -> Any:
        seen.append(value)
        return value

    typers, kindfuls = both_ways(int | None, ["--value=12.0"], callback=check)
    assert kindfuls == typers
    typers, kindfuls = both_ways(
        int | None, ["--value=7"], callback=check, min=1, max=5, clamp=True
    )
    assert kindfuls == typers
    assert seen == [12, 12, 5, 5]


# -- the same both ways, value by value, over random text -------------------------------------


def _spaced(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    space = st.sampled_from(["", " ", "\t", "\n", "\u2003", "\x1c", "_"])
    return st.tuples(space, words, space).map("".join)


NUMBERISH = st.from_regex(r"\A[+-]?[0-9_]{0,22}(\.[0-9]{0,22})?([eE][+-]?[0-9]{0,4})?\Z")
INT_TEXT = st.one_of(st.text(), _spaced(NUMBERISH), st.integers().map(str), st.floats().map(str))
FLOAT_TEXT = st.one_of(
    st.text(),
    _spaced(NUMBERISH),
    st.floats().map(repr),
    st.floats().map(lambda x: f"{x:.25e}"),
    st.sampled_from(["nan", "-NaN", "Inf", "+infinity", "iNf", "1e308", "2e308"]),
)
BOOL_WORDS = st.sampled_from(sorted(option_values._TRUE | option_values._FALSE | {"", "2", "none"}))
BOOL_TEXT = st.one_of(
    st.text(), _spaced(BOOL_WORDS.flatmap(lambda w: st.sampled_from([w, w.upper(), w.title()])))
)


INT_PARAM = the_param(int)
BOUNDED_INT_PARAM = the_param(int, min=1, max=520)
CLAMPED_INT_PARAM = the_param(int, min=-3, max=9, clamp=True)
FLOAT_PARAM = the_param(float)
BOUNDED_FLOAT_PARAM = the_param(float, min=0, max=1)
CLAMPED_FLOAT_PARAM = the_param(float, min=0, max=2.5, clamp=True)
BOOL_PARAM = the_param(bool, argument=True)
TEXTS_PARAM = the_param(list[str])
INTS_PARAM = the_param(list[int], min=1)


@settings(max_examples=300, deadline=None)
@given(INT_TEXT)
def test_random_text_for_an_int_converts_the_same_both_ways(text: str) -> None:
    agree(INT_PARAM, text)
    agree(BOUNDED_INT_PARAM, text)
    agree(CLAMPED_INT_PARAM, text)


@settings(max_examples=300, deadline=None)
@given(FLOAT_TEXT)
def test_random_text_for_a_float_converts_the_same_both_ways(text: str) -> None:
    agree(FLOAT_PARAM, text)
    agree(BOUNDED_FLOAT_PARAM, text)
    agree(CLAMPED_FLOAT_PARAM, text)


@settings(max_examples=300, deadline=None)
@given(BOOL_TEXT)
def test_random_text_for_a_bool_converts_the_same_both_ways(text: str) -> None:
    agree(BOOL_PARAM, text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), max_size=4), st.lists(INT_TEXT, max_size=4))
def test_random_lists_convert_the_same_both_ways(texts: list[str], numbers: list[str]) -> None:
    agree(TEXTS_PARAM, tuple(texts))
    agree(INTS_PARAM, tuple(numbers))


# -- what kindful settles by hand, so that the tables above test its converter ----------------


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (Kind(int), "12", 12),
        (Kind(int), "-4", -4),
        (Kind(int), 3, 3),
        (Kind(int, low=1, high=520), "520", 520),
        (Kind(int, low=1, high=520), "1", 1),
        (Kind(int, low=1, high=9, clamp=True), "600", 9),
        (Kind(float), "2.5", 2.5),
        (Kind(float), "1e3", 1000.0),
        (Kind(float), ".5", 0.5),
        (Kind(float, low=0.5, clamp=True), "0", 0.5),
        (Kind(str), "de", "de"),
        (Kind(bool), "", False),
        (Kind(bool), " Yes ", True),
        (Kind(bool), "off", False),
        (Kind(Path), "a/b", Path("a/b")),
        (Kind(str, many=True), ("a=1", "b=2"), ["a=1", "b=2"]),
        (Kind(str, many=True), "a=1", ["a=1"]),
    ],
)
def test_plain_values_are_settled_by_hand(kind: Kind, value: object, expected: object) -> None:
    assert convert(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (Kind(int), "12.0"),
        (Kind(int), " 3 "),
        (Kind(int), "many"),
        (Kind(int), True),
        (Kind(int, low=1, high=520), "0"),
        (Kind(float), "nan"),
        (Kind(float), "inf"),
        (Kind(float), 3),
        (Kind(bool), "maybe"),
        (Kind(bool), "ｙｅｓ"),
        (Kind(Path), "a\x00b"),
        (Kind(str), b"de"),
        (Kind(int, many=True), ("1", "x")),
    ],
)
def test_everything_else_is_left_to_typer(kind: Kind, value: object) -> None:
    assert convert(kind, value) is UNSURE


# -- only kindful's own app, and a typer of the shape this code knows -------------------------


def test_every_option_of_kindful_is_converted_by_hand() -> None:
    group: Any = typer.main.get_command(app)
    params = [("", p) for p in parsed(group)]
    commands = list(group.commands.items())
    while commands:
        name, command = commands.pop()
        params += [(name, p) for p in parsed(command, name)]
        inner = getattr(command, "commands", {})  # a group such as `program`: its commands too
        commands += [(f"{name} {n}", c) for n, c in inner.items()]
    assert len(params) > 30
    helps = [name for name, p in params if p.name == "help"]
    assert sorted(helps) == sorted(set(helps)) and len(helps) > len(group.commands)
    assert [(name, p.name) for name, p in params if not by_hand(p)] == []


def test_only_the_command_that_runs_is_adopted(capsys: pytest.CaptureFixture[str]) -> None:
    group: Any = typer.main.get_command(app)
    with pytest.raises(typer.Exit):
        group.make_context("kindful", ["--version"])
    assert capsys.readouterr().out.startswith("kindful ")
    assert by_hand(group.params[0])
    assert not any(p._runtime_param for c in group.commands.values() for p in c.params)


def test_other_typer_apps_in_the_process_are_left_alone() -> None:
    typer.main.get_command(app)
    other: Any = typer.main.get_command(small_app(int, adopted=False))
    (param,) = other.commands["go"].params
    assert param._runtime_param is None
    assert typer.core._TyperParameter.get_runtime_param.__module__ == "typer.core"
    assert runner.invoke(small_app(int, adopted=False), ["go", "--value=12.0"]).output == "int 12\n"
    assert type(param.get_runtime_param()).__name__ == "AdapterRuntimeParam"


def test_typer_is_pinned_below_its_next_minor_version_and_has_the_shape_known() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (pin,) = [d for d in project["dependencies"] if re.match(r"typer\b", d)]
    found = re.fullmatch(r"typer>=(\d+)\.(\d+),<(\d+)\.(\d+)", pin)
    assert found is not None, pin
    low_major, low_minor, high_major, high_minor = (int(part) for part in found.groups())
    major, minor = (int(part) for part in typer.__version__.split(".")[:2])
    assert (low_major, low_minor) <= (major, minor) < (high_major, high_minor)
    assert (high_major, high_minor) == (low_major, low_minor + 1)
    # What coercion.py leans on, so that a new typer fails here rather than in use:
    from typer import _coercion

    assert coercion._typer_coercion() is not None
    assert [f.name for f in dataclasses.fields(_coercion.RuntimeParam)] == [
        "parameter_info",
        "annotation",
    ]
    param = INT_PARAM
    assert param.get_runtime_param() is param._runtime_param
    for name in ("annotation", "parameter_info", "is_list", "is_tuple", "is_file", "is_choice"):
        assert hasattr(param.type_descriptor, name), name
    info = param.type_descriptor.parameter_info
    for name in ("parser", "min", "max", "clamp", "exists", "file_okay", "dir_okay", "readable"):
        assert hasattr(info, name), name
    for name in ("writable", "resolve_path", "allow_dash", "path_type"):
        assert hasattr(info, name), name


def test_kindful_steps_aside_when_typer_internals_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer import _coercion

    monkeypatch.delattr(_coercion, "RuntimeParam")
    group: Any = typer.main.get_command(app)
    params = parsed(group.commands["stats"], "stats")
    assert not any(by_hand(p) for p in params)
    assert coercion.adopt(params) == 0
    result = runner.invoke(app, ["stats", "--weeks", "3", "--json"])
    assert result.exit_code == 0, result.output
    wrong = runner.invoke(app, ["stats", "--weeks", "many"])
    assert wrong.exit_code == 2
    assert "Input should be a valid integer" in words(wrong.output)


def test_kindful_steps_aside_when_typer_internals_change_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer import _coercion

    @dataclasses.dataclass(frozen=True)
    class Renamed(_coercion.RuntimeParam):  # type: ignore[misc]
        extra: int = 0

    monkeypatch.setattr(_coercion, "RuntimeParam", Renamed)
    group: Any = typer.main.get_command(app)
    assert not any(by_hand(p) for p in parsed(group.commands["stats"], "stats"))

    class Odd:
        type_descriptor = object()
        _runtime_param = None

        def get_runtime_param(self) -> None: ...

    monkeypatch.undo()
    assert coercion.adopt([Odd()]) == 0
    assert runner.invoke(app, ["stats", "--weeks", "3", "--json"]).exit_code == 0


# -- the real app: a mistake is a usage error, start-up stays free of pydantic ----------------


def test_a_wrong_option_value_is_typers_usage_error() -> None:
    result = runner.invoke(app, ["stats", "--weeks", "many"])
    assert result.exit_code == 2
    assert "Invalid value for '--weeks': Input should be a valid integer" in words(result.output)
    outside = runner.invoke(app, ["stats", "--weeks", "0"])
    assert outside.exit_code == 2
    assert "Input should be greater than or equal to 1" in words(outside.output)
    assert runner.invoke(app, ["history", "--limit", "12.0", "--json"]).exit_code == 0


def test_list_twice_never_loads_pydantic_or_yaml_the_second_time(kindful_home: Path) -> None:
    code = (
        "import sys\n"
        "from kindful.cli import main\n"
        "sys.argv = ['kindful', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'rich.live') if m in sys.modules), file=sys.stderr)\n"
    )
    command = [sys.executable, "-c", code, "list", "--lang", "de"]
    env = {**os.environ, "KINDFUL_HOME": str(kindful_home)}
    first = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    second = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert "self-compassion-break" in second.stdout
    assert "'pydantic'" in first.stderr  # the first list reads the files
    assert second.stderr.strip().splitlines()[-1] == "[]"
    history = [sys.executable, "-c", code, "history", "--limit", "3", "--json"]
    assert (
        "'pydantic'"
        not in subprocess.run(history, capture_output=True, text=True, timeout=60, env=env).stderr
    )
