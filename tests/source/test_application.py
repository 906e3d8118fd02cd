"""Application files (applications/<id>.yaml): validated like cv.yaml, with a schema
for editors. No TeX here: tests/test_apply.py builds them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import schema_validator

from cvbuild.errors import InputError
from cvbuild.source.application import MODELINE, Application, load_application
from cvbuild.source.load import load_cv
from cvbuild.source.reader import load_yaml, read_text
from cvbuild.source.schema import json_schema, schema_text
from cvbuild.source.translations import application_findings

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "apply"


@pytest.fixture(scope="module")
def cv():
    return load_cv(DATA / "cv.yaml")


def problems(tmp_path: Path, cv, text: str) -> list[str]:
    path = tmp_path / "job.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_application(path, cv)
    return [str(p).replace(str(path), "job.yaml") for p in info.value.problems]


def test_the_examples_are_valid(cv):
    yandex, _ = load_application(DATA / "applications" / "yandex.yaml", cv)
    assert yandex.langs(cv) == ["ru", "en"] and yandex.only == ["research"]
    assert yandex.company.get("en") == "Yandex" and str(yandex.date) == "2026-03-02"
    acme, _ = load_application(DATA / "applications" / "acme.yaml", cv)
    assert acme.langs(cv) == ["en"] and acme.only == [] and acme.date is None
    assert acme.company.get("en") == "Acme Corp"


def test_missing_translation_is_positioned(tmp_path, cv):
    assert problems(tmp_path, cv, (
        "company: Acme\nposition: {ru: Разработчик, en: Developer}\n"
        "letter:\n  ru: Здравствуйте.\n"
    )) == ["job.yaml:4:3: letter: missing the 'en' text; add `en: …` here"]


def test_one_language_needs_only_its_text_and_may_have_the_others(tmp_path, cv):
    path = tmp_path / "job.yaml"
    path.write_text("company: {ru: Акме, en: Acme}\nposition: Developer\nlanguages: [en]\n"
                    "letter: {en: Hello.}\n", encoding="utf-8")
    app, _ = load_application(path, cv)
    assert app.langs(cv) == ["en"]


def test_key_typos_get_did_you_mean_at_the_key(tmp_path, cv):
    assert problems(tmp_path, cv, (
        "company: Acme\npositon: Developer\nletter: Hi.\nrecipient:\n  nmae: Anna\n"
    )) == [
        "job.yaml:1:1: position: required key `position` is missing; add it "
        "(the job applied for, as the posting names it)",
        "job.yaml:2:1: positon: unknown key `positon`; did you mean `position`?",
        "job.yaml:5:3: recipient.nmae: unknown key `nmae`; did you mean `name`?",
    ]


def test_languages_and_tags_the_cv_lacks(tmp_path, cv):
    assert problems(tmp_path, cv, (
        "company: Acme\nposition: Dev\nletter: Hi.\nlanguages: [en, de]\nonly: [reserch]\n"
    )) == [
        "job.yaml:4:17: languages[1]: 'de' is not a language of the CV; the CV has: ru, en",
        "job.yaml:5:8: only[0]: no item of the CV is tagged 'reserch'; did you mean `research`?",
    ]


def test_bad_values(tmp_path, cv):
    assert problems(tmp_path, cv, (
        "company: Acme\nposition: Dev\nletter: Hi.\ndate: 2026-02-30\n"
        "url: example.com/job\nrecipient: {gender: femail}\n"
    )) == [
        "job.yaml:4:7: date: '2026-02-30' is not a day; write YYYY-MM-DD, e.g. 2026-03-01",
        "job.yaml:5:6: url: 'example.com/job' is not a web address; write it in full, "
        "starting with https://",
        "job.yaml:6:21: recipient.gender: 'femail' is not one of the choices; did you mean "
        "`female`? The choices: 'female', 'male' or 'neutral'",
    ]


def test_yaml_errors_are_positioned_too(tmp_path, cv):
    assert problems(tmp_path, cv, "company: Acme\ncompany: Other\nposition: Dev\nletter: Hi.\n") == [
        "job.yaml:2:1: company: this key appears twice; keep one of them"]


# --- the schema editors use


def test_committed_application_schema_is_current():
    committed = (ROOT / "application.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(Application), (
        "application.schema.json is stale: run `cvbuild schema --application > application.schema.json`")


def test_every_field_is_described():
    schema = json_schema(Application)
    assert [k for k, v in schema["properties"].items() if not v.get("description")] == []
    assert [k for k, v in schema["$defs"]["Recipient"]["properties"].items()
            if not v.get("description")] == []


def test_example_points_editors_at_the_schema():
    first = (DATA / "applications" / "yandex.yaml").read_text(encoding="utf-8").splitlines()[0]
    # the example lies deeper than applications/ beside cv.yaml: same file, longer path
    assert first.replace("../../../../", "../") == MODELINE


@pytest.fixture(scope="module")
def validator():
    return schema_validator("application.schema.json")


def test_editor_accepts_the_examples(validator):
    for name in ("yandex", "acme"):
        data, _ = load_yaml(read_text(DATA / "applications" / f"{name}.yaml"))
        assert [e.message for e in validator.iter_errors(data)] == []


def test_editor_flags_what_cvbuild_refuses(validator):
    data, _ = load_yaml("company: Acme\nletter: Hi\nrecipient: {nmae: x}\ndate: 2026-3-1\n")
    found = sorted("/".join(map(str, e.absolute_path)) or e.validator for e in validator.iter_errors(data))
    assert found == ["date", "recipient", "required"]


def test_readme_example_is_a_valid_application_of_the_readme_cv():
    import re

    from cvbuild.source.application import validate_application
    from cvbuild.source.validate import validate_cv

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cv_text = re.findall(r"```yaml\n(.*?)```", readme, re.S)[0]
    data, positions = load_yaml(cv_text, "README.md")
    cv = validate_cv(data, positions, "README.md")
    [example] = re.findall(r"```yml\n(.*?)```", readme, re.S)
    assert example.splitlines()[0] == MODELINE
    data, positions = load_yaml(example, "README.md")
    # the README's CV has no item tagged `research`: that is the only complaint
    with pytest.raises(InputError) as info:
        validate_application(data, positions, "README.md", cv)
    assert [p.message for p in info.value.problems] == [
        "no item of the CV is tagged 'research'; add `tags: [...]` to the items it keeps"]
    del data["only"]
    application = validate_application(data, positions, "README.md", cv)
    assert application.company.get("en") == "Yandex"
    # and every text of it is written in its language (the address is `same:`)
    assert application_findings(application, cv) == []


def test_validate_checks_application_files_against_the_cv_beside_their_folder(tmp_path, capsys):
    from cvbuild.cli.quick import validate_files

    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    apps = tmp_path / "applications"
    assert validate_files([apps / "yandex.yaml", apps / "acme.yaml"]) == 0
    assert capsys.readouterr().out == (
        f"{apps / 'yandex.yaml'}: valid (ru, en)\n{apps / 'acme.yaml'}: valid (en)\n")
    (apps / "typo.yaml").write_text("company: X\nposition: Y\nletter: Z\nonly: [reserch]\n",
                                    encoding="utf-8")
    assert validate_files([apps / "typo.yaml"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{apps / 'typo.yaml'}:4:8: only[0]: no item of the CV is tagged 'reserch'; "
        "did you mean `research`?",
        f"1 problem found in {apps / 'typo.yaml'}."]


def test_a_missing_application_file_says_what_to_do(tmp_path, cv):
    with pytest.raises(InputError) as info:
        load_application(tmp_path / "nope.yaml", cv)
    assert str(info.value) == (f"{tmp_path / 'nope.yaml'}: no such file; write one as the "
                               "README's \"Applying for a job\" shows")


def test_an_empty_letter_is_refused(tmp_path, cv):
    assert problems(tmp_path, cv, "company: X\nposition: Y\nletter: {ru: Текст., en: '  '}\n") == [
        "job.yaml:3:9: letter: the letter in 'en' is empty; write its paragraphs here"]


def test_a_language_without_letter_words_is_refused(tmp_path):
    """A language the CV may be written in (its labels given) but with no letter words:
    refused where it is named, never written in English words."""
    from cvbuild.source.load import load_cv

    (tmp_path / "cv.yaml").write_text(
        "languages: [en, sv]\nlabels:\n  sv: {cv: CV, present: nu, page: 'Sida {page} av {pages}'}\n"
        "header:\n  name: {same: Maria Ivanova}\n", encoding="utf-8")
    cv = load_cv(tmp_path / "cv.yaml")
    assert problems(tmp_path, cv, "company: X\nposition: Y\nletter: {en: Hi., sv: Hej.}\n") == [
        "job.yaml:1:1: cvbuild has no cover-letter words for 'sv' (it has them for ru, en, uk, "
        "bg, de, fr, es, it, pt, pl, cs, nl); apply in en with `languages: [en]`"]
    assert problems(tmp_path, cv, "company: X\nposition: Y\nlanguages: [en, sv]\n"
                                  "letter: {en: Hi., sv: Hej.}\n") == [
        "job.yaml:3:17: languages[1]: cvbuild has no cover-letter words for 'sv' (it has them "
        "for ru, en, uk, bg, de, fr, es, it, pt, pl, cs, nl); apply in another language"]
    (tmp_path / "ok.yaml").write_text("company: X\nposition: Y\nlanguages: [en]\nletter: {en: Hi.}\n",
                                      encoding="utf-8")
    assert load_application(tmp_path / "ok.yaml", cv)[0].langs(cv) == ["en"]


def test_a_link_that_is_no_web_address_is_refused_in_a_letter(tmp_path, cv):
    """As in cv.yaml: a PDF would make it an action (open another file), not a link."""
    found = problems(tmp_path, cv, "company: X\nposition: Y\n"
                                   "letter: 'See [my file](/etc/passwd).'\n")
    assert len(found) == 1 and found[0].startswith("job.yaml:3:9: letter: ")
    assert "/etc/passwd" in found[0]
