"""An independent validator agrees with kindful: check-jsonschema, `kindful schema`, one corpus.

Every file of the corpora (broken, warned, valid, and the library) is judged by both; they must
agree on pass or fail, except for the checks docs/authoring.md says only kindful makes
("What the schema cannot see"): a file here is listed with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful.cli import app

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CHECK = shutil.which("check-jsonschema")

pytestmark = pytest.mark.skipif(
    CHECK is None, reason="needs check-jsonschema (pip install check-jsonschema)"
)

# What only kindful checks, each file with the check it needs (docs/authoring.md).
KINDFUL_ALONE = {
    "invalid/bilingual-plain.yaml": "languages: plain strings under two declared languages",
}


def corpus() -> list[Path]:
    files = [
        *sorted((FIXTURES / "invalid").glob("*.yaml")),
        *sorted((FIXTURES / "warned").rglob("*.yaml")),
        *sorted((FIXTURES / "valid").glob("*.yaml")),
        *sorted((ROOT / "practices").glob("*.yaml")),
    ]
    assert len(files) > 60
    return files


def name(path: Path) -> str:
    return str(path.relative_to(FIXTURES if FIXTURES in path.parents else ROOT))


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bool, bool]]:
    """Give each file's name with (kindful refuses it, check-jsonschema refuses it)."""
    files = corpus()
    schema = tmp_path_factory.mktemp("schema") / "kindful.schema.json"
    printed = CliRunner().invoke(app, ["schema"])
    assert printed.exit_code == 0, printed.output
    schema.write_text(printed.stdout, encoding="utf-8")
    assert CHECK is not None
    done = subprocess.run(
        [CHECK, "--schemafile", str(schema), "-o", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(done.stdout)
    by_schema = {e["filename"] for e in report["errors"]}
    by_schema |= {e["filename"] for e in report["parse_errors"]}
    result = CliRunner().invoke(app, ["validate", "--format", "json", *map(str, files)])
    by_kindful = {p["path"] for p in json.loads(result.stdout) if p["severity"] == "error"}
    return {name(f): (str(f) in by_kindful, str(f) in by_schema) for f in files}


def test_both_refuse_the_same_files(judged: dict[str, tuple[bool, bool]]) -> None:
    differ = {
        file: f"kindful {'refuses' if k else 'passes'}, check-jsonschema {'refuses' if s else 'passes'}"
        for file, (k, s) in judged.items()
        if k != s and file not in KINDFUL_ALONE
    }
    assert differ == {}


def test_what_kindful_alone_checks_is_still_needed(judged: dict[str, tuple[bool, bool]]) -> None:
    """Each listed file is refused by kindful and passed by the schema: else, unlist it."""
    assert {file: judged[file] for file in KINDFUL_ALONE} == dict.fromkeys(
        KINDFUL_ALONE, (True, False)
    )


def test_the_corpus_has_both_kinds(judged: dict[str, tuple[bool, bool]]) -> None:
    refused = [f for f, (k, _) in judged.items() if k]
    assert len(refused) >= 35 and len(judged) - len(refused) >= 20


def test_an_error_points_into_the_file_not_at_the_whole_document(tmp_path: Path) -> None:
    """With the format chosen by `program`, each error names its place, not the whole file."""
    schema = tmp_path / "kindful.schema.json"
    schema.write_text(CliRunner().invoke(app, ["schema"]).stdout, encoding="utf-8")
    assert CHECK is not None
    files = [FIXTURES / "invalid" / n for n in ("unknown-key.yaml", "flat-days.yaml")]
    done = subprocess.run(
        [CHECK, "--schemafile", str(schema), "-o", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = json.loads(done.stdout)["errors"]
    assert {e["path"] for e in errors} == {
        "$.steps[0]",
        "$.weeks[0].days[0]",
        "$.weeks[0].days[1]",
        "$.weeks[0].days[2]",
    }
    assert all(len(e["message"]) < 200 for e in errors)
