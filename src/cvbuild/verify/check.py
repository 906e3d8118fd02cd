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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cvbuild.errors import CvbuildError
from cvbuild.paths import FileTooLarge, NotRegularFile, read_regular
from cvbuild.source.application import Application
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
    from cvbuild.render.printed import text_values
    from cvbuild.render.themes import theme_settings
    from cvbuild.verify.pages import page_problems, text_without_footers
    from cvbuild.verify.readback import in_order, section_order

    reader, report, text, fonts = _read(pdf, lang)
    for problem in page_problems(cv, lang, text, only):
        pos = positions.of_name(problem.path) if positions and problem.path else None
        report.problems.append(
            f"pages: {cv_file}:{pos[0]}:{pos[1]}: {problem}" if pos else f"pages: {problem}")
    try:
        sidebar = theme_settings(theme or cv.theme.name, cv_dir,
                                 not local_themes_refused())[1].get("sidebar") or ()
    except CvbuildError:  # a theme that is gone: read the CV's own order
        sidebar = ()
    values = in_order(list(text_values(cv, lang, only=only)), section_order(cv, sidebar))
    _check(reader, report, text_without_footers(cv, lang, text), fonts, cv, lang,
           values, expected_links(cv, lang, only),
           source="cv.yaml", links_from="the CV", max_pages=cv.max_pages)
    if not any(cv.header.contacts.model_dump().values()):
        report.warnings.append("the CV has no contacts (header.contacts): a reader finds no "
                               "e-mail, phone or profile link")
    return report


def check_letter(pdf: Path, cv: CV, app: Application, lang: str, day: date,
                 merged: bool = False) -> Report:
    """As check_pdf, for a cover letter of `app` dated `day`: its text (the CV's header
    and the letter) in order, fonts, links, and the Title "Name — Cover letter — Company"
    in its language ("… Cover letter and CV …" when it is part of a merged file). More
    than one page is a warning."""
    from cvbuild.render.latex import inline_tokens, plain, url_target
    from cvbuild.render.letter import letter_title, letter_view
    from cvbuild.render.printed import text_values

    view = letter_view(cv, app, lang, day)
    letter = view.letter
    assert letter is not None  # letter_view always sets it
    values = [(path, text) for path, text in text_values(cv, lang) if path.startswith("header.")]
    values += [("date", letter.date)]
    values += [(f"recipient[{i}]", line) for i, line in enumerate(letter.recipient)]
    values += [("position", f"{letter.position_label}: {letter.position}"),
               ("salutation", letter.salutation)]
    values += [(f"letter[{i}]", plain(p)) for i, p in enumerate(letter.paragraphs)]
    values += [("closing", letter.closing), ("signature", letter.signature)]
    links = [link.href for link in view.header.links] + ([app.url] if app.url else [])
    links += [str(tok.attrs["href"]) for p in letter.paragraphs for tok in inline_tokens(p)
              if tok.type == "link_open"]
    reader, report, text, fonts = _read(pdf, lang)
    _check(reader, report, text, fonts, cv, lang, values, [url_target(h) for h in links],
           source="the application", links_from="the application",
           title=letter_title(cv, app, lang, both=merged))
    if report.pages > 1:
        report.warnings.append(f"pages: {report.pages}; a cover letter fits on one")
    return report


def _read(pdf: Path, lang: str) -> tuple[Any, Report, str, list]:
    """A PDF opened, its report begun, its text and fonts read back."""
    from cvbuild.verify.readback import pdf_fonts, pdf_text

    reader = open_pdf(pdf)
    report = Report(pdf, lang, pages=len(reader.pages), size=pdf.stat().st_size)
    try:
        return reader, report, pdf_text(pdf), pdf_fonts(pdf)
    except ValueError as exc:
        raise NotAPdf(f"{pdf}: a broken PDF ({_short(str(exc), 120)})") from None


def _check(reader: Any, report: Report, text: str, fonts: list, cv: CV, lang: str,
           values: Iterable[tuple[str, str]], links: list[str], *, source: str,
           links_from: str, title: str | None = None, max_pages: int | None = None) -> None:
    """What every PDF is checked for, added to `report`: `values` read back in order in
    `text`, `fonts`, pages (at most `max_pages`), size, `links` there and well formed,
    metadata (the Title `title` when given, else one naming the person) and the
    document's language."""
    from cvbuild.text.locales import words as locale_words
    from cvbuild.text.unicode import words
    from cvbuild.verify.readback import order_problems

    add = report.problems.append
    for p in order_problems(values, text):
        where = "is not in the extracted text" if p.problem == "missing" else \
            f"comes out of reading order (before the text that precedes it in {source})"
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

    if max_pages is not None and report.pages > max_pages:
        add(f"pages: {report.pages}, more than max_pages ({max_pages}) in the CV")
    if report.size > MAX_BYTES:
        add(f"size: {report.size / 1024 / 1024:.1f} MiB, more than {MAX_BYTES // 1024 // 1024} MiB")

    uris = _uris(reader)
    for uri in uris:
        why = link_problem(uri)
        if why:
            add(f"links: {uri} {why}")
    for action in actions(reader):
        add(f"actions: {action}; a CV's PDF has only web links")
    for href in links:
        if href not in uris:
            add(f"links: {href} (from {links_from}) is not a link in the PDF")

    info = reader.metadata or {}
    for key in METADATA:
        if not str(info.get(key) or "").strip() and not (key == "/Keywords" and _xmp_keywords(reader)):
            add(f"metadata: {key[1:]} is empty")
    # word by word: the metadata has the name as printed, in the language's typography
    # (and a Title without the emoji of its source: the `meta` filter leaves them out)
    name = cv.header.name.get(lang)
    said = " ".join(words(name))
    got = " ".join(words(str(info.get("/Title") or "")))
    if title is not None and info.get("/Title") and got != " ".join(words(title)):
        add(f"metadata: Title \"{_short(str(info['/Title']))}\" is not \"{title}\"")
    elif title is None and info.get("/Title") and f" {said} " not in f" {got} ":
        add(f"metadata: Title \"{_short(str(info['/Title']))}\" does not name {name}")
    if info.get("/Author") and " ".join(words(str(info["/Author"]))) != said:
        add(f"metadata: Author \"{_short(str(info['/Author']))}\" is not {name}")
    pdf_lang = str(reader.trailer["/Root"].get("/Lang") or "")
    want = locale_words(lang)["bcp47"]
    if not pdf_lang:
        add(f"metadata: no document language (/Lang); expected {want}")
    elif pdf_lang.split("-")[0].lower() != lang.lower():
        add(f"metadata: document language is {pdf_lang}; expected {want}")


def _name_variant(middle: str, cv: CV, cv_dir: Path) -> Variant | None:
    """The variant a file name's middle part names (`research`, `research_without_teaching`,
    `modern`: see build.variant_stem); None when it names none of the CV's tags."""
    from cvbuild.pipeline.naming import ascii_name
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
    from cvbuild.pipeline.naming import file_stem

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


def _kind(pdf: Path, cv: CV) -> str:
    """"letter", "merged" or "cv", from the file's name (pipeline/apply.py names them)."""
    from cvbuild.pipeline.naming import person_stem
    from cvbuild.render.letter import LETTER_FILE, MERGED_FILE

    head = pdf.name.rpartition("_")[0]
    for kind, part in (("merged", MERGED_FILE), ("letter", LETTER_FILE)):
        if head == f"{person_stem(cv)}_{part}":
            return kind
    return "cv"


def _name_theme(pdf: Path, cv: CV, cv_dir: Path) -> str | None:
    """The theme a file name names (`<stem>_modern_en.pdf`: see pipeline/naming.variant_stem)."""
    from cvbuild.pipeline.naming import file_stem
    from cvbuild.render.themes import list_themes

    middle = pdf.stem.rpartition("_")[0].removeprefix(file_stem(cv))
    return next((t.name for t in list_themes(cv_dir) if f"_{t.name}_" in f"{middle}_"), None)


def check_files(pdfs: list[Path], cv_path: Path, lang: str | None = None,
                only: Variant | None = None, app_path: Path | None = None,
                theme: str | None = None) -> list[Report]:
    """One report per PDF; a file that is not a readable PDF, or not of this CV, gets a
    one-problem report. The variant is `only` when given, else told by each file's name;
    so is the theme it was built with (else cv.yaml's).
    With an application, its cover letters are checked too (its CVs as the variant it
    asks for), and a merged file as its two parts."""
    from cvbuild.pipeline.apply import letter_day
    from cvbuild.source.application import load_application
    from cvbuild.source.load import load_cv_positions

    cv, positions = load_cv_positions(cv_path)
    app, day = None, None
    if app_path is not None:
        app, _ = load_application(app_path, cv)
        day = letter_day(app, app_path)[0]
        only = only or app.variant()
    reports = []
    for pdf in pdfs:
        try:
            reader = open_pdf(pdf)  # an unreadable file is said so before its name is looked at
            foreign = other_cv(pdf, reader, cv, cv_path)
            if foreign:
                raise NotAPdf(f"{pdf}: {foreign}")
            kind = _kind(pdf, cv)
            code, named = identify(pdf, cv, lang, cv_path.parent)
            if kind == "cv":
                reports.append(check_pdf(pdf, cv, code, only or named, positions, str(cv_path),
                                         theme or _name_theme(pdf, cv, cv_path.parent),
                                         cv_path.parent))
            elif app is None or day is None:
                raise NotAPdf(f"{pdf}: a cover letter; pass --application FILE to check it")
            elif kind == "letter":
                reports.append(check_letter(pdf, cv, app, code, day))
            else:
                reports += check_merged(pdf, cv, app, code, day, only)
        except NotAPdf as exc:
            reports.append(Report(pdf, None, problems=[str(exc).removeprefix(f"{pdf}: ")]))
    return reports


def check_merged(pdf: Path, cv: CV, app: Application, lang: str, day: date,
                 only: Variant | None) -> list[Report]:
    """A merged PDF (`apply --merge`) as its two parts, split where its second bookmark
    points: the letter's report, then the CV's, each named `<file> [part]`."""
    import tempfile

    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    reader = open_pdf(pdf)
    marks = [reader.get_destination_page_number(m) for m in reader.outline if not isinstance(m, list)]
    if len(marks) != 2 or marks != sorted(marks) or marks[0] != 0:
        return [Report(pdf, lang, problems=["a merged file needs two bookmarks: the letter's "
                                            "on page 1, then the CV's"])]
    reports = []
    with tempfile.TemporaryDirectory(prefix="cvbuild-check-") as tmp:
        for i, (first, last) in enumerate([(0, marks[1]), (marks[1], len(reader.pages))]):
            part = Path(tmp) / f"part{i}.pdf"
            writer = PdfWriter()
            writer.append(reader, pages=(first, last), import_outline=False)
            writer.add_metadata(reader.metadata or {})
            if "/Lang" in reader.trailer["/Root"]:
                writer.root_object[NameObject("/Lang")] = reader.trailer["/Root"]["/Lang"]
            writer.write(part)
            report = (check_letter(part, cv, app, lang, day, merged=True) if i == 0
                      else check_pdf(part, cv, lang, only))
            report.pdf = Path(f"{pdf} [{'letter' if i == 0 else 'CV'}]")
            reports.append(report)
    return reports


def default_pdfs(cv_path: Path, output_dir: Path, lang: str = "all",
                 only: Variant | None = None, theme: str | None = None) -> list[Path]:
    """The PDFs of the CV's languages (`lang`: all, or some joined by commas) in
    `output_dir`, of the variant and theme given, built first when one is missing or
    older than the CV file."""
    from cvbuild.pipeline.naming import variant_stem
    from cvbuild.pipeline.run import build, resolve_langs
    from cvbuild.source.load import load_cv

    cv = load_cv(cv_path)
    langs = resolve_langs(cv, lang)
    stem = variant_stem(cv, only, theme)
    pdfs = [output_dir / f"{stem}_{code}.pdf" for code in langs]
    mtime = cv_path.stat().st_mtime
    if any(not p.exists() or p.stat().st_mtime < mtime for p in pdfs):
        return [o.pdf for o in build(cv_path, ",".join(langs), output_dir, only=only, theme=theme)]
    return pdfs


def application_pdfs(cv_path: Path, output_dir: Path, app_path: Path) -> list[Path]:
    """An application's letters and CVs in `output_dir/<its name>/`, built first
    (`apply`) when one is missing or older than the CV or the application file."""
    from cvbuild.pipeline.apply import apply, letter_path
    from cvbuild.pipeline.naming import file_stem
    from cvbuild.source.application import app_id, load_application
    from cvbuild.source.load import load_cv

    cv = load_cv(cv_path)
    app, _ = load_application(app_path, cv)
    folder = output_dir / app_id(app_path)
    pdfs = [p for code in app.langs(cv)
            for p in (letter_path(folder, cv, code), folder / f"{file_stem(cv)}_{code}.pdf")]
    mtime = max(cv_path.stat().st_mtime, app_path.stat().st_mtime)
    if any(not p.exists() or p.stat().st_mtime < mtime for p in pdfs):
        return [o.pdf for o in apply(app_path, cv_path, output_dir).outputs]
    return pdfs
