"""The per-language words and typography cvbuild itself prints. Dates and plurals come
from CLDR (Babel) for any locale; only what CLDR does not know lives here: the labels
(section titles, "present", "page N of M"), the quotes, dashes and no-break spaces, and
the polyglossia setup. Adding a language is adding a row (see LANGUAGES).

A language with no row is built only when cv.yaml gives its labels in a `labels:` block
(`missing_labels` says which it lacks); it is never built in English words silently.
Languages of a script the themes' fonts do not have (right-to-left, CJK, Greek) are
refused with the reason (`script_problem`). This module imports nothing of cvbuild."""

from __future__ import annotations

from functools import cache

# Labels every language needs, and those a `labels:` block may give.
# `page` is "page N of M" with the placeholders {page} and {pages} (a running footer).
REQUIRED_LABELS = ("cv", "present", "page")
OPTIONAL_LABELS = ("present_short",)
# Settings a `labels:` block may give besides the labels.
SETTINGS = ("polyglossia", "date_style")

# Titles of the standard sections: a section may say `kind: experience` instead of
# spelling its title in every language. The keys are the kinds, in order.
SECTION_KINDS: tuple[str, ...] = (
    "summary", "experience", "education", "skills", "projects", "publications", "awards",
    "certifications", "languages", "volunteering", "interests", "references",
)


def _titles(*titles: str) -> dict[str, str]:
    assert len(titles) == len(SECTION_KINDS)
    return dict(zip(SECTION_KINDS, titles))


# One row per language. Besides the labels:
#   date_style   the month form a CV of that language uses (long "сентябрь 2020",
#                short "Sep 2020"); months   Babel patterns for (long, short), or None
#                for CLDR's own yMMMM / yMMM skeletons ("septiembre de 2020")
#   range        how a date range is joined: "em" (Russian: "a — b" with a no-break
#                space before the dash), "thin" (English: "a – b" between thin
#                spaces), "en" ("a – b", a no-break space before the dash)
#   quotes       outer open, outer close, inner open, inner close
#   dash         a spaced hyphen typed between words becomes "em" (—) or "en" (–)
#   keep_next    short words a line must not end with (a no-break space after them)
#   script (ISO 15924), babel, bcp47, polyglossia (+ polyglossia_options)
# Chosen: the Latin and Cyrillic languages of Europe with the most speakers and CV
# conventions one can check (the themes' fonts, PT Serif and PT Sans, have Latin and
# Cyrillic only: Greek would fall back to DejaVu letter by letter).
LANGUAGES: dict[str, dict] = {
    "ru": {
        "cv": "резюме", "present": "настоящее время", "present_short": "н.\u00a0в.",
        "page": "Страница {page} из {pages}",
        "sections": _titles(
            "О себе", "Опыт работы", "Образование", "Навыки", "Проекты", "Публикации",
            "Награды", "Сертификаты", "Языки", "Волонтёрство", "Интересы", "Рекомендации"),
        # the customary month form in a CV: "январь 2020" in Russian, "Jan 2020" in English
        "date_style": "long", "months": ("LLLL yyyy", "LLL yyyy"), "range": "em",
        "quotes": "«»„“", "dash": "em",
        "keep_next": "в|к|с|у|о|и|а|я|во|ко|со|об|от|до|за|из|на|по|не|ни|но",
        "script": "Cyrl", "babel": "ru", "bcp47": "ru-RU", "polyglossia": "russian",
    },
    "en": {
        "cv": "CV", "present": "Present", "present_short": "Present",
        "page": "Page {page} of {pages}",
        "sections": _titles(
            "Summary", "Experience", "Education", "Skills", "Projects", "Publications",
            "Awards", "Certifications", "Languages", "Volunteering", "Interests", "References"),
        "date_style": "short", "months": ("LLLL yyyy", "LLL yyyy"), "range": "thin",
        "quotes": "\u201c\u201d\u2018\u2019", "dash": "en", "keep_next": "",
        "script": "Latn", "babel": "en", "bcp47": "en-GB", "polyglossia": "english",
    },
    "uk": {
        "cv": "резюме", "present": "дотепер", "present_short": "дотепер",
        "page": "Сторінка {page} з {pages}",
        "sections": _titles(
            "Про себе", "Досвід роботи", "Освіта", "Навички", "Проєкти", "Публікації",
            "Нагороди", "Сертифікати", "Мови", "Волонтерство", "Інтереси", "Рекомендації"),
        # "вересень 2020", without CLDR's "р.", as Russian drops "г."
        "date_style": "long", "months": ("LLLL yyyy", "LLL yyyy"), "range": "em",
        "quotes": "«»„“", "dash": "em",
        "keep_next": "в|у|з|і|й|а|о|та|до|на|за|по|від|із|зі|не|ні",
        "script": "Cyrl", "babel": "uk", "bcp47": "uk-UA", "polyglossia": "ukrainian",
    },
    "bg": {
        "cv": "автобиография", "present": "до момента", "present_short": "до момента",
        "page": "Страница {page} от {pages}",
        "sections": _titles(
            "За мен", "Професионален опит", "Образование", "Умения", "Проекти",
            "Публикации", "Награди", "Сертификати", "Езици", "Доброволчество", "Интереси",
            "Препоръки"),
        "date_style": "long", "months": ("LLLL yyyy", "LLL yyyy"), "range": "em",
        "quotes": "„“«»", "dash": "em",
        "keep_next": "в|с|и|а|о|у|във|със|на|за|до|от|по|не|ни",
        "script": "Cyrl", "babel": "bg", "bcp47": "bg-BG", "polyglossia": "bulgarian",
    },
    "de": {
        "cv": "Lebenslauf", "present": "heute", "present_short": "heute",
        "page": "Seite {page} von {pages}",
        "sections": _titles(
            "Profil", "Berufserfahrung", "Ausbildung", "Kenntnisse", "Projekte",
            "Publikationen", "Auszeichnungen", "Zertifikate", "Sprachen", "Ehrenamt",
            "Interessen", "Referenzen"),
        "date_style": "long", "months": None, "range": "en",
        "quotes": "„“‚‘", "dash": "en", "keep_next": "",
        "script": "Latn", "babel": "de", "bcp47": "de-DE", "polyglossia": "german",
    },
    "fr": {
        "cv": "CV", "present": "aujourd\u2019hui", "present_short": "auj.",
        "page": "Page {page} sur {pages}",
        "sections": _titles(
            "Profil", "Expérience professionnelle", "Formation", "Compétences", "Projets",
            "Publications", "Distinctions", "Certifications", "Langues", "Bénévolat",
            "Centres d\u2019intérêt", "Références"),
        "date_style": "long", "months": None, "range": "en",
        # « and » take a narrow no-break space inside (typography.py), as do ; ! ?
        # before them; polyglossia's own spacing is off so that it is not doubled
        "quotes": "«»\u201c\u201d", "dash": "en", "keep_next": "",
        "script": "Latn", "babel": "fr", "bcp47": "fr-FR", "polyglossia": "french",
        "polyglossia_options": "autospacing=false",
    },
    "es": {
        "cv": "currículum", "present": "actualidad", "present_short": "actualidad",
        "page": "Página {page} de {pages}",
        "sections": _titles(
            "Perfil", "Experiencia profesional", "Formación", "Habilidades", "Proyectos",
            "Publicaciones", "Premios", "Certificaciones", "Idiomas", "Voluntariado",
            "Intereses", "Referencias"),
        "date_style": "long", "months": None, "range": "en",
        "quotes": "«»\u201c\u201d", "dash": "en", "keep_next": "",
        "script": "Latn", "babel": "es", "bcp47": "es-ES", "polyglossia": "spanish",
    },
    "it": {
        "cv": "curriculum vitae", "present": "oggi", "present_short": "oggi",
        "page": "Pagina {page} di {pages}",
        "sections": _titles(
            "Profilo", "Esperienza professionale", "Istruzione", "Competenze", "Progetti",
            "Pubblicazioni", "Premi", "Certificazioni", "Lingue", "Volontariato",
            "Interessi", "Referenze"),
        "date_style": "long", "months": None, "range": "en",
        "quotes": "«»\u201c\u201d", "dash": "en", "keep_next": "",
        "script": "Latn", "babel": "it", "bcp47": "it-IT", "polyglossia": "italian",
    },
    "pt": {
        # Brazilian Portuguese, as CLDR's `pt` is
        "cv": "currículo", "present": "atual", "present_short": "atual",
        "page": "Página {page} de {pages}",
        "sections": _titles(
            "Perfil", "Experiência profissional", "Formação", "Habilidades", "Projetos",
            "Publicações", "Prêmios", "Certificações", "Idiomas", "Voluntariado",
            "Interesses", "Referências"),
        "date_style": "long", "months": None, "range": "en",
        "quotes": "\u201c\u201d\u2018\u2019", "dash": "en", "keep_next": "",
        # polyglossia's variant=brazilian needs Portuguese hyphenation patterns, which a
        # minimal TeX Live lacks (\l@portuges undefined); hyphenation is off anyway
        "script": "Latn", "babel": "pt", "bcp47": "pt-BR", "polyglossia": "portuguese",
    },
    "pl": {
        "cv": "CV", "present": "obecnie", "present_short": "obecnie",
        "page": "Strona {page} z {pages}",
        "sections": _titles(
            "O mnie", "Doświadczenie zawodowe", "Wykształcenie", "Umiejętności", "Projekty",
            "Publikacje", "Nagrody", "Certyfikaty", "Języki", "Wolontariat",
            "Zainteresowania", "Referencje"),
        "date_style": "long", "months": None, "range": "en",
        "quotes": "„”«»", "dash": "en",
        # a one-letter word never ends a line in Polish
        "keep_next": "a|i|o|u|w|z",
        "script": "Latn", "babel": "pl", "bcp47": "pl-PL", "polyglossia": "polish",
    },
    "cs": {
        "cv": "životopis", "present": "současnost", "present_short": "současnost",
        "page": "Strana {page} z {pages}",
        "sections": _titles(
            "Profil", "Pracovní zkušenosti", "Vzdělání", "Dovednosti", "Projekty",
            "Publikace", "Ocenění", "Certifikáty", "Jazyky", "Dobrovolnictví", "Zájmy",
            "Reference"),
        "date_style": "long", "months": None, "range": "en",
        "quotes": "„“‚‘", "dash": "en",
        # nor in Czech (ČSN 01 6910)
        "keep_next": "k|s|v|z|o|u|a|i",
        "script": "Latn", "babel": "cs", "bcp47": "cs-CZ", "polyglossia": "czech",
    },
    "nl": {
        "cv": "cv", "present": "heden", "present_short": "heden",
        "page": "Pagina {page} van {pages}",
        "sections": _titles(
            "Profiel", "Werkervaring", "Opleiding", "Vaardigheden", "Projecten",
            "Publicaties", "Prijzen", "Certificaten", "Talen", "Vrijwilligerswerk",
            "Interesses", "Referenties"),
        "date_style": "long", "months": None, "range": "en",
        "quotes": "\u201c\u201d\u2018\u2019", "dash": "en", "keep_next": "",
        "script": "Latn", "babel": "nl", "bcp47": "nl-NL", "polyglossia": "dutch",
    },
}

# Scripts the themes' fonts have: a language written in another is refused.
SCRIPTS = {"Latn": "Latin", "Cyrl": "Cyrillic"}
_SCRIPT_NAMES = {
    "Grek": "Greek", "Arab": "Arabic", "Hebr": "Hebrew", "Hans": "Chinese", "Hant": "Chinese",
    "Jpan": "Japanese", "Kore": "Korean", "Deva": "Devanagari", "Thai": "Thai",
    "Armn": "Armenian", "Geor": "Georgian",
}


@cache
def script_of(lang: str) -> str | None:
    """The ISO 15924 script a language is written in (its row's, else CLDR's likely
    subtags: loading those costs a `cvbuild validate` some 15 ms), or None when CLDR
    does not know the language."""
    if lang in LANGUAGES:
        return LANGUAGES[lang]["script"]
    from babel.core import get_global

    likely = get_global("likely_subtags").get(lang)
    if likely is None:
        return None
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else None


@cache
def _babel_knows(lang: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def script_problem(lang: str) -> str | None:
    """Why a language cannot be set at all, or None."""
    if lang in LANGUAGES:
        return None
    if not _babel_knows(lang):
        return (f"'{lang}' is not a language CLDR knows, so its dates and plurals cannot "
                "be written; use a language code such as de, fr or uk")
    from babel import Locale

    script = script_of(lang)
    if Locale.parse(lang).character_order == "right-to-left":
        return (f"'{lang}' is written right to left, which cvbuild's themes cannot set "
                "(their fonts and layout are left-to-right, Latin and Cyrillic)")
    if script not in SCRIPTS:
        name = _SCRIPT_NAMES.get(script or "", script or "its own script")
        return (f"'{lang}' is written in {name}, which the themes' fonts (PT Serif, PT Sans) "
                "do not have; cvbuild sets Latin and Cyrillic only")
    return None


def missing_labels(lang: str, given: dict[str, str] | None, kinds: set[str]) -> list[str]:
    """The labels a language lacks: none for a language of the table; for another, the
    required labels and the titles of the section kinds used without a title that its
    `labels:` block does not give."""
    if lang in LANGUAGES:
        return []
    given = given or {}
    wanted = list(REQUIRED_LABELS) + [k for k in SECTION_KINDS if k in kinds]
    return [k for k in wanted if not given.get(k)]


def labels_example(lang: str, missing: list[str]) -> str:
    """A `labels:` block to paste into cv.yaml (flow style, one line), with the English
    words in it to translate."""
    en = words("en")
    pairs = ", ".join(f'{key}: "{en[key] if key in REQUIRED_LABELS else en["sections"][key]}"'
                      for key in missing)
    return f"labels: {{{lang}: {{{pairs}}}}}"


def todo_labels(lang: str, kinds: set[str] = frozenset()) -> dict[str, str]:  # type: ignore[assignment]
    """A `labels:` block of TODO markers (the English words after "TODO: ") for what a
    language with no table lacks; empty for a language of the table. `cvbuild init`
    and `cvbuild import` write it; the translation check flags each until translated."""
    en = words("en")
    return {key: "TODO: " + (en[key] if key in REQUIRED_LABELS else en["sections"][key])
            for key in missing_labels(lang, {}, set(kinds))}


def page_parts(pattern: str) -> list[str]:
    """A `page` label cut at its placeholders, for a template to put its own page
    numbers in: "Seite {page} von {pages}" → ["Seite ", "{page}", " von ", "{pages}", ""]."""
    import re

    return re.split(r"(\{page\}|\{pages\})", pattern)


def words(lang: str, labels: dict[str, dict[str, str]] | None = None) -> dict:
    """The row of a language with cv.yaml's `labels:` for it laid over it, and
    `page_parts` (the `page` label cut at its placeholders). A language with no row gets
    CLDR's ways and the labels cv.yaml gives (missing_labels has made sure they are
    there)."""
    row = LANGUAGES.get(lang) or _row_from_cldr(lang)
    given = dict((labels or {}).get(lang) or {})
    merged = {**row, **{k: v for k, v in given.items() if k not in SECTION_KINDS}}
    merged["sections"] = {**row["sections"],
                          **{k: v for k, v in given.items() if k in SECTION_KINDS}}
    if "present" in given and "present_short" not in given:
        merged["present_short"] = given["present"]
    merged["page_parts"] = page_parts(merged["page"])
    return merged


@cache
def _row_from_cldr(lang: str) -> dict:
    from babel import Locale

    name = Locale.parse(lang).english_name or lang
    return {
        "cv": "", "present": "", "present_short": "", "page": "", "sections": {},
        "date_style": "long", "months": None, "range": "en",
        "quotes": "\u201c\u201d\u2018\u2019", "dash": "en", "keep_next": "",
        "babel": lang, "bcp47": lang,
        # polyglossia's name of most languages is the English one ("swedish"); a
        # `labels:` block may say otherwise (polyglossia: norsk)
        "polyglossia": "".join(c for c in name.split(" (")[0].lower() if c.isalpha()),
    }


def section_title(kind: str, lang: str, labels: dict[str, dict[str, str]] | None = None) -> str:
    """The standard title of a kind of section in a language."""
    return words(lang, labels)["sections"][kind]
