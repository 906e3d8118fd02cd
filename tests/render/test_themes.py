"""Themes: listing, copying, overriding, options; the photo; emoji settings.
All through the .tex (no engine) except where a PDF is claimed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import PINNED_EPOCH, TYPESET_CV
from typer.testing import CliRunner

from cvbuild.cli.main import app
from cvbuild.errors import CvbuildError
from cvbuild.pipeline.run import build
from cvbuild.verify.readback import pdf_text

runner = CliRunner()


def _fixture(tmp_path: Path, edit=None) -> Path:
    """The full fixture CV in a folder of its own (with its photo), optionally edited."""
    for name in ("cv.yaml", "photo.png"):
        shutil.copy(TYPESET_CV.parent / name, tmp_path / name)
    cv = tmp_path / "cv.yaml"
    if edit:
        cv.write_text(edit(cv.read_text(encoding="utf-8")), encoding="utf-8")
    return cv


def _tex(cv: Path, lang="ru", **kw) -> str:
    [out] = build(cv, lang, cv.parent / "build", tex_only=True, source_date_epoch=PINNED_EPOCH, **kw)
    return out.tex.read_text(encoding="utf-8")


def test_themes_lists_names_first(tmp_path):
    cv = _fixture(tmp_path)
    result = runner.invoke(app, ["themes", str(cv)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["banking", "classic", "compact", "modern", "sidebar"]
    assert "Two-tone accent header" in lines[3]


def test_theme_copy_overrides_the_builtin(tmp_path):
    cv = _fixture(tmp_path)
    result = runner.invoke(app, ["theme", "copy", "modern", str(cv)])
    assert result.exit_code == 0, result.output
    copied = tmp_path / "themes" / "modern" / "cv.tex.j2"
    assert copied.is_file() and (tmp_path / "themes" / "modern" / "theme.yaml").is_file()
    text = copied.read_text()
    assert "((* block style *))" in text and r"\begin{document}" not in text  # its look only
    copied.write_text(text.replace("((* block style *))", "((* block style *))\n% edited copy"))
    assert "% edited copy" in _tex(cv, theme="modern")
    assert "% edited copy" not in _tex(cv, theme="classic")
    listed = runner.invoke(app, ["themes", str(cv)]).output
    assert "modern\t" in listed and "(themes/ beside cv.yaml)" in listed
    again = runner.invoke(app, ["theme", "copy", "modern", str(cv)])
    assert again.exit_code == 1 and "already exists" in again.output
    unknown = runner.invoke(app, ["theme", "copy", "fancy", str(cv)])
    assert unknown.exit_code == 1 and "no built-in theme named 'fancy'" in unknown.output


def test_base_is_not_a_theme(tmp_path):
    cv = _fixture(tmp_path)
    assert "base" not in [line.split("\t")[0] for line in
                          runner.invoke(app, ["themes", str(cv)]).output.splitlines()]
    copied = runner.invoke(app, ["theme", "copy", "base", str(cv)])
    assert copied.exit_code == 1 and "no built-in theme named 'base'" in copied.output
    with pytest.raises(CvbuildError, match="'base' is what every theme extends, not a theme"):
        _tex(cv, theme="base")


def test_a_local_theme_extends_the_builtin_one_and_overrides_one_partial(tmp_path):
    """A folder beside cv.yaml may hold only what it changes: a block of the built-in
    theme (reached as builtin/NAME/…) and one entry kind's partial."""
    cv = _fixture(tmp_path)
    local = tmp_path / "themes" / "modern"
    (local / "entries").mkdir(parents=True)
    (local / "cv.tex.j2").write_text(
        '((* extends "builtin/modern/cv.tex.j2" *))\n'
        "((* block style *))\n<< super() >>\n% local look\n((* endblock *))\n")
    (local / "entries" / "SkillGroup.tex.j2").write_text(
        r"\par SKILLS: << entry.label >>\par" "\n")
    tex = _tex(cv, theme="modern")
    assert "% local look" in tex and r"\colorlet{muted}{black!58}" in tex  # built-in kept
    assert r"\par SKILLS: Языки\par" in tex and r"\textbf{Языки}" not in tex
    assert r"\cventry{Ведущий инженер}" in tex  # the other kinds from the base
    classic = _tex(cv, theme="classic")
    assert "SKILLS:" not in classic and r"\textbf{Языки}: Python" in classic


def test_a_theme_of_one_line_gets_the_base_look(tmp_path, tex):
    """`extends "base.tex.j2"` alone is a theme: the base's plain look, a real PDF whose
    text reads back."""
    cv = _fixture(tmp_path)
    (tmp_path / "themes" / "bare").mkdir(parents=True)
    (tmp_path / "themes" / "bare" / "cv.tex.j2").write_text('((* extends "base.tex.j2" *))\n')
    [out] = build(cv, "ru", tmp_path / "out", theme="bare", source_date_epoch=PINNED_EPOCH)
    text = pdf_text(out.pdf)
    for words in ("Анна Смирнова", "Ведущий инженер", "Лаборатория ИИ", "Репетитор"):
        assert words in text, words


def test_theme_options_reach_the_tex(tmp_path):
    cv = _fixture(tmp_path, lambda t: t.replace(
        "  name: classic\n",
        "  name: modern\n  accent: '#aa3300'\n  font: DejaVu Serif\n  paper: letter\n"
        "  margins: 20\n  font_size: 11\n"))
    tex = _tex(cv)
    assert r"\definecolor{accent}{HTML}{AA3300}" in tex
    assert r"\setmainfont{DejaVu Serif}" in tex
    assert (r"\usepackage[letterpaper,top=14mm,bottom=14mm,left=20mm,right=20mm,footskip=7mm]"
            r"{geometry}") in tex
    assert r"\documentclass[11pt]{article}" in tex
    # the theme's defaults where cv.yaml says nothing
    plain = tmp_path / "plain"
    plain.mkdir()
    tex = _tex(_fixture(plain), theme="classic")
    assert r"\setmainfont{PT Serif}" in tex and r"\definecolor{accent}{HTML}{1F3A5F}" in tex


def test_a_font_without_cyrillic_is_refused(tmp_path):
    cv = _fixture(tmp_path, lambda t: t.replace("  name: classic\n", "  name: classic\n  font: Comic Sans XYZ\n"))
    result = runner.invoke(app, ["pdf", str(cv), "-o", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "theme.font: 'Comic Sans XYZ' is not an installed font with Cyrillic letters" in result.output
    assert "PT Serif" in result.output  # the installed ones are listed
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    "photo, content, message",
    [
        ("photo.png", b"GIF89a....", "'photo.png' is not a JPEG or PNG image"),
        ("../photo.png", None, "'../photo.png' must be a file beside cv.yaml"),
        ("/etc/hostname", None, "'/etc/hostname' must be a file beside cv.yaml"),
        ("missing.jpg", None, "no file 'missing.jpg' beside cv.yaml; put the photo there, "
                              "or fix the name"),
        ("link.png", "symlink", "'link.png' leads outside the folder of cv.yaml"),
    ],
)
def test_photo_is_checked(tmp_path, photo, content, message):
    cv = _fixture(tmp_path, lambda t: t.replace("photo: photo.png", f"photo: {photo}"))
    if content == "symlink":  # a link beside cv.yaml to a file elsewhere
        outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
        shutil.copy(tmp_path / "photo.png", outside)
        (tmp_path / photo).symlink_to(outside)
    elif content is not None:
        (tmp_path / photo).write_bytes(content)
    line = next(n for n, text in enumerate(cv.read_text("utf-8").splitlines(), 1)
                if text.strip().startswith("photo:"))
    with pytest.raises(CvbuildError) as err:
        _tex(cv)
    # at its line and column, like every other problem in cv.yaml
    assert str(err.value).startswith(f"{cv}:{line}:10: header.photo: {message}")


def test_photo_is_shown_by_modern_only(tmp_path):
    cv = _fixture(tmp_path)
    assert r"\includegraphics[width=30mm]{photo.png}" in _tex(cv, theme="modern")
    assert "photo.png" not in _tex(cv, theme="classic")


def test_emoji_drawn_or_removed_with_a_warning(tmp_path):
    drawn = _tex(_fixture(tmp_path))
    assert r"\newcommand{\cvemoji}" in drawn
    assert r"\cvsection{Навыки~\cvreadas{FEFFD83DDCDA}{\char32 }{\cvemoji{1f4da}}}" in drawn
    assert r"на~месте~\cvreadas{FEFF2714}{\char32 }{\cvemoji{2714}}" in drawn
    cv = _fixture(tmp_path, lambda t: t.replace("  show_durations: true\n", "  show_durations: true\n  emoji: remove\n"))
    [out] = build(cv, "ru", tmp_path / "b", tex_only=True)
    tex = out.tex.read_text(encoding="utf-8")
    assert "cvemoji" not in tex and "📚" not in tex
    assert r"\cvsection{Навыки}" in tex
    # (the fixture's photo, given to classic, is the other warning)
    assert [str(w) for w in out.warnings if w.path != "header.photo"] == [
        f"{cv}: warning: options.emoji: left out the emoji 📚 ✔ "
        "(options.emoji is `remove`; set it to `draw` to draw them)"
    ]
    result = runner.invoke(app, ["tex", str(cv), "-l", "ru", "-o", str(tmp_path / "c")])
    assert result.exit_code == 0
    assert "warning: options.emoji: left out the emoji 📚 ✔ (options.emoji is `remove`; set it " \
        "to `draw` to draw them) (ru PDF)" in result.output


PROSE = """
languages: [en]
header: {name: A}
sections:
  - title: T
    entries:
      - text: "**p1** and *e1*"
      - bullets:
          - "**b1**"
          - {lead: "**l1**", text: "**t1**", items: ["**s1**"]}
      - company: C
        position: P
        summary: "**x1**"
        highlights: ["**h1**"]
      - institution: I
        highlights: ["**h2**"]
      - project: Pr
        description: "**d1** [site](https://example.com)"
        highlights: ["**h3**"]
      - award: Aw
        summary: "**a1** `code`"
"""


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_every_prose_field_takes_inline_markup(tmp_path, theme):
    cv = tmp_path / "cv.yaml"
    cv.write_text(PROSE, encoding="utf-8")
    tex = _tex(cv, "en", theme=theme)
    for word in ("p1", "b1", "l1", "t1", "s1", "x1", "h1", "h2", "d1", "h3", "a1"):
        assert rf"\textbf{{{word}}}" in tex, word
    assert r"\emph{e1}" in tex and r"\texttt{code}" in tex
    assert r"\href{https://example.com}{site}" in tex
    assert "**" not in tex


def _fill_before(pdf: Path, word: str) -> str:
    """The last fill colour set before `word` is drawn on page 1 ("0 g": black)."""
    import re

    from pypdf import PdfReader

    stream = PdfReader(pdf).pages[0].get_contents().get_data().decode("latin1")
    at = stream.find(f"/ActualText ({word})")
    assert at > 0, word
    return re.findall(r"(?:[\d.]+ ){1,3}(?:rg|g)\b", stream[:at])[-1]


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_a_coloured_separator_leaks_no_colour(tmp_path, theme, tex):
    """modern's muted "|" between title and company is drawn by leaders (so that no
    line ends with it); its colour must end with it: the bullets after are black."""
    cv = tmp_path / "cv.yaml"
    cv.write_text("languages: [en]\nheader: {name: A}\nsections:\n  - title: T\n    entries:\n"
                  "      - {company: Acme, position: Engineer, start: 2020-01, location: Oslo,\n"
                  "         highlights: [Shipped things]}\n"
                  "      - {text: Afterwards}\n", encoding="utf-8")
    [out] = build(cv, "en", tmp_path / "b", theme=theme, source_date_epoch=PINNED_EPOCH)
    assert _fill_before(out.pdf, "Shipped") == "0 g"
    assert _fill_before(out.pdf, "Afterwards") == "0 g"


def test_a_theme_folder_without_its_template_is_told_what_to_write(tmp_path):
    cv = _fixture(tmp_path)
    (tmp_path / "themes" / "mine").mkdir(parents=True)
    with pytest.raises(CvbuildError) as err:
        _tex(cv, theme="mine")
    assert "the theme has no cv.tex.j2" in str(err.value)
    assert '((* extends "base.tex.j2" *))' in str(err.value)


def test_a_theme_yaml_is_read_once_a_build_and_again_when_edited(tmp_path, monkeypatch):
    """A build asks for a theme's settings several times (per language, for the options
    it ignores): each theme.yaml is parsed once while unchanged; `watch` sees an edit."""
    from cvbuild.render import themes

    cv = _fixture(tmp_path)
    themes.copy_theme("modern", tmp_path)
    read = []
    real = themes._read_theme_yaml
    monkeypatch.setattr(themes, "_read_theme_yaml", lambda path: read.append(path) or real(path))
    themes._READ.clear()
    build(cv, "all", tmp_path / "build", tex_only=True, theme="modern",
          source_date_epoch=PINNED_EPOCH)
    local = tmp_path / "themes" / "modern" / "theme.yaml"
    assert sorted(read) == sorted(set(read)) and local in read, read
    read.clear()
    text = local.read_text(encoding="utf-8")
    local.write_text(text.replace("description:", "description: Edited.", 1), encoding="utf-8")
    assert "Edited." in themes.theme_settings("modern", tmp_path)[1]["description"]
    assert read == [local]  # the edited file alone, read anew
    # what a caller does to the settings it got does not change the next caller's
    themes.theme_settings("modern", tmp_path)[1]["defaults"].clear()
    assert themes.theme_settings("modern", tmp_path)[1]["defaults"]
