"""The typed view: one CV in one language, as the templates and the exporters read it.

localize() makes it from the validated CV: every text resolved to the language (a
`Sourced` string that remembers its cv.yaml path), dates formatted, items filtered
by tag. One dataclass per model class, with the same field names, so a template reads
`entry.company` whichever it is given; `kind` names the model the entry came from.

Adding an entry kind: its model (source/model.py), a dataclass here registered in
VIEWS, and one partial (templates/base/entries/<kind>.tex.j2).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Union

from cvbuild.source.model import (
    Award,
    Bullet,
    BulletList,
    Certification,
    Education,
    Experience,
    Header,
    Paragraph,
    Project,
    Publication,
    Section,
    SkillGroup,
    SpokenLanguage,
)
from cvbuild.source.reader import Path_


class Sourced(str):
    """Text of the view that remembers the path in cv.yaml it came from, so that the
    renderer can record where it lands in the .tex (and a TeX warning can name it)."""

    path: Path_

    def __new__(cls, text: str, path: Path_) -> Sourced:
        obj = super().__new__(cls, text)
        obj.path = path
        return obj


@dataclass(frozen=True)
class Link:
    """A contact as a link whose visible text is the readable address itself."""

    kind: str
    href: str
    text: str


@dataclass(frozen=True)
class BulletView:
    kind: ClassVar[str] = "Bullet"
    lead: Sourced | None
    text: Sourced | None
    items: list[BulletItem]


BulletItem = Union[Sourced, BulletView]  # noqa: UP007 (a runtime alias of a forward name)


@dataclass(frozen=True)
class ParagraphView:
    kind: ClassVar[str] = "Paragraph"
    text: Sourced


@dataclass(frozen=True)
class BulletListView:
    kind: ClassVar[str] = "BulletList"
    title: Sourced | None
    bullets: list[BulletItem]


@dataclass(frozen=True)
class DatedView:
    """What every entry with a start and an end has: the dates as printed ("январь
    2020 — настоящее время") and, for jobs, how long ("2 года 3 месяца")."""

    start: Sourced | None
    end: Sourced | None
    dates: Sourced | None
    duration: Sourced | None


@dataclass(frozen=True)
class ExperienceView(DatedView):
    kind: ClassVar[str] = "Experience"
    company: Sourced
    position: Sourced
    location: Sourced | None
    url: Sourced | None
    summary: Sourced | None
    highlights: list[BulletItem]


@dataclass(frozen=True)
class EducationView(DatedView):
    kind: ClassVar[str] = "Education"
    institution: Sourced
    degree: Sourced | None
    area: Sourced | None
    location: Sourced | None
    url: Sourced | None
    score: Sourced | None
    highlights: list[BulletItem]


@dataclass(frozen=True)
class ProjectView(DatedView):
    kind: ClassVar[str] = "Project"
    project: Sourced
    url: Sourced | None
    description: Sourced | None
    stack: list[Sourced]
    highlights: list[BulletItem]


@dataclass(frozen=True)
class PublicationView:
    kind: ClassVar[str] = "Publication"
    publication: Sourced
    authors: list[Sourced]
    venue: Sourced | None
    date: Sourced | None
    url: Sourced | None
    doi: Sourced | None
    summary: Sourced | None


@dataclass(frozen=True)
class AwardView:
    kind: ClassVar[str] = "Award"
    award: Sourced
    issuer: Sourced | None
    date: Sourced | None
    summary: Sourced | None


@dataclass(frozen=True)
class CertificationView:
    kind: ClassVar[str] = "Certification"
    certification: Sourced
    issuer: Sourced | None
    date: Sourced | None
    url: Sourced | None


@dataclass(frozen=True)
class SkillGroupView:
    kind: ClassVar[str] = "SkillGroup"
    label: Sourced
    skills: list[Sourced]


@dataclass(frozen=True)
class SpokenLanguageView:
    kind: ClassVar[str] = "SpokenLanguage"
    language: Sourced
    level: Sourced | None


EntryView = Union[  # noqa: UP007
    ParagraphView, BulletListView, ExperienceView, EducationView, ProjectView,
    PublicationView, AwardView, CertificationView, SkillGroupView, SpokenLanguageView,
]


@dataclass(frozen=True)
class SectionView:
    title: Sourced
    section_kind: str | None
    entries: list[EntryView]

    @property
    def dates(self) -> list[Sourced]:
        """The dates, ranges and durations its entries print, in order: what a date
        column (date_position: left) holds and is sized to; none, and it needs none."""
        return [date for entry in self.entries for name in ("dates", "date", "duration")
                if (date := getattr(entry, name, None))]


@dataclass(frozen=True)
class HeaderView:
    name: Sourced
    headline: Sourced | None
    location: Sourced | None
    links: list[Link]
    photo: str | None = None  # the photo's file name in the build folder, set by the pipeline


@dataclass(frozen=True)
class CVView:
    lang: str
    words: dict[str, Any]  # the language's labels and settings (text.locales.words)
    header: HeaderView
    sections: list[SectionView]
    keywords: list[str] = field(default_factory=list)
    emoji: list[str] = field(default_factory=list)
    bold_keywords: list[str] = field(default_factory=list)  # set in bold in prose
    pdfa: bool = False

    @property
    def dated(self) -> bool:
        """Whether this PDF shows a date (an entry's date, range or duration): a date
        column (date_position: left) has something to hold."""
        return any(section.dates for section in self.sections)


# The entry kinds that may link to a page of their own (`url`).
LINKED = (ExperienceView, EducationView, ProjectView, PublicationView, CertificationView)

# The model class each view class is made from (localize reads the fields by name).
VIEWS: dict[type, type] = {
    Bullet: BulletView,
    Paragraph: ParagraphView,
    BulletList: BulletListView,
    Experience: ExperienceView,
    Education: EducationView,
    Project: ProjectView,
    Publication: PublicationView,
    Award: AwardView,
    Certification: CertificationView,
    SkillGroup: SkillGroupView,
    SpokenLanguage: SpokenLanguageView,
    Section: SectionView,
    Header: HeaderView,
}


def field_names(view_class: type) -> list[str]:
    return [f.name for f in fields(view_class)]


def strings(node: Any) -> Iterator[str]:
    """Every text of a view (or of any part of it), in order."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)
    elif isinstance(node, Link):
        yield node.text
    elif hasattr(node, "__dataclass_fields__"):
        for f in fields(node):
            yield from strings(getattr(node, f.name))


def entries(view: CVView) -> Iterator[EntryView]:
    """Every entry of the view, section after section."""
    for section in view.sections:
        yield from section.entries
