"""What a reader (an applicant tracking system) gets back from a PDF, and what it
should get: the text values of a CV in one language, compared word by word."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cvbuild.errors import ToolMissing
from cvbuild.render.printed import text_values
from cvbuild.source.model import CV, Variant
from cvbuild.text.unicode import words


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise ToolMissing(f"{tool} (poppler-utils) is not installed; run `cvbuild doctor`")
    return path


def pdf_text(pdf: Path, raw: bool = False) -> str:
    """The PDF's text as pdftotext reads it (reading order, no layout). `raw` keeps
    the content stream's order without layout analysis, whose heuristics can join
    one-letter words around a link ("c d" alone on a line came back "cd")."""
    proc = subprocess.run(
        [_poppler("pdftotext"), "-enc", "UTF-8", *(["-raw"] if raw else []), str(pdf), "-"],
        capture_output=True, timeout=60,
    )
    if proc.returncode != 0:
        raise ValueError(proc.stderr.decode("utf-8", "replace").strip() or "pdftotext failed")
    return proc.stdout.decode("utf-8")


@dataclass(frozen=True)
class FontInfo:
    name: str
    type: str
    embedded: bool
    unicode: bool


def pdf_fonts(pdf: Path) -> list[FontInfo]:
    """The fonts of a PDF as pdffonts lists them."""
    proc = subprocess.run([_poppler("pdffonts"), str(pdf)], capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.decode("utf-8", "replace").strip() or "pdffonts failed")
    lines = proc.stdout.decode("utf-8", "replace").splitlines()[2:]
    fonts = []
    for line in lines:
        # name type... encoding emb sub uni object ID: the last six columns are fixed
        parts = line.split()
        if len(parts) < 7:
            continue
        emb, _sub, uni = parts[-5], parts[-4], parts[-3]
        name = parts[0]
        ftype = " ".join(parts[1:-6])
        fonts.append(FontInfo(name, ftype, emb == "yes", uni == "yes"))
    return fonts


def _haystack(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def _needle(value: str) -> str:
    return f" {' '.join(words(value))} "


def _count(haystack: str, needle: str) -> int:
    """How often `needle` is in `haystack`, no two sharing a word."""
    n, at = 0, haystack.find(needle)
    while at >= 0:
        n += 1
        at = haystack.find(needle, at + len(needle) - 1)  # the space after it may start one
    return n


def _block(path: str) -> str:
    """The object a value belongs to: `a[0].b[2].text` → `a[0].b[2]`; list items stand alone."""
    return path if path.endswith("]") else path.rpartition(".")[0]


@dataclass(frozen=True)
class OrderProblem:
    path: str
    value: str
    problem: str  # "missing" or "out of order"


def section_order(cv: CV, sidebar: list[str] | tuple[str, ...] = ()) -> list[int] | None:
    """The order a theme prints the CV's sections in: a two-column theme (its theme.yaml
    `sidebar:` entry kinds) writes the sections whose entries are all of those kinds
    first, as one block, then the others; None when that is the CV's own order."""
    if not sidebar:
        return None
    side = [i for i, s in enumerate(cv.sections)
            if all(type(e).__name__ in sidebar for e in s.entries)]
    order = side + [i for i in range(len(cv.sections)) if i not in side]
    return None if order == sorted(order) else order


def in_order(values: list[tuple[str, str]], order: list[int] | None) -> list[tuple[str, str]]:
    """The values with the sections' in `order` (the header's first, as printed)."""
    if order is None:
        return values
    rank = {index: at for at, index in enumerate(order)}

    def key(item: tuple[int, tuple[str, str]]) -> tuple[int, int]:
        at, (path, _) = item
        if not path.startswith("sections["):
            return (-1, at)
        return (rank[int(path[len("sections["):path.index("]")])], at)

    return [value for _, value in sorted(enumerate(values), key=key)]


def reading_order(cv: CV, lang: str, text: str, only: Variant | None = None,
                  order: list[int] | None = None) -> list[OrderProblem]:
    """Values that a reader of `text` does not meet in the CV's order (see order_problems);
    `only`: of that variant; `order` (section_order): the order a two-column theme prints
    the sections in."""
    return order_problems(in_order(list(text_values(cv, lang, only=only)), order), text)


def order_problems(values: Iterable[tuple[str, str]], text: str) -> list[OrderProblem]:
    """Values (path, text) that a reader of `text` does not meet in their order.

    Values are taken in runs that belong to one object (an entry's fields, one bullet,
    one skill): the runs must come in the CV's order, each after the run before it;
    inside a run the order is the theme's to choose (a theme may print the position
    before the company). A value found only before its place is "out of order"; one not
    found at all is "missing". A run starts after the end of the one before, so that
    a value printed once cannot stand for two equal ones."""
    haystack = _haystack(text)
    problems: list[OrderProblem] = []
    cursor = 0
    run: list[tuple[str, str]] = []
    wanted: dict[str, int] = {}  # needle → values with it so far

    def close_run() -> None:
        nonlocal cursor
        ends = []
        for path, value in run:
            needle = _needle(value)
            n = wanted[needle] = wanted.get(needle, 0) + 1
            at = haystack.find(needle, cursor)
            if at >= 0:
                ends.append(at + len(needle) - 1)  # the space after it starts the next
            elif _count(haystack, needle) >= n:  # printed, but before its place
                problems.append(OrderProblem(path, value, "out of order"))
            else:
                problems.append(OrderProblem(path, value, "missing"))
        if ends:
            cursor = max(ends)
        run.clear()

    for path, value in values:
        if not words(value):
            continue
        if run and _block(run[-1][0]) != _block(path):
            close_run()
        run.append((path, value))
    close_run()
    return problems
