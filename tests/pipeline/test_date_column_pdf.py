"""The date column (banking's, and any theme's date_position: left), compiled and read
back with positions: each date and range whole on one line left of its entry's title,
the column as wide as the CV's widest date, a duration under its range and never into
the next entry, and a date too wide for any column set at the right of its title line
instead."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from conftest import PINNED_EPOCH
from pdfs import Line, pdf_lines

from cvbuild.pipeline.apply import apply
from cvbuild.pipeline.run import build
from cvbuild.render.localize import localize
from cvbuild.render.themes import theme_options
from cvbuild.source.load import load_cv
from cvbuild.source.model import Theme, Variant

# a point's tolerance: the date (\small) and the title (normal size) share a baseline,
# but pdftotext's boxes end at each font's descender
NEAR = 1.5


def _cv(folder: Path, theme: dict | None = None, jobs: int = 6, durations: bool = True,
        name: str = "banking") -> Path:
    """Jobs with durations and neither location nor bullets (a head of one line beside a
    column of two), the current one first ("сентябрь 2022 — настоящее время"), and an
    award (a single date in the column)."""
    jobs = [{"company": f"Company{n}", "position": f"Role{n}", "start": f"{2021 - n}-09",
             "end": "present" if n == 0 else f"{2022 - n}-06"} for n in range(jobs)]
    doc = {"languages": ["ru", "en"], "header": {"name": "Anna Lee"},
           "options": {"show_durations": durations},
           "sections": [{"kind": "experience", "entries": jobs},
                        {"kind": "awards", "entries": [{"award": "Prize", "date": "2021-05"}]}]}
    doc["theme"] = {"name": name, **(theme or {})}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cv.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _read(cv: Path, lang: str, pages: int = 1) -> tuple[list[Line], list, list[str]]:
    [out] = build(cv, lang, cv.parent / "build", source_date_epoch=PINNED_EPOCH)
    assert out.warnings == [] and out.pages == pages
    view = localize(load_cv(cv), lang, today=datetime.fromtimestamp(PINNED_EPOCH, UTC).date())
    jobs, awards = (s.entries for s in view.sections)
    return pdf_lines(out.pdf), jobs, [str(a.date) for a in awards]


def _line(lines: list[Line], text: str) -> Line:
    """The one line that reads `text` whole (spaces of any kind as one)."""
    found = [line for line in lines if line.text == " ".join(str(text).split())]
    assert len(found) == 1, (text, [line.text for line in lines])
    return found[0]


def _title(lines: list[Line], job) -> Line:
    return next(line for line in lines if line.text.startswith(f"{job.position},"))


@pytest.mark.parametrize("theme, lang, size", [
    ("banking", "ru", 10), ("banking", "en", 10),
    # at 12 pt, "сентябрь 2021 — настоящее время" is about 62 mm: in the column still
    ("banking", "ru", 12),
    # compact's left column (its dates hung off the page: its margin had no room)
    ("compact", "ru", 10)])
def test_each_range_is_one_line_in_a_column_as_wide_as_the_widest(tex, tmp_path, theme, lang, size):
    options = {"font_size": size, "date_position": "left"}
    lines, jobs, [award] = _read(_cv(tmp_path, options, name=theme), lang)
    text_left = _title(lines, jobs[0]).x0
    dates = []
    for job, after in zip(jobs, jobs[1:] + [None]):
        title, date = _title(lines, job), _line(lines, job.dates)
        duration = min((line for line in lines if line.text == " ".join(job.duration.split())
                        and line.y0 > date.y0), key=lambda line: line.y0)
        assert title.x0 == pytest.approx(text_left)
        # left of the text, on the title's baseline, the duration under it
        assert date.x1 < title.x0 and abs(date.y1 - title.y1) < NEAR, (date, title)
        assert duration.x1 == pytest.approx(date.x1, abs=NEAR) and duration.y0 > date.y1 - NEAR
        if after is not None:  # the next entry starts below the column (one line of
            # the head beside two of dates: the column's depth counts)
            assert _line(lines, after.dates).y0 > duration.y1, (duration, after.dates)
        dates.append(date)
    dates.append(_line(lines, award))  # the award's date in the column too
    # all flush right against one gap, the widest at the page's left margin
    right = {round(d.x1) for d in dates}
    assert len(right) == 1 and text_left - dates[0].x1 < 4 * 72 / 25.4 + NEAR, dates
    margin = theme_options(Theme(name=theme))[1]["margins"] * 72 / 25.4
    assert min(d.x0 for d in dates) == pytest.approx(margin, abs=NEAR)


def test_a_date_wider_than_the_column_may_be_goes_right_of_its_title(tex, tmp_path):
    # at 11 pt between 30 mm margins the column may take 36% of 150 mm, 54 mm:
    # "сентябрь 2021 — настоящее время" (about 56 mm) may not, the others (45 mm) may
    lines, jobs, _ = _read(_cv(tmp_path, {"margins": 30, "font_size": 11}, durations=False), "ru")
    # at the right, whole, beside the title's last line
    wide = _line(lines, jobs[0].dates)
    title = [line for line in lines if line.text in ("Role0,", "Company0", "Role0, Company0")]
    assert wide.x0 > max(t.x1 for t in title) and abs(wide.y1 - title[-1].y1) < NEAR, (wide, title)
    for job in jobs[1:]:
        title, date = _title(lines, job), _line(lines, job.dates)
        assert date.x1 < title.x0 and abs(date.y1 - title.y1) < NEAR, (date, title)


def test_no_date_hangs_below_the_text_and_the_footer_starts_at_the_margin(tex, tmp_path):
    lines, jobs, _ = _read(_cv(tmp_path, jobs=34), "en", pages=2)
    margin, foot = 15 * 72 / 25.4, 841.89 - 14 * 72 / 25.4  # A4, the theme's margins
    column = [line for line in lines if line.x1 < _title(lines, jobs[0]).x0 and line.text != "Anna Lee"]
    assert {line.page for line in column} == {1, 2}
    assert all(line.y1 < foot for line in column), max(column, key=lambda line: line.y1)
    # page 2's footer under the whole width, as the header's rule: from the margin
    [name] = [line for line in lines if line.page == 2 and line.text == "Anna Lee"]
    assert name.y0 > foot and name.x0 == pytest.approx(margin, abs=NEAR)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_cover_letter_has_no_date_column(tex, tmp_path, lang):
    """A letter (the CV's header, no sections) runs from the margin, as the header's rule."""
    data = Path(__file__).resolve().parents[1] / "data" / "apply"
    applied = apply(data / "applications" / "yandex.yaml", data / "cv.yaml", tmp_path,
                    theme="banking", source_date_epoch=PINNED_EPOCH)
    [letter] = [out for out in applied.letters if out.lang == lang]
    lines = pdf_lines(letter.pdf)
    recipient = _line(lines, {"ru": "Анна Петровна", "en": "Ms Petrova"}[lang])
    assert recipient.x0 == pytest.approx(15 * 72 / 25.4, abs=NEAR), recipient


def _undated_cv(folder: Path) -> Path:
    """cv.yaml's kind of CV, no entry dated (a summary, a bullet list under a subheading,
    a project and an award without dates), and one job tagged `dated`: left out
    (--except dated), neither PDF shows a date."""
    words = {"ru": "Строю конвейеры данных от сырых логов до отчётов и пишу понятный код; "
                   "пишу тесты и документацию к каждому сервису, который выпускаю.",
             "en": "I build data pipelines from raw logs to reports and write readable code; "
                   "I write tests and documentation for every service I release."}
    doc = {"languages": ["ru", "en"], "header": {"name": "Anna Lee"},
           "theme": {"name": "banking"},
           "sections": [
               {"kind": "summary", "entries": [{"text": {k: f"{v} {v}" for k, v in words.items()}}]},
               {"title": {"ru": "Навыки", "en": "Skills"}, "entries": [
                   {"title": {"ru": "Фундамент", "en": "Foundations"},
                    "bullets": [{"lead": "Python", "text": words}]}]},
               {"kind": "projects", "entries": [{"project": "Pipeline", "description": words}]},
               {"kind": "awards", "entries": [{"award": "Prize"}]},
               {"kind": "experience", "entries": [
                   {"company": "Company", "position": "Role", "start": "2021-09", "end": "2023-06",
                    "tags": ["dated"]}]}]}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cv.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_cv_without_dates_has_no_date_column(tex, tmp_path):
    """No date in the PDF (decided per PDF, from the entries it shows), no column: the
    section titles, the subheading, the project and the award start at the page's left
    margin, and a paragraph's lines run wider than a column leaves; the same CV with its dated job
    keeps the column."""
    cv = _undated_cv(tmp_path)
    margin, right = 15 * 72 / 25.4, 595.28 - 15 * 72 / 25.4  # A4, banking's margins
    for variant, column in ((Variant(leave_out=("dated",)), False), (None, True)):
        outs = build(cv, "all", tmp_path / f"build-{column}", only=variant,
                     source_date_epoch=PINNED_EPOCH)
        assert sorted(out.lang for out in outs) == ["en", "ru"]
        for out in outs:
            assert out.warnings == [] and out.pages == 1
            lines = pdf_lines(out.pdf)
            heads = {"ru": ("Навыки", "Фундамент", "Проекты", "Pipeline", "Награды", "Prize"),
                     "en": ("Skills", "Foundations", "Projects", "Pipeline", "Awards", "Prize")}
            starts = [_line(lines, text).x0 for text in heads[out.lang]]
            summary = [line for line in lines if line.text.startswith(("Строю", "I build"))]
            if column:  # the text right of the column (27 mm and its 4 mm gap at least)
                assert min(starts) > margin + 31 * 72 / 25.4 - NEAR, (out.lang, starts)
                assert summary[0].x0 == pytest.approx(min(starts), abs=NEAR)
            else:
                assert starts == pytest.approx([margin] * len(starts), abs=NEAR), (out.lang, starts)
                assert summary[0].x0 == pytest.approx(margin, abs=NEAR)
                assert "Role" not in " ".join(line.text for line in lines)
            # the summary's lines (ragged right) as wide as the whole line allows, not
            # the 149 mm beside a column
            widest = max(line.x1 - line.x0 for line in summary)
            assert (widest > 149 * 72 / 25.4) != column and max(line.x1 for line in lines) < right + NEAR


# where a theme's text starts without a date column: at its margin (this CV has nothing
# for the sidebar's column: no contacts, no skills)
@pytest.mark.parametrize("theme, text_mm", [("compact", 12), ("sidebar", 14)])
def test_a_left_date_column_only_where_a_date_is_shown(tex, tmp_path, theme, text_mm):
    """date_position: left in compact and sidebar, as in banking: a PDF that shows no
    date keeps no 31 mm (column and gap) for one."""
    cv = _undated_cv(tmp_path)
    doc = yaml.safe_load(cv.read_text(encoding="utf-8"))
    doc["theme"] = {"name": theme, "date_position": "left"}
    cv.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for variant, column in ((Variant(leave_out=("dated",)), False), (None, True)):
        [out] = build(cv, "en", tmp_path / f"build-{column}", only=variant,
                      source_date_epoch=PINNED_EPOCH)
        summary = next(line for line in pdf_lines(out.pdf) if line.text.startswith("I build"))
        if column:  # right of a column of 27 mm at least (wider for a wider date) and its gap
            assert summary.x0 > (text_mm + 31) * 72 / 25.4 - NEAR, summary.x0
        else:
            assert summary.x0 == pytest.approx(text_mm * 72 / 25.4, abs=NEAR), summary.x0
