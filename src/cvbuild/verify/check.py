"""`cvbuild check`: read a finished PDF the way an applicant tracking system does and
list what it would get wrong.

Text and fonts come from poppler (pdftotext, pdffonts: what most ATS parsers and
readback.py already use); the document's structure — pages, the Info dictionary,
/Lang, link annotations, XMP — from pypdf, which poppler's tools do not print in full
(pdfinfo shows neither /Lang nor the link targets per page)."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cvbuild.errors import CvbuildError
from cvbuild.paths import FileTooLarge, NotRegularFile, read_regular
from cvbuild.source.model import CV, EMAIL_RE, Variant, tags_of

if TYPE_CHECKING:
    from cvbuild.source.reader import Positions

# Many job portals refuse uploads above 2–5 MB; a text CV is far below that.
MAX_BYTES = 2 * 1024 * 1024
MAX_READ = 64 * 1024 * 1024  # what check reads of a file at all
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
    try:  # a regular file, read boundedly: a link to /dev/zero or a pipe is no PDF
        data = read_regular(pdf, MAX_READ)
    except FileNotFoundError:
        raise NotAPdf(f"{pdf}: no such file") from None
    except NotRegularFile:
        raise NotAPdf(f"{pdf}: not a regular file (a device, a pipe or a socket)") from None
    except FileTooLarge:
        raise NotAPdf(f"{pdf}: larger than {MAX_READ // 1024 // 1024} MiB; not a CV") from None
    except OSError as exc:
        raise NotAPdf(f"{pdf}: cannot be read: {exc.strerror or exc}") from None
    if b"%PDF-" not in data[:1024]:
        raise NotAPdf(f"{pdf}: not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)  # tolerate what viewers tolerate
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


# What a PDF may do when it is opened or clicked: follow a web link (/URI) or jump
# inside itself (/GoTo). Everything else (/Launch a program, /GoToR another file,
# /JavaScript, /SubmitForm, /ImportData, /GoToE, …) has no place in a CV.
SAFE_ACTIONS = ("/URI", "/GoTo")
MAX_OBJECTS = 200_000  # a walk over the PDF's objects that ends, however it is built


def actions(reader: Any) -> list[str]:
    """Every action in the PDF other than a URI link or an internal jump, and any
    JavaScript however it is attached, each as a short description. Walks every
    object reachable from the trailer (annotations, /OpenAction, /AA, /Names,
    outlines, form fields), reading dictionaries only, never stream data. An action
    is a dictionary reached through /A, /OpenAction, /Next or an /AA entry."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    # (object, where it was reached, the key it was reached by, whether it stands
    # where an action stands)
    stack: list[tuple[Any, str, str, bool]] = [(reader.trailer, "trailer", "", False)]
    count = 0
    while stack and count < MAX_OBJECTS:
        obj, where, via, is_action = stack.pop()
        count += 1
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            try:
                obj = obj.get_object()
            except Exception:  # a dangling reference is nothing to run
                continue
        if isinstance(obj, DictionaryObject):
            kind = obj.get("/S")
            if is_action and str(kind) not in SAFE_ACTIONS:
                found.append(f"a {kind} action ({where}{_action_target(obj)})")
            elif "/JS" in obj or "/JavaScript" in obj:
                found.append(f"JavaScript ({where})")
            for key, value in obj.items():
                if key in ("/Parent", "/P"):  # back links: reached from above anyway
                    continue
                action = key in ("/A", "/OpenAction", "/Next") or via == "/AA"
                here = f"{where} {key}" if len(where) < 60 else where
                stack.append((value, here, key, action))
        elif isinstance(obj, ArrayObject):
            # /Next may be an array of actions; an /OpenAction array is a destination
            stack.extend((value, where, via, is_action and via != "/OpenAction")
                         for value in obj)
    if stack:
        found.append(f"more than {MAX_OBJECTS:,} objects: not all of them were checked")
    return sorted(set(found))


def _action_target(obj: Any) -> str:
    for key in ("/F", "/JS", "/URI"):
        if key in obj:
            value = obj[key]
            try:
                value = value.get_object()
            except AttributeError:
                pass
            if hasattr(value, "get") and not isinstance(value, (str, bytes)):
                value = value.get("/F") or value.get("/UF") or "…"
            return f": {key[1:]} {_short(str(value), 40)}"
    return ""


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


def expected_links(cv: CV, lang: str, only: Variant | None = None) -> list[str]:
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


def check_pdf(pdf: Path, cv: CV, lang: str, only: Variant | None = None,
              positions: Positions | None = None, cv_file: str = "cv.yaml",
              theme: str | None = None, cv_dir: Path | None = None) -> Report:
    """Everything an ATS needs from one PDF of `cv` in `lang`; problems listed, none raised
    (but NotAPdf for a file that is not a readable PDF). With `positions`, a problem of
    the pages names the place in `cv_file` of the value it is about. `theme` (default:
    cv.yaml's) is the theme the PDF was built with: a two-column one prints its sidebar
    sections first."""
    from cvbuild.paths import local_themes_refused
    from cvbuild.render.themes import theme_settings
    from cvbuild.text.locales import words as locale_words
    from cvbuild.text.unicode import words
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

    for problem in page_problems(cv, lang, text, only):
        pos = positions.of_name(problem.path) if positions and problem.path else None
        add(f"pages: {cv_file}:{pos[0]}:{pos[1]}: {problem}" if pos else f"pages: {problem}")
    text = text_without_footers(cv, lang, text)
    try:
        sidebar = theme_settings(theme or cv.theme.name, cv_dir,
                                 not local_themes_refused())[1].get("sidebar") or ()
    except CvbuildError:  # a theme that is gone: read the CV's own order
        sidebar = ()
    for p in reading_order(cv, lang, text, only, section_order(cv, sidebar)):
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
    for action in actions(reader):
        add(f"actions: {action}; a CV's PDF has only web links")
    for href in expected_links(cv, lang, only):
        if href not in uris:
            add(f"links: {href} (from the CV) is not a link in the PDF")

    info = reader.metadata or {}
    for key in METADATA:
        if not str(info.get(key) or "").strip() and not (key == "/Keywords" and _xmp_keywords(reader)):
            add(f"metadata: {key[1:]} is empty")
    # word by word: the metadata has the name as printed, in the language's typography
    name = cv.header.name.get(lang)
    said = " ".join(words(name))
    if info.get("/Title") and f" {said} " not in f" {' '.join(words(str(info['/Title'])))} ":
        add(f"metadata: Title \"{_short(str(info['/Title']))}\" does not name {name}")
    if info.get("/Author") and " ".join(words(str(info["/Author"]))) != said:
        add(f"metadata: Author \"{_short(str(info['/Author']))}\" is not {name}")
    pdf_lang = str(reader.trailer["/Root"].get("/Lang") or "")
    want = locale_words(lang)["bcp47"]
    if not pdf_lang:
        add(f"metadata: no document language (/Lang); expected {want}")
    elif pdf_lang.split("-")[0].lower() != lang.lower():
        add(f"metadata: document language is {pdf_lang}; expected {want}")
    return report


def _name_variant(middle: str, cv: CV, cv_dir: Path) -> Variant | None:
    """The variant a file name's middle part names (`research`, `research_without_teaching`,
    `modern`: see build.variant_stem); None when it names none of the CV's tags."""
    from cvbuild.pipeline.run import ascii_name
    from cvbuild.render.themes import list_themes

    pieces: dict[str, tuple[str, str]] = {t.name: ("theme", t.name) for t in list_themes(cv_dir)}
    for tag in tags_of(cv):
        pieces[ascii_name(tag)] = ("only", tag)
        pieces[f"without_{ascii_name(tag)}"] = ("except", tag)

    def parse(rest: str) -> list[tuple[str, str]] | None:
        if not rest:
            return []
        for piece in sorted(pieces, key=len, reverse=True):  # tags may hold "_"
            if rest == piece or rest.startswith(piece + "_"):
                tail = parse(rest[len(piece) + 1:])
                if tail is not None:
                    return [pieces[piece], *tail]
        return None

    found = parse(middle) or []
    return Variant.of([t for kind, t in found if kind == "only"],
                      [t for kind, t in found if kind == "except"])


def identify(pdf: Path, cv: CV, lang: str | None = None,
             cv_dir: Path = Path(".")) -> tuple[str, Variant | None]:
    """(language, variant) of a PDF built from `cv`, from its name
    `<stem>[_<variant>]_<lang>.pdf` (build.variant_stem), unless `lang` is given."""
    from cvbuild.pipeline.run import file_stem

    stem = file_stem(cv)
    name = pdf.name[:-4] if pdf.name.lower().endswith(".pdf") else pdf.name
    head, _, code = name.rpartition("_")
    if lang is None and code in cv.languages:
        lang = code
    only = None
    if head.startswith(stem + "_"):
        only = _name_variant(head[len(stem) + 1:], cv, cv_dir)
    if lang is None:
        raise NotAPdf(
            f"{pdf}: cannot tell which language of the CV it is; name it "
            f"{stem}_<{'|'.join(cv.languages)}>.pdf or pass --lang"
        )
    if lang not in cv.languages:
        raise NotAPdf(f"{pdf}: '{lang}' is not a language of the CV ({', '.join(cv.languages)})")
    return lang, only


def other_cv(pdf: Path, reader: Any, cv: CV, cv_path: Path) -> str | None:
    """Why the PDF was not built from `cv` (its Author, or without one its text, names
    someone else), or None: one line then says it all, not one per missing value."""
    from cvbuild.text.unicode import words
    from cvbuild.verify.readback import pdf_text

    names = cv.header.name.texts()
    # compared word by word, as a reader searches: typography may have changed the quotes
    # or spaces of a name ("O'Neil" is printed "O’Neil")
    wanted = {" ".join(words(n)) for n in names}
    author = " ".join(str((reader.metadata or {}).get("/Author") or "").split())
    if author:
        if " ".join(words(author)) in wanted:
            return None
        found = f"its author is {author}"
    else:
        try:
            text = " ".join(words(pdf_text(pdf)))
        except ValueError:
            return None  # check_pdf says what is wrong with it
        if any(name in text for name in wanted):
            return None
        found = "its text does not name " + " or ".join(dict.fromkeys(names))
    return (f"built from another CV: {found}, and {cv_path} is "
            f"{cv.header.name.get(cv.languages[0])}'s; "
            "check it with --cv and the file it was built from")


def _name_theme(pdf: Path, cv: CV, cv_dir: Path) -> str | None:
    """The theme a file name names (`<stem>_modern_en.pdf`: see build.variant_stem)."""
    from cvbuild.pipeline.run import file_stem
    from cvbuild.render.themes import list_themes

    middle = pdf.stem.rpartition("_")[0].removeprefix(file_stem(cv))
    return next((t.name for t in list_themes(cv_dir) if f"_{t.name}_" in f"{middle}_"), None)


def check_files(pdfs: list[Path], cv_path: Path, lang: str | None = None,
                only: Variant | None = None, theme: str | None = None) -> list[Report]:
    """One report per PDF; a file that is not a readable PDF, or not of this CV, gets a
    one-problem report. The variant is `only` when given, else told by each file's name;
    so is the theme it was built with (else cv.yaml's)."""
    from cvbuild.source.load import load_cv_positions

    cv, positions = load_cv_positions(cv_path)
    reports = []
    for pdf in pdfs:
        try:
            reader = open_pdf(pdf)  # an unreadable file is said so before its name is looked at
            foreign = other_cv(pdf, reader, cv, cv_path)
            if foreign:
                raise NotAPdf(f"{pdf}: {foreign}")
            code, named = identify(pdf, cv, lang, cv_path.parent)
            reports.append(check_pdf(pdf, cv, code, only or named, positions, str(cv_path),
                                     theme or _name_theme(pdf, cv, cv_path.parent), cv_path.parent))
        except NotAPdf as exc:
            reports.append(Report(pdf, None, problems=[str(exc).removeprefix(f"{pdf}: ")]))
    return reports


def default_pdfs(cv_path: Path, output_dir: Path, lang: str = "all",
                 only: Variant | None = None, theme: str | None = None) -> list[Path]:
    """The PDFs of the CV's languages (`lang`: all, or some joined by commas) in
    `output_dir`, of the variant and theme given, built first when one is missing or
    older than the CV file."""
    from cvbuild.pipeline.run import build, resolve_langs, variant_stem
    from cvbuild.source.load import load_cv

    cv = load_cv(cv_path)
    langs = resolve_langs(cv, lang)
    stem = variant_stem(cv, only, theme)
    pdfs = [output_dir / f"{stem}_{code}.pdf" for code in langs]
    mtime = cv_path.stat().st_mtime
    if any(not p.exists() or p.stat().st_mtime < mtime for p in pdfs):
        return [o.pdf for o in build(cv_path, ",".join(langs), output_dir, only=only, theme=theme)]
    return pdfs
