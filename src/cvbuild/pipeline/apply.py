"""`cvbuild apply applications/<id>.yaml`: for each language of the application, the
tailored CV and the cover letter into build/<id>/, and with `merge` one PDF per
language holding both (the letter first, a bookmark for each).

Names keep a recruiter's download folder readable: `Sukhoy_Daniil_CV_en.pdf`,
`Sukhoy_Daniil_Cover_Letter_en.pdf`, `Sukhoy_Daniil_Cover_Letter_and_CV_en.pdf`.

All or nothing, as `cvbuild pdf`: the letters are compiled first and kept in memory,
then the CVs are built (written only when every language compiled), and only then
are the letters and merged files published together (publish.py)."""

from __future__ import annotations

import datetime as _dt
import io
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from cvbuild.engine.tex import find_engine
from cvbuild.engine.twemoji import used_emoji
from cvbuild.errors import CompileError, InputError, Problem
from cvbuild.pipeline.compile import compile_cached, emoji_pictures
from cvbuild.pipeline.diagnose import checked, emoji_warnings, refuse_warnings, source_problem
from cvbuild.pipeline.naming import file_stem, person_stem
from cvbuild.pipeline.output import Output
from cvbuild.pipeline.photo import photo_resource
from cvbuild.pipeline.publish import publish
from cvbuild.pipeline.run import build, render_view_mapped
from cvbuild.pipeline.source_date import source_date
from cvbuild.render.letter import LETTER_FILE, MERGED_FILE, letter_title, letter_view
from cvbuild.render.template import LETTER_TEMPLATE
from cvbuild.source import translations
from cvbuild.source.application import Application, app_id, load_application
from cvbuild.source.load import load_cv_positions
from cvbuild.source.model import CV
from cvbuild.source.reader import Positions
from cvbuild.text.letter_words import letter_words

MAX_LETTER_PAGES = 1


@dataclass
class Applied:
    """What `apply` wrote: per language, the CV, the letter and (with merge) both."""

    folder: Path
    cvs: list[Output]
    letters: list[Output]
    merged: list[Path] = field(default_factory=list)

    @property
    def outputs(self) -> list[Output]:
        return [o for pair in zip(self.letters, self.cvs) for o in pair]


def letter_day(app: Application, path: Path | str, epoch: int | None = None) -> tuple[_dt.date, int]:
    """The letter's date, and the epoch its PDF is dated by: `epoch` when given, else
    the application file's source date (source_date.py); the date is `date` if the
    application has one, else that epoch's day (UTC)."""
    if epoch is None:
        epoch = source_date(path).epoch
    return app.date or _dt.datetime.fromtimestamp(epoch, _dt.UTC).date(), epoch


def letter_path(folder: Path, cv: CV, lang: str, what: str = "letter") -> Path:
    """Where a language's letter goes (`what`="merged": the letter and the CV in one)."""
    part = LETTER_FILE if what == "letter" else MERGED_FILE
    return folder / f"{person_stem(cv)}_{part}_{lang}.pdf"


def _at_cv(problem: Problem, cv_positions: Positions, cv_file: str) -> Problem:
    """A problem about the letter's header is about cv.yaml, where the header is."""
    if not problem.path.startswith("header"):
        return problem
    line, col = cv_positions.of_name(problem.path) or (None, None)
    return replace(problem, file=cv_file, line=line, column=col)


def apply(
    app_path: Path | str,
    cv_path: Path | str = "cv.yaml",
    output_root: Path | str = "build",
    *,
    merge: bool = False,
    theme: str | None = None,
    source_date_epoch: int | None = None,
    use_cache: bool = True,
    strict: bool = False,
) -> Applied:
    """Build an application: see the module's doc. The letter is dated by the
    application's `date`, else by its file's source date (source_date.py), which also
    dates the letter's PDF; the CV's PDF is dated by cv.yaml's, as `cvbuild pdf` does.
    `strict`: every warning (a letter over one page or its text left in another language,
    the CV's) is an error, and nothing is written."""
    app_path, cv_path = Path(app_path), Path(cv_path)
    cv, cv_positions = load_cv_positions(cv_path)
    app, positions = load_application(app_path, cv)
    folder = Path(output_root) / app_id(app_path)
    langs = app.langs(cv)
    find_engine()
    letters = _letters(cv, cv_path, cv_positions, app, app_path, positions, folder,
                       theme=theme, source_date_epoch=source_date_epoch, use_cache=use_cache)
    if strict:
        refuse_warnings([out.warnings for out, *_ in letters.values()])
    cvs = build(cv_path, ",".join(langs), folder, only=app.variant(),
                theme=theme, use_cache=use_cache, stem=file_stem(cv), strict=strict)
    # the letters and merged files are published together (publish.py), as a build's are
    files: dict[str, bytes] = {}
    for out, pdf, tex, log in letters.values():
        files[out.pdf.name] = pdf
        files[out.tex.name] = tex.encode("utf-8")
        if log:  # a PDF from the cache keeps the log of the compile that made it
            files[out.pdf.with_suffix(".log").name] = log.encode("utf-8")
    applied = Applied(folder, cvs, [letters[code][0] for code in langs])
    if merge:
        for letter, cv_out in zip(applied.letters, cvs):
            target = letter_path(folder, cv, letter.lang, "merged")
            title = letter_title(cv, app, letter.lang, both=True)
            files[target.name] = merged_pdf(letters[letter.lang][1], cv_out.pdf.read_bytes(),
                                            letter.lang, title)
            applied.merged.append(target)
    publish(folder, files)
    return applied


def _letters(cv: CV, cv_path: Path, cv_positions: Positions, app: Application, app_path: Path,
             positions: Positions, folder: Path, *, theme: str | None,
             source_date_epoch: int | None, use_cache: bool,
             ) -> dict[str, tuple[Output, bytes, str, str]]:
    """Every language's letter rendered and compiled, nothing written: per language its
    Output, PDF, .tex and log, its warnings first the application's untranslated texts
    (translations.py). Problems name the application's fields, or cv.yaml's for
    the header; a compile error, a character no font has or a line cut off raise."""
    day, epoch = letter_day(app, app_path, source_date_epoch)
    resources = photo_resource(cv.header.photo, cv_path.parent, str(cv_path),
                               cv_positions.of_value(("header", "photo")))
    photo = next(iter(resources), None)
    started = time.perf_counter()
    # the letter's own texts left in another language (the CV's are its build's warnings)
    found = translations.application_findings(app, cv)
    notes: dict[str, list[Problem]] = {}
    rendered = {}
    for code in app.langs(cv):
        view = letter_view(cv, app, code, day)
        rendered[code] = render_view_mapped(cv, view, cv_path.parent, theme=theme, photo=photo,
                                            cv_file=str(app_path), template=LETTER_TEMPLATE)
        notes[code] = (translations.warnings(cv, str(app_path), positions, code, found)
                       + emoji_warnings(view, cv.options.emoji, str(cv_path)))

    def at_cv(problem: Problem) -> Problem:
        return _at_cv(problem, cv_positions, str(cv_path))

    letters = {}
    with tempfile.TemporaryDirectory(prefix="cvbuild-emoji-") as emoji_dir:
        used = set().union(*(used_emoji(tex) for tex, _ in rendered.values()))
        files = {**resources, **emoji_pictures(used, Path(emoji_dir))}
        for code, (tex, source) in rendered.items():  # one at a time: the CVs' build
            pdf_path = letter_path(folder, cv, code)  # runs its languages in parallel
            tex_path = pdf_path.with_suffix(".tex")
            try:
                compiled, cached, _ = compile_cached(
                    tex, lang=code, source_date_epoch=epoch, resources=resources, files=files,
                    use_cache=use_cache, pool=None, pdf_path=pdf_path,
                    log=pdf_path.with_suffix(".log"))
                warnings = checked(compiled, source, positions, str(app_path), str(tex_path),
                                   cv, code)
            except InputError as exc:
                exc.problems[:] = [at_cv(p) for p in exc.problems]
                raise
            except CompileError as exc:
                where = source_problem(exc, source, positions, str(app_path))
                if where is not None:
                    raise exc.with_source(str(at_cv(where)).rstrip(": ")) from None
                raise
            warnings = notes[code] + [at_cv(p) for p in warnings]
            if compiled.pages > MAX_LETTER_PAGES:
                warnings.append(Problem.at(
                    str(app_path), positions.of_name("letter"), "letter",
                    f"the {code} letter runs to {compiled.pages} pages; a cover letter fits "
                    "on one: shorten it", "warning"))
            out = Output(code, pdf_path, tex_path, compiled.pages, len(compiled.pdf),
                         time.perf_counter() - started, warnings, cached=cached)
            letters[code] = (out, compiled.pdf, tex, compiled.log)
            started = time.perf_counter()
    return letters


def merged_pdf(letter_pdf: bytes, cv_pdf: bytes, lang: str, title: str) -> bytes:
    """The letter, then the CV, in one PDF with a bookmark at each, the letter's
    metadata (Author, dates, /Lang) and `title`. The same two files give the same
    bytes (pypdf writes no random file ID unless asked)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject


    said = letter_words(lang)
    letter, cv = PdfReader(io.BytesIO(letter_pdf)), PdfReader(io.BytesIO(cv_pdf))
    writer = PdfWriter()
    writer.append(letter, outline_item=said["cover_letter"])
    writer.append(cv, outline_item=said["cv"])
    writer.add_metadata({**{str(k): v for k, v in (letter.metadata or {}).items()},
                         "/Title": title})
    root = letter.root_object
    if "/Lang" in root:
        writer.root_object[NameObject("/Lang")] = root["/Lang"]
    writer.page_mode = "/UseOutlines"  # a viewer opens with the bookmarks shown
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
