"""Dates, durations and section titles from CLDR and locales.py; variants by tag."""

from __future__ import annotations

import datetime as dt

import pytest

from cvbuild.render.localize import (
    format_date,
    format_duration,
    format_range,
    localize,
    months_between,
)
from cvbuild.source.model import CVDate, Variant
from cvbuild.source.reader import load_yaml
from cvbuild.source.validate import validate_cv

NBSP = "\u00a0"
D = CVDate.parse


@pytest.mark.parametrize(
    "lang, style, expected",
    [
        ("ru", "auto", f"январь{NBSP}2020{NBSP}— настоящее время"),
        ("ru", "long", f"январь{NBSP}2020{NBSP}— настоящее время"),
        ("ru", "short", f"янв.{NBSP}2020{NBSP}— н.{NBSP}в."),
        ("en", "auto", f"Jan{NBSP}2020\u2009–\u2009Present"),
        ("en", "long", f"January{NBSP}2020\u2009–\u2009Present"),
    ],
)
def test_ranges(lang, style, expected):
    assert format_range(D("2020-01"), D("present"), lang, style) == expected


def test_stand_alone_months():
    # the nominative "май", "август", never the genitive "мая", "августа"
    assert format_date(D("2021-05"), "ru") == f"май{NBSP}2021"
    assert format_date(D("2021-08-15"), "ru") == f"август{NBSP}2021"
    assert format_date(D("2021"), "ru") == "2021"


@pytest.mark.parametrize(
    "months, ru, en",
    [
        (1, "1 месяц", "1 month"),
        (2, "2 месяца", "2 months"),
        (5, "5 месяцев", "5 months"),
        (12, "1 год", "1 year"),
        (26, "2 года 2 месяца", "2 years 2 months"),
        (65, "5 лет 5 месяцев", "5 years 5 months"),
        (21 * 12 + 11, "21 год 11 месяцев", "21 years 11 months"),
    ],
)
def test_durations_have_cldr_plurals(months, ru, en):
    assert format_duration(months, "ru").replace(NBSP, " ") == ru
    assert format_duration(months, "en").replace(NBSP, " ") == en


def test_months_between_counts_both_ends():
    today = dt.date(2023, 9, 15)
    assert months_between(D("2020-01"), D("2020-12"), today) == 12
    assert months_between(D("2023-09"), D("present"), today) == 1
    assert months_between(D("2020"), D("2021-01"), today) is None


CV_TEXT = """
languages: [ru, en]
header: {name: {ru: Анна, en: Anna}}
options: {show_durations: true, date_style: short}
sections:
  - kind: experience
    entries:
      - company: X
        position: Y
        start: 2020-01
        end: 2021-02
      - company: Kept
        position: Y
        tags: [research]
      - company: Dropped
        position: Y
        tags: [teaching]
  - title: {ru: Своё, en: Own}
    kind: skills
    entries:
      - text: x
  - kind: education
    tags: [teaching]
    entries:
      - text: only for teaching
"""


def _cv(text=CV_TEXT):
    data, pos = load_yaml(text, "cv.yaml")
    return validate_cv(data, pos, "cv.yaml")


def test_section_kinds_and_durations_in_the_view():
    cv = _cv()
    ru = localize(cv, "ru")
    assert [s.title for s in ru.sections] == ["Опыт работы", "Своё", "Образование"]
    assert [s.title for s in localize(cv, "en").sections] == ["Experience", "Own", "Education"]
    job = ru.sections[0].entries[0]
    assert job.dates == f"янв.{NBSP}2020{NBSP}— февр.{NBSP}2021"
    assert job.duration == f"1{NBSP}год 2{NBSP}месяца"


def test_only_keeps_untagged_and_tagged_items():
    view = localize(_cv(), "en", only=Variant(only=("research",)))
    companies = [e.company for e in view.sections[0].entries]
    assert companies == ["X", "Kept"]
    assert [s.title for s in view.sections] == ["Experience", "Own"]


def _kept(variant):
    view = localize(_cv(), "en", only=variant)
    return [getattr(e, "company", None) or getattr(e, "text", None)
            for s in view.sections for e in s.entries]


def test_several_only_tags_and_except():
    everything = ["X", "Kept", "Dropped", "x", "only for teaching"]
    assert _kept(None) == everything
    assert _kept(Variant.of(["research", "teaching"])) == everything
    assert _kept(Variant.of(["research"], ["teaching"])) == ["X", "Kept", "x"]
    assert _kept(Variant.of(None, ["research"])) == ["X", "Dropped", "x", "only for teaching"]
    assert Variant.of(None, None) is None and Variant.of([], []) is None


@pytest.mark.parametrize("variant, message", [
    (Variant(only=("reserch",)), "--only reserch: the CV has no tag `reserch`; "
                                 "did you mean `research`? Its tags: research, teaching"),
    (Variant(leave_out=("nosuchtag",)), "--except nosuchtag: the CV has no tag `nosuchtag`; "
                                        "its tags: research, teaching"),
])
def test_a_tag_the_cv_lacks_is_an_error(variant, message):
    from cvbuild.errors import CvbuildError

    with pytest.raises(CvbuildError) as err:
        localize(_cv(), "en", only=variant)
    assert str(err.value) == message


def test_a_section_needs_a_title_or_a_kind():
    from cvbuild.errors import InputError

    with pytest.raises(InputError) as err:
        _cv("languages: [en]\nheader: {name: A}\nsections:\n  - entries: [{text: x}]\n")
    assert "a section needs a `title`, or a `kind`" in str(err.value)
    with pytest.raises(InputError) as err:
        _cv("languages: [en]\nheader: {name: A}\nsections:\n  - kind: hobbies\n    entries: [{text: x}]\n")
    assert "cv.yaml:4:11: sections[0].kind" in str(err.value)
