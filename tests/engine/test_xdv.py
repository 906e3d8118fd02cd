"""The check of what a document asks of the PDF driver (engine/xdv.py), on specials as
XeTeX writes them; tests/engine/test_sandbox.py runs hostile documents through TeX."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.engine.xdv import check, refusal, specials
from cvbuild.errors import CompileError

# what the built-in themes, hyperref, xcolor, graphicx and pdfx write (both themes,
# PDF/A, a photo, emoji)
ALLOWED = [
    "pdf:pagesize width 597.50787pt height 845.04684pt",
    "pdf:docinfo<</Title(\\376\\377\\000D)/Creator(cvbuild)>>",
    "pdf:dest (page.1) [@thispage /XYZ @xpos @ypos null]",
    "color push gray 0", "color pop", "color push rgb 0.122 0.227 0.373",
    "pdf:majorversion 1", "pdf:minorversion 5", "dvipdfmx:config C 0x0010",
    "pdf:docview<</OpenAction[@page1/Fit]/PageMode/UseOutlines/Lang(en-GB)>>",
    "pdf:bann<</Type/Annot/Subtype/Link/Border[0 0 0]/A<</S/URI/URI(https://example.org)>>>>",
    "pdf:eann", "pdf: bcontent", "pdf:econtent", "pdf:btrans matrix 1 0 0 1 0 0", "pdf:etrans",
    "pdf:literal direct q 3 Tr 100 Tz /Span<</ActualText<FEFF0036>>>BDC", "pdf:code q",
    "pdf:image matrix 1 0 0 1 0 0 page 1 pagebox cropbox (./emoji-1f4da.pdf)",
    "pdf:image bbox 0 0 10 10 clip 0 width 50pt (photo.png)",
    "pdf:fstream @colorprofile (sRGB.icc) <</N 3 /Alternate/DeviceRGB>>",
    "pdf:fstream @pdfx@Metadata (pdfa.xmpi) << /Type /Metadata /Subtype /XML >>",
    "pdf:obj @pgfcolorspaces <<>>", "pdf:put @resources << /ColorSpace @pgfcolorspaces >>",
    "x:scale 1 1",
]
REFUSED = [
    "pdf:fstream @x (/etc/passwd)",
    "pdf:fstream @x (../secret)",
    "pdf:fstream @x <2f6574632f706173737764>",  # /etc/passwd, in hex
    "pdf:fstream @x (\\057etc\\057passwd)",  # the same, octal escapes
    "PDF:fstream @x (/etc/passwd)",
    "  pdf:image (/home/me/photo.jpg)",
    "pdf:image width 1pt",  # no file name at all
    "pdf:epdf (.hidden.pdf)",
    "pdf:mapline foo foo.pfb", "pdf:tounicode UTF8-UCS2",
    "PSfile=/etc/passwd", "psfile=x.eps", "ps: plotfile /etc/passwd", "ps::[begin] 0 0 moveto",
    "html:<img src=\"/etc/passwd\">", "dvipdfmx:config D \"sh -c id\"", "dvipdfmx:config C 0x10 D x",
    "x:fontmapfile /etc/passwd", "header=/etc/passwd", "landscape; rm", "!/x 1 def",
]


@pytest.mark.parametrize("special", ALLOWED)
def test_what_the_themes_write_is_allowed(special, tmp_path):
    assert refusal(special, tmp_path) is None


@pytest.mark.parametrize("special", REFUSED)
def test_what_reads_outside_or_changes_the_driver_is_refused(special, tmp_path):
    assert refusal(special, tmp_path) is not None


def test_a_link_cvbuild_made_in_the_folder_is_not_embedded(tmp_path):
    (tmp_path / "cvbuild.fmt").symlink_to("/etc/passwd")
    assert refusal("pdf:fstream @x (cvbuild.fmt)", tmp_path) is not None


def _xdv(*ops: bytes) -> bytes:
    pre = bytes([247, 7]) + (25400000).to_bytes(4, "big") + (473628672).to_bytes(4, "big") \
        + (1000).to_bytes(4, "big") + bytes([0])
    return pre + b"".join(ops) + bytes([248]) + bytes(28) + bytes([249]) + bytes(5)


def _special(text: bytes) -> bytes:
    return bytes([239, len(text)]) + text


def test_specials_are_read_between_other_instructions():
    page = bytes([139]) + bytes(44) + bytes([141, 143, 5]) + _special(b"color pop") \
        + bytes([142, 65, 66]) + _special(b"pdf:fstream @x (/etc/passwd)") + bytes([140])
    assert specials(_xdv(page)) == ["color pop", "pdf:fstream @x (/etc/passwd)"]


def test_an_unknown_instruction_stops_the_build(tmp_path):
    xdv = tmp_path / "cv.xdv"
    xdv.write_bytes(_xdv(bytes([139]) + bytes(44) + bytes([250]) + bytes([140])))
    with pytest.raises(CompileError) as info:
        check(xdv, tmp_path)
    assert "could not be read" in str(info.value)


def test_a_refused_special_stops_the_build(tmp_path: Path):
    xdv = tmp_path / "cv.xdv"
    xdv.write_bytes(_xdv(bytes([139]) + bytes(44) + _special(b"PSfile=/etc/passwd") + bytes([140])))
    with pytest.raises(CompileError) as info:
        check(xdv, tmp_path)
    assert "PSfile=/etc/passwd" in str(info.value) and "SECURITY.md" in str(info.value)
