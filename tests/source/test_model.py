"""The schema as a person meets it: YAML text in, a CV or named problems out."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cvbuild.errors import InputError
from cvbuild.source.load import load_cv
from cvbuild.source.model import (
    Award,
    Bullet,
    BulletList,
    CVDate,
    Education,
    Experience,
    Localized,
    Paragraph,
    Project,
    Publication,
    SkillGroup,
    SpokenLanguage,
)
from cvbuild.source.reader import load_yaml
from cvbuild.source.validate import validate_cv

DATA = Path(__file__).parents[1] / "data"

HEAD = """\
languages: [ru, en]
header:
  name: {ru: Иван Петров, en: Ivan Petrov}
"""


def cv_from(body: str, head: str = HEAD):
    text = head + body
    data, positions = load_yaml(text, "cv.yaml")
    return validate_cv(data, positions, "cv.yaml")


def problems(body: str, head: str = HEAD) -> list[str]:
    with pytest.raises(InputError) as info:
        cv_from(body, head)
    return [str(p) for p in info.value.problems]


def one_entry(entry: str):
    """A CV with one section holding the given entry (YAML lines, no indent)."""
    lines = textwrap.indent(entry, " " * 8).lstrip()
    cv = cv_from(f"""\
sections:
  - title: {{ru: Раздел, en: Section}}
    entries:
      - {lines}
""")
    return cv.sections[0].entries[0]


# --- Localized text ---------------------------------------------------------------------

def test_plain_string_is_the_same_in_every_language():
    cv = cv_from("  headline: DL Engineer\n")
    assert cv.header.headline == Localized(plain="DL Engineer")
    assert cv.header.headline.get("ru") == cv.header.headline.get("en") == "DL Engineer"


def test_mapping_gives_each_language_its_text():
    cv = cv_from("  headline: {ru: Инженер, en: Engineer}\n")
    assert cv.header.headline.get("ru") == "Инженер"
    assert cv.header.headline.get("en") == "Engineer"


def test_mapping_without_a_declared_language_names_field_and_language():
    [msg] = problems("  headline: {ru: Инженер}\n")
    assert msg.startswith("cv.yaml:4:13: header.headline:")
    assert "'en'" in msg and "en: …" in msg


def test_missing_language_deep_in_a_section_names_the_path():
    [msg] = problems("""\
sections:
  - title: {ru: Навыки, en: Skills}
    entries:
      - text: {en: only English}
""")
    assert "sections[0].entries[0].text" in msg and "'ru'" in msg


def test_unknown_language_key_is_refused():
    [msg] = problems("  headline: {ru: Инженер, en: Engineer, de: Ingenieur}\n")
    assert "header.headline" in msg
    assert "'de' is not a declared language" in msg and "ru, en" in msg


def test_comma_inside_a_flow_mapping_gets_a_hint():
    [msg] = problems("  location: {ru: Казань, Россия, en: Kazan}\n")
    assert "header.location" in msg and "quotes" in msg


def test_numbers_typed_bare_are_text():
    cv = cv_from("  headline: 42\n")
    assert cv.header.headline.get("en") == "42"


def test_declared_language_codes_are_checked():
    head = "languages: [ru, english]\nheader:\n  name: Ivan\n"
    [msg] = problems("", head)
    assert "languages" in msg and "'english' is not a language code" in msg


# --- Unknown keys -----------------------------------------------------------------------

def test_unknown_top_level_key_is_refused_at_its_line():
    [msg] = problems("sectoins: []\n")
    assert msg.startswith("cv.yaml:4:1: sectoins: unknown key `sectoins`")
    assert "did you mean `sections`?" in msg


def test_unknown_key_inside_an_entry_is_refused():
    [msg] = problems("""\
sections:
  - title: Skills
    entries:
      - company: ACME
        position: Engineer
        salary: 100
""")
    assert "sections[0].entries[0].salary" in msg and "unknown key `salary`" in msg


def test_unknown_contact_is_refused():
    [msg] = problems("  contacts:\n    skype: ivan\n")
    assert "header.contacts.skype" in msg and "unknown key" in msg


def test_entry_of_no_known_kind_lists_the_kinds():
    [msg] = problems("""\
sections:
  - title: Skills
    entries:
      - hobby: chess
""")
    assert "cannot tell what kind of entry" in msg and "`company:`" in msg


# --- Every entry kind, as a person writes it -----------------------------------------------

def test_paragraph():
    e = one_entry("text: {ru: Абзац, en: A paragraph}")
    assert isinstance(e, Paragraph) and e.text.get("en") == "A paragraph"


def test_bullet_list_with_lead_text_and_nested_items():
    e = one_entry("""\
title: {ru: Фундамент, en: Foundations}
bullets:
  - Plain bullet
  - {ru: Пункт, en: Bullet}
  - lead: {ru: Математика, en: Mathematics}
    text: {ru: матан, en: calculus}
    items:
      - lead: CV
        text: {ru: свёртки, en: convolutions}
      - {ru: вложенный, en: nested}
""")
    assert isinstance(e, BulletList) and e.title.get("ru") == "Фундамент"
    plain, localized, led = e.bullets
    assert plain == Localized(plain="Plain bullet")
    assert localized.get("ru") == "Пункт"
    assert isinstance(led, Bullet) and led.lead.get("en") == "Mathematics"
    assert led.text.get("ru") == "матан"
    sub_led, sub_plain = led.items
    assert isinstance(sub_led, Bullet) and sub_led.lead.get("ru") == "CV"
    assert sub_plain.get("en") == "nested"


def test_empty_bullet_is_refused():
    msg = problems("""\
sections:
  - title: S
    entries:
      - bullets:
          - items: []
            tags: [x]
""")
    assert any("a bullet needs `lead`, `text` or `items`" in m for m in msg)


def test_experience():
    e = one_entry("""\
company: {ru: Яндекс, en: Yandex}
position: {ru: Стажёр, en: Intern}
location: {ru: Москва, en: Moscow}
url: https://yandex.ru
start: 2021-09
end: present
summary: {ru: Поиск, en: Search}
highlights:
  - {ru: Ускорил сборку, en: Sped up the build}
  - lead: C++
    text: {ru: ядро, en: the core}
""")
    assert isinstance(e, Experience)
    assert e.company.get("en") == "Yandex" and e.position.get("ru") == "Стажёр"
    assert str(e.start) == "2021-09" and e.end.is_present
    assert len(e.highlights) == 2 and isinstance(e.highlights[1], Bullet)


def test_education():
    e = one_entry("""\
institution: {ru: МГУ, en: Moscow State University}
degree: {ru: Бакалавр, en: BSc}
area: {ru: Математика, en: Mathematics}
start: 2018
end: 2022-06-30
score: "5.0"
highlights: [{ru: С отличием, en: With honours}]
""")
    assert isinstance(e, Education)
    assert e.degree.get("en") == "BSc" and e.score.get("ru") == "5.0"
    assert (str(e.start), str(e.end)) == ("2018", "2022-06-30")


def test_project():
    e = one_entry("""\
project: cvbuild
url: https://github.com/example/cvbuild
description: {ru: Сборщик резюме, en: A CV builder}
stack: [Python, LaTeX]
start: 2024-01
""")
    assert isinstance(e, Project)
    assert e.stack == ["Python", "LaTeX"] and e.project.get("ru") == "cvbuild"


def test_publication():
    e = one_entry("""\
publication: {ru: Статья, en: A paper}
authors: [I. Petrov, A. Smith]
venue: NeurIPS
date: 2023-12
doi: 10.1000/xyz123
""")
    assert isinstance(e, Publication)
    assert e.authors == ["I. Petrov", "A. Smith"] and e.venue.get("ru") == "NeurIPS"
    assert str(e.date) == "2023-12"


def test_award():
    e = one_entry("""\
award: {ru: Диплом I степени, en: First-prize diploma}
issuer: {ru: Конференция, en: A conference}
date: 2020
""")
    assert isinstance(e, Award) and e.award.get("en") == "First-prize diploma"


def test_skill_group_mixes_plain_and_localized_skills():
    e = one_entry("""\
label: {ru: Языки, en: Languages}
skills: [Python, {ru: английский, en: English}]
""")
    assert isinstance(e, SkillGroup)
    assert [s.get("ru") for s in e.skills] == ["Python", "английский"]
    assert [s.get("en") for s in e.skills] == ["Python", "English"]


def test_spoken_language():
    e = one_entry("language: {ru: Английский, en: English}\nlevel: C1")
    assert isinstance(e, SpokenLanguage) and e.level.get("ru") == "C1"


def test_fixture_uses_every_entry_kind_and_contact():
    cv = load_cv(DATA / "full.yaml")
    kinds = {type(e) for s in cv.sections for e in s.entries}
    assert kinds == {
        Paragraph, BulletList, Experience, Education, Project, Publication, Award,
        SkillGroup, SpokenLanguage,
    }
    assert all(v is not None for v in cv.header.contacts.model_dump().values())


def test_empty_section_is_refused():
    [msg] = problems("sections:\n  - title: {ru: Проекты, en: Projects}\n    entries: []\n")
    assert "sections[0].entries" in msg and "must not be empty" in msg


# --- Dates ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, key",
    [
        ("2020", (2020, 1, 1)),
        ("2020-09", (2020, 9, 1)),
        ("2020-09-15", (2020, 9, 15)),
        ("2024-02-29", (2024, 2, 29)),
        ("present", (9999, 12, 31)),
    ],
)
def test_dates_accepted(text, key):
    e = one_entry(f"company: A\nposition: B\nstart: 2001\nend: {text}")
    assert e.end.key() == key
    assert str(e.end) == text


@pytest.mark.parametrize(
    "text, words",
    [
        ("2020-13", "month 13"),
        ("2020-00", "month 0"),
        ("2023-02-29", "28 days"),
        ("2020/09", "not a date"),
        ("Sept 2020", "not a date"),
        ("20", "not a date"),
    ],
)
def test_bad_dates_refused(text, words):
    [msg] = problems(f"""\
sections:
  - title: S
    entries:
      - company: A
        position: B
        start: {text}
""")
    assert "sections[0].entries[0].start" in msg and words in msg


def test_end_before_start_refused():
    [msg] = problems("""\
sections:
  - title: S
    entries:
      - company: A
        position: B
        start: 2021-05
        end: 2021-04
""")
    assert "sections[0].entries[0]" in msg
    assert "the end (2021-04) is before the start (2021-05)" in msg


def test_start_cannot_be_present():
    [msg] = problems("""\
sections:
  - title: S
    entries:
      - institution: A
        start: present
""")
    assert "`start` cannot be `present`" in msg


def test_same_month_range_is_fine():
    assert CVDate.parse("2021-05").key() == CVDate.parse("2021-05-01").key()
    e = one_entry("company: A\nposition: B\nstart: 2021-05\nend: 2021-05")
    assert e.start == e.end


# --- Contacts ---------------------------------------------------------------------------

def test_all_contacts_accepted_and_profiles_reduced_to_the_name():
    cv = cv_from("""\
  contacts:
    email: ivan@example.org
    phone: +7 (900) 123-45-67
    website: https://ivan.example.org
    github: https://github.com/ivan-p/
    linkedin: linkedin.com/in/ivan.petrov
    telegram: "@ivan_p"
""")
    c = cv.header.contacts
    assert c.email == "ivan@example.org" and c.phone == "+7 (900) 123-45-67"
    assert c.website == "https://ivan.example.org"
    assert (c.github, c.linkedin, c.telegram) == ("ivan-p", "ivan.petrov", "ivan_p")


@pytest.mark.parametrize("key, value, name", [
    # as copied from the browser's address bar: www., a country subdomain, a query, a slash
    ("linkedin", "https://www.linkedin.com/in/anna-smith/", "anna-smith"),
    ("linkedin", "https://ru.linkedin.com/in/anna-smith-1a2b3c4d/?originalSubdomain=ru",
     "anna-smith-1a2b3c4d"),
    ("linkedin", "www.linkedin.com/in/anna.smith#experience", "anna.smith"),
    ("github", "https://www.github.com/anna/", "anna"),
    ("github", "http://github.com/anna?tab=repositories", "anna"),
    ("telegram", "https://t.me/anna_s", "anna_s"),
])
def test_profile_addresses_are_shortened_to_the_name(key, value, name):
    cv = cv_from(f'  contacts:\n    {key}: "{value}"\n')
    assert getattr(cv.header.contacts, key) == name


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("email", "ivan.example.org", "not an e-mail address"),
        ("email", "ivan@localhost", "not an e-mail address"),
        ("phone", "call me", "not a phone number"),
        ("phone", "+7 12", "not a phone number"),
        ("website", "ivan.example.org", "starting with https://"),
        ("website", "ftp://ivan.example.org", "starting with https://"),
        ("github", "ivan petrov", "not a GitHub name"),
        ("linkedin", "https://linkedin.com/in/", "not a LinkedIn name"),
        ("telegram", "@", "not a Telegram name"),
        ("linkedin", "https://www.linkedin.com/company/acme/", "not a LinkedIn name"),
        ("linkedin", "https://example.com/in/anna", "not a LinkedIn name"),
        ("github", "https://github.com/anna/repo", "not a GitHub name"),
    ],
)
def test_bad_contacts_refused(key, value, words):
    [msg] = problems(f'  contacts:\n    {key}: "{value}"\n')
    assert f"header.contacts.{key}" in msg and words in msg


def test_entry_url_must_be_a_web_address():
    [msg] = problems("""\
sections:
  - title: S
    entries:
      - project: X
        url: github.com/x
""")
    assert "sections[0].entries[0].url" in msg and "https://" in msg


def test_many_problems_are_reported_together_in_file_order():
    msgs = problems("""\
  headline: {ru: Инженер}
  contacts:
    email: nope
sections:
  - title: S
    entries:
      - company: A
        position: B
        start: 2020-13
""")
    assert len(msgs) == 3
    assert [m.split(":")[1] for m in msgs] == sorted((m.split(":")[1] for m in msgs), key=int)
