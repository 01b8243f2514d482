"""``kindful new``: a commented starter practice that validates as it is, and its schema."""

from __future__ import annotations

import json
from pathlib import Path

from kindful.errors import KindfulError, UsageError
from kindful.practice.model import json_schema

SCHEMA_NAME = "kindful-practice.schema.json"

TEMPLATE = """\
# yaml-language-server: $schema=./{schema}
# A kindful practice (format 1). Check it with:  kindful validate {file}
# Read it back as a script:                      kindful show {file}
# Rehearse it twenty times faster:              kindful run {file} --speed 20
# Every key is explained in docs/authoring.md of kindful.
kindful: 1
title: {{en: "{title}", de: "{title}"}}
summary:
  en: One or two sentences on what this practice offers.
  de: Ein oder zwei Sätze dazu, was diese Übung schenkt.
author: ""
license: CC-BY-4.0
languages: [en, de]          # every text below then needs both
tags: [self-compassion]
sources:
  - cite: "Neff, K. D. (2003). Self-compassion: An alternative conceptualization of a healthy attitude toward oneself. Self and Identity, 2(2), 85-101."
    doi: 10.1080/15298860309032

inputs:                      # asked before the first step; used as {{friend}} in texts
  - name: friend
    ask: {{en: "Who is a friend you trust?", de: "Wer ist ein Mensch, dem du vertraust?"}}
    default: ""

steps:
  - bell: 1                  # a soft start: one strike
  - rate:                    # a whole number on a scale, logged under `key`
      en: How stressed do you feel right now?
      de: Wie gestresst fühlst du dich gerade?
    key: stress_before
    labels: {{0: {{en: calm, de: ruhig}}, 10: {{en: very stressed, de: sehr gestresst}}}}
  - say:                     # guidance; with `seconds` it is timed, without it waits
      en: Settle in. Your eyes may stay open. You can skip any step or stop at any time.
      de: Komm an. Deine Augen dürfen offen bleiben. Du kannst jeden Schritt überspringen oder jederzeit aufhören.
    seconds: 20
  - breathe:                 # paced breathing: in, hold, out, rest per cycle
      en: Breathe slowly and softly.
      de: Atme langsam und weich.
    in: 4
    hold: 1
    out: 6
    cycles: 4                # or `seconds: 1m`
  - repeat: 2                # the nested steps, twice; {{round}} counts from 1
    steps:
      - say:
          en: "Round {{round}}: imagine {{friend}} beside you, kind and steady."
          de: "Runde {{round}}: Stell dir vor, {{friend}} ist bei dir, freundlich und ruhig."
        seconds: 15
  - silence: 1m              # quiet time; a line of text and interval bells are optional
    text: {{en: Rest here., de: Ruh dich hier aus.}}
    bell_every: 30s
  - quote:
      en: "No act of kindness, no matter how small, is ever wasted."
      de: "Keine freundliche Tat, so klein sie auch sein mag, ist je vergebens."
    by: Aesop
    seconds: 15
  - reflect:                 # a question; the answer is logged unless `save: false`
      en: What would you like to remember from this moment?
      de: Was möchtest du aus diesem Moment mitnehmen?
    save: true
  - rate:
      en: And how stressed do you feel now?
      de: Und wie gestresst fühlst du dich jetzt?
    key: stress_after
    labels: {{0: {{en: calm, de: ruhig}}, 10: {{en: very stressed, de: sehr gestresst}}}}
  - bell: 2
    note: For authors only; never shown.
"""


def write_starter(name: str, folder: Path | None = None) -> tuple[Path, Path]:
    """Write ``NAME.yaml`` and the schema beside it; give both paths. Never overwrite a practice."""
    from kindful.practice.load import _ID

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
    text = TEMPLATE.format(schema=SCHEMA_NAME, file=target.name, title=title)
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
    write_schema(schema)
    return target, schema


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
