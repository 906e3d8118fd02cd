"""No character silently lost (issue 4, point 2): XeTeX's missing-character lines
are read, a fallback font prints what it can, the rest is refused by name."""

from __future__ import annotations

import pytest
import yaml

from cvbuild.engine.fonts import coverage, describe, fallback_family, is_rtl
from cvbuild.engine.tex import missing_characters
from cvbuild.errors import MissingCharacters
from cvbuild.pipeline.run import build
from cvbuild.verify.readback import pdf_fonts, pdf_text

LOG = """\
Missing character: There is no 中 (U+4E2D) in font PT Serif/OT:script=latn;language=dflt;!
Missing character: There is no 😀 (U+1F600) in font PT Serif Bold/OT:script=latn;!
Missing character: There is no 中 (U+4E2D) in font PT Sans/OT:script=latn;!
Missing character: There is no 󠁁 (U+E0041) in font PT Mono/OT:!
Overfull \\hbox (1.0pt too wide) in paragraph at lines 1--2
"""


def test_missing_characters_parses_every_line():
    found = missing_characters(LOG)
    assert list(found) == ["中", "😀", "\U000E0041"]
    assert found["中"] == ["PT Serif", "PT Sans"]
    assert found["😀"] == ["PT Serif Bold"]
    assert missing_characters("no such lines\n") == {}


def test_describe_names_character_and_code_point():
    assert describe("中") == "'中' (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D)"
    assert describe("\u0378") == "(U+0378 unassigned code point)"
    assert describe("\ue000") == "(U+E000 private-use code point)"


def test_fallback_needs_every_style_of_the_family():
    assert ord("⊕") in coverage("DejaVu Serif")
    assert coverage("No Such Family Anywhere") == frozenset()
    assert fallback_family("中") is None or "CJK" in fallback_family("中")


def _cv(tmp_path, text: str, lang: str = "en"):
    path = tmp_path / "cv.yaml"
    path.write_text(yaml.safe_dump({
        "languages": [lang], "header": {"name": "Test Person"},
        "sections": [{"title": "About", "entries": [{"text": "plain"}, {"text": text}]}],
    }, allow_unicode=True), encoding="utf-8")
    return path


def test_fallback_font_prints_what_the_theme_font_lacks(tex, tmp_path):
    (out,) = build(_cv(tmp_path, "chess ♞ and ⊕ and ∰ end"), "en", tmp_path / "build")
    text = pdf_text(out.pdf)
    assert "chess ♞ and ⊕ and ∰ end" in text
    assert {f.name.split("+", 1)[-1].split("-")[0] for f in pdf_fonts(out.pdf)} >= {
        "PTSerif", "DejaVuSans", "DejaVuSerif"}
    assert out.warnings == []


def test_character_no_font_has_is_refused_naming_field(tex, tmp_path):
    if fallback_family("\u16a0") is not None:
        pytest.fail("test needs a character no installed font has; U+16A0 now has one")
    cv = _cv(tmp_path, "rune \u16a0 and \ue000")
    with pytest.raises(MissingCharacters) as info:
        build(cv, "en", tmp_path / "build")
    message = str(info.value)
    assert f"{cv}:8:11: sections[0].entries[1].text: 'ᚠ' (U+16A0 RUNIC LETTER FEHU FEOH FE F)" \
        in message
    assert "sections[0].entries[1].text: (U+E000 private-use code point)" in message
    assert len(info.value.problems) == 2
    assert not (tmp_path / "build" / "Test_Person_CV_en.pdf").exists()


def test_right_to_left_letters_are_refused_even_with_a_fallback(tex, tmp_path):
    assert is_rtl("ב") and fallback_family("ב") is not None
    with pytest.raises(MissingCharacters) as info:
        build(_cv(tmp_path, "shalom בית"), "en", tmp_path / "build")
    assert "'ב' (U+05D1 HEBREW LETTER BET): right-to-left text" in str(info.value)


def test_invisible_character_no_font_has_is_a_warning(tex, tmp_path):
    (out,) = build(_cv(tmp_path, "tag c\U000E0041d here"), "en", tmp_path / "build")
    assert len(out.warnings) == 1
    assert out.warnings[0].severity == "warning"
    assert out.warnings[0].path == "sections[0].entries[1].text"
    assert "(U+E0041)" in str(out.warnings[0])
    assert "tag c\U000E0041d here" in pdf_text(out.pdf)  # /ActualText keeps what was typed


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_a_mark_before_a_font_switch_keeps_its_word_whole(tex, tmp_path, theme):
    """A combining mark attached by the font's mark feature is drawn last, at an offset,
    and pdftotext ended the word there: a stress accent in bold before regular text read
    back "за́ мок" with DejaVu Serif as the theme's font, and a mark on a fallback glyph
    before a theme-font letter "Ѡ͋ ą". Marks are set unattached, so both read back whole."""
    path = tmp_path / "cv.yaml"
    path.write_text(yaml.safe_dump({
        "languages": ["ru"], "header": {"name": "Тест"},
        "theme": {"name": theme, "font": "DejaVu Serif"},
        "sections": [{"title": "О себе", "entries": [
            {"text": "**за\u0301**мок и **Ша\u0301**мок"}, {"text": "Ѡ\u034bą"}]}],
    }, allow_unicode=True), encoding="utf-8")
    (out,) = build(path, "ru", tmp_path / "build")
    for raw in (False, True):
        text = pdf_text(out.pdf, raw=raw)
        for word in ("за\u0301мок", "Ша\u0301мок", "Ѡ\u034bą"):
            assert word in text, (raw, word, text)
