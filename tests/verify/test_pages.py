"""Page by page: the rules of verify/pages.py on made-up text, then a generated corpus
of 30 CVs (tests/corpus.py: one to five pages, every entry kind, long and short
titles, both languages, every theme) built with real XeLaTeX and read back: no rule
broken, every text in reading order, the footer once on each page from 2 on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import PINNED_EPOCH
from corpus import THEMES, corpus
from typer.testing import CliRunner

from cvbuild.cli.main import app
from cvbuild.pipeline.run import build
from cvbuild.render.localize import localize
from cvbuild.render.themes import theme_options, theme_settings
from cvbuild.source.load import load_cv, load_cv_positions
from cvbuild.verify.check import check_pdf, open_pdf
from cvbuild.verify.pages import page_problems, split_entries, strip_footers
from cvbuild.verify.readback import pdf_text, section_order

CV = """\
languages: [en]
header: {name: Ann Lee}
sections:
  - title: Experience
    entries:
      - company: Acme
        position: Engineer
        highlights: [First thing done, Second thing done, Third thing done]
      - company: Initech
        position: Analyst
        highlights: [Fourth thing done]
  - title: Skills
    entries:
      - {label: Tools, skills: [Python]}
"""


@pytest.fixture
def cv(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(CV, encoding="utf-8")
    return load_cv(path)


def pages(*texts: str) -> str:
    return "\f".join(texts) + "\f"


FOOT2 = "\nAnn Lee Page 2 of 2\n"


def test_a_clean_two_page_text_breaks_no_rule(cv):
    text = pages("Ann Lee\nExperience\nEngineer, Acme\nFirst thing done\nSecond thing done",
                 "Third thing done\nAnalyst, Initech\nFourth thing done\nSkills\nTools: Python"
                 + FOOT2)
    assert page_problems(cv, "en", text) == []


def test_a_heading_that_ends_a_page(cv):
    text = pages("Ann Lee\nExperience\nEngineer, Acme\nFirst thing done\nSecond thing done\n"
                 "Third thing done\nAnalyst, Initech\nFourth thing done\nSkills",
                 "Tools: Python" + FOOT2)
    assert [str(p) for p in page_problems(cv, "en", text)] == [
        "sections[1].title: the heading ends page 1; its first entry starts on the next page"]


@pytest.mark.parametrize("page1, page2, where", [
    # the title alone on page 1
    ("Engineer, Acme", "First thing done\nSecond thing done\nThird thing done",
     "sections[0].entries[0].highlights[0]: the entry is split across pages 1 and 2 "
     "before its first bullet"),
    # the title's lines apart
    ("Engineer,", "Acme\nFirst thing done\nSecond thing done\nThird thing done",
     "sections[0].entries[0].company: the entry is split across pages 1 and 2 before its "
     "title or first lines"),
    # a bullet's lines apart
    ("Engineer, Acme\nFirst thing done\nSecond thing", "done\nThird thing done",
     "sections[0].entries[0].highlights[1]: split between pages 1 and 2"),
])
def test_an_entry_split_in_a_forbidden_place(cv, page1, page2, where):
    text = pages("Ann Lee\nExperience\n" + page1,
                 page2 + "\nAnalyst, Initech\nFourth thing done\nSkills\nTools: Python" + FOOT2)
    assert [str(p) for p in page_problems(cv, "en", text)] == [where]


def test_a_page_without_its_footer(cv):
    text = pages("Ann Lee\nExperience\nEngineer, Acme\nFirst thing done",
                 "Second thing done\nThird thing done\nAnalyst, Initech\nFourth thing done",
                 "Skills\nTools: Python\nAnn Lee Page 3 of 3")
    assert [str(p) for p in page_problems(cv, "en", text)] == [
        'page 2 has no running footer (the name and "Page 2 of 3")']


def test_the_footer_is_taken_off_once_whichever_order_it_reads(cv):
    # a right-aligned date of the page's last line may come between the two halves
    [one, two], missing = strip_footers(cv, "en", [
        "Ann Lee\nExperience", "Skills\nAnn Lee\nJan 2020\nPage 2 of 2\n"])
    assert missing == [] and two == ["Skills", "Jan", "2020"] and one == ["Ann", "Lee", "Experience"]


# ---------------------------------------------------------------- the corpus
# (marked slow: 30 builds, about a minute; CI runs them, `-m "not slow"` leaves them out)

CASES = corpus(30)


@pytest.fixture(scope="module")
def built_corpus(tex, tmp_path_factory) -> dict[str, tuple[Path, Path, int]]:
    """Every CV of the corpus built once: name → (cv.yaml, PDF, pages)."""
    root = tmp_path_factory.mktemp("corpus")
    out = {}
    for case in CASES:
        folder = root / case.name
        folder.mkdir()
        (folder / "cv.yaml").write_text(case.text, encoding="utf-8")
        [pdf] = build(folder / "cv.yaml", "all", folder, theme=case.theme,
                      source_date_epoch=PINNED_EPOCH)
        out[case.name] = (folder / "cv.yaml", pdf.pdf, pdf.pages)
    return out


@pytest.mark.slow
def test_the_corpus_covers_what_it_claims(built_corpus):
    assert len(CASES) >= 30
    assert {c.theme for c in CASES} == set(THEMES) and {c.lang for c in CASES} == {"ru", "en"}
    counts = [n for _, _, n in built_corpus.values()]
    assert min(counts) == 1 and max(counts) >= 5 and sum(n >= 3 for n in counts) >= 10, counts
    # entries taller than a third of a page are there, and part between their bullets
    split = [entry for case in CASES for entry in split_entries(
        load_cv(built_corpus[case.name][0]), case.lang, pdf_text(built_corpus[case.name][1]))]
    assert len(split) >= 3 and all(".entries[" in e for e in split), split
    for case in CASES:
        kinds = set(re.findall(r"^\s+- (\w+):", case.text, re.M))
        assert {"company", "institution", "project", "publication", "award", "certification",
                "label", "language", "text", "title"} <= kinds, case.name


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_no_page_rule_is_broken_and_every_text_reads_in_order(built_corpus, case):
    cv_path, pdf, _ = built_corpus[case.name]
    cv, positions = load_cv_positions(cv_path)
    report = check_pdf(pdf, cv, case.lang, None, positions, str(cv_path),
                        theme=case.theme)
    # max_pages is the fit's to keep (test below); every other problem is a failure here
    assert [p for p in report.problems if "max_pages" not in p] == []


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_footer_page_labels_contacts_dois_and_dates(built_corpus, case):
    cv_path, pdf, n = built_corpus[case.name]
    cv = load_cv(cv_path)
    texts = pdf_text(pdf).split("\f")[:n]
    label = {"ru": "Страница {} из {}", "en": "Page {} of {}"}[case.lang]
    name = cv.header.name.get(case.lang)
    for number, text in enumerate(texts, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        wanted = 1 if number > 1 else 0
        found = sum(label.format(number, n) in line for line in lines)
        assert found == wanted, (number, lines[-4:])
        if number > 1:
            assert name in lines[-3:] or any(line.startswith(name) for line in lines[-3:])
        # no separator begins or ends a line (contacts, organisation | place, skills · …)
        assert not [line for line in lines if line[0] in "|·" or line[-1] in "|·"]
    whole = "\n".join(texts)
    # "DOI: …" where the theme shows addresses in full, "DOI …" where short (link_display)
    mark = "DOI: " if theme_options(cv.theme, case.theme)[1]["link_display"] == "address" else "DOI "
    for doi in re.findall(r"doi: (\S+)", case.text):
        assert f"{mark}{doi}" in whole  # on one line: never broken
    # every date and date range whole, on one line ("сентябрь 2011 — июнь 2015")
    lines = {" ".join(line.split()) for line in whole.splitlines()}
    dates = [" ".join(str(e.dates if hasattr(e, "dates") else e.date).split())
             for s in localize(cv, case.lang).sections for e in s.entries
             if getattr(e, "dates", None) or getattr(e, "date", None)]
    assert len(dates) >= 5
    for date in dates:
        assert any(date in line for line in lines), date


@pytest.mark.slow
def test_a_one_page_cv_has_no_footer_and_every_cv_an_outline(built_corpus):
    for case in CASES:
        _, pdf, n = built_corpus[case.name]
        reader = open_pdf(pdf)
        root = reader.trailer["/Root"]
        assert root["/PageMode"] == "/UseOutlines"
        # it opens on page 1
        assert root["/OpenAction"][0].idnum == reader.pages[0].indirect_reference.idnum
        titles = [item.title for item in reader.outline]
        cv = load_cv(built_corpus[case.name][0])
        # one a section, in the order the theme prints them (the sidebar's column first)
        sections = localize(cv, case.lang).sections
        order = section_order(cv, theme_settings(case.theme)[1].get("sidebar") or ())
        assert titles == [sections[i].title for i in order or range(len(sections))], case.name
        # each bookmark leads to a page; the first to page 1
        assert reader.get_destination_page_number(reader.outline[0]) == 0
        if n == 1:
            assert "Page 1" not in pdf_text(pdf) and "Страница 1" not in pdf_text(pdf)



# ---------------------------------------------------------------- a sweep of page ends
# One entry kind, 24 times, each after a paragraph a line longer than the one before
# (up to nine lines, then again): the page ends fall at every height of the entries'
# heads, so a place to break inside a head is found wherever a theme leaves one. The
# first bullet is five lines long: a page end that falls anywhere from the head to the
# end of that bullet can only break in the head, where a theme leaves a place. (A
# \color between two paragraphs is one: TeX may break before the paragraph the colour
# was for, as it did before modern's subheading, stack and location line, banking's
# subheading and stack, compact's stack and the sidebar's heads; so is a space after a
# head's last line with no \nobreak before it, as after classic's and modern's
# subheadings and banking's and compact's stack; and the space between two sub-items of
# the first bullet, in every theme.)

SWEEP_WORDS = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split()
SWEEP_KINDS = ("subheading", "organisation", "stack", "sub-items")


def _sweep_cv(kind: str, line: int, theme: dict | None = None, blocks: int = 24) -> str:
    """`line`: about how many of the sweep's words make a line of the theme's main column."""
    serial = iter(range(10_000))

    def text(n: int, k: int) -> str:  # n words, then one of its own (readback finds it once)
        return " ".join(SWEEP_WORDS[(k + i) % len(SWEEP_WORDS)] for i in range(n)) + f" u{next(serial)}"

    sections: list[dict] = []
    for j in range(blocks):
        # about 30 lines: over a third of a page, so it may part between its bullets
        bullets = [text(4 * line - 2 if b == 0 else line + 2, j + b) for b in range(12)]
        entry = {
            "subheading": {"title": f"Theme H{j}", "bullets": bullets},
            # a location and a duration: a line of the head of their own in some themes
            "organisation": {"company": f"Firm F{j}", "position": f"{text(line - 4, j)} P{j}",
                             "location": f"Town T{j}", "start": "2020-01", "end": "2021-02",
                             "highlights": bullets},
            "stack": {"project": f"Tool X{j}", "description": text(line - 2, j),
                      "stack": ["Python", "Go"], "highlights": bullets},
            "sub-items": {"company": f"Firm F{j}", "position": f"Role P{j}", "highlights": [
                {"lead": f"Lead L{j}", "text": text(line - 4, j), "items": bullets[:6]}] + bullets[6:]},
        }[kind]
        sections += [{"title": f"Notes N{j}", "entries": [{"text": text(line * (j % 9) + 8, j) + "."}]},
                     {"title": f"Part S{j}", "entries": [entry]}]
    doc = {"languages": ["en"], "header": {"name": "Ann Lee", "location": "Berlin"},
           "options": {"show_durations": True}, "sections": sections}
    if theme:
        doc["theme"] = theme
    return yaml.safe_dump(doc, sort_keys=False)


# every theme and kind of head at the theme's default date_position, then the other date
# positions of the themes that honour it (their dated heads: a job's, a project's); with
# the sweep's words in a line of each (from page two on, where the sweep's page ends
# fall, the sidebar's text is as wide as the page allows, less beside a date column;
# compact's is wide)
SWEEP_LINE = {("classic", None): 18, ("modern", None): 18, ("sidebar", None): 19,
              ("banking", None): 15, ("compact", None): 20, ("banking", "right"): 18,
              ("banking", "below"): 18, ("compact", "left"): 16, ("compact", "below"): 20,
              ("sidebar", "left"): 16, ("sidebar", "right"): 19}
SWEEPS = [pytest.param(theme, kind, None, id=f"{theme}-{kind}")
          for theme in THEMES for kind in SWEEP_KINDS] + [
    pytest.param(theme, kind, where, id=f"{theme}-{kind}-{where}")
    for theme, where in SWEEP_LINE if where for kind in ("organisation", "stack")]


@pytest.mark.slow
@pytest.mark.parametrize("theme, kind, date_position", SWEEPS)
def test_no_page_end_falls_inside_an_entrys_head(tex, tmp_path, theme, kind, date_position):
    path = tmp_path / "cv.yaml"
    options = {"name": theme, "date_position": date_position} if date_position else None
    path.write_text(_sweep_cv(kind, SWEEP_LINE[theme, date_position], options), encoding="utf-8")
    [out] = build(path, "all", tmp_path, theme=theme, source_date_epoch=PINNED_EPOCH)
    assert [w for w in out.warnings if "date_position" in str(w)] == []  # honoured
    cv, text = load_cv(path), pdf_text(out.pdf)
    assert [str(p) for p in page_problems(cv, "en", text)] == []
    # the sweep did reach the entries: page ends fell inside many, between bullets
    assert len(split_entries(cv, "en", text)) >= 6


def test_check_names_a_missing_footer_in_a_real_pdf(tex, tmp_path):
    """A theme that prints no footer: `cvbuild check` says which pages lack one."""
    case = next(c for c in CASES if c.size >= 3 and c.lang == "ru")
    (tmp_path / "cv.yaml").write_text(case.text, encoding="utf-8")
    theme = tmp_path / "themes" / "bare"
    theme.mkdir(parents=True)
    (theme / "cv.tex.j2").write_text(
        '((* extends "base.tex.j2" *))\n((* block style *))<< super() >>\n'
        "\\renewcommand{\\cvfooter}[2]{}\n((* endblock *))\n", encoding="utf-8")
    [out] = build(tmp_path / "cv.yaml", "all", tmp_path / "b", theme="bare",
                  source_date_epoch=PINNED_EPOCH)
    assert out.pages >= 2
    result = CliRunner().invoke(app, ["check", "--cv", str(tmp_path / "cv.yaml"), str(out.pdf)])
    assert result.exit_code == 1
    for n in range(2, out.pages + 1):
        assert f"pages: page {n} has no running footer (the name and \"Страница {n} из {out.pages}\")" \
            in result.output, result.output


# ---------------------------------------------------------------- max_pages and fit

# (cases by name, not by index: the corpus's numbering follows its themes)
def _case(name: str):
    return next(c for c in CASES if c.name == name)


def _cv_file(tmp_path: Path, case, extra: str) -> Path:
    path = tmp_path / "cv.yaml"
    path.write_text(case.text.replace("max_pages: 5\n", "") + extra, encoding="utf-8")
    return path


def test_pdf_warns_when_over_max_pages(tex, tmp_path):
    case = _case("cv10-classic-ru-3p")  # three pages
    cv = _cv_file(tmp_path, case, "max_pages: 2\n")
    result = CliRunner().invoke(app, ["pdf", str(cv), "-t", case.theme, "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    line = len(cv.read_text(encoding="utf-8").splitlines())
    assert (f"{cv}:{line}:12: warning: max_pages: the {case.lang} PDF has 3 pages, 1 page more "
            "than max_pages (2); `fit: N` under options: tightens it to N pages") in result.output


def test_fit_tightens_until_the_pdf_fits(tex, tmp_path):
    case = _case("cv21-modern-ru-1p-long")  # two pages, the second with a few lines
    cv = _cv_file(tmp_path, case, "max_pages: 1\noptions:\n  fit: 1\n")
    [out] = build(cv, "all", tmp_path / "b", theme=case.theme, source_date_epoch=PINNED_EPOCH)
    assert out.pages == 1 and out.warnings == []
    assert r"\linespread{" in out.tex.read_text(encoding="utf-8")  # tighter, not the same
    [loose] = build(_cv_file(tmp_path, case, "max_pages: 2\n"), "all", tmp_path / "c",
                    theme=case.theme, source_date_epoch=PINNED_EPOCH)
    assert loose.pages == 2 and r"\linespread{" not in loose.tex.read_text(encoding="utf-8")


def test_fit_says_when_it_cannot_and_by_how_much(tex, tmp_path):
    case = _case("cv10-classic-ru-3p")
    cv = _cv_file(tmp_path, case, "options:\n  fit: 1\n")
    [out] = build(cv, "all", tmp_path / "b", theme=case.theme, source_date_epoch=PINNED_EPOCH)
    tex_source = out.tex.read_text(encoding="utf-8")
    assert "Scale=0.9]" in tex_source  # the theme's smallest font
    lines = len(cv.read_text(encoding="utf-8").splitlines())
    assert [str(w) for w in out.warnings] == [
        f"{cv}:{lines}:8: warning: options.fit: the {case.lang} PDF still has {out.pages} pages "
        "at the tightest spacing and smallest font the theme allows: "
        f"{out.pages - 1} page{'s' if out.pages > 2 else ''} too many for fit: 1; shorten it",
        # max_pages left at its default: no line of cv.yaml to name
        f"{cv}: warning: max_pages: the {case.lang} PDF has {out.pages} pages, "
        f"{out.pages - 2} page{'s' if out.pages > 3 else ''} more than max_pages (2)",
    ][: 1 + (out.pages > 2)]


def test_the_page_count_is_told_from_the_last_build(tex, tmp_path, monkeypatch):
    """The footer's "of M": an edit that keeps the count compiles once (the last build's
    count is told at once, even when that build came from the cache, as the corpus
    above leaves it); one that changes it compiles again with the new count."""
    import cvbuild.engine.tex as engine_tex

    case = _case("cv19-compact-en-3p")  # three pages, English
    cv = tmp_path / "cv.yaml"
    cv.write_text(case.text, encoding="utf-8")
    out = tmp_path / "b"
    [first] = build(cv, "all", out, theme=case.theme, source_date_epoch=PINNED_EPOCH)
    assert first.pages == 3 and "Page 2 of 3" in pdf_text(first.pdf)
    calls = []  # every compile, cold or by an engine started ahead, ends in collect()
    real = engine_tex.collect
    monkeypatch.setattr(engine_tex, "collect", lambda *a, **k: calls.append(1) or real(*a, **k))
    cv.write_text(case.text.replace("someone@example.com", "someone@example.org"),
                  encoding="utf-8")
    [edited] = build(cv, "all", out, theme=case.theme, source_date_epoch=PINNED_EPOCH)
    assert "someone@example.org" in pdf_text(edited.pdf)
    name = yaml.safe_load(case.text)["header"]["name"]
    assert len(calls) == 1 and f"{name} Page 2 of 3" in " ".join(pdf_text(edited.pdf).split())
    # a shorter CV: the count told (3) is wrong, so it is compiled again with 2
    data = yaml.safe_load(case.text)
    data["sections"] = [s for s in data["sections"] if s.get("kind") != "experience"]
    cv.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    calls.clear()
    [shorter] = build(cv, "all", out, theme=case.theme, source_date_epoch=PINNED_EPOCH)
    assert shorter.pages == 2 and len(calls) == 2
    assert "Page 2 of 2" in pdf_text(shorter.pdf) and "of 3" not in pdf_text(shorter.pdf)


PARAGRAPH_CV = """\
languages: [en]
header: {name: Ann Lee}
sections:
  - title: About
    entries:
      - text: one two three four five six seven eight nine ten eleven twelve
"""


@pytest.mark.parametrize("page1, page2, problem", [
    ("one two three\nfour five six", "seven eight nine\nten eleven twelve", None),
    ("one two three", "four five six\nseven eight nine\nten eleven twelve",
     "sections[0].entries[0].text: one line of the paragraph alone at the foot of page 1"),
    ("one two three\nfour five six\nseven eight nine", "ten eleven twelve",
     "sections[0].entries[0].text: one line of the paragraph alone at the top of page 2"),
])
def test_a_paragraph_parts_with_two_lines_on_each_page(tmp_path, page1, page2, problem):
    path = tmp_path / "cv.yaml"
    path.write_text(PARAGRAPH_CV, encoding="utf-8")
    text = pages("Ann Lee\nAbout\n" + page1, page2 + FOOT2)
    assert [str(p) for p in page_problems(load_cv(path), "en", text)] == (
        [problem] if problem else [])
