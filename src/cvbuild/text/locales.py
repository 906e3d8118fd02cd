"""The per-language words cvbuild itself prints. Dates and plurals come from CLDR
(Babel); only what CLDR does not know lives here. Adding a language is adding a row."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "ru": {
        "cv": "резюме",
        "present": "настоящее время",
        "present_short": "н.\u00a0в.",
        # the customary month form in a CV: "январь 2020" in Russian, "Jan 2020" in English
        "date_style": "long",
        "babel": "ru",
        "bcp47": "ru-RU",
        "polyglossia": "russian",
        # the running footer from page 2 on: "стр. 2 из 3"
        "page": "стр.",
        "of": "из",
    },
    "en": {
        "cv": "CV",
        "present": "Present",
        "present_short": "Present",
        "date_style": "short",
        "babel": "en",
        "bcp47": "en-GB",
        "polyglossia": "english",
        "page": "Page",
        "of": "of",
    },
}

# Titles of the standard sections: a section may say `kind: experience` instead of
# spelling its title in every language.
SECTION_TITLES: dict[str, dict[str, str]] = {
    "ru": {
        "summary": "О себе",
        "experience": "Опыт работы",
        "education": "Образование",
        "skills": "Навыки",
        "projects": "Проекты",
        "publications": "Публикации",
        "awards": "Награды",
        "certifications": "Сертификаты",
        "languages": "Языки",
        "volunteering": "Волонтёрство",
        "interests": "Интересы",
        "references": "Рекомендации",
    },
    "en": {
        "summary": "Summary",
        "experience": "Experience",
        "education": "Education",
        "skills": "Skills",
        "projects": "Projects",
        "publications": "Publications",
        "awards": "Awards",
        "certifications": "Certifications",
        "languages": "Languages",
        "volunteering": "Volunteering",
        "interests": "Interests",
        "references": "References",
    },
}
SECTION_KINDS: tuple[str, ...] = tuple(SECTION_TITLES["en"])

_FALLBACK = WORDS["en"]


def words(lang: str) -> dict[str, str]:
    """The words for a language, English where a language has no row yet."""
    row = WORDS.get(lang)
    if row is None:
        return {**_FALLBACK, "babel": lang, "bcp47": lang, "polyglossia": "english"}
    return row


def section_title(kind: str, lang: str) -> str:
    """The standard title of a kind of section, English where a language has none."""
    return SECTION_TITLES.get(lang, SECTION_TITLES["en"]).get(kind) or SECTION_TITLES["en"][kind]
