from __future__ import annotations

import pytest

from cvbuild.latex import markup
from cvbuild.typography import typeset


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
