"""Per-language typography on plain text (applied to text runs, never to markup or URLs)."""

from __future__ import annotations

import re

NBSP = "\u00a0"

# language → (outer open, outer close, inner open, inner close)
QUOTES = {
    "ru": ("«", "»", "„", "“"),
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
}

_OPENS_AFTER = set(" \t\n([{\u00a0\u2014\u2013-/«„\u201c\u2018")


def _quotes(text: str, lang: str, depth: list[int]) -> str:
    """Straight double quotes → the language's quotes, nested pairs alternating."""
    marks = QUOTES.get(lang)
    if marks is None or '"' not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch != '"':
            out.append(ch)
            continue
        prev = text[i - 1] if i else " "
        if prev in _OPENS_AFTER:
            out.append(marks[0] if depth[0] % 2 == 0 else marks[2])
            depth[0] += 1
        else:
            depth[0] = max(depth[0] - 1, 0)
            out.append(marks[1] if depth[0] % 2 == 0 else marks[3])
    return "".join(out)


# " - " between words is a dash; a run may begin or end at markup ("**PyTorch** - …").
_SPACED_HYPHEN = re.compile(r"(?:(?<=\S)|^) +- +(?=\S|$)")
# A typed apostrophe inside a word is the typographic one: gentleman's → gentleman’s.
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# "St. Petersburg", "Dr. Watson": the abbreviation stays on the line of the name.
_EN_TITLE = re.compile(r"\b(St|Mr|Mrs|Ms|Dr|Prof|Jr|Sr|No)\. (?=\w)")
_RU_SHORT_WORD = re.compile(r"(?<![\w\u00a0])([вксуоиаяВКСУОИАЯ]) (?=\S)")


def typeset(text: str, lang: str, depth: list[int] | None = None) -> str:
    """Apply the language's quotes, dashes and no-break spaces to a run of text.

    `depth` carries the quote nesting across the runs of one paragraph."""
    depth = depth if depth is not None else [0]
    text = _quotes(text, lang, depth)
    text = _APOSTROPHE.sub("\u2019", text)
    if lang == "ru":
        text = _SPACED_HYPHEN.sub(NBSP + "\u2014 ", text)
        text = _RU_SHORT_WORD.sub(r"\1" + NBSP, text)
    elif lang == "en":
        text = _SPACED_HYPHEN.sub(" \u2013 ", text)
        text = _EN_TITLE.sub(r"\1." + NBSP, text)
    return text
