"""The pipeline: load → localize → render → compile → atomic write, for one or
many languages (compiled in parallel). The CLI, tests and CI all call `build`."""

from __future__ import annotations

import os
import re
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cvbuild.load import load_cv
from cvbuild.localize import localize
from cvbuild.model import CV
from cvbuild.render import render_tex, theme_dirs
from cvbuild.source_date import source_date
from cvbuild.tex import compile_pdf

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


def render_one(
    cv: CV, lang: str, cv_dir: Path | None = None, only: str | None = None, *, pdfa: bool = False
) -> str:
    view = localize(cv, lang, only=only)
    view["pdfa"] = pdfa
    return render_tex(view, theme_dirs(cv.theme.name, cv_dir))


def build(
    cv_path: Path | str = "cv.yaml",
    lang: str = "all",
    output_dir: Path | str = "build",
    *,
    only: str | None = None,
    tex_only: bool = False,
    source_date_epoch: int | None = None,
    pdfa: bool = False,
) -> list[Output]:
    """Build the CV's PDFs (or only the .tex files) for the given languages.

    Every date inside a PDF is `source_date_epoch`; when it is not given, the source
    date of the CV file (SOURCE_DATE_EPOCH, else its last git commit, else its
    modification time: see source_date.py). `pdfa` makes PDF/A-2b files."""
    cv_path = Path(cv_path)
    out_dir = Path(output_dir)
    cv = load_cv(cv_path)
    if source_date_epoch is None and not tex_only:
        source_date_epoch = source_date(cv_path).epoch
    langs = resolve_langs(cv, lang)
    stem = file_stem(cv) + (f"_{ascii_name(only)}" if only else "")

    def one(code: str) -> Output:
        started = time.perf_counter()
        tex = render_one(cv, code, cv_path.parent, only, pdfa=pdfa)
        tex_path = out_dir / f"{stem}_{code}.tex"
        pdf_path = out_dir / f"{stem}_{code}.pdf"
        if tex_only:
            write_atomic(tex_path, tex.encode("utf-8"))
            return Output(code, pdf_path, tex_path, 0, 0, time.perf_counter() - started)
        compiled = compile_pdf(
            tex, source_date_epoch=source_date_epoch, keep_log=out_dir / f"{stem}_{code}.log"
        )
        write_atomic(pdf_path, compiled.pdf)
        write_atomic(tex_path, tex.encode("utf-8"))
        return Output(code, pdf_path, tex_path, compiled.pages, len(compiled.pdf),
                      time.perf_counter() - started)

    if len(langs) == 1:
        return [one(langs[0])]
    with ThreadPoolExecutor(max_workers=len(langs)) as pool:
        return list(pool.map(one, langs))
