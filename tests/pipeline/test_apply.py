"""`cvbuild apply`: cover letters and tailored CVs compiled with the real engine and
read back (pdftotext, pdffonts, pypdf), in every theme and both languages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from cvbuild.cli.main import app as cli
from cvbuild.pipeline.apply import apply
from cvbuild.render.letter import letter_view, long_date, salutation
from cvbuild.render.themes import list_themes
from cvbuild.source.application import load_application
from cvbuild.source.load import load_cv
from cvbuild.source.model import Variant
from cvbuild.text.unicode import words
from cvbuild.verify.check import check_files, check_letter, check_pdf
from cvbuild.verify.readback import pdf_text

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "apply"
EPOCH = 1772409600  # 2026-03-02 00:00 UTC


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def here(tmp_path_factory) -> Path:
    """A copy of the CV and its applications: tests write into it."""
    folder = tmp_path_factory.mktemp("apply")
    shutil.copytree(DATA, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def cv(here):
    return load_cv(here / "cv.yaml")


@pytest.fixture(scope="module")
def yandex(tex, here):
    """ru + en, only: [research], merged."""
    return apply(here / "applications" / "yandex.yaml", here / "cv.yaml", here / "build",
                 merge=True, source_date_epoch=EPOCH)


@pytest.fixture(scope="module")
def acme(tex, here):
    """en only, no `only`, no date (the source date's day), modern theme."""
    return apply(here / "applications" / "acme.yaml", here / "cv.yaml", here / "build",
                 theme="modern", merge=True, source_date_epoch=EPOCH)


def text_of(pdf: Path) -> str:
    return " ".join(words(pdf_text(pdf)))


def has(pdf: Path, phrase: str) -> bool:
    return f" {' '.join(words(phrase))} " in f" {text_of(pdf)} "


# --- both languages, with `only`


def test_both_languages_are_built_into_the_applications_folder(yandex, here):
    folder = here / "build" / "yandex"
    assert yandex.folder == folder
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "Ivanova_Mariya_CV_en.pdf", "Ivanova_Mariya_CV_ru.pdf",
        "Ivanova_Mariya_Cover_Letter_and_CV_en.pdf", "Ivanova_Mariya_Cover_Letter_and_CV_ru.pdf",
        "Ivanova_Mariya_Cover_Letter_en.pdf", "Ivanova_Mariya_Cover_Letter_ru.pdf",
    ]
    assert [(o.lang, o.pages) for o in yandex.letters] == [("ru", 1), ("en", 1)]
    assert [o.warnings for o in yandex.letters] == [[], []]


def test_the_cv_is_the_variant_the_application_asks_for(yandex):
    ru, en = (o.pdf for o in yandex.cvs)
    assert has(en, "Trained a detector on 2M images") and not has(en, "Pixel Web Studio")
    assert has(ru, "Лаборатория зрения") and not has(ru, "Пиксель")


def test_letters_read_back_whole_with_salutation_date_and_closing(yandex):
    ru, en = (o.pdf for o in yandex.letters)
    for phrase in ("Иванова Мария", "maria@example.com", "2 марта 2026 г.", "Анна Петровна",
                   "Руководитель отдела найма", "Яндекс", "ул. Льва Толстого, 16",
                   "Вакансия: Инженер по машинному обучению", "Уважаемая Анна Петровна!",
                   "Три года я обучаю детекторы в Лаборатории зрения",
                   "Буду рада рассказать подробнее на собеседовании", "С уважением"):
        assert has(ru, phrase), phrase
    for phrase in ("Maria Ivanova", "2 March 2026", "Dear Ms Petrova",
                   "Position: Machine Learning Engineer", "Sincerely"):
        assert has(en, phrase), phrase
    # the language's typography, as in the CV: «» quotes and a dash in Russian, “” in English
    assert "«машинного обучения» —" in pdf_text(ru)
    assert "“machine learning”" in pdf_text(en)


def test_letters_pass_the_ats_check_with_the_letters_title(yandex, cv, here):
    app, _ = load_application(here / "applications" / "yandex.yaml", cv)
    for out in yandex.letters:
        report = check_letter(out.pdf, cv, app, out.lang, dt.date(2026, 3, 2))
        assert report.ok, str(report)
    titles = [PdfReader(o.pdf).metadata["/Title"] for o in yandex.letters]
    assert titles == ["Иванова Мария — Сопроводительное письмо — Яндекс",
                      "Maria Ivanova — Cover letter — Yandex"]
    assert [str(PdfReader(o.pdf).trailer["/Root"]["/Lang"]) for o in yandex.letters] == ["ru-RU", "en-GB"]
    uris = [a.get_object()["/A"]["/URI"] for a in PdfReader(yandex.letters[1].pdf).pages[0]["/Annots"]]
    assert "https://example.com/jobs/ml-engineer" in uris  # the posting, linked from the position


def test_check_command_checks_the_application(yandex, here):
    result = invoke("check", "--cv", here / "cv.yaml", "--application",
                    here / "applications" / "yandex.yaml", "-o", here / "build")
    assert result.exit_code == 0, result.output
    assert result.output.count(", ok") == 4


def test_check_reads_the_applications_cv_as_its_variant(yandex, cv):
    """The tailored CV is read as the variant the application asks for: the items it
    leaves out are not 'missing'."""
    en = yandex.cvs[1].pdf
    assert check_pdf(en, cv, "en", Variant(only=("research",))).ok
    whole = check_pdf(en, cv, "en", None)
    assert any("Pixel Web Studio" in p for p in whole.problems)


# --- --merge


def test_merge_gives_the_letter_then_the_cv_with_bookmarks(yandex, cv, here):
    app, _ = load_application(here / "applications" / "yandex.yaml", cv)
    assert [p.name for p in yandex.merged] == ["Ivanova_Mariya_Cover_Letter_and_CV_ru.pdf",
                                               "Ivanova_Mariya_Cover_Letter_and_CV_en.pdf"]
    for merged, letter, cv_out in zip(yandex.merged, yandex.letters, yandex.cvs):
        reader = PdfReader(merged)
        assert len(reader.pages) == letter.pages + cv_out.pages
        top = [m for m in reader.outline if not isinstance(m, list)]
        marks = [(m.title, reader.get_destination_page_number(m)) for m in top]
        names = {"ru": ["Сопроводительное письмо", "Резюме"], "en": ["Cover letter", "CV"]}
        assert marks == list(zip(names[letter.lang], [0, letter.pages]))
        # the CV's own bookmarks (one a section) come along, under the CV's
        [nested] = [m for m in reader.outline if isinstance(m, list)]
        assert reader.outline.index(nested) == 2
        assert [m.title for m in nested] == {"ru": ["Опыт работы", "Навыки"],
                                             "en": ["Experience", "Skills"]}[letter.lang]
        # each part reads back whole, the letter first
        reports = check_files([merged], here / "cv.yaml", app_path=here / "applications" / "yandex.yaml")
        assert [r.pdf.name.rsplit(" ", 1)[1] for r in reports] == ["[letter]", "[CV]"]
        assert all(r.ok for r in reports), "\n".join(map(str, reports))
        text = pdf_text(merged)
        assert text.index(str(app.recipient.name.get(letter.lang))) < text.index(
            cv.sections[0].entries[0].company.get(letter.lang))


def test_merge_is_reproducible(yandex, tmp_path):
    from cvbuild.pipeline.apply import merged_pdf

    letter, cv_out = yandex.letters[1].pdf.read_bytes(), yandex.cvs[1].pdf.read_bytes()
    assert merged_pdf(letter, cv_out, "en", "T") == merged_pdf(letter, cv_out, "en", "T")
    assert yandex.merged[1].read_bytes() == merged_pdf(
        letter, cv_out, "en", "Maria Ivanova — Cover letter and CV — Yandex")


# --- one language, without `only`


def test_one_language_without_only(acme, here):
    folder = here / "build" / "acme"
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "Ivanova_Mariya_CV_en.pdf", "Ivanova_Mariya_Cover_Letter_and_CV_en.pdf",
        "Ivanova_Mariya_Cover_Letter_en.pdf"]
    [cv_out] = acme.cvs
    assert has(cv_out.pdf, "Pixel Web Studio") and has(cv_out.pdf, "Vision Lab")  # the whole CV
    [letter] = acme.letters
    # no recipient: the English default; the date is the source date's day; values are
    # escaped as the CV's are (& and % print as typed)
    for phrase in ("Dear Hiring Manager,", "2 March 2026", "Acme Corp", "Position: Web Developer",
                   "kept them fast; 100% of them still run"):
        assert has(letter.pdf, phrase), phrase
    assert "& kept them fast; 100% of them" in pdf_text(letter.pdf)


# --- every theme, both languages


@pytest.mark.parametrize("theme", [t.name for t in list_themes()])
def test_a_letter_in_every_theme_reads_back(tex, theme, here, cv, tmp_path):
    applied = apply(here / "applications" / "yandex.yaml", here / "cv.yaml", tmp_path,
                    theme=theme, source_date_epoch=EPOCH)
    app, _ = load_application(here / "applications" / "yandex.yaml", cv)
    for out in applied.letters:
        assert out.pages == 1
        report = check_letter(out.pdf, cv, app, out.lang, dt.date(2026, 3, 2))
        assert report.ok, str(report)
        assert "\\begin{document}" in out.tex.read_text(encoding="utf-8")
        assert "% cvbuild: letter" in out.tex.read_text(encoding="utf-8")


def test_tex_specials_print_as_typed(tex, here, tmp_path):
    (here / "applications" / "specials.yaml").write_text(
        "company: 'R&D {Lab} #1 🚀'\nposition: C_x ~ 50% $\nlanguages: [en]\n"
        "letter: {en: 'Braces {x}, a backslash \\\\ and ^caret~, all \\\\LaTeX\\\\ safe.'}\n",
        encoding="utf-8")
    applied = apply(here / "applications" / "specials.yaml", here / "cv.yaml", tmp_path,
                    source_date_epoch=EPOCH)
    text = pdf_text(applied.letters[0].pdf)
    assert "R&D {Lab} #1" in text and "C_x ~ 50% $" in text
    assert "Braces {x}, a backslash \\ and ^caret~, all \\LaTeX\\ safe." in text
    # the Title leaves the emoji out, as the CV's metadata does: the check allows for it
    cv = load_cv(here / "cv.yaml")
    app, _ = load_application(here / "applications" / "specials.yaml", cv)
    report = check_letter(applied.letters[0].pdf, cv, app, "en", dt.date(2026, 3, 2))
    assert report.ok, str(report)


def test_check_names_a_wrong_title(yandex, cv, here):
    path = here / "applications" / "other.yaml"
    path.write_text((here / "applications" / "yandex.yaml").read_text(encoding="utf-8")
                    .replace("en: Yandex", "en: Google"), encoding="utf-8")
    app, _ = load_application(path, cv)
    report = check_letter(yandex.letters[1].pdf, cv, app, "en", dt.date(2026, 3, 2))
    assert report.problems == [
        'text: recipient[2]: "Google" is not in the extracted text',
        'metadata: Title "Maria Ivanova — Cover letter — Yandex" is not '
        '"Maria Ivanova — Cover letter — Google"']


# --- what goes wrong


def test_a_letter_over_one_page_is_a_warning(tex, here, tmp_path):
    long = "\n\n".join(["This paragraph says the same thing again and again. " * 12] * 9)
    (here / "applications" / "long.yaml").write_text(
        "company: Acme\nposition: Dev\nlanguages: [en]\nletter:\n  en: |\n"
        + "".join(f"    {line}\n" for line in long.splitlines()), encoding="utf-8")
    result = invoke("apply", here / "applications" / "long.yaml", "--cv", here / "cv.yaml",
                    "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert "long.yaml:5:3: warning: letter: the en letter runs to 2 pages; a cover letter " \
           "fits on one: shorten it" in result.stderr
    assert (tmp_path / "long" / "Ivanova_Mariya_Cover_Letter_en.pdf").is_file()
    # --strict (as the release workflow runs it): the warning is an error, nothing is written
    strict = invoke("apply", here / "applications" / "long.yaml", "--cv", here / "cv.yaml",
                    "-o", tmp_path / "strict", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() == [
        f"{here / 'applications' / 'long.yaml'}:5:3: letter: the en letter runs to 2 pages; "
        "a cover letter fits on one: shorten it",
        "1 problem found (--strict); nothing was built."]
    assert not (tmp_path / "strict").exists()


def test_a_letter_left_in_russian_is_a_warning_and_strict_keeps_the_last_pdfs(tex, here,
                                                                             tmp_path):
    app = here / "applications" / "untranslated.yaml"
    russian = "Меня зовут Мария, и я хочу работать в вашей команде."
    app.write_text("company: Acme\nposition: Dev\nlanguages: [en]\nletter:\n  en: |\n"
                   f"    {russian}\n", encoding="utf-8")
    said = (f"letter.en: '{russian}' is not en text (its words are another language's); give "
            "its en text (`en: …`), or write it `same: …` if it is meant to be the same in "
            "every language (a name)")
    result = invoke("apply", app, "--cv", here / "cv.yaml", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"{app}:5:7: warning: {said} (en PDF)"]
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert sorted(p.name for p in before if p.suffix == ".pdf") == [
        "Ivanova_Mariya_CV_en.pdf", "Ivanova_Mariya_Cover_Letter_en.pdf"]
    # --strict (as the release workflow runs it): an error, and build/ stays as it was
    strict = invoke("apply", app, "--cv", here / "cv.yaml", "-o", tmp_path, "--strict", "--merge")
    assert strict.exit_code == 1
    assert "Traceback" not in strict.output
    assert strict.stderr.splitlines() == [f"{app}:5:7: {said}",
                                          "1 problem found (--strict); nothing was built."]
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_bad_application_is_positioned_and_keeps_the_last_pdfs(tex, here, tmp_path):
    app = here / "applications" / "broken.yaml"
    app.write_text("company: Acme\nposition: Dev\nlanguages: [en]\nletter: {en: Hi.}\n",
                   encoding="utf-8")
    assert invoke("apply", app, "--cv", here / "cv.yaml", "-o", tmp_path).exit_code == 0
    letter = tmp_path / "broken" / "Ivanova_Mariya_Cover_Letter_en.pdf"
    before = letter.read_bytes()
    # a missing translation and a typo in a key
    app.write_text("company: Acme\npositon: Dev\nletter: {ru: Привет.}\n", encoding="utf-8")
    result = invoke("apply", app, "--cv", here / "cv.yaml", "-o", tmp_path, "--merge")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"{app}:1:1: position: required key `position` is missing; add it "
        "(the job applied for, as the posting names it)",
        f"{app}:2:1: positon: unknown key `positon`; did you mean `position`?",
        f"{app}:3:9: letter: missing the 'en' text; add `en: …` here",
        "3 problems found; nothing was built.",
    ]
    assert letter.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "broken").glob("*.pdf")) == [
        "Ivanova_Mariya_CV_en.pdf", "Ivanova_Mariya_Cover_Letter_en.pdf"]


def test_export_text_of_a_letter(here):
    result = invoke("export", here / "cv.yaml", "--application", here / "applications" / "yandex.yaml",
                    "--format", "text", "--lang", "ru")
    assert result.exit_code == 0, result.output
    # the PDF's typography: «» quotes, a no-break space before the dash and after short words
    assert "команде «машинного обучения»\u00a0— над" in result.stdout
    assert result.stdout.replace("\u00a0", " ") == (
        "Уважаемая Анна Петровна!\n\n"
        "Меня зовут Мария, и я хочу работать в вашей команде «машинного обучения» — над "
        "задачами, которые видят миллионы людей.\n\n"
        "Три года я обучаю детекторы в Лаборатории зрения: от разметки до выкладки. "
        "Код открыт: github.com/mivanova (https://github.com/mivanova).\n\n"
        "Буду рада рассказать подробнее на собеседовании.\n\n"
        "С уважением,\nИванова Мария\n"
    )
    both = invoke("export", here / "cv.yaml", "-a", here / "applications" / "yandex.yaml", "-f", "text")
    assert both.exit_code == 1 and "choose one with --lang (ru, en)" in both.stderr


# --- salutations and dates (no TeX)


def _app(cv, tmp_path, recipient: str = "", extra: str = ""):
    path = tmp_path / "a.yaml"
    path.write_text(f"company: X\nposition: Y\nletter: Z\n{recipient}{extra}", encoding="utf-8")
    return load_application(path, cv)[0]


@pytest.mark.parametrize(("recipient", "ru", "en"), [
    ("", "Здравствуйте!", "Dear Hiring Manager,"),
    ("recipient: {name: {ru: Анна Петровна, en: Ms Petrova}, gender: female}\n",
     "Уважаемая Анна Петровна!", "Dear Ms Petrova,"),
    ("recipient: {name: {ru: Иван Петрович, en: Mr Petrov}, gender: male}\n",
     "Уважаемый Иван Петрович!", "Dear Mr Petrov,"),
    ("recipient: {name: {ru: Саша Ким, en: Sasha Kim}}\n",
     "Здравствуйте, Саша Ким!", "Dear Sasha Kim,"),
])
def test_salutations_follow_each_languages_conventions(cv, tmp_path, recipient, ru, en):
    app = _app(cv, tmp_path, recipient)
    assert (salutation(app, "ru"), salutation(app, "en")) == (ru, en)


def test_salutation_and_closing_overrides(cv, tmp_path):
    app = _app(cv, tmp_path, extra="salutation: {ru: Коллеги!, en: 'Hello team,'}\n"
                                   "closing: {ru: Спасибо!, en: 'Best regards,'}\n")
    letter = letter_view(cv, app, "en", dt.date(2026, 1, 5)).letter
    assert (letter.salutation, letter.closing) == ("Hello team,", "Best regards,")
    assert salutation(app, "ru") == "Коллеги!"


def test_long_dates():
    assert long_date(dt.date(2026, 3, 2), "en") == "2\u00a0March\u00a02026"
    assert long_date(dt.date(2026, 3, 2), "ru") == "2\u00a0марта\u00a02026\u202fг."


def test_the_date_comes_from_the_source_date(tex, here, tmp_path):
    """No `date:`: SOURCE_DATE_EPOCH (else the file's last commit) dates the letter, and
    the same source gives the same bytes."""
    env = {"SOURCE_DATE_EPOCH": "1767225600", "CVBUILD_RESIDENT": "0"}  # 2026-01-01
    import os

    run = [str(Path(os.sys.executable)), "-m", "cvbuild", "apply",
           str(here / "applications" / "acme.yaml"), "--cv", str(here / "cv.yaml")]
    first = subprocess.run(run + ["-o", str(tmp_path / "a")], env={**os.environ, **env},
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(run + ["-o", str(tmp_path / "b")], env={**os.environ, **env},
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    pdf = "acme/Ivanova_Mariya_Cover_Letter_en.pdf"
    assert has(tmp_path / "a" / pdf, "1 January 2026")
    assert (tmp_path / "a" / pdf).read_bytes() == (tmp_path / "b" / pdf).read_bytes()


def test_a_theme_without_the_sections_block_says_so(here, tmp_path):
    """A theme that does not extend base.tex.j2 (one written whole, before letters
    existed) has no `sections` block to put a letter in: a clear error, no PDF."""
    project = tmp_path / "project"
    shutil.copytree(here, project, ignore=shutil.ignore_patterns("build"))
    template = project / "themes" / "old" / "cv.tex.j2"
    template.parent.mkdir(parents=True)
    template.write_text("\\documentclass{article}\n\\begin{document}\n<< cv.header.name >>\n"
                        "\\end{document}\n", encoding="utf-8")
    result = invoke("apply", project / "applications" / "acme.yaml", "--cv", project / "cv.yaml",
                    "-o", project / "build", "--theme", "old")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {template}: this theme cannot set a cover letter: it does "
                             "not extend base.tex.j2's `sections` block (as the built-in themes "
                             "do); make its cv.tex.j2 extend \"base.tex.j2\"\n")
    assert not (project / "build").exists()


def test_a_german_letter(tex, tmp_path):
    """A third language: its salutation agrees with `gender`, its closing has no comma,
    its date is CLDR's German long form, and the letter reads back whole."""
    (tmp_path / "cv.yaml").write_text(
        "languages: [de]\nheader:\n  name: Maria Ivanova\n  contacts: {email: maria@example.com}\n"
        "sections:\n  - kind: skills\n    entries:\n      - {label: Kern, skills: [Python]}\n",
        encoding="utf-8")
    (tmp_path / "applications").mkdir()
    app_path = tmp_path / "applications" / "firma.yaml"
    app_path.write_text(
        "company: Beispiel GmbH\nposition: Ingenieurin für maschinelles Lernen\ndate: 2026-03-02\n"
        "recipient: {name: Frau Dr. Weber, gender: female}\n"
        "letter: |\n  Ich bewerbe mich auf die \"ausgeschriebene\" Stelle.\n", encoding="utf-8")
    applied = apply(app_path, tmp_path / "cv.yaml", tmp_path / "build")
    [letter] = applied.letters
    for phrase in ("Sehr geehrte Frau Dr. Weber,", "2. März 2026", "Stelle: Ingenieurin für",
                   "Mit freundlichen Grüßen", "Maria Ivanova"):
        assert has(letter.pdf, phrase), phrase
    assert "„ausgeschriebene“" in pdf_text(letter.pdf)  # German quotes, as in a German CV
    cv = load_cv(tmp_path / "cv.yaml")
    app, _ = load_application(app_path, cv)
    report = check_letter(letter.pdf, cv, app, "de", dt.date(2026, 3, 2))
    assert report.ok, str(report)
    assert PdfReader(letter.pdf).metadata["/Title"] == "Maria Ivanova — Anschreiben — Beispiel GmbH"
