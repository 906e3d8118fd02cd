"""View → .tex through Jinja2. Every value is escaped on its way out unless it is
already `Tex`; the delimiters keep clear of TeX's braces and percent signs."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.sandbox

from cvbuild.errors import CvbuildError
from cvbuild.paths import NO_LOCAL_THEMES_ENV, builtin_templates, local_themes_refused
from cvbuild.render.latex import Tex, escape, keyword_pattern, markup, url, url_label
from cvbuild.render.view import CVView
from cvbuild.text.typography import typeset

TEMPLATE = "cv.tex.j2"
# The folder of what every theme extends (base.tex.j2, macros, entry partials); not a theme.
BASE = "base"
# A cover letter (templates/base/letter.tex.j2): extends the theme's cv.tex.j2 and puts
# the letter in base.tex.j2's `sections` block, below the theme's header.
LETTER_TEMPLATE = "letter.tex.j2"
LETTER_MARK = "% cvbuild: letter"


def theme_dirs(name: str, cv_dir: Path | None = None, local: bool = True) -> list[Path]:
    """Where a theme's files are looked up, first match wins: a folder named after
    the theme beside cv.yaml, then the built-in theme, then the base every theme
    extends (so a theme may leave out any partial, and a copy beside cv.yaml may
    extend the built-in base). With `local` False (or CVBUILD_NO_LOCAL_THEMES=1) a
    folder beside cv.yaml for this theme is an error."""
    dirs = []
    if name == BASE:
        raise CvbuildError(f"'{BASE}' is what every theme extends, not a theme; "
                           "`cvbuild themes` lists the themes")
    if cv_dir is not None and (cv_dir / "themes" / name).is_dir():
        folder = cv_dir / "themes" / name
        if not local or local_themes_refused():
            raise CvbuildError(
                f"{folder}: a local theme folder, and local themes are refused here "
                f"(--no-local-themes or {NO_LOCAL_THEMES_ENV}=1); remove the folder, or "
                "build without that setting if you trust it"
            )
        dirs.append(folder)
    builtin = builtin_templates() / name
    if builtin.is_dir():
        dirs.append(builtin)
    if not dirs:
        raise CvbuildError(
            f"no theme named '{name}'; `cvbuild themes` lists the ones there are"
        )
    return [*dirs, builtin_templates() / BASE]


class _TexContext(jinja2.runtime.Context):
    """What a template's own macros, recursive loops and blocks return is template
    output, already LaTeX: mark it so that finalize does not escape it twice."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        rv = super().call(__obj, *args, **kwargs)
        if isinstance(rv, str) and isinstance(
            __obj, (jinja2.runtime.Macro, jinja2.runtime.LoopContext, jinja2.runtime.BlockReference)
        ):
            return Tex(rv)
        return rv


# Where each field's text lands in the .tex: a value that knows its cv.yaml path
# (localize.Sourced) is wrapped in control characters while rendering; escape() drops
# every control character from text, so nothing else can look like a marker. The
# markers are taken out after rendering and become a SourceMap.
_OPEN, _MID, _CLOSE = "\x01", "\x02", "\x03"
_MARKER_RE = re.compile("\x01([^\x02]*)\x02|\x03|\n")


def _marked(out: Tex, value: Any) -> Tex:
    path = getattr(value, "path", None)
    if path is None or not out:
        return out
    from cvbuild.source.reader import format_path

    return Tex(f"{_OPEN}{format_path(path)}{_MID}{out}{_CLOSE}")


def _sourced(convert: Callable[[Any], Tex]) -> Callable[[Any], Tex]:
    """A filter that marks its output with the path of its input."""
    return lambda value: _marked(convert(value), value)


@dataclass(frozen=True)
class Span:
    """A field's text in the .tex: lines first..last (1-based) and the LaTeX written."""

    path: str
    first: int
    last: int
    tex: str


@dataclass
class SourceMap:
    """Which cv.yaml field each part of a .tex came from."""

    spans: list[Span] = field(default_factory=list)

    def at_lines(self, first: int, last: int) -> list[Span]:
        return [s for s in self.spans if s.first <= last and s.last >= first]

    def containing(self, text: str) -> list[Span]:
        return [s for s in self.spans if text in s.tex]


def _unmark(marked: str) -> tuple[str, SourceMap]:
    """Take the markers out of rendered text; record each field's lines."""
    out: list[str] = []
    # path, first and last line, offsets in the output: the text is cut once the output
    # is whole (joining it at every field was quadratic: 20,000 fields took 7 s)
    closed: list[tuple[str, int, int, int, int]] = []
    open_: list[tuple[str, int, int]] = []  # path, line, offset in the output
    line, pos, size = 1, 0, 0
    for m in _MARKER_RE.finditer(marked):
        chunk = marked[pos:m.start()]
        out.append(chunk)
        size += len(chunk)
        pos = m.end()
        if m.group() == "\n":
            out.append("\n")
            size += 1
            line += 1
        elif m.group() == _CLOSE:
            if open_:  # a theme that cuts marked text (a slice, truncate) may lose one
                path, first, start = open_.pop()
                closed.append((path, first, line, start, size))
        else:
            open_.append((m.group(1), line, size))
    out.append(marked[pos:])
    text = "".join(out)
    spans = [Span(path, first, last, text[start:end]) for path, first, last, start, end in closed]
    spans.sort(key=lambda s: (s.first, s.last))
    return text, SourceMap(spans)


# The words the CV being rendered sets in bold in prose (its bold_keywords, as a
# keyword_pattern), for the md filter: a context variable, not an argument, because
# the environment and its compiled templates are shared by every CV in the language.
_BOLD: contextvars.ContextVar[re.Pattern[str] | None] = contextvars.ContextVar("bold", default=None)


def _finalize(lang: str, emoji: str):
    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Tex):
            return value
        return _marked(escape(typeset(str(value), lang), emoji), value)

    return finalize


MAX_TEMPLATE_BYTES = 1_000_000


class _ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, kept inside the theme's folders: a template (or an
    `include`) that is a symbolic link to a file elsewhere (/etc/passwd) is refused, and
    so is one that is not a regular file or is larger than a theme's file can be."""

    def get_source(self, environment: jinja2.Environment, template: str):
        import os

        from jinja2.loaders import split_template_path

        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            if not os.path.lexists(path):
                continue
            real, root = os.path.realpath(path), os.path.realpath(folder)
            if os.path.commonpath([real, root]) != root:
                raise jinja2.TemplateNotFound(
                    f"{template} (a link to {real}, outside the theme's folder {folder})")
            if not os.path.isfile(real) or os.path.getsize(real) > MAX_TEMPLATE_BYTES:
                raise jinja2.TemplateNotFound(
                    f"{template} (not a regular file of at most {MAX_TEMPLATE_BYTES:,} bytes)")
            break
        return super().get_source(environment, template)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's, but a compiled template that cannot be stored (a full disk) is only
    not stored: the cache saves time, it never stops a build."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        from cvbuild.cache import give_up

        try:
            super().dump_bytecode(bucket)
        except OSError as exc:
            give_up(exc)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the cache folder: compiling the theme costs more than
    rendering it. Jinja2 checks each entry against the template's source."""
    from cvbuild.cache import cache_root, private_dir, usable

    if not usable():
        return None
    try:
        # not the folder of the unsandboxed code of earlier versions: the compiled
        # code of a sandboxed template differs, and its source is the same
        return _BytecodeCache(str(private_dir(cache_root() / "jinja-sandboxed")))
    except OSError:
        return None


@lru_cache(maxsize=16)
def _environment(dirs: tuple[Path, ...], lang: str, emoji: str = "draw") -> jinja2.Environment:
    # A theme is code a pull request can bring (themes/ beside cv.yaml): Jinja's
    # immutable sandbox keeps it from Python (no `__globals__`, no `mro()`, no
    # `.append` on the view; only what is safe to call is called).
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        bytecode_cache=_bytecode_cache(),
        # "builtin/classic/cv.tex.j2" names a built-in theme's file even when a folder
        # beside cv.yaml overrides it: a local theme may extend the built-in one
        loader=jinja2.ChoiceLoader([
            _ThemeLoader([str(d) for d in dirs]),
            jinja2.PrefixLoader({"builtin": _ThemeLoader([str(builtin_templates())])}),
        ]),
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="<<",
        variable_end_string=">>",
        comment_start_string="((#",
        comment_end_string="#))",
        line_statement_prefix=None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize(lang, emoji),
    )
    env.context_class = _TexContext
    env.filters["md"] = _sourced(
        lambda text: Tex("") if text is None else markup(str(text), lang, emoji, _BOLD.get())
    )
    env.filters["label"] = lambda href: escape(url_label(str(href)))
    env.filters["url"] = lambda href: url(str(href))
    env.filters["tex"] = _sourced(lambda text: escape(typeset(str(text), lang), emoji))
    # PDF metadata (hyperref's \hypersetup, XMP) is a plain string that never breaks a
    # line: no pictures and no no-break spaces in it
    env.filters["meta"] = lambda text: escape(typeset(str(text), lang).replace("\u00a0", " "), "remove")
    env.filters["verbatim"] = _sourced(lambda text: escape(str(text)))
    return env


def render_tex_mapped(
    view: CVView, dirs: list[Path], options: dict[str, Any] | None = None,
    emoji: str = "draw", template: str = TEMPLATE,
) -> tuple[str, SourceMap]:
    """Render a localized view with a theme: the whole .tex document, and which cv.yaml
    field each part of it came from. `options` are the theme options (accent, font,
    paper, …) the template sees as `theme`; `emoji` is "draw" (twemoji pictures) or
    "remove"; `template` is LETTER_TEMPLATE for a cover letter (view: letter_view's)."""
    env = _environment(tuple(dirs), view.lang, emoji)
    try:
        token = _BOLD.set(keyword_pattern(tuple(getattr(view, "bold_keywords", None) or ())))
        try:
            rendered = _unmark(env.get_template(template).render(
                cv=view, theme=options or {}, emoji=emoji))
        finally:
            _BOLD.reset(token)
    except jinja2.sandbox.SecurityError as exc:
        raise CvbuildError(f"{_template_place(exc)}: the theme tried what a theme may not "
                           f"({exc.message}); fix or remove the theme") from None
    except jinja2.TemplateNotFound as exc:
        if exc.name != TEMPLATE:  # one the theme includes: said where, as any error
            raise CvbuildError(f"{_template_place(exc)}: theme template error: "
                               f"{exc.message}") from None
        looked = ", ".join(str(d) for d in dirs)
        raise CvbuildError(f"{dirs[0]}: the theme has no {TEMPLATE} (looked in {looked}); "
                           f"a theme's {TEMPLATE} may be one line: "
                           '((* extends "base.tex.j2" *))') from None
    except jinja2.TemplateError as exc:
        raise CvbuildError(f"{_template_place(exc)}: theme template error: {exc.message}") from None
    if template == LETTER_TEMPLATE and LETTER_MARK not in rendered[0]:
        raise CvbuildError(
            f"{dirs[0] / TEMPLATE}: this theme cannot set a cover letter: it does not extend "
            "base.tex.j2's `sections` block (as the built-in themes do); make its cv.tex.j2 "
            "extend \"base.tex.j2\""
        )
    return rendered


def _template_place(exc: jinja2.TemplateError) -> str:
    """file:line of the template where rendering failed: a syntax error knows it; a
    runtime error (an unsafe attribute, an undefined name) leaves it in the traceback,
    where Jinja puts the template's own file name and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        return f"{exc.filename}:{exc.lineno}"
    where = "template"
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            where = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
