"""Warnings: each at the exact line and column of what will go wrong, and validate's verdicts."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

from typer.testing import CliRunner

from kindful.cli import app
from kindful.errors import Problem
from kindful.paths import builtin_practices
from kindful.practice.checking.load import parse_with_nodes
from kindful.practice.checking.warnings import file_warnings, practice_warnings
from kindful.practice.plan.speaking import WORDS_PER_MINUTE, speaking_seconds, words

runner = CliRunner()


def warnings(text: str, stem: str = "p", **options: object) -> list[str]:
    """Give the warnings of a valid practice text as ``LINE:COL: code: message``."""
    practice, root = parse_with_nodes(dedent(text), "p.yaml", stem)
    found = practice_warnings(practice, root, "p.yaml", stem, **options)  # type: ignore[arg-type]
    assert all(isinstance(w, Problem) and w.severity == "warning" for w in found)
    return [f"{w.line}:{w.column}: {w.code}: {w.message}" for w in found]


HEAD = "kindful: 1\ntitle: T\n"


# ----------------------------------------------------------------------------- speaking time


def test_the_estimate_counts_words_at_the_calm_rate_of_each_language() -> None:
    assert words("Don't rush, Selbst-Mitgefühl is one word.") == 6
    assert WORDS_PER_MINUTE == {"en": 110.0, "de": 100.0}
    assert speaking_seconds("one " * 110, "en") == 60.0
    assert speaking_seconds("eins " * 50, "de") == 30.0
    assert speaking_seconds("un " * 50, "fr") == 30.0  # not measured: the slower rate


def test_a_timed_text_too_long_for_its_time_says_what_it_needs() -> None:
    sentence = " ".join(["word"] * 70)  # 70 words: 38.2 s at 110 a minute
    text = HEAD + f"steps:\n  - say: {sentence}\n    seconds: 25\n  - say: short\n    seconds: 3\n"
    assert warnings(text) == [
        "4:10: speaking-time: this text cannot be spoken calmly in its time: "
        "needs about 39 s, has 25 s"
    ]


def test_each_language_is_timed_at_its_own_rate() -> None:
    en = " ".join(["word"] * 45)  # 24.5 s in English: fits 25 s
    de = " ".join(["Wort"] * 45)  # 27 s in German: does not
    text = HEAD + f"steps:\n  - say:\n      en: {en}\n      de: {de}\n    seconds: 25\n"
    assert warnings(text) == [
        "6:11: speaking-time: the `de` text cannot be spoken calmly in its time: "
        "needs about 27 s, has 25 s"
    ]


def test_one_declared_language_times_plain_strings_in_it() -> None:
    de = " ".join(["Wort"] * 45)
    text = HEAD + f"languages: [de]\nsteps:\n  - say: {de}\n    seconds: 25\n"
    assert warnings(text) == [
        "5:10: speaking-time: this text cannot be spoken calmly in its time: "
        "needs about 27 s, has 25 s"
    ]


def test_a_measured_speech_length_replaces_the_estimate() -> None:
    text = HEAD + "steps:\n  - say: Hello there.\n    seconds: 5\n"
    assert warnings(text) == []
    calls: list[tuple[str, str]] = []

    def measured(words: str, lang: str) -> float:
        calls.append((words, lang))
        return 7.5

    assert warnings(text, speech_seconds=measured) == [
        "4:10: speaking-time: this text cannot be spoken calmly in its time: "
        "needs about 8 s, has 5 s"
    ]
    assert calls == [("Hello there.", "en")]


def test_breathing_quotes_and_silences_are_timed_too_and_placeholders_filled() -> None:
    many = " ".join(["word"] * 30)  # 16.4 s
    text = HEAD + dedent(
        f"""\
        inputs: [{{name: friend, ask: Who?, default: Mia}}]
        steps:
          - breathe: {many}
            in: 4
            out: 4
            cycles: 2
          - quote: {many}
            seconds: 16
          - silence: 10
            text: {many}
          - repeat: 2
            steps:
              - say: "{{round}} {{friend}} {many}"
                seconds: 17
        """
    )
    assert warnings(text) == [
        "5:14: speaking-time: this text cannot be spoken calmly in its time: "
        "needs about 17 s, has 16 s",
        "9:12: speaking-time: this text cannot be spoken calmly in its time: "
        "needs about 17 s, has 16 s",
        "12:11: speaking-time: this text cannot be spoken calmly in its time: "
        "needs about 17 s, has 10 s",
        "15:14: speaking-time: this text cannot be spoken calmly in its time: "
        "needs about 18 s, has 17 s",
    ]


def test_untimed_steps_are_never_too_short() -> None:
    many = " ".join(["word"] * 300)
    assert warnings(HEAD + f"steps:\n  - say: {many}\n  - reflect: {many}\n") == []


# ----------------------------------------------------------------------------- time to feel


def seconds_by_length(text: str, lang: str) -> float:
    """Give a made-up speech length: one second a word in English, 1.25 in German."""
    return len(text.split()) * (1.25 if lang == "de" else 1.0)


def test_a_timed_text_leaves_three_seconds_after_its_speech_in_every_language() -> None:
    text = HEAD + dedent(
        """        steps:
          - say:
              en: one two three four five six seven eight
              de: eins zwei drei vier fünf sechs sieben acht
            seconds: 11
          - say: {en: Next., de: Weiter.}
            seconds: 5
          - say: {en: Last., de: Zuletzt.}
            seconds: 5
        """
    )
    # English: 8 s of speech in 11 s leaves 3 s; German: 10 s leaves 1 s.
    assert warnings(text, speech_seconds=seconds_by_length) == [
        "6:11: time-to-feel: the `de` text leaves 1 s after it is spoken before the next text "
        "begins: give it 3 s or more to be felt (needs about 10 s, has 11 s)"
    ]


def test_a_following_silence_counts_and_bells_pass_but_a_line_or_question_ends_the_quiet() -> None:
    five = "one two three four five"
    text = HEAD + dedent(
        f"""        steps:
          - say: {five}
            seconds: 6
          - bell: 1
          - silence: 2
          - say: {five}
            seconds: 6
          - silence: 10
            text: {five}
          - say: {five}
            seconds: 6
          - reflect: What now?
          - say: {five}
            seconds: 6
          - breathe: ""
            in: 4
            out: 4
            cycles: 2
          - say: {five}
            seconds: 6
        """
    )
    # 1 s after each: with the silence of 2 s the first has 3 s; the line of the second silence,
    # the question and the breathing begin at once; the last text is followed by the closing bells.
    assert warnings(text, speech_seconds=seconds_by_length) == [
        "8:10: time-to-feel: this text leaves 1 s after it is spoken before the next text "
        "begins: give it 3 s or more to be felt (needs about 5 s, has 6 s)",
        "12:10: time-to-feel: this text leaves 1 s after it is spoken before the next text "
        "begins: give it 3 s or more to be felt (needs about 5 s, has 6 s)",
        "15:10: time-to-feel: this text leaves 1 s after it is spoken before the next text "
        "begins: give it 3 s or more to be felt (needs about 5 s, has 6 s)",
    ]


def test_a_repeat_is_timed_against_its_next_round_and_what_follows_it() -> None:
    text = HEAD + dedent(
        """        steps:
          - repeat: 3
            steps:
              - say: one two three
                seconds: 4
              - silence: 3
          - say: one two three
            seconds: 4
          - repeat: 2
            steps:
              - silence: 8
                text: one two three four five six
          - say: end
        """
    )
    # Each round of the first repeat has its silence after it; the step after it has 1 s before
    # the second repeat's line; that line has 2 s before its own next round and the last text.
    assert warnings(text, speech_seconds=seconds_by_length) == [
        "9:10: time-to-feel: this text leaves 1 s after it is spoken before the next text "
        "begins: give it 3 s or more to be felt (needs about 3 s, has 4 s)",
        "14:15: time-to-feel: this text leaves 2 s after it is spoken before the next text "
        "begins: give it 3 s or more to be felt (needs about 6 s, has 8 s)",
    ]


def test_a_text_too_long_for_its_time_gets_the_speaking_time_warning_alone() -> None:
    text = HEAD + "steps:\n  - say: one two three four\n    seconds: 3\n  - say: next\n"
    assert [w.split(":")[2].strip() for w in warnings(text, speech_seconds=seconds_by_length)] == [
        "speaking-time"
    ]


def test_the_calibrated_estimate_is_used_without_a_voice() -> None:
    # 22 German words: 13.2 s at 100 a minute; 15 s leaves 1.8 s, 17 s leaves 3.8 s.
    de = " ".join(["Wort"] * 22)
    for seconds, found in ((15, 1), (17, 0)):
        text = HEAD + f"languages: [de]\nsteps:\n  - say: {de}\n    seconds: {seconds}\n"
        text += "  - say: Weiter.\n"
        assert len(warnings(text)) == found


# ----------------------------------------------------------------------------- the other warnings


def test_a_long_hold_and_bells_that_never_ring() -> None:
    text = HEAD + dedent(
        """\
        steps:
          - breathe: ""
            in: 4
            hold: 12
            out: 4
            cycles: 2
          - breathe: ""
            in: 4
            hold: 10
            out: 4
            cycles: 2
          - silence: 30
            bell_every: 30
          - silence: 30
            bell_every: 1m
          - silence: 60
            bell_every: 30
        """
    )
    assert warnings(text) == [
        "6:11: long-hold: a breath hold of 12 s is long: holds over 10 s strain many people; "
        "keep it gentle",
        "15:17: bell-every: `bell_every` (30 s) is as long as the silence (30 s) or longer: "
        "no interval bell will ring",
        "17:17: bell-every: `bell_every` (60 s) is as long as the silence (30 s) or longer: "
        "no interval bell will ring",
    ]


def test_an_empty_translation_but_not_an_empty_breathe() -> None:
    text = dedent(
        """\
        kindful: 1
        title: {en: Calm, de: ""}
        languages: [en, de]
        steps:
          - breathe: {en: "", de: ""}
            in: 4
            out: 4
            cycles: 1
          - rate: {en: How?, de: Wie?}
            key: mood
            labels: {0: {en: low, de: " "}}
        """
    )
    assert warnings(text) == [
        "2:23: empty-translation: the `de` text is empty: a person practising in de sees "
        "nothing here",
        "11:31: empty-translation: the `de` text is empty: a person practising in de sees "
        "nothing here",
    ]


def test_an_input_no_text_uses_and_an_empty_default_mid_sentence() -> None:
    text = dedent(
        """\
        kindful: 1
        title: T
        inputs:
          - name: friend
            ask: Who?
            default: ""
          - name: place
            ask: Where?
          - name: unused
            ask: What?
          - name: closing
            ask: Anything to add?
        steps:
          - say: Imagine {friend} beside you.
          - say: "{place}, you are safe."
          - say: "Rest now. {closing}"
        """
    )
    assert warnings(text) == [
        "6:14: empty-default: the input `friend` has an empty default: a person who skips it "
        'reads "…Imagine  beside you.…" (line 14); give a default',
        "7:11: empty-default: the input `place` has an empty default: a person who skips it "
        'reads "…, you are…" (line 15); give a default',
        "9:11: unused-input: the input `unused` is asked, but no text uses {unused}",
    ]


def test_ratings_unpaired_and_twice() -> None:
    text = HEAD + dedent(
        """\
        steps:
          - rate: How?
            key: stress_before
          - rate: How kind?
            key: kindness_before
          - rate: How kind now?
            key: kindness_after
          - rate: Again?
            key: kindness_after
        """
    )
    assert warnings(text) == [
        "5:10: unpaired-rating: `stress_before` has no `stress_after`: stats show a change only "
        "for a pair",
        "11:10: duplicate-rate-key: the rate key `kindness_after` is used twice (first at "
        "line 9): the log keeps one answer per key",
    ]


def test_an_id_that_differs_from_the_file_name() -> None:
    text = "kindful: 1\nid: evening\ntitle: T\nsteps:\n  - bell: 1\n"
    assert warnings(text, stem="evening-calm") == [
        "2:5: id-mismatch: the id `evening` differs from the file name `evening-calm`: the log "
        "and `kindful run evening` use the id; rename the file or the id"
    ]
    assert warnings(text, stem="evening") == []


# ----------------------------------------------------------------------------- validate


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def test_validate_prints_warnings_exits_0_and_1_under_strict(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", HEAD + "steps:\n  - silence: 30\n    bell_every: 30\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{path}:5:17: warning: `bell_every` (30 s) is as long as the silence (30 s) or longer: "
        "no interval bell will ring"
    ]
    assert "1 practice file, valid; 1 warning." in result.stderr
    strict = runner.invoke(app, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1
    assert strict.stdout == result.stdout


def test_validate_json_lists_errors_and_warnings(tmp_path: Path) -> None:
    good = write(tmp_path, "a.yaml", HEAD + "steps:\n  - silence: 30\n    bell_every: 30\n")
    bad = write(tmp_path, "b.yaml", HEAD + "steps:\n  - say: hi\n    secnds: 3\n")
    result = runner.invoke(app, ["validate", "--format", "json", str(tmp_path)])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": str(good),
            "line": 5,
            "column": 17,
            "severity": "warning",
            "code": "bell-every",
            "message": "`bell_every` (30 s) is as long as the silence (30 s) or longer: "
            "no interval bell will ring",
        },
        {
            "path": str(bad),
            "line": 5,
            "column": 5,
            "severity": "error",
            "code": "unknown-key",
            "message": "unknown key `secnds` in a `say` step: did you mean `seconds`?",
        },
    ]
    assert runner.invoke(app, ["validate", "--format", "xml", str(good)]).exit_code == 2


def test_validate_strict_passes_a_clean_file(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", HEAD + "steps:\n  - say: Breathe.\n    seconds: 5\n")
    result = runner.invoke(app, ["validate", "--strict", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


# ----------------------------------------------------------------------------- the built-ins

# The warnings each built-in practice gets today, as "LINE:COLUMN code". The library is being
# reworked; when it changes, update this table (print it with the loop in the test below).
EXPECTED: dict[str, list[str]] = {
    "affectionate-breathing": [],
    "box-breathing": [],
    "compassionate-letter": [],
    "compassionate-other": [],
    "compassionate-self": [],
    "compassionate-self-correction": [],
    "daily-check-in": [],
    "evening-kindness": [],
    "first-aid": [],
    "giving-and-receiving-compassion": [],
    "how-would-you-treat-a-friend": [],
    "inner-critic": [],
    "just-like-me": [],
    "kind-body-scan": [],
    "loving-kindness": [],
    "rain": [],
    "resonant-breathing": [],
    "self-compassion-break": [],
    "self-compassion-break-short": [],
    "self-compassion-journal": [],
    "soles-of-the-feet": [],
    "soothing-rhythm-breathing": [],
    "soothing-touch": [],
    "weekly-kindness-check": [],
    "words-of-compassion": [],
}


def _is_program(path: Path) -> bool:
    """Tell whether a built-in file is a program (contract, section 9), not a practice."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(raw, dict) and raw.get("program") is True


def test_every_builtin_gets_the_warnings_listed_here() -> None:
    found = {
        path.stem: [f"{w.line}:{w.column} {w.code}" for w in file_warnings(path)[1]]
        for path in sorted(builtin_practices().glob("*.yaml"))
        if not _is_program(path)
    }
    assert found == EXPECTED


def test_the_pre_commit_hook_runs_validate_strict(tmp_path: Path) -> None:
    import re
    import shlex

    import yaml

    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "kindful-validate" and hook["language"] == "python"
    command = shlex.split(hook["entry"])
    assert command[0] == "kindful"
    assert hook["types"] == ["yaml"]  # holds even when a repository sets its own `files:`
    exclude = re.compile(hook["exclude"])
    assert exclude.search(".pre-commit-config.yaml") and not exclude.search("evening.yaml")
    clean = write(tmp_path, "clean.yaml", HEAD + "steps:\n  - say: Breathe.\n    seconds: 5\n")
    warned = write(tmp_path, "warned.yaml", HEAD + "steps:\n  - silence: 30\n    bell_every: 30\n")
    assert runner.invoke(app, [*command[1:], str(clean)]).exit_code == 0
    assert runner.invoke(app, [*command[1:], str(clean), str(warned)]).exit_code == 1
