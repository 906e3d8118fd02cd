"""Page by page: what a typographer checks on a multi-page CV, read back from the PDF.

- page 2 and later end with the running footer, the name and "page N of M" in the
  PDF's language (its `page` label) (the footer is taken off each page's text before anything else reads
  it, so that it counts neither as a value nor as a stray);
- a section heading never ends a page: its first entry starts on the same page;
- an entry is split across pages only between two of its bullets, never before its
  first bullet (its title lines and first line of content stay together); a paragraph
  may be split between its lines, keeping two of them on each page.

Values are found as readback finds them (words in order), each after the one before."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cvbuild.render.localize import labels_of
from cvbuild.render.printed import text_values
from cvbuild.source.model import CV
from cvbuild.text.locales import words as locale_words
from cvbuild.text.unicode import words

_ENTRY = re.compile(r"^(sections\[\d+\]\.entries\[\d+\])(.*)$")
# a top-level bullet of an entry: highlights[k] or bullets[k], with or without a field
_BULLET = re.compile(r"^\.(?:highlights|bullets)\[(\d+)\]")


@dataclass(frozen=True)
class PageProblem:
    path: str  # the cv.yaml path it is about ("" for the document)
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def footer_text(cv: CV, lang: str, page: int, total: int) -> tuple[str, str]:
    """The running footer of `page` as it reads back: the name, and the language's
    "page N of M" label ("Страница 2 из 3", "Page 2 of 3", or cv.yaml's `labels:`)."""
    label = locale_words(lang, labels_of(cv))["page"]
    return cv.header.name.get(lang), label.format(page=page, pages=total)


def split_pages(text: str) -> list[str]:
    """pdftotext's text, one string a page (it ends each page with a form feed)."""
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def _rfind(found: list[str], needle: list[str]) -> int:
    for i in range(len(found) - len(needle), -1, -1):
        if found[i:i + len(needle)] == needle:
            return i
    return -1


def strip_footers(cv: CV, lang: str, pages: list[str]) -> tuple[list[list[str]], list[int]]:
    """Each page's words without its footer, and the pages (from 2 on) that lack one.
    The footer is the last "page N of M" of its page and the last copy of the name
    before it: a reader may put a right-aligned date of the page's last lines between
    the two (as two columns), or the name after the number."""
    total = len(pages)
    out: list[list[str]] = []
    missing: list[int] = []
    for number, page in enumerate(pages, 1):
        found = words(page)
        if number > 1:
            name, label = (words(t) for t in footer_text(cv, lang, number, total))
            at = _rfind(found, label)
            if at >= 0 and at + len(label) >= len(found) - len(name):
                found = found[:at] + found[at + len(label):]
                named = _rfind(found, name)
                if named >= 0:
                    found = found[:named] + found[named + len(name):]
                else:
                    missing.append(number)
            else:
                missing.append(number)
        out.append(found)
    return out, missing


def text_without_footers(cv: CV, lang: str, text: str) -> str:
    """The PDF's text as one string, each page's footer taken off."""
    pages, _ = strip_footers(cv, lang, split_pages(text))
    return "\n".join(" ".join(p) for p in pages)


def _locate(cv: CV, lang: str, pages: list[list[str]]) -> list[tuple[str, int, int]]:
    """(path, first page, last page) of each printed value found, in the CV's order.
    An entry's values are searched from where the entry before ended, in any order (a
    theme may print the position before the company), and the next entry is searched
    after the last of them; a value not found there is left out (readback reports it)."""
    flat: list[str] = []
    page_of: list[int] = []
    for number, page in enumerate(pages, 1):
        flat += page
        page_of += [number] * len(page)
    found: list[tuple[str, int, int]] = []
    cursor = 0
    run: list[tuple[str, list[str]]] = []

    def close_run() -> None:
        nonlocal cursor
        ends = []
        for path, needle in run:
            at = _find(flat, needle, cursor)
            if at >= 0:
                ends.append(at + len(needle))
                found.append((path, page_of[at], page_of[at + len(needle) - 1]))
        if ends:
            cursor = max(ends)
        run.clear()

    run_key = None
    for path, value in text_values(cv, lang):
        needle = words(value)
        if not needle:
            continue
        m = _ENTRY.match(path)
        key = m.group(1) if m else path
        if key != run_key:
            close_run()
            run_key = key
        run.append((path, needle))
    close_run()
    return found


def _find(flat: list[str], needle: list[str], start: int) -> int:
    n = len(needle)
    first = needle[0]
    for i in range(start, len(flat) - n + 1):
        if flat[i] == first and flat[i:i + n] == needle:
            return i
    return -1


def page_problems(cv: CV, lang: str, text: str) -> list[PageProblem]:
    """Every break of the rules above in the PDF whose pdftotext text is `text`."""
    raw_pages = split_pages(text)
    pages, missing = strip_footers(cv, lang, raw_pages)
    problems = [PageProblem("", f"page {n} has no running footer (the name and \"{footer_text(cv, lang, n, len(raw_pages))[1]}\")") for n in missing]
    located = _locate(cv, lang, pages)
    entries: dict[str, list[tuple[str, int, int]]] = {}
    titles: dict[str, tuple[str, int]] = {}
    for path, first, last in located:
        m = _ENTRY.match(path)
        if m:
            entries.setdefault(m.group(1), []).append((m.group(2), first, last))
        elif re.fullmatch(r"sections\[\d+\]\.title", path):
            titles[path.removesuffix(".title")] = (path, last)
    for section, (path, page) in titles.items():
        first_entry = entries.get(f"{section}.entries[0]")
        if first_entry and min(p for _, p, _ in first_entry) > page:
            problems.append(PageProblem(path, f"the heading ends page {page}; its first "
                                              "entry starts on the next page"))
    for entry, values in entries.items():
        problems += _entry_split(entry, values)
    return problems


def _entry_split(entry: str, values: list[tuple[str, int, int]]) -> list[PageProblem]:
    """Where one entry's values run over a page end, unless only between two bullets."""
    if len({p for _, first, last in values for p in (first, last)}) == 1:
        return []
    problems = []
    top = min(first for _, first, _ in values)
    for field, first, last in values:
        bullet = _BULLET.match(field)
        if first != last and not field == ".text":  # a value cut in two; a paragraph may be
            problems.append(PageProblem(entry + field, f"split between pages {first} and {last}"))
        elif first > top and not (bullet and int(bullet.group(1)) > 0):
            what = "its first bullet" if bullet else "its title or first lines"
            problems.append(PageProblem(entry + field, f"the entry is split across pages "
                                                       f"{top} and {first} before {what}"))
            break
    return problems
