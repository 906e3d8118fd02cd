"""JSON Resume in and out: the official sample imports and builds; our CV exports
valid JSON Resume in both languages; sample → cv.yaml → JSON Resume keeps every value
except the ones import warned about."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cvbuild.errors import CvbuildError, InputError
from cvbuild.interop.jsonresume import check, export_json, from_jsonresume, schema_problems
from cvbuild.source.load import load_cv

DATA = Path(__file__).parents[1] / "data" / "jsonresume"
SAMPLE = DATA / "sample.resume.json"

# What the official sample holds that cvbuild's CV cannot: import lists exactly these.
SAMPLE_LEFT_OUT = [
    "basics.location.address",
    "basics.location.postalCode",
    "basics.profiles[0]",  # Twitter
    "basics.profiles[1]",  # SoundCloud
    "work[0].description",
    "skills[0].level",
    "skills[1].level",
    "projects[0].roles",
    "projects[0].entity",
    "projects[0].type",
]


def sample() -> dict:
    return json.loads(SAMPLE.read_text("utf-8"))


def cvbuild(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cvbuild", *args], capture_output=True,
                          text=True, cwd=cwd)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("import") / "cv.yaml"
    proc = cvbuild("import", str(SAMPLE), "-o", str(out), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    warned = [line.removeprefix("warning: ").split(": ")[0] for line in proc.stderr.splitlines()]
    assert warned == SAMPLE_LEFT_OUT
    return out


def test_imported_yaml_is_readable_block_yaml(imported):
    from cvbuild.source.schema import schema_text

    text = imported.read_text("utf-8")
    first, second = text.splitlines()[:2]
    assert first == "# yaml-language-server: $schema=./schema.json"
    # the schema its first line names is written beside it, as `cvbuild init` does
    assert (imported.parent / "schema.json").read_text("utf-8") == schema_text()
    assert second.startswith("# Imported from sample.resume.json")
    assert "{" not in text and "\\u" not in text  # block style, Unicode as itself
    assert "“length-limited”" in text and "Weisman Scores™" in text


def test_sample_imports_and_builds(imported, tex):
    from pdfs import missing_values

    from cvbuild.pipeline.run import build
    from cvbuild.verify.readback import pdf_text

    (out,) = build(imported, "en", imported.parent / "build")
    text = pdf_text(out.pdf)
    for value in ("Richard Hendriks", "Pied Piper", "CoderDojo", "University of Oklahoma",
                  "Techcrunch", "Miss Direction"):
        assert value in text
    # every value the import placed is printed where a reader finds it (the website
    # as its link text, richardhendricks.example.com)
    assert "richardhendricks.example.com" in text
    assert missing_values(load_cv(imported), "en", text) == []


def _drop(doc: dict, path: str) -> None:
    """Delete a dotted/indexed path such as basics.profiles[0] (lists keep their indexes)."""
    import re

    parts = [p for p in re.split(r"\.|\[(\d+)\]", path) if p]
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    if last.isdigit():
        node[int(last)] = None
    else:
        del node[last]


def _leaves(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, f"{path}[{i}]")
    else:
        yield path, node


def test_round_trip_keeps_every_placed_value(imported, tmp_path):
    """sample → cv.yaml → JSON Resume equals the sample minus: what import warned about,
    the document's metadata (meta), empty strings (basics.image is "") and lists left empty."""
    out = tmp_path / "back.json"
    proc = cvbuild("export", str(imported), "--format", "jsonresume", "--lang", "en",
                   "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    back = json.loads(out.read_text("utf-8"))

    expected = sample()
    for path in SAMPLE_LEFT_OUT:
        _drop(expected, path)
    assert expected["basics"]["profiles"] == [None, None]  # both left out: no list at all
    del expected["basics"]["profiles"]
    del expected["meta"]
    del expected["basics"]["image"]
    assert back == expected
    assert schema_problems(back, formats=True) == []

    kept, total = len(list(_leaves(back))), len(list(_leaves(sample())))
    assert (kept, total) == (71, 90)  # 19 = 3 meta + 1 empty image + 15 in the warned fields


def test_our_cv_exports_valid_json_resume_in_both_languages(real_cv):
    for lang in real_cv.languages:
        text, notes = export_json(real_cv, lang)  # export_json checks before it returns
        doc = json.loads(text)
        assert schema_problems(doc, formats=True) == []
        assert doc["basics"]["name"] == real_cv.header.name.get(lang)
        # cv.yaml's bullets have no JSON Resume list: they travel as markdown in the summary
        first = real_cv.sections[0]
        assert doc["basics"]["summary"].startswith(f"## {first.title.get(lang)}\n")
        assert [n.path for n in notes] == ["sections[0]"]


def test_the_schema_check_bites():
    from jsonschema.validators import validator_for

    from cvbuild.interop.jsonresume import schema

    assert validator_for(schema()).__name__ == "Draft7Validator"  # the schema's own draft
    with pytest.raises(CvbuildError, match=r"basics\.email: 'nope' is not a 'email'"):
        check({"basics": {"email": "nope"}})
    with pytest.raises(CvbuildError, match=r"work\[0\]\.startDate: 'May 2020' does not match"):
        check({"work": [{"name": "X", "startDate": "May 2020"}]})


def test_import_fits_values_through_our_model(tmp_path):
    """Values our schema refuses are left out with a note; profiles and photo are placed."""
    (tmp_path / "me.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    doc = {
        "basics": {
            "name": "Иван Иванов", "email": "not-an-email", "url": "ftp://example.com",
            "image": "me.png",
            "profiles": [
                {"network": "GitHub", "url": "https://github.com/ivanov/"},
                {"network": "linkedin", "username": "ivan-ivanov"},
                {"network": "GitHub", "username": "second"},
            ],
            "location": {"city": "Москва", "countryCode": "RU"},
        },
        "work": [
            {"name": "Ромашка", "position": "Инженер", "startDate": "2020-05"},
            {"name": "Лютик", "position": "Стажёр", "startDate": "2019-05", "endDate": "2018-01"},
            {"position": "Без компании"},
        ],
        "certificates": [{"name": "CKA", "issuer": "CNCF", "date": "2021", "url": "https://x.example.com"}],
        "x-custom": {"a": 1},
    }
    data, notes = from_jsonresume(doc, "ru", json_dir=tmp_path, out_dir=tmp_path / "cv")
    assert data["header"] == {
        "name": "Иван Иванов",
        "location": "Москва, RU",
        "photo": "../me.png",
        "contacts": {"github": "ivanov", "linkedin": "ivan-ivanov"},
    }
    work = data["sections"][0]
    assert work["title"] == "Опыт работы"
    assert work["entries"] == [
        {"company": "Ромашка", "position": "Инженер", "start": "2020-05", "end": "present"},
        {"company": "Лютик", "position": "Стажёр", "start": "2019-05"},
    ]
    assert data["sections"][1] == {
        "title": "Сертификаты",
        "entries": [{"certification": "CKA", "issuer": "CNCF", "date": "2021",
                     "url": "https://x.example.com"}],
    }
    assert [str(n).split(":")[0] for n in notes] == [
        "basics.profiles[2]", "basics.email", "basics.url", "work[1].endDate", "work[2]",
        "x-custom",
    ]
    assert "the end (2018-01) is before the start (2019-05)" in str(notes[3])
    assert str(notes[4]) == "work[2]: `name` is missing and cvbuild needs it; the entry is left out"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"basics": {"name": "A"}', "1:25: not valid JSON"),
        ('{"basics": {"name": "A"}, "work": {"name": "X"}}',
         "work: not a JSON Resume: {'name': 'X'} is not of type 'array'"),
        ('[1, 2]', "not a JSON Resume: [1, 2] is not of type 'object'"),
        ('{"basics": {"label": "Dev"}}', "basics.name is missing"),
    ],
)
def test_bad_input_is_a_clean_error(tmp_path, content, message):
    src = tmp_path / "resume.json"
    src.write_text(content, "utf-8")
    proc = cvbuild("import", str(src), "-o", str(tmp_path / "cv.yaml"))
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "cv.yaml").exists()


def test_import_does_not_overwrite_without_force(tmp_path):
    out = tmp_path / "cv.yaml"
    out.write_text("mine", "utf-8")
    proc = cvbuild("import", str(tmp_path / "missing.json"), "-o", str(out))
    assert proc.returncode == 1 and "missing.json: no such file" in proc.stderr
    proc = cvbuild("import", str(SAMPLE), "-o", str(out))
    assert proc.returncode == 1 and "--force" in proc.stderr
    assert out.read_text("utf-8") == "mine"
    assert not (tmp_path / "schema.json").exists()  # nothing written on a refusal
    (tmp_path / "schema.json").write_text("{}", "utf-8")
    proc = cvbuild("import", str(SAMPLE), "-o", str(out), "--force")
    assert proc.returncode == 0 and f"wrote {tmp_path / 'schema.json'}" in proc.stdout
    assert (tmp_path / "schema.json").read_text("utf-8") != "{}"
    (tmp_path / "schema.json").write_text("{}", "utf-8")
    proc = cvbuild("import", str(SAMPLE), "-o", str(tmp_path / "other.yaml"))
    assert proc.returncode == 0 and "schema.json" not in proc.stdout
    assert (tmp_path / "schema.json").read_text("utf-8") == "{}"  # kept without --force
    assert load_cv(out).header.name.get("en") == "Richard Hendriks"


def test_input_problems_are_input_errors():
    bad = copy.deepcopy(sample())
    bad["skills"][0]["keywords"] = "HTML"
    with pytest.raises(InputError) as exc:
        from_jsonresume(bad, "en")
    assert [p.path for p in exc.value.problems] == ["skills[0].keywords"]


KIND_SECTIONS = """\
languages: [ru, en]
header:
  name: {ru: Анна, en: Anna}
sections:
  - kind: summary
    entries:
      - text: {ru: Строю конвейеры., en: I build pipelines.}
  - kind: experience
    entries:
      - company: Example LLC
        position: {ru: Инженер, en: Engineer}
        start: 2021-03
        end: present
  - kind: volunteering
    entries:
      - company: Food Bank
        position: {ru: Водитель, en: Driver}
        start: 2019
  - kind: certifications
    entries:
      - award: AWS Solutions Architect
        issuer: Amazon
        date: 2022
  - kind: interests
    entries:
      - bullets: [{ru: Шахматы, en: Chess}]
"""


def test_sections_given_by_kind_export_to_their_lists(tmp_path):
    """A section with `kind:` and no title goes to its JSON Resume list (it was a traceback)."""
    cv = tmp_path / "cv.yaml"
    cv.write_text(KIND_SECTIONS, "utf-8")
    for lang, interests in [("en", "Interests"), ("ru", "Интересы")]:
        proc = cvbuild("export", str(cv), "--format", "jsonresume", "--lang", lang)
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["basics"]["summary"].startswith(
            {"en": "I build pipelines.", "ru": "Строю конвейеры."}[lang]
        )
        assert [w["name"] for w in doc["work"]] == ["Example LLC"]
        assert [v["organization"] for v in doc["volunteer"]] == ["Food Bank"]
        assert [c["name"] for c in doc["certificates"]] == ["AWS Solutions Architect"]
        # free text in a kind section is kept in the summary, titled in the language
        assert f"## {interests}\n" in doc["basics"]["summary"]
        assert f"sections[4]: '{interests}' holds free text" in proc.stderr


def test_import_into_a_language_with_no_table_writes_todo_labels():
    data, notes = from_jsonresume(sample(), "sv")
    assert data["labels"] == {"sv": {"cv": "TODO: CV", "present": "TODO: Present",
                                     "page": "TODO: Page {page} of {pages}"}}
    assert any("no built-in words for 'sv'" in str(n) for n in notes)
    with pytest.raises(InputError) as exc:
        from_jsonresume(sample(), "ja")
    assert "Japanese" in str(exc.value)
    assert "labels" not in from_jsonresume(sample(), "de")[0]


def test_export_knows_sections_by_kind_and_by_every_languages_titles(tmp_path):
    cv = tmp_path / "cv.yaml"
    cv.write_text(
        "languages: [de, en]\nheader: {name: {same: Anna Novak}}\nsections:\n"
        "  - kind: experience\n    entries:\n"
        "      - {company: {same: ACME}, position: {de: Entwicklerin, en: Developer}, "
        "start: 2020-01}\n"
        "  - title: {de: Ausbildung, en: Study}\n    entries:\n"
        "      - {institution: {same: TU Berlin}, start: 2015}\n", "utf-8")
    doc = json.loads(export_json(load_cv(cv), "de")[0])
    assert [w["name"] for w in doc["work"]] == ["ACME"]
    assert [e["institution"] for e in doc["education"]] == ["TU Berlin"]


def test_import_titles_sections_in_the_language_imported_into():
    titles = [s["title"] for s in from_jsonresume(sample(), "de")[0]["sections"]]
    assert "Berufserfahrung" in titles and "Ausbildung" in titles
    titles = [s["title"] for s in from_jsonresume(sample(), "sv")[0]["sections"]]
    assert "TODO: Experience" in titles
