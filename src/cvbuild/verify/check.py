"""`cvbuild check`: read a finished PDF the way an applicant tracking system does and
list what it would get wrong.

Text and fonts come from poppler (pdftotext, pdffonts: what most ATS parsers and
readback.py already use); the document's structure — pages, the Info dictionary,
/Lang, link annotations, XMP — from pypdf, which poppler's tools do not print in full
(pdfinfo shows neither /Lang nor the link targets per page)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cvbuild.errors import CvbuildError
from cvbuild.source.model import CV, EMAIL_RE

if TYPE_CHECKING:
    from cvbuild.source.reader import Positions

# Many job portals refuse uploads above 2–5 MB; a text CV is far below that.
MAX_BYTES = 2 * 1024 * 1024
METADATA = ("/Title", "/Author", "/Subject", "/Keywords", "/CreationDate", "/ModDate")


@dataclass
class Report:
    pdf: Path
    lang: str | None
    pages: int = 0
    size: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth knowing; do not fail the check

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        head = f"{self.pdf}"
        if self.lang:
            head += f" ({self.lang})"
        if self.size:
            head += f": {self.pages} page{'s' if self.pages != 1 else ''}, {self.size / 1024:.0f} KiB"
        if self.ok:
            lines = [head + ", ok"]
        else:
            n = len(self.problems)
            lines = [f"{head}, {n} problem{'s' if n != 1 else ''}:"]
            lines += [f"  - {p}" for p in self.problems]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


class NotAPdf(CvbuildError):
    """The file is missing, not a PDF, or too broken to read."""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def open_pdf(pdf: Path) -> Any:
    """A pypdf reader for `pdf`, or NotAPdf with a one-line reason."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        with pdf.open("rb") as f:
            head = f.read(1024)
    except FileNotFoundError:
        raise NotAPdf(f"{pdf}: no such file") from None
    except OSError as exc:
        raise NotAPdf(f"{pdf}: cannot be read: {exc.strerror or exc}") from None
    if b"%PDF-" not in head:
        raise NotAPdf(f"{pdf}: not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(pdf, strict=False)  # tolerate what viewers tolerate
        pages = len(reader.pages)
        reader.trailer["/Root"]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError) as exc:
        raise NotAPdf(f"{pdf}: a broken PDF ({_short(str(exc) or type(exc).__name__, 120)})") from None
    if not pages:
        raise NotAPdf(f"{pdf}: a broken PDF (no pages)")
    return reader


def _uris(reader: Any) -> list[str]:
    """Every link target (/URI of a link annotation) in page order."""
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            action = obj.get("/A")
            action = action.get_object() if action is not None else None
            if obj.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                uri = action["/URI"]
                found.append(uri.decode("latin-1") if isinstance(uri, bytes) else str(uri))
    return found


def link_problem(uri: str) -> str | None:
    """Why a link target is malformed, or None."""
    if uri != uri.strip() or any(c.isspace() for c in uri) or "\\" in uri:
        return "has spaces or a backslash"
    scheme, _, rest = uri.partition(":")
    scheme = scheme.lower()
    if scheme == "mailto":
        return None if EMAIL_RE.match(rest.split("?", 1)[0]) else "is not a valid e-mail address"
    if scheme == "tel":
        return None if re.fullmatch(r"\+?\d{5,20}", rest) else "is not a phone number"
    if scheme in ("https", "http"):
        parts = urlsplit(uri)
        host = parts.hostname or ""
        if not re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", host, re.I):
            return "has no valid host name"
        if host.lower() == "t.me" and not re.fullmatch(r"/[A-Za-z0-9_]{3,}/?", parts.path):
            return "is not a Telegram profile (https://t.me/NAME)"
        return None
    return f"uses the scheme '{scheme}:' (expected mailto:, tel: or https:)"


def expected_links(cv: CV, lang: str, only: str | None = None) -> list[str]:
    """The link targets the CV asks for: contacts, entry URLs and DOIs."""
    from cvbuild.render.latex import url_target
    from cvbuild.render.localize import localize
    from cvbuild.render.view import LINKED, PublicationView, entries

    view = localize(cv, lang, only=only)
    links = [link.href for link in view.header.links]
    for entry in entries(view):
        if isinstance(entry, LINKED) and entry.url:
            links.append(entry.url)
        if isinstance(entry, PublicationView) and entry.doi:
            links.append("https://doi.org/" + entry.doi)
    return [url_target(h) for h in links]


def _xmp_keywords(reader: Any) -> list[str]:
    """dc:subject of the XMP metadata (where PDF/A files made by pdfx keep their keywords)."""
    try:
        xmp = reader.xmp_metadata
        return list(xmp.dc_subject or []) if xmp is not None else []
    except Exception:  # a broken XMP packet is no keyword; pypdf raises many types here
        return []


def check_pdf(pdf: Path, cv: CV, lang: str, only: str | None = None,
              positions: Positions | None = None, cv_file: str = "cv.yaml",
              theme: str | None = None, cv_dir: Path | None = None) -> Report:
    """Everything an ATS needs from one PDF of `cv` in `lang`; problems listed, none raised
    (but NotAPdf for a file that is not a readable PDF). With `positions`, a problem of
    the pages names the place in `cv_file` of the value it is about. `theme` (default:
    cv.yaml's) is the theme the PDF was built with: a two-column one prints its sidebar
    sections first."""
    from cvbuild.render.themes import theme_settings
    from cvbuild.text.locales import words as locale_words
    from cvbuild.verify.pages import page_problems, text_without_footers
    from cvbuild.verify.readback import pdf_fonts, pdf_text, reading_order, section_order

    reader = open_pdf(pdf)
    report = Report(pdf, lang, pages=len(reader.pages), size=pdf.stat().st_size)
    add = report.problems.append

    try:
        text = pdf_text(pdf)
        fonts = pdf_fonts(pdf)
    except ValueError as exc:
        raise NotAPdf(f"{pdf}: a broken PDF ({_short(str(exc), 120)})") from None

    for problem in page_problems(cv, lang, text):
        where = positions.of_name(problem.path) if positions and problem.path else None
        add(f"pages: {cv_file}:{where[0]}:{where[1]}: {problem}" if where else f"pages: {problem}")
    text = text_without_footers(cv, lang, text)
    try:
        sidebar = theme_settings(theme or cv.theme.name, cv_dir)[1].get("sidebar") or ()
    except CvbuildError:  # a theme that is gone: read the CV's own order
        sidebar = ()
    for p in reading_order(cv, lang, text, section_order(cv, sidebar)):
        where = "is not in the extracted text" if p.problem == "missing" else \
            "comes out of reading order (before the text that precedes it in cv.yaml)"
        add(f"text: {p.path}: \"{_short(p.value)}\" {where}")

    if not fonts:
        add("fonts: no font at all (is the text an image?)")
    for font in fonts:
        if "Type 3" in font.type:
            add(f"fonts: {font.name} is a Type 3 font (bitmap glyphs read back as garbage)")
        if not font.embedded:
            add(f"fonts: {font.name} is not embedded")
        if not font.unicode:
            add(f"fonts: {font.name} has no ToUnicode map (its text cannot be extracted)")

    if report.pages > cv.max_pages:
        add(f"pages: {report.pages}, more than max_pages ({cv.max_pages}) in the CV")
    if report.size > MAX_BYTES:
        add(f"size: {report.size / 1024 / 1024:.1f} MiB, more than {MAX_BYTES // 1024 // 1024} MiB")

    if not any(cv.header.contacts.model_dump().values()):
        report.warnings.append("the CV has no contacts (header.contacts): a reader finds no "
                               "e-mail, phone or profile link")
    uris = _uris(reader)
    for uri in uris:
        why = link_problem(uri)
        if why:
            add(f"links: {uri} {why}")
    for href in expected_links(cv, lang, only):
        if href not in uris:
            add(f"links: {href} (from the CV) is not a link in the PDF")

    info = reader.metadata or {}
    for key in METADATA:
        if not str(info.get(key) or "").strip() and not (key == "/Keywords" and _xmp_keywords(reader)):
            add(f"metadata: {key[1:]} is empty")
    name = cv.header.name.get(lang)
    if info.get("/Title") and name not in str(info["/Title"]):
        add(f"metadata: Title \"{_short(str(info['/Title']))}\" does not name {name}")
    if info.get("/Author") and str(info["/Author"]) != name:
        add(f"metadata: Author \"{_short(str(info['/Author']))}\" is not {name}")
    pdf_lang = str(reader.trailer["/Root"].get("/Lang") or "")
    want = locale_words(lang)["bcp47"]
    if not pdf_lang:
        add(f"metadata: no document language (/Lang); expected {want}")
    elif pdf_lang.split("-")[0].lower() != lang.lower():
        add(f"metadata: document language is {pdf_lang}; expected {want}")
    return report


def _tags(cv: CV) -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        tags = getattr(value, "tags", None)
        if isinstance(tags, list):
            found.update(tags)
        if hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(cv)
    return found


def identify(pdf: Path, cv: CV, lang: str | None = None) -> tuple[str, str | None]:
    """(language, variant tag) of a PDF built from `cv`, from its name
    `<stem>_<lang>.pdf` or `<stem>_<TAG>_<lang>.pdf`, unless `lang` is given."""
    from cvbuild.pipeline.run import ascii_name, file_stem

    stem = file_stem(cv)
    name = pdf.name[:-4] if pdf.name.lower().endswith(".pdf") else pdf.name
    head, _, code = name.rpartition("_")
    if lang is None and code in cv.languages:
        lang = code
    only = None
    if head.startswith(stem + "_"):
        variant = head[len(stem) + 1:]
        only = next((t for t in sorted(_tags(cv)) if ascii_name(t) == variant), None)
    if lang is None:
        raise NotAPdf(
            f"{pdf}: cannot tell which language of the CV it is; name it "
            f"{stem}_<{'|'.join(cv.languages)}>.pdf or pass --lang"
        )
    if lang not in cv.languages:
        raise NotAPdf(f"{pdf}: '{lang}' is not a language of the CV ({', '.join(cv.languages)})")
    return lang, only


def check_files(pdfs: list[Path], cv_path: Path, lang: str | None = None,
                theme: str | None = None) -> list[Report]:
    """One report per PDF; a file that is not a readable PDF gets a one-problem report.
    `theme`: the one the PDFs were built with, if not cv.yaml's."""
    from cvbuild.source.load import load_cv_positions

    cv, positions = load_cv_positions(cv_path)
    reports = []
    for pdf in pdfs:
        try:
            open_pdf(pdf)  # an unreadable file is said so before its name is looked at
            code, only = identify(pdf, cv, lang)
            reports.append(check_pdf(pdf, cv, code, only, positions, str(cv_path), theme, cv_path.parent))
        except NotAPdf as exc:
            reports.append(Report(pdf, None, problems=[str(exc).removeprefix(f"{pdf}: ")]))
    return reports


def default_pdfs(cv_path: Path, output_dir: Path, theme: str | None = None) -> list[Path]:
    """The PDFs of every language of the CV in `output_dir`, built first when one is
    missing or older than the CV file."""
    from cvbuild.pipeline.run import build, file_stem
    from cvbuild.source.load import load_cv

    cv = load_cv(cv_path)
    stem = file_stem(cv)
    pdfs = [output_dir / f"{stem}_{code}.pdf" for code in cv.languages]
    mtime = cv_path.stat().st_mtime
    if any(not p.exists() or p.stat().st_mtime < mtime for p in pdfs):
        return [o.pdf for o in build(cv_path, "all", output_dir, theme=theme)]
    return pdfs
