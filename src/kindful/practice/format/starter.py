"""``kindful new``: a commented starter practice that validates as it is, and its schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kindful.errors import KindfulError, UsageError
from kindful.practice.format.limits import ID_PATTERN
from kindful.practice.format.schema import json_schema

SCHEMA_NAME = "kindful-practice.schema.json"
_ID = re.compile(ID_PATTERN)

STARTER_LANGUAGES = ("en", "de")

# The starter's texts in each language it is written in; a slot in TEMPLATE per key.
TEXTS: dict[str, dict[str, str]] = {
    "summary": {
        "en": "One or two sentences on what this practice offers.",
        "de": "Ein oder zwei Sätze dazu, was diese Übung schenkt.",
    },
    "ask": {"en": "Who is a friend you trust?", "de": "Wer ist ein Mensch, dem du vertraust?"},
    "default": {"en": "a good friend", "de": "ein guter Freund"},
    "rate_before": {
        "en": "How stressed do you feel right now?",
        "de": "Wie gestresst fühlst du dich gerade?",
    },
    "calm": {"en": "calm", "de": "ruhig"},
    "stressed": {"en": "very stressed", "de": "sehr gestresst"},
    "settle": {
        "en": "Settle in. Your eyes may stay open. You can skip any step or stop at any time.",
        "de": "Komm an. Deine Augen dürfen offen bleiben. "
        "Du kannst jeden Schritt überspringen oder jederzeit aufhören.",
    },
    "breathe": {"en": "Breathe slowly and softly.", "de": "Atme langsam und weich."},
    "round": {
        "en": "Round {round}: imagine {friend} beside you, kind and steady.",
        "de": "Runde {round}: Stell dir vor, {friend} ist bei dir, freundlich und ruhig.",
    },
    "rest": {"en": "Rest here.", "de": "Ruh dich hier aus."},
    "quote": {
        "en": "No act of kindness, no matter how small, is ever wasted.",
        "de": "Keine freundliche Tat, so klein sie auch sein mag, ist je vergebens.",
    },
    "reflect": {
        "en": "What would you like to remember from this moment?",
        "de": "Was möchtest du aus diesem Moment mitnehmen?",
    },
    "rate_after": {
        "en": "And how stressed do you feel now?",
        "de": "Und wie gestresst fühlst du dich jetzt?",
    },
}

TEMPLATE = """\
# yaml-language-server: $schema=./{schema}
# A kindful practice (format 1). Check it with:  kindful validate {file}
# Read it back as a script:                      kindful show {file}
# Rehearse it twenty times faster:              kindful run {file} --speed 20
# Every key is explained in docs/authoring.md of kindful.
kindful: 1
title: {title}
summary: {summary}
author: ""
license: CC-BY-4.0
languages: [{languages}]{languages_note}
tags: [self-compassion]
sources:
  - cite: "Neff, K. D. (2003). Self-compassion: An alternative conceptualization of a healthy attitude toward oneself. Self and Identity, 2(2), 85-101."
    doi: 10.1080/15298860309032

inputs:                      # asked before the first step; used as {{friend}} in texts
  - name: friend
    ask: {ask}
    default: {default}        # the answer when the person gives none

steps:
  - bell: 1                  # a soft start: one strike
  - rate: {rate_before}
    key: stress_before       # a whole number on a scale, logged under `key`
    labels: {{0: {calm}, 10: {stressed}}}
  - say: {settle}
    seconds: 20              # guidance; with `seconds` it is timed, without it waits
  - breathe: {breathe}
    in: 4                    # paced breathing: in, hold, out, rest per cycle
    hold: 1
    out: 6
    cycles: 4                # or `seconds: 1m`
  - repeat: 2                # the nested steps, twice; {{round}} counts from 1
    steps:
      - say: {round}
        seconds: 15
  - silence: 1m              # quiet time; a line of text and interval bells are optional
    text: {rest}
    bell_every: 30s
  - quote: {quote}
    by: Aesop
    seconds: 15
  - reflect: {reflect}
    save: true               # the answer is logged unless `save: false`
  - rate: {rate_after}
    key: stress_after
    labels: {{0: {calm}, 10: {stressed}}}
  - bell: 2
    note: For authors only; never shown.
"""

_INDENT = {"summary": 2, "round": 10}  # the block mappings' indent, where it is not 6
# An input's default is one string for every language: a name reads well in each.
_DEFAULT_FOR_SEVERAL = "Alex"


def starter_text(title: str, schema: str, file: str, langs: list[str]) -> str:
    """Give the starter practice in ``langs``: plain strings for one, mappings for several."""

    def text(key: str) -> str:
        values = TEXTS[key]
        if len(langs) == 1:
            return _quoted(values[langs[0]])
        pad = " " * _INDENT.get(key, 6)
        return "".join(f"\n{pad}{lang}: {_quoted(values[lang])}" for lang in langs)

    def flow(key: str) -> str:
        values = TEXTS[key]
        if len(langs) == 1:
            return _quoted(values[langs[0]])
        return "{" + ", ".join(f"{lang}: {_quoted(values[lang])}" for lang in langs) + "}"

    slots = {key: text(key) for key in TEXTS}
    slots.update(calm=flow("calm"), stressed=flow("stressed"))
    slots.update(ask=flow("ask"), rest=flow("rest"))
    many = len(langs) > 1
    slots["default"] = _quoted(_DEFAULT_FOR_SEVERAL if many else TEXTS["default"][langs[0]])
    written = TEMPLATE.format(
        schema=schema,
        file=file,
        title=("{" + ", ".join(f"{x}: {_quoted(title)}" for x in langs) + "}")
        if many
        else _quoted(title),
        languages=", ".join(langs),
        languages_note="          # every text below then needs each of them"
        if many
        else "              # one language: plain strings are in it",
        **slots,
    )
    return "".join(line.rstrip() + "\n" for line in written.splitlines())


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_starter(
    name: str, folder: Path | None = None, langs: list[str] | None = None
) -> tuple[Path, Path | None]:
    """Write ``NAME.yaml`` and the schema beside it; give both paths.

    Never overwrites a practice, nor a file with the schema's name that kindful did not write
    (then the schema's path is ``None``: the file there is kept).
    """

    langs = list(dict.fromkeys(langs or STARTER_LANGUAGES))
    unknown = [lang for lang in langs if lang not in STARTER_LANGUAGES]
    if unknown:
        raise UsageError(
            f"kindful new writes starters in en and de, not {', '.join(unknown)}: "
            "start from one of them and translate"
        )
    if not Path(name).name:
        raise UsageError("give the new practice a name, such as kind-pause")
    target = Path(name).expanduser()
    if folder is not None and not target.is_absolute():
        target = folder / target
    if target.suffix not in (".yaml", ".yml"):
        target = target.with_name(target.name + ".yaml")
    if not _ID.match(target.stem):
        raise UsageError(
            f"{target.stem!r} cannot be a practice id: use lowercase letters, digits and -"
        )
    schema = target.with_name(SCHEMA_NAME)
    title = target.stem.replace("-", " ").capitalize()
    text = starter_text(title, SCHEMA_NAME, target.name, langs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise KindfulError(
            "already exists; kindful new never overwrites a file", path=target
        ) from None
    except OSError as error:
        raise KindfulError(f"cannot write it: {error.strerror}", path=target) from None
    if _ours_or_none(schema):
        write_schema(schema)
        return target, schema
    return target, None


def _ours_or_none(path: Path) -> bool:
    """Tell whether ``path`` is free for the schema: missing, or a schema kindful wrote."""
    from kindful.files import read_regular

    try:
        kept = json.loads(read_regular(path, 4 * 1024 * 1024))
    except FileNotFoundError:
        return True
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(kept, dict) and str(kept.get("$id", "")).startswith("urn:kindful:")


def schema_text() -> str:
    """Give the JSON Schema of the practice format as text."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path) -> None:
    """Write the schema to ``path`` (replacing an older one in one step)."""
    from kindful.atomic import write_text

    try:
        write_text(path, schema_text())
    except OSError as error:
        raise KindfulError(f"cannot write it: {error.strerror}", path=path) from None
