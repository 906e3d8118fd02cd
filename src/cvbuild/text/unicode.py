"""Unicode as a reader sees it: which code points are ignorable, and what the words
of a text are (the unit every readback comparison counts)."""

from __future__ import annotations

import re
import unicodedata

# Unicode's default-ignorable code points (DerivedCoreProperties.txt,
# Default_Ignorable_Code_Point): joiners, direction marks, variation selectors, the
# combining grapheme joiner, fillers, tags. Nothing is drawn for them where they are
# not understood, and a reader's search skips them (words, below).
DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
DEFAULT_IGNORABLE_RE = re.compile(f"[{DEFAULT_IGNORABLE}]")

def _ignorable(c: str) -> bool:
    cat = unicodedata.category(c)
    # variation selectors choose a glyph's look, the grapheme joiner joins nothing
    # visible: nobody searches for them (default-ignorable code points)
    return (cat == "Cf" or (cat == "Cc" and not c.isspace())
            or DEFAULT_IGNORABLE_RE.match(c) is not None)


def words(text: str) -> list[str]:
    """Whitespace, punctuation, quotes and dashes aside: the words, in order.

    Both sides are read as a reader searches them: compatibility forms folded
    (NFKC: the ligature ﬁ is "fi", a no-break space a space) and invisible format
    characters (zero-width space, joiners, direction marks; Unicode Cf) and
    controls ignored; a combining mark belongs to the word it sits on."""
    # what is never printed goes first (escape() leaves controls out), so that a
    # combining mark after a dropped control composes with the letter before it
    text = "".join(c for c in text if not _ignorable(c))
    found: list[str] = []
    word: list[str] = []
    for c in unicodedata.normalize("NFKC", text):
        cat = unicodedata.category(c)
        if cat == "Cf":
            continue
        if c.isalnum() or c == "_" or cat[0] == "M":  # \w, and combining marks
            word.append(c)
        elif word:
            found.append("".join(word))
            word = []
    if word:
        found.append("".join(word))
    return found
