"""Emoji as vector pictures from TeX Live's twemojis package.

The package's artwork is one PDF with a page per emoji (all-twemojis.pdf) and its
.sty maps emoji code points to pages. Loading the .sty (8,500 definitions, TikZ) and
letting the engine dig pages out of the 7 MB PDF cost about two seconds a compile,
so cvbuild reads the map itself, cuts the few pages a CV uses into small PDFs
(pdfpage.py; poppler's pdfseparate for an artwork of another shape), and the themes
include those (`\\cvemoji{1f4da}` → emoji-1f4da.pdf in the build folder)."""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cvbuild.engine.early import question
from cvbuild.engine.pdfpage import cut_page
from cvbuild.engine.tex import engine_slots, locate
from cvbuild.errors import ToolMissing

_USED = re.compile(r"\\cvemoji\{([0-9a-f-]+)\}")


@question
def twemoji_pages() -> dict[str, int]:
    """Emoji code ("1f4da", "1f468-200d-1f4bb") → page of all-twemojis.pdf; empty when
    the twemojis package is not installed. The map read from the .sty (8,500 lines) is
    kept in the cache under the file's size and modification time."""
    from cvbuild import cache

    sty = locate("twemojis.sty", "all-twemojis.pdf")
    if sty is None:
        return {}
    key = cache.Hasher("twemoji-pages").add(sty, cache.file_signature(sty)).hexdigest()
    entry = cache.get_entry("twemoji", key)
    if entry is not None:
        return entry["pages"]
    with open(sty, encoding="utf-8", errors="replace") as f:
        pages = {code: int(page) for page, code in
                 re.findall(r"\\defineTwemoji\{(\d+)\}\{([0-9a-f-]+)\}", f.read())}
    cache.put_entry("twemoji", key, {"pages": pages, "inputs": {}})
    return pages


def twemoji_code(seq: str) -> str | None:
    """The code of an emoji as twemojis names it ("1f4da"), or None if it has no picture."""
    pages = twemoji_pages()
    full = "-".join(f"{ord(c):x}" for c in seq)
    for code in (full, "-".join(f"{ord(c):x}" for c in seq if c != "\ufe0f")):
        if code in pages:
            return code
    return None


def used_emoji(tex: str) -> set[str]:
    """The emoji codes a rendered document draws."""
    return set(_USED.findall(tex))


def emoji_files(codes: set[str], folder: Path) -> dict[str, Path]:
    """Cut the pictures of `codes` out of all-twemojis.pdf into `folder`;
    {file name the document uses: file}."""
    if not codes:
        return {}
    source = locate("all-twemojis.pdf")
    if source is None:
        raise ToolMissing("the twemojis artwork (all-twemojis.pdf) is not installed; run `cvbuild doctor`")
    pages = twemoji_pages()
    artwork = Path(source).read_bytes()
    files: dict[str, Path] = {}
    rest = []
    for code in sorted(codes):  # 1.5 ms a page, read through the artwork's xref table
        picture = cut_page(artwork, pages[code])
        if picture is None:
            rest.append(code)
            continue
        path = files[f"emoji-{code}.pdf"] = folder / f"emoji-{code}.pdf"
        path.write_bytes(picture)

    exe = shutil.which("pdfseparate")
    if rest and exe is None:
        raise ToolMissing("pdfseparate (poppler-utils) is not installed; run `cvbuild doctor`")

    def cut(code: str) -> tuple[str, Path]:
        assert exe is not None
        name, page = f"emoji-{code}.pdf", str(pages[code])
        subprocess.run([exe, "-f", page, "-l", page, source, str(folder / name)],
                       check=True, capture_output=True, timeout=60)
        return name, folder / name

    if rest:  # an artwork of another shape (pdfpage.py): poppler cuts it, 0.04 s a page,
        # as many at once as engines may run
        with ThreadPoolExecutor(max_workers=min(len(rest), engine_slots())) as threads:
            files.update(threads.map(cut, rest))
    return files
