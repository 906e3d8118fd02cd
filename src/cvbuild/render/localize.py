"""CV + language → a plain view for templates: text resolved to one language,
dates formatted from CLDR, items filtered by tag. Pure: no files, no TeX."""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from cvbuild.errors import CvbuildError
from cvbuild.render.latex import find_emoji, plain
from cvbuild.render.view import (
    VIEWS,
    BulletItem,
    BulletListView,
    BulletView,
    CVView,
    EducationView,
    ExperienceView,
    HeaderView,
    Link,
    ProjectView,
    SectionView,
    SkillGroupView,
    Sourced,
    field_names,
    strings,
)
from cvbuild.source.model import (
    CV,
    CVDate,
    Dated,
    Experience,
    Localized,
    Section,
    Variant,
    tags_of,
)
from cvbuild.source.reader import Path_
from cvbuild.text.locales import section_title, words

Labels = dict[str, dict[str, str]]  # cv.yaml's `labels:`, language → key → words


def _style(lang: str, style: str, labels: Labels | None = None) -> str:
    return words(lang, labels)["date_style"] if style == "auto" else style


def format_date(d: CVDate, lang: str, style: str = "auto", labels: Labels | None = None) -> str:
    """A date as a CV prints it: the stand-alone month and the year.

    long: "январь 2020", "January 2020", "septiembre de 2020"; short: "янв. 2020",
    "Jan 2020"; auto: the language's custom (words(lang)["date_style"]). The pattern is
    the language's row's (text/locales.py) or CLDR's own (yMMMM, yMMM)."""
    row = words(lang, labels)
    style = _style(lang, style, labels)
    if d.is_present:
        return row["present" if style == "long" else "present_short"]
    if d.year is None or d.month is None:
        return str(d.year)
    from babel.dates import format_date as babel_format
    from babel.dates import format_skeleton

    day = _dt.date(d.year, d.month, d.day or 1)
    if row["months"] is None:
        text = format_skeleton("yMMMM" if style == "long" else "yMMM", day, locale=row["babel"])
    else:
        # LLLL/LLL are CLDR's stand-alone month forms: "январь", not the genitive "января".
        pattern = row["months"][0 if style == "long" else 1]
        text = babel_format(day, pattern, locale=row["babel"])
    return text.replace(" ", "\u00a0")  # month and year stay on one line


def format_range(
    start: CVDate | None, end: CVDate | None, lang: str, style: str = "auto",
    labels: Labels | None = None,
) -> str | None:
    """"январь 2020 — настоящее время", "Jan 2020 – Present", "Mai 2020 – heute": a
    Russian em dash with a no-break space before it, an English en dash between thin
    spaces, elsewhere an en dash that does not start a line."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        return format_date(start or end, lang, style, labels)  # type: ignore[arg-type]
    a, b = format_date(start, lang, style, labels), format_date(end, lang, style, labels)
    if a == b:
        return a
    joint = {"em": "\u00a0\u2014 ", "thin": "\u2009\u2013\u2009"}.get(
        words(lang, labels)["range"], "\u00a0\u2013 ")
    return f"{a}{joint}{b}"


def months_between(start: CVDate, end: CVDate, today: _dt.date) -> int | None:
    """Whole months from start to end, both months counted (Jan–Dec is 12);
    None when either date has no month."""
    if end.is_present:
        end = CVDate(today.year, today.month)
    if start.month is None or end.month is None:
        return None
    return max((end.year - start.year) * 12 + end.month - start.month + 1, 0)  # type: ignore[operator]


def format_duration(months: int, lang: str, labels: Labels | None = None) -> str:
    """"1 год 2 месяца", "5 лет", "1 year 2 months", "2 lata 5 miesięcy": plural forms
    from CLDR's rules, for any locale."""
    from babel.units import format_unit

    # always the long unit names: "5 л. 5 мес." is no Russian a typographer would set
    locale = words(lang, labels)["babel"]
    years, rest = divmod(months, 12)
    parts = [
        format_unit(n, unit, length="long", locale=locale)
        for n, unit in ((years, "duration-year"), (rest, "duration-month"))
        if n
    ]
    return " ".join(p.replace(" ", "\u00a0") for p in parts)


def _keep(item: Any, only: Variant | None) -> bool:
    return only is None or only.keeps(getattr(item, "tags", None))


def require_tags(cv: CV, only: Variant | None) -> None:
    """Refuse a variant that names a tag the CV does not have (a typo would otherwise
    build the whole CV under the variant's name)."""
    if only is None:
        return
    have = tags_of(cv)
    for option, tags in (("--only", only.only), ("--except", only.leave_out)):
        for tag in tags:
            if tag in have:
                continue
            if not have:
                raise CvbuildError(f"{option} {tag}: the CV has no tags at all; tag a section, "
                                   "entry or bullet with `tags: [NAME]` first")
            guess = difflib.get_close_matches(tag, have, n=1, cutoff=0.6)
            listed = ", ".join(have)
            hint = f"did you mean `{guess[0]}`? Its tags: {listed}" if guess else f"its tags: {listed}"
            raise CvbuildError(f"{option} {tag}: the CV has no tag `{tag}`; {hint}")


class _Context:
    """What localizing one CV in one language needs besides the value at hand."""

    def __init__(self, lang: str, only: Variant | None, style: str, durations: bool, today: _dt.date,
                 labels: Labels):
        self.lang, self.only, self.style = lang, only, style
        self.durations, self.today, self.labels = durations, today, labels


def _text(value: Any, ctx: _Context, path: Path_) -> Any:
    """A value of the model as the view holds it: text in the language, dates formatted,
    lists filtered by tag, models as their view classes."""
    if isinstance(value, Localized):
        return Sourced(value.get(ctx.lang), path if value.plain is not None else path + (ctx.lang,))
    if isinstance(value, CVDate):
        return Sourced(format_date(value, ctx.lang, ctx.style, ctx.labels), path)
    if isinstance(value, str):
        return Sourced(value, path)
    if isinstance(value, BaseModel):
        return _view(value, ctx, path)
    if isinstance(value, list):
        return [_text(v, ctx, path + (i,)) for i, v in enumerate(value) if _keep(v, ctx.only)]
    return value


def _view(model: BaseModel, ctx: _Context, path: Path_) -> Any:
    """One model object as its view class (view.VIEWS): each field of the same name,
    and what is computed: a section's title from its kind, an entry's dates and duration."""
    cls = VIEWS[type(model)]
    values: dict[str, Any] = {}
    for name in field_names(cls):
        if name in model_fields(model):
            values[name] = _text(getattr(model, name), ctx, path + (name,))
    if isinstance(model, Section):
        values["section_kind"] = model.kind
        if model.title is None:
            values["title"] = Sourced(section_title(model.kind, ctx.lang, ctx.labels), path + ("kind",))  # type: ignore[arg-type]
    if isinstance(model, Dated):
        dates = format_range(model.start, model.end, ctx.lang, ctx.style, ctx.labels)
        first = "start" if model.start is not None else "end"
        values["dates"] = None if dates is None else Sourced(dates, path + (first,))
        values["duration"] = None
        if ctx.durations and isinstance(model, Experience) and model.start is not None:
            months = months_between(model.start, model.end or model.start, ctx.today)
            if months:
                values["duration"] = Sourced(format_duration(months, ctx.lang, ctx.labels), path + ("start",))
    return cls(**values)


def model_fields(model: BaseModel) -> dict[str, Any]:
    return type(model).model_fields


def contact_links(contacts: dict[str, Any]) -> list[Link]:
    """Contacts as links whose visible text is the readable address itself."""
    links = []
    if contacts.get("email"):
        links.append(Link("email", "mailto:" + contacts["email"], contacts["email"]))
    if contacts.get("phone"):
        digits = "".join(c for c in contacts["phone"] if c.isdigit() or c == "+")
        links.append(Link("phone", "tel:" + digits, contacts["phone"]))
    if contacts.get("website"):
        text = contacts["website"].split("://", 1)[-1].rstrip("/")
        links.append(Link("website", contacts["website"], text))
    for kind, host in (("github", "github.com/"), ("linkedin", "linkedin.com/in/"), ("telegram", "t.me/")):
        if contacts.get(kind):
            links.append(Link(kind, f"https://{host}{contacts[kind]}", host + contacts[kind]))
    return links


def _keywords(sections: list[SectionView]) -> list[str]:
    """Words for the PDF's Keywords: skills, stacks and bullet leads, in order, once each."""
    found: list[str] = []

    def add(word: Any) -> None:
        if isinstance(word, str) and word and word not in found:
            found.append(word)

    def bullets(items: list[BulletItem]) -> None:
        for item in items:
            if isinstance(item, BulletView):
                if item.lead:
                    add(plain(item.lead))
                bullets(item.items)

    for section in sections:
        for entry in section.entries:
            if isinstance(entry, SkillGroupView):
                for skill in entry.skills:
                    add(skill)
            if isinstance(entry, ProjectView):
                for word in entry.stack:
                    add(word)
            if isinstance(entry, BulletListView):
                bullets(entry.bullets)
            if isinstance(entry, (ExperienceView, EducationView, ProjectView)):
                bullets(entry.highlights)
    return found[:30]


def labels_of(cv: CV) -> Labels:
    """cv.yaml's `labels:` as plain dicts, only the words given."""
    return {code: block.model_dump(exclude_none=True) for code, block in cv.labels.items()}


def localize(
    cv: CV, lang: str, only: Variant | None = None, today: _dt.date | None = None
) -> CVView:
    """The CV as a typed view in one language; `only` keeps the items of that variant;
    `today` ends the durations of current jobs (default: the real today)."""
    if lang not in cv.languages:
        raise ValueError(f"{lang!r} is not one of the CV's languages")
    require_tags(cv, only)
    labels = labels_of(cv)
    ctx = _Context(lang, only, cv.options.date_style, cv.options.show_durations,
                   today or _dt.date.today(), labels)
    h = cv.header
    header = HeaderView(
        name=_text(h.name, ctx, ("header", "name")),
        headline=_text(h.headline, ctx, ("header", "headline")),
        location=_text(h.location, ctx, ("header", "location")),
        links=contact_links(h.contacts.model_dump()),
    )
    sections = [s for s in _text(cv.sections, ctx, ("sections",)) if s.entries]
    view = CVView(lang=lang, words=words(lang, labels), header=header, sections=sections,
                  keywords=_keywords(sections),
                  bold_keywords=[k.get(lang) for k in cv.options.bold_keywords])
    return replace(view, emoji=emoji_in(view))


def emoji_in(view: Any) -> list[str]:
    """Every emoji in the view's text (or in any part of it), once each, in order."""
    found: list[str] = []
    for text in strings(view):
        for e in find_emoji(text):
            if e not in found:
                found.append(e)
    return found
