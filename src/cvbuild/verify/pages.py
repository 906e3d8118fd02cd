"""Page by page: what a typographer checks on a multi-page CV, read back from the PDF.

- page 2 and later end with the running footer, the name and "page N of M" in the
  PDF's language (its `page` label) (the footer is taken off each page's text before anything else reads
  it, so that it counts neither as a value nor as a stray);
- a section heading never ends a page: its first entry starts on the same page;
- an entry is split across pages only between two of its bullets, never before its
  first bullet (its title lines and first line of content stay together); a paragraph
  may be split between its lines, keeping two of them on each page (no widow, no
  orphan).

Values are found as readback finds them (words in order), each after the one before."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cvbuild.render.localize import labels_of
from cvbuild.render.printed import text_values
from cvbuild.source.model import CV, Variant
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


def _lines_and_words(page: str) -> list[tuple[str, int]]:
    """A page's words, each with the number of the line it is on."""
    return [(w, i) for i, line in enumerate(page.splitlines()) for w in words(line)]


def _strip(cv: CV, lang: str, pages: list[str],
           ) -> tuple[list[list[tuple[str, int]]], list[int]]:
    """strip_footers, each word with its line."""
    total = len(pages)
    out: list[list[tuple[str, int]]] = []
    missing: list[int] = []
    for number, page in enumerate(pages, 1):
        found = _lines_and_words(page)
        if number > 1:
            name, label = (words(t) for t in footer_text(cv, lang, number, total))
            at = _rfind([w for w, _ in found], label)
            if at >= 0 and at + len(label) >= len(found) - len(name):
                found = found[:at] + found[at + len(label):]
                named = _rfind([w for w, _ in found], name)
                if named >= 0:
                    found = found[:named] + found[named + len(name):]
                else:
                    missing.append(number)
            else:
                missing.append(number)
        out.append(found)
    return out, missing


def strip_footers(cv: CV, lang: str, pages: list[str]) -> tuple[list[list[str]], list[int]]:
    """Each page's words without its footer, and the pages (from 2 on) that lack one.
    The footer is the last "page N of M" of its page and the last copy of the name
    before it: a reader may put a right-aligned date of the page's last lines between
    the two (as two columns), or the name after the number."""
    stripped, missing = _strip(cv, lang, pages)
    return [[w for w, _ in page] for page in stripped], missing


def text_without_footers(cv: CV, lang: str, text: str) -> str:
    """The PDF's text as one string, each page's footer taken off."""
    pages, _ = strip_footers(cv, lang, split_pages(text))
    return "\n".join(" ".join(p) for p in pages)


@dataclass(frozen=True)
class _Found:
    path: str
    first: int  # the page its first word is on
    last: int  # the page its last word is on
    lines_first: int  # how many lines it has on its first page
    lines_last: int  # and on its last


def _locate(cv: CV, lang: str, pages: list[list[tuple[str, int]]],
            only: Variant | None = None) -> list[_Found]:
    """Where each printed value found is, in the CV's order. An entry's values are
    searched from where the entry before ended, in any order (a theme may print the
    position before the company), and the next entry is searched after the last of
    them; a value not found there is left out (readback reports it)."""
    flat: list[str] = []
    at_: list[tuple[int, int]] = []  # (page, line) of each word
    for number, page in enumerate(pages, 1):
        flat += [w for w, _ in page]
        at_ += [(number, line) for _, line in page]
    found: list[_Found] = []
    cursor = 0
    run: list[tuple[str, list[str]]] = []

    def close_run() -> None:
        nonlocal cursor
        ends = []
        for path, needle in run:
            at = _find(flat, needle, cursor)
            if at >= 0:
                ends.append(at + len(needle))
                spots = at_[at:at + len(needle)]
                first, last = spots[0][0], spots[-1][0]
                found.append(_Found(path, first, last,
                                    len({ln for p, ln in spots if p == first}),
                                    len({ln for p, ln in spots if p == last})))
        if ends:
            cursor = max(ends)
        run.clear()

    run_key = None
    for path, value in text_values(cv, lang, only=only):
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


def page_problems(cv: CV, lang: str, text: str, only: Variant | None = None,
                  ) -> list[PageProblem]:
    """Every break of the rules above in the PDF whose pdftotext text is `text` (of the
    variant `only`)."""
    raw_pages = split_pages(text)
    pages, missing = _strip(cv, lang, raw_pages)
    problems = [PageProblem("", f"page {n} has no running footer (the name and \"{footer_text(cv, lang, n, len(raw_pages))[1]}\")") for n in missing]
    entries: dict[str, list[_Found]] = {}
    titles: dict[str, _Found] = {}
    for f in _locate(cv, lang, pages, only):
        m = _ENTRY.match(f.path)
        if m:
            entries.setdefault(m.group(1), []).append(f)
        elif re.fullmatch(r"sections\[\d+\]\.title", f.path):
            titles[f.path.removesuffix(".title")] = f
    for section, title in titles.items():
        first_entry = entries.get(f"{section}.entries[0]")
        if first_entry and min(f.first for f in first_entry) > title.last:
            problems.append(PageProblem(title.path, f"the heading ends page {title.last}; its "
                                                    "first entry starts on the next page"))
    for entry, values in entries.items():
        problems += _entry_split(entry, values)
    return problems


def split_entries(cv: CV, lang: str, text: str, only: Variant | None = None) -> list[str]:
    """The entries whose values run over a page end (allowed or not), by cv.yaml path."""
    pages, _ = _strip(cv, lang, split_pages(text))
    spans: dict[str, set[int]] = {}
    for f in _locate(cv, lang, pages, only):
        m = _ENTRY.match(f.path)
        if m:
            spans.setdefault(m.group(1), set()).update((f.first, f.last))
    return [entry for entry, on in spans.items() if len(on) > 1]


def _entry_split(entry: str, values: list[_Found]) -> list[PageProblem]:
    """Where one entry's values run over a page end, unless only between two bullets
    (or between the lines of a paragraph, two of them at least on each page)."""
    if len({p for f in values for p in (f.first, f.last)}) == 1:
        return []
    problems = []
    top = min(f.first for f in values)
    for f in values:
        field = f.path[len(entry):]
        bullet = _BULLET.match(field)
        if f.first != f.last:  # a value cut in two: only a paragraph may be
            if field != ".text":
                problems.append(PageProblem(f.path, f"split between pages {f.first} and {f.last}"))
            elif min(f.lines_first, f.lines_last) < 2:
                where = (f"at the foot of page {f.first}" if f.lines_first < 2
                         else f"at the top of page {f.last}")
                problems.append(PageProblem(f.path, f"one line of the paragraph alone {where}"))
        elif f.first > top and not (bullet and int(bullet.group(1)) > 0):
            what = "its first bullet" if bullet else "its title or first lines"
            problems.append(PageProblem(f.path, f"the entry is split across pages "
                                                f"{top} and {f.first} before {what}"))
            break
    return problems
