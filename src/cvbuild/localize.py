"""CV + language → a plain view for templates: text resolved to one language,
dates formatted from CLDR, items filtered by tag. Pure: no files, no TeX."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pydantic import BaseModel

from cvbuild.latex import plain
from cvbuild.load import Path_
from cvbuild.locales import words
from cvbuild.model import CV, CVDate, Localized


class Sourced(str):
    """Text of the view that remembers the path in cv.yaml it came from, so that the
    renderer can record where it lands in the .tex (and a TeX warning can name it)."""

    path: Path_

    def __new__(cls, text: str, path: Path_) -> Sourced:
        obj = super().__new__(cls, text)
        obj.path = path
        return obj


def format_date(d: CVDate, lang: str) -> str:
    """A date as a CV prints it: stand-alone month and year ("январь 2020", "Jan 2020")."""
    if d.is_present:
        return words(lang)["present"]
    if d.month is None:
        return str(d.year)
    from babel.dates import format_date as babel_format

    # LLL/LLLL are CLDR's stand-alone month forms: "январь", not the genitive "января".
    pattern = "LLLL yyyy" if lang == "ru" else "LLL yyyy"
    return babel_format(_dt.date(d.year, d.month, d.day or 1), pattern, locale=words(lang)["babel"])


def format_range(start: CVDate | None, end: CVDate | None, lang: str) -> str | None:
    if start is None and end is None:
        return None
    if start is None:
        return format_date(end, lang)  # type: ignore[arg-type]
    if end is None:
        return format_date(start, lang)
    a, b = format_date(start, lang), format_date(end, lang)
    if a == b:
        return a
    return f"{a}\u00a0\u2014 {b}" if lang == "ru" else f"{a}\u2009\u2013\u2009{b}"


def _keep(item: Any, only: str | None) -> bool:
    tags = getattr(item, "tags", None)
    return only is None or not tags or only in tags


def _resolve(value: Any, lang: str, only: str | None, path: Path_ = ()) -> Any:
    if isinstance(value, Localized):
        return Sourced(value.get(lang), path if value.plain is not None else path + (lang,))
    if isinstance(value, CVDate):
        return Sourced(format_date(value, lang), path)
    if isinstance(value, str):
        return Sourced(value, path)
    if isinstance(value, BaseModel):
        out = {"kind": type(value).__name__}
        for name in type(value).model_fields:
            if name == "tags":
                continue
            out[name] = _resolve(getattr(value, name), lang, only, path + (name,))
        if "start" in out:
            dates = format_range(value.start, value.end, lang)  # type: ignore[attr-defined]
            first = "start" if value.start is not None else "end"  # type: ignore[attr-defined]
            out["dates"] = None if dates is None else Sourced(dates, path + (first,))
        return out
    if isinstance(value, list):
        return [
            _resolve(v, lang, only, path + (i,)) for i, v in enumerate(value) if _keep(v, only)
        ]
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


def localize(cv: CV, lang: str, only: str | None = None) -> dict[str, Any]:
    """The CV as plain dicts and strings in one language; `only` keeps items with that tag."""
    if lang not in cv.languages:
        raise ValueError(f"{lang!r} is not one of the CV's languages")
    view = _resolve(cv, lang, only)
    view["sections"] = [s for s in view["sections"] if s["entries"]]
    view["lang"] = lang
    view["words"] = words(lang)
    view["header"]["links"] = contact_links(view["header"]["contacts"])
    view["keywords"] = _keywords(view)
    return view
