"""Shared fixtures. Tests that claim something about a PDF compile it with the real
engine: when TeX or poppler is missing they fail, they never skip."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
CV_YAML = ROOT / "cv.yaml"


def schema_validator(name: str):
    """A validator of the JSON Schema file `name` at the project's top, itself checked
    as a valid draft 2020-12 schema (what an editor loads)."""
    import json

    import jsonschema

    schema = json.loads((ROOT / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def require_tools(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"needed on PATH and missing: {', '.join(missing)} (run ./run.sh setup)")


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory) -> Path:
    """The build cache lives in the session's temporary folder, never the user's."""
    path = tmp_path_factory.mktemp("cache")
    os.environ["CVBUILD_CACHE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def tex() -> None:
    require_tools("xelatex", "pdftotext", "pdffonts")


@pytest.fixture(scope="session")
def real_cv():
    from cvbuild.source.load import load_cv

    return load_cv(CV_YAML)


@pytest.fixture(scope="session")
def built(tex, tmp_path_factory) -> dict[str, Path]:
    """Both PDFs of the real cv.yaml, built once for the session."""
    from cvbuild.pipeline.run import build

    out = tmp_path_factory.mktemp("build")
    return {o.lang: o.pdf for o in build(CV_YAML, "all", out)}


# Fixtures that need TeX Live and poppler: a test that uses one (directly or through
# another fixture) is marked `tex`, so `pytest -m "not tex"` runs the rest in seconds.
TEX_FIXTURES = {"tex", "built", "full_cli"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if TEX_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.tex)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="rewrite tests/golden/<theme>/<lang>.tex from the current output",
    )


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


FULL_YAML = ROOT / "tests" / "data" / "full.yaml"


@pytest.fixture(scope="session")
def full_cli(tex, tmp_path_factory):
    """The fixture CV with every entry kind, built once per language through the CLI:
    (typer result, output folder)."""
    from typer.testing import CliRunner

    from cvbuild.cli.main import app

    out = tmp_path_factory.mktemp("full")
    result = CliRunner().invoke(app, ["pdf", str(FULL_YAML), "--lang", "all", "--output-dir", str(out)])
    return result, out


TYPESET_CV = ROOT / "tests" / "data" / "typeset" / "cv.yaml"
# 2023-09-15 00:00 UTC: "today" for that CV, so its current job lasts 1 month.
PINNED_EPOCH = 1694736000


@pytest.fixture(scope="session")
def typeset_built(tex, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """tests/data/typeset/cv.yaml's PDFs, both themes × both languages, built once."""
    from cvbuild.pipeline.run import build

    out = {}
    for theme in ("classic", "modern"):
        folder = tmp_path_factory.mktemp(theme)
        for o in build(TYPESET_CV, "all", folder, theme=theme, source_date_epoch=PINNED_EPOCH):
            out[(theme, o.lang)] = o.pdf
    return out


# Property tests (hypothesis). "ci", the default: a fixed seed (derandomize), so CI
# is reproducible. "long" (`pytest --hypothesis-profile=long`, or the environment
# variable CVBUILD_HYPOTHESIS=long): 25 times more, random seeds. The examples are
# compiled in batches: see tests/test_properties.py for the figures.


_COMMON = dict(
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("ci", max_examples=200, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=5_000, **_COMMON)
settings.load_profile(os.environ.get("CVBUILD_HYPOTHESIS", "ci"))
