"""What the TeX engine says, as a person reads it: the error with its .tex line, the
cv.yaml field behind it and the full log; warnings at the fields they came from."""

from __future__ import annotations

import textwrap

import pytest

from cvbuild.engine.tex import error_hint, log_error_at, parse_warnings
from cvbuild.errors import CompileError
from cvbuild.pipeline.run import build
from cvbuild.render.template import _unmark

LOG = """\
This is XeTeX, Version 3.141592653-2.6-0.999994 (TeX Live 2022/Debian) (preloaded format=xelatex)
Overfull \\hbox (0.8pt too wide) in paragraph at lines 12--12
[]\\TU/PTSerif(0)/m/n/10 barely over
Overfull \\hbox (12.5pt too wide) in paragraph at lines 40--41
[]\\TU/PTSerif(0)/b/n/10 Verylongword \\TU/PTSerif(0)/m/n/10 and more []
Missing character: There is no ✓ (U+2713) in font PT Serif/OT:script=latn;language=dflt;!
Missing character: There is no ✓ (U+2713) in font PT Serif Bold/OT:script=latn;language=dflt;!
Missing character: There is no 中 (U+4E2D) in font PT Serif/OT:script=latn;language=dflt;!
Overfull \\hbox (12.5pt too wide) in paragraph at lines 40--41
[]\\TU/PTSerif(0)/b/n/10 Verylongword \\TU/PTSerif(0)/m/n/10 and more []
Overfull \\hbox (7.0pt too wide) detected at line 57
"""


def test_parse_warnings():
    found = parse_warnings(LOG)
    assert [(w.kind, w.lines, w.char, w.fonts, w.snippet) for w in found] == [
        ("overfull", (40, 41), None, (), "Verylongword and more"),
        ("missing_char", None, "✓", ("PT Serif", "PT Serif Bold"), ""),
        ("missing_char", None, "中", ("PT Serif",), ""),
        ("overfull", (57, 57), None, (), ""),
    ]
    assert found[0].message == (
        "a line sticks out 12.5 pt into the right margin; shorten it, or give a long word "
        "or address a place to break"
    )
    assert found[1].message == (
        "the fonts PT Serif, PT Serif Bold have no ✓ (U+2713), so the PDF leaves it out; "
        "replace it or remove it"
    )
    assert found[2].message.startswith("the font PT Serif has no 中 (U+4E2D)")


def test_log_error():
    log = "! Undefined control sequence.\nl.3 \\undefinedmacro\n                   {Ivan}\n"
    assert log_error_at(log) == ("Undefined control sequence.", 3, "\\undefinedmacro")
    assert log_error_at("no error here") == ("the engine stopped without saying why", None, "")


def test_error_hints():
    assert error_hint('Package fontspec Error: The font "PT Serif" cannot be found.') == (
        "the font PT Serif is not installed; `cvbuild doctor` says how to install it"
    )
    assert error_hint("LaTeX Error: File `enumitem.sty' not found.") == (
        "the LaTeX package enumitem is not installed; `cvbuild doctor` says how to install it"
    )
    assert error_hint("Missing $ inserted.") is None


def test_source_map_records_lines_and_strips_markers():
    tex, source = _unmark("a\n\x01x.y\x02one\x03 b \x01z[0]\x02two\nlines\x03\nc")
    assert tex == "a\none b two\nlines\nc"
    assert [(s.path, s.first, s.last, s.tex) for s in source.spans] == [
        ("x.y", 2, 2, "one"), ("z[0]", 2, 3, "two\nlines"),
    ]
    assert [s.path for s in source.at_lines(3, 3)] == ["z[0]"]
    assert [s.path for s in source.containing("one")] == ["x.y"]
    # a theme that cut marked text in two loses a span, never the text
    assert _unmark("a\x03b\x01p\x02c") == ("abc", _unmark("")[1])


BROKEN = """\
languages: [ru, en]
header:
  name: {ru: Иван Петров, en: Ivan Petrov}
theme: {name: broken}
"""

WARNED = """\
languages: [ru, en]
header:
  name: {ru: Иван Петров, en: Ivan Petrov}
sections:
  - title: {ru: Опыт, en: Experience}
    entries:
      - company: SupercalifragilisticexpialidociousAntidisestablishmentarianismCorporationInternationalHoldingsAndSubsidiaries
        position: {ru: Инженер, en: Engineer}
        start: 2020-01
        end: present
      - text: Pneumonoultramicroscopicsilicovolcanoconiosis-floccinaucinihilipilification-hippopotomonstrosesquippedaliophobia
      - text:
          ru: Метка x\U000E0041y
          en: A tag x\U000E0041y and **bold x\U000E0041y**
"""
# (an invisible tag character: no font has it, and invisible characters stay
# warnings; a visible one such as ✓ is now printed in a fallback font, see fonts.py)


def test_warnings_name_the_field(tex, tmp_path):
    """One real build: overflowing lines and a missing character, each at its field;
    of the three fields on a job's first line, only the one that overflows is named."""
    cv = tmp_path / "cv.yaml"
    cv.write_text(WARNED, encoding="utf-8")
    [out] = build(cv, "en", tmp_path / "build")
    assert [str(w).replace(str(tmp_path) + "/", "") for w in out.warnings] == [
        "cv.yaml:7:18: warning: sections[0].entries[0].company: a line sticks out 11.9 pt "
        "into the right margin; shorten it, or give a long word or address a place to break",
        "cv.yaml:11:15: warning: sections[0].entries[1].text: a line sticks out 31.6 pt into "
        "the right margin; shorten it, or give a long word or address a place to break",
        "cv.yaml:14:15: warning: sections[0].entries[2].text.en: the fonts PT Serif, PT Serif "
        "Bold have no \U000E0041 (U+E0041), so the PDF leaves it out; replace it or remove it",
    ]
    assert out.pdf.exists()


def test_compile_error_shows_line_field_and_log(tex, tmp_path):
    theme = tmp_path / "themes" / "broken"
    theme.mkdir(parents=True)
    (theme / "cv.tex.j2").write_text(textwrap.dedent("""\
        \\documentclass{article}
        \\begin{document}
        \\undefinedmacro{<< cv.header.name >>}
        \\end{document}
        """), encoding="utf-8")
    cv = tmp_path / "cv.yaml"
    cv.write_text(BROKEN, encoding="utf-8")
    out_dir = tmp_path / "build"
    out_dir.mkdir()
    (out_dir / "Ivan_Petrov_CV_en.pdf").write_bytes(b"%PDF last good")
    with pytest.raises(CompileError) as info:
        build(cv, "en", out_dir)
    log = out_dir / "Ivan_Petrov_CV_en.log"
    assert str(info.value).split("\n") == [
        "xelatex failed: Undefined control sequence.",
        "  at line 3 of the .tex file: \\undefinedmacro",
        f"  written there from {cv}:3:31: header.name.en",
        "  the theme uses a command no package defines: check its spelling in the theme",
        f"  full log: {log}",
    ]
    assert log.read_text(encoding="utf-8").count("! Undefined control sequence.") == 1
    assert (out_dir / "Ivan_Petrov_CV_en.pdf").read_bytes() == b"%PDF last good"
