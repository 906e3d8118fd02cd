"""An application file (`applications/<id>.yaml`): one job's cover letter and which
variant of the CV goes with it. Read and validated like cv.yaml (load.py, validate.py):
every problem with file:line:column, "did you mean", and each text in every
language of the application.

The keys `company`, `position`, `only`, `languages` and `letter` are fixed (other
tooling may rely on them); the rest say whom the letter is for and how it greets.
Which languages a text needs: the application's `languages`, else the CV's.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from cvbuild.errors import Problem
from cvbuild.source.model import (
    CV,
    LANG_CODE,
    Localized,
    Strict,
    Text,
    Url,
    Variant,
    language_codes,
    tags_of,
)
from cvbuild.source.reader import Positions, compose, format_path, read_text
from cvbuild.source.validate import validate_model
from cvbuild.text.letter_words import LETTER_WORDS

MODELINE = "# yaml-language-server: $schema=../application.schema.json"


class Recipient(Strict):
    """Whom the letter is addressed to; every key is optional."""

    name: Text | None = Field(
        None, description="The person's name as the salutation should print it, e.g. "
        "{ru: Анна Петровна, en: Ms Petrova}. Left out: 'Dear Hiring Manager,' / «Здравствуйте!»."
    )
    gender: Literal["female", "male", "neutral"] = Field(
        "neutral", description="How a salutation that agrees with the person addresses them: "
        "female «Уважаемая …!», male «Уважаемый …!» (German 'Sehr geehrte/r …,', …); neutral, "
        "the default, a greeting that fits anyone («Здравствуйте, …!»): never a wrong guess. "
        "English needs none: 'Dear …,'."
    )
    title: Text | None = Field(None, description="The person's role, printed under the name, e.g. 'Head of ML'.")
    address: Text | None = Field(
        None, description="The company's address, one line per line of the text (use `|`)."
    )


def _full_date(value: Any) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PydanticCustomError(
            "letter_date", "'{value}' is not a day; write YYYY-MM-DD, e.g. 2026-03-01",
            {"value": str(value)},
        ) from None


class Application(Strict):
    """One job application: the cover letter and the tailored CV."""

    company: Text = Field(description="The employer, per language ({ru: …, en: …}), or "
                          "one name for every language written `same: …` (a plain name "
                          "is taken as text to translate).")
    position: Text = Field(description="The job applied for, as the posting names it.")
    only: list[str] = Field(
        default_factory=list,
        description="The CV's tags for this job: the CV keeps untagged items and those "
        "carrying any of these (as `cvbuild pdf --only`). Empty: the whole CV.",
    )
    languages: list[str] | None = Field(
        None, description="Which of the CV's languages to apply in, e.g. [en]; all of them when left out.",
    )
    letter: Text = Field(
        description="The letter's body, per language: paragraphs apart by a blank line; "
        "**bold**, *italic* and [links](https://…) work. The salutation and closing are added."
    )
    recipient: Recipient = Field(default_factory=Recipient, description="Whom the letter is for.")
    url: Url | None = Field(None, description="The job posting's address; the position links to it.")
    date: Any = Field(
        None, description="The letter's date, YYYY-MM-DD; left out, the file's source date "
        "(SOURCE_DATE_EPOCH, its last commit, else its modification time).",
        json_schema_extra={"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    )
    salutation: Text | None = Field(
        None, description="The salutation line instead of the one made from `recipient`, e.g. 'Hello team,'."
    )
    closing: Text | None = Field(
        None, description="The line above your name instead of 'Sincerely,' / «С уважением,»."
    )

    @field_validator("letter")
    @classmethod
    def _letter(cls, v: Localized) -> Localized:
        empty = [code for code, text in (v.by_lang or {"": v.plain or ""}).items() if not text.strip()]
        if empty:
            raise PydanticCustomError(
                "letter_empty", "the letter{which} is empty; write its paragraphs here",
                {"which": f" in '{empty[0]}'" if empty[0] else ""},
            )
        return v

    @field_validator("date", mode="plain")
    @classmethod
    def _date(cls, v: Any) -> _dt.date | None:
        return _full_date(v)

    @field_validator("languages")
    @classmethod
    def _langs(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        if not v:
            raise PydanticCustomError("languages_empty", "must not be empty; leave the key out for every language")
        return language_codes(v)

    def variant(self) -> Variant | None:
        """The CV's variant this application sends: its `only` tags, None for the whole CV."""
        return Variant.of(self.only)

    def langs(self, cv: CV) -> list[str]:
        """The languages to apply in, in the CV's order."""
        return [code for code in cv.languages if code in (self.languages or cv.languages)]


def app_id(path: Path | str) -> str:
    """The application's name: its file's, without `.yaml` (`build/<id>/` holds its PDFs)."""
    return Path(path).stem


def _did_you_mean(word: str, choices: list[str]) -> str:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if found:
        return f"; did you mean `{found[0]}`?"
    return f"; the CV has: {', '.join(choices)}" if choices else ""


def _against_cv(data: Any, cv: CV, positions: Positions, file: str) -> list[Problem]:
    """What only the CV can tell: languages it is not written in, tags it does not use.
    Read from the plain data, so that they are told with the file's other problems."""
    problems = []

    def strings(key: str) -> list[str]:
        value = data.get(key) if isinstance(data, dict) else None
        return value if isinstance(value, list) else []

    def at(path: tuple, message: str) -> None:
        problems.append(Problem.at(file, positions.of_value(path), format_path(path), message))

    for i, code in enumerate(strings("languages")):
        if isinstance(code, str) and LANG_CODE.match(code) and code not in cv.languages:
            at(("languages", i), f"'{code}' is not a language of the CV"
               + _did_you_mean(code, cv.languages))
    given = [c for c in strings("languages") if isinstance(c, str)]
    for code in given or cv.languages:
        if code in cv.languages and code not in LETTER_WORDS:
            where = ("languages", given.index(code)) if given else ()
            others = [c for c in cv.languages if c in LETTER_WORDS]
            at(where, f"cvbuild has no cover-letter words for '{code}' (it has them for "
               f"{', '.join(LETTER_WORDS)}); "
               + (f"apply in {', '.join(others)} with `languages: [{', '.join(others)}]`"
                  if others and not given else "apply in another language"))
    tags = tags_of(cv)
    for i, tag in enumerate(strings("only")):
        if isinstance(tag, str) and tag not in tags:
            at(("only", i), f"no item of the CV is tagged '{tag}'"
               + (_did_you_mean(tag, tags) if tags else "; add `tags: [...]` to the items it keeps"))
    return problems


def validate_application(data: Any, positions: Positions, file: str, cv: CV,
                         problems: list[Problem] | None = None) -> Application:
    """Plain data → Application, or one InputError with every problem."""
    languages = data.get("languages") if isinstance(data, dict) else None
    known = [x for x in languages if x in cv.languages] if isinstance(languages, list) else []
    # a text needs the application's languages that the CV has (others are refused
    # at `languages`), all of the CV's when it names none
    problems = list(problems or []) + _against_cv(data, cv, positions, file)
    return validate_model(Application, data, positions, file, problems,
                          {"languages": known or list(cv.languages), "allowed": list(cv.languages)})


def load_application(path: Path | str, cv: CV) -> tuple[Application, Positions]:
    """Read, parse and validate an application file for `cv`; InputError lists every problem."""
    path = Path(path)
    text = read_text(path, "write one as the README's \"Applying for a job\" shows")
    data, positions, problems = compose(text, str(path))
    return validate_application(data, positions, str(path), cv, problems), positions

