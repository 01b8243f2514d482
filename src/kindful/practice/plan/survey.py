"""Scoring a ``survey`` step: pure, from the answers given (``None`` for an item skipped).

A reverse item scores ``low + high - answer``. The score, and each subscale's, is the mean or
the sum (as the survey says) of the items answered; ``answered`` says how many those were, so
that a score from fewer items is never passed off as a whole one.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from kindful.frozen import frozen
from kindful.practice.plan.planner import Survey


@frozen
class SurveyScore:
    """A survey's score, its subscale scores, the answers as given, and how many were answered."""

    score: float
    answers: list[int | None]
    subscales: dict[str, float] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return sum(answer is not None for answer in self.answers)

    def to_record(self) -> dict[str, Any]:
        """Give the survey as the record holds it (contract section 5)."""
        return {
            "score": self.score,
            "subscales": dict(self.subscales),
            "answers": list(self.answers),
        }


def _combine(values: list[int], how: str) -> float:
    total = sum(values)
    return round(total / len(values), 4) if how == "mean" else float(total)


def score_survey(step: Survey, answers: list[int | None]) -> SurveyScore | None:
    """Give the score of ``answers`` to ``step``, ``None`` when no item was answered.

    Raises ``ValueError`` for answers that do not fit: too many or too few, or off the scale.
    """
    if len(answers) != len(step.items):
        raise ValueError(f"{len(step.items)} answers, one per item")
    scored: list[int] = []
    by_subscale: dict[str, list[int]] = {}
    for item, answer in zip(step.items, answers, strict=True):
        if answer is None:
            continue
        if type(answer) is not int or not step.low <= answer <= step.high:
            raise ValueError(f"an answer from {step.low} to {step.high}")
        value = step.low + step.high - answer if item.reverse else answer
        scored.append(value)
        if item.subscale is not None:
            by_subscale.setdefault(item.subscale, []).append(value)
    if not scored:
        return None
    subscales = {name: _combine(values, step.score) for name, values in sorted(by_subscale.items())}
    return SurveyScore(_combine(scored, step.score), list(answers), subscales)
