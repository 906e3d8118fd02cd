"""The schema of cv.yaml: Pydantic models with a description on every field.

Human-readable text is `Text`: either one string for every language (names of
technologies, URLs) or a mapping from each declared language code to its text.
Which languages are declared comes in through the validation context, so a
mapping that lacks one is an error at the field that lacks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from cvbuild.text.locales import SECTION_KINDS

LANG_CODE = re.compile(r"^[a-z]{2,3}$")
# each language is a PDF and an engine run: 40 codes in a 200-byte file started 40
# engines (about 7 GB)
MAX_LANGUAGES = 8


class Localized:
    """Text in every declared language: one string for all, or one per language.

    `same: …` is one string for all that is meant so (a name, a technology): the
    translation check (translations.py) leaves it alone."""

    __slots__ = ("plain", "by_lang", "same")

    def __init__(self, plain: str | None = None, by_lang: dict[str, str] | None = None,
                 same: bool = False):
        self.plain = plain
        self.by_lang = by_lang or {}
        self.same = same

    def get(self, lang: str) -> str:
        return self.plain if self.plain is not None else self.by_lang[lang]

    def texts(self) -> list[str]:
        return [self.plain] if self.plain is not None else list(self.by_lang.values())

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Localized)
            and self.plain == other.plain
            and self.by_lang == other.by_lang
            and self.same == other.same
        )

    def __hash__(self) -> int:
        return hash((self.plain, tuple(sorted(self.by_lang.items())), self.same))

    def __repr__(self) -> str:
        if self.same:
            return f"Localized(same={self.plain!r})"
        return f"Localized({self.plain!r})" if self.plain is not None else f"Localized({self.by_lang!r})"

    @classmethod
    def _validate(cls, value: Any, info: ValidationInfo) -> Localized:
        if isinstance(value, Localized):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # "2" or "3.5" typed bare is still text
        if isinstance(value, str):
            return cls(plain=value)
        if not isinstance(value, dict):
            raise PydanticCustomError(
                "text_type",
                "expected text, or a mapping from language code to text (ru: …, en: …)",
            )
        if "same" in value:
            return cls._same(value)
        langs: list[str] = list((info.context or {}).get("languages") or [])
        # texts may be given in more languages than are needed (an application in
        # one of the CV's languages): `allowed` names them all
        allowed: list[str] = list((info.context or {}).get("allowed") or langs)
        for code, text in value.items():
            if allowed and code not in allowed and text is None and not LANG_CODE.match(code):
                raise PydanticCustomError(
                    "flow_comma",
                    "'{code}' reads as a key: inside { … } a comma ends the text; "
                    "put the whole text in quotes, e.g. en: \"Kazan, Russia\"",
                    {"code": code},
                )
            if allowed and code not in allowed:
                raise PydanticCustomError(
                    "unknown_language",
                    "'{code}' is not a declared language (declared: {declared}); "
                    "add it to `languages` or remove this text",
                    {"code": code, "declared": ", ".join(allowed)},
                )
            if isinstance(text, (int, float)) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str):
                raise PydanticCustomError(
                    "text_type", "the '{code}' text must be a string", {"code": code}
                )
            value[code] = text
        missing = [code for code in langs if code not in value]
        if missing:
            raise PydanticCustomError(
                "missing_translation",
                "missing the {which} text; add `{first}: …` here",
                {
                    "which": ", ".join(f"'{m}'" for m in missing),
                    "first": missing[0],
                    "missing": missing,
                },
            )
        return cls(by_lang=dict(value))

    @classmethod
    def _same(cls, value: dict[str, Any]) -> Localized:
        if len(value) > 1:
            raise PydanticCustomError(
                "same_alone", "`same:` is the one text of every language; give it alone, "
                "or give one text per language instead")
        text = value["same"]
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise PydanticCustomError("text_type", "the `same:` text must be a string")
        return cls(plain=text, same=True)

    def serialized(self) -> str | dict[str, str]:
        if self.same:
            return {"same": self.plain or ""}
        return self.plain if self.plain is not None else dict(self.by_lang)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: v.serialized()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "string", "description": "The same text in every language."},
                {
                    "type": "object",
                    "description": "The same text in every language, meant so (a name, a "
                    "technology): the translation check leaves it alone.",
                    "properties": {"same": {"type": "string", "description": "The text."}},
                    "required": ["same"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "description": "One text per declared language, e.g. {ru: …, en: …}.",
                    "propertyNames": {"pattern": LANG_CODE.pattern},
                    "additionalProperties": {"type": "string"},
                    "minProperties": 1,
                },
            ]
        }


Text = Localized

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class CVDate:
    """A date of a CV: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `present`."""

    __slots__ = ("year", "month", "day")

    def __init__(self, year: int | None, month: int | None = None, day: int | None = None):
        self.year, self.month, self.day = year, month, day

    @property
    def is_present(self) -> bool:
        return self.year is None

    def key(self) -> tuple[int, int, int]:
        if self.year is None:
            return (9999, 12, 31)
        return (self.year, self.month or 1, self.day or 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CVDate) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __str__(self) -> str:
        if self.year is None:
            return "present"
        s = f"{self.year:04d}"
        if self.month:
            s += f"-{self.month:02d}"
            if self.day:
                s += f"-{self.day:02d}"
        return s

    __repr__ = __str__

    @classmethod
    def parse(cls, value: Any) -> CVDate:
        if isinstance(value, CVDate):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise PydanticCustomError(
                "cv_date_type", "expected a date as YYYY-MM, YYYY-MM-DD, YYYY or `present`"
            )
        text = value.strip()
        if text.lower() == "present":
            return cls(None)
        m = DATE_RE.match(text)
        if not m:
            raise PydanticCustomError(
                "date_format",
                "'{value}' is not a date; write YYYY-MM (e.g. 2021-09), YYYY-MM-DD, "
                "YYYY or `present`",
                {"value": text},
            )
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is not None and not 1 <= month <= 12:
            raise PydanticCustomError(
                "date_month", "'{value}' has month {month}; months run from 01 to 12",
                {"value": text, "month": month},
            )
        if day is not None and month is not None and year is not None:
            import calendar

            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise PydanticCustomError(
                    "date_day", "'{value}' has day {day}; that month has {last} days",
                    {"value": text, "day": day, "last": last},
                )
        return cls(year, month, day)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"const": "present"},
            ]
        }


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]*$|^https?://localhost[^\s]*$", re.I)
HANDLE_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")


def language_codes(v: list[str]) -> list[str]:
    """A list of language codes, each well formed and none twice (a CV's, an application's)."""
    for code in v:
        if not LANG_CODE.match(code):
            raise PydanticCustomError(
                "language_code",
                "'{code}' is not a language code; use two letters such as ru or en",
                {"code": code},
            )
    if len(set(v)) != len(v):
        raise PydanticCustomError("language_twice", "a language is listed twice")
    return v


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


MARKDOWN = "**bold**, *italic* and [links](https://…) work."  # for fields rendered by | md

TagList = Annotated[
    list[str],
    Field(
        default_factory=list,
        examples=[["research"]],
        description="Tags for tailored variants: `cvbuild pdf --only TAG` keeps untagged "
        "items and those carrying TAG; `--except TAG` leaves out those carrying TAG.",
    ),
]


def _url(value: str | None) -> str | None:
    if value is not None and not URL_RE.fullmatch(value):
        raise PydanticCustomError(
            "url", "'{value}' is not a web address; write it in full, starting with https://",
            {"value": value},
        )
    return value


# A web address written in full (checked by _url); the one type of every `url` field.
Url = Annotated[str, AfterValidator(_url)]


def _handle(value: str | None, site: str, host: str, path: str = "/") -> str | None:
    """A profile's user name, from the name itself (`@` allowed) or from the profile's
    address as a browser shows it: any scheme or none, `www.` or a country subdomain
    (ru.linkedin.com), a trailing slash, a query or fragment (?originalSubdomain=ru)."""
    if value is None:
        return value
    handle = value.strip()
    if "/" in handle:
        parts = urlsplit(handle if "://" in handle else f"https://{handle}")
        where = (parts.hostname or "").lower()
        if (where == host or where.endswith(f".{host}")) and parts.path.lower().startswith(path):
            handle = parts.path[len(path):].strip("/")
    handle = handle.removeprefix("@")
    if not HANDLE_RE.fullmatch(handle):
        raise PydanticCustomError(
            "handle",
            "'{value}' is not a {site} name; write just the user name (e.g. jdoe) or the "
            "profile's address (https://{host}{path}jdoe)",
            {"value": value, "site": site, "host": host, "path": path},
        )
    return handle


class Contacts(Strict):
    """Ways to reach the person; each is optional and becomes a clickable link."""

    email: str | None = Field(
        None, description="E-mail address, e.g. name@example.com.",
        examples=["anna@example.org"],
    )
    phone: str | None = Field(
        None, description="Phone number in international form, e.g. +7 900 123-45-67.",
        examples=["+7 900 123-45-67"],
    )
    website: Url | None = Field(
        None, description="Personal site, a full https:// address.",
        examples=["https://anna.example.org"],
    )
    github: str | None = Field(
        None, description="GitHub user name (or the profile address).",
        examples=["anna"],
    )
    linkedin: str | None = Field(
        None, description="LinkedIn profile name, as in linkedin.com/in/NAME (or the profile address).",
        examples=["https://www.linkedin.com/in/anna-obraztsova/"],
    )
    telegram: str | None = Field(
        None, description="Telegram user name, with or without the @.",
        examples=["@anna"],
    )

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not EMAIL_RE.fullmatch(v):
            raise PydanticCustomError(
                "email", "'{value}' is not an e-mail address; write it as name@example.com",
                {"value": v},
            )
        return v

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        if v is not None and (
            not re.fullmatch(r"\+?[0-9 ()\-.]{5,25}", v) or sum(c.isdigit() for c in v) < 5
        ):
            raise PydanticCustomError(
                "phone", "'{value}' is not a phone number; write digits, spaces, + ( ) -",
                {"value": v},
            )
        return v

    @field_validator("github")
    @classmethod
    def _github(cls, v: str | None) -> str | None:
        return _handle(v, "GitHub", "github.com")

    @field_validator("linkedin")
    @classmethod
    def _linkedin(cls, v: str | None) -> str | None:
        return _handle(v, "LinkedIn", "linkedin.com", "/in/")

    @field_validator("telegram")
    @classmethod
    def _telegram(cls, v: str | None) -> str | None:
        return _handle(v, "Telegram", "t.me")


class Header(Strict):
    """The top of the CV."""

    name: Text = Field(
        description="Full name as it should be printed, per language.",
        examples=[{"ru": "Анна Образцова", "en": "Anna Obraztsova"}],
    )
    headline: Text | None = Field(
        None, description="One line under the name: role or title.",
        examples=[{"ru": "Инженер данных", "en": "Data engineer"}],
    )
    location: Text | None = Field(
        None, description="City and country, if you want them shown.",
        examples=[{"ru": "Казань, Россия", "en": "Kazan, Russia"}],
    )
    photo: str | None = Field(
        None, description="Path to a photo (JPEG or PNG) beside cv.yaml; shown by themes that support one.",
        examples=["photo.jpg"],
    )
    contacts: Contacts = Field(default_factory=Contacts, description="E-mail, phone and profiles.")


class Bullet(Strict):
    """A bullet with an optional bold lead ("Math: …") and nested sub-bullets."""

    lead: Text | None = Field(
        None, description="Bold words that open the bullet, e.g. 'Python'.",
        examples=[{"ru": "Математика", "en": "Mathematics"}],
    )
    text: Text | None = Field(
        None, description="The bullet's text after the lead; " + MARKDOWN,
        examples=[{"ru": "матан и линал", "en": "calculus and linear algebra"}],
    )
    items: list[BulletItem] = Field(
        default_factory=list, description="Nested sub-bullets.",
        examples=[[{"ru": "Теория вероятностей", "en": "Probability theory"}]],
    )
    tags: TagList

    @model_validator(mode="after")
    def _not_empty(self) -> Bullet:
        if self.lead is None and self.text is None and not self.items:
            raise PydanticCustomError("empty_bullet", "a bullet needs `lead`, `text` or `items`")
        return self


def _bullet_kind(value: Any) -> str:
    if isinstance(value, dict) and ({"lead", "text", "items", "tags"} & value.keys()):
        return "Bullet"
    if isinstance(value, Bullet):
        return "Bullet"
    return "Text"


BulletItem = Annotated[
    Annotated[Localized, Tag("Text")] | Annotated[Bullet, Tag("Bullet")],
    Discriminator(_bullet_kind),
]


def _check_range(start: CVDate | None, end: CVDate | None) -> None:
    if start is not None and end is not None and end.key() < start.key():
        raise PydanticCustomError(
            "date_order", "the end ({end}) is before the start ({start}); swap them or fix one",
            {"end": str(end), "start": str(start)},
        )
    if start is not None and start.is_present:
        raise PydanticCustomError("date_start_present", "`start` cannot be `present`")


Highlights = Annotated[
    list[BulletItem],
    Field(default_factory=list, description="Achievements, one bullet each.",
          examples=[[{"ru": "Ускорила загрузку на 60%.", "en": "Cut load time by 60%."}]]),
]


class Paragraph(Strict):
    """A paragraph of text: an entry with `text:`."""

    text: Text = Field(
        description="The paragraph; " + MARKDOWN,
        examples=[{"ru": "Строю **конвейеры данных**.", "en": "I build **data pipelines**."}],
    )
    tags: TagList


class BulletList(Strict):
    """A list of bullets, optionally under a small heading: an entry with `bullets:`."""

    title: Text | None = Field(
        None, description="A sub-heading above the bullets.",
        examples=[{"ru": "Фундамент", "en": "Foundations"}],
    )
    bullets: list[BulletItem] = Field(
        description="The bullets, in order.",
        examples=[[{"ru": "Простой пункт", "en": "A plain bullet"}]],
    )
    tags: TagList


class Dated(Strict):
    """Something with a start and an end: a job, a degree, a project."""

    start: CVDate | None = Field(
        None, description="When it began: YYYY-MM (e.g. 2021-09), YYYY-MM-DD or YYYY.",
        examples=["2021-03"],
    )
    end: CVDate | None = Field(
        None, description="When it ended: YYYY-MM, YYYY-MM-DD, YYYY, or `present` if it goes on.",
        examples=["present"],
    )

    @model_validator(mode="after")
    def _order(self) -> Dated:
        _check_range(self.start, self.end)
        return self


class Experience(Dated):
    """A job: an entry with `company:`."""

    company: Text = Field(
        description="Employer or organisation.",
        examples=[{"ru": "ООО «Пример»", "en": "Example LLC"}],
    )
    position: Text = Field(
        description="Your role there.",
        examples=[{"ru": "Инженер данных", "en": "Data engineer"}],
    )
    location: Text | None = Field(
        None, description="City, country, or 'remote'.",
        examples=[{"ru": "Казань", "en": "Kazan"}],
    )
    url: Url | None = Field(
        None, description="The organisation's site.",
        examples=["https://example.com"],
    )
    summary: Text | None = Field(
        None, description="One or two sentences about the job; " + MARKDOWN,
        examples=[{"ru": "Хранилище на 40 ТБ.", "en": "A 40 TB warehouse."}],
    )
    highlights: Highlights
    tags: TagList


class Education(Dated):
    """A degree, a school or a course: an entry with `institution:`."""

    institution: Text = Field(
        description="University, school or course provider.",
        examples=[{"ru": "КФУ", "en": "Kazan Federal University"}],
    )
    degree: Text | None = Field(
        None, description="Degree or certificate, e.g. 'BSc'.",
        examples=[{"ru": "Магистр", "en": "MSc"}],
    )
    area: Text | None = Field(
        None, description="Field of study.",
        examples=[{"ru": "Прикладная математика", "en": "Applied Mathematics"}],
    )
    location: Text | None = Field(
        None, description="City, country.",
        examples=[{"ru": "Казань", "en": "Kazan"}],
    )
    url: Url | None = Field(
        None, description="The institution's site.",
        examples=["https://kpfu.ru"],
    )
    score: Text | None = Field(
        None, description="Grade or GPA, if worth showing.",
        examples=["GPA 4.9"],
    )
    highlights: Highlights
    tags: TagList


class Project(Dated):
    """Something you built: an entry with `project:`."""

    project: Text = Field(description="The project's name.", examples=["tinyetl"])
    url: Url | None = Field(
        None, description="Where to see it: repository or site.",
        examples=["https://github.com/anna/tinyetl"],
    )
    description: Text | None = Field(
        None, description="What it is, in a sentence or two; " + MARKDOWN,
        examples=[{"ru": "Библиотека для ETL.", "en": "An ETL library."}],
    )
    stack: list[str] = Field(
        default_factory=list, description="Technologies used.",
        examples=[["Python", "SQL"]],
    )
    highlights: Highlights
    tags: TagList


class Publication(Strict):
    """A paper, article or talk: an entry with `publication:`."""

    publication: Text = Field(
        description="The title.",
        examples=[{"ru": "Инкрементальные загрузки", "en": "Incremental loads"}],
    )
    authors: list[str] = Field(
        default_factory=list, description="Authors in order.",
        examples=[["A. Obraztsova", "I. Petrov"]],
    )
    venue: Text | None = Field(None, description="Journal, conference or site.", examples=["PyCon"])
    date: CVDate | None = Field(
        None, description="When it appeared: YYYY-MM or YYYY.",
        examples=["2022-05"],
    )
    url: Url | None = Field(
        None, description="Link to the text, a full https:// address.",
        examples=["https://example.org/talks/incremental-loads"],
    )
    doi: str | None = Field(
        None, description="DOI, e.g. 10.1000/xyz123.",
        examples=["10.1000/xyz123"],
    )
    summary: Text | None = Field(
        None, description="What it is about, in a sentence or two; " + MARKDOWN,
        examples=[{"ru": "Как грузить только новое.", "en": "How to load only what is new."}],
    )
    tags: TagList


class Award(Strict):
    """A prize, diploma or honour: an entry with `award:`."""

    award: Text = Field(
        description="What it is.",
        examples=[{"ru": "Лучший доклад", "en": "Best talk"}],
    )
    issuer: Text | None = Field(None, description="Who gave it.", examples=["PyCon"])
    date: CVDate | None = Field(
        None, description="When it was given: YYYY-MM or YYYY.",
        examples=[2023],
    )
    summary: Text | None = Field(
        None, description="Why it was given; " + MARKDOWN,
        examples=[{"ru": "По голосованию зала.", "en": "Voted by the audience."}],
    )
    tags: TagList


class Certification(Strict):
    """A certificate or licence: an entry with `certification:`."""

    certification: Text = Field(
        description="The certificate's name.",
        examples=["Certified Kubernetes Administrator"],
    )
    issuer: Text | None = Field(None, description="Who issued it.", examples=["CNCF"])
    date: CVDate | None = Field(
        None, description="When it was earned: YYYY-MM or YYYY.", examples=["2024-03"],
    )
    url: Url | None = Field(
        None, description="Where it can be verified, a full https:// address.",
        examples=["https://www.cncf.io/training/certification/cka/"],
    )
    tags: TagList


class SkillGroup(Strict):
    """A labelled group of skills, 'Languages: Python, C++': an entry with `skills:`."""

    label: Text = Field(
        description="The group's name.",
        examples=[{"ru": "Инструменты", "en": "Tools"}],
    )
    skills: list[Text] = Field(
        description="The skills, in order.",
        examples=[["Python", "Airflow", {"ru": "моделирование данных", "en": "data modelling"}]],
    )
    tags: TagList


class SpokenLanguage(Strict):
    """A language you speak and how well: an entry with `language:`."""

    language: Text = Field(
        description="The language.",
        examples=[{"ru": "Английский", "en": "English"}],
    )
    level: Text | None = Field(None, description="How well, e.g. 'native', 'C1'.", examples=["C1"])
    tags: TagList


ENTRY_KINDS: dict[str, type[Strict]] = {
    "text": Paragraph,
    "bullets": BulletList,
    "company": Experience,
    "institution": Education,
    "project": Project,
    "publication": Publication,
    "award": Award,
    "certification": Certification,
    "skills": SkillGroup,
    "language": SpokenLanguage,
}


def _entry_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return type(value).__name__
    if isinstance(value, dict):
        for key, model in ENTRY_KINDS.items():
            if key in value:
                return model.__name__
    return None


Entry = Annotated[
    Annotated[Paragraph, Tag("Paragraph")]
    | Annotated[BulletList, Tag("BulletList")]
    | Annotated[Experience, Tag("Experience")]
    | Annotated[Education, Tag("Education")]
    | Annotated[Project, Tag("Project")]
    | Annotated[Publication, Tag("Publication")]
    | Annotated[Award, Tag("Award")]
    | Annotated[Certification, Tag("Certification")]
    | Annotated[SkillGroup, Tag("SkillGroup")]
    | Annotated[SpokenLanguage, Tag("SpokenLanguage")],
    Discriminator(
        _entry_kind,
        custom_error_type="entry_kind",
        custom_error_message="cannot tell what kind of entry this is; it needs one of the keys "
        + ", ".join(ENTRY_KINDS),
    ),
]

ENTRY_TAGS = frozenset(m.__name__ for m in ENTRY_KINDS.values()) | {"Text", "Bullet"}


SectionKind = Literal[SECTION_KINDS]  # type: ignore[valid-type]


class Section(Strict):
    """A titled part of the CV with its entries in order."""

    title: Text | None = Field(
        None, description="The section's heading, per language; may be left out when `kind` is given.",
        examples=[{"ru": "Опыт работы", "en": "Experience"}],
    )
    kind: SectionKind | None = Field(
        None,
        description="A standard section (experience, education, skills, …): its title is "
        "then printed in each language without being spelled out. `title` wins if both are given.",
        examples=["experience"],
    )
    entries: list[Entry] = Field(min_length=1, description="The section's entries, in order.")
    tags: TagList

    @model_validator(mode="after")
    def _titled(self) -> Section:
        if self.title is None and self.kind is None:
            raise PydanticCustomError(
                "section_title",
                "a section needs a `title`, or a `kind` such as experience, education or skills",
            )
        return self


HEX_COLOUR = re.compile(r"^#?([0-9A-Fa-f]{6})$")


class Theme(Strict):
    """How the PDF looks. Options left out come from the theme's theme.yaml."""

    name: str = Field(
        "classic", description="Theme name: a built-in one or a folder beside cv.yaml.",
        examples=["modern"],
    )
    accent: str | None = Field(
        None, description="Accent colour as a hex RGB value, e.g. '#1F3A5F'.",
        examples=["#0E5E6F"],
    )
    font: str | None = Field(
        None, description="Main font family; must be installed and have Cyrillic (e.g. PT Serif, PT Sans, DejaVu Serif).",
        examples=["PT Sans"],
    )
    paper: Literal["a4", "letter"] | None = Field(
        None, description="Paper size: a4 or letter.",
        examples=["a4"],
    )
    margins: float | None = Field(
        None, ge=8, le=40, description="Page margins in millimetres (8–40).",
        examples=[16],
    )
    font_size: Literal[10, 11, 12] | None = Field(
        None, description="Body text size in points: 10, 11 or 12.",
        examples=[10],
    )
    # The design options below are honoured by the themes that say so in their
    # theme.yaml (`honours:`); giving one to a theme that ignores it is a warning.
    text_color: str | None = Field(
        None, description="Colour of the body text, six hex digits, e.g. '#222222'.",
        examples=["#222222"],
    )
    link_color: str | None = Field(
        None, description="Colour of clickable text (contacts, addresses), six hex digits; "
        "leave it out to print links in the text colour.",
        examples=["#0055AA"],
    )
    heading_font: str | None = Field(
        None, description="Font family of the name and section titles; must be installed and "
        "have Cyrillic (e.g. PT Sans, PT Serif, DejaVu Sans).",
        examples=["PT Sans"],
    )
    section_style: Literal["rule", "underline", "band", "plain"] | None = Field(
        None, description="Section titles: rule (a full-width line under the title), underline "
        "(a short accent bar), band (a tinted band behind the title) or plain (the title alone).",
        examples=["rule"],
    )
    date_position: Literal["right", "left", "below"] | None = Field(
        None, description="Where an entry's dates go: right (flush right on its title line), "
        "left (a column of their own, left of the entry) or below (under the title).",
        examples=["left"],
    )
    header_align: Literal["left", "center"] | None = Field(
        None, description="The name, headline and contacts: left or center.",
        examples=["center"],
    )
    density: Literal["compact", "normal", "airy"] | None = Field(
        None, description="Vertical spacing between sections, entries and bullets: compact, normal or airy.",
        examples=["compact"],
    )
    bullet: Literal["bullet", "dash", "triangle", "square", "circle"] | None = Field(
        None, description="The symbol of first-level bullets: bullet •, dash –, triangle ‣, square ▪ or circle ◦.",
        examples=["triangle"],
    )
    photo_shape: Literal["circle", "rounded", "square"] | None = Field(
        None, description="The photo's frame: circle, rounded (a square with rounded corners) or square.",
        examples=["circle"],
    )
    photo_size: float | None = Field(
        None, ge=15, le=50, description="The photo's width in millimetres (15–50).",
        examples=[30],
    )
    link_display: Literal["address", "label", "title"] | None = Field(
        None, description="How an entry's web address is shown: address (in full), label (short: "
        "'github.com/anna/x', 'DOI 10.1000/xyz') or title (the entry's title is the link, no "
        "address printed). The full address is always the link's target; contacts are always "
        "shown short ('github.com/anna').",
        examples=["label"],
    )
    icons: bool | None = Field(
        None, description="Draw an icon before each contact (drawn shapes: they add nothing to "
        "the text a parser reads).",
        examples=[True],
    )

    @field_validator("accent", "text_color", "link_color")
    @classmethod
    def _accent(cls, v: str | None) -> str | None:
        if v is None:
            return v
        m = HEX_COLOUR.match(v.strip())
        if not m:
            raise PydanticCustomError(
                "colour", "'{value}' is not a colour; write six hex digits, e.g. '#1F3A5F'",
                {"value": v},
            )
        return m.group(1).upper()

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", v):
            raise PydanticCustomError(
                "theme_name", "'{value}' is not a theme name; use letters, digits, - and _",
                {"value": v},
            )
        return v


class Options(Strict):
    """How the content is written out, whatever the theme."""

    date_style: Literal["auto", "long", "short"] = Field(
        "auto",
        description="Months in dates: long ('январь 2020', 'January 2020'), short ('янв. 2020', "
        "'Jan 2020'), or auto: each language's custom (Russian long, English short).",
        examples=["long"],
    )
    show_durations: bool = Field(
        False, description="Print how long each job lasted ('1 год 2 месяца', '1 year 2 months').",
        examples=[True],
    )
    emoji: Literal["draw", "remove"] = Field(
        "draw",
        description="Emoji in the text: draw them as vector images (twemojis) or leave them out with a warning.",
        examples=["remove"],
    )
    bold_keywords: list[Text] = Field(
        default_factory=list,
        description="Words set in bold wherever they appear in prose (summaries, bullets, "
        "descriptions), whole words only, as typed: one text for every language or one per "
        "language, e.g. [PyTorch, {ru: глубокое обучение, en: deep learning}].",
        examples=[["PyTorch", {"ru": "глубокое обучение", "en": "deep learning"}]],
    )
    fit: int | None = Field(
        None, ge=1, le=20,
        description="Pages each PDF must fit: the build tightens the spacing, then the font "
        "size, within the theme's limits, and warns when that is not enough.",
        examples=[2],
    )


class Labels(Strict):
    """The words cvbuild prints itself in one language: for a language with no built-in
    table, or to change one of the table's words."""

    cv: str | None = Field(
        None, description="The word for a CV, in the PDF's title: 'Lebenslauf'.",
        examples=["Lebenslauf"],
    )
    present: str | None = Field(
        None, description="The end of a range that goes on: 'heute'.",
        examples=["heute"],
    )
    present_short: str | None = Field(
        None, description="The same, for date_style: short (default: `present`).",
        examples=["heute"],
    )
    page: str | None = Field(
        None, description="'page N of M' with the placeholders {page} and {pages}: "
        "'Seite {page} von {pages}'.",
        examples=["Seite {page} von {pages}"],
    )
    summary: str | None = Field(
        None, description="The title of a `kind: summary` section.",
        examples=["Profil"],
    )
    experience: str | None = Field(
        None, description="The title of a `kind: experience` section.",
        examples=["Berufserfahrung"],
    )
    education: str | None = Field(
        None, description="The title of a `kind: education` section.",
        examples=["Ausbildung"],
    )
    skills: str | None = Field(
        None, description="The title of a `kind: skills` section.",
        examples=["Kenntnisse"],
    )
    projects: str | None = Field(
        None, description="The title of a `kind: projects` section.",
        examples=["Projekte"],
    )
    publications: str | None = Field(
        None, description="The title of a `kind: publications` section.",
        examples=["Veröffentlichungen"],
    )
    awards: str | None = Field(
        None, description="The title of a `kind: awards` section.",
        examples=["Auszeichnungen"],
    )
    certifications: str | None = Field(
        None, description="The title of a `kind: certifications` section.",
        examples=["Zertifikate"],
    )
    languages: str | None = Field(
        None, description="The title of a `kind: languages` section.",
        examples=["Sprachen"],
    )
    volunteering: str | None = Field(
        None, description="The title of a `kind: volunteering` section.",
        examples=["Ehrenamt"],
    )
    interests: str | None = Field(
        None, description="The title of a `kind: interests` section.",
        examples=["Interessen"],
    )
    references: str | None = Field(
        None, description="The title of a `kind: references` section.",
        examples=["Referenzen"],
    )
    polyglossia: str | None = Field(
        None, description="polyglossia's name of the language (default: its English name in lower case).",
        examples=["german"],
    )
    date_style: Literal["long", "short"] | None = Field(
        None, description="The months this language's CV uses: long or short.",
        examples=["long"],
    )

    @field_validator("page")
    @classmethod
    def _page(cls, v: str | None) -> str | None:
        if v is not None and not ("{page}" in v and "{pages}" in v):
            raise PydanticCustomError(
                "label_page", "needs both {page} and {pages}, e.g. 'Seite {page} von {pages}'")
        return v


class CV(Strict):
    """A résumé in one or more languages."""

    languages: list[str] = Field(
        min_length=1, max_length=MAX_LANGUAGES,
        description="Language codes this file is written in, e.g. [ru, en].",
        examples=[["ru", "en"]],
    )
    header: Header = Field(description="Name, headline and contacts.")
    sections: list[Section] = Field(default_factory=list, description="The CV's sections, in order.")
    theme: Theme = Field(default_factory=Theme, description="Theme and its options.")
    options: Options = Field(default_factory=Options, description="Dates, durations and emoji.")
    max_pages: int = Field(
        2, ge=1, le=20, description="Page limit: `cvbuild pdf` warns and `cvbuild check` fails beyond it.",
        examples=[1],
    )
    labels: dict[str, Labels] = Field(
        default_factory=dict,
        description="Per language, the words cvbuild prints itself (section titles, 'present', "
        "'page N of M'): needed for a language with no built-in table, e.g. labels: {sv: {cv: CV, …}}.",
        examples=[{"en": {"present": "to date"}}],
    )

    @field_validator("languages")
    @classmethod
    def _langs(cls, v: list[str]) -> list[str]:
        return language_codes(v)


Bullet.model_rebuild()


def tags_of(cv: CV) -> list[str]:
    """Every tag the CV's sections, entries and bullets carry, sorted."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            found.update(getattr(value, "tags", None) or ())
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(cv)
    return sorted(found)


@dataclass(frozen=True)
class Variant:
    """A tailored variant: which tagged items a build keeps. An untagged item is always
    kept; a tagged one is kept when it has one of the `only` tags (or `only` is empty)
    and none of the `leave_out` tags (`--except`). Its repr is part of the build's cache
    key, so the tags are kept sorted."""

    only: tuple[str, ...] = ()
    leave_out: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "only", tuple(sorted(set(self.only))))
        object.__setattr__(self, "leave_out", tuple(sorted(set(self.leave_out))))

    @classmethod
    def of(cls, only: list[str] | None, leave_out: list[str] | None = None) -> Variant | None:
        """The variant of the command-line options, None for the whole CV."""
        variant = cls(tuple(only or ()), tuple(leave_out or ()))
        return variant if variant.only or variant.leave_out else None

    def keeps(self, tags: list[str] | None) -> bool:
        if not tags:
            return True
        if any(t in self.leave_out for t in tags):
            return False
        return not self.only or any(t in self.only for t in tags)
