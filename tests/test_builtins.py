"""The built-in library: every practice valid, complete in both languages, and runnable."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kindful.cli import app
from kindful.paths import builtin_practices
from kindful.practice.load import load_practice
from kindful.practice.model import Practice, placeholders
from kindful.practice.plan import Breathe, Plan, Rate, make_plan

IDS = (
    "self-compassion-break",
    "loving-kindness",
    "resonant-breathing",
    "soothing-rhythm-breathing",
    "compassionate-self",
    "soothing-touch",
    "compassionate-letter",
    "just-like-me",
    "box-breathing",
    "inner-critic",
    "words-of-compassion",
    "daily-check-in",
    "weekly-kindness-check",
)
LANGS = ("en", "de")
MEASURED = ("self-compassion-break", "soothing-rhythm-breathing", "inner-critic", "daily-check-in")
BREATHING = ("resonant-breathing", "soothing-rhythm-breathing", "box-breathing")
RATING_KEYS = {"stress_before", "stress_after", "kindness_before", "kindness_after"}
ANSWERS = {"loved_one": "Mia"}
LONGEST_HOLD = 7.0


def path_of(practice_id: str) -> Path:
    return builtin_practices() / f"{practice_id}.yaml"


def plan_of(practice_id: str, lang: str, answers: dict[str, str] | None = None) -> Plan:
    return make_plan(
        load_practice(path_of(practice_id)), lang, ANSWERS if answers is None else answers
    )


def language_texts(node: Any) -> list[dict[str, str]]:
    """Give every TEXT written as a language mapping, anywhere in a raw practice file."""
    if isinstance(node, dict):
        if node and set(node) <= set(LANGS) and all(isinstance(v, str) for v in node.values()):
            return [node]
        return [t for value in node.values() for t in language_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in language_texts(value)]
    return []


def test_the_library_holds_exactly_these() -> None:
    assert sorted(p.stem for p in builtin_practices().glob("*.yaml")) == sorted(IDS)


@pytest.mark.parametrize("practice_id", IDS)
def test_loads_without_problems(practice_id: str) -> None:
    practice = load_practice(path_of(practice_id))
    assert practice.kindful == 1
    assert practice.id in (None, practice_id)


def test_validate_accepts_the_whole_folder() -> None:
    result = CliRunner().invoke(app, ["validate", str(builtin_practices())])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("practice_id", IDS)
def test_metadata(practice_id: str) -> None:
    practice = load_practice(path_of(practice_id))
    assert practice.author == "kindful"
    assert practice.license == "CC-BY-4.0"
    assert practice.languages == list(LANGS)
    assert practice.tags
    for text in (practice.title, practice.summary):
        assert isinstance(text, dict) and all(text[lang].strip() for lang in LANGS)


@pytest.mark.parametrize("practice_id", IDS)
def test_every_text_is_complete_in_both_languages_with_the_same_placeholders(
    practice_id: str,
) -> None:
    raw = yaml.safe_load(path_of(practice_id).read_text(encoding="utf-8"))
    texts = language_texts(raw)
    assert texts
    for text in texts:
        assert set(text) == set(LANGS), text
        assert all(text[lang].strip() for lang in LANGS), text
        found = [sorted(str(n) for n in placeholders(text[lang])) for lang in LANGS]
        assert found[0] == found[1], text


@pytest.mark.parametrize("practice_id", IDS)
def test_both_languages_plan_the_same_steps(practice_id: str) -> None:
    plans = [plan_of(practice_id, lang) for lang in LANGS]
    shapes = [[(s.kind, s.seconds, s.round) for s in plan.steps] for plan in plans]
    assert shapes[0] == shapes[1]
    for plan in plans:
        assert "{" not in "".join(s.text for s in plan.steps), "a placeholder was left unfilled"


@pytest.mark.parametrize("practice_id", IDS)
def test_has_real_sources(practice_id: str) -> None:
    practice = load_practice(path_of(practice_id))
    assert practice.sources
    for source in practice.sources:
        assert re.search(r"\((19|20)\d\d\)", source.cite) or source.url, source.cite
        if source.doi:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", source.doi), source.doi


@pytest.mark.parametrize("practice_id", IDS)
def test_timed_length(practice_id: str) -> None:
    seconds = plan_of(practice_id, "en").planned_seconds
    if practice_id == "daily-check-in":
        assert 90 <= seconds <= 150
    elif practice_id == "weekly-kindness-check":  # mostly its questions, which take no set time
        assert 30 <= seconds <= 120
    else:
        assert 3 * 60 <= seconds <= 12 * 60


@pytest.mark.parametrize("practice_id", IDS)
def test_breath_holds_stay_gentle(practice_id: str) -> None:
    for step in plan_of(practice_id, "en").steps:
        if isinstance(step, Breathe):
            assert step.pattern.hold <= LONGEST_HOLD
            assert step.pattern.rest <= LONGEST_HOLD


@pytest.mark.parametrize("practice_id", BREATHING)
def test_breathing_practices_offer_the_natural_breath(practice_id: str) -> None:
    for lang, word in (("en", "natural"), ("de", "natürlich")):
        assert word in " ".join(s.text for s in plan_of(practice_id, lang).steps)


def test_resonant_breathing_paces_five_and_a_half_seconds() -> None:
    breathing = [s for s in plan_of("resonant-breathing", "en").steps if isinstance(s, Breathe)]
    assert breathing
    for step in breathing:
        assert (step.pattern.inhale, step.pattern.exhale, step.pattern.hold) == (5.5, 5.5, 0.0)


@pytest.mark.parametrize("practice_id", IDS)
def test_ratings_come_in_pairs_with_both_ends_named(practice_id: str) -> None:
    rates = [s for s in plan_of(practice_id, "en").steps if isinstance(s, Rate)]
    keys = {r.key for r in rates}
    assert keys <= RATING_KEYS
    for stem in ("stress", "kindness"):
        assert (f"{stem}_before" in keys) == (f"{stem}_after" in keys)
    for rate in rates:
        assert (rate.low, rate.high) == (0, 10)
        assert set(rate.labels) >= {0, 10}


@pytest.mark.parametrize("practice_id", MEASURED)
def test_measures_before_and_after(practice_id: str) -> None:
    steps = plan_of(practice_id, "en").steps
    rated = {s.key: i for i, s in enumerate(steps) if isinstance(s, Rate)}
    befores = [k for k in rated if k.endswith("_before")]
    assert befores
    for before in befores:
        after = before.replace("_before", "_after")
        assert rated[before] < len(steps) / 3, "the first rating should come near the start"
        assert rated[after] > 2 * len(steps) / 3, "the second rating should come near the end"


@pytest.mark.parametrize("practice_id", IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_opening_says_how_to_soften_and_stop(practice_id: str, lang: str) -> None:
    first = next(s for s in plan_of(practice_id, lang).steps if s.kind == "say")
    assert re.search(r"\bs\b", first.text), first.text
    assert re.search(r"\bq\b", first.text), first.text


def test_loving_kindness_reads_well_without_a_name() -> None:
    for lang in LANGS:
        texts = [s.text for s in plan_of("loving-kindness", lang, {}).steps]
        assert not any("{" in t or "  " in t for t in texts)


def test_list_json_shows_all_twelve_as_built_in() -> None:
    result = CliRunner().invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert set(IDS) <= set(rows)
    for practice_id in IDS:
        row = rows[practice_id]
        assert row["origin"] == "built-in"
        assert row["languages"] == list(LANGS)
        assert row["title"] and row["summary"]
        assert row["planned_seconds"] == pytest.approx(plan_of(practice_id, "en").planned_seconds)


@pytest.mark.parametrize("practice_id", IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_show_reads_as_a_script_with_its_sources(practice_id: str, lang: str) -> None:
    practice = load_practice(path_of(practice_id))
    result = CliRunner().invoke(app, ["show", practice_id, "--lang", lang])
    assert result.exit_code == 0, result.output
    assert plan_of(practice_id, lang).title in result.stdout
    for source in practice.sources:
        assert source.cite.split()[0].rstrip(",.") in result.stdout


def piped_answers(practice: Practice, lang: str) -> str:
    """Give one line per question a plain run asks: the inputs, then each rate and reflect."""
    lines = [ANSWERS.get(q.name, "") for q in practice.questions(lang)]
    for step in make_plan(practice, lang, ANSWERS).steps:
        if step.kind == "rate":
            lines.append("4")
        elif step.kind == "reflect":
            lines.append("ein freundliches Wort" if lang == "de" else "a kind word")
    return "".join(f"{line}\n" for line in lines)


@pytest.mark.parametrize("practice_id", IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_runs_to_the_end_in_plain_mode(practice_id: str, lang: str, kindful_home: Path) -> None:
    practice = load_practice(path_of(practice_id))
    command = [sys.executable, "-m", "kindful", "run", practice_id, "--plain"]
    command += ["--speed", "10000", "--no-log", "--lang", lang]
    done = subprocess.run(
        command,
        input=piped_answers(practice, lang),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    closing = [s for s in make_plan(practice, lang, ANSWERS).steps if s.kind in ("say", "quote")]
    assert closing[-1].text.split()[0] in done.stdout
    assert not (kindful_home / "sessions.jsonl").exists()
