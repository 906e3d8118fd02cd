"""Text → LaTeX. `escape` makes any string print literally; `Tex` marks a string
that is already LaTeX (made here or by a template), so the renderer's finalize
hook escapes everything else. Nothing else lives here."""

from __future__ import annotations

import re
from functools import lru_cache

from cvbuild.engine.twemoji import twemoji_code
from cvbuild.text.markdown import inline_tokens, link_allowed
from cvbuild.text.unicode import DEFAULT_IGNORABLE, DEFAULT_IGNORABLE_RE, words


class Tex(str):
    """A string that is already LaTeX and must not be escaped again."""

    __slots__ = ()

    def __add__(self, other: str) -> Tex:
        return Tex(str.__add__(self, other if isinstance(other, Tex) else escape(other)))

    def __radd__(self, other: str) -> Tex:
        return Tex((other if isinstance(other, Tex) else escape(other)) + str(self))

    def join(self, items) -> Tex:
        return Tex(str.join(self, (i if isinstance(i, Tex) else escape(i) for i in items)))

    def __html__(self) -> str:  # lets Jinja treat it as safe where autoescape applies
        return str(self)


_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    # TeX ligatures (`` '' !` ?`) would change what was typed: spell the characters out.
    "`": r"\textasciigrave{}",
    "'": r"\textquotesingle{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    # brackets in braces: "[x] y" at the start of an \item (or after \\) would be
    # read as an optional argument: the text moved into the label, or a TeX error
    "[": "{[}",
    "]": "{]}",
    "\u00a0": "~",  # no-break space
    "\u202f": r"\nobreak\hspace{0.17em}",  # narrow no-break space
    "\u2009": r"\hspace{0.17em}",  # thin space
    "\u00ad": "",  # soft hyphen: we never break words
    # zero-width space: nothing to draw, and no break either, as for the soft hyphen (a
    # line broken there read back as two words; found by the long property run)
    "\u200b": "",
    "\u2060": r"\nobreak{}",  # word joiner: no break here
    "\ufeff": r"\nobreak{}",  # zero-width no-break space (a stray BOM)
    "\t": " ",
    "\n": " ",
    "\r": " ",
}
# Pairs kept apart:
# - "--" and ",," are ligatures of TeX's text mapping (en dash, „), which a theme may
#   leave on: a brace pair between the two characters;
# - "þÿ" and "ÿþ" (U+00FE, U+00FF): the PDF driver writes a run of glyphs' /ActualText
#   in PDFDocEncoding when it can, and a run that starts with those two bytes is read
#   as UTF-16 after a byte-order mark ("þÿa," came back "愬", found by the long
#   property run); a zero kern starts a new run between them (a brace pair does not).
_APART_RE = re.compile(r"([-,])(?=\1)|þ(?=ÿ)|ÿ(?=þ)")
_APART = {"-": "-{}", ",": ",{}", "þ": r"þ\kern0pt{}", "ÿ": r"ÿ\kern0pt{}"}
# A double diacritic (U+035C–U+0362, U+1DCD, U+1DFC) or half mark (U+FE20–U+FE2F) is
# drawn over the next letter, so its ink reaches far past its advance: where a text
# ends with one and **bold** or `code` follows, LaTeX's font command put that overhang
# in as italic correction, a 4.5 pt gap that read back as a space ("aß͟`ñ`" as "aß͟ ñ",
# found by the long property run). A zero kern after it leaves nothing to correct.
_OVERHANG_RE = re.compile(r"[\u035c-\u0362\u1dcd\u1dfc\ufe20-\ufe2f](?=\s*$)")
_SPECIAL_RE = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")
# Line and paragraph separators become spaces; other controls and format characters
# (zero-width joiners aside) cannot be printed, so they are left out.
_DROP = {c for c in map(chr, range(0x20)) if c not in "\t\n\r"} | {chr(0x7F)}
_DROP |= {chr(c) for c in range(0x80, 0xA0)}
# Bidirectional controls: there is no bidi layout here, and an override (U+202E) only
# makes a reader show the following text reversed, the "Trojan Source" trick.
_DROP |= {"\u061c", "\u200e", "\u200f"} | {chr(c) for c in range(0x202A, 0x202F)}
_DROP |= {chr(c) for c in range(0x2066, 0x206A)}


# Controls that separate text (vertical tab, form feed, NEL, the information
# separators) and the line and paragraph separators become spaces: dropping them
# would glue two words into one.
_BREAKS = {c for c in _DROP if c.isspace()} | {"\u2028", "\u2029"}
_DROP -= _BREAKS


def _printable(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch in _BREAKS:
        return " "
    return ch


# A run of them next to a space or at an end joins, selects, fills or forbids nothing,
# and a zero-width glyph before a space made pdftotext lose the space ("a\u200c b"
# read back "ab"; a lone U+FE0F, U+034F, and a joiner before a word joiner, likewise,
# found by the long property run): such runs are left out, the word joiner and BOM
# (which _SPECIALS turn into \nobreak) with them: no break is possible there anyway.
_LONE_FORMAT_RE = re.compile(
    rf"(?:(?<=\s)|^)[{DEFAULT_IGNORABLE}]+|[{DEFAULT_IGNORABLE}]+(?=\s|$)")


def _escape_text(s: str) -> str:
    if any(c in _DROP or c in _BREAKS for c in s):
        s = "".join(_printable(c) for c in s)
    # after the controls went: "Д\u200d\x00 j" leaves a joiner next to a space
    s = _LONE_FORMAT_RE.sub("", s)
    out = _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group()], s)
    out = _APART_RE.sub(lambda m: _APART[m.group()], out)
    return _OVERHANG_RE.sub(lambda m: m.group() + r"\kern0pt{}", out)


def escape(text: object, emoji: str = "draw") -> Tex:
    """Make text print literally in LaTeX (XeTeX, Unicode input).

    Emoji are drawn as twemoji vector images (`emoji="draw"`: `\\cvemoji{code}`,
    which a theme defines, see twemoji.py) or left out (`emoji="remove"`); an emoji twemojis does
    not have is left out too, never printed as a blank box. One left out between two
    words leaves a space, so that they stay two words."""
    if isinstance(text, Tex):
        return text
    out: list[str] = []
    runs = emoji_runs(str(text))
    kept = ""  # the last run printed (text, or a drawn emoji's sequence)
    for i, (run, is_emoji) in enumerate(runs):
        if not is_emoji:
            out.append(_escape_text(run))
            kept = run
        elif emoji == "draw" and twemoji_code(run):
            if out and out[-1].endswith(" "):  # an emoji never starts a line alone
                out[-1] = out[-1][:-1] + "~"
            out.append(_picture(run))
            kept = run
        elif out and out[-1].endswith(" ") and (i + 1 == len(runs) or runs[i + 1][0][:1] in " ,.;:!?)"):
            out[-1] = out[-1][:-1]  # "Навыки 📚" without the emoji is "Навыки", not "Навыки "
        elif i + 1 < len(runs) and not runs[i + 1][1] and _joins(kept, runs[i + 1][0]):
            # "ab🫹cd" without the emoji is "ab cd": the words it kept apart stay apart
            # (found by the long property run)
            out.append(" ")
            kept = " "
    return Tex("".join(out))


def _joins(before: str, after: str) -> bool:
    """Whether putting two texts side by side makes one word of a word at the end of
    `before` and one at the start of `after` (as a reader's search reads them)."""
    return words(before + after) != words(before + " " + after)


def _picture(seq: str) -> str:
    """An emoji's twemoji picture that reads back as typed (`\\cvreadas`, tex.ENFORCED):
    copied or extracted, "Навыки 📚" is "Навыки 📚", and emoji in a row ("📚📚") come
    back side by side. Under the picture lies an invisible copy of its letters where
    they are ASCII (a keycap's digit, Ⓜ️, ℹ️: what a reader that skips /ActualText
    gets), else an invisible space; a bare picture read back as nothing ("6️⃣ years" as
    "years", found by the long property run)."""
    code = twemoji_code(seq)
    if code is None:  # emoji_runs draws only what twemojis has a picture of
        raise ValueError(f"no twemoji picture for {seq!r}")
    picture = r"\cvemoji{" + code + "}"
    import unicodedata

    letters = "".join(c for c in unicodedata.normalize("NFKC", seq)
                      if not DEFAULT_IGNORABLE_RE.match(c) and unicodedata.category(c)[0] != "M")
    under = _escape_text(letters) if letters.isascii() and letters.isprintable() else r"\char32 "
    utf16 = "FEFF" + seq.encode("utf-16-be").hex().upper()
    return r"\cvreadas{" + utf16 + "}{" + under + "}{" + picture + "}"


# Emoji: split text into emoji and non-emoji runs (the `emoji` package knows the
# Unicode emoji list, sequences with joiners and skin tones included).
def _is_drawn_emoji(seq: str) -> bool:
    # Characters such as © ® ™ ‼ are emoji only with U+FE0F; bare, every text font has them.
    return len(seq) > 1 or ord(seq) >= 0x2190


def emoji_runs(text: str) -> list[tuple[str, bool]]:
    """Text as (run, is_emoji) pairs in order; each emoji is a run of its own."""
    if not text:
        return []
    if max(text) < "\u2190" and "\ufe0f" not in text and "\u20e3" not in text:
        # no drawn emoji can be here (see _is_drawn_emoji; keycaps need U+FE0F or
        # U+20E3): Latin, Cyrillic and the typography's quotes and dashes skip the
        # emoji library, which is slow to load and to scan
        return [(text, False)]
    import emoji as emoji_lib

    runs: list[tuple[str, bool]] = []
    last = 0
    for found in emoji_lib.emoji_list(text):
        a, b = found["match_start"], found["match_end"]
        if not _is_drawn_emoji(text[a:b]):
            continue
        if a > last:
            runs.append((text[last:a], False))
        runs.append((text[a:b], True))
        last = b
    if last < len(text):
        runs.append((text[last:], False))
    return runs


def find_emoji(text: str) -> list[str]:
    """The emoji in a text, in order."""
    return [run for run, is_emoji in emoji_runs(text) if is_emoji]


_INLINE = {
    "strong_open": r"\textbf{", "strong_close": "}",
    "em_open": r"\emph{", "em_close": "}",
}


def typeset_tokens(tokens: list, lang: str) -> list[str | None]:
    """The language's typography over a field's inline tokens as one text: for each
    token its typeset text (text and breaks), None (code spans, left alone) or ""."""
    from cvbuild.text.typography import typeset_runs

    # text and breaks are prose; code spans are opaque words; the rest is markup
    runs = [
        tok.content if tok.type == "text" else " " if tok.type in ("softbreak", "hardbreak")
        else None if tok.type == "code_inline" else ""
        for tok in tokens
    ]
    return typeset_runs(runs, lang)


def url_target(href: str) -> str:
    """The link target as it ends up in the PDF: non-ASCII and spaces percent-encoded."""
    from urllib.parse import quote

    # keep RFC 3986 reserved and unreserved characters (and existing %XX), encode the
    # rest, and a % that starts no %XX (it would break the link); the fragment is all
    # after the first #, and a # inside it is %23 (hyperref cut the link at a second #,
    # found by the long property run)
    href = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", href)
    before, mark, fragment = href.partition("#")
    return quote(before + mark + fragment.replace("#", "%23"), safe="/:@!$&'()*+,;=-._~?[]#%")


def url_label(href: str) -> str:
    """A web address as a short label: no scheme, no www., no trailing slash
    ("https://www.github.com/anna/" → "github.com/anna"); an e-mail without mailto:."""
    text = re.sub(r"^(?:https?://|mailto:|tel:)", "", href, flags=re.I)
    text = re.sub(r"^www\.", "", text, flags=re.I)
    return text.rstrip("/") or href


@lru_cache(maxsize=64)
def keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern that finds any of `keywords` as whole words, as typed (the space inside
    one may be any space: typography makes some of them no-break ones); the longest first."""
    parts = []
    for kw in sorted({k.strip() for k in keywords if k and k.strip()}, key=len, reverse=True):
        parts.append(r"[\s\u00a0\u202f\u2009]+".join(re.escape(w) for w in kw.split()))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _emphasized(run: str, pattern: re.Pattern[str] | None, emoji: str) -> Tex:
    """A run of text, escaped, each keyword in it set in bold."""
    if pattern is None:
        return escape(run, emoji)
    out, pos = [], 0
    for m in pattern.finditer(run):
        out += [escape(run[pos:m.start()], emoji), Tex(r"\textbf{"), escape(m.group(), emoji), Tex("}")]
        pos = m.end()
    out.append(escape(run[pos:], emoji))
    return Tex("").join(out)


def url(href: str) -> Tex:
    # (\textasciitilde{} reached the link as "~{}", a broken https://x.org/~user;
    # \string~ gives hyperref a plain tilde, also inside another macro's argument.)
    """A URL safe inside \\href{…}: characters TeX would act on are percent-encoded."""
    safe = url_target(href)
    return Tex(safe.replace("%", r"\%").replace("#", r"\#").replace("~", r"\string~"))


def _code(text: str, emoji: str) -> Tex:
    """A code span's text, escaped, its combining marks in the roman font: a monospace
    font's marks are as wide as a letter in the PDF (DejaVu Sans Mono's 0.6 em) though
    drawn with no advance, so a reader took the space after one as covered ("`3́` λ"
    read back as "3́λ", found by the long property run)."""
    import itertools
    import unicodedata

    def is_mark(c: str) -> bool:
        return unicodedata.category(c) in ("Mn", "Me") and not DEFAULT_IGNORABLE_RE.match(c)

    out = Tex("")
    for part, is_emoji in emoji_runs(text):
        if is_emoji:  # a keycap's mark is part of its picture
            out += escape(part, emoji)
            continue
        for mark, chars in itertools.groupby(part, is_mark):
            run = "".join(chars)
            out += Tex(r"{\rmfamily ") + escape(run, emoji) + Tex("}") if mark else escape(run, emoji)
    return out


def markup(text: str, lang: str, emoji: str = "draw", bold: re.Pattern[str] | None = None) -> Tex:
    """Inline markdown → LaTeX. The text runs of the field get the language's
    typography together (a dash after **bold** is seen), then are escaped; code spans
    and link targets are never touched. `bold` (keyword_pattern) finds the words set in
    bold in the text runs that are not bold already."""
    children = inline_tokens(text)
    typeset = typeset_tokens(children, lang)
    out: list[Tex] = []
    strong = 0
    linked: list[bool] = []  # for each open link: was it made a link
    for tok, run in zip(children, typeset):
        if tok.type == "strong_open":
            strong += 1
        elif tok.type == "strong_close":
            strong -= 1
        if tok.type == "text":
            out.append(_emphasized(run or "", None if strong else bold, emoji))
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(escape(run, emoji))
        elif tok.type == "code_inline":
            out += [Tex(r"\texttt{"), _code(tok.content, emoji), Tex("}")]
        elif tok.type == "link_open":
            # validation refuses other targets; text rendered by a theme's own `md`
            # may still hold one: its words are printed, as no link
            linked.append(link_allowed(str(tok.attrs.get("href", ""))))
            if linked[-1]:
                out += [Tex(r"\href{"), url(str(tok.attrs.get("href", ""))), Tex("}{")]
        elif tok.type == "link_close":
            if linked.pop() if linked else True:
                out.append(Tex("}"))
        elif tok.type in _INLINE:
            out.append(Tex(_INLINE[tok.type]))
        else:  # anything else is printed as it was typed
            out.append(escape(tok.content, emoji))
    return Tex("").join(out)


def plain(text: str) -> str:
    """Inline markdown → the words a reader sees (what pdftotext should give back)."""
    parts = []
    for tok in inline_tokens(text):
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.content:
            parts.append(tok.content)
    return "".join(parts)
