"""pdfpage.cut_page: a page of the twemoji artwork cut through the xref table draws
what poppler's pdfseparate cuts; a file of any other shape is left to pdfseparate."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import require_tools

from cvbuild.engine import twemoji
from cvbuild.engine.pdfpage import cut_page
from cvbuild.engine.tex import locate


@pytest.fixture(scope="module")
def artwork(tex) -> tuple[str, bytes]:
    require_tools("pdfseparate", "pdftoppm", "pdfinfo")
    path = locate("all-twemojis.pdf")
    assert path is not None, "the twemojis artwork (texlive-pictures) is not installed"
    return path, Path(path).read_bytes()


def render(pdf: Path) -> bytes:
    return subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf)], capture_output=True,
                          check=True).stdout


# the first and last pages; pages drawing transparency groups (XObjects: 442, 3346,
# and 2321 with four); cv.yaml's two emoji
@pytest.mark.parametrize("page", [1, 442, 2321, 3346, 1742, 3638, 3689])
def test_a_cut_page_draws_what_pdfseparate_cuts(artwork, tmp_path, page):
    source, data = artwork
    ours = tmp_path / "ours.pdf"
    picture = cut_page(data, page)
    assert picture is not None
    ours.write_bytes(picture)
    theirs = tmp_path / "theirs.pdf"
    subprocess.run(["pdfseparate", "-f", str(page), "-l", str(page), source, str(theirs)],
                   check=True)
    info = subprocess.run(["pdfinfo", str(ours)], capture_output=True, text=True, check=True)
    assert info.stderr == ""  # no repair, no complaint
    assert "Pages:           1" in info.stdout and "27 x 27 pts" in info.stdout
    assert render(ours) == render(theirs)
    assert cut_page(picture, 1) == picture  # its own shape: cut again, the same bytes


def pdf(*bodies: bytes, trailer: bytes = b"") -> bytes:
    """A PDF of the given objects (numbered from 1, the catalog first) with a
    classic xref table."""
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1, trailer, xref)
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = (b"<< /Type /Page /Parent 2 0 R /Resources << >> /Contents 4 0 R "
        b"/MediaBox [0 0 27 27] >>")
CONTENT = b"<< /Length 5 0 R >>\nstream\n0 0 m 27 27 l S\nendstream"
LENGTH = b"15"


def test_a_file_of_that_shape_is_cut():
    picture = cut_page(pdf(CATALOG, PAGES, PAGE, CONTENT, LENGTH), 1)
    assert picture is not None
    assert b"0 0 m 27 27 l S" in picture and b"/Parent 2 0 R" in picture


def test_references_spaced_otherwise_are_followed_and_renumbered():
    """`4\n0 R` is a reference too: left as it was, it would name another object in
    the new file."""
    page = PAGE.replace(b"/Contents 4 0 R", b"/Contents 4\n0  R")
    picture = cut_page(pdf(CATALOG, PAGES, page, CONTENT, LENGTH), 1)
    assert picture is not None
    contents = re.search(rb"/Contents\s+(\d+)\s+0\s+R", picture)
    assert contents is not None
    assert re.search(rb"\n%s 0 obj\n<< /Length" % contents.group(1), picture)


@pytest.mark.parametrize("name, data, page", [
    ("past the last page", pdf(CATALOG, PAGES, PAGE, CONTENT, LENGTH), 2),
    ("updated incrementally", pdf(CATALOG, PAGES, PAGE, CONTENT, LENGTH,
                                  trailer=b"/Prev 9 "), 1),
    ("a string in the page", pdf(CATALOG, PAGES, PAGE.replace(b">> /Contents",
                                                              b">> /Title (a >> b) /Contents"),
                                 CONTENT, LENGTH), 1),
    ("a hex string", pdf(CATALOG, PAGES, PAGE.replace(b"/MediaBox", b"/ID <ab> /MediaBox"),
                         CONTENT, LENGTH), 1),
    ("resources from the parent", pdf(CATALOG, PAGES, PAGE.replace(b"/Resources << >> ", b""),
                                      CONTENT, LENGTH), 1),
    ("a tree of several levels", pdf(CATALOG, PAGES.replace(b"/Count 1", b"/Count 2"), PAGE,
                                     CONTENT, LENGTH), 1),
    ("a stream's length wrong", pdf(CATALOG, PAGES, PAGE, CONTENT, b"12"), 1),
    ("a length that is itself", pdf(CATALOG, PAGES, PAGE, CONTENT.replace(b"5 0 R", b"4 0 R"),
                                    LENGTH), 1),
    ("a rotation from the parent", pdf(CATALOG, PAGES.replace(b"/Count 1", b"/Count 1 /Rotate 90"),
                                       PAGE, CONTENT, LENGTH), 1),
    ("a crop box from the parent", pdf(CATALOG, PAGES.replace(b">>", b"/CropBox [0 0 9 9] >>"),
                                       PAGE, CONTENT, LENGTH), 1),
    ("a cross-reference stream", pdf(CATALOG, PAGES, PAGE, CONTENT, LENGTH).replace(
        b"xref\n0 6", b"xrex\n0 6"), 1),
    ("cut short", pdf(CATALOG, PAGES, PAGE, CONTENT, LENGTH)[:300], 1),
    ("not a PDF", b"hello", 1),
])
def test_any_other_shape_is_left_to_pdfseparate(name, data, page):
    assert cut_page(data, page) is None, name


def test_emoji_files_falls_back_to_pdfseparate(artwork, tmp_path, monkeypatch):
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    ours = twemoji.emoji_files({"1f4da"}, tmp_path / "ours")["emoji-1f4da.pdf"]
    monkeypatch.setattr(twemoji, "cut_page", lambda data, page: None)
    theirs = twemoji.emoji_files({"1f4da"}, tmp_path / "theirs")["emoji-1f4da.pdf"]
    assert theirs.read_bytes() != ours.read_bytes()  # poppler's writing, not ours
    assert render(theirs) == render(ours)
