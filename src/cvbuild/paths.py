"""Where cvbuild's own files are; standard library only, so the cache can ask early."""

from __future__ import annotations

import os
from pathlib import Path

NO_LOCAL_THEMES_ENV = "CVBUILD_NO_LOCAL_THEMES"


def local_themes_refused() -> bool:
    """CI's setting: CVBUILD_NO_LOCAL_THEMES=1 (or --no-local-themes) refuses a theme
    folder beside cv.yaml, which a pull request could add as easily as cv.yaml."""
    return os.environ.get(NO_LOCAL_THEMES_ENV, "").strip() not in ("", "0")


def builtin_templates() -> Path:
    """The folder of built-in themes: inside the installed package, or the checkout's."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"
