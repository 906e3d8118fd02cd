"""File names of a build: the person's name romanised, the variant and the theme."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the heavy modules are imported only when something is built

    from cvbuild.source.model import CV, Variant



# BGN/PCGN-style romanisation for file names: "Сухой Даниил" → "Sukhoy_Daniil".
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
))


MAX_STEM = 60


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
    # a file name has at most 255 bytes: a name typed long must not crash the build
    return stem[:MAX_STEM].rstrip("_") or "CV"


def person_stem(cv: CV) -> str:
    """The person's name as a file name, from the first language's: "Sukhoy_Daniil"."""
    return ascii_name(cv.header.name.get(cv.languages[0]))


def file_stem(cv: CV) -> str:
    """The output name without language and extension, from the first language's name."""
    return person_stem(cv) + "_CV"


def variant_stem(cv: CV, only: Variant | None = None, theme: str | None = None) -> str:
    """The output name of a variant: the person's, then `_TAG` for each --only tag and
    `_without_TAG` for each --except tag, then `_THEME` when --theme chose a theme other
    than cv.yaml's, so that no variant overwrites the PDFs of plain `cvbuild pdf`."""
    parts = [file_stem(cv)]
    if only is not None:
        parts += [ascii_name(t) for t in only.only]
        parts += [f"without_{ascii_name(t)}" for t in only.leave_out]
    if theme is not None and theme != cv.theme.name:
        parts.append(ascii_name(theme))
    return "_".join(parts)
