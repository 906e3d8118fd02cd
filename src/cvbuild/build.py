"""The pipeline: load → localize → render → compile → atomic write, for one or
many languages (compiled in parallel). The CLI, tests and CI all call `build`."""

from __future__ import annotations

import datetime as _dt
import os
import re
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cvbuild.errors import CompileError, Problem
from cvbuild.load import Positions, load_cv_positions
from cvbuild.localize import localize
from cvbuild.model import CV
from cvbuild.photo import photo_resource
from cvbuild.readback import words
from cvbuild.render import SourceMap, render_tex_mapped
from cvbuild.source_date import source_date
from cvbuild.tex import TexWarning, compile_pdf, find_engine
from cvbuild.themes import theme_options
from cvbuild.twemoji import emoji_files, twemoji_code, used_emoji

# BGN/PCGN-style romanisation for file names: "Сухой Даниил" → "Sukhoy_Daniil".
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
))


def ascii_name(text: str) -> str:
    """An ASCII file-name stem for any name: Cyrillic romanised, accents stripped."""
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            rom = _CYRILLIC[low].replace("-", "")
            out.append(rom.capitalize() if ch != low else rom)
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode())
    stem = re.sub(r"[^A-Za-z0-9]+", "_", "".join(out)).strip("_")
    return stem or "CV"


def file_stem(cv: CV) -> str:
    """The output name without language and extension, from the first language's name."""
    return ascii_name(cv.header.name.get(cv.languages[0])) + "_CV"


@dataclass
class Output:
    lang: str
    pdf: Path
    tex: Path
    pages: int
    size: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)  # shown by the CLI; nothing stops


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target, then rename over it: a reader sees the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        # mkstemp makes the file 0600; a PDF is for sharing: honour the umask like open() does
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def resolve_langs(cv: CV, lang: str) -> list[str]:
    from cvbuild.errors import CvbuildError

    if lang == "all":
        return list(cv.languages)
    langs = [x.strip() for x in lang.split(",") if x.strip()]
    for x in langs:
        if x not in cv.languages:
            raise CvbuildError(
                f"'{x}' is not a language of this CV; it has: {', '.join(cv.languages)}"
            )
    return langs


def emoji_warnings(view: dict, mode: str, cv_file: str = "cv.yaml") -> list[Problem]:
    """What the reader is told about emoji that will not be drawn."""
    if not view["emoji"]:
        return []
    if mode == "remove":
        return [Problem(cv_file, None, None, "options.emoji",
                        f"left out the emoji {' '.join(view['emoji'])} "
                        "(options.emoji is `remove`; set it to `draw` to draw them)", "warning")]
    lost = [e for e in view["emoji"] if twemoji_code(e) is None]
    if lost:
        return [Problem(cv_file, None, None, "",
                        f"left out the emoji {' '.join(lost)}: the TeX package "
                        "twemojis has no picture for them (is texlive-pictures installed?)",
                        "warning")]
    return []


def render_one(cv: CV, lang: str, cv_dir: Path | None = None, only: str | None = None,
               **options) -> str:
    """The .tex of one language (options as for render_one_mapped)."""
    return render_one_mapped(cv, lang, cv_dir, only, **options)[0]


def render_one_mapped(
    cv: CV, lang: str, cv_dir: Path | None = None, only: str | None = None, *,
    theme: str | None = None, today: _dt.date | None = None, photo: str | None = None,
    warnings: list[Problem] | None = None, cv_file: str = "cv.yaml", pdfa: bool = False,
) -> tuple[str, SourceMap]:
    """The .tex of one language, and which cv.yaml field each part of it came from.

    `theme` overrides cv.yaml's theme name; `photo` is the photo's file name in the
    build folder; emoji that will not be drawn are told of in `warnings`."""
    dirs, options = theme_options(cv.theme, theme, cv_dir, cv_file)
    view = localize(cv, lang, only=only, today=today)
    view["header"]["photo"] = photo
    view["pdfa"] = pdfa
    if warnings is not None:
        warnings += emoji_warnings(view, cv.options.emoji, cv_file)
    return render_tex_mapped(view, dirs, options, emoji=cv.options.emoji)


def _where(path: str, positions: Positions) -> tuple[int | None, int | None]:
    pos = positions.of_name(path)
    return pos if pos else (None, None)


def locate(
    warning: TexWarning, source: SourceMap, positions: Positions, cv_file: str, tex_file: str
) -> list[Problem]:
    """A TeX warning as warnings at the cv.yaml fields it came from, or at the .tex
    line when no field can be named (text the theme wrote itself)."""
    if warning.kind == "missing_char" and warning.char:
        spans = source.containing(warning.char)
    elif warning.lines:
        spans = source.at_lines(*warning.lines)
        # several fields on one line (a job's title, employer and dates): keep those
        # whose words are in the overflowing line TeX shows
        seen = set(words(warning.snippet))
        narrowed = [s for s in spans if seen & set(words(s.tex))]
        spans = narrowed or spans
    else:
        spans = []
    message = warning.message
    if not spans:
        line = warning.lines[0] if warning.lines else None
        return [Problem(tex_file, line, None, "", message, severity="warning")]
    out, paths = [], []
    for span in spans:
        if span.path not in paths:
            paths.append(span.path)
            line, col = _where(span.path, positions)
            out.append(Problem(cv_file, line, col, span.path, message, severity="warning"))
    return out


def build(
    cv_path: Path | str = "cv.yaml",
    lang: str = "all",
    output_dir: Path | str = "build",
    *,
    only: str | None = None,
    tex_only: bool = False,
    source_date_epoch: int | None = None,
    pdfa: bool = False,
    theme: str | None = None,
) -> list[Output]:
    """Build the CV's PDFs (or only the .tex files) for the given languages.

    Every date inside a PDF is `source_date_epoch`; when it is not given, the source
    date of the CV file (SOURCE_DATE_EPOCH, else its last git commit, else its
    modification time: see source_date.py). That date is also the "today" that ends
    the durations of current jobs, so a build can be reproduced (without it, as for
    .tex only, today is today). `theme` overrides cv.yaml's theme name; `pdfa` makes
    PDF/A-2b files."""
    cv_path = Path(cv_path)
    out_dir = Path(output_dir)
    cv, positions = load_cv_positions(cv_path)
    if source_date_epoch is None and not tex_only:
        source_date_epoch = source_date(cv_path).epoch
    langs = resolve_langs(cv, lang)
    if not tex_only:
        find_engine()  # no engine: one short message before any work
    stem = file_stem(cv) + (f"_{ascii_name(only)}" if only else "")

    today = (_dt.datetime.fromtimestamp(source_date_epoch, _dt.timezone.utc).date()
             if source_date_epoch is not None else None)
    resources = photo_resource(cv.header.photo, cv_path.parent, str(cv_path))
    photo = next(iter(resources), None)

    # Render every language first (quick): a bad theme stops before any compile, and
    # the emoji pictures are cut once for all languages.
    started = time.perf_counter()
    notes: dict[str, list[Problem]] = {code: [] for code in langs}
    rendered = {
        code: render_one_mapped(cv, code, cv_path.parent, only, theme=theme, today=today,
                                photo=photo, warnings=notes[code], cv_file=str(cv_path), pdfa=pdfa)
        for code in langs
    }
    render_s = (time.perf_counter() - started) / len(langs)

    def paths(code: str) -> tuple[Path, Path]:
        return out_dir / f"{stem}_{code}.tex", out_dir / f"{stem}_{code}.pdf"

    if tex_only:
        outputs = []
        for code in langs:
            tex_path, pdf_path = paths(code)
            write_atomic(tex_path, rendered[code][0].encode("utf-8"))
            outputs.append(Output(code, pdf_path, tex_path, 0, 0, render_s, notes[code]))
        return outputs

    with tempfile.TemporaryDirectory(prefix="cvbuild-emoji-") as emoji_dir:
        used = set().union(*(used_emoji(tex) for tex, _ in rendered.values()))
        pictures = emoji_files(used, Path(emoji_dir))

        def one(code: str) -> Output:
            started = time.perf_counter()
            tex, source = rendered[code]
            tex_path, pdf_path = paths(code)
            try:
                compiled = compile_pdf(
                    tex, source_date_epoch=source_date_epoch, resources={**resources, **pictures},
                    keep_log=out_dir / f"{stem}_{code}.log",
                )
            except CompileError as exc:
                spans = source.at_lines(exc.tex_line, exc.tex_line) if exc.tex_line else []
                if spans:
                    line, col = _where(spans[0].path, positions)
                    where = Problem(str(cv_path), line, col, spans[0].path, "")
                    raise exc.with_source(str(where).rstrip(": ")) from None
                raise
            write_atomic(pdf_path, compiled.pdf)
            write_atomic(tex_path, tex.encode("utf-8"))
            warnings = notes[code] + [
                p for w in compiled.warnings
                for p in locate(w, source, positions, str(cv_path), str(tex_path))
            ]
            return Output(code, pdf_path, tex_path, compiled.pages, len(compiled.pdf),
                          time.perf_counter() - started + render_s, warnings)

        if len(langs) == 1:
            return [one(langs[0])]
        with ThreadPoolExecutor(max_workers=len(langs)) as pool:
            return list(pool.map(one, langs))
