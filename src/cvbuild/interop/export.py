"""`cvbuild export`: a CV file out as JSON Resume, markdown or plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cvbuild.errors import CvbuildError
from cvbuild.interop.jsonresume import export_json
from cvbuild.interop.text import FORMATS, export_text, one_language
from cvbuild.pipeline.run import write_atomic
from cvbuild.source.load import load_cv
from cvbuild.source.model import Variant


def export_any(
    cv_path: Any, fmt: str, lang: str | None, *, only: Variant | None = None, output: Any = None
) -> tuple[str, list[Any]]:
    """Load a CV and export it as `fmt` (jsonresume, markdown, text); write `output` if given.

    Returns the text and the notes on values the format could not hold."""
    if fmt not in ("jsonresume", *FORMATS):
        raise CvbuildError(f"unknown format '{fmt}'; choose jsonresume, markdown or text")
    cv = load_cv(cv_path)
    lang = one_language(cv, lang)
    notes: list[Any] = []
    if fmt == "jsonresume":
        if only:
            raise CvbuildError("--only and --except are not supported with --format jsonresume yet")
        text, notes = export_json(cv, lang)
    else:
        text = export_text(cv, lang, fmt, only=only)  # type: ignore[arg-type]
    if output is not None:
        write_atomic(Path(output), text.encode("utf-8"))
    return text, notes
