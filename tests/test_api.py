"""The public API: what `import cvbuild` offers, and that it costs nothing until used."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest
from conftest import CV_YAML

import cvbuild


def test_version_comes_from_the_package_metadata():
    assert cvbuild.__version__ == importlib.metadata.version("cvbuild")


def test_public_names_resolve_and_errors_share_one_root():
    for name in cvbuild.__all__:
        assert getattr(cvbuild, name) is not None, name
    assert issubclass(cvbuild.InputError, cvbuild.CvbuildError)
    with pytest.raises(AttributeError):
        cvbuild.no_such_name  # noqa: B018


def test_load_cv_gives_the_model_or_every_problem(tmp_path):
    cv = cvbuild.load_cv(CV_YAML)
    assert isinstance(cv, cvbuild.CV)
    assert cv.languages == ["ru", "en"]
    bad = tmp_path / "cv.yaml"
    bad.write_text("languages: [en]\nheader: {name: A, nmae: B}\n", encoding="utf-8")
    with pytest.raises(cvbuild.InputError) as err:
        cvbuild.load_cv(bad)
    [problem] = err.value.problems
    assert (problem.line, problem.path) == (2, "header.nmae")


def test_import_is_light():
    code = ("import sys, cvbuild; print(sorted(m for m in ('pydantic', 'jinja2', 'yaml', 'typer') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_build_through_the_api(tex, tmp_path):
    outputs = cvbuild.build(CV_YAML, lang="en", output_dir=tmp_path)
    [out] = outputs
    assert isinstance(out, cvbuild.Output)
    assert out.pdf.read_bytes().startswith(b"%PDF-")
    assert out.pdf.parent == tmp_path
