"""Warnings: a valid practice that will likely go wrong for the person practising it.

Each warning is a ``Problem`` with severity ``"warning"`` at the line and column of the value
it is about: a timed text that cannot be spoken calmly in its time, or that leaves less than
``TIME_TO_FEEL`` seconds of quiet after its speech before the next text begins, a long breath hold, interval
bells that never ring, an empty translation, an input no text uses or whose empty default leaves
a gap mid-sentence, a ``STEM_before`` rating without its ``STEM_after``, a rate key used twice,
and an ``id`` that differs from the file name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kindful.errors import Problem
from kindful.practice.checking.file_text import read_text
from kindful.practice.checking.load import parse_with_nodes
from kindful.practice.format import model
from kindful.practice.plan.speaking import SpeechSeconds, speaking_seconds
from kindful.safe_yaml import Node

MAX_HOLD = 10.0
TIME_TO_FEEL = 3.0  # seconds of quiet after a timed text, before the next one begins
_SENTENCE_END = ".!?:;\n"


def file_warnings(
    path: Path, speech_seconds: SpeechSeconds | None = None
) -> tuple[model.Practice, list[Problem]]:
    """Give the practice at ``path`` and its warnings; raise PracticeError if it has errors."""
    shown = str(path)
    practice, root = parse_with_nodes(read_text(path), shown, path.stem)
    return practice, practice_warnings(practice, root, shown, path.stem, speech_seconds)


def text_warnings(
    text: str, path: Path, speech_seconds: SpeechSeconds | None = None
) -> list[Problem]:
    """Give the warnings of a practice file's ``text``; raise PracticeError if it has errors.

    ``speech_seconds`` measures how long a text takes to say (else it is estimated); when it
    has a ``measured_by(lang)`` naming the voice, the warning says which voice measured it.
    """
    shown = str(path)
    practice, root = parse_with_nodes(text, shown, path.stem)
    return practice_warnings(practice, root, shown, path.stem, speech_seconds)


def practice_warnings(
    practice: model.Practice,
    root: Node,
    shown: str,
    stem: str = "",
    speech_seconds: SpeechSeconds | None = None,
) -> list[Problem]:
    """Give the warnings of a valid practice, sorted by position.

    ``speech_seconds(text, lang)`` gives how long a text takes to speak; without it, the
    estimate of ``kindful.practice.plan.speaking`` is used.
    """
    check = _Checker(practice, root, shown, speech_seconds or speaking_seconds)
    check.steps(practice.steps, root.get("steps"))
    check.time_to_feel(_in_run_order(practice.steps, root.get("steps")))
    check.texts_everywhere()
    check.comments_in_steps()
    check.ratings()
    check.identity(stem)
    return sorted(set(check.found))


@dataclass
class _Text:
    """One language of a TEXT in the file: its words, its language and where they stand."""

    text: str
    lang: str | None
    node: Node


class _Checker:
    def __init__(
        self, practice: model.Practice, root: Node, shown: str, speech: SpeechSeconds
    ) -> None:
        self.practice = practice
        self.root = root
        self.shown = shown
        self.speech = speech
        self.found: list[Problem] = []
        self.rate_keys: list[Node] = []
        declared = practice.languages or []
        self.plain_lang = declared[0] if len(declared) == 1 else None
        self.defaults = {i.name: i.default or i.name for i in practice.inputs}

    def warn(self, node: Node, code: str, message: str) -> None:
        self.found.append(
            Problem(self.shown, node.line, node.column, message, severity="warning", code=code)
        )

    # ------------------------------------------------------------------------- steps

    def steps(self, steps: list[model.Step], nodes: Node | None, rounds: int = 1) -> None:
        items = nodes.items if nodes is not None and nodes.is_sequence else []
        for step, node in zip(steps, items, strict=False):
            if isinstance(step, model.Repeat):
                self.steps(step.steps, node.get("steps"), rounds * step.repeat)
                continue
            if rounds > 1 and isinstance(step, model.Rate | model.Survey):
                kind = "rate" if isinstance(step, model.Rate) else "survey"
                self.warn(
                    node.get("key") or node,
                    "answer-in-repeat",
                    f"this `{kind}` is asked in each of {rounds:,} rounds under one key: the "
                    "log keeps one answer per key, so only the last round's is kept",
                )
            self.step(step, node)

    def step(self, step: model.Step, node: Node) -> None:
        if isinstance(step, model.Say | model.Quote) and step.seconds is not None:
            kind = "say" if isinstance(step, model.Say) else "quote"
            self.spoken_in_time(node.get(kind), step.seconds)
        elif isinstance(step, model.Breathe):
            pattern = step.inhale + step.hold + step.out + step.rest
            cycles = step.cycles or max(1, round((step.seconds or 0) / pattern))
            self.spoken_in_time(node.get("breathe"), cycles * pattern)
            hold = node.get("hold")
            if hold is not None and step.hold > MAX_HOLD:
                self.warn(
                    hold,
                    "long-hold",
                    f"a breath hold of {_s(step.hold)} is long: holds over {_s(MAX_HOLD)} "
                    "strain many people; keep it gentle",
                )
        elif isinstance(step, model.Silence):
            self.spoken_in_time(node.get("text"), step.silence)
            every = node.get("bell_every")
            if every is not None and (step.bell_every or 0) >= step.silence:
                self.warn(
                    every,
                    "bell-every",
                    f"`bell_every` ({_s(step.bell_every or 0)}) is as long as the silence "
                    f"({_s(step.silence)}) or longer: no interval bell will ring",
                )
        elif isinstance(step, model.Rate):
            key = node.get("key")
            if key is not None:
                self.rate_keys.append(key)

    def spoken_in_time(self, node: Node | None, seconds: float) -> None:
        for text in self.languages_of(node):
            lang = text.lang or "en"
            filled = model.fill(text.text, {**self.defaults, "round": "1"})
            rough = getattr(self.speech, "rough", None)
            if rough is not None and rough(filled, lang) < seconds / 2:
                continue  # far within its time: not worth synthesising to measure
            needs = self.speech(filled, lang)
            if needs > seconds + 0.05:
                which = f"the `{text.lang}` text" if text.lang and node and node.is_mapping else ""
                subject = which or "this text"
                measured_by = getattr(self.speech, "measured_by", None)
                voice = measured_by(lang) if measured_by else None
                how = f" (measured with {voice})" if voice else ""
                self.warn(
                    text.node,
                    "speaking-time",
                    f"{subject} cannot be spoken calmly in its time: "
                    f"needs about {_s(needs, whole=True)}{how}, has {_s(seconds)}",
                )

    def time_to_feel(self, steps: list[tuple[model.Step, Node]]) -> None:
        """Warn where a timed text leaves too little quiet after its speech, in any language.

        The quiet lasts from the end of the speech to the next text: the rest of the step's own
        time, and any silence without a line that follows. Bells take no time; a text, a
        question or a breathing step ends the quiet. The last text of a practice is followed by
        the closing bells, not by a text, and is not checked here.
        """
        for at, (step, node) in enumerate(steps):
            timed = _timed(step, node)
            if timed is None:
                continue
            text_node, seconds = timed
            after = _quiet_after(steps[at + 1 :])
            if after is None:
                continue  # the end of the practice
            for text in self.languages_of(text_node):
                lang = text.lang or "en"
                needs = self.speech(model.fill(text.text, {**self.defaults, "round": "1"}), lang)
                if needs > seconds + 0.05 or not text.text.strip():
                    continue  # too long for its time is the speaking-time warning
                quiet = seconds - needs + after
                if quiet < TIME_TO_FEEL - 0.05:
                    which = f"the `{text.lang}` text" if text_node.is_mapping else "this text"
                    self.warn(
                        text.node,
                        "time-to-feel",
                        f"{which} leaves {_s(max(quiet, 0.0))} after it is spoken before the "
                        f"next text begins: give it {_s(TIME_TO_FEEL)} or more to be felt "
                        f"(needs about {_s(needs, whole=True)}, has {_s(seconds)})",
                    )

    def languages_of(self, node: Node | None) -> list[_Text]:
        if node is None:
            return []
        if isinstance(node.value, str):
            return [_Text(node.value, self.plain_lang, node)]
        return [
            _Text(value.value, str(key.value), value)
            for key, value in node.pairs
            if isinstance(value.value, str)
        ]

    # ------------------------------------------------------------------------- every text

    def texts_everywhere(self) -> None:
        used: set[str] = set()
        gaps: dict[str, tuple[Node, str]] = {}
        empty = {i.name for i in self.practice.inputs if not i.default}
        for node in _text_nodes(self.root):
            texts = self.languages_of(node)
            if node.is_mapping:
                self.empty_translation(texts)
            for text in texts:
                for used_name, before, after in _uses(text.text):
                    used.add(used_name)
                    if used_name in empty and used_name not in gaps and _gap(before, after):
                        gaps[used_name] = (text.node, _excerpt(before, after))
        for item in _items(self.root.get("inputs")):
            name = item.get("name")
            if name is None or not isinstance(name.value, str):
                continue
            if name.value not in used:
                self.warn(
                    name,
                    "unused-input",
                    f"the input `{name.value}` is asked, but no text uses {{{name.value}}}",
                )
            elif name.value in gaps:
                where, excerpt = gaps[name.value]
                self.warn(
                    item.get("default") or name,
                    "empty-default",
                    f"the input `{name.value}` has an empty default: a person who skips it "
                    f'reads "{excerpt}" (line {where.line}); give a default',
                )

    def comments_in_steps(self) -> None:
        """Warn where a step's text is followed by ` #`: a comment a title may mean, a step not."""
        steps = self.root.get("steps")
        for node in _text_nodes(steps) if steps is not None else []:
            for text in self.languages_of(node):
                if text.node.comment:
                    self.comment_cut(text)

    def comment_cut(self, text: _Text) -> None:
        self.warn(
            text.node,
            "comment-in-text",
            f'the text ends at "{_last_words(text.text)}": ` #` starts a YAML comment, so '
            'the rest of the line is not read; put the whole text in quotes "…"',
        )

    def empty_translation(self, texts: list[_Text]) -> None:
        if not any(t.text.strip() for t in texts):
            return  # an empty breathe: in every language
        for text in texts:
            if not text.text.strip():
                self.warn(
                    text.node,
                    "empty-translation",
                    f"the `{text.lang}` text is empty: a person practising in {text.lang} "
                    "sees nothing here",
                )

    # ------------------------------------------------------------------------- the whole file

    def ratings(self) -> None:
        seen: dict[str, Node] = {}
        for key in self.rate_keys:
            if not isinstance(key.value, str):
                continue
            first = seen.get(key.value)
            if first is not None:
                self.warn(
                    key,
                    "duplicate-rate-key",
                    f"the rate key `{key.value}` is used twice (first at line {first.line}): "
                    "the log keeps one answer per key",
                )
            seen.setdefault(key.value, key)
        for name, key in seen.items():
            stem = name.removesuffix("_before")
            if name.endswith("_before") and f"{stem}_after" not in seen:
                self.warn(
                    key,
                    "unpaired-rating",
                    f"`{name}` has no `{stem}_after`: stats show a change only for a pair",
                )

    def identity(self, stem: str) -> None:
        node = self.root.get("id")
        if node is None or not stem or node.value == stem:
            return
        self.warn(
            node,
            "id-mismatch",
            f"the id `{node.value}` differs from the file name `{stem}`: the log and "
            f"`kindful run {node.value}` use the id; rename the file or the id",
        )


# ----------------------------------------------------------------------------- helpers

_TEXT_KEYS = {"title", "summary", "ask", "text", *model.KINDS} - {
    "silence",
    "bell",
    "repeat",
}
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z_][a-z0-9_]*)\}")


def _in_run_order(steps: list[model.Step], nodes: Node | None) -> list[tuple[model.Step, Node]]:
    """Give the steps as a run meets them, each beside its node; a repeat's rounds twice at
    most, since every later round meets the same neighbours as the second."""
    items = nodes.items if nodes is not None and nodes.is_sequence else []
    ordered: list[tuple[model.Step, Node]] = []
    for step, node in zip(steps, items, strict=False):
        if isinstance(step, model.Repeat):
            body = _in_run_order(step.steps, node.get("steps"))
            ordered += body * min(step.repeat, 2)
        else:
            ordered.append((step, node))
    return ordered


def _timed(step: model.Step, node: Node) -> tuple[Node, float] | None:
    """Give a timed step's text node and its seconds; ``None`` for a step without both."""
    match step:
        case model.Say(seconds=float() | int() as seconds):
            text = node.get("say")
        case model.Quote(seconds=float() | int() as seconds):
            text = node.get("quote")
        case model.Silence():
            text, seconds = node.get("text"), step.silence
        case model.Breathe():
            pattern = step.inhale + step.hold + step.out + step.rest
            cycles = step.cycles or max(1, round((step.seconds or 0) / pattern))
            text, seconds = node.get("breathe"), cycles * pattern
        case _:
            return None
    return (text, float(seconds)) if text is not None else None


def _quiet_after(following: list[tuple[model.Step, Node]]) -> float | None:
    """Give the seconds of quiet the steps after a text add before the next text begins:
    silences without a line count, bells pass; ``None`` when no text follows at all."""
    quiet = 0.0
    for step, node in following:
        if isinstance(step, model.Bell):
            continue
        if isinstance(step, model.Silence) and node.get("text") is None:
            quiet += step.silence
            continue
        return quiet
    return None


def _items(node: Node | None) -> list[Node]:
    return [i for i in node.items if i.is_mapping] if node is not None and node.is_sequence else []


def _text_nodes(root: Node) -> Iterator[Node]:
    """Give every TEXT of the file: titles, questions, guidance, labels."""
    stack = [root]
    while stack:
        node = stack.pop()
        for key, value in node.pairs:
            if key.value in _TEXT_KEYS and (isinstance(value.value, str) or value.is_mapping):
                yield value
            elif key.value == "labels" and value.is_mapping:
                yield from (v for _, v in value.pairs)
            else:
                stack.append(value)
        stack.extend(node.items)


def _uses(text: str) -> Iterator[tuple[str, str, str]]:
    """Give each placeholder in ``text`` with the text before and after it."""
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1):
            yield match.group(1), text[: match.start()], text[match.end() :]


def _gap(before: str, after: str) -> bool:
    """Tell whether an empty answer here leaves a gap: ``imagine  beside you``, ``Dear ,``."""
    start = not before.strip() or before.rstrip()[-1] in _SENTENCE_END
    end = not after.strip() or after.lstrip()[0].isupper() or after.lstrip()[0] == "\n"
    return not (start and end)


def _excerpt(before: str, after: str) -> str:
    head = " ".join(before.split(" ")[-3:])
    tail = " ".join(after.split(" ")[:3])
    return f"…{head}{tail}…".replace("\n", " ")


def _last_words(text: str) -> str:
    words = text.split()
    return ("…" if len(words) > 4 else "") + " ".join(words[-4:])


def _s(seconds: float, *, whole: bool = False) -> str:
    value = float(math.ceil(seconds)) if whole else round(seconds, 1)
    return f"{value:g} s"
