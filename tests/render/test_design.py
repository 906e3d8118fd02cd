"""Design options (cv.yaml's theme:), what each theme honours, link display and bold
keywords: through the .tex and the build's warnings (no engine; the PDFs are in
tests/pipeline/test_themes_pdf.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FULL_YAML, PINNED_EPOCH, ROOT

from cvbuild.errors import CvbuildError
from cvbuild.pipeline.gallery import RECORD, file_hash, picture_name
from cvbuild.pipeline.run import build
from cvbuild.render.latex import keyword_pattern, markup
from cvbuild.render.themes import OPTION_NAMES, list_themes, theme_hash, theme_options
from cvbuild.source.model import Theme

THEMES = ["banking", "classic", "compact", "modern", "sidebar"]
GALLERY = ROOT / "docs" / "gallery"


def _cv(tmp_path: Path, theme: str, extra: str = "", source: Path = FULL_YAML) -> Path:
    text = source.read_text(encoding="utf-8")
    cv = tmp_path / "cv.yaml"
    cv.write_text(text + f"\ntheme:\n  name: {theme}\n" + extra, encoding="utf-8")
    return cv


def _build(cv: Path, lang: str = "en", **kw):
    [out] = build(cv, lang, cv.parent / "build", tex_only=True, source_date_epoch=PINNED_EPOCH, **kw)
    return out.tex.read_text(encoding="utf-8"), [str(w) for w in out.warnings]


def test_every_builtin_theme_is_listed_with_words_and_what_it_honours():
    themes = {t.name: t for t in list_themes()}
    assert sorted(themes) == THEMES
    for info in themes.values():
        assert len(info.description.split()) >= 8, info  # says what it looks like
        assert set(info.honours) <= set(OPTION_NAMES) | {"photo"}, info
        assert {"accent", "font", "paper", "margins", "font_size"} <= set(info.honours)
    assert "photo" in themes["sidebar"].honours and "photo" not in themes["compact"].honours


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_takes_its_defaults_from_its_theme_yaml(theme):
    _, options = theme_options(Theme(name=theme))
    assert all(options[k] is not None for k in OPTION_NAMES if k not in ("text_color", "link_color"))
    assert options["sidebar"] == (["SkillGroup", "SpokenLanguage"] if theme == "sidebar" else [])


def test_an_option_the_theme_ignores_is_a_warning_at_its_line(tmp_path):
    cv = _cv(tmp_path, "classic", "  date_position: left\n  bullet: square\n  accent: '#aa0000'\n")
    cv.write_text(cv.read_text().replace("header:\n", "header:\n  photo: photo.png\n", 1))
    shutil.copy(ROOT / "tests" / "data" / "typeset" / "photo.png", tmp_path / "photo.png")
    tex, warnings = _build(cv)
    lines = cv.read_text().splitlines()
    at = next(i for i, line in enumerate(lines, 1) if "date_position" in line)
    assert any(w.startswith(f"{cv}:{at}:") and "theme.date_position: the theme 'classic' "
               "ignores `date_position`; themes that honour it: banking, compact, sidebar" in w
               for w in warnings), warnings
    assert any("theme.bullet: the theme 'classic' ignores `bullet`" in w for w in warnings)
    assert any("header.photo: the theme 'classic' shows no photo; themes that do: "
               "banking, modern, sidebar" in w for w in warnings)
    assert not any("accent" in w for w in warnings)  # honoured: no word
    assert r"\definecolor{accent}{HTML}{AA0000}" in tex
    # the same options to a theme that honours them: no warning at all
    _, quiet = _build(_cv(tmp_path / "b" if (tmp_path / "b").mkdir() is None else tmp_path,
                          "banking", "  date_position: left\n  bullet: square\n"))
    assert quiet == []


@pytest.mark.parametrize(
    "options, expected",
    [
        ("section_style: band", [r"\colorbox{accent!10}"]),
        ("section_style: underline", [r"{\color{accent}\rule{2.2em}{1.6pt}}"]),
        ("bullet: square", [r"rectangle (0.34em,0.34em)"]),
        ("bullet: dash", [r"\setlist[itemize,1]{label={\color{accent}\textendash}}"]),
        ("date_position: below", [r"\ifx&#3&\else\cvwhen{#3}"]),
        ("date_position: left", [r"\else\noindent\llap{\usebox{\cvdatebox}\hspace{\cvdategap}}#1\par\nobreak\fi}",
                                 r"\cvheadrow{\textbf{Best talk}, Data Conference}{\cvwhen{2023}}"]),
        ("date_position: right", [r"\cvheadrow{\textbf{Best talk}, Data Conference}{\cvwhen{2023}}"]),
        ("density: airy", [r"\cvsection}[1]{\par\vspace{15.9pt}"]),  # 11pt × 1.45
        ("header_align: left", [r"\raggedright"]),
        ("text_color: '#333333'", [r"\definecolor{cvtext}{HTML}{333333}", r"\AtBeginDocument{\color{cvtext}}"]),
        ("link_color: '#0055AA'", [r"\hypersetup{colorlinks=true,allcolors=cvlink}"]),
        ("heading_font: DejaVu Sans", [r"\setsansfont{DejaVu Sans}"]),
        ("icons: false", []),
    ],
)
def test_design_options_reach_the_tex(tmp_path, options, expected):
    tex, warnings = _build(_cv(tmp_path, "banking", f"  {options}\n"))
    assert warnings == []
    for snippet in expected:
        assert snippet in tex, snippet
    assert (r"\cvcontacticon{github}" in tex) == (options != "icons: false")
    # banking's other dates go to the date column with the entries' (its default: left),
    # or under their titles with them (below); only at the right are they the base's
    assert (r"\renewcommand{\cvheadrow}" in tex) == (options != "date_position: right")


def test_a_heading_font_without_cyrillic_is_refused(tmp_path):
    with pytest.raises(CvbuildError, match="theme.heading_font: 'Comic Sans XYZ' is not an "
                       "installed font with Cyrillic letters"):
        _build(_cv(tmp_path, "compact", "  heading_font: Comic Sans XYZ\n"))


def test_an_unknown_key_in_theme_yaml_is_the_theme_authors_error(tmp_path):
    cv = _cv(tmp_path, "mine")
    (tmp_path / "themes" / "mine").mkdir(parents=True)
    (tmp_path / "themes" / "mine" / "cv.tex.j2").write_text('((* extends "base.tex.j2" *))\n')
    (tmp_path / "themes" / "mine" / "theme.yaml").write_text("honors: [accent]\n")
    with pytest.raises(CvbuildError, match=r"theme.yaml: unknown key `honors`; the keys allowed "
                       "are: description, defaults, honours, sidebar"):
        _build(cv)


@pytest.mark.parametrize(
    "mode, project, doi",
    [
        ("address", r"\href{https://github.com/anna-sample/tinyetl}{https://github.com/anna-sample/tinyetl}",
         r"\mbox{DOI:~\href{https://doi.org/10.1000/xyz123}{10.1000/xyz123}}"),
        ("label", r"\href{https://github.com/anna-sample/tinyetl}{github.com/anna-sample/tinyetl}",
         r"\href{https://doi.org/10.1000/xyz123}{DOI~10.1000/xyz123}"),
        ("title", r"\cventry{\href{https://github.com/anna-sample/tinyetl}{tinyetl}}{}",
         r"\href{https://doi.org/10.1000/xyz123}{DOI~10.1000/xyz123}"),
    ],
)
def test_link_display(tmp_path, mode, project, doi):
    tex, _ = _build(_cv(tmp_path, "modern", f"  link_display: {mode}\n"))
    assert project in tex and doi in tex
    if mode == "title":  # the title is the link to the address; the address is not printed
        assert r"\textbf{\href{https://example.org/paper}{Incremental loads in practice}}" in tex
        assert "{example.org/paper}" not in tex and "{https://example.org/paper}}" not in tex
    # contacts are shown short in every mode, their targets in full
    assert r"\href{https://github.com/anna-sample}{github.com/anna-sample}" in tex


def test_bold_keywords_are_whole_words_in_text_not_code_links_or_bold():
    bold = keyword_pattern(("Go", "C++", "R&D", "deep learning"))
    tex = markup("Go and Golang, `Go` in code, **Go** already bold, [Go](https://go.dev/Go), "
                 "C++ and R&D, deep learning.", "en", bold=bold)
    assert tex.startswith(r"\textbf{Go} and Golang")  # not inside Golang
    assert r"\texttt{Go}" in tex  # a code span is left alone
    assert r"\textbf{\textbf{Go}}" not in tex and r"\textbf{Go} already" in tex
    assert r"\href{https://go.dev/Go}{\textbf{Go}}" in tex  # the target is untouched
    assert r"\textbf{C++}" in tex and r"\textbf{R\&D}" in tex
    assert r"\textbf{deep learning}" in tex
    assert markup("Go and C++.", "en") == markup("Go and C++.", "en", bold=keyword_pattern(()))


def test_bold_keywords_per_language_reach_the_prose_only(tmp_path):
    cv = _cv(tmp_path, "classic")
    cv.write_text(cv.read_text() + "options:\n  bold_keywords: [Airflow, {ru: конвейеры, en: pipelines}]\n")
    en, _ = _build(cv, "en")
    ru, _ = _build(cv, "ru")
    assert r"from cron to \textbf{Airflow}." in en and r"data \textbf{pipelines}" in en
    assert r"\textbf{конвейеры}" in ru and r"из~cron в~\textbf{Airflow}." in ru
    assert r"Python, SQL, Airflow, Kafka" in en  # a skill list is not prose: untouched


@pytest.mark.parametrize("theme", THEMES)
def test_the_gallery_is_not_older_than_its_theme(theme):
    """docs/gallery/ holds page one of every theme in both languages; its record names
    the theme files they were made from. After changing a theme: `cvbuild gallery`."""
    record = json.loads((GALLERY / RECORD).read_text(encoding="utf-8"))
    assert record["themes"][theme]["hash"] == theme_hash(theme), (
        f"docs/gallery is older than the theme '{theme}': run `cvbuild gallery`")
    assert record["cv"]["hash"] == file_hash(GALLERY / "cv.yaml"), "docs/gallery/cv.yaml changed: run `cvbuild gallery`"
    for lang in ("ru", "en"):
        png = GALLERY / picture_name(theme, lang)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
        assert f"docs/gallery/{png.name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_theme_hash_changes_with_any_of_its_files(tmp_path):
    (tmp_path / "themes" / "mine").mkdir(parents=True)
    (tmp_path / "themes" / "mine" / "cv.tex.j2").write_text('((* extends "base.tex.j2" *))\n')
    before = theme_hash("mine", tmp_path)
    (tmp_path / "themes" / "mine" / "cv.tex.j2").write_text('((* extends "base.tex.j2" *))\n% x\n')
    assert theme_hash("mine", tmp_path) != before
    assert re.fullmatch(r"[0-9a-f]{16}", before)


@pytest.mark.parametrize("shape, frame", [("circle", "circle,"), ("rounded", "rounded corners=4.2mm"),
                                          ("square", "rectangle,draw")])
def test_photo_shape_and_size(tmp_path, shape, frame):
    cv = _cv(tmp_path, "banking", f"  photo_shape: {shape}\n  photo_size: 30\n")
    cv.write_text(cv.read_text().replace("header:\n", "header:\n  photo: photo.png\n", 1))
    shutil.copy(ROOT / "tests" / "data" / "typeset" / "photo.png", tmp_path / "photo.png")
    tex, warnings = _build(cv)
    assert warnings == []
    assert frame in tex and "minimum size=30mm" in tex and r"\includegraphics[width=30mm]" in tex


def test_the_sidebar_column_is_left_out_when_nothing_goes_in_it(tmp_path):
    """cv.yaml has no contacts and no skill groups: the main column takes the width."""
    from conftest import CV_YAML

    tex, _ = _build(_cv(tmp_path, "sidebar", source=CV_YAML))
    assert "left=14mm,right=14mm" in tex and r"\usebox{\cvside}" not in tex
    full, _ = _build(_cv(tmp_path / "full" if (tmp_path / "full").mkdir() is None else tmp_path, "sidebar"))
    assert "left=73mm,right=14mm" in full and r"\usebox{\cvside}" in full
    assert r"\pdfbookmark[0]{Languages}{cvside.1}\cvsidesection{Languages}" in full
