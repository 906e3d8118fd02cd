"""Fallback fonts for characters a theme's fonts lack, and the policy for those
no installed font has. Fontconfig (`fc-list`) tells which installed family covers
which code points; XeTeX's inter-character classes switch to that family for
exactly those characters, so the theme's own fonts are untouched everywhere else.

Policy, per class of character (documented in README and SECURITY.md):
- a visible character some fallback family covers: printed in that family;
- an invisible format character (zero-width space, joiners, direction marks; Unicode
  category Cf) no font covers: not drawn, with a warning; no word changes;
- any other character no installed font covers (CJK without fonts-noto-cjk, emoji,
  unassigned or private-use code points): the build refuses and names it;
- a right-to-left letter (Hebrew, Arabic), even one a fallback has: the build refuses,
  because without bidi layout its word would print reversed.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cache

from cvbuild.engine.early import question

# Tried in order; only the installed ones count. DejaVu comes with fonts-dejavu-core
# (run.sh installs it); the others are used when someone has installed them.
FALLBACK_FAMILIES = (
    "DejaVu Serif",
    "DejaVu Sans",
    "FreeSerif",
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Noto Sans",
    "Noto Sans Symbols",
    "Noto Sans Symbols2",
)

# Advice for a character no installed font has, by the start of its Unicode name.
_INSTALL_HINTS = (
    (("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "BOPOMOFO"),
     "install a CJK font (Debian: fonts-noto-cjk) to print it"),
)


@question
def cyrillic_fonts() -> frozenset[str]:
    """Families of the installed fonts that cover Russian (fontconfig's view), or an
    empty set when fontconfig cannot be asked (a build asks it early: early.py)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, ":lang=ru", "family"], capture_output=True, text=True,
                         timeout=30).stdout
    return frozenset(f.strip() for line in out.splitlines() for f in line.split(",") if f.strip())


def _parse_charset(text: str) -> set[int]:
    """fc-list's charset ("20-7e a0-17f 2c6") → the set of code points."""
    out: set[int] = set()
    for part in text.split():
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo, 16), int(hi or lo, 16)
        except ValueError:
            continue
        out.update(range(a, b + 1))
    return out


@cache
def coverage(family: str) -> frozenset[int]:
    """The code points every installed face of `family` has (bold and italic included:
    a fallback must work in every style), or nothing when it is not installed.
    Faces that also belong to a width family (Condensed, Light) are not counted."""
    exe = shutil.which("fc-list")
    if exe is None:
        return frozenset()
    proc = subprocess.run(
        [exe, f"{family}", "family", "charset"], capture_output=True, timeout=30,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
    )
    faces = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        names, _, charset = line.partition(":charset=")
        if names.split(",") == [family]:  # not "DejaVu Sans,DejaVu Sans Condensed" etc.
            faces.append(_parse_charset(charset))
    return frozenset(set.intersection(*faces)) if faces else frozenset()


def fallback_family(ch: str) -> str | None:
    """The first installed fallback family that has `ch` in every style, if any."""
    for family in FALLBACK_FAMILIES:
        if ord(ch) in coverage(family):
            return family
    return None


def fallback_preamble(chars: dict[str, str]) -> str:
    """LaTeX (fontspec, XeTeX) that prints each character in its fallback family:
    one inter-character class per family, switching the font around its runs.
    Combining marks are set without the font's mark attachment, as the themes set
    theirs: an attached mark is drawn last, at an offset, and pdftotext then ends the
    word there and reads a space at the switch back ("Ѡ͋ą" came back "Ѡ͋ ą")."""
    families = sorted(set(chars.values()))
    names = ["cvfallback" + chr(ord("A") + i) for i in range(len(families))]
    lines = [r"\XeTeXinterchartokenstate=1"]
    for family, name in zip(families, names):
        lines += [rf"\newfontfamily\{name}{{{family}}}[RawFeature={{-mark;-mkmk}}]",
                  rf"\newXeTeXintercharclass\{name}class"]
    for ch, family in sorted(chars.items()):
        lines.append(rf'\XeTeXcharclass"{ord(ch):04X}=\{names[families.index(family)]}class')
    for name in names:
        begin = rf"\begingroup\{name}"
        lines += [
            rf"\XeTeXinterchartoks 0 \{name}class={{{begin}}}",
            rf"\XeTeXinterchartoks 4095 \{name}class={{{begin}}}",
            rf"\XeTeXinterchartoks \{name}class 0={{\endgroup}}",
            rf"\XeTeXinterchartoks \{name}class 4095={{\endgroup}}",
        ]
        lines += [
            rf"\XeTeXinterchartoks \{other}class \{name}class={{\endgroup{begin}}}"
            for other in names if other != name
        ]
    return "\n".join(lines) + "\n"


def is_invisible(ch: str) -> bool:
    """A format character (Cf): zero-width space, joiners, direction marks, BOM."""
    return unicodedata.category(ch) == "Cf"


def describe(ch: str) -> str:
    """'中' (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D)"""
    name = unicodedata.name(ch, "")
    if not name:
        cat = unicodedata.category(ch)
        name = {"Cn": "unassigned code point", "Co": "private-use code point"}.get(
            cat, f"category {cat}"
        )
    shown = ch if unicodedata.category(ch)[0] not in "CZ" else ""
    return (f"'{shown}' " if shown else "") + f"(U+{ord(ch):04X} {name})"


def is_rtl(ch: str) -> bool:
    """A right-to-left letter (Hebrew, Arabic, …): XeTeX without bidi would print
    its words with their letters in the wrong order, so it is refused, not printed."""
    return unicodedata.bidirectional(ch) in ("R", "AL")


def advice(ch: str) -> str:
    if is_rtl(ch):
        return ("right-to-left text cannot be laid out by this theme (its letters would "
                "print in reverse order); remove it or write it in Latin letters")
    name = unicodedata.name(ch, "")
    for prefixes, hint in _INSTALL_HINTS:
        if name.startswith(prefixes):
            return hint
    cat = unicodedata.category(ch)
    if cat == "Cn":
        return "it is not a character (unassigned in Unicode); remove it"
    if cat == "Co":
        return "it is a private-use code point that only a special font draws; remove it"
    if cat == "So" and ord(ch) >= 0x1F000:
        return "emoji cannot be drawn by the document's fonts; remove it"
    return "no installed font has it; remove it or install a font that has it"
