"""The practice commands: list, show, validate, schema, new and --version, by exit code and output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful import __version__
from kindful.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def practice(title: str, seconds: int = 60, extra: str = "") -> str:
    return f"kindful: 1\ntitle: {title}\n{extra}steps:\n  - silence: {seconds}\n"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"kindful {__version__}"


def test_list_finds_builtins_and_shadows_by_lookup_order(
    tmp_path: Path, kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "extra"
    write(extra, "self-compassion-break.yaml", practice("Mine first", 120))
    write(kindful_home / "practices", "self-compassion-break.yaml", practice("Home copy"))
    write(kindful_home / "practices", "evening.yaml", practice("Evening", 90))
    monkeypatch.setenv("KINDFUL_PATH", str(extra))
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows)
    scb = by_id["self-compassion-break"]
    assert scb["title"] == "Mine first" and scb["origin"] == str(extra)
    assert scb["planned_seconds"] == 120
    assert scb["shadows"] == [
        str(kindful_home / "practices" / "self-compassion-break.yaml"),
        "built-in",
    ]
    assert by_id["evening"]["origin"] == str(kindful_home / "practices")
    assert {"id", "title", "summary", "planned_seconds", "languages", "origin"} <= set(scb)
    assert [r["id"] for r in rows][:2] == ["self-compassion-break", "evening"]


def test_list_reports_an_invalid_file_in_one_line_and_lists_the_rest(
    kindful_home: Path,
) -> None:
    write(kindful_home / "practices", "broken.yaml", "kindful: 1\ntitle: [\n")
    write(kindful_home / "practices", "fine.yaml", practice("Fine"))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert "fine" in result.stdout and "broken" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if "broken.yaml" in line]
    assert len(lines) == 1 and lines[0].startswith("kindful: not listed: ")


def test_list_sees_a_changed_file_despite_the_cache(kindful_home: Path) -> None:
    path = write(kindful_home / "practices", "mine.yaml", practice("Before"))
    assert "Before" in runner.invoke(app, ["list"]).stdout
    path.write_text(practice("After, a longer title"), encoding="utf-8")
    assert "After, a longer title" in runner.invoke(app, ["list"]).stdout


def test_list_in_german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINDFUL_LANG", "de")
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["ID", "Titel"]
    assert lines[1].endswith("eingebaut")


def test_show_reads_a_practice_as_a_script() -> None:
    result = runner.invoke(
        app, ["show", str(FIXTURES / "valid" / "every-kind.yaml"), "--lang", "de"]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Jede Art für Sam" in out
    assert "ein 5,5 s · halten 2 s · aus 5,5 s × 5 Atemzüge" in out
    assert "Runde 1" in out and "Runde 2" in out
    assert "Gesamtdauer: 5 min 45 s" in out
    assert "Quellen" in out and "Neff" in out
    assert "{friend}" in out and "Wer ist ein Freund?" in out


def test_show_unknown_practice_is_one_line_and_exit_1() -> None:
    result = runner.invoke(app, ["show", "self-compasion-break"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "kindful: there is no practice called 'self-compasion-break'; "
        "did you mean self-compassion-break?"
    )


def test_validate_every_problem_and_exit_codes(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["validate", str(FIXTURES / "valid")])
    assert ok.exit_code == 0, ok.output
    assert "all valid" in ok.stderr
    bad = runner.invoke(app, ["validate", str(FIXTURES / "invalid"), str(FIXTURES / "valid")])
    assert bad.exit_code == 1
    lines = bad.stdout.splitlines()
    assert len(lines) >= 8
    assert (
        f"{FIXTURES / 'invalid' / 'unknown-key.yaml'}:5:5: unknown key `secnds` in a `say` step: did you mean `seconds`?"
        in lines
    )
    assert "with problems" in bad.stderr
    empty = runner.invoke(app, ["validate", str(tmp_path)])
    assert empty.exit_code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nests deeper than 64 levels"),
        (b"kindful: 1\ntitle: \xff\n", "not UTF-8"),
        (b"a: !!python/object/apply:os.system [echo hacked]\n", "is not allowed here"),
        (b"#" * (1024 * 1024 + 10), "larger than 1 MiB"),
        (b"", "the file is empty"),
    ],
)
def test_hostile_files_are_one_line_in_a_subprocess(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    for command in (["validate", str(path)], ["show", str(path)]):
        done = subprocess.run(
            [sys.executable, "-m", "kindful", *command], capture_output=True, text=True, timeout=30
        )
        assert done.returncode == 1, done.stderr
        problem_lines = [
            line for line in (done.stdout + done.stderr).splitlines() if message in line
        ]
        assert len(problem_lines) == 1
        assert "Traceback" not in done.stderr


def test_schema_is_json_of_draft_2020_12() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "oneOf" not in schema  # chosen by the `program` key, not tried both ways
    assert schema["if"] == {"required": ["program"]}
    practice = schema["$defs"]["PracticeFile"]
    program = schema["$defs"]["ProgramFile"]
    assert set(practice["required"]) == {"kindful", "title", "steps"}
    assert set(program["required"]) == {"kindful", "program", "title", "weeks"}
    alone = json.loads(runner.invoke(app, ["schema", "--program"]).stdout)
    assert set(alone["required"]) == set(program["required"])
    assert alone["$schema"] == schema["$schema"]
    one = json.loads(runner.invoke(app, ["schema", "--practice"]).stdout)
    assert set(one["required"]) == set(practice["required"])
    assert runner.invoke(app, ["schema", "--practice", "--program"]).exit_code == 2


def test_new_writes_a_starter_that_validates_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "evening-calm"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "evening-calm.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./kindful-practice.schema.json"
    assert json.loads((tmp_path / "kindful-practice.schema.json").read_text())["title"]
    checked = runner.invoke(app, ["validate", str(path)])
    assert checked.exit_code == 0, checked.output
    shown = runner.invoke(app, ["show", str(path)])
    kinds = {
        line.split()[1]
        for line in shown.stdout.splitlines()
        if line[:1] == " " or line[:1].isdigit()
        if len(line.split()) > 1
    }
    assert {"say", "breathe", "silence", "reflect", "rate", "bell", "quote"} <= kinds
    again = runner.invoke(app, ["new", "evening-calm"])
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    bad = runner.invoke(app, ["new", "Evening Calm"])
    assert bad.exit_code == 2


def test_builtins_are_found_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "kindful", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "self-compassion-break" in {row["id"] for row in json.loads(done.stdout)}


def test_validate_and_new_speak_the_language_of_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("lang: de\n", encoding="utf-8")
    monkeypatch.setenv("KINDFUL_CONFIG", str(config))
    checked = runner.invoke(app, ["validate", str(FIXTURES / "valid" / "minimal.yaml")])
    assert checked.exit_code == 0, checked.output
    assert checked.stderr == "1 Übungsdatei, gültig.\n"
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["new", "abend"])
    assert made.exit_code == 0, made.output
    assert "geschrieben" in made.stdout


def test_summaries_are_kept_by_each_files_resolved_path_through_links(
    tmp_path: Path, kindful_home: Path
) -> None:
    """A file reached through a linked folder, or a link to a file, is kept under its real
    path, as ``Path.resolve`` gives it: the folder is resolved once, a linked file on its own."""
    from kindful.practice.library import _list_cache, practice_files

    real = tmp_path / "real"
    write(real, "calm.yaml", practice("Calm"))
    (tmp_path / "linked").symlink_to(real)
    elsewhere = write(tmp_path / "elsewhere", "kept.yaml", practice("Kept"))
    (real / "alias.yaml").symlink_to(elsewhere)
    (real / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    cache = _list_cache()
    for path in practice_files(tmp_path / "linked"):
        cache.summary(path)
    assert sorted(cache.seen) == sorted(
        str(path.resolve())
        for path in practice_files(tmp_path / "linked")
        if path.name != "gone.yaml"  # a link to nothing: said to be unreadable, not kept
    )
