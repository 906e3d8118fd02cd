"""Languages beyond ru and en: the built-in table (labels, typography, polyglossia),
CLDR dates and plurals for any locale, a `labels:` block for a language with no table,
and the refusal of a language cvbuild cannot set. No TeX here: test_languages_pdf.py
builds each language and reads it back."""

from __future__ import annotations

import pytest

from cvbuild.errors import InputError
from cvbuild.render.localize import format_date, format_duration, format_range, localize
from cvbuild.source.model import CVDate
from cvbuild.source.reader import load_yaml
from cvbuild.source.validate import validate_cv
from cvbuild.text.locales import (
    LANGUAGES,
    REQUIRED_LABELS,
    SECTION_KINDS,
    section_title,
    todo_labels,
    words,
)
from cvbuild.text.typography import NBSP, NNBSP, typeset

D = CVDate.parse


def test_the_table_has_at_least_ten_languages_each_complete():
    assert len(LANGUAGES) >= 10
    for code, row in LANGUAGES.items():
        for key in REQUIRED_LABELS + ("present_short", "babel", "bcp47", "polyglossia"):
            assert row[key], (code, key)
        assert "{page}" in row["page"] and "{pages}" in row["page"], code
        assert list(row["sections"]) == list(SECTION_KINDS), code
        assert all(row["sections"].values()), code
        assert len(row["quotes"]) == 4, code


def test_no_language_of_the_table_prints_english_section_titles():
    english = set(LANGUAGES["en"]["sections"].values())
    for code in LANGUAGES:
        if code != "en":
            same = english & set(LANGUAGES[code]["sections"].values())
            # words that are the same in both languages are few and real ones
            assert same <= {"Publications", "Certifications", "Projekte", "Reference"}, (code, same)


@pytest.mark.parametrize("lang, long, present", [
    ("de", f"September{NBSP}2020", "heute"),
    ("fr", f"septembre{NBSP}2020", "aujourd\u2019hui"),
    ("es", f"septiembre{NBSP}de{NBSP}2020", "actualidad"),
    ("it", f"settembre{NBSP}2020", "oggi"),
    ("pt", f"setembro{NBSP}de{NBSP}2020", "atual"),
    ("pl", f"wrzesień{NBSP}2020", "obecnie"),
    ("cs", f"září{NBSP}2020", "současnost"),
    ("nl", f"september{NBSP}2020", "heden"),
    ("uk", f"вересень{NBSP}2020", "дотепер"),
    ("bg", f"септември{NBSP}2020", "до момента"),
])
def test_months_and_present_from_cldr(lang, long, present):
    assert format_date(D("2020-09"), lang) == long
    assert format_range(D("2020-09"), D("present"), lang).endswith(present)


def test_ranges_keep_the_dash_off_the_start_of_a_line():
    assert format_range(D("2020-09"), D("2021-05"), "de") == f"September{NBSP}2020{NBSP}\u2013 Mai{NBSP}2021"
    assert format_range(D("2020-09"), D("2021-05"), "uk") == f"вересень{NBSP}2020{NBSP}\u2014 травень{NBSP}2021"


@pytest.mark.parametrize("lang, one, few, many", [
    ("uk", "1 рік", "2 роки", "5 років"),
    ("pl", "1 rok", "2 lata", "5 lat"),
    ("cs", "1 rok", "2 roky", "5 let"),
    ("de", "1 Jahr", "2 Jahre", "5 Jahre"),
    ("fr", "1 an", "2 ans", "5 ans"),
    ("bg", "1 година", "2 години", "5 години"),
])
def test_plurals_from_cldr(lang, one, few, many):
    got = [format_duration(n * 12, lang).replace(NBSP, " ") for n in (1, 2, 5)]
    assert got == [one, few, many]


@pytest.mark.parametrize("lang, text, expected", [
    ("de", 'Er sagte "gut" - und \'so\'.', "Er sagte „gut“\u00a0\u2013 und so."),
    ("uk", 'Він сказав "добре" - і в місті.', f"Він сказав «добре»{NBSP}\u2014 і{NBSP}в{NBSP}місті."),
    ("pl", 'Powiedział "dobrze" i w domu.', f"Powiedział „dobrze” i{NBSP}w{NBSP}domu."),
    ("cs", 'Řekl "dobře" a v domě.', f"Řekl „dobře“ a{NBSP}v{NBSP}domě."),
    ("fr", 'Il a dit "bien" ! Oui : non ?', f"Il a dit «{NNBSP}bien{NNBSP}»{NNBSP}! Oui{NBSP}: non{NNBSP}?"),
    ("es", 'Dijo "bien" y "muy "bien"".', "Dijo «bien» y «muy \u201cbien\u201d»."),
    ("bg", 'Каза "добре" и в града.', f"Каза „добре“ и{NBSP}в{NBSP}града."),
])
def test_quotes_dashes_and_no_break_spaces(lang, text, expected):
    assert typeset(text.replace("'so'", "so"), lang) == expected


def test_french_spacing_leaves_times_urls_and_code_alone():
    assert typeset("à 10:30, voir https://a.fr/?q=1!", "fr") == "à 10:30, voir https://a.fr/?q=1!"
    assert typeset("« déjà espacé »", "fr") == f"«{NNBSP}déjà espacé{NNBSP}»"


def test_german_abbreviations_stay_together():
    assert typeset("Sprachen, z. B. mit Python, d. h. viel", "de") == \
        f"Sprachen, z.{NBSP}B. mit Python, d.{NBSP}h. viel"


def _cv(text: str):
    return validate_cv(*load_yaml(text, "cv.yaml"), "cv.yaml")


SMALL = """\
languages: [{langs}]
header: {{name: Anna Schmidt}}
sections:
  - kind: experience
    entries:
      - {{company: ACME, position: Dev, start: 2020-01, end: present}}
{extra}"""


def _problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        _cv(text)
    return [str(p) for p in info.value.problems]


def test_a_language_with_no_table_is_refused_naming_the_labels_it_lacks():
    (problem,) = _problems(SMALL.format(langs="sv, en", extra=""))
    assert problem.startswith("cv.yaml:1:13: languages[0]: ")
    assert "no built-in words for 'sv'" in problem
    assert "cv, present, page, experience" in problem
    assert 'labels: {sv: {cv: "CV", present: "Present", page: "Page {page} of {pages}", ' \
           'experience: "Experience"}}' in problem


def test_a_labels_block_gives_a_language_its_words():
    extra = ('labels:\n  sv: {cv: CV, present: nu, page: "Sida {page} av {pages}", '
             "experience: Arbetslivserfarenhet}\n")
    cv = _cv(SMALL.format(langs="sv, en", extra=extra))
    view = localize(cv, "sv")
    assert view.sections[0].title == "Arbetslivserfarenhet"
    assert view.sections[0].entries[0].dates == f"januari{NBSP}2020{NBSP}\u2013 nu"
    assert view.words["polyglossia"] == "swedish"
    assert view.words["page"] == "Sida {page} av {pages}"
    assert localize(cv, "en").sections[0].title == "Experience"


def test_a_labels_block_may_change_a_word_of_the_table():
    extra = "labels:\n  en: {cv: Résumé, experience: Work}\n"
    view = localize(_cv(SMALL.format(langs="ru, en", extra=extra)), "en")
    assert view.words["cv"] == "Résumé"
    assert view.sections[0].title == "Work"
    assert view.words["present"] == "Present"


def test_labels_are_checked():
    (problem,) = _problems(SMALL.format(langs="de, en", extra="labels:\n  de: {page: Seite}\n"))
    assert "labels.de.page" in problem and "{page} and {pages}" in problem
    (problem,) = _problems(SMALL.format(langs="de, en", extra="labels:\n  fr: {cv: CV}\n"))
    assert "labels.fr" in problem and "not a declared language" in problem


@pytest.mark.parametrize("lang, words_in_message", [
    ("ar", "right to left"),
    ("he", "right to left"),
    ("zh", "Chinese"),
    ("ja", "Japanese"),
    ("el", "Greek"),
    ("qq", "not a language CLDR knows"),
])
def test_scripts_the_fonts_lack_are_refused(lang, words_in_message):
    (problem,) = _problems(SMALL.format(langs=f"{lang}, en", extra=""))
    assert problem.startswith("cv.yaml:1:13: languages[0]: ") and words_in_message in problem


def test_section_titles_of_the_table():
    assert section_title("experience", "de") == "Berufserfahrung"
    assert section_title("experience", "uk") == "Досвід роботи"
    assert words("fr")["polyglossia_options"] == "autospacing=false"


def test_the_page_label_cut_at_its_placeholders_for_a_running_footer():
    assert words("de")["page_parts"] == ["Seite ", "{page}", " von ", "{pages}", ""]
    assert words("sv", {"sv": {"page": "{page}/{pages}"}})["page_parts"] == [
        "", "{page}", "/", "{pages}", ""]


def test_todo_labels_for_a_language_with_no_table():
    assert todo_labels("de") == {}
    assert todo_labels("sv", {"skills"}) == {
        "cv": "TODO: CV", "present": "TODO: Present", "page": "TODO: Page {page} of {pages}",
        "skills": "TODO: Skills"}


def test_the_tables_scripts_are_cldrs():
    from babel.core import get_global

    likely = get_global("likely_subtags")
    for code, row in LANGUAGES.items():
        assert likely[code].split("_")[1] == row["script"], code


@pytest.mark.parametrize("lang, text", [
    ("pl", "Ł. Kowalski"), ("uk", "Є. Петренко"), ("fr", "É. Zola"), ("cs", "Č. Novák"),
])
def test_initials_of_every_alphabet_stay_with_the_name(lang, text):
    assert typeset(text, lang) == text.replace(". ", "." + NBSP)
