"""The real cv.yaml, built with XeLaTeX and read back with poppler."""

from __future__ import annotations

import re

import pytest
from pdfs import missing_values

from cvbuild.render.printed import text_values
from cvbuild.verify.readback import pdf_fonts, pdf_text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_text_value_reads_back(built, real_cv, lang):
    text = pdf_text(built[lang])
    values = list(text_values(real_cv, lang))
    assert len(values) > 20
    assert missing_values(real_cv, lang, text) == []


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_fonts_embedded_with_unicode_maps(built, lang):
    fonts = pdf_fonts(built[lang])
    assert fonts, "pdffonts listed no font"
    for font in fonts:
        assert font.embedded, font
        assert font.unicode, font
        assert "Type 3" not in font.type, font


def test_english_pdf_has_no_cyrillic(built):
    text = pdf_text(built["en"])
    assert "Daniil Sukhoy" in text
    assert re.findall(r"[\u0400-\u04FF]", text) == []


def test_russian_pdf_is_russian(built):
    text = pdf_text(built["ru"])
    assert "Сухой Даниил" in text
    assert "«матана»" in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_word_is_hyphenated_at_a_line_end(built, lang):
    # Without the theme's penalties TeX breaks "зна-ние", "hyperpa-rameter" here.
    lines = pdf_text(built[lang]).splitlines()
    assert len(lines) > 20
    for line in lines:
        assert not re.search(r"\w-$", line), line
