"""compile.wide_from: which group the sidebar sets wide, read from a first compile's
log (no TeX needed)."""

from __future__ import annotations

import pytest

from cvbuild.engine.tex import Compiled
from cvbuild.pipeline.compile import WIDE_FILE, wide_from

TEX = f"\\InputIfFileExists{{{WIDE_FILE}}}{{}}{{}}"


def _log(*notes: tuple[int, int, int]) -> str:
    """(group, start page, end page) → the notes a compile writes, in shipout order."""
    lines = []
    for group, start, end in notes:
        lines += [f"cvbuild-group {group} starts on page {start}",
                  f"cvbuild-group {group} ends on page {end}"]
    return "This is XeTeX\n" + "\n".join(lines) + "\nOutput written on cv.xdv (3 pages).\n"


@pytest.mark.parametrize("notes, expected", [
    # page one ends between groups 2 and 3: a break before 3, set wide from it
    ([(1, 1, 1), (2, 1, 1), (3, 2, 2), (4, 2, 3)], (3, True)),
    # group 2 parts between pages one and two: wide from group 3, no break
    ([(1, 1, 1), (2, 1, 2), (3, 2, 2)], (3, False)),
    # the last group parts: nothing after it, still told (the pages move to the margin)
    ([(1, 1, 1), (2, 1, 2)], (3, False)),
    # the first group parts
    ([(1, 1, 2), (2, 2, 2)], (2, False)),
])
def test_the_group_set_wide(notes, expected):
    assert wide_from(Compiled(b"", _log(*notes), 3), TEX) == expected


def test_a_line_of_the_cv_quoted_in_the_log_is_no_note():
    log = ("Overfull \\hbox in paragraph: [] cvbuild-group 1 ends on page 2\n"
           + _log((1, 1, 1), (2, 2, 2)))
    assert wide_from(Compiled(b"", log, 2), TEX) == (2, True)


def test_one_page_or_another_theme_is_compiled_once():
    log = _log((1, 1, 1), (2, 2, 2))
    assert wide_from(Compiled(b"", log, 1), TEX) is None
    assert wide_from(Compiled(b"", log, 2), "\\documentclass{article}") is None
