"""`cvbuild check`: the ATS report on real PDFs (xelatex, poppler, pypdf), its failures
listed readably, and broken files refused without a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CV_YAML
from pdfs import missing_values

from cvbuild.render.printed import text_values
from cvbuild.source.load import load_cv
from cvbuild.verify.check import check_files, check_pdf, link_problem
from cvbuild.verify.readback import reading_order

CONTACTS = Path(__file__).parents[1] / "data" / "contacts.yaml"


def cvbuild(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvbuild", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def contacts_dir(tex, tmp_path_factory) -> Path:
    """A folder with the contacts CV as ./cv.yaml, checked once with no arguments
    (which builds both PDFs into ./build first)."""
    folder = tmp_path_factory.mktemp("check")
    shutil.copyfile(CONTACTS, folder / "cv.yaml")
    proc = cvbuild("check", cwd=folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Jane_Roe_CV_en.pdf (en): 1 page" in proc.stdout
    assert "Jane_Roe_CV_ru.pdf (ru): 1 page" in proc.stdout
    assert proc.stdout.count(", ok") == 2
    assert "warning" not in proc.stdout
    return folder


def test_real_cv_passes(built):
    reports = check_files([built["ru"], built["en"]], CV_YAML)
    assert [r.lang for r in reports] == ["ru", "en"]
    for report in reports:
        assert report.ok, str(report)
        assert report.pages >= 1 and report.size > 10_000
        # the real CV gives no way to reach its author: said, but not a failure
        assert report.warnings == [
            "the CV has no contacts (header.contacts): a reader finds no e-mail, phone or profile link"
        ]


def test_links_of_the_cv_are_in_the_pdf(contacts_dir):
    from pypdf import PdfReader

    from cvbuild.verify.check import _uris

    uris = _uris(PdfReader(contacts_dir / "build" / "Jane_Roe_CV_ru.pdf"))
    assert "mailto:jane.roe@example.com" in uris
    assert "https://t.me/jane_roe" in uris
    assert "https://github.com/janeroe/quiver" in uris
    assert all(link_problem(u) is None for u in uris)


def test_a_pdf_that_does_not_match_its_cv_fails_with_a_list(contacts_dir, tmp_path):
    """The same PDFs checked against an edited CV: each difference is one readable line."""
    text = CONTACTS.read_text(encoding="utf-8")
    edited = (text.replace("jane.roe@example.com", "jane@example.net")
                  .replace("Built the nightly pipelines", "Ran the weekly reports"))
    (tmp_path / "cv.yaml").write_text(edited, encoding="utf-8")
    pdf = contacts_dir / "build" / "Jane_Roe_CV_en.pdf"
    proc = cvbuild("check", "--cv", str(tmp_path / "cv.yaml"), str(pdf), cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "3 problems:" in proc.stdout
    assert ('  - text: header.contacts.email: "jane@example.net" '
            "is not in the extracted text") in proc.stdout
    assert "  - links: mailto:jane@example.net (from the CV) is not a link in the PDF" in proc.stdout
    assert ('  - text: sections[0].entries[0].highlights[0]: "Ran the weekly reports" '
            "is not in the extracted text") in proc.stdout


def test_page_limit_and_wrong_language(contacts_dir):
    cv = load_cv(CONTACTS).model_copy(update={"max_pages": 1})
    pdf = contacts_dir / "build" / "Jane_Roe_CV_ru.pdf"
    assert check_pdf(pdf, cv, "ru").ok
    wrong = check_pdf(pdf, cv, "en")  # a Russian PDF checked as the English one
    assert "metadata: document language is ru-RU; expected en-GB" in wrong.problems
    assert any(p.startswith("text: header.name:") for p in wrong.problems)


def test_broken_and_foreign_files_get_a_clean_error(contacts_dir, tmp_path):
    good = (contacts_dir / "build" / "Jane_Roe_CV_en.pdf").read_bytes()
    (tmp_path / "Jane_Roe_CV_en.pdf").write_bytes(good[: len(good) // 2])
    (tmp_path / "notes_en.pdf").write_text("not a pdf at all")
    (tmp_path / "empty_ru.pdf").write_bytes(b"")
    (tmp_path / "garbage_ru.pdf").write_bytes(b"%PDF-1.4\ngarbage\n%%EOF\n")
    proc = cvbuild("check", "--cv", str(contacts_dir / "cv.yaml"), "Jane_Roe_CV_en.pdf",
                   "notes_en.pdf", "empty_ru.pdf", "garbage_ru.pdf", "missing_en.pdf",
                   cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1
    assert "Traceback" not in out
    assert "Jane_Roe_CV_en.pdf, 1 problem:\n  - a broken PDF (" in out
    assert "notes_en.pdf, 1 problem:\n  - not a PDF (no %PDF- header)" in out
    assert "empty_ru.pdf, 1 problem:\n  - not a PDF (no %PDF- header)" in out
    assert "garbage_ru.pdf, 1 problem:\n  - a broken PDF (" in out
    assert "missing_en.pdf, 1 problem:\n  - no such file" in out


def test_reading_order_finds_moved_and_missing_text(real_cv):
    values = [v for _, v in text_values(real_cv, "en") if v.strip()]
    in_order = "\n".join(values)
    assert reading_order(real_cv, "en", in_order) == []
    # the last section's text printed first (as a two-column layout may read)
    moved = "\n".join(values[-1:] + values[:-1])
    problems = reading_order(real_cv, "en", moved)
    assert [p.problem for p in problems] == ["out of order"]
    assert problems[0].value == values[-1]
    dropped = "\n".join(values[:3] + values[4:])
    assert [(p.problem, p.value) for p in reading_order(real_cv, "en", dropped)] == [
        ("missing", values[3])
    ]


def test_a_value_printed_once_stands_for_one_value(tmp_path):
    from cvbuild.source.load import load_cv

    cv_file = tmp_path / "cv.yaml"
    cv_file.write_text(
        "languages: [en]\nheader: {name: Jane Roe}\nsections:\n"
        "  - title: Skills\n    entries: [{text: Python}, {text: Python}]\n", encoding="utf-8")
    cv = load_cv(cv_file)
    assert reading_order(cv, "en", "Jane Roe Skills Python Python") == []
    # the second Python was lost: the first one cannot stand in for it
    assert [(p.path, p.problem) for p in reading_order(cv, "en", "Jane Roe Skills Python")
            ] == [("sections[0].entries[1].text", "missing")]
    assert missing_values(cv, "en", "Jane Roe Skills Python Python") == []
    assert missing_values(cv, "en", "Jane Roe Skills Python") == [
        ("sections[0].entries[1].text", "Python")]
    assert missing_values(cv, "en", "Jane Roe Skills Python Python Python") == []  # more is fine


@pytest.mark.parametrize("uri, problem", [
    ("mailto:jane@example.com", None),
    ("https://t.me/jane_roe", None),
    ("tel:+79001234567", None),
    ("mailto:jane", "is not a valid e-mail address"),
    ("https://t.me/", "is not a Telegram profile (https://t.me/NAME)"),
    ("https://localhost/x", "has no valid host name"),
    ("https://exa mple.com", "has spaces or a backslash"),
    ("javascript:alert(1)", "uses the scheme 'javascript:' (expected mailto:, tel: or https:)"),
])
def test_link_problem(uri, problem):
    assert link_problem(uri) == problem


def test_lang_without_files_picks_that_language(contacts_dir):
    """`check --lang en` checks the English PDF only (it used to check every PDF as English)."""
    proc = cvbuild("check", "--lang", "en", cwd=contacts_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [line for line in proc.stdout.splitlines()
                                        if line.startswith("build/Jane_Roe_CV_en.pdf (en): ")]
    assert len(proc.stdout.splitlines()) == 1 and proc.stdout.rstrip().endswith(", ok")


def test_a_pdf_of_another_cv_is_one_problem(contacts_dir, tmp_path, real_cv):
    """Another person's PDF (a leftover in build/) is told in one line, not as every value
    of this CV missing: by its Author, or, without one, by its text."""
    from pypdf import PdfReader, PdfWriter

    jane = contacts_dir / "build" / "Jane_Roe_CV_en.pdf"
    writer = PdfWriter(clone_from=PdfReader(jane))
    writer.add_metadata({"/Author": ""})
    anonymous = tmp_path / "Jane_Roe_CV_ru.pdf"
    with anonymous.open("wb") as f:
        writer.write(f)
    proc = cvbuild("check", "--cv", str(CV_YAML), str(jane), str(anonymous), cwd=tmp_path)
    assert proc.returncode == 1
    ru, en = real_cv.header.name.get("ru"), real_cv.header.name.get("en")
    owner = f"{CV_YAML} is {real_cv.header.name.get(real_cv.languages[0])}'s"
    assert proc.stdout.splitlines() == [
        f"{jane}, 1 problem:",
        f"  - built from another CV: its author is Jane Roe, and {owner}; "
        "check it with --cv and the file it was built from",
        f"{anonymous}, 1 problem:",
        f"  - built from another CV: its text does not name {ru} or {en}, and {owner}; "
        "check it with --cv and the file it was built from",
    ]


def test_a_name_is_matched_as_printed(tex, tmp_path):
    """The metadata has the name in the language's typography ("O’Neil – Smith" for
    "O'Neil - Smith"): it is the same name, not another CV's, and not a wrong Title."""
    (tmp_path / "cv.yaml").write_text(
        "languages: [en]\nheader:\n  name: \"Sean O'Neil - Smith\"\n"
        "  contacts: {email: sean@example.org}\n"
        "sections:\n  - title: Skills\n    entries:\n      - label: Tools\n"
        "        skills: [Python]\n", encoding="utf-8")
    proc = cvbuild("check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0].endswith(", ok")
    from pypdf import PdfReader

    author = PdfReader(tmp_path / "build" / "Sean_O_Neil_Smith_CV_en.pdf").metadata["/Author"]
    assert author == "Sean O\u2019Neil \u2013 Smith"  # what the check had to see through
