"""Per-language typography on the whole text of a field.

A field's text may be split into runs by inline markup ("**Hugging Face** - имею").
Rules that look at neighbouring characters (quotes, dashes, no-break spaces) must see
the field as one text, so `typeset_runs` joins the runs, applies the rules to the
whole and cuts the result back at the same places. To make the cut exact, every
context rule replaces characters one for one (a space by a no-break space, a hyphen
by a dash); the few rules that change the length ("..." → "…") see no context and run
on each piece afterwards. URLs, e-mail addresses and opaque runs (code spans) are
never changed: they are masked while the rules run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from cvbuild.text.locales import words

NBSP = "\u00a0"
# Stands for a run the rules must not change or look into (a code span): one
# character that is not a space and not a letter, like a word made of symbols.
OPAQUE = "\ufffc"

NNBSP = "\u202f"  # narrow no-break space: inside French « », before ; ! ?


def quotes(lang: str) -> str:
    """outer open, outer close, inner open, inner close (locales.py)"""
    return words(lang)["quotes"]

_OPENS_AFTER = set(" \t\n([{\u00a0\u2014\u2013-/«„\u201c\u2018")


def _quotes(text: str, lang: str) -> str:
    """Straight quotes → the language's quotes, nested pairs alternating.

    A double quote after a space or an opening bracket opens, any other closes; the
    depth decides between the outer and the inner pair («…„…“…»). A single quote is
    an apostrophe (’) unless, in English, it opens after a space (‘…’)."""
    marks = quotes(lang)
    if '"' not in text and "'" not in text:
        return text
    out, depth = [], 0
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        if ch == "'":
            out.append("\u2018" if lang == "en" and prev in _OPENS_AFTER else "\u2019")
        elif ch != '"':
            out.append(ch)
        elif prev in _OPENS_AFTER:
            out.append(marks[0] if depth % 2 == 0 else marks[2])
            depth += 1
        else:
            depth = max(depth - 1, 0)
            out.append(marks[1] if depth % 2 == 0 else marks[3])
    return "".join(out)


# A hyphen standing between words, spaces around it; in Russian also a dash typed so
# (it gets its no-break space). A dash an English text typed on purpose stays as it is.
_SPACED_DASH = re.compile(r"(?<=\S) [-\u2013\u2014] (?=\S)")
_SPACED_HYPHEN = re.compile(r"(?<=\S) - (?=\S)")
# Elsewhere a hyphen or an en dash between spaces becomes an en dash that does not
# start a line; an em dash typed on purpose stays as it is.
_SPACED_EN = re.compile(r"(?<=\S) [-\u2013] (?=\S)")
# A range of numbers typed with a hyphen: 2019-2021, 10-15. Not 123-45-67 (a phone).
_NUMBER_RANGE = re.compile(r"(?<![\d\-./])(\d{1,4})-(\d{1,4})(?![\d\-])")
# Initials: "А. С. Пушкин", "J. R. R. Tolkien", "Ł. Kowalski", "Є. Петренко": any capital
# letter of Latin (with its accents) and Cyrillic.
_UPPER = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper() and c.isalpha())
_INITIAL = re.compile(rf"(?<![\w.\u00a0])([{_UPPER}])\. (?=[{_UPPER}])")

# Russian: one-letter prepositions and conjunctions and the short prepositions that
# a Russian typographer also keeps with the next word; other languages' lists are in
# their rows (locales.py: keep_next).
_RU_SHORT = words("ru")["keep_next"]


@cache
def _before_next(lang: str) -> re.Pattern[str] | None:
    short = words(lang)["keep_next"]
    return re.compile(rf"(?<![\w\-])((?i:{short})) (?=\S)") if short else None

# A number and the word after it (5 лет, 3 sigma), unless that word is a preposition
# or conjunction ("в 2021 за год": the number goes with what comes before).
_EN_SHORT = "a|an|and|or|to|in|of|at|on|by|for|the|as|is|but|from|with|than"
_NUMBER_WORD = re.compile(
    rf"(?<![\w.,])(\d+) (?=[^\W\d_])(?!(?i:{_RU_SHORT}|{_EN_SHORT})(?!\w))"
)
# Particles that lean on the word before: "если бы", "он же", "так ли".
_RU_AFTER_PREV = re.compile(r"(?<=\w) (?=(?:бы|ли|же|ль|ж|б)(?!\w))")
# Abbreviations of two parts: "т. д.", "т. е.", "т. п.", "н. э.", "н. в."; "z. B.",
# "d. h.", "u. a." in German.
_RU_ABBREV = re.compile(r"(?<![\w.])([а-яёєіїґ]{1,2})\. (?=[а-яёєіїґ]{1,2}\.)")
_DE_ABBREV = re.compile(r"(?<![\w.])([a-zäöü]{1,2})\. (?=[a-zA-ZäöüÄÖÜ]{1,2}\.)")

# "St. Petersburg", "Dr. Watson": the abbreviation stays on the line of the name.
_EN_TITLE = re.compile(r"\b(St|Mr|Mrs|Ms|Dr|Prof|Jr|Sr|No)\. (?=\w)")
# "№ 57", "§ 3": the sign stays with its number.
_SIGN_NUMBER = re.compile(r"([№§]) (?=\d)")

# An e-mail address is looked for only where a run of its characters starts: tried at
# every letter of a long word, `[\w.+-]+@` scanned to the word's end each time, and
# 100,000 letters took 41 s (issue 14). A match that starts inside such a run would
# also match from the run's start, so the matches are the same.
_URLISH = re.compile(r"\b(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _context_rules(text: str, lang: str) -> str:
    """The rules that look at neighbours. Each keeps the length of the text."""
    text = _quotes(text, lang)
    text = _NUMBER_RANGE.sub("\\1\u2013\\2", text)
    text = _NUMBER_WORD.sub("\\1" + NBSP, text)
    text = _INITIAL.sub("\\1." + NBSP, text)
    text = _SIGN_NUMBER.sub("\\1" + NBSP, text)
    dash = words(lang)["dash"]
    if dash == "em":  # Russian, Ukrainian, Bulgarian: an em dash that never starts a line
        text = _SPACED_DASH.sub(NBSP + "\u2014 ", text)
        text = _RU_ABBREV.sub("\\1." + NBSP, text)
    elif lang == "en":
        text = _SPACED_HYPHEN.sub(" \u2013 ", text)
        text = _EN_TITLE.sub("\\1." + NBSP, text)
    else:  # an en dash between spaces, kept off the start of a line
        text = _SPACED_EN.sub(NBSP + "\u2013 ", text)
        if lang == "de":
            text = _DE_ABBREV.sub("\\1." + NBSP, text)
    before_next = _before_next(lang)
    if before_next is not None:
        text = before_next.sub("\\1" + NBSP, text)
    if lang == "ru":
        text = _RU_AFTER_PREV.sub(NBSP, text)
    return text


# French: a narrow no-break space inside « » and before ; ! ? (one typed or none, after
# a word), a no-break space before a colon that ends a clause (not 10:30).
_FR_OPEN = re.compile(r"«[ \u00a0]?")
_FR_CLOSE = re.compile(r"[ \u00a0]?»")
_FR_HIGH = re.compile(r"(?<=[\w»)\]])[ \u00a0]?([;!?]+)")
_FR_COLON = re.compile(r"(?<=[\w»)\]])[ \u00a0]?:(?=\s|$)")


def _local_rules(text: str, lang: str) -> str:
    """Rules that need no neighbours and may change the length."""
    text = text.replace("...", "\u2026")
    if lang == "fr":
        text = _FR_OPEN.sub("«" + NNBSP, text)
        text = _FR_CLOSE.sub(NNBSP + "»", text)
        text = _FR_HIGH.sub(NNBSP + "\\1", text)
        text = _FR_COLON.sub(NBSP + ":", text)
    return text


def _masked(text: str) -> tuple[str, list[tuple[int, int]]]:
    spans = [m.span() for m in _URLISH.finditer(text)]
    chars = list(text)
    for a, b in spans:
        chars[a:b] = OPAQUE * (b - a)
    return "".join(chars), spans


def typeset_runs(runs: Sequence[str | None], lang: str) -> list[str | None]:
    """Typeset the runs of one field as one text; `None` is an opaque run (code)
    that counts as a word for its neighbours and comes back as None."""
    pieces = [OPAQUE if r is None else re.sub(r"\s+", " ", r) for r in runs]
    whole = "".join(pieces)
    masked, spans = _masked(whole)
    done = _context_rules(masked, lang)
    assert len(done) == len(whole), "a context rule changed the text's length"
    chars = list(done)
    for a, b in spans:
        chars[a:b] = whole[a:b]
    done = "".join(chars)
    out: list[str | None] = []
    pos = 0
    for run, piece in zip(runs, pieces):
        part = done[pos:pos + len(piece)]
        pos += len(piece)
        out.append(None if run is None else _outside_urls(part, lambda t: _local_rules(t, lang)))
    return out


def _outside_urls(text: str, rule) -> str:
    """Apply `rule` to the parts of `text` that are not URLs or e-mail addresses."""
    parts, last = [], 0
    for m in _URLISH.finditer(text):
        parts += [rule(text[last:m.start()]), m.group()]
        last = m.end()
    parts.append(rule(text[last:]))
    return "".join(parts)


def typeset(text: str, lang: str) -> str:
    """Apply the language's quotes, dashes and no-break spaces to one plain text."""
    return typeset_runs([text], lang)[0] or ""
