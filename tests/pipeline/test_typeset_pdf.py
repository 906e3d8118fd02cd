"""The fixture CV in both themes and both languages, compiled with XeLaTeX and read
back with poppler: typography, CLDR dates and plurals, emoji, and a tailored variant."""

from __future__ import annotations

import re

import pytest
from conftest import TYPESET_CV
from pdfs import missing_values
from typer.testing import CliRunner

from cvbuild.source.load import load_cv
from cvbuild.verify.readback import pdf_fonts, pdf_text

CASES = [(theme, lang) for theme in ("classic", "modern") for lang in ("ru", "en")]


@pytest.mark.parametrize("theme, lang", CASES)
def test_every_value_reads_back_with_fonts_embedded(typeset_built, theme, lang):
    pdf = typeset_built[(theme, lang)]
    assert missing_values(load_cv(TYPESET_CV), lang, pdf_text(pdf)) == []
    for font in pdf_fonts(pdf):
        assert font.embedded and font.unicode and "Type 3" not in font.type, font
    log = pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log  # emoji are pictures, not absent glyphs
    assert "<use emoji-1f4da.pdf>" in log and "<use emoji-2714.pdf>" in log


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_russian_typography_reads_back(typeset_built, theme):
    text = pdf_text(typeset_built[(theme, "ru")])
    flat = re.sub(r"\s+", " ", text)
    assert "«лучших „старых“ мастеров»" in flat
    assert "пишу код — много кода" in flat  # spaced hyphen after **bold** → em dash
    assert "2019–2021" in flat
    assert "А. С. Пушкин" in flat
    # stand-alone months in ranges, "настоящее время" for an open end
    assert "сентябрь 2023 — настоящее время" in flat
    assert "январь 2015 — май 2020" in flat
    assert "августа" not in flat and "января" not in flat
    # durations: every plural form of год and месяц
    for phrase in ("1 месяц", "1 год 1 месяц", "2 года 2 месяца", "5 лет 5 месяцев"):
        assert phrase in flat, phrase
    assert "Опыт работы" in flat and "Образование" in flat and "О себе" in flat
    prose = flat.replace('a - "b"', "")  # the code span is printed as typed
    assert '"' not in prose and " - " not in prose


def test_english_typography_reads_back(typeset_built):
    flat = re.sub(r"\s+", " ", pdf_text(typeset_built[("modern", "en")]))
    assert "“the best ‘old’ masters”" in flat
    assert "write code – lots of it" in flat
    assert "I’ve worked" in flat
    assert "Sep 2023 – Present" in flat and "Jan 2015 – May 2020" in flat
    assert "1 year 1 month" in flat and "5 years 5 months" in flat
    assert "Experience" in flat and "Summary" in flat


def test_code_span_is_printed_as_typed(typeset_built):
    flat = re.sub(r"\s+", " ", pdf_text(typeset_built[("classic", "ru")]))
    assert 'a - "b"' in flat


def test_tailored_variant(tex, tmp_path):
    """`cvbuild pdf --only research` keeps untagged items and those tagged research;
    the file name carries the tag."""
    from cvbuild.cli.main import app

    result = CliRunner().invoke(app, ["pdf", str(TYPESET_CV), "--only", "research", "-l", "ru",
                                      "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "Anna_Smirnova_CV_research_ru.pdf"
    flat = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Яндекс" in flat  # tagged research
    assert "Сбер" in flat and "Сервис рекомендаций" in flat  # untagged
    assert "Python для аналитиков" not in flat  # a bullet tagged teaching
    assert "Преподавание" not in flat  # a section tagged teaching
