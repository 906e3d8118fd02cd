"""Every theme, compiled: cv.yaml and a three-page CV with every entry kind in both
languages pass `cvbuild check` and read back every text; contact icons add nothing to
the text layer; the sidebar theme's column reads as one block in pdftotext's raw and
layout modes."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from conftest import CV_YAML, FULL_YAML, PINNED_EPOCH
from pdfs import missing_values

from cvbuild.pipeline.run import build
from cvbuild.source.load import load_cv
from cvbuild.verify.check import check_pdf
from cvbuild.verify.readback import pdf_fonts, pdf_text

THEMES = ["classic", "modern", "sidebar", "banking", "compact"]
# Private use areas: what an icon font's glyph reads back as
PUA = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def long_cv(folder: Path) -> Path:
    """tests/data/full.yaml with its jobs written out nine times over: three pages or
    more in every theme."""
    data = yaml.safe_load(FULL_YAML.read_text(encoding="utf-8"))
    experience = data["sections"][1]["entries"]
    jobs = []
    for n in range(9):
        for job in experience:
            job = copy.deepcopy(job)
            job["company"] = {lang: f"{text} {n + 1}" for lang, text in job["company"].items()}
            jobs.append(job)
    data["sections"][1]["entries"] = jobs
    data["max_pages"] = 6
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def theme_pdfs(tex, tmp_path_factory) -> dict[tuple[str, str, str], tuple[Path, Path]]:
    """(theme, "cv" or "long", lang) → (PDF, the CV it was built from)."""
    long = long_cv(tmp_path_factory.mktemp("long"))
    out = {}
    for theme in THEMES:
        for name, cv in (("cv", CV_YAML), ("long", long)):
            folder = tmp_path_factory.mktemp(f"{theme}-{name}")
            for o in build(cv, "all", folder, theme=theme, source_date_epoch=PINNED_EPOCH):
                out[(theme, name, o.lang)] = (o.pdf, cv)
    return out


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["cv", "long"])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_theme_passes_check_and_reads_back(theme_pdfs, theme, name, lang):
    pdf, cv_path = theme_pdfs[(theme, name, lang)]
    cv = load_cv(cv_path)
    report = check_pdf(pdf, cv, lang, theme=theme, cv_dir=cv_path.parent)
    assert report.problems == [], "\n".join(report.problems)
    assert missing_values(cv, lang, pdf_text(pdf)) == []
    assert missing_values(cv, lang, pdf_text(pdf, raw=True)) == []
    if name == "long":
        assert report.pages >= 3, report.pages


@pytest.mark.parametrize("theme", ["modern", "sidebar", "banking", "compact"])
def test_contact_icons_add_nothing_to_the_text_layer(theme_pdfs, theme):
    for lang in ("ru", "en"):
        pdf, _ = theme_pdfs[(theme, "long", lang)]
        for raw in (False, True):
            text = pdf_text(pdf, raw=raw)
            assert PUA.findall(text) == [], (theme, lang, raw)
            for contact in ("anna.sample@example.org", "+7 900 000-00-00", "github.com/anna-sample",
                            "linkedin.com/in/anna-sample", "t.me/anna_sample"):
                assert contact in text, (contact, theme, lang, raw)
        # the icons are paths, not glyphs: no font beyond the text's own
        fonts = {re.sub(r"^[A-Z]{6}\+", "", f.name).split("-")[0] for f in pdf_fonts(pdf)}
        assert fonts <= {"PTSans", "PTSerif", "PTSansNarrow", "DejaVuSansMono"}, fonts


def test_classic_draws_no_icons_by_default_and_the_icons_are_in_the_others(theme_pdfs):
    """Icons are drawn paths: the page's content has Bézier curves (`c` operators) from
    them in modern, none from contacts in classic."""
    from pypdf import PdfReader

    def curves(theme: str) -> int:
        page = PdfReader(theme_pdfs[(theme, "long", "en")][0]).pages[0]
        return len(re.findall(rb"(?<=\s)c(?=\s)", page.get_contents().get_data()))

    assert curves("classic") == 0
    assert curves("modern") > 50


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("raw", [True, False], ids=["raw", "layout"])
def test_the_sidebar_reads_as_one_block_before_the_main_column(theme_pdfs, lang, raw):
    pdf, cv_path = theme_pdfs[("sidebar", "long", lang)]
    text = pdf_text(pdf, raw=raw)
    page_one = text.split("\f")[0]
    words = {
        "ru": ["Анна Образцова", "Казань, Россия", "t.me/anna_sample", "Языки", "Русский",
               "Английский", "О себе", "Опыт работы"],
        "en": ["Anna Obraztsova", "Kazan, Russia", "t.me/anna_sample", "Languages", "Russian",
               "English", "Summary", "Experience"],
    }[lang]
    at = [page_one.find(w) for w in words]
    assert -1 not in at, list(zip(words, at))
    assert at == sorted(at), list(zip(words, at))  # band, column, then the main column
    # the column is one block: from the first contact to the last language nothing of
    # the main column comes between
    column = page_one[at[1]:at[5] + len(words[5])]
    assert words[6] not in column and "Example LLC" not in column and "ООО" not in column


def test_titles_as_links_and_bold_keywords_read_back(tex, tmp_path):
    """link_display: title leaves no address printed, yet every link target is in the
    PDF; bold keywords (one with a TeX special) read back as the words they are."""
    text = FULL_YAML.read_text(encoding="utf-8") + (
        "\ntheme:\n  name: compact\n  link_display: title\n"
        "options:\n  bold_keywords: [Airflow, R&D, {ru: конвейеры, en: pipelines}]\n")
    (tmp_path / "cv.yaml").write_text(text, encoding="utf-8")
    cv = load_cv(tmp_path / "cv.yaml")
    for out in build(tmp_path / "cv.yaml", "all", tmp_path / "out", source_date_epoch=PINNED_EPOCH):
        report = check_pdf(out.pdf, cv, out.lang, cv_dir=tmp_path)
        assert report.problems == [], "\n".join(report.problems)
        text = pdf_text(out.pdf)
        assert missing_values(cv, out.lang, text) == []
        assert "github.com/anna-sample/tinyetl" not in text and "example.org/paper" not in text
        assert "DOI 10.1000/xyz123" in text  # the title links to the address; the DOI stays
        tex = out.tex.read_text(encoding="utf-8")
        assert r"\textbf{R\&D}" in tex and r"\textbf{Airflow}" in tex


def test_the_gallery_command_writes_page_one_of_each_language_and_its_record(tex, tmp_path):
    import json

    from typer.testing import CliRunner

    from cvbuild.cli.main import app
    from cvbuild.render.themes import theme_hash

    result = CliRunner().invoke(app, ["gallery", str(FULL_YAML), "-o", str(tmp_path), "-t", "banking"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["banking_en.png", "banking_ru.png"]
    for png in tmp_path.glob("*.png"):
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and 10_000 < len(data) < 150_000
    record = json.loads((tmp_path / "gallery.json").read_text())
    assert record["themes"] == {"banking": {"hash": theme_hash("banking"), "languages": ["ru", "en"]}}
    assert record["cv"]["file"] == "full.yaml"


def test_a_sidebar_column_taller_than_the_page_is_refused_not_cut_off(tex, tmp_path):
    """Forty skill groups do not fit the column of page one: the build says so (and by
    how much) instead of writing a PDF whose column is cut off at the paper's foot."""
    from cvbuild.errors import CvbuildError

    data = yaml.safe_load(FULL_YAML.read_text(encoding="utf-8"))
    data["sections"].append({"title": "More skills", "entries": [
        {"label": f"Group {i}", "skills": ["Python", "SQL", "Kafka"]} for i in range(40)]})
    cv = tmp_path / "cv.yaml"
    cv.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CvbuildError, match=r"the sidebar theme's column \(contacts, skills, "
                       r"languages\) is \d+ mm taller than page one"):
        build(cv, "en", tmp_path / "out", theme="sidebar", source_date_epoch=PINNED_EPOCH)
    assert not list((tmp_path / "out").glob("*.pdf"))
    # ten groups fit
    data["sections"][-1]["entries"] = data["sections"][-1]["entries"][:10]
    cv.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    [out] = build(cv, "en", tmp_path / "out", theme="sidebar", source_date_epoch=PINNED_EPOCH)
    assert "Group 9" in pdf_text(out.pdf)


def test_a_contact_wider_than_the_sidebar_column_is_narrowed_into_it(tex, tmp_path):
    """The column sets one contact a line, never broken: one wider than the column ran
    12.9 pt into the main column's margin (an overfull line the user could not trace to
    cv.yaml). It is narrowed to the column's width, still one line of its own size that
    reads back whole, and the column still reads as one block."""
    from pypdf import PdfReader

    data = yaml.safe_load(FULL_YAML.read_text(encoding="utf-8"))
    data["header"]["contacts"]["linkedin"] = "someone-on-linkedin"  # 35 characters shown
    cv = tmp_path / "cv.yaml"
    cv.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for out in build(cv, "all", tmp_path / "out", theme="sidebar", source_date_epoch=PINNED_EPOCH):
        assert [str(w) for w in out.warnings] == []
        report = check_pdf(out.pdf, load_cv(cv), out.lang, theme="sidebar")
        assert report.problems == [], "\n".join(report.problems)
        lines = [line.strip() for line in pdf_text(out.pdf).splitlines()]
        assert "linkedin.com/in/someone-on-linkedin" in lines
        [link] = [a.get_object() for a in PdfReader(out.pdf).pages[0]["/Annots"]
                  if "linkedin" in a.get_object()["/A"].get("/URI", "")]
        assert float(link["/Rect"][2]) <= (7 + 50) / 25.4 * 72 + 0.5  # the column's text edge


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_with_dates_below_every_date_is_under_its_title(tex, tmp_path, lang):
    """date_position: below (the sidebar's): a job's dates and an award's, a
    certification's and a publication's alike are on a line of their own under the
    title, at its left edge (the dated items' dates stood at the right of the title)."""
    from pdfs import pdf_lines

    from cvbuild.render.localize import localize

    cv = tmp_path / "cv.yaml"
    cv.write_text(yaml.safe_dump({
        "languages": ["ru", "en"], "header": {"name": "Anna Lee"}, "theme": {"name": "sidebar"},
        "sections": [
            {"kind": "experience", "entries": [{"company": "Firm", "position": "Role",
                                                "start": "2020-09", "end": "2022-06"}]},
            {"kind": "awards", "entries": [{"award": "Prize", "date": "2021-05"}]},
            {"kind": "certifications", "entries": [{"certification": "Badge", "date": "2019-03"}]},
            {"kind": "publications", "entries": [{"publication": "Paper", "date": "2018-11",
                                                  "authors": ["A. Lee"]}]}]},
        allow_unicode=True, sort_keys=False), encoding="utf-8")
    [out] = build(cv, lang, tmp_path / "out", source_date_epoch=PINNED_EPOCH)
    assert out.warnings == []
    lines = pdf_lines(out.pdf)
    view = localize(load_cv(cv), lang)
    for title, entry in zip(["Role", "Prize", "Badge", "Paper"], (s.entries[0] for s in view.sections)):
        date = " ".join(str(getattr(entry, "dates", None) or entry.date).split())
        [head] = [line for line in lines if line.text == title]
        [when] = [line for line in lines if line.text == date]
        assert abs(when.x0 - head.x0) < 1 and head.y1 <= when.y0 < head.y1 + 30, (title, head, when)
