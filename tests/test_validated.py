"""Known practices: the validated form kept in the cache, and never trusted for being there."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful import paths
from kindful.cli import app
from kindful.errors import PracticeError
from kindful.practice.checking import load, validated
from kindful.practice.checking.load import load_practice
from kindful.practice.format import model
from kindful.practice.library import is_program_text, practice_files
from kindful.practice.plan.planner import make_plan
from kindful.practice.plan.written import KINDS, Compiled

PRACTICE = """\
kindful: 1
title: {en: A kind pause, de: Eine freundliche Pause}
inputs:
  - name: friend
    ask: {en: Who is kind to you?, de: Wer ist freundlich zu dir?}
    default: a friend
steps:
  - bell: 1
  - say: {en: "Think of {friend}.", de: "Denk an {friend}."}
    seconds: 20
  - repeat: 2
    steps:
      - breathe: {en: "Round {round}", de: "Runde {round}"}
        in: 4
        out: 6
        cycles: 2
  - rate: {en: How calm?, de: Wie ruhig?}
    key: calm_after
    labels: {0: {en: not at all, de: gar nicht}, 10: {en: very, de: sehr}}
"""


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    path = tmp_path / "kind-pause.yaml"
    path.write_text(PRACTICE, encoding="utf-8")
    return path


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the files the validator reads, by their shown path."""
    seen: list[str] = []
    real = load.parse_practice

    def counted(text: str, shown: str = "<practice>", stem: str = "") -> model.Practice:
        seen.append(shown)
        return real(text, shown, stem)

    monkeypatch.setattr(load, "parse_practice", counted)
    return seen


def cache_files() -> list[Path]:
    folder = paths.cache_folder() / validated.FOLDER
    return sorted(folder.glob("*.json")) if folder.exists() else []


def test_the_kinds_and_fields_are_the_models() -> None:
    import dataclasses

    from kindful.practice.plan import written

    assert KINDS == model.KINDS
    for kind in typing.get_args(written.Step):
        step_model = getattr(model, kind.__name__)
        fields = {f.name for f in dataclasses.fields(kind)}
        assert fields | {"note"} == set(step_model.model_fields), kind


def test_the_key_changes_with_kindfuls_own_code(tmp_path: Path) -> None:
    module = tmp_path / "model.py"
    module.write_text("x = 1\n")
    before = validated.stamps([module])
    os.utime(module, ns=(1, 1))
    assert validated.stamps([module]) != before  # a source checkout's edit
    module.write_text("x = 22\n")
    assert validated.stamps([module]) not in (before, "")
    code = validated._code()
    for name in (
        "practice/format/model.py",
        "practice/checking/load.py",
        "practice/checking/warnings.py",
        "practice/plan/written.py",
        "safe_text.py",
    ):
        assert f"{name}:" in code, name


def test_a_kept_practice_used_is_the_last_to_go(practice_file: Path) -> None:
    file, _ = _kept(practice_file)
    os.utime(file, ns=(10**9, 10**9))
    validated.compile_file(practice_file)
    assert file.stat().st_mtime_ns > 10**9


def test_temp_files_a_crash_left_are_swept(practice_file: Path, tmp_path: Path) -> None:
    folder = paths.cache_folder() / validated.FOLDER
    folder.mkdir(parents=True)
    old, fresh = folder / ".abc.json.x1.tmp", folder / ".abc.json.x2.tmp"
    old.write_text("{")
    fresh.write_text("{")  # a writer at work right now: left alone
    os.utime(old, ns=(10**9, 10**9))
    validated.compile_file(practice_file)
    assert not old.exists() and fresh.exists()


BUILT_INS = [
    path
    for path in practice_files(paths.builtin_practices())
    if not is_program_text(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("path", BUILT_INS, ids=lambda p: p.stem)
def test_every_built_in_plans_the_same_from_its_kept_form(path: Path) -> None:
    practice = load_practice(path)
    kept = Compiled.from_data(json.loads(json.dumps(Compiled.from_model(practice).to_data())))
    assert kept == Compiled.from_model(practice)
    for lang in kept.languages_used():
        assert make_plan(kept, lang) == make_plan(practice, lang)
        assert make_plan(kept, lang, minutes=3) == make_plan(practice, lang, minutes=3)
        assert kept.questions(lang) == practice.questions(lang)


def test_a_known_practice_is_not_validated_again(
    practice_file: Path, validations: list[str]
) -> None:
    first = validated.compile_file(practice_file)
    second = validated.compile_file(practice_file)
    assert validations == [str(practice_file)]
    assert first == second
    assert make_plan(second, "de", {"friend": "Jo"}).steps[1].text == "Denk an Jo."
    assert len(cache_files()) == 1


def test_a_changed_text_is_validated_again(practice_file: Path, validations: list[str]) -> None:
    validated.compile_file(practice_file)
    stat_before = practice_file.stat()
    practice_file.write_text(PRACTICE.replace("seconds: 20", "seconds: 30"), encoding="utf-8")
    os.utime(practice_file, ns=(stat_before.st_atime_ns, stat_before.st_mtime_ns))  # same mtime
    changed = validated.compile_file(practice_file)
    assert len(validations) == 2
    assert make_plan(changed, "en").steps[1].seconds == 30


def test_another_kindful_version_validates_again(
    practice_file: Path, validations: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kindful import cache

    validated.compile_file(practice_file)
    monkeypatch.setattr(cache, "__version__", "99.0")
    validated.compile_file(practice_file)
    assert len(validations) == 2


def test_the_file_name_is_part_of_the_key(
    practice_file: Path, validations: list[str], tmp_path: Path
) -> None:
    assert validated.compile_file(practice_file).id == "kind-pause"
    other = tmp_path / "gentle-pause.yaml"
    other.write_text(PRACTICE, encoding="utf-8")
    assert validated.compile_file(other).id == "gentle-pause"  # the id defaults to the file name
    assert len(validations) == 2


def test_a_file_with_errors_is_never_kept(tmp_path: Path, validations: list[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kindful: 1\ntitle: Broken\nsteps: []\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PracticeError) as caught:
            validated.compile_file(broken)
        assert caught.value.problems[0].line == 3
    assert len(validations) == 2
    assert cache_files() == []


def test_the_cache_folder_is_private(practice_file: Path) -> None:
    validated.compile_file(practice_file)
    folder = paths.cache_folder() / validated.FOLDER
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def _kept(practice_file: Path) -> tuple[Path, dict[str, object]]:
    validated.compile_file(practice_file)
    (file,) = cache_files()
    return file, json.loads(file.read_text(encoding="utf-8"))


HOSTILE = {
    "garbage": lambda kept: b"\x00\xff not json",
    "torn": lambda kept: json.dumps(kept).encode()[:100],
    "a list": lambda kept: b"[]",
    "another key": lambda kept: json.dumps({**kept, "key": "0" * 64}).encode(),
    "no data": lambda kept: json.dumps({"key": kept["key"]}).encode(),
    "steps not a list": lambda kept: json.dumps(
        {"key": kept["key"], "data": {**kept["data"], "steps": "say"}}
    ).encode(),
    "a step of two kinds": lambda kept: json.dumps(
        {"key": kept["key"], "data": {**kept["data"], "steps": [{"say": "a", "bell": 1}]}}
    ).encode(),
    "an escape sequence": lambda kept: json.dumps(
        {"key": kept["key"], "data": {**kept["data"], "title": "\x1b]0;owned\x07"}}
    ).encode(),
    "a number for a title": lambda kept: json.dumps(
        {"key": kept["key"], "data": {**kept["data"], "title": 7}}
    ).encode(),
    "nested past the recursion limit": lambda kept: (
        b'{"key": "%s", "data": ' % kept["key"].encode() + b"[" * 200_000 + b"]" * 200_000 + b"}"
    ),
}

# Steps that are not what the model leaves, each planted under the right key: every field is
# there and tagged with its kind, so only the one thing wrong can make it a miss.
SAY = {"kind": "say", "say": "s", "seconds": None}
BREATHE = {
    "kind": "breathe",
    "breathe": "b",
    "inhale": 4.0,
    "out": 4.0,
    "hold": 0.0,
    "rest": 0.0,
    "cycles": 2,
    "seconds": None,
}
RATE = {
    "kind": "rate",
    "rate": "r",
    "key": "k",
    "min": 0,
    "max": 10,
    "labels": {},
    "label": None,
}
SURVEY = {
    "kind": "survey",
    "survey": "s",
    "key": "k",
    "scale": {"min": 1, "max": 5, "labels": {}},
    "items": [{"text": "t", "reverse": False, "subscale": None}],
    "score": "mean",
}
PLANTED_STEPS = {
    "a number to say": [{**SAY, "say": 5}],
    "an empty text": [{**SAY, "say": {"en": 3}}],
    "a breath without its in-breath": [{k: v for k, v in BREATHE.items() if k != "inhale"}],
    "breaths of no length": [{**BREATHE, "inhale": 0, "out": 0}],
    "seconds in words": [{**SAY, "seconds": "abc"}],
    "true for seconds": [{**SAY, "seconds": True}],
    "an endless silence": [{"kind": "silence", "silence": 1e309, "text": None, "bell_every": None}],
    "a half round": [{"kind": "repeat", "repeat": 2.5, "steps": [SAY]}],
    "a hundred million rounds": [{"kind": "repeat", "repeat": 100_000_000, "steps": [SAY]}],
    "ten thousand rounds of ten thousand": [
        {
            "kind": "repeat",
            "repeat": 10_000,
            "steps": [{"kind": "repeat", "repeat": 10_000, "steps": [SAY]}],
        }
    ],
    "a label that is no number": [{**RATE, "labels": {"a": "x"}}],
    "a label numbered 07": [{**RATE, "labels": {"07": "x"}}],
    "a survey of items not listed": [{**SURVEY, "items": {"text": "t"}}],
    "a score of another kind": [{**SURVEY, "score": "max"}],
    "thirteen strikes": [{"kind": "bell", "bell": 13}],
    "a field of another kind": [{"kind": "bell", "bell": 1, "seconds": 3}],
    "a kind there is none of": [{"kind": "dance", "dance": "d"}],
    "a quote by a number": [{"kind": "quote", "quote": "q", "by": 3, "seconds": None}],
    "an escape sequence": [{**SAY, "say": "\x1b]0;owned\x07"}],
}


@pytest.mark.parametrize("damage", HOSTILE, ids=list(HOSTILE))
def test_a_damaged_or_planted_cache_file_is_validated_again(
    practice_file: Path, validations: list[str], damage: str
) -> None:
    file, kept = _kept(practice_file)
    file.write_bytes(HOSTILE[damage](kept))
    practice = validated.compile_file(practice_file)
    assert practice.title == {"en": "A kind pause", "de": "Eine freundliche Pause"}
    assert len(validations) == 2
    assert json.loads(file.read_text(encoding="utf-8")) == kept  # written whole again


def test_the_planted_steps_are_wrong_only_where_they_say(practice_file: Path) -> None:
    _, kept = _kept(practice_file)
    data = {**kept["data"], "steps": [SAY, BREATHE, RATE, SURVEY]}  # type: ignore[dict-item]
    assert len(Compiled.from_data(data).steps) == 4


@pytest.mark.parametrize("steps", PLANTED_STEPS.values(), ids=list(PLANTED_STEPS))
def test_planted_steps_are_refused_and_the_file_validated_again(
    practice_file: Path, validations: list[str], steps: list[dict[str, object]]
) -> None:
    file, kept = _kept(practice_file)
    planted = {"key": kept["key"], "data": {**kept["data"], "steps": steps}}  # type: ignore[dict-item]
    file.write_text(json.dumps(planted), encoding="utf-8")
    with pytest.raises(ValueError):
        Compiled.from_data(planted["data"])
    practice = validated.compile_file(practice_file)
    assert len(practice.steps) == 4  # the file's own steps
    assert len(validations) == 2


def test_a_run_of_a_damaged_practice_runs_the_file(practice_file: Path) -> None:
    file, kept = _kept(practice_file)
    planted = {**kept["data"], "steps": [{"say": "planted words", "seconds": "1"}]}  # type: ignore[dict-item]
    file.write_text(json.dumps({"key": kept["key"], "data": planted}), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", str(practice_file), "--plain", "--no-log", "--speed", "1000"], input="\n"
    )
    assert result.exit_code == 0, result.output
    assert "planted words" not in result.stdout
    assert "Think of a friend." in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_the_cache_file_does_not_hang(practice_file: Path) -> None:
    file, _ = _kept(practice_file)
    file.unlink()
    os.mkfifo(file)
    assert validated.compile_file(practice_file).id == "kind-pause"


def test_a_cache_that_cannot_be_written_costs_only_time(
    practice_file: Path, validations: list[str]
) -> None:
    paths.cache_folder().parent.mkdir(parents=True, exist_ok=True)
    paths.cache_folder().write_text("a file where the folder should be")
    for _ in range(2):
        assert validated.compile_file(practice_file).id == "kind-pause"
    assert len(validations) == 2


def test_only_the_files_written_last_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validated, "KEEP", 3)
    names: list[str] = []
    for n in range(5):
        path = tmp_path / f"p{n}.yaml"
        path.write_text(PRACTICE, encoding="utf-8")
        before = set(cache_files())
        validated.compile_file(path)
        (written,) = set(cache_files()) - before
        os.utime(written, ns=(n * 10**9, n * 10**9))  # one second apart, in this order
        names.append(written.name)
    assert [f.name for f in cache_files()] == sorted(names[-3:])


# ----------------------------------------------------------------------------- validate


def test_validate_reports_a_known_file_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kind-pause.yaml"
    path.write_text(PRACTICE.replace("seconds: 20", "seconds: 1"), encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["validate", str(path)])
    assert "warning" in first.output and first.exit_code == 0

    from kindful.practice.checking import warnings

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(warnings, "file_warnings", refused)
    again = runner.invoke(app, ["validate", str(path)])
    assert again.output == first.output
    as_json = runner.invoke(app, ["validate", "--format", "json", str(path)])
    assert json.loads(as_json.stdout)[0]["code"] == "speaking-time"

    monkeypatch.undo()
    path.write_text(PRACTICE, encoding="utf-8")  # the warning fixed
    fixed = runner.invoke(app, ["validate", str(path)])
    assert "warning" not in fixed.output and fixed.exit_code == 0


def test_validate_keeps_the_report_of_the_text_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kind-pause.yaml"
    path.write_text("kindful: 1\ntitle: Not yet\nsteps: []\n", encoding="utf-8")
    from kindful.practice.checking import warnings

    real = warnings.text_warnings

    def saved_meanwhile(text: str, at: Path, *measure: Any) -> list[object]:
        path.write_text(PRACTICE, encoding="utf-8")  # an editor saves the fix mid-check
        return real(text, at, *measure)  # type: ignore[return-value]

    monkeypatch.setattr(warnings, "text_warnings", saved_meanwhile)
    runner = CliRunner()
    first = runner.invoke(app, ["validate", str(path)])
    assert first.exit_code == 1  # the text that was read had no steps
    monkeypatch.undo()
    again = runner.invoke(app, ["validate", str(path)])
    assert again.exit_code == 0, again.output  # the fix saved meanwhile is what counts now


def test_validate_keeps_each_path_as_it_was_given(tmp_path: Path) -> None:
    path = tmp_path / "kind-pause.yaml"
    path.write_text(PRACTICE.replace("seconds: 20", "seconds: 1"), encoding="utf-8")
    runner = CliRunner()
    runner.invoke(app, ["validate", str(path)])
    os.chdir(tmp_path)
    relative = runner.invoke(app, ["validate", "kind-pause.yaml"])
    assert relative.output.startswith("kind-pause.yaml:")


def test_validate_reports_errors_of_a_known_file_each_time(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kindful: 1\ntitle: Broken\nsteps: []\n", encoding="utf-8")
    runner = CliRunner()
    outputs = [runner.invoke(app, ["validate", str(broken)]) for _ in range(2)]
    assert [r.exit_code for r in outputs] == [1, 1]
    assert outputs[0].output == outputs[1].output
    assert f"{broken}:3:" in outputs[0].output


# ----------------------------------------------------------------------------- start-up

LOADED = """
import sys
from kindful.cli import main
try:
    main()
except SystemExit:
    pass
heavy = [m for m in ("yaml", "pydantic", "numpy", "miniaudio") if m in sys.modules]
print("HEAVY", heavy, file=sys.stderr)
"""


def _heavy(args: list[str], home: Path) -> str:
    env = {**os.environ, "KINDFUL_HOME": str(home), "KINDFUL_CONFIG": str(home / "none.yaml")}
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "args",
    [
        ["run", "self-compassion-break", "--plain", "--no-log", "--speed", "10000"],
        ["show", "self-compassion-break"],
        ["show", "self-compassion-break", "--format", "markdown"],
    ],
    ids=["run", "show", "show markdown"],
)
def test_a_known_practice_needs_neither_yaml_nor_pydantic(args: list[str], tmp_path: Path) -> None:
    assert "'yaml'" in _heavy(args, tmp_path)  # the first time, it is validated
    assert _heavy(args, tmp_path) == "HEAVY []"


def test_a_listed_practice_is_known_to_run(tmp_path: Path) -> None:
    _heavy(["list"], tmp_path)
    args = ["run", "daily-check-in", "--plain", "--no-log", "--speed", "10000"]
    assert _heavy(args, tmp_path) == "HEAVY []"


def test_validate_of_a_known_file_needs_neither_yaml_nor_pydantic(tmp_path: Path) -> None:
    file = str(paths.builtin_practices() / "rain.yaml")
    _heavy(["validate", file], tmp_path)
    assert _heavy(["validate", file], tmp_path) == "HEAVY []"


def test_a_change_to_the_code_changes_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = validated.key_of(PRACTICE, "kind-pause")
    monkeypatch.setattr(validated, "_code", lambda: "model.py:1:2")
    assert validated.key_of(PRACTICE, "kind-pause") != before


PLANNING = """
import sys
from kindful.cli import main
status = 0
try:
    main()
except SystemExit as stop:
    status = stop.code or 0
loaded = [m for m in ("kindful.practice.plan.written", "kindful.practice.plan.planner", "rich.table")
          if m in sys.modules]
print("LOADED", status, loaded, file=sys.stderr)
"""


@pytest.mark.parametrize("command", ["validate", "list"])
def test_validating_and_listing_a_known_practice_plan_nothing(command: str, tmp_path: Path) -> None:
    # A known report or summary is read back as it was kept: the typed steps, the planner and
    # rich's tables (a program's weeks) are for what runs or shows a practice.
    env = {**os.environ, "KINDFUL_HOME": str(tmp_path), "KINDFUL_CONFIG": str(tmp_path / "x")}
    practice = paths.builtin_practices() / "self-compassion-break.yaml"
    args = [command, str(practice)] if command == "validate" else [command]
    lines = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", PLANNING, *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        lines.append(done.stderr.strip().splitlines()[-1])
    assert lines[1] == "LOADED 0 []", lines  # done, and without them
