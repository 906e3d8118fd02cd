"""The sidebar theme from page two on: no column there, so the text takes the page's
width; page one keeps what it had; the footers count the pages there are. Compiled
with the real engine and read back with positions."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import PINNED_EPOCH
from corpus import make_cv
from pdfs import pdf_lines

from cvbuild.engine.compiler import compile_pdf
from cvbuild.pipeline.run import build
from cvbuild.verify.readback import pdf_text

MARGIN = 14 * 72 / 25.4  # the theme's 14 mm margin, in PDF points
COLUMN = (64 + 9) * 72 / 25.4  # page one's text starts right of the 64 mm column


def _first_page_words(pdf: Path) -> list[str]:
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout.split()


def _body(lines, page):
    """The page's lines above its footer (the lowest line)."""
    on_page = [line for line in lines if line.page == page]
    foot = max(line.y0 for line in on_page)
    return [line for line in on_page if line.y0 < foot - 1]


NARROW = 595.28 - COLUMN - MARGIN  # the main column's width on page one


# CV 2 (ru, three pages): page one ends between two entries; CV 7 (en, four pages):
# an entry parts between pages one and two
@pytest.mark.parametrize("number", [2, 7])
def test_pages_after_the_first_are_as_wide_as_the_page(tex, tmp_path, number):
    case = make_cv(number)
    assert case.theme == "sidebar"
    (tmp_path / "cv.yaml").write_text(case.text, encoding="utf-8")
    [out] = build(tmp_path / "cv.yaml", "all", tmp_path / "build", theme="sidebar",
                  source_date_epoch=PINNED_EPOCH)
    lines = pdf_lines(out.pdf)
    pages = max(line.page for line in lines)
    assert pages >= 3
    for page in range(2, pages + 1):
        body = _body(lines, page)
        # the text starts at the margin, and lines of it run wider than page one's column
        assert min(line.x0 for line in body) == pytest.approx(MARGIN, abs=1), page
        assert max(line.x1 - line.x0 for line in body) > NARROW + 40, page
    # page one: the main column starts right of the column, as it did
    first = [line for line in _body(lines, 1) if line.x0 > COLUMN - 1]
    assert min(line.x0 for line in first) == pytest.approx(COLUMN, abs=1)
    # every footer counts the pages there are
    footers = re.findall(r"(\d+) (?:of|из) (\d+)", pdf_text(out.pdf))
    assert footers and {int(total) for _, total in footers} == {pages}
    # page one is what the first compile (every page narrow) had on it
    natural = tmp_path / "natural.pdf"
    natural.write_bytes(compile_pdf(out.tex.read_text(encoding="utf-8"),
                                    source_date_epoch=PINNED_EPOCH).pdf)
    assert _first_page_words(out.pdf) == _first_page_words(natural)


def _variant(tmp_path: Path, number: int, change) -> Path:
    doc = yaml.safe_load(make_cv(number).text)
    change(doc)
    path = tmp_path / "cv.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_parted_entry_keeps_its_lines_on_page_two(tex, tmp_path):
    """CV 7's entry that parts between pages one and two: its lines on page two keep
    their width (set before the page broke), and the next entry is wide."""
    case = make_cv(7)
    (tmp_path / "cv.yaml").write_text(case.text, encoding="utf-8")
    [out] = build(tmp_path / "cv.yaml", "all", tmp_path / "build", theme="sidebar",
                  source_date_epoch=PINNED_EPOCH)
    two = _body(pdf_lines(out.pdf), 2)
    assert all(line.x1 - line.x0 <= NARROW + 1 for line in two[:3])  # the parted entry's
    assert max(line.x1 - line.x0 for line in two) > NARROW + 40


def test_a_tall_entry_all_on_page_two_is_wide(tex, tmp_path):
    """With dates in a left column, CV 7's third group (30 lines, set as lines that may
    part) does not fit page one at all: the note that it starts must not fall on page
    one (the glue before its first line was a place to break), or it is taken for a
    parted entry and set narrow."""
    def left(doc):
        doc["theme"] = {"name": "sidebar", "date_position": "left"}

    [out] = build(_variant(tmp_path, 7, left), "all", tmp_path / "build",
                  source_date_epoch=PINNED_EPOCH)
    two = _body(pdf_lines(out.pdf), 2)
    assert max(line.x1 for line in two[:3]) > 550, [round(line.x1) for line in two[:3]]


def test_the_footer_is_wide_when_nothing_after_page_one_is(tex, tmp_path):
    """The last entry parts between pages one and two: no group after it is set wide,
    and page two's footer still runs to the right margin."""
    def cut(doc):
        jobs = next(s for s in doc["sections"] if s.get("kind") == "experience")
        jobs["entries"] = jobs["entries"][:2]
        doc["sections"] = [s for s in doc["sections"] if s.get("kind") in ("summary", "experience")]

    [out] = build(_variant(tmp_path, 7, cut), "all", tmp_path / "build", theme="sidebar",
                  source_date_epoch=PINNED_EPOCH)
    lines = pdf_lines(out.pdf)
    assert max(line.page for line in lines) == 2
    [label] = [line for line in lines if line.page == 2 and line.text.endswith("2 of 2")]
    assert label.x1 == pytest.approx(595.28 - MARGIN, abs=1)
