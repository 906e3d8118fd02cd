"""View → .tex through Jinja2. Every value is escaped on its way out unless it is
already `Tex`; the delimiters keep clear of TeX's braces and percent signs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from cvbuild.errors import CvbuildError
from cvbuild.latex import Tex, escape, markup, url
from cvbuild.typography import typeset

TEMPLATE = "cv.tex.j2"


def builtin_templates() -> Path:
    """The folder of built-in themes: inside the installed package, or the checkout's."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def theme_dirs(name: str, cv_dir: Path | None = None) -> list[Path]:
    """Where a theme's files are looked up, first match wins: a folder named after
    the theme beside cv.yaml, then the built-in theme."""
    dirs = []
    if cv_dir is not None and (cv_dir / "themes" / name).is_dir():
        dirs.append(cv_dir / "themes" / name)
    builtin = builtin_templates() / name
    if builtin.is_dir():
        dirs.append(builtin)
    if not dirs:
        raise CvbuildError(
            f"no theme named '{name}'; `cvbuild themes` lists the ones there are"
        )
    return dirs


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


def _finalize(lang: str):
    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Tex):
            return value
        return escape(typeset(str(value), lang))

    return finalize


@lru_cache(maxsize=16)
def _environment(dirs: tuple[Path, ...], lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
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
        finalize=_finalize(lang),
    )
    env.context_class = _TexContext
    env.filters["md"] = lambda text: Tex("") if text is None else markup(str(text), lang)
    env.filters["url"] = lambda href: url(str(href))
    env.filters["tex"] = lambda text: escape(typeset(str(text), lang))
    env.filters["verbatim"] = lambda text: escape(str(text))
    return env


def render_tex(view: dict[str, Any], dirs: list[Path], options: dict[str, Any] | None = None) -> str:
    """Render a localized view with a theme; the result is the whole .tex document."""
    env = _environment(tuple(dirs), view["lang"])
    try:
        template = env.get_template(TEMPLATE)
        return template.render(cv=view, theme=options or {})
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if getattr(exc, "lineno", None) else "template"
        raise CvbuildError(f"{where}: theme template error: {exc.message}") from None
