"""cvbuild: one bilingual YAML résumé in, typeset PDFs out.

The public API, what the command line itself uses::

    import cvbuild

    cv = cvbuild.load_cv("cv.yaml")            # a validated cvbuild.CV, or InputError
    outputs = cvbuild.build("cv.yaml", lang="all", output_dir="build")
    cvbuild.build("cv.yaml", only=cvbuild.Variant(only=("research",)))  # a tailored variant

Every error a user can fix is a `cvbuild.CvbuildError` (`cvbuild.InputError` for
cv.yaml's problems, each with file:line:column). Names load on first use, so that
`import cvbuild` (and `cvbuild --help`) stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str
    from cvbuild.errors import CvbuildError, InputError, Problem
    from cvbuild.pipeline.run import Output, build
    from cvbuild.source.load import load_cv
    from cvbuild.source.model import CV, Variant

_PUBLIC = {
    "build": "cvbuild.pipeline.run",
    "Output": "cvbuild.pipeline.run",
    "load_cv": "cvbuild.source.load",
    "CV": "cvbuild.source.model",
    "Variant": "cvbuild.source.model",
    "CvbuildError": "cvbuild.errors",
    "InputError": "cvbuild.errors",
    "Problem": "cvbuild.errors",
}

__all__ = ["CV", "CvbuildError", "InputError", "Output", "Problem", "Variant", "__version__",
           "build", "load_cv"]


def _version() -> str:
    """The installed distribution's version: pyproject.toml is the one place it is written.
    (Read on first use: importlib.metadata costs about 30 ms at every start.)"""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cvbuild")
    except PackageNotFoundError:  # run from a checkout without installing: no metadata
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cvbuild' has no attribute {name!r}")
