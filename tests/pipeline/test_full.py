"""The fixture CV with every entry kind and contact, built with real XeLaTeX in both
languages (one build each, shared) and read back as an applicant tracking system would."""

from __future__ import annotations

import re

import pytest
from conftest import FULL_YAML
from pdfs import missing_values, pdf_info, pdf_links

from cvbuild.render.localize import contact_links
from cvbuild.render.printed import text_values
from cvbuild.source.load import load_cv
from cvbuild.verify.readback import pdf_fonts, pdf_text


@pytest.fixture(scope="module")
def full_cv():
    return load_cv(FULL_YAML)


@pytest.fixture(scope="module")
def pdfs(full_cli):
    result, out = full_cli
    assert result.exit_code == 0, result.output
    return {lang: out / f"Anna_Obraztsova_CV_{lang}.pdf" for lang in ("ru", "en")}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_text_value_reads_back(pdfs, full_cv, lang):
    values = list(text_values(full_cv, lang))
    # every kind contributes: the walk reaches deep into bullets, stacks and contacts
    paths = " ".join(path for path, _ in values)
    for part in ("contacts.telegram", "items[1].lead", "stack[3]", "authors[1]", "skills[1]",
                 "level", "score", "venue", "issuer", "entries[0].summary", "description"):
        assert part in paths, part
    assert missing_values(full_cv, lang, pdf_text(pdfs[lang])) == []


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_contacts_and_urls_are_clickable(pdfs, full_cv, lang):
    links = pdf_links(pdfs[lang])
    contacts = [link.href for link in contact_links(full_cv.header.contacts.model_dump())]
    assert len(contacts) == 6  # email, phone, website, GitHub, LinkedIn, Telegram
    assert contacts == links[:6], "the header's links come first, in order"
    assert contacts[0] == "mailto:anna.sample@example.org"
    assert contacts[1] == "tel:+79000000000"
    for url in ("https://example.org/data", "https://example.com", "https://example.edu",
                "https://github.com/anna-sample/tinyetl", "https://example.org/paper",
                "https://doi.org/10.1000/xyz123"):
        assert url in links


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_fonts_embedded_with_unicode_maps(pdfs, lang):
    fonts = pdf_fonts(pdfs[lang])
    assert {f.name.split("+")[-1].split("-")[0] for f in fonts} >= {"PTSerif", "PTSans"}
    for font in fonts:
        assert font.embedded and font.unicode and "Type 3" not in font.type, font


def test_english_pdf_has_no_cyrillic(pdfs):
    text = pdf_text(pdfs["en"])
    assert "Anna Obraztsova" in text and "Mar 2021 – Present" in text
    assert re.findall(r"[\u0400-\u04FF]", text) == []


def test_russian_pdf_has_russian_dates_and_quotes(pdfs):
    text = pdf_text(pdfs["ru"])
    assert "март 2021 — настоящее время" in text.replace("\u00a0", " ")
    assert "ООО «Пример»" in text.replace("\u00a0", " ")


@pytest.mark.parametrize(
    "lang, title, subject, keyword",
    [
        ("ru", "Анна Образцова — резюме", "Инженер данных (пример для тестов)", "моделирование данных"),
        ("en", "Anna Obraztsova — CV", "Data engineer (test sample)", "data modelling"),
    ],
)
def test_metadata_in_the_pdfs_own_language(pdfs, lang, title, subject, keyword):
    info = pdf_info(pdfs[lang])
    assert info["Title"] == title
    assert info["Author"] == title.split(" — ")[0]
    assert info["Subject"] == subject
    keywords = info["Keywords"].split(", ")
    assert keyword in keywords and "Python" in keywords and "Kafka" in keywords
    assert "A4" in info["Page size"]
    if lang == "en":
        assert not re.search(r"[\u0400-\u04FF]", " ".join(info.values()))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_word_is_hyphenated_at_a_line_end(pdfs, lang):
    for line in pdf_text(pdfs[lang]).splitlines():
        assert not re.search(r"\w-$", line), line


def test_no_tex_ligature_mapping(tex, tmp_path):
    """Typed ,, << >> -- stay as typed: the fonts are loaded without tex-text mapping."""
    from cvbuild.pipeline.run import build
    from cvbuild.verify.readback import pdf_text

    cv = tmp_path / "cv.yaml"
    cv.write_text(
        "languages: [en]\nheader:\n  name: Lig Test\nsections:\n  - title: T\n    entries:\n"
        "      - text: \"a,,b <<c>> d--e f---g ''h''\"\n",
        encoding="utf-8",
    )
    (out,) = build(cv, "en", tmp_path / "out")
    text = pdf_text(out.pdf)
    assert "a,,b <<c>> d--e f---g" in text
    assert "mapping=tex-text" not in (tmp_path / "out" / (out.pdf.stem + ".log")).read_text()
