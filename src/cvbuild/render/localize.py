"""CV + language → a plain view for templates: text resolved to one language,
dates formatted from CLDR, items filtered by tag. Pure: no files, no TeX."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pydantic import BaseModel

from cvbuild.render.latex import find_emoji, plain
from cvbuild.source.model import CV, CVDate, Experience, Localized, Section
from cvbuild.source.reader import Path_
from cvbuild.text.locales import section_title, words


class Sourced(str):
    """Text of the view that remembers the path in cv.yaml it came from, so that the
    renderer can record where it lands in the .tex (and a TeX warning can name it)."""

    path: Path_

    def __new__(cls, text: str, path: Path_) -> Sourced:
        obj = super().__new__(cls, text)
        obj.path = path
        return obj


def _style(lang: str, style: str) -> str:
    return words(lang)["date_style"] if style == "auto" else style


def format_date(d: CVDate, lang: str, style: str = "auto") -> str:
    """A date as a CV prints it: the stand-alone month and the year.

    long: "январь 2020", "January 2020"; short: "янв. 2020", "Jan 2020"; auto: the
    language's custom (words(lang)["date_style"])."""
    style = _style(lang, style)
    if d.is_present:
        return words(lang)["present" if style == "long" else "present_short"]
    if d.month is None:
        return str(d.year)
    from babel.dates import format_date as babel_format

    # LLLL/LLL are CLDR's stand-alone month forms: "январь", not the genitive "января".
    pattern = "LLLL yyyy" if style == "long" else "LLL yyyy"
    text = babel_format(_dt.date(d.year, d.month, d.day or 1), pattern, locale=words(lang)["babel"])
    return text.replace(" ", "\u00a0")  # month and year stay on one line


def format_range(
    start: CVDate | None, end: CVDate | None, lang: str, style: str = "auto"
) -> str | None:
    """"январь 2020 — настоящее время", "Jan 2020 – Present": a Russian em dash with a
    no-break space before it, an English en dash between thin spaces."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        return format_date(start or end, lang, style)  # type: ignore[arg-type]
    a, b = format_date(start, lang, style), format_date(end, lang, style)
    if a == b:
        return a
    return f"{a}\u00a0\u2014 {b}" if lang == "ru" else f"{a}\u2009\u2013\u2009{b}"


def months_between(start: CVDate, end: CVDate, today: _dt.date) -> int | None:
    """Whole months from start to end, both months counted (Jan–Dec is 12);
    None when either date has no month."""
    if end.is_present:
        end = CVDate(today.year, today.month)
    if start.month is None or end.month is None:
        return None
    return max((end.year - start.year) * 12 + end.month - start.month + 1, 0)  # type: ignore[operator]


def format_duration(months: int, lang: str) -> str:
    """"1 год 2 месяца", "5 лет", "1 year 2 months": plural forms from CLDR's rules."""
    from babel.units import format_unit

    # always the long unit names: "5 л. 5 мес." is no Russian a typographer would set
    locale = words(lang)["babel"]
    years, rest = divmod(months, 12)
    parts = [
        format_unit(n, unit, length="long", locale=locale)
        for n, unit in ((years, "duration-year"), (rest, "duration-month"))
        if n
    ]
    return " ".join(p.replace(" ", "\u00a0") for p in parts)


def _keep(item: Any, only: str | None) -> bool:
    tags = getattr(item, "tags", None)
    return only is None or not tags or only in tags


class _Context:
    """What localizing one CV in one language needs besides the value at hand."""

    def __init__(self, lang: str, only: str | None, style: str, durations: bool, today: _dt.date):
        self.lang, self.only, self.style = lang, only, style
        self.durations, self.today = durations, today


def _resolve(value: Any, ctx: _Context, path: Path_ = ()) -> Any:
    lang = ctx.lang
    if isinstance(value, Localized):
        return Sourced(value.get(lang), path if value.plain is not None else path + (lang,))
    if isinstance(value, CVDate):
        return Sourced(format_date(value, lang, ctx.style), path)
    if isinstance(value, str):
        return Sourced(value, path)
    if isinstance(value, BaseModel):
        out = {"kind": type(value).__name__}
        for name in type(value).model_fields:
            if name in ("tags", "kind"):
                continue
            out[name] = _resolve(getattr(value, name), ctx, path + (name,))
        if isinstance(value, Section):
            out["section_kind"] = value.kind
            if value.title is None:
                out["title"] = Sourced(section_title(value.kind, lang), path + ("kind",))  # type: ignore[arg-type]
        if "start" in out:
            dates = format_range(value.start, value.end, lang, ctx.style)  # type: ignore[attr-defined]
            first = "start" if value.start is not None else "end"  # type: ignore[attr-defined]
            out["dates"] = None if dates is None else Sourced(dates, path + (first,))
            out["duration"] = None
            if ctx.durations and isinstance(value, Experience) and value.start is not None:
                months = months_between(value.start, value.end or value.start, ctx.today)
                if months:
                    out["duration"] = Sourced(format_duration(months, lang), path + ("start",))
        return out
    if isinstance(value, list):
        return [_resolve(v, ctx, path + (i,)) for i, v in enumerate(value) if _keep(v, ctx.only)]
    return value


def contact_links(contacts: dict[str, Any]) -> list[dict[str, str]]:
    """Contacts as links whose visible text is the readable address itself."""
    links = []
    if contacts.get("email"):
        links.append({"kind": "email", "href": "mailto:" + contacts["email"], "text": contacts["email"]})
    if contacts.get("phone"):
        digits = "".join(c for c in contacts["phone"] if c.isdigit() or c == "+")
        links.append({"kind": "phone", "href": "tel:" + digits, "text": contacts["phone"]})
    if contacts.get("website"):
        text = contacts["website"].split("://", 1)[-1].rstrip("/")
        links.append({"kind": "website", "href": contacts["website"], "text": text})
    for kind, host in (("github", "github.com/"), ("linkedin", "linkedin.com/in/"), ("telegram", "t.me/")):
        if contacts.get(kind):
            links.append({"kind": kind, "href": f"https://{host}{contacts[kind]}", "text": host + contacts[kind]})
    return links


def _keywords(view: dict[str, Any]) -> list[str]:
    """Words for the PDF's Keywords: skills, stacks and bullet leads, in order, once each."""
    found: list[str] = []

    def add(word: Any) -> None:
        if isinstance(word, str) and word and word not in found:
            found.append(word)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("kind") == "SkillGroup":
                for skill in node["skills"]:
                    add(skill)
            for word in node.get("stack") or []:
                add(word)
            if node.get("kind") == "Bullet" and node.get("lead"):
                add(plain(node["lead"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(view["sections"])
    return found[:30]


def localize(
    cv: CV, lang: str, only: str | None = None, today: _dt.date | None = None
) -> dict[str, Any]:
    """The CV as plain dicts and strings in one language; `only` keeps items with that
    tag; `today` ends the durations of current jobs (default: the real today)."""
    if lang not in cv.languages:
        raise ValueError(f"{lang!r} is not one of the CV's languages")
    ctx = _Context(lang, only, cv.options.date_style, cv.options.show_durations,
                   today or _dt.date.today())
    view = _resolve(cv, ctx)
    view["sections"] = [s for s in view["sections"] if s["entries"]]
    view["lang"] = lang
    view["words"] = words(lang)
    view["header"]["links"] = contact_links(view["header"]["contacts"])
    view["keywords"] = _keywords(view)
    view["emoji"] = _emoji(view)
    return view


def _emoji(view: Any) -> list[str]:
    """Every emoji in the view's text, once each, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            for e in find_emoji(node):
                if e not in found:
                    found.append(e)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(view)
    return found
