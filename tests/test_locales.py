"""The English and German catalogues stay in step: the same keys, the same placeholders."""

from __future__ import annotations

import pytest

from kindful.i18n import INTERFACE_LANGUAGES, catalogue, fields


def test_every_catalogue_has_the_same_keys() -> None:
    keys = {lang: set(catalogue(lang)) for lang in INTERFACE_LANGUAGES}
    english = keys["en"]
    for lang, own in keys.items():
        assert own - english == set(), f"{lang} has keys English lacks"
        assert english - own == set(), f"{lang} lacks keys English has"


@pytest.mark.parametrize("lang", [lang for lang in INTERFACE_LANGUAGES if lang != "en"])
def test_every_string_uses_the_same_placeholders_as_in_english(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    differ = {k: (fields(english[k]), fields(other[k])) for k in english if k in other}
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}


def test_no_string_is_empty() -> None:
    for lang in INTERFACE_LANGUAGES:
        assert [k for k, v in catalogue(lang).items() if not v.strip()] == [], lang
