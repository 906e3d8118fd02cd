"""JSON Resume (jsonresume.org, schema v1.0.0) in and out.

Import: a resume.json becomes the plain data of a one-language cv.yaml. Every value
goes through our own model, field by field, so what our schema refuses (a bad
address, an end before a start) is left out with a warning instead of failing the
build later; what has no place in our schema is listed as a warning too.

Export: one language of a CV becomes a JSON Resume document, checked against the
official schema (bundled in jsonresume_schema/) before anyone writes it.

Which JSON Resume list a section belongs to is told by the section's title
(SECTION_TITLES, any language) and, failing that, by the kind of its entries.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from cvbuild.errors import CvbuildError, InputError, Problem
from cvbuild.interop.starter import write_schema_beside
from cvbuild.source.model import (
    CV,
    Award,
    Bullet,
    BulletList,
    Certification,
    Contacts,
    Education,
    Experience,
    Localized,
    Paragraph,
    Project,
    Publication,
    Section,
    SkillGroup,
    SpokenLanguage,
)
from cvbuild.source.schema import MODELINE
from cvbuild.text.locales import LANGUAGES, section_title, todo_labels

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"

# The sections import writes, in the JSON Resume schema's order, with their titles;
# export recognises a section by any of these titles (case aside).
SECTION_TITLES: dict[str, dict[str, list[str]]] = {
    "summary": {"en": ["Summary", "About", "Profile"], "ru": ["О себе", "Обо мне", "Резюме"]},
    "work": {"en": ["Experience", "Work experience", "Work"], "ru": ["Опыт работы", "Опыт"]},
    "volunteer": {"en": ["Volunteering", "Volunteer work"], "ru": ["Волонтёрство", "Волонтерство"]},
    "education": {"en": ["Education"], "ru": ["Образование"]},
    "awards": {"en": ["Awards", "Honours", "Honors"], "ru": ["Награды", "Достижения"]},
    "certificates": {"en": ["Certificates", "Certifications"], "ru": ["Сертификаты"]},
    "publications": {"en": ["Publications"], "ru": ["Публикации"]},
    "skills": {"en": ["Skills"], "ru": ["Навыки"]},
    "languages": {"en": ["Languages"], "ru": ["Языки", "Владение языками"]},
    "interests": {"en": ["Interests"], "ru": ["Интересы"]},
    "references": {"en": ["References"], "ru": ["Рекомендации"]},
    "projects": {"en": ["Projects"], "ru": ["Проекты"]},
}
# Lists whose entries have a start and an end: no endDate after a startDate means "still".
_RANGED = {"work", "volunteer", "education", "projects"}
# Document metadata, not CV content: dropped without a warning.
_METADATA = {"$schema", "meta"}
_PROFILES = {"github": "github", "linkedin": "linkedin", "telegram": "telegram"}
_PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}


@dataclass(frozen=True)
class Note:
    """A value that could not be carried over, at its JSON Resume path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


# ---------------------------------------------------------------- the schema


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The official JSON Resume schema (draft-07), bundled with the package."""
    text = resources.files("cvbuild.interop").joinpath("jsonresume_schema/schema.json").read_text("utf-8")
    return json.loads(text)


def _json_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_problems(doc: Any, *, formats: bool) -> list[tuple[str, str]]:
    """(path, message) for every way `doc` breaks the schema; `formats` checks email/uri too."""
    from jsonschema.validators import validator_for

    cls = validator_for(schema())  # picks Draft7Validator from the schema's $schema
    validator = cls(schema(), format_checker=cls.FORMAT_CHECKER if formats else None)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    return [(_json_path(e.absolute_path), e.message) for e in errors]


# ---------------------------------------------------------------- import


def read_json(path: Path) -> Any:
    """Parse a JSON file, or raise an InputError saying where it is broken."""
    from cvbuild.source.reader import read_text

    if not path.exists():
        raise InputError([Problem(str(path), None, None, "", "no such file")])
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(str(path), exc.lineno, exc.colno, "", f"not valid JSON: {exc.msg}")]
        ) from None


class _Importer:
    def __init__(self, lang: str, json_dir: Path | None, out_dir: Path | None):
        self.lang = lang
        self.json_dir = json_dir
        self.out_dir = out_dir
        self.notes: list[Note] = []

    def note(self, path: str, message: str) -> None:
        self.notes.append(Note(path, message))

    def leftovers(self, rest: dict[str, Any], path: str) -> None:
        for key, value in rest.items():
            if value not in (None, "", [], {}):
                where = f"{path}.{key}" if path else key
                self.note(where, "cvbuild's CV has no place for this; left out")

    def fit(
        self, model: type[BaseModel], data: dict[str, Any], path: str, names: dict[str, str]
    ) -> dict | None:
        """Validate `data` as `model`; leave out (with a note) each optional field it refuses.

        `names` maps our field names back to the JSON Resume keys they came from."""
        from cvbuild.source.validate import message

        data = {k: v for k, v in data.items() if v not in (None, "", [])}
        while True:
            try:
                fitted = model.model_validate(data, context={"languages": [self.lang]})
                # the model's own form of each value: a profile address becomes the user name
                dumped = fitted.model_dump(exclude_unset=True)
                return {key: dumped[key] for key in data}
            except ValidationError as exc:
                err = exc.errors(include_url=False)[0]
                field = err["loc"][0] if err["loc"] else ("end" if "end" in data else None)
                required = field is not None and model.model_fields[str(field)].is_required()
                if err["type"] == "missing":
                    self.note(
                        path,
                        f"`{names.get(str(field), field)}` is missing and cvbuild needs "
                        "it; the entry is left out",
                    )
                    return None
                if field is None or field not in data or required:
                    what = f"{names.get(str(field), field)}: " if field else ""
                    self.note(path, f"{what}{message(err)}; the entry is left out")
                    return None
                self.note(f"{path}.{names.get(str(field), field)}", f"{message(err)}; left out")
                del data[field]

    def entries(self, doc: dict, key: str, convert) -> list[dict]:
        out = []
        for i, item in enumerate(doc.get(key) or []):
            path = f"{key}[{i}]"
            rest = dict(item)
            entry = convert(rest, path)
            self.leftovers(rest, path)
            if entry is not None:
                out.append(entry)
        return out

    @staticmethod
    def dates(rest: dict, key: str) -> dict[str, Any]:
        """startDate/endDate → start/end; a start with no end in a ranged list is `present`."""
        start, end = rest.pop("startDate", None), rest.pop("endDate", None)
        if key in _RANGED and start and not end:
            end = "present"
        return {"start": start, "end": end}

    # --- one converter per JSON Resume list

    def work(self, rest: dict, path: str, key: str = "work") -> dict | None:
        company_key = "name" if key == "work" else "organization"
        data = {
            "company": rest.pop(company_key, None),
            "position": rest.pop("position", None),
            **self.dates(rest, key),
            "location": rest.pop("location", None),
            "url": rest.pop("url", None),
            "summary": rest.pop("summary", None),
            "highlights": [h for h in rest.pop("highlights", None) or [] if h],
        }
        names = {"company": company_key, "start": "startDate", "end": "endDate"}
        return self.fit(Experience, data, path, names)

    def volunteer(self, rest: dict, path: str) -> dict | None:
        return self.work(rest, path, "volunteer")

    def education(self, rest: dict, path: str) -> dict | None:
        data = {
            "institution": rest.pop("institution", None),
            "degree": rest.pop("studyType", None),
            "area": rest.pop("area", None),
            **self.dates(rest, "education"),
            "url": rest.pop("url", None),
            "score": rest.pop("score", None),
            "highlights": [c for c in rest.pop("courses", None) or [] if c],
        }
        names = {
            "degree": "studyType",
            "highlights": "courses",
            "start": "startDate",
            "end": "endDate",
        }
        return self.fit(Education, data, path, names)

    def awards(self, rest: dict, path: str) -> dict | None:
        data = {
            "award": rest.pop("title", None),
            "issuer": rest.pop("awarder", None),
            "date": rest.pop("date", None),
            "summary": rest.pop("summary", None),
        }
        return self.fit(Award, data, path, {"award": "title", "issuer": "awarder"})

    def certificates(self, rest: dict, path: str) -> dict | None:
        data = {
            "certification": rest.pop("name", None),
            "issuer": rest.pop("issuer", None),
            "date": rest.pop("date", None),
            "url": rest.pop("url", None),
        }
        return self.fit(Certification, data, path, {"certification": "name"})

    def publications(self, rest: dict, path: str) -> dict | None:
        data = {
            "publication": rest.pop("name", None),
            "venue": rest.pop("publisher", None),
            "date": rest.pop("releaseDate", None),
            "url": rest.pop("url", None),
            "summary": rest.pop("summary", None),
        }
        names = {"publication": "name", "venue": "publisher", "date": "releaseDate"}
        return self.fit(Publication, data, path, names)

    def skills(self, rest: dict, path: str) -> dict | None:
        data = {
            "label": rest.pop("name", None),
            "skills": [k for k in rest.pop("keywords", None) or [] if k],
        }
        return self.fit(SkillGroup, data, path, {"label": "name", "skills": "keywords"})

    interests = skills

    def languages(self, rest: dict, path: str) -> dict | None:
        data = {"language": rest.pop("language", None), "level": rest.pop("fluency", None)}
        return self.fit(SpokenLanguage, data, path, {"level": "fluency"})

    def references(self, rest: dict, path: str) -> dict | None:
        text = rest.pop("reference", None)
        if not text:
            if rest.get("name"):
                self.note(f"{path}.name", "a reference without its text; left out")
                rest.pop("name")
            return None
        data = {"title": rest.pop("name", None), "bullets": [text]}
        return self.fit(BulletList, data, path, {"title": "name", "bullets": "reference"})

    def projects(self, rest: dict, path: str) -> dict | None:
        data = {
            "project": rest.pop("name", None),
            **self.dates(rest, "projects"),
            "description": rest.pop("description", None),
            "url": rest.pop("url", None),
            "stack": [k for k in rest.pop("keywords", None) or [] if k],
            "highlights": [h for h in rest.pop("highlights", None) or [] if h],
        }
        names = {"project": "name", "stack": "keywords", "start": "startDate", "end": "endDate"}
        return self.fit(Project, data, path, names)

    # --- the header

    def header(self, basics: dict) -> dict:
        rest = dict(basics)
        name = rest.pop("name", None)
        if not name or not str(name).strip():
            raise CvbuildError(
                "basics.name is missing: a CV needs the person's name; add it to the JSON file"
            )
        header: dict[str, Any] = {"name": name}
        if rest.get("label"):
            header["headline"] = rest.pop("label")
        location = self.location(rest.pop("location", None) or {})
        if location:
            header["location"] = location
        photo = self.photo(rest.pop("image", None))
        if photo:
            header["photo"] = photo
        contacts = {
            "email": rest.pop("email", None),
            "phone": rest.pop("phone", None),
            "website": rest.pop("url", None),
        }
        for i, profile in enumerate(rest.pop("profiles", None) or []):
            self.profile(dict(profile), f"basics.profiles[{i}]", contacts)
        names = {
            "website": "url",
            "github": "profiles",
            "linkedin": "profiles",
            "telegram": "profiles",
        }
        contacts = self.fit(Contacts, contacts, "basics", names) or {}
        if contacts:
            header["contacts"] = contacts
        rest.pop("summary", None)  # becomes the first section
        self.leftovers(rest, "basics")
        return header

    def location(self, loc: dict) -> str | None:
        rest = dict(loc)
        parts = [rest.pop(k, None) for k in ("city", "region", "countryCode")]
        for key in ("address", "postalCode"):
            if rest.pop(key, None):
                self.note(
                    f"basics.location.{key}",
                    "cvbuild shows only city, region and country; left out",
                )
        self.leftovers(rest, "basics.location")
        return ", ".join(p.strip() for p in parts if p and p.strip()) or None

    def photo(self, image: str | None) -> str | None:
        if not image:
            return None
        if "://" in image:
            self.note(
                "basics.image",
                "a web address; cvbuild takes a photo file: save it beside "
                "cv.yaml and set header.photo",
            )
            return None
        found = (self.json_dir or Path(".")) / image
        if not found.is_file() or found.suffix.lower() not in _PHOTO_SUFFIXES:
            self.note(
                "basics.image", f"no JPEG or PNG file at '{image}' beside the JSON file; left out"
            )
            return None
        base = self.out_dir or Path(".")
        return Path(os.path.relpath(found.resolve(), base.resolve())).as_posix()

    def profile(self, rest: dict, path: str, contacts: dict) -> None:
        network = str(rest.pop("network", "") or "")
        field = _PROFILES.get(network.strip().lower())
        username, url = rest.pop("username", None), rest.pop("url", None)
        if field is None:
            self.note(
                path,
                f"cvbuild has no place for a {network or 'nameless'} profile "
                "(only GitHub, LinkedIn, Telegram); left out",
            )
        elif contacts.get(field):
            self.note(path, f"a second {network} profile; only the first is kept")
        else:
            contacts[field] = username or url
        self.leftovers(rest, path)


_CONVERTERS = [
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
]


# The kind of section (text.locales.SECTION_KINDS) each JSON Resume list is.
_KIND_OF_KEY = {
    "summary": "summary", "work": "experience", "volunteer": "volunteering",
    "education": "education", "awards": "awards", "certificates": "certifications",
    "publications": "publications", "skills": "skills", "languages": "languages",
    "interests": "interests", "references": "references", "projects": "projects",
}
_KEY_OF_KIND = {kind: key for key, kind in _KIND_OF_KEY.items()}


def _title(key: str, lang: str) -> str:
    """A section's title in the language imported into: the table's (text.locales), or
    for a language with no table the English one as a TODO marker to translate."""
    titles = SECTION_TITLES[key]
    if lang in titles:
        return titles[lang][0]
    if lang in LANGUAGES:
        return section_title(_KIND_OF_KEY[key], lang)
    return "TODO: " + titles["en"][0]


def from_jsonresume(
    doc: Any,
    lang: str = "en",
    *,
    json_dir: Path | None = None,
    out_dir: Path | None = None,
    file: str = "resume.json",
) -> tuple[dict[str, Any], list[Note]]:
    """A JSON Resume document → the plain data of a cv.yaml in `lang`, and what was left out."""
    problems = schema_problems(doc, formats=False)
    if problems:
        raise InputError(
            [Problem(file, None, None, path, f"not a JSON Resume: {msg}") for path, msg in problems]
        )
    imp = _Importer(lang, json_dir, out_dir)
    basics = doc.get("basics") or {}
    header = imp.header(basics)
    sections: list[dict[str, Any]] = []
    if basics.get("summary"):
        sections.append(
            {"title": _title("summary", lang), "entries": [{"text": basics["summary"]}]}
        )
    for key in _CONVERTERS:
        entries = imp.entries(doc, key, getattr(imp, key))
        if entries:
            sections.append({"title": _title(key, lang), "entries": entries})
    imp.leftovers(
        {
            k: v
            for k, v in doc.items()
            if k not in _CONVERTERS and k not in _METADATA and k != "basics"
        },
        "",
    )
    data = {"languages": [lang], "header": header, "sections": sections}
    if todo_labels(lang):  # no built-in words for this language: TODO markers to translate
        data["labels"] = {lang: todo_labels(lang)}
        imp.notes.append(Note("", f"cvbuild has no built-in words for '{lang}': translate the "
                                  "TODO markers of the `labels:` block"))
    from cvbuild.source.reader import Positions
    from cvbuild.source.validate import validate_cv

    validate_cv(data, Positions(), file)  # every value was fitted: this only guards the code
    return data, imp.notes


class _Dumper(yaml.SafeDumper):
    """Block style; text with line breaks as a `|` block."""


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(data: dict[str, Any], source: str = "") -> str:
    """The cv.yaml text: the schema line, a comment saying where it came from, block YAML."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    lang = data["languages"][0]
    note = f"# Imported from {source} by `cvbuild import`. Build: cvbuild pdf --lang {lang}\n"
    return MODELINE + "\n" + note + body


def import_file(src: Path, out: Path, lang: str = "en", *,
                force: bool = False) -> tuple[list[Note], list[Path]]:
    """resume.json → cv.yaml (refusing to overwrite unless `force`), with schema.json
    beside it when there is none (its first line points editors there, as `init`'s
    does); returns the notes and the files written."""
    from cvbuild.pipeline.run import write_atomic
    from cvbuild.source.model import LANG_CODE

    if not LANG_CODE.match(lang):
        raise CvbuildError(f"'{lang}' is not a language code; use two letters such as en or ru")
    doc = read_json(src)
    if out.exists() and not force:
        raise CvbuildError(f"{out} already exists; choose another file with -o, or pass --force")
    data, notes = from_jsonresume(doc, lang, json_dir=src.parent, out_dir=out.parent, file=str(src))
    write_atomic(out, to_yaml(data, src.name).encode("utf-8"))
    return notes, [out, *write_schema_beside(out, force)]


# ---------------------------------------------------------------- export


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


_BY_TITLE = {
    **{_fold(section_title(kind, code)): key
       for key, kind in _KIND_OF_KEY.items() for code in LANGUAGES},
    **{_fold(t): key
       for key, by_lang in SECTION_TITLES.items()
       for titles in by_lang.values()
       for t in titles},
}


def section_key(section: Section) -> str | None:
    """Which JSON Resume list a section is: told by its title in any of its languages
    (any language of the table's titles too), else by its kind."""
    for text in section.title.texts() if section.title is not None else ():
        if _fold(text) in _BY_TITLE:
            return _BY_TITLE[_fold(text)]
    return _KEY_OF_KIND.get(section.kind or "")


def _date(d: Any) -> str | None:
    return None if d is None or d.is_present else str(d)


def _range(entry: Any) -> dict[str, str]:
    """startDate/endDate: `present` is no endDate; a single date is start = end."""
    out = {}
    start, end = _date(entry.start), _date(entry.end)
    if start:
        out["startDate"] = start
    if end:
        out["endDate"] = end
    elif start and entry.end is None:
        out["endDate"] = start
    return out


def _bullets(items: list[Any], lang: str) -> list[str]:
    """Bullets as JSON Resume strings: a lead as **bold**, sub-bullets as strings after it."""
    out = []
    for item in items:
        if isinstance(item, Localized):
            out.append(item.get(lang))
            continue
        assert isinstance(item, Bullet)
        lead, text = (
            (item.lead.get(lang) if item.lead else None),
            (item.text.get(lang) if item.text else None),
        )
        head = f"**{lead}**: {text}" if lead and text else (f"**{lead}**" if lead else text)
        if head:
            out.append(head)
        out.extend(_bullets(item.items, lang))
    return out


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v not in (None, "", [], {})}


def _location(text: str) -> dict[str, str]:
    """Our one-line location → JSON Resume parts: 'City, Region, CC' splits, else all is city."""
    import re

    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 3 and re.fullmatch(r"[A-Z]{2}", parts[-1]):
        return {"city": parts[0], "region": ", ".join(parts[1:-1]), "countryCode": parts[-1]}
    return {"city": text}


def to_jsonresume(cv: CV, lang: str) -> tuple[dict[str, Any], list[Note]]:
    """One language of a CV as a JSON Resume document (not yet checked), and what moved oddly."""
    from cvbuild.interop.text import section_markdown
    from cvbuild.render.localize import localize

    def t(value: Localized | None) -> str | None:
        return value.get(lang) if value is not None else None

    notes: list[Note] = []
    h = cv.header
    basics: dict[str, Any] = {
        "name": t(h.name),
        "label": t(h.headline),
        "image": h.photo,
        "email": h.contacts.email,
        "phone": h.contacts.phone,
        "url": h.contacts.website,
    }
    if h.location is not None:
        basics["location"] = _location(h.location.get(lang))
    profiles = []
    for field, network, host in (
        ("github", "GitHub", "github.com/"),
        ("linkedin", "LinkedIn", "linkedin.com/in/"),
        ("telegram", "Telegram", "t.me/"),
    ):
        handle = getattr(h.contacts, field)
        if handle:
            profiles.append(
                {"network": network, "username": handle, "url": f"https://{host}{handle}"}
            )
    basics["profiles"] = profiles
    doc: dict[str, Any] = {"$schema": SCHEMA_URL}
    lists: dict[str, list[dict[str, Any]]] = {key: [] for key in _CONVERTERS}
    summary: list[str] = []
    view = localize(cv, lang).sections
    for index, section in enumerate(cv.sections):
        key = section_key(section)
        free = []
        for number, entry in enumerate(section.entries):
            if isinstance(entry, Experience):
                company = "organization" if key == "volunteer" else "name"
                lists["volunteer" if key == "volunteer" else "work"].append(
                    _clean(
                        {
                            company: t(entry.company),
                            "position": t(entry.position),
                            "location": t(entry.location),
                            "url": entry.url,
                            **_range(entry),
                            "summary": t(entry.summary),
                            "highlights": _bullets(entry.highlights, lang),
                        }
                    )
                )
            elif isinstance(entry, Education):
                lists["education"].append(
                    _clean(
                        {
                            "institution": t(entry.institution),
                            "url": entry.url,
                            "area": t(entry.area),
                            "studyType": t(entry.degree),
                            **_range(entry),
                            "score": t(entry.score),
                            "courses": _bullets(entry.highlights, lang),
                        }
                    )
                )
                if entry.location is not None:
                    notes.append(
                        Note(
                            f"education[{len(lists['education']) - 1}]",
                            "JSON Resume education has no location; left out",
                        )
                    )
            elif isinstance(entry, Project):
                lists["projects"].append(
                    _clean(
                        {
                            "name": t(entry.project),
                            "description": t(entry.description),
                            "highlights": _bullets(entry.highlights, lang),
                            "keywords": entry.stack,
                            **_range(entry),
                            "url": entry.url,
                        }
                    )
                )
            elif isinstance(entry, Publication):
                if entry.authors or entry.doi:
                    notes.append(
                        Note(
                            f"publications[{len(lists['publications'])}]",
                            "JSON Resume has no authors or DOI; left out",
                        )
                    )
                lists["publications"].append(
                    _clean(
                        {
                            "name": t(entry.publication),
                            "publisher": t(entry.venue),
                            "releaseDate": _date(entry.date),
                            "url": entry.url,
                            "summary": t(entry.summary),
                        }
                    )
                )
            elif isinstance(entry, Certification):
                lists["certificates"].append(
                    _clean(
                        {
                            "name": t(entry.certification),
                            "date": _date(entry.date),
                            "issuer": t(entry.issuer),
                            "url": entry.url,
                        }
                    )
                )
            elif isinstance(entry, Award) and key == "certificates":
                lists["certificates"].append(
                    _clean(
                        {
                            "name": t(entry.award),
                            "date": _date(entry.date),
                            "issuer": t(entry.issuer),
                        }
                    )
                )
                if entry.summary is not None:
                    notes.append(
                        Note(
                            f"certificates[{len(lists['certificates']) - 1}]",
                            "JSON Resume certificates have no summary; left out",
                        )
                    )
            elif isinstance(entry, Award):
                lists["awards"].append(
                    _clean(
                        {
                            "title": t(entry.award),
                            "date": _date(entry.date),
                            "awarder": t(entry.issuer),
                            "summary": t(entry.summary),
                        }
                    )
                )
            elif isinstance(entry, SkillGroup):
                lists["interests" if key == "interests" else "skills"].append(
                    _clean(
                        {
                            "name": t(entry.label),
                            "keywords": [s.get(lang) for s in entry.skills],
                        }
                    )
                )
            elif isinstance(entry, SpokenLanguage):
                lists["languages"].append(
                    _clean({"language": t(entry.language), "fluency": t(entry.level)})
                )
            elif isinstance(entry, Paragraph) and key == "summary":
                summary.append(entry.text.get(lang))
            elif isinstance(entry, BulletList) and key == "references":
                lists["references"].append(
                    _clean(
                        {
                            "name": t(entry.title),
                            "reference": "\n".join(_bullets(entry.bullets, lang)),
                        }
                    )
                )
            else:
                free.append(number)
        if free:
            # JSON Resume has no free-text sections: keep the words, as markdown, in the summary.
            entries = view[index].entries
            shown = replace(view[index], entries=[entries[number] for number in free])
            summary.append(section_markdown(shown, lang))
            notes.append(
                Note(
                    f"sections[{index}]",
                    f"'{view[index].title}' holds free text "
                    "(paragraphs, bullets) that JSON Resume has no list for; written "
                    "into basics.summary as markdown",
                )
            )
    basics["summary"] = "\n\n".join(summary)
    doc["basics"] = _clean(basics)
    doc.update({key: items for key, items in lists.items() if items})
    return doc, notes


def check(doc: dict[str, Any]) -> None:
    """Raise a CvbuildError listing every way `doc` breaks the official schema."""
    problems = schema_problems(doc, formats=True)
    if problems:
        lines = "\n".join(f"  {path or '(document)'}: {msg}" for path, msg in problems)
        raise CvbuildError(f"the export does not validate against the JSON Resume schema:\n{lines}")


def export_json(cv: CV, lang: str) -> tuple[str, list[Note]]:
    """The CV in `lang` as validated JSON Resume text, and the notes on what moved oddly."""
    doc, notes = to_jsonresume(cv, lang)
    check(doc)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n", notes
