"""Untranslated text: what the check must find, what it must leave alone, `same:`, the
translation report, --strict for validate and pdf, and init's TODO markers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvbuild.cli.main import app
from cvbuild.source.application import load_application
from cvbuild.source.load import load_cv, load_cv_positions
from cvbuild.source.model import Localized
from cvbuild.source.reader import load_yaml
from cvbuild.source.translations import (
    application_findings,
    findings,
    is_untranslated,
    reads_as,
    warnings,
)
from cvbuild.source.validate import validate_cv

ROOT = Path(__file__).resolve().parents[2]


def _cv(body: str, langs: str = "ru, en"):
    text = f"languages: [{langs}]\nheader:\n  name: {{same: Anna}}\n{body}"
    return validate_cv(*load_yaml(text, "cv.yaml"), "cv.yaml")


def _found(body: str, langs: str = "ru, en", kind: str | None = None) -> list[tuple[str, str, str]]:
    return [(f.lang, f.where, f.kind) for f in findings(_cv(body, langs))
            if kind is None or f.kind == kind]


PARAGRAPH = "sections:\n  - title: {{same: T}}\n    entries:\n      - text: {text}\n"


def test_russian_in_the_english_pdf_is_found_at_its_field():
    found = _found("  headline: Инженер-программист\n  location: {ru: Москва, en: Москва}\n")
    assert ("en", "header.headline", "untranslated") in found
    assert ("en", "header.location.en", "untranslated") in found
    assert not [f for f in found if f[0] == "ru" and f[2] == "untranslated"]


def test_english_prose_in_the_russian_pdf_is_found():
    text = "I build reliable backend services for payments"
    assert _found(PARAGRAPH.format(text=text), kind="untranslated") == [
        ("ru", "sections[0].entries[0].text", "untranslated")]
    both = "{ru: " + text + ", en: " + text + "}"
    found = _found(PARAGRAPH.format(text=both))
    assert ("ru", "sections[0].entries[0].text.ru", "untranslated") in found
    # the English text is English: "copied from ru" would send the reader to the wrong one
    assert [f for f in found if f[0] == "en"] == []


def test_technology_names_in_a_russian_text_are_left_alone():
    ru = ("обучал модели на PyTorch и Hugging Face transformers: mixed precision, LoRA, "
          "gradient checkpointing и ONNX")
    assert not is_untranslated(ru, "Cyrl", {"Latn"})
    assert _found(PARAGRAPH.format(text="PyTorch"), kind="untranslated") == []
    assert _found(PARAGRAPH.format(text="Hugging Face"), kind="untranslated") == []


def test_peoples_names_are_left_alone():
    assert not is_untranslated("работал с John Smith над моделью поиска", "Cyrl", {"Latn"})
    assert _found("  headline: John Smith\n", kind="untranslated") == []


def test_urls_code_spans_and_addresses_are_not_words():
    ru = ("см. https://example.com/some/long/english/path и `make build all things` "
          "и [сайт](https://example.com/read/the/docs/now) или me@mail.example.com")
    assert not is_untranslated(ru, "Cyrl", {"Latn"})
    en = "see `ПРИВЕТ мир` and https://пример.рф/путь/к/файлу"
    assert not is_untranslated(en, "Latn", {"Cyrl"})


def test_a_german_text_with_an_english_term_is_german():
    body = PARAGRAPH.format(text="{de: Entwicklung von Machine Learning Pipelines im Team, "
                                 "en: Building machine learning pipelines in a team}")
    assert _found(body, langs="de, en") == []
    assert not reads_as("Schulungen zu Software for Good und Design Thinking für das Team",
                        "de", "en")


def test_english_left_in_a_german_field_is_found_by_its_small_words():
    body = PARAGRAPH.format(text="{de: I built the data pipeline for the payments team, "
                                 "en: I built the data pipeline for the payments team.}")
    assert ("de", "sections[0].entries[0].text.de", "untranslated") in _found(body, "de, en")
    ukrainian_in_russian = ("{ru: Це був проєкт для банку що працює також із картками, "
                            "uk: Це був проєкт, en: A bank project}")
    assert ("ru", "sections[0].entries[0].text.ru", "untranslated") in _found(
        PARAGRAPH.format(text=ukrainian_in_russian), "ru, uk, en")


def test_a_cyrillic_homoglyph_is_not_a_word():
    # one Cyrillic letter inside a Latin word ("сode", с is U+0441): judged by words
    assert not is_untranslated("clean \u0441ode and fast tests", "Latn", {"Cyrl"})


def test_same_marks_a_shared_text_as_meant():
    assert _found("  headline: {same: Инженер-программист}\n") == []
    cv = _cv("  headline: {same: Инженер}\n")
    assert cv.header.headline == Localized("Инженер", same=True)
    assert cv.model_dump()["header"]["headline"] == {"same": "Инженер"}


def test_same_must_stand_alone():
    with pytest.raises(Exception) as info:
        _cv("  headline: {same: A, en: B}\n")
    assert "`same:` is the one text of every language" in str(info.value)


def test_todo_markers_are_found():
    found = _found("  headline: {ru: Инженер, en: 'TODO: Engineer'}\n")
    assert found == [("en", "header.headline.en", "todo")]


def _project(tmp_path: Path, text: str) -> Path:
    cv = tmp_path / "cv.yaml"
    cv.write_text(text, encoding="utf-8")
    return cv


UNTRANSLATED = """\
languages: [ru, en]
header:
  name: {ru: Анна, en: Anna}
  headline: Инженер-программист
sections:
  - title: {ru: Опыт, en: Experience}
    entries:
      - text: {ru: Текст, en: Text}
"""


def test_validate_warns_and_strict_refuses(tmp_path):
    cv = _project(tmp_path, UNTRANSLATED)
    plain = CliRunner().invoke(app, ["validate", str(cv)])
    assert plain.exit_code == 0, plain.output
    assert f"{cv}:4:13: warning: header.headline: 'Инженер-программист' is not en text" in plain.output
    assert "valid (ru, en), 1 warning" in plain.output
    strict = CliRunner().invoke(app, ["validate", "--strict", str(cv)])
    assert strict.exit_code == 1
    assert f"{cv}:4:13: header.headline: 'Инженер-программист' is not en text" in strict.output
    assert "1 problem found" in strict.output and "valid (" not in strict.output


def test_the_translation_report_lists_positions_per_language(tmp_path):
    cv = _project(tmp_path, UNTRANSLATED.replace("en: Text}", "en: Текст}").replace(
        "name: {ru: Анна, en: Anna}", "name: Anna"))
    result = CliRunner().invoke(app, ["validate", "--translations", str(cv)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ru: 2 shared\n" in out
    assert f"  {cv}:3:9: header.name: shared: 'Anna'\n" in out
    en = out[out.index("\nen: "):]
    assert en.startswith("\nen: 2 untranslated, 1 shared\n")
    assert f"  {cv}:4:13: header.headline: untranslated: 'Инженер-программист'" in en
    assert f"  {cv}:8:31: sections[0].entries[0].text.en: untranslated: 'Текст'" in en


def test_the_report_of_this_projects_cv_is_empty():
    result = CliRunner().invoke(app, ["validate", "--translations", str(ROOT / "cv.yaml")])
    assert result.exit_code == 0
    assert result.stdout.startswith("ru: every text is its own\nen: every text is its own\n")
    strict = CliRunner().invoke(app, ["validate", "--strict", str(ROOT / "cv.yaml")])
    assert strict.exit_code == 0, strict.output


def test_init_writes_todo_markers_for_a_new_language(tmp_path):
    result = CliRunner().invoke(app, ["init", str(tmp_path), "--langs", "en,de"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "cv.yaml").read_text(encoding="utf-8")
    assert 'de: "TODO: Software Engineer"' in text
    cv, _ = load_cv_positions(tmp_path / "cv.yaml")
    todo = [f for f in findings(cv) if f.kind == "todo"]
    assert todo and {f.lang for f in todo} == {"de"}
    assert not [f for f in findings(cv) if f.kind in ("untranslated", "copied")]
    strict = CliRunner().invoke(app, ["validate", "--strict", str(tmp_path / "cv.yaml")])
    assert strict.exit_code == 1 and "still to be written" in strict.output


def test_init_gives_a_language_with_no_table_a_labels_block_to_fill(tmp_path):
    result = CliRunner().invoke(app, ["init", str(tmp_path), "--langs", "en,sv"])
    assert result.exit_code == 0, result.output
    cv, _ = load_cv_positions(tmp_path / "cv.yaml")
    assert cv.labels["sv"].page == "TODO: Page {page} of {pages}"
    assert {f.lang for f in findings(cv) if f.kind == "todo"} == {"sv"}


def test_init_refuses_a_script_the_fonts_lack(tmp_path):
    result = CliRunner().invoke(app, ["init", str(tmp_path), "--langs", "en,ar"])
    assert result.exit_code == 1
    assert "right to left" in result.output and not (tmp_path / "cv.yaml").exists()


def test_pdf_strict_refuses_warnings_and_keeps_the_last_good_pdf(tmp_path, tex):
    cv = _project(tmp_path, UNTRANSLATED.replace("headline: Инженер-программист",
                                                 "headline: {ru: Инженер, en: Engineer}"))
    out = tmp_path / "build"
    good = CliRunner().invoke(app, ["pdf", "--strict", str(cv), "-o", str(out)])
    assert good.exit_code == 0, good.output
    before = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    assert len(before) == 2
    cv.write_text(UNTRANSLATED, encoding="utf-8")
    loose = CliRunner().invoke(app, ["pdf", str(cv), "-o", str(tmp_path / "loose")])
    assert loose.exit_code == 0 and "warning: header.headline" in loose.output
    strict = CliRunner().invoke(app, ["pdf", "--strict", str(cv), "-o", str(out)])
    assert strict.exit_code == 1
    assert "header.headline: 'Инженер-программист' is not en text" in strict.output
    assert "(--strict); nothing was built" in strict.output
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == before


def test_pdf_strict_turns_pages_over_max_pages_into_an_error(tmp_path, tex):
    long = UNTRANSLATED.replace("headline: Инженер-программист", "headline: {ru: И, en: E}")
    long = "max_pages: 1\n" + long + "".join(
        f"      - text: {{ru: Абзац номер {i} с текстом, en: Paragraph number {i} with text}}\n"
        for i in range(90))
    cv = _project(tmp_path, long)
    loose = CliRunner().invoke(app, ["pdf", str(cv), "-o", str(tmp_path / "loose"), "-l", "en"])
    assert loose.exit_code == 0, loose.output
    assert ("warning: max_pages: the en PDF has 2 pages, 1 page more than max_pages (1)"
            in loose.output)
    strict = CliRunner().invoke(app, ["pdf", "--strict", str(cv), "-o", str(tmp_path / "s"),
                                      "-l", "en"])
    assert strict.exit_code == 1
    assert f"{cv}:1:12: max_pages: the en PDF has 2 pages" in strict.output
    assert not (tmp_path / "s").exists() or not list((tmp_path / "s").glob("*.pdf"))


def test_release_workflow_is_strict():
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert "cvbuild validate --strict" in workflow
    assert "cvbuild pdf --strict" in workflow  # test_workflows checks the order


def test_pdf_strict_turns_a_line_in_the_margin_into_an_error(tmp_path, tex):
    word = ("abcdefghij" * 11)  # one word of 110 letters: into the margin, not off the paper
    cv = _project(tmp_path, f"languages: [en]\nheader:\n  name: Anna\nsections:\n"
                            f"  - title: Work\n    entries:\n      - text: {word}\n")
    loose = CliRunner().invoke(app, ["pdf", str(cv), "-o", str(tmp_path / "loose")])
    assert loose.exit_code == 0, loose.output
    assert "warning: sections[0].entries[0].text: a line sticks out" in loose.output
    strict = CliRunner().invoke(app, ["pdf", "--strict", str(cv), "-o", str(tmp_path / "s")])
    assert strict.exit_code == 1
    assert f"{cv}:7:15: sections[0].entries[0].text: a line sticks out" in strict.output
    assert not list((tmp_path / "s").glob("*.pdf"))


# --- an application's texts (its cover letter), by the same rule, at its own positions

APPLY = ROOT / "tests" / "data" / "apply"
RUSSIAN = "Здравствуйте! Я хочу работать в вашей команде."
ENGLISH = "I would like to join your team and work on search."


def _applied(tmp_path: Path, text: str) -> tuple[Path, list[str]]:
    """An application of tests/data/apply's CV (ru, en) in applications/, and the
    warnings of its translation check, as printed."""
    shutil.copy(APPLY / "cv.yaml", tmp_path / "cv.yaml")
    (tmp_path / "applications").mkdir(exist_ok=True)
    path = tmp_path / "applications" / "job.yaml"
    path.write_text(text, encoding="utf-8")
    cv = load_cv(tmp_path / "cv.yaml")
    application, positions = load_application(path, cv)
    found = application_findings(application, cv)
    return path, [str(w) for w in warnings(cv, str(path), positions, found=found)]


def _not_en(text: str) -> str:
    return (f"'{text}' is not en text (its words are another language's); give its en text "
            "(`en: …`), or write it `same: …` if it is meant to be the same in every "
            "language (a name)")


def test_an_english_letter_left_in_russian_is_a_warning_at_its_field(tmp_path):
    path, found = _applied(tmp_path, (
        "company: {ru: Акме, en: Acme}\nposition: {ru: Разработчик, en: Developer}\n"
        f"letter:\n  ru: {RUSSIAN}\n  en: |\n    {RUSSIAN}\n"))
    assert found == [f"{path}:5:7: warning: letter.en: {_not_en(RUSSIAN)}"]


def test_an_application_in_english_only_is_read_against_the_cvs_languages(tmp_path):
    # the CV is ru + en: Cyrillic in the one English letter is still another language's
    path, found = _applied(tmp_path, (
        "company: Acme\nposition: Developer\nlanguages: [en]\n"
        f"recipient:\n  name: Анна Петровна\nletter: {{en: {RUSSIAN}}}\n"))
    assert found == [f"{path}:6:14: warning: letter.en: {_not_en(RUSSIAN)}",
                     f"{path}:5:9: warning: recipient.name: {_not_en('Анна Петровна')}"]


def test_an_application_copied_or_in_english_prose_in_russian_is_a_warning(tmp_path):
    path, found = _applied(tmp_path, (
        "company: {ru: Акме, en: Acme}\nposition: {ru: Разработчик, en: Developer}\n"
        f"letter: {{ru: {ENGLISH}, en: {ENGLISH}}}\n"
        "closing: {ru: С уважением, en: С уважением}\n"))
    # the English letter under `ru` too: warned there, not as "copied" at the English one
    assert [line.split(": ", 3)[2] for line in found] == ["letter.ru", "closing.en"]
    assert found[0].startswith(f"{path}:3:14: warning: letter.ru: '{ENGLISH}' is not ru text")
    assert found[1].startswith(f"{path}:4:")


def test_a_translated_application_and_same_texts_have_no_warning(tmp_path):
    for name in ("yandex", "acme"):
        assert _applied(tmp_path, (APPLY / "applications" / f"{name}.yaml").read_text(
            encoding="utf-8"))[1] == [], name
    assert _applied(tmp_path, (
        "company: Яндекс\nposition: Developer\nlanguages: [en]\n"
        "recipient:\n  name: {same: Анна Петровна}\n"
        "  address:\n    same: |\n      ул. Льва Толстого, 16\n"
        f"letter: {{en: {ENGLISH}}}\n"))[1] == [
            f"{tmp_path / 'applications' / 'job.yaml'}:1:10: warning: company: "
            + _not_en("Яндекс")]


def test_validate_warns_of_an_untranslated_application_and_strict_refuses_it(tmp_path):
    path, _ = _applied(tmp_path, (
        "company: {ru: Акме, en: Acme}\nposition: {ru: Разработчик, en: Developer}\n"
        f"letter:\n  ru: {RUSSIAN}\n  en: {RUSSIAN}\n"))
    plain = CliRunner().invoke(app, ["validate", str(path)])
    assert plain.exit_code == 0, plain.output
    assert plain.stderr == f"{path}:5:7: warning: letter.en: {_not_en(RUSSIAN)}\n"
    assert plain.stdout == f"{path}: valid (ru, en), 1 warning\n"
    report = CliRunner().invoke(app, ["validate", "--translations", str(path)])
    assert report.stdout.startswith(
        f"ru: every text is its own\nen: 1 untranslated\n  {path}:5:7: letter.en: untranslated: ")
    strict = CliRunner().invoke(app, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1
    assert "Traceback" not in strict.output
    assert strict.stderr.splitlines() == [f"{path}:5:7: letter.en: {_not_en(RUSSIAN)}",
                                          f"1 problem found in {path} (--strict)."]
