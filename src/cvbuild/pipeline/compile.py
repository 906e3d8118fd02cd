"""One document compiled, or taken from the compile cache; the running footer's page
total; the emoji pictures, cut once and kept in the cache."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild import cache

if TYPE_CHECKING:  # the heavy modules are imported only when something is built
    from collections.abc import Callable, Iterator

    from cvbuild.engine.compiler import Pool
    from cvbuild.engine.tex import Compiled, TexWarning



def compile_cached(
    tex: str, *, lang: str, source_date_epoch: int | None, resources: dict[str, Path],
    files: dict[str, Path], use_cache: bool, pool: Pool | None, pdf_path: Path, log: Path,
    key: str | None = None,
) -> tuple[Compiled, bool, list[str]]:
    """One document compiled, or taken from the compile cache when its .tex was compiled
    before: (the result, whether it came from the cache, the files outside the build the
    engine read). `files` are put beside the document (`resources`, emoji pictures);
    `resources` alone are in the key: emoji pictures are not (pdfseparate, where it cuts
    them, writes new IDs each time), are named in the .tex, and their source comes with
    the engine. The page count the running footer prints is remembered per `pdf_path`
    (the last build's of that PDF is told at once: a second compile only when the count
    changed); a document that widens its text from page two on (wide_from: the
    sidebar's) of more than one page is compiled once more for that. `key`: the compile
    key of `tex`, when the caller has made it (the photo is read once)."""
    from cvbuild.engine.compiler import compile_pdf
    from cvbuild.engine.formats import format_inputs
    from cvbuild.engine.tex import ENGINE, Compiled, find_engine

    ckey = key or cache.compile_key(tex, engine=ENGINE, source_date_epoch=source_date_epoch,
                                    resources=resources)
    hit = cache.get_entry("compiles", ckey) if use_cache else None
    pdf = cache.get_blob(hit["pdf"]) if hit else None
    pkey = cache.Hasher("pages").add(str(pdf_path.resolve())).hexdigest()
    if hit and pdf is not None:
        used_files = list(hit["inputs"])
        compiled = Compiled(pdf, "", hit["pages"],
                            [_tex_warning(w) for w in hit["warnings"]], used_files,
                            dict(hit.get("fallbacks", {})))
        cache.put_entry("pages", pkey, {"pages": compiled.pages})
        return compiled, True, used_files
    told = (cache.get_entry("pages", pkey) or {}).get("pages") if use_cache else None
    with page_total_file(told if told and told > 1 and PAGES_FILE in tex else None) as extra:
        if pool is not None:
            compiled = pool.compile(lang, tex, source_date_epoch=source_date_epoch,
                                    resources={**files, **extra}, keep_log=log)
        else:
            compiled = compile_pdf(tex, source_date_epoch=source_date_epoch,
                                   resources={**files, **extra}, keep_log=log)
        with wide_file(wide_from(compiled, tex)) as wide:
            if wide:
                compiled = compile_pdf(tex, source_date_epoch=source_date_epoch,
                                       resources={**files, **extra, **wide}, keep_log=log)
            compiled = with_page_total(compiled, tex, lambda extra: compile_pdf(
                tex, source_date_epoch=source_date_epoch, resources={**files, **extra, **wide},
                keep_log=log), told=told)
            given = {str(p) for p in {**extra, **wide}.values()}
    compiled.inputs = [i for i in compiled.inputs if i not in given]
    if use_cache:
        cache.put_entry("pages", pkey, {"pages": compiled.pages})
    used_files = compiled.inputs + format_inputs(tex, find_engine(ENGINE))
    if use_cache:
        cache.put_entry("compiles", ckey, {
            "pdf": cache.put_blob(compiled.pdf), "pages": compiled.pages,
            "warnings": [dataclasses.asdict(w) for w in compiled.warnings],
            "inputs": cache.signatures(used_files),
            "fallbacks": compiled.fallbacks,
        })
    return compiled, False, used_files


PAGES_FILE = "cvbuild-pages.tex"
WIDE_FILE = "cvbuild-wide.tex"
# the sidebar's notes, each a line of the log of its own (a line of the CV quoted in an
# overfull box's message is not at a line's start)
_GROUP_PAGE = re.compile(r"^cvbuild-group (\d+) (starts|ends) on page (\d+)$", re.M)


def wide_from(compiled: Compiled, tex: str) -> tuple[int, bool] | None:
    """For a document that widens its text from page two on (it reads WIDE_FILE: the
    sidebar theme, whose column is on page one only) and has more than one page, as its
    log tells its groups' pages (a heading with its first entry, or an entry): the
    first group to set wide, and whether a page break goes before it. That is the
    first group that did not end on page one, after a break, when it started on page
    two; when it parted (started on page one), the group after it, with no break: its
    lines on page two keep their width. Page one keeps what it had either way."""
    if WIDE_FILE not in tex or compiled.pages < 2:
        return None
    pages: dict[tuple[int, str], int] = {}
    for found in _GROUP_PAGE.finditer(compiled.log):
        pages[(int(found.group(1)), found.group(2))] = int(found.group(3))
    for (group, where), page in sorted(pages.items()):
        if where == "ends" and page > 1:
            started = pages.get((group, "starts"), page)
            return (group, True) if started > 1 else (group + 1, False)
    return None


@contextlib.contextmanager
def wide_file(wide: tuple[int, bool] | None) -> Iterator[dict[str, Path]]:
    """{WIDE_FILE: a file telling the first group set wide and whether a page break
    goes before it}, as compile resources, while it is used; {} for None."""
    if wide is None:
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="cvbuild-wide-") as tmp:
        path = Path(tmp) / WIDE_FILE
        group, pagebreak = wide
        path.write_text(f"\\def\\cvwidefrom{{{group}}}\\def\\cvwidebreak{{{int(pagebreak)}}}\n",
                        encoding="ascii")
        yield {WIDE_FILE: path}


@contextlib.contextmanager
def page_total_file(pages: int | None) -> Iterator[dict[str, Path]]:
    """{PAGES_FILE: a file telling the page count}, as compile resources, while it is
    used; {} for None."""
    if pages is None:
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="cvbuild-pages-") as tmp:
        path = Path(tmp) / PAGES_FILE
        path.write_text(f"\\gdef\\cvpagetotal{{{pages}}}\n", encoding="ascii")
        yield {PAGES_FILE: path}


def with_page_total(compiled: Compiled, tex: str,
                    compile_again: Callable[[dict[str, Path]], Compiled],
                    told: int | None = None) -> Compiled:
    """A document of more than one page that reads PAGES_FILE (the base template does)
    is compiled once more with that file telling its page count, which its running
    footer prints ("page 2 of 3"), unless it was `told` that count already. The count
    cannot change: the footer is below the text."""
    if compiled.pages < 2 or PAGES_FILE not in tex or compiled.pages == told:
        return compiled
    with page_total_file(compiled.pages) as extra:
        again = compile_again(extra)
    again.inputs = sorted(set(again.inputs) - {str(p) for p in extra.values()})
    return again


def emoji_pictures(codes: set[str], folder: Path) -> dict[str, Path]:
    """twemoji.emoji_files, with the pictures kept in the cache: a cut reads the 7 MB
    artwork (2 ms, or 0.04 s a page where pdfseparate cuts). Keyed by the artwork file
    (path, size, time) as kpsewhich found it last; it is looked up again when gone."""
    from cvbuild.engine.tex import locate
    from cvbuild.engine.twemoji import emoji_files

    if not codes:
        return {}
    source = locate("all-twemojis.pdf")
    if source is None:
        return emoji_files(codes, folder)  # reports what is missing
    files, missing, keys = {}, set(), {}
    for code in sorted(codes):
        artwork = cache.Hasher("emoji").add(code, source, cache.file_signature(source))
        keys[code] = artwork.hexdigest()
        entry = cache.get_entry("emoji", keys[code])
        data = cache.get_blob(entry["pdf"]) if entry else None
        if data is None:
            missing.add(code)
            continue
        name = f"emoji-{code}.pdf"
        (folder / name).write_bytes(data)
        files[name] = folder / name
    for name, path in emoji_files(missing, folder).items():
        code = name.removeprefix("emoji-").removesuffix(".pdf")
        cache.put_entry("emoji", keys[code], {"pdf": cache.put_blob(path.read_bytes()),
                                              "inputs": {}})
        files[name] = path
    return files


def _tex_warning(data: dict) -> TexWarning:
    from cvbuild.engine.tex import TexWarning

    for name in ("lines", "fonts"):
        if data.get(name) is not None:
            data[name] = tuple(data[name])
    return TexWarning(**data)
