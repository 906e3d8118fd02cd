"""Shared fixtures. Tests that claim something about a PDF compile it with the real
engine: when TeX or poppler is missing they fail, they never skip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CV_YAML = ROOT / "cv.yaml"


def require_tools(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"needed on PATH and missing: {', '.join(missing)} (run ./run.sh setup)")


@pytest.fixture(scope="session")
def tex() -> None:
    require_tools("xelatex", "pdftotext", "pdffonts")


@pytest.fixture(scope="session")
def real_cv():
    from cvbuild.load import load_cv

    return load_cv(CV_YAML)


@pytest.fixture(scope="session")
def built(tex, tmp_path_factory) -> dict[str, Path]:
    """Both PDFs of the real cv.yaml, built once for the session."""
    from cvbuild.build import build

    out = tmp_path_factory.mktemp("build")
    return {o.lang: o.pdf for o in build(CV_YAML, "all", out)}
