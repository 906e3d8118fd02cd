"""Is every language of the CV, and of an application's letter, really written in that
language? Pure: the CV (or an application of it) in, the findings out, each at its
field's path.

- untranslated: a text printed in one language whose words are in a script another
  language of the file uses and this one does not: Cyrillic words in the English PDF,
  English prose in the Russian one. Judged by words, not by one letter: a Russian text
  full of technical terms in Latin ("PyTorch", "mixed precision") is Russian, so Latin
  words read as prose only when they are at least three, outnumber the others and hold
  a word no list of terms has (and, the, with, und, avec…: FUNCTION_WORDS).
  Two languages in one script (de and en) are told apart by those small words: a text
  printed in German with three or more English ones, more than its German ones, is
  untranslated; a German text with an English term in it is German.
  Code spans, URLs, e-mail addresses and link targets are not words.
- copied: a `{lang: …}` text that is, letter for letter, another language's text.
- todo: a text that starts with TODO (what `cvbuild init` writes for a new language).
- shared: a plain string (the same for every language) that is none of the above: for
  the report only; `same: …` marks one as meant so, and the report leaves it out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from cvbuild.errors import Problem
from cvbuild.source.model import CV, Localized
from cvbuild.source.reader import Path_, Positions, format_path
from cvbuild.text.locales import script_of

if TYPE_CHECKING:  # only a type here: validate and pdf need not load the application's model
    from cvbuild.source.application import Application

KINDS = ("untranslated", "copied", "todo", "shared")
WARNED = ("untranslated", "copied", "todo")  # what validate and pdf warn of (--strict: errors)

TODO = re.compile(r"^\s*TODO\b")
# Not words: code spans, link targets, URLs and e-mail addresses.
_NOT_WORDS = re.compile(
    r"`[^`]*`|\]\([^)]*\)|\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_WORD = re.compile(r"[^\W\d_]{2,}")
# Words of prose, never of a name or a term, per language of the table (two letters or
# more: shorter ones are not words here). In Latin letters, a run of words with one of
# them is a sentence, not a list of terms; and a text whose such words are another
# language's reads as that language even in the same script (English in a German field).
_FUNCTION_WORDS_BY_LANG: dict[str, frozenset[str]] = {
    code: frozenset(words.split()) for code, words in {
        "en": "the and of to in on for with from by at is are was were be been my our we "
              "it this that as an or not have has can will",
        "de": "der die das und mit für von ist sind ein eine zu auf im den dem des nicht "
              "ich wir bei auch oder",
        "fr": "le la les et avec pour dans est une des du au je nous sur pas ou aussi",
        "es": "el los las con para por es una del que en yo y o también",
        "it": "il di che con per sono gli della nel una anche",
        "pt": "os as com para uma não em eu do da dos das também",
        "pl": "się jest na nie że do od jak oraz dla jako też",
        "cs": "je se na ve pro jsem jako od že také",
        "nl": "het een van en met voor niet ik zijn op ook",
        "ru": "что это для как был была были из от мы или также его при все уже",
        "uk": "що це для як був була були із від ми або також його при все вже та",
        "bg": "че това за като беше от ние или също се са бях",
    }.items()
}
# Latin words read as prose when one of these is among them (any Latin language's).
FUNCTION_WORDS = frozenset().union(*(
    words for code, words in _FUNCTION_WORDS_BY_LANG.items()
    if code not in ("ru", "uk", "bg")))


@dataclass(frozen=True)
class Finding:
    lang: str
    path: Path_
    kind: str
    text: str
    other: str | None = None  # copied: the language it is the same as

    @property
    def where(self) -> str:
        return format_path(self.path)

    def message(self) -> str:
        """The warning: what is wrong and what to do."""
        short = _short(self.text)
        if self.kind == "untranslated":
            return (f"'{short}' is not {self.lang} text (its words are another language's); "
                    f"give its {self.lang} text (`{self.lang}: …`), or write it `same: …` if "
                    "it is meant to be the same in every language (a name)")
        if self.kind == "copied":
            return (f"the {self.lang} text is the {self.other} text, '{short}'; translate it, "
                    "or write it once as `same: …` if it is meant to be the same")
        if self.kind == "todo":
            return f"the {self.lang} text is still to be written: '{short}'"
        return f"'{short}' is printed in every language as it is"

    def brief(self) -> str:
        """One line of the report."""
        short = _short(self.text)
        if self.kind == "copied":
            return f"copied from {self.other}: '{short}'"
        return f"{self.kind}: '{short}'"


_HINTS = {
    "shared": "shared: printed as it is in every language; write it `same: …` if that is "
              "meant (a name, a technology), and the report leaves it out",
    "untranslated": "untranslated: its words are another language's (its script, or its "
                    "small words: and, the, und…); give the language's own text, or "
                    "`same: …` for a name",
    "copied": "copied: the same letters as another language's text; translate it, or write "
              "it once as `same: …`",
    "todo": "todo: starts with TODO (as `cvbuild init` writes a new language's text); "
            "write the text",
}


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def script_words(text: str) -> dict[str, int]:
    """How many words of two letters or more each script has in a text; a word mixing
    scripts (a homoglyph) counts for none. "prose" counts the Latin FUNCTION_WORDS."""
    counts: dict[str, int] = {}
    for word in _WORD.findall(_NOT_WORDS.sub(" ", text)):
        scripts = {_script(ch) for ch in word}
        if len(scripts) == 1:
            (script,) = scripts
            counts[script] = counts.get(script, 0) + 1
            if script == "Latn" and word.lower() in FUNCTION_WORDS:
                counts["prose"] = counts.get("prose", 0) + 1
    return counts


_SCRIPT_OF_NAME = {"LATIN": "Latn", "CYRILLIC": "Cyrl", "GREEK": "Grek"}


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return _SCRIPT_OF_NAME.get(name.split(" ", 1)[0], "other")


def _has_words(text: str) -> bool:
    return bool(_WORD.search(_NOT_WORDS.sub(" ", text)))


def reads_as(text: str, lang: str, other: str) -> bool:
    """Whether a text printed in `lang` reads as `other`, a language of the same script:
    three or more of the other's words of prose (FUNCTION_WORDS), more than its own."""
    mine_only = _FUNCTION_WORDS_BY_LANG.get(lang, frozenset())
    theirs_only = _FUNCTION_WORDS_BY_LANG.get(other, frozenset())
    mine_only, theirs_only = mine_only - theirs_only, theirs_only - mine_only
    words = [w.lower() for w in _WORD.findall(_NOT_WORDS.sub(" ", text))]
    theirs = sum(w in theirs_only for w in words)
    return theirs >= 3 and theirs > sum(w in mine_only for w in words)


def is_untranslated(text: str, own: str | None, foreign: set[str]) -> bool:
    """Whether a text printed in a language written in `own` script reads as written in
    one of the `foreign` scripts (those of the file's other languages)."""
    counts = script_words(text)
    mine = counts.get(own or "", 0)
    for script in foreign:
        theirs = counts.get(script, 0)
        if script == "Latn":
            # technical terms in Latin letters are part of any language's text
            if theirs >= 3 and theirs > mine and counts.get("prose"):
                return True
        elif theirs and (theirs >= mine or theirs >= 3):
            return True
    return False


def _texts(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Localized]]:
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("labels",):
                yield from _texts(getattr(value, name), path + (name,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, path + (i,))


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def findings(cv: CV) -> list[Finding]:
    """Every finding of the CV, in the order of the file, language by language."""
    found = _findings_of(cv, list(cv.languages), list(cv.languages))
    for lang, block in cv.labels.items():
        for key, text in block.model_dump(exclude_none=True).items():
            if TODO.match(text):
                found.append(Finding(lang, ("labels", lang, key), "todo", text))
    return found


def application_findings(app: Application, cv: CV) -> list[Finding]:
    """Every finding of an application of the CV (its letter, company, recipient…):
    the texts of the languages it applies in, each judged against all of the CV's
    languages, so that the letter of an English-only application written in Russian is
    untranslated too."""
    return _findings_of(app, app.langs(cv), list(cv.languages))


def _findings_of(model: BaseModel, langs: list[str], among: list[str]) -> list[Finding]:
    """The findings of a model's texts in `langs`, each read against the scripts and
    small words of the other languages of `among` (the file's languages)."""
    scripts = {lang: script_of(lang) for lang in among}
    found: list[Finding] = []
    for path, value in _texts(model):
        if value.same:
            continue
        flagged: set[str] = set()  # languages whose text here is in another language
        for lang in langs:
            text = value.get(lang)
            others = [o for o in among if o != lang]
            foreign = {scripts[o] for o in others} - {scripts[lang], None}
            sub = path if value.plain is not None else path + (lang,)
            if TODO.match(text):
                found.append(Finding(lang, sub, "todo", text))
            elif is_untranslated(text, scripts[lang], foreign) or any(  # type: ignore[arg-type]
                    reads_as(text, lang, o) for o in others if scripts[o] == scripts[lang]):
                found.append(Finding(lang, sub, "untranslated", text))
                flagged.add(lang)
            elif value.plain is not None:
                if _has_words(text):
                    found.append(Finding(lang, sub, "shared", text))
            else:
                # (not "copied" from a text already found in this one's language: the
                # warning belongs to that one, e.g. an English letter under `ru` too)
                earlier = [o for o in langs[: langs.index(lang)]
                           if o not in flagged and _same_words(value.by_lang[o], text)]
                if earlier and _has_words(text):
                    found.append(Finding(lang, sub, "copied", text, other=earlier[0]))
    return found


def report(cv: CV, file: str, positions: Positions, app: Application | None = None) -> str:
    """The translation report: per language, the texts that are untranslated, copied,
    marked TODO or shared, each at its position in the file; then what each kind means.
    Texts written `same: …` are left out. With `app`, of that application of the CV
    (`file` is the application's)."""
    all_found = findings(cv) if app is None else application_findings(app, cv)
    lines = []
    for lang in cv.languages if app is None else app.langs(cv):
        mine = [f for f in all_found if f.lang == lang]
        counts = ", ".join(f"{sum(f.kind == k for f in mine)} {k}" for k in KINDS
                           if any(f.kind == k for f in mine))
        lines.append(f"{lang}: {counts or 'every text is its own'}")
        for f in sorted(mine, key=lambda f: KINDS.index(f.kind)):
            lines.append("  " + str(Problem.at(file, positions.of_value(f.path), f.where, f.brief())))
    kinds = [k for k in KINDS if any(f.kind == k for f in all_found)]
    lines += [_HINTS[k] for k in kinds]
    return "\n".join(lines) + "\n"


def warnings(cv: CV, file: str, positions: Positions, lang: str | None = None,
             found: list[Finding] | None = None) -> list[Problem]:
    """The findings that are warnings (untranslated, copied, todo) as Problems at their
    positions in `file`; of one language when `lang` is given; `found`: findings(cv), if
    known, or application_findings (then `file` is the application's)."""
    out = []
    for f in findings(cv) if found is None else found:
        if f.kind in WARNED and (lang is None or f.lang == lang):
            out.append(Problem.at(file, positions.of_value(f.path), f.where, f.message(), "warning"))
    return out
