"""What the engine said, told at the cv.yaml fields it came from: warnings, characters
no font has, lines cut off, pages over max_pages; --strict turns warnings into errors."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from cvbuild.engine.fonts import is_invisible
from cvbuild.errors import CompileError, LinesCutOff, MissingCharacters, Problem, StrictWarnings

if TYPE_CHECKING:  # the heavy modules are imported only when something is built

    from cvbuild.engine.tex import Compiled, TexWarning
    from cvbuild.render.template import SourceMap
    from cvbuild.render.view import CVView
    from cvbuild.source.model import CV
    from cvbuild.source.reader import Positions



def emoji_warnings(view: CVView, mode: str, cv_file: str = "cv.yaml") -> list[Problem]:
    """What the reader is told about emoji that will not be drawn."""
    from cvbuild.engine.twemoji import twemoji_code

    if not view.emoji:
        return []
    if mode == "remove":
        return [Problem(cv_file, None, None, "options.emoji",
                        f"left out the emoji {' '.join(view.emoji)} "
                        "(options.emoji is `remove`; set it to `draw` to draw them)", "warning")]
    lost = [e for e in view.emoji if twemoji_code(e) is None]
    if lost:
        return [Problem(cv_file, None, None, "",
                        f"left out the emoji {' '.join(lost)}: the TeX package "
                        "twemojis has no picture for them (is texlive-pictures installed?)",
                        "warning")]
    return []


def _pages(n: int) -> str:
    return f"{n} page{'s' if n != 1 else ''}"


def page_warnings(cv: CV, lang: str, pages: int, positions: Positions,
                  cv_file: str) -> list[Problem]:
    """max_pages and options.fit, said of a PDF of `pages` pages."""
    found = []
    if cv.options.fit is not None and pages > cv.options.fit:
        found.append(Problem.at(
            cv_file, positions.of_name("options.fit"), "options.fit",
            f"the {lang} PDF still has {pages} pages at the tightest spacing and smallest font "
            f"the theme allows: {_pages(pages - cv.options.fit)} too many for fit: "
            f"{cv.options.fit}; shorten it",
            "warning"))
    if pages > cv.max_pages:
        found.append(Problem.at(
            cv_file, positions.of_name("max_pages"), "max_pages",
            f"the {lang} PDF has {pages} pages, {_pages(pages - cv.max_pages)} more than "
            f"max_pages ({cv.max_pages})" + ("" if cv.options.fit is not None else
                                   "; `fit: N` under options: tightens it to N pages"),
            "warning"))
    return found


def source_problem(exc: CompileError, source: SourceMap, positions: Positions,
                   src_file: str) -> Problem | None:
    """Where in `src_file` the text a compile error stopped at came from, if the source
    map knows (None: a line the theme wrote itself)."""
    spans = source.at_lines(exc.tex_line, exc.tex_line) if exc.tex_line else []
    if not spans:
        return None
    return Problem.at(src_file, positions.of_name(spans[0].path), spans[0].path, "")

def locate(
    warning: TexWarning, source: SourceMap, positions: Positions, cv_file: str, tex_file: str
) -> list[Problem]:
    """A TeX warning as warnings at the cv.yaml fields it came from, or at the .tex
    line when no field can be named (text the theme wrote itself)."""
    from cvbuild.text.unicode import words

    if warning.kind == "missing_char" and warning.char:
        spans = source.containing(warning.char)
    elif warning.lines:
        spans = source.at_lines(*warning.lines)
        # several fields on one line (a job's title, employer and dates): keep those
        # whose words are in the overflowing line TeX shows
        seen = set(words(warning.snippet))
        narrowed = [s for s in spans if seen & set(words(s.tex))]
        spans = narrowed or spans
    else:
        spans = []
    message = warning.message
    if not spans:
        line = warning.lines[0] if warning.lines else None
        return [Problem(tex_file, line, None, "", message, severity="warning")]
    out, paths = [], []
    for span in spans:
        if span.path not in paths:
            paths.append(span.path)
            out.append(Problem.at(cv_file, positions.of_name(span.path), span.path, message,
                                  "warning"))
    return out


def refused_characters(
    compiled, source: SourceMap, positions: Positions, cv_file: str, tex_file: str,
    cv: CV, lang: str,
) -> list[Problem]:
    """The character policy (fonts.py) applied to one compiled language: a visible
    character no installed font has, and a right-to-left letter even when a fallback
    has it, each become an error at the cv.yaml fields that hold it. Invisible format
    characters no font has stay warnings (there is nothing to draw)."""
    from dataclasses import replace

    from cvbuild.engine.fonts import advice, describe, is_rtl
    from cvbuild.engine.tex import TexWarning

    lost = [w for w in compiled.warnings if w.kind == "missing_char" and not is_invisible(w.char)]
    lost += [TexWarning("missing_char", "", char=ch) for ch in compiled.fallbacks if is_rtl(ch)]
    problems = []
    for w in lost:
        message = f"{describe(w.char)}: {advice(w.char)}"
        found = locate(replace(w, message=message), source, positions, cv_file, tex_file)
        if not any(p.path for p in found):
            # not in the source map (a URL or DOI printed as it is): look in every value
            from cvbuild.render.printed import text_values

            paths = [path for path, text in text_values(cv, lang, printed_only=False)
                     if w.char in text]
            found = [Problem.at(cv_file, positions.of_name(path), path, message)
                     for path in dict.fromkeys(paths)] or found
        problems += [replace(p, severity="error") for p in found]
    return problems


def checked(compiled: Compiled, source: SourceMap, positions: Positions, src_file: str,
            tex_file: str, cv: CV, lang: str) -> list[Problem]:
    """The engine's warnings on one compiled document, at the fields of `src_file` they
    came from. Characters no font has (MissingCharacters) and lines cut off at the
    paper's edge (LinesCutOff) are errors: raised, so nothing is written."""
    refused = refused_characters(compiled, source, positions, src_file, tex_file, cv, lang)
    if refused:
        raise MissingCharacters(refused, lang)
    cut = [dataclasses.replace(p, severity="error") for w in compiled.warnings if w.off_paper
           for p in locate(w, source, positions, src_file, tex_file)]
    if cut:
        raise LinesCutOff(cut)
    return [
        p for w in compiled.warnings
        if w.kind != "missing_char" or is_invisible(w.char or "")
        for p in locate(w, source, positions, src_file, tex_file)
    ]


def refuse_warnings(warnings: list[list[Problem]]) -> None:
    """--strict: every warning is an error, and nothing is written."""
    found: list[Problem] = []
    for problem in (p for per_lang in warnings for p in per_lang if p.severity != "note"):
        problem = dataclasses.replace(problem, severity="error")
        if problem not in found:
            found.append(problem)
    if found:
        raise StrictWarnings(found)
