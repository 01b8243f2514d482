"""The bounds of the practice format, in one place, free of pydantic.

The model (``model``, ``durations``) enforces them on a file; the types of a validated practice
(``plan.written``) carry those a run depends on; planning and texts use them too.
"""

from __future__ import annotations

MAX_STEPS = 10_000  # steps of a practice, every repeat expanded
MAX_TEXT = 10_000  # characters of a text with its inputs filled in
MAX_ANSWER = 200  # characters of an input's answer (its default too)
ROUND_WIDTH = 5  # characters {round} can fill (rounds go up to 10,000)
MAX_SECONDS = 24 * 3600.0  # a duration at most
MIN_BREATH = 1.0  # seconds of a breath phase (in, out) at least
MIN_BELL_EVERY = 5.0  # seconds between interval bells at least

# Budgets for the whole practice, every repeat expanded and every input filled in: checked when
# it is planned (and by validate, with the inputs' defaults), before anything is shown or heard.
MAX_TOTAL_SECONDS = 12 * 3600.0  # the timed total, --minutes included
MAX_TOTAL_TEXT = 500_000  # characters of all texts together: some 12 h of speech
# A scale's bounds are whole numbers that fit in 32 bits, at most this many points apart.
SCALE_LOWEST = -(2**31)
SCALE_HIGHEST = 2**31 - 1
MAX_POINTS = 100
# The format's defaults that a planned step repeats for whoever builds one by hand
RATE_MIN, RATE_MAX = 0, 10  # a rating's scale
SURVEY_MIN, SURVEY_MAX = 1, 5  # a survey's scale

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z_][a-z0-9_]*$"
LANG_PATTERN = r"^[a-z]{2,3}$"  # a language alone: a run asked for de-AT finds de
