"""Application + CV + language → the cover letter's view for templates (pure, like
localize.py): the CV's header as the CV prints it, the date in the language's long
form (CLDR), the recipient block, and a salutation and closing from each language's
business-letter conventions (text/letter_words.py says which, and how the recipient's
`gender` chooses between them). `salutation` and `closing` in the application
replace them.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, fields, replace

from cvbuild.render.localize import emoji_in, localize
from cvbuild.render.view import CVView, Sourced
from cvbuild.source.application import Application
from cvbuild.source.model import CV, Localized
from cvbuild.text.letter_words import letter_words
from cvbuild.text.locales import words

# The file names' part that says what a PDF is (build.file_stem makes the CV's).
LETTER_FILE = "Cover_Letter"
MERGED_FILE = "Cover_Letter_and_CV"


def long_date(day: _dt.date, lang: str) -> str:
    """The date as a letter prints it, CLDR's long form in the language's region:
    "2 March 2026" (en-GB), «2 марта 2026 г.»; it stays on one line."""
    from babel.dates import format_date

    locale = words(lang)["bcp47"].replace("-", "_")
    return format_date(day, "long", locale=locale).replace(" ", "\u00a0")


def _text(value: Localized | None, lang: str, path: tuple) -> Sourced | None:
    """An optional text in one language, with its path in the application."""
    return None if value is None else _sourced(value, lang, path)


def _sourced(value: Localized, lang: str, path: tuple) -> Sourced:
    """A text that is always there (a required key) in one language, with its path."""
    return Sourced(value.get(lang), path if value.plain is not None else path + (lang,))


def salutation(app: Application, lang: str) -> Sourced:
    if app.salutation is not None:
        return _sourced(app.salutation, lang, ("salutation",))
    said = letter_words(lang)
    name = _text(app.recipient.name, lang, ("recipient", "name"))
    if name is None or not name.strip():
        return Sourced(said["nobody"], ("recipient",))
    return Sourced(said[app.recipient.gender].format(name=name.strip()), name.path)


def paragraphs(text: str) -> list[str]:
    """The letter's paragraphs: blank lines part them; a paragraph's lines are one text."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]


def letter_title(cv: CV, app: Application, lang: str, both: bool = False) -> str:
    """The PDF's Title: "Name — Cover letter — Company", in the letter's language;
    `both`: of the merged PDF, "Name — Cover letter and CV — Company"."""
    what = letter_words(lang)["cover_letter_and_cv" if both else "cover_letter"]
    return " — ".join((cv.header.name.get(lang), what, app.company.get(lang)))


@dataclass(frozen=True)
class LetterView:
    """What a cover letter prints below the CV's header (templates/base/letter.tex.j2)."""

    date: Sourced
    recipient: list[Sourced]  # name, title, company, address lines: those given
    position_label: str
    position: Sourced
    url: str | None  # the posting's address: the position links to it
    salutation: Sourced
    paragraphs: list[Sourced]  # inline markdown each, printed through | md
    closing: Sourced
    signature: Sourced


@dataclass(frozen=True)
class LetterDocView(CVView):
    """A cover letter's whole view: the CV's (its header, no sections) with `letter`, and
    the PDF's title and subject, which the theme's template reads when they are given."""

    letter: LetterView | None = None
    title: str = ""
    subject: str = ""


def letter_view(cv: CV, app: Application, lang: str, day: _dt.date,
                today: _dt.date | None = None) -> LetterDocView:
    """The view a theme's letter template is rendered with: localize()'s (its header, no
    sections) and `letter`. Values from the application carry their paths in it."""
    view = localize(cv, lang, only=app.variant(), today=today)
    said = letter_words(lang)
    body = _sourced(app.letter, lang, ("letter",))
    address = _text(app.recipient.address, lang, ("recipient", "address"))
    recipient = [
        line for line in (
            _text(app.recipient.name, lang, ("recipient", "name")),
            _text(app.recipient.title, lang, ("recipient", "title")),
            _text(app.company, lang, ("company",)),
        ) if line
    ]
    if address is not None:
        recipient += [Sourced(line.strip(), address.path)
                      for line in address.splitlines() if line.strip()]
    letter = LetterView(
        date=Sourced(long_date(app.date or day, lang), ("date",)),
        recipient=recipient,
        position_label=said["position"],
        position=_sourced(app.position, lang, ("position",)),
        url=app.url,
        salutation=salutation(app, lang),
        paragraphs=[Sourced(p, body.path) for p in paragraphs(body)],
        closing=_text(app.closing, lang, ("closing",)) or Sourced(said["closing"], ("closing",)),
        signature=view.header.name,
    )
    fields_ = {f.name: getattr(view, f.name) for f in fields(CVView)}
    doc = LetterDocView(**{**fields_, "sections": []}, letter=letter,
                        title=letter_title(cv, app, lang), subject=app.position.get(lang))
    return replace(doc, emoji=emoji_in(doc))  # the letter's own too
