"""The built-in library: every practice valid, complete in both languages, and runnable."""

from __future__ import annotations

import itertools
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
from kindful.practice.checking.load import load_practice
from kindful.practice.format.model import Practice, placeholders
from kindful.practice.plan.planner import Breathe, Plan, Quote, Rate, Say, Silence, make_plan

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
    "rain",
    "compassionate-other",
    "kind-body-scan",
    "first-aid",
    "affectionate-breathing",
    "evening-kindness",
    "soles-of-the-feet",
    "how-would-you-treat-a-friend",
    "self-compassion-break-short",
    "giving-and-receiving-compassion",
    "self-compassion-journal",
    "compassionate-self-correction",
)
LANGS = ("en", "de")
MEASURED = (
    "self-compassion-break",
    "soothing-rhythm-breathing",
    "inner-critic",
    "daily-check-in",
    "rain",
)
BREATHING = (
    "resonant-breathing",
    "soothing-rhythm-breathing",
    "box-breathing",
    "affectionate-breathing",
    "first-aid",
)
RATING_KEYS = {"stress_before", "stress_after", "kindness_before", "kindness_after"}
ANSWERS = {"loved_one": "Mia"}
LONGEST_HOLD = 7.0
# The contract's speaking-time warning (section 4): a calm pace, in words a minute.
CALM_PACE = {"en": 110, "de": 100}
# Where a person in distress may be, the opening says where to find help.
CRISIS_OPENINGS = (
    "self-compassion-break",
    "self-compassion-break-short",
    "inner-critic",
    "compassionate-letter",
    "first-aid",
    "how-would-you-treat-a-friend",
    "self-compassion-journal",
    "compassionate-self-correction",
)
EMERGENCY = {"en": "emergency number", "de": "112"}
CRISIS_POINTERS = {
    "en": ("emergency number", "findahelpline.com"),
    "de": ("112", "0800 111 0 111", "0800 111 0 222", "142", "143"),
}


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


def is_program(path: Path) -> bool:
    """Tell whether a file in the library is a program (contract, section 9), not a practice."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(raw, dict) and raw.get("program") is True


def practice_files() -> list[Path]:
    """Give the library's practice files, leaving out its programs."""
    return [p for p in sorted(builtin_practices().glob("*.yaml")) if not is_program(p)]


def test_the_library_holds_exactly_these_practices() -> None:
    assert sorted(p.stem for p in practice_files()) == sorted(IDS)
    assert len(IDS) == 25, "twenty-four practices and the weekly check"


@pytest.mark.parametrize("practice_id", IDS)
def test_loads_without_problems(practice_id: str) -> None:
    practice = load_practice(path_of(practice_id))
    assert practice.kindful == 1
    assert practice.id in (None, practice_id)


def test_validate_accepts_every_practice_file() -> None:
    # The folder also holds a program, which this validate does not read yet: name the files.
    result = CliRunner().invoke(app, ["validate", *map(str, practice_files())])
    assert result.exit_code == 0, result.output


PROGRAM = "four-weeks-of-kindness"
PROGRAM_WEEKS = (
    {
        "weekly-kindness-check",
        "daily-check-in",
        "first-aid",
        "soles-of-the-feet",
        "soothing-touch",
        "soothing-rhythm-breathing",
        "affectionate-breathing",
    },
    {"self-compassion-break", "loving-kindness", "rain", "weekly-kindness-check"},
    {
        "compassionate-other",
        "compassionate-self",
        "inner-critic",
        "compassionate-letter",
        "weekly-kindness-check",
    },
    {"just-like-me", "loving-kindness", "words-of-compassion", "weekly-kindness-check"},
)


def test_the_program_holds_four_weeks_of_built_in_practices() -> None:
    """Check the program file raw (contract, section 9): the code that reads it lives elsewhere."""
    path = builtin_practices() / f"{PROGRAM}.yaml"
    assert is_program(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["kindful"] == 1
    assert raw["languages"] == list(LANGS)
    assert set(raw) == {"kindful", "program", "title", "summary", "languages", "sources", "weeks"}
    assert raw["sources"]
    for text in (raw["title"], raw["summary"]):
        assert set(text) == set(LANGS) and all(text[lang].strip() for lang in LANGS)
    assert len(raw["weeks"]) == len(PROGRAM_WEEKS)
    for week, practices in zip(raw["weeks"], PROGRAM_WEEKS, strict=True):
        assert set(week) == {"title", "text", "days"}
        for text in (week["title"], week["text"]):
            assert set(text) == set(LANGS) and all(text[lang].strip() for lang in LANGS)
        assert week["days"] and all(isinstance(day, list) and day for day in week["days"])
        used = {practice_id for day in week["days"] for practice_id in day}
        assert used == practices
        assert used <= set(IDS)


def program_days() -> list[list[list[str]]]:
    raw = yaml.safe_load((builtin_practices() / f"{PROGRAM}.yaml").read_text(encoding="utf-8"))
    return [week["days"] for week in raw["weeks"]]


def test_the_program_checks_in_on_day_one_and_at_the_end_of_each_week() -> None:
    weeks = program_days()
    assert "weekly-kindness-check" in weeks[0][0], "a baseline on the first day"
    for days in weeks:
        assert "weekly-kindness-check" in days[-1]
        assert all("weekly-kindness-check" not in day for day in days[1:-1])


def test_the_program_never_puts_the_critic_and_the_letter_on_days_next_to_each_other() -> None:
    days = [day for week in program_days() for day in week]
    heavy = {"inner-critic", "compassionate-letter"}
    for today, tomorrow in itertools.pairwise(days):
        assert not (heavy & set(today) and heavy & set(tomorrow)), (today, tomorrow)
    assert all(len(heavy & set(day)) < 2 for day in days)


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
    if practice_id == "first-aid":
        assert 45 <= seconds <= 90
    elif practice_id == "daily-check-in":
        assert 90 <= seconds <= 150
    elif practice_id == "soles-of-the-feet":  # a grounding of two or three minutes
        assert 2 * 60 <= seconds <= 3 * 60
    elif practice_id == "weekly-kindness-check":  # its questions and opening take no set time
        assert 10 <= seconds <= 120
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


def test_resonant_breathing_paces_five_and_a_half_breaths_with_a_longer_out_breath() -> None:
    breathing = [s for s in plan_of("resonant-breathing", "en").steps if isinstance(s, Breathe)]
    assert breathing
    for step in breathing:
        assert (step.pattern.inhale, step.pattern.exhale, step.pattern.hold) == (4.5, 6.5, 0.0)


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


# A key named in a text: "press n", "mit q", "drück s", Enter, the space bar. The interface
# says how to pause, move on, soften and stop, in words that fit where it is heard.
KEY_NAMES = re.compile(
    r"(?<![\w'’-])[nsq](?![\w'’-])"  # a key's letter alone: "with n", "drück s", "(q)"
    r"|\b(?:Enter|Escape|Leertaste|Eingabetaste|[Ss]pace ?bar)\b"
    r"|\b(?:[Pp]ress|[Hh]it|[Dd]rück\w*)\s+(?:the\s+|die\s+)?\w*(?:key|[Tt]aste)\b"
)


def test_the_key_pattern_finds_key_names_and_nothing_else() -> None:
    named_keys = ("press n", "Mit q hörst du auf", "drück s", "then Enter.", "(q)", "hit the key")
    for named in named_keys:
        assert KEY_NAMES.search(named), named
    plain_words = ("you can move on or stop", "Nimm dir Zeit.", "N: nurture", "press your feet")
    for plain in (*plain_words, "enter the room", "a key moment"):
        assert not KEY_NAMES.search(plain), plain


@pytest.mark.parametrize("path", sorted(builtin_practices().glob("*.yaml")), ids=lambda p: p.stem)
def test_no_text_names_a_key(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = language_texts(raw)
    assert texts
    named = [text[lang] for text in texts for lang in LANGS if KEY_NAMES.search(text[lang])]
    assert not named


@pytest.mark.parametrize("practice_id", IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_opening_waits(practice_id: str, lang: str) -> None:
    first = next(s for s in plan_of(practice_id, lang).steps if s.kind == "say")
    assert first.seconds is None, "the opening waits for the person, however fast they read"


@pytest.mark.parametrize("practice_id", CRISIS_OPENINGS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_opening_points_to_help_in_a_crisis(practice_id: str, lang: str) -> None:
    says = [s for s in plan_of(practice_id, lang).steps if s.kind == "say"]
    if practice_id == "first-aid":
        # The minute begins at once (in audio within 15 s): the opening names the emergency
        # number, and the crisis lines come at the end.
        assert EMERGENCY[lang] in says[0].text
        says = says[-1:]
    for pointer in CRISIS_POINTERS[lang]:
        assert pointer in says[0].text, pointer


def timed_texts(plan: Plan) -> list[tuple[str, float]]:
    """Give every text that has to be read within a time: the text and its seconds."""
    timed: list[tuple[str, float]] = []
    for step in plan.steps:
        if isinstance(step, Say | Quote | Silence | Breathe) and step.text and step.seconds:
            timed.append((step.text, step.seconds))
    return timed


@pytest.mark.parametrize("practice_id", IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_timed_text_can_be_read_calmly_in_its_time(practice_id: str, lang: str) -> None:
    rushed = []
    for text, seconds in timed_texts(plan_of(practice_id, lang)):
        needed = len(text.split()) / CALM_PACE[lang] * 60
        if needed > seconds:
            rushed.append(f"{seconds:g} s for {needed:.1f} s of words: {text[:50]}")
    assert not rushed


@pytest.mark.parametrize("practice_id", IDS)
def test_clean_under_the_strict_warnings(practice_id: str) -> None:
    """Check by hand what ``validate --strict`` warns about, besides the speaking time."""
    raw = yaml.safe_load(path_of(practice_id).read_text(encoding="utf-8"))
    assert raw.get("id", practice_id) == practice_id
    plan = plan_of(practice_id, "en")
    for step in plan.steps:
        if isinstance(step, Breathe):
            assert step.pattern.hold <= 10
        if isinstance(step, Silence) and step.bell_every is not None:
            assert step.bell_every < (step.seconds or 0)
    keys = [s.key for s in plan.steps if isinstance(s, Rate)]
    assert len(keys) == len(set(keys)), "a rate key is used twice"
    for key in keys:
        if key.endswith("_before"):
            assert key.replace("_before", "_after") in keys
    used = {name for text in language_texts(raw) for name in placeholders(text["en"])}
    for question in raw.get("inputs", []):
        assert question["name"] in used, f"no text uses the input {question['name']}"


def test_loving_kindness_reads_well_without_a_name() -> None:
    for lang in LANGS:
        texts = [s.text for s in plan_of("loving-kindness", lang, {}).steps]
        assert not any("{" in t or "  " in t for t in texts)


def test_list_json_shows_them_all_as_built_in() -> None:
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


class EstimatedVoice:
    """Speaks each text for as long as the calibrated estimate says it takes, in silence."""

    name = "estimate"

    def speak(self, text: str, lang: str) -> Any:
        import numpy as np

        from kindful.practice.plan.speaking import speaking_seconds
        from kindful.sound.bowl import RATE

        return np.zeros(int(speaking_seconds(text, lang) * RATE), dtype=np.float32)


@pytest.mark.parametrize("lang", LANGS)
def test_first_aid_in_audio_reaches_its_minute_within_15_s_and_ends_with_help(lang: str) -> None:
    from kindful.session.offline import lay_out
    from kindful.session.sounding import Hearing

    plan = plan_of("first-aid", lang)
    laid = lay_out(plan, Hearing(voice=EstimatedVoice()), ui=lang, tell=lambda _: None)
    says = [s for s in plan.steps if isinstance(s, Say)]
    feet = next(cue for cue in laid.cues if cue.text == says[1].text)
    assert feet.start <= 15.0
    assert laid.cues[-1].text == says[-1].text
    for pointer in CRISIS_POINTERS[lang]:
        assert pointer in laid.cues[-1].text
