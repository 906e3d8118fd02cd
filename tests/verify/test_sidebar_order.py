"""A two-column theme's reading order: the sections of its sidebar (theme.yaml
`sidebar:`) first, as one block, then the others, each in the CV's order; `cvbuild
check` takes that order from cv.yaml's theme, --theme, or the PDF's name."""

from __future__ import annotations

from conftest import FULL_YAML, PINNED_EPOCH
from typer.testing import CliRunner

from cvbuild.cli.main import app
from cvbuild.pipeline.run import build
from cvbuild.render.printed import text_values
from cvbuild.source.load import load_cv
from cvbuild.verify.readback import reading_order, section_order

SIDE = ("SkillGroup", "SpokenLanguage")


def test_section_order_puts_the_sidebar_sections_first():
    cv = load_cv(FULL_YAML)  # … 6: skills (groups and a bullet list), 7: languages
    assert section_order(cv, ()) is None
    assert section_order(cv, SIDE) == [7, 0, 1, 2, 3, 4, 5, 6]  # skills are mixed: main
    assert section_order(cv, ("Paragraph",)) is None  # the summary is first anyway


def test_reading_order_follows_the_themes_order_and_only_that():
    cv = load_cv(FULL_YAML)
    values = [v for _, v in text_values(cv, "en")]
    languages = [v for p, v in text_values(cv, "en") if p.startswith("sections[7]")]
    rest = [v for v in values if v not in languages]
    header = rest[:9]  # name, headline, location and six contacts
    side_first = "\n".join(header + languages + rest[9:])
    order = section_order(cv, SIDE)
    assert reading_order(cv, "en", side_first, order=order) == []
    # the same text read in the CV's own order: the main column comes "before its place"
    problems = reading_order(cv, "en", side_first)
    assert problems and all(p.problem == "out of order" for p in problems)
    # and the CV's own order is wrong for the sidebar theme
    assert reading_order(cv, "en", "\n".join(values), order=order)


def test_check_tells_the_sidebar_theme_from_the_pdfs_name(tex, tmp_path):
    outputs = build(FULL_YAML, "en", tmp_path, theme="sidebar", source_date_epoch=PINNED_EPOCH)
    [pdf] = [o.pdf for o in outputs]
    assert pdf.name.endswith("_sidebar_en.pdf")
    result = CliRunner().invoke(app, ["check", str(pdf), "--cv", str(FULL_YAML)])
    assert result.exit_code == 0, result.output
    # told another theme, the same PDF reads out of order
    other = CliRunner().invoke(app, ["check", str(pdf), "--cv", str(FULL_YAML), "--theme", "classic"])
    assert other.exit_code == 1 and "comes out of reading order" in other.output
