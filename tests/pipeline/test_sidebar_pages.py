"""The sidebar theme from page two on: no column there, so the text takes the page's
width; page one keeps what it had; the footers count the pages there are. Compiled
with the real engine and read back with positions."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
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
        body = [line for line in lines if line.page == page]
        # the text starts at the margin, and its long lines run across the page
        assert min(line.x0 for line in body) == pytest.approx(MARGIN, abs=1), page
        assert max(line.x1 for line in body) > 480, page
    # page one: the main column right of the column, as wide as it was
    first = [line for line in lines if line.page == 1 and line.x0 > COLUMN - 1]
    assert first and max(line.x1 for line in first) < 560
    # every footer counts the pages there are
    footers = re.findall(r"(\d+) (?:of|из) (\d+)", pdf_text(out.pdf))
    assert footers and {int(total) for _, total in footers} == {pages}
    # page one is what the first compile (every page narrow) had on it
    natural = tmp_path / "natural.pdf"
    natural.write_bytes(compile_pdf(out.tex.read_text(encoding="utf-8"),
                                    source_date_epoch=PINNED_EPOCH).pdf)
    assert _first_page_words(out.pdf) == _first_page_words(natural)


def test_a_parted_entry_keeps_its_lines_on_page_two(tex, tmp_path):
    """CV 7's entry that parts between pages one and two: its lines on page two keep
    their width (set before the page broke), and the next entry is wide."""
    case = make_cv(7)
    (tmp_path / "cv.yaml").write_text(case.text, encoding="utf-8")
    [out] = build(tmp_path / "cv.yaml", "all", tmp_path / "build", theme="sidebar",
                  source_date_epoch=PINNED_EPOCH)
    two = [line for line in pdf_lines(out.pdf) if line.page == 2]
    narrow_width = 595.28 - COLUMN - MARGIN
    top = two[:3]  # the parted entry's bullets
    assert all(line.x1 - line.x0 <= narrow_width + 1 for line in top)
    assert max(line.x1 - line.x0 for line in two) > narrow_width + 40
