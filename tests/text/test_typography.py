from __future__ import annotations

import pytest

from cvbuild.render.latex import markup
from cvbuild.text.typography import NBSP, typeset, typeset_runs


@pytest.mark.parametrize(
    "lang, raw, out",
    [
        ("ru", 'знание "матана"', "знание «матана»"),
        ("en", 'a "quoted" word', "a \u201cquoted\u201d word"),
        ("ru", "теория - практика", "теория\u00a0\u2014 практика"),
        ("en", "theory - practice", "theory \u2013 practice"),
        ("en", "JIT-compilation stays", "JIT-compilation stays"),
        ("en", "the gentleman's set", "the gentleman\u2019s set"),
        ("en", "Moscow and St. Petersburg", "Moscow and St.\u00a0Petersburg"),
        ("ru", "в Москве и с нами", "в\u00a0Москве и\u00a0с\u00a0нами"),
    ],
)
def test_typeset(lang, raw, out):
    assert typeset(raw, lang) == out


@pytest.mark.parametrize(
    "lang, dash", [("ru", "~\u2014 имею"), ("en", " \u2013 I have")]
)
def test_spaced_hyphen_after_markup_is_a_dash(lang, dash):
    text = "**Hugging Face** - имею" if lang == "ru" else "**Hugging Face** - I have"
    assert markup(text, lang) == r"\textbf{Hugging Face}" + dash


@pytest.mark.parametrize(
    "lang, raw, expected",
    [
        # quotes: «ёлочки» outside, „лапки“ inside; curly quotes in English
        ("ru", 'знание "матана" и "линала"', f"знание «матана» и{NBSP}«линала»"),
        ("ru", 'у "лучших "старых" мастеров"', f"у{NBSP}«лучших „старых“ мастеров»"),
        ("en", 'the "best \'old\' masters"', "the \u201cbest \u2018old\u2019 masters\u201d"),
        ("en", "I've", "I\u2019ve"),
        # a spaced hyphen: nbsp + em dash in Russian, spaced en dash in English
        ("ru", "стихия - это", f"стихия{NBSP}\u2014 это"),
        ("en", "code - lots", "code \u2013 lots"),
        # number ranges get an en dash; phone numbers and ISO dates do not
        ("en", "2019-2021", "2019\u20132021"),
        ("ru", "тел. 123-45-67, 2021-09-01", "тел. 123-45-67, 2021-09-01"),
        # no-break spaces: short Russian words, initials, number + word, № + number
        ("ru", "с 8 класса и к ЕГЭ", f"с{NBSP}8{NBSP}класса и{NBSP}к{NBSP}ЕГЭ"),
        ("ru", "поэт А. С. Пушкин", f"поэт А.{NBSP}С.{NBSP}Пушкин"),
        ("en", "J. R. R. Tolkien", f"J.{NBSP}R.{NBSP}R.{NBSP}Tolkien"),
        ("ru", "за 3 сигмами, 5 лет", f"за{NBSP}3{NBSP}сигмами, 5{NBSP}лет"),
        ("ru", "в 2021 за год", f"в{NBSP}2021 за{NBSP}год"),
        ("ru", "и т. д.", f"и{NBSP}т.{NBSP}д."),
        ("ru", "Школа № 57", f"Школа №{NBSP}57"),
        ("en", "wait...", "wait\u2026"),
    ],
)
def test_typeset_rules(lang, raw, expected):
    assert typeset(raw, lang) == expected


def test_urls_are_never_changed():
    raw = 'see https://x.org/a-1-2/"q"... and a@b-1.org - ok'
    out = typeset(raw, "ru")
    assert "https://x.org/a-1-2/\"q\"..." in out
    assert "a@b-1.org" in out
    assert out.endswith(f"a@b-1.org{NBSP}\u2014 ok")


def test_runs_are_typeset_as_one_text():
    # "**Hugging Face** - имею": the dash follows the bold run
    assert typeset_runs(["экосистемы ", "Hugging Face", " - имею"], "ru") == [
        "экосистемы ", "Hugging Face", f"{NBSP}\u2014 имею"
    ]
    # a quote opened in one run closes in another; an opaque run (code) is kept
    assert typeset_runs(['"', "матана", '" и ', None, ' - x'], "ru") == [
        "«", "матана", f"» и{NBSP}", None, f"{NBSP}\u2014 x"
    ]


def test_markup_whole_field():
    tex = markup('экосистемы **Hugging Face** - имею "матана"', "ru")
    assert tex == r"экосистемы \textbf{Hugging Face}~— имею «матана»"
    tex = markup('**PyTorch** - "fast"', "en")
    assert tex == r"\textbf{PyTorch} – “fast”"


def test_markup_leaves_code_and_links_alone():
    tex = markup('`a - "b"` и [сайт "x"](https://x.org/a-1-2) - да', "ru")
    assert tex == (
        r"\texttt{a - \textquotedbl{}b\textquotedbl{}} и~"
        r"\href{https://x.org/a-1-2}{сайт «x»}~— да"
    )


def test_a_typed_dash_is_kept_in_english_and_gets_its_nbsp_in_russian():
    assert typeset("Anna — CV", "en") == "Anna — CV"
    assert typeset("Анна — резюме", "ru") == f"Анна{NBSP}— резюме"
    assert typeset("Анна – резюме", "ru") == f"Анна{NBSP}— резюме"
