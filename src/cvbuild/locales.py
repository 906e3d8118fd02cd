"""The per-language words cvbuild itself prints. Dates and plurals come from CLDR
(Babel); only what CLDR does not know lives here. Adding a language is adding a row."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "ru": {
        "cv": "резюме",
        "present": "настоящее время",
        "babel": "ru",
        "bcp47": "ru-RU",
        "polyglossia": "russian",
    },
    "en": {
        "cv": "CV",
        "present": "Present",
        "babel": "en",
        "bcp47": "en-GB",
        "polyglossia": "english",
    },
}

_FALLBACK = WORDS["en"]


def words(lang: str) -> dict[str, str]:
    """The words for a language, English where a language has no row yet."""
    row = WORDS.get(lang)
    if row is None:
        return {**_FALLBACK, "babel": lang, "bcp47": lang, "polyglossia": "english"}
    return row
