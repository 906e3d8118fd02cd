"""`cvbuild export`: a CV file out as JSON Resume, markdown or plain text; an
application's cover letter as markdown or plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cvbuild.errors import CvbuildError
from cvbuild.interop.jsonresume import export_json
from cvbuild.interop.text import FORMATS, export_text, one_language, render_letter
from cvbuild.pipeline.apply import letter_day
from cvbuild.pipeline.publish import write_atomic
from cvbuild.render.letter import letter_view
from cvbuild.source.application import load_application
from cvbuild.source.load import load_cv
from cvbuild.source.model import CV, Variant


def export_letter(cv: CV, app_path: Any, lang: str | None, fmt: str) -> str:
    """An application's cover letter in `lang` (its only language when None) as text or markdown."""
    if fmt not in FORMATS:
        raise CvbuildError(f"a cover letter is exported as markdown or text, not '{fmt}'")
    app, _ = load_application(app_path, cv)
    langs = app.langs(cv)
    if lang is None and len(langs) > 1:
        raise CvbuildError(
            f"this application has several languages; choose one with --lang ({', '.join(langs)})")
    lang = lang or langs[0]
    if lang not in langs:
        raise CvbuildError(f"'{lang}' is not a language of this application; it has: {', '.join(langs)}")
    view = letter_view(cv, app, lang, letter_day(app, app_path)[0])
    return render_letter(view, fmt)  # type: ignore[arg-type]


def export_any(
    cv_path: Any, fmt: str, lang: str | None, *, only: Variant | None = None, output: Any = None,
    application: Any = None,
) -> tuple[str, list[Any]]:
    """Load a CV and export it as `fmt` (jsonresume, markdown, text); write `output` if given.
    With `application`, export that application's cover letter instead.

    Returns the text and the notes on values the format could not hold."""
    if fmt not in ("jsonresume", *FORMATS):
        raise CvbuildError(f"unknown format '{fmt}'; choose jsonresume, markdown or text")
    cv = load_cv(cv_path)
    notes: list[Any] = []
    if application is not None:
        text = export_letter(cv, application, lang, fmt)
    elif fmt == "jsonresume":
        lang = one_language(cv, lang)
        if only:
            raise CvbuildError("--only and --except are not supported with --format jsonresume yet")
        text, notes = export_json(cv, lang)
    else:
        text = export_text(cv, one_language(cv, lang), fmt, only=only)  # type: ignore[arg-type]
    if output is not None:
        write_atomic(Path(output), text.encode("utf-8"))
    return text, notes
