"""Where cvbuild's own files are; standard library only, so the cache can ask early."""

from __future__ import annotations

from pathlib import Path


def builtin_templates() -> Path:
    """The folder of built-in themes: inside the installed package, or the checkout's."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"
