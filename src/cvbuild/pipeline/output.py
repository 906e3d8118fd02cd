"""What a build gives back: one Output a language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cvbuild.errors import Problem

MAX_OUTPUT = 20_000_000  # the engine refuses a larger PDF (engine/tex.py)


@dataclass
class Output:
    lang: str
    pdf: Path
    tex: Path
    pages: int
    size: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)  # shown by the CLI; nothing stops
    cached: bool = False  # taken from the cache: no engine ran
