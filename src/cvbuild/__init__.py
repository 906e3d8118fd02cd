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
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("cvbuild")
except PackageNotFoundError:  # run from a checkout without installing: no metadata
    __version__ = "0+unknown"

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cvbuild' has no attribute {name!r}")
