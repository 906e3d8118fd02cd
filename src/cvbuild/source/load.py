"""cv.yaml in: read it (bounded, UTF-8), compose the YAML with positions, validate it."""

from __future__ import annotations

from pathlib import Path

from cvbuild.source.model import CV
from cvbuild.source.reader import Positions, compose, read_text
from cvbuild.source.validate import validate_cv


def load_cv_positions(path: Path | str) -> tuple[CV, Positions]:
    """Read, parse and validate a CV file; return the CV and where each of its paths
    stands in the file (to point warnings at fields). Raises InputError listing every
    problem: those of the YAML layer and those of validation together."""
    path = Path(path)
    text = read_text(path)
    data, positions, problems = compose(text, str(path))
    return validate_cv(data, positions, str(path), problems), positions


def load_cv(path: Path | str) -> CV:
    """Read, parse and validate a CV file. Raises InputError listing every problem."""
    return load_cv_positions(path)[0]
