"""Languages: which one a person wants, and the interface strings in each.

The interface strings live in one catalogue per language (``kindful.locales.en`` and
``kindful.locales.de``), with the same keys, so that German and English stay in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import import_module
from string import Formatter

INTERFACE_LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"


def normalise(code: str) -> str:
    """Give the bare language of a code or locale: ``de_DE.UTF-8`` -> ``de``."""
    code = code.strip().split(".")[0].split("@")[0]
    return code.replace("_", "-").split("-")[0].lower()


def locale_language() -> str | None:
    """Give the language of the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), if it names one."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            lang = normalise(value)
            return None if lang in ("c", "posix") else lang
    return None


def wanted_languages(option: str | None = None, setting: str | None = None) -> list[str]:
    """Give the languages a person asked for, strongest first.

    ``--lang`` beats ``KINDFUL_LANG``, which beats the ``lang`` setting, which beats the locale.
    """
    found = [option, os.environ.get("KINDFUL_LANG"), setting, locale_language()]
    out: list[str] = []
    for code in found:
        if code:
            lang = normalise(code)
            if lang and lang not in out:
                out.append(lang)
    return out


def choose(available: list[str], wanted: list[str]) -> str:
    """Give the first wanted language that is available, else the first available one."""
    for lang in wanted:
        if lang in available:
            return lang
    return available[0] if available else DEFAULT_LANGUAGE


def interface_language(option: str | None = None, setting: str | None = None) -> str:
    """Give the language of kindful's own words for this person."""
    return Languages(wanted_languages(option, setting)).ui


@dataclass(frozen=True)
class Languages:
    """The languages a person wants, strongest first, and the choices every command makes.

    Every command chooses through this: its own words in ``ui``, a practice's texts in
    ``for_texts``, and its own words beside a practice's in ``ui_beside``.
    """

    wanted: list[str]

    @property
    def ui(self) -> str:
        """Give the language of kindful's own words."""
        return choose(list(INTERFACE_LANGUAGES), self.wanted)

    def for_texts(self, available: list[str]) -> str:
        """Give the language to show texts in, of those ``available`` (none: the ``ui`` one)."""
        return choose(available, self.wanted) if available else self.ui

    def ui_beside(self, text_lang: str) -> str:
        """Give the language of kindful's words beside texts in ``text_lang``: the same if it can."""
        return text_lang if text_lang in INTERFACE_LANGUAGES else self.ui


_catalogues: dict[str, dict[str, str]] = {}


def catalogue(lang: str) -> dict[str, str]:
    """Give the interface strings of one language (English for any other)."""
    lang = lang if lang in INTERFACE_LANGUAGES else DEFAULT_LANGUAGE
    if lang not in _catalogues:
        _catalogues[lang] = import_module(f"kindful.locales.{lang}").MESSAGES
    return _catalogues[lang]


def t(lang: str, key: str, /, **values: object) -> str:
    """Give the interface string ``key`` in ``lang``, with ``values`` filled in."""
    template = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    return template.format(**values) if values else template


def tn(lang: str, key: str, count: int, /, **values: object) -> str:
    """Give ``key`` for ``count`` things: its ``KEY_one`` form when ``count`` is 1 and there is one.

    English and German both use the singular for exactly one.
    """
    if count == 1 and f"{key}_one" in catalogue(lang):
        key = f"{key}_one"
    return t(lang, key, **values)


def fields(template: str) -> set[str]:
    """Give the names of the ``{fields}`` a catalogue string uses."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}
