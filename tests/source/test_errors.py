"""Every kind of input problem: its exact words and its exact line:column.

Each case is a whole cv.yaml written inline; the expected lines are what
`cvbuild validate` prints for it."""

from __future__ import annotations

import re
import textwrap
import typing
from pathlib import Path

import pytest
from pydantic_core.core_schema import ErrorType

from cvbuild.errors import InputError
from cvbuild.source.load import load_cv
from cvbuild.source.validate import explain

ROOT = Path(__file__).resolve().parents[2]


def problems(tmp_path: Path, monkeypatch, text: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    Path("cv.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cv("cv.yaml")
    return [str(p) for p in info.value.problems]


HEAD = """\
languages: [ru, en]
header:
  name: {ru: Иван Петров, en: Ivan Petrov}
"""

CASES = {
    "unknown key, with a suggestion, at the key": (
        HEAD + "  headlin: x\n",
        ["cv.yaml:4:3: header.headlin: unknown key `headlin`; did you mean `headline`?"],
    ),
    "unknown key without a close match lists the allowed ones": (
        HEAD + "theme: {name: classic, colour_scheme: red}\n",
        ["cv.yaml:4:24: theme.colour_scheme: unknown key `colour_scheme`; "
         "the keys allowed here are: name, accent, font, paper, margins, font_size, "
         "text_color, link_color, heading_font, section_style, date_position, header_align, "
         "density, bullet, photo_shape, photo_size, link_display, icons"],
    ),
    "a misspelt design option": (
        HEAD + "theme: {name: banking, date_positon: left}\n",
        ["cv.yaml:4:24: theme.date_positon: unknown key `date_positon`; did you mean `date_position`?"],
    ),
    "a design option's value out of its list": (
        HEAD + "theme: {name: banking, section_style: boxed}\n",
        ["cv.yaml:4:39: theme.section_style: must be one of: 'rule', 'underline', 'band' or 'plain'"],
    ),
    "unknown key inside an entry (a tagged union member)": (
        HEAD + """\
sections:
  - title: T
    entries:
      - company: ACME
        position: Dev
        hilights: []
""",
        ["cv.yaml:9:9: sections[0].entries[0].hilights: unknown key `hilights`; "
         "did you mean `highlights`?"],
    ),
    "misspelt entry kind": (
        HEAD + """\
sections:
  - title: T
    entries:
      - compny: ACME
        position: Dev
""",
        ["cv.yaml:7:9: sections[0].entries[0].compny: unknown key `compny`; did you mean "
         "`company`? (an entry needs one of `text:`, `bullets:`, `company:`, `institution:`, "
         "`project:`, `publication:`, `award:`, `certification:`, `skills:`, `language:`)"],
    ),
    "wrong types, with what was found": (
        """\
languages: ru
header: Ivan
max_pages: 2.5
theme: {name: 5}
""",
        [
            "cv.yaml:1:12: languages: expected a list (lines starting with `- `, or [a, b]), "
            "found text",
            "cv.yaml:2:9: header: expected a mapping of `key: value` lines, found text",
            "cv.yaml:3:12: max_pages: expected a whole number such as 2, found the number 2.5",
            "cv.yaml:4:15: theme.name: expected text, found the number 5",
        ],
    ),
    "number bounds in words": (
        HEAD + "max_pages: 0\n",
        ["cv.yaml:4:12: max_pages: must be 1 or more"],
    ),
    "impossible month and day": (
        HEAD + """\
sections:
  - title: T
    entries:
      - company: ACME
        position: Dev
        start: 2020-13
        end: 2021-02-30
""",
        [
            "cv.yaml:9:16: sections[0].entries[0].start: '2020-13' has month 13; "
            "months run from 01 to 12",
            "cv.yaml:10:14: sections[0].entries[0].end: '2021-02-30' has day 30; "
            "that month has 28 days",
        ],
    ),
    "not a date at all": (
        HEAD + """\
sections:
  - title: T
    entries:
      - award: Prize
        date: last May
      - project: P
        start: [2020]
""",
        [
            "cv.yaml:8:15: sections[0].entries[0].date: 'last May' is not a date; write "
            "YYYY-MM (e.g. 2021-09), YYYY-MM-DD, YYYY or `present`",
            "cv.yaml:10:16: sections[0].entries[1].start: expected a date as YYYY-MM, "
            "YYYY-MM-DD, YYYY or `present`",
        ],
    ),
    "end before start points at the end": (
        HEAD + """\
sections:
  - title: T
    entries:
      - institution: MSU
        start: 2021-09
        end: 2020-06
""",
        ["cv.yaml:9:14: sections[0].entries[0].end: the end (2020-06) is before the start "
         "(2021-09); swap them or fix one"],
    ),
    "malformed e-mail, web address, profile name": (
        HEAD + """\
  contacts:
    email: ivan.example.com
    website: example.com
    github: "ivan petrov"
""",
        [
            "cv.yaml:5:12: header.contacts.email: 'ivan.example.com' is not an e-mail "
            "address; write it as name@example.com",
            "cv.yaml:6:14: header.contacts.website: 'example.com' is not a web address; "
            "write it in full, starting with https://",
            "cv.yaml:7:13: header.contacts.github: 'ivan petrov' is not a GitHub name; "
            "write just the user name (e.g. jdoe) or the profile's address "
            "(https://github.com/jdoe)",
        ],
    ),
    "missing translation names the language (inline flow mapping)": (
        HEAD + """\
sections:
  - title: {ru: Опыт}
    entries:
      - text: {en: Hello}
""",
        [
            "cv.yaml:5:12: sections[0].title: missing the 'en' text; add `en: …` here",
            "cv.yaml:7:15: sections[0].entries[0].text: missing the 'ru' text; add `ru: …` here",
        ],
    ),
    "undeclared language, at its key; a wrong text, at the text": (
        HEAD + """\
sections:
  - title: T
    entries:
      - text: {ru: Привет, en: Hello, de: Hallo}
      - text:
          ru: Привет
          en: [Hello]
""",
        [
            "cv.yaml:7:39: sections[0].entries[0].text.de: 'de' is not a declared language "
            "(declared: ru, en); add it to `languages` or remove this text",
            "cv.yaml:10:15: sections[0].entries[1].text.en: the 'en' text must be a string",
        ],
    ),
    "values inside lists": (
        HEAD + """\
sections:
  - title: T
    entries:
      - project: P
        stack: [Python, {a: b}]
      - skills:
          - Python
          - [C, C++]
        label: L
""",
        [
            "cv.yaml:8:25: sections[0].entries[0].stack[1]: expected text, found a mapping of keys",
            "cv.yaml:11:13: sections[0].entries[1].skills[1]: expected text, or a mapping from "
            "language code to text (ru: …, en: …)",
        ],
    ),
    "block scalars: the position of the indicator; line breaks shown as \\n": (
        HEAD + """\
  contacts:
    website: |
      https://example.com
""",
        ["cv.yaml:5:14: header.contacts.website: 'https://example.com\\n' is not a web "
         "address; write it in full, starting with https://"],
    ),
    "missing keys point at the mapping that lacks them": (
        """\
languages: [ru, en]
header:
  headline: Dev
sections:
  - title: T
""",
        [
            "cv.yaml:3:3: header.name: required key `name` is missing; add it "
            "(full name as it should be printed, per language)",
            "cv.yaml:5:5: sections[0].entries: required key `entries` is missing; add it "
            "(the section's entries, in order)",
        ],
    ),
    "empty values": (
        """\
languages: [ru, en]
header:
sections:
  - title: T
    entries:
      -
      - company:
        position: Dev
""",
        [
            "cv.yaml:2:8: header: expected a mapping of `key: value` lines, found nothing "
            "(an empty value)",
            "cv.yaml:6:8: sections[0].entries[0]: expected an entry (a mapping that starts with "
            "one of `text:`, `bullets:`, `company:`, `institution:`, `project:`, `publication:`, "
            "`award:`, `certification:`, `skills:`, `language:`), found nothing (an empty value)",
            "cv.yaml:7:17: sections[0].entries[1].company: is empty; write the text here",
        ],
    ),
    "a section kind one letter off gets the nearest": (
        HEAD + "sections:\n  - kind: project\n    entries: [{text: x}]\n",
        ["cv.yaml:5:11: sections[0].kind: 'project' is not one of the choices; did you mean "
         "`projects`? The choices: 'summary', 'experience', 'education', 'skills', 'projects', "
         "'publications', 'awards', 'certifications', 'languages', 'volunteering', 'interests' "
         "or 'references'"],
    ),
    "a choice in the wrong case gets the right one; a number out of the list gets the list": (
        HEAD + "theme: {paper: A4, font_size: 13}\n",
        ["cv.yaml:4:16: theme.paper: 'A4' is not one of the choices; did you mean `a4`? "
         "The choices: 'a4' or 'letter'",
         "cv.yaml:4:31: theme.font_size: must be one of: 10, 11 or 12"],
    ),
    "a few texts in an undeclared language are each told": (
        "languages: [ru]\nheader:\n  name: {ru: Иван, en: Ivan}\n  headline: {ru: А, en: A}\n",
        ["cv.yaml:3:20: header.name.en: 'en' is not a declared language (declared: ru); "
         "add it to `languages` or remove this text",
         "cv.yaml:4:21: header.headline.en: 'en' is not a declared language (declared: ru); "
         "add it to `languages` or remove this text"],
    ),
    "a language taken out of `languages`: one line with the count and the first places": (
        "languages: [ru]\nheader:\n  name: {ru: Иван, en: Ivan}\nsections:\n"
        "  - title: {ru: Т, en: T}\n    entries:\n"
        + "".join(f"      - text: {{ru: т{i}, en: t{i}}}\n" for i in range(5)),
        ["cv.yaml:3:20: 'en' is not a declared language (declared: ru), and 7 texts are "
         "written in it: header.name.en (3:20), sections[0].title.en (5:20), "
         "sections[0].entries[0].text.en (7:24) and 4 more; add en to `languages`, or "
         "remove these texts"],
    ),
    "a language added to `languages`: one line with the count and the first places": (
        "languages: [ru, en, de]\nheader:\n  name: {ru: Иван, en: Ivan}\n"
        "  headline: {ru: А, en: A}\nsections:\n  - title: {ru: Т, en: T, de: T}\n"
        "    entries:\n      - text: {ru: т, en: t}\n      - text: {ru: т, en: t}\n",
        ["cv.yaml:3:9: 4 texts lack the 'de' text: header.name (3:9), header.headline (4:13), "
         "sections[0].entries[0].text (8:15) and 1 more; add `de: …` to each, or take de out "
         "of `languages`"],
    ),
    "empty list": (
        HEAD + "sections:\n  - title: T\n    entries: []\n",
        ["cv.yaml:6:14: sections[0].entries: must not be empty; add at least one item"],
    ),
    "YAML-layer problems are reported with the validation ones": (
        """\
languages: [ru, en]
header:
  name: !!python/object:os.system x
  name: Ivan
  <<: {headline: x}
  locaton: Moscow
""",
        [
            "cv.yaml:3:9: header.name: the YAML tag `!!python/object:os.system` is not "
            "allowed here; remove it",
            "cv.yaml:4:3: header.name: this key appears twice; keep one of them",
            "cv.yaml:5:3: header.<<: YAML merge keys (`<<`) are not supported; write the keys out",
            "cv.yaml:6:3: header.locaton: unknown key `locaton`; did you mean `location`?",
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_problem(case, tmp_path, monkeypatch):
    text, expected = CASES[case]
    assert problems(tmp_path, monkeypatch, text) == expected


SYNTAX = {
    "tab": ("a: b\n\tc: d\n", "cv.yaml:2:1: YAML syntax error: a tab character; YAML indents "
            "with spaces only: replace the tab with spaces"),
    "unclosed quote": (
        'languages: [ru, en]\nheader:\n  name: "Ivan\n',
        "cv.yaml:4:1: YAML syntax error: a quoted text is not closed; add the closing quote "
        "(it opens at line 3)",
    ),
    "colon in a value": (
        "header:\n  headline: Role: engineer\n",
        "cv.yaml:2:17: YAML syntax error: a `key: value` where none can be: indent this line "
        "like the keys beside it, or put text that contains `: ` in quotes",
    ),
    "bad indentation": (
        "header:\n  name: x\n    headline: y\n",
        "cv.yaml:3:13: YAML syntax error: a `key: value` where none can be: indent this line "
        "like the keys beside it, or put text that contains `: ` in quotes",
    ),
    "list and keys on one level": (
        "- a\nb: c\n",
        "cv.yaml:2:1: YAML syntax error: this line does not line up with the lines above it: "
        "check its indentation (a `- ` list item and a `key:` cannot share one level)",
    ),
    "unclosed flow list": (
        "languages: [ru, en\nheader: x\n",
        "cv.yaml:2:7: YAML syntax error: a list opened with `[` is not closed where it should "
        "be; add `]` or a comma (it opens at line 1)",
    ),
    "unclosed flow list at the end": (
        "languages: [ru, en",
        "cv.yaml:1:19: YAML syntax error: a list opened with `[` is not closed where it should "
        "be; add `]` or a comma",
    ),
    "undefined alias": ("a: *x\n", "cv.yaml:1:4: YAML syntax error: `*x` refers to an anchor "
                        "`&x` that is not defined above it"),
    "unknown escape": ('a: "C:\\new\\q"\n', "cv.yaml:1:12: YAML syntax error: `\\q` is not an "
                       "escape YAML knows inside double quotes; write `\\\\` for a backslash, "
                       "or put the text in single quotes"),
    "reserved character": ("a: @me\n", "cv.yaml:1:4: YAML syntax error: text cannot start "
                           "with `@`; put the whole value in quotes"),
    "empty file": ("# nothing\n", "cv.yaml:1:1: the file is empty; run `cvbuild init` for a "
                   "starter CV"),
}


@pytest.mark.parametrize("case", list(SYNTAX))
def test_yaml_syntax(case, tmp_path, monkeypatch):
    text, expected = SYNTAX[case]
    assert problems(tmp_path, monkeypatch, text) == [expected]


def test_not_utf8_and_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("cv.yaml").write_bytes("name: Иван".encode("cp1251"))
    with pytest.raises(InputError) as info:
        load_cv("cv.yaml")
    assert str(info.value) == "cv.yaml: not UTF-8 text (byte 6); save the file as UTF-8"
    with pytest.raises(InputError) as info:
        load_cv("nothing.yaml")
    assert str(info.value) == (
        "nothing.yaml: no such file; run `cvbuild init` to write a starter CV"
    )


# Pydantic's own sentences never reach a user. Every built-in error type gets words
# of ours: from the table, or, for a type the schema cannot produce today, a sentence
# made from the field's description.
@pytest.mark.parametrize("kind", sorted(typing.get_args(ErrorType)))
def test_no_pydantic_wording(kind):
    from pydantic_core import ErrorDetails  # noqa: F401  (the shape of `err`)

    raw = "Input should be a valid something, pydantic says"
    err = {"type": kind, "loc": ("header", "headline"), "msg": raw, "input": 5,
           "ctx": {"error": "our ValueError text", "ge": 1, "le": 20, "gt": 0, "lt": 21,
                   "min_length": 1, "max_length": 3, "expected": "'a' or 'b'"}}
    message, _, _ = explain(err)
    assert message and raw not in message
    assert not message.startswith(("Input should", "Value error", "Field required", "Extra inputs"))


def test_our_error_types_are_not_pydantics():
    """An error type of ours named like one of Pydantic's would lose its message."""
    source = (ROOT / "src/cvbuild/source/model.py").read_text(encoding="utf-8")
    ours = set(re.findall(r'PydanticCustomError\(\s*"([a-z_]+)"', source))
    ours |= set(re.findall(r'custom_error_type="([a-z_]+)"', source))
    assert len(ours) > 10
    assert ours.isdisjoint(typing.get_args(ErrorType))


def test_every_problem_at_once(tmp_path, monkeypatch):
    """Ten broken fields: ten problems in one run, in file order."""
    broken = HEAD + "sections:\n  - title: T\n    entries:\n" + "".join(
        f"      - award: A{i}\n        date: 2020-{13 + i}\n" for i in range(10)
    )
    found = problems(tmp_path, monkeypatch, broken)
    assert len(found) == 10
    assert [int(p.split(":")[1]) for p in found] == list(range(8, 28, 2))
