"""Golden .tex files: `cvbuild tex` output for cv.yaml, per theme and language, compared
exactly. Regenerate with `pytest --update-golden` and read the diff before committing.
A new theme needs only its files: tests/golden/<theme>/<lang>.tex."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import CV_YAML, ROOT
from typer.testing import CliRunner

from cvbuild.cli.main import app

GOLDEN = Path(__file__).parents[1] / "golden"
DEFAULT_THEME = "classic"


def cases() -> list[tuple[str, str]]:
    from cvbuild.source.load import load_cv

    found = {(p.parent.name, p.stem) for p in GOLDEN.glob("*/*.tex")}
    found |= {(DEFAULT_THEME, lang) for lang in load_cv(CV_YAML).languages}
    return sorted(found)


def cvbuild_tex(theme: str, lang: str, tmp_path: Path) -> str:
    cv = CV_YAML
    if theme != DEFAULT_THEME:
        text = CV_YAML.read_text(encoding="utf-8")
        assert not re.search(r"^theme:", text, re.M), "cv.yaml sets a theme; adjust this test"
        cv = tmp_path / "cv.yaml"
        cv.write_text(text + f"\ntheme:\n  name: {theme}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["tex", str(cv), "--lang", lang, "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    [tex] = out.glob(f"*_{lang}.tex")
    return tex.read_text(encoding="utf-8")


@pytest.mark.parametrize("theme, lang", cases())
def test_golden_tex(theme, lang, tmp_path, update_golden):
    actual = cvbuild_tex(theme, lang, tmp_path)
    golden = GOLDEN / theme / f"{lang}.tex"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no {golden.relative_to(ROOT)}; run pytest --update-golden"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, "the .tex changed; if intended, run pytest --update-golden"


@pytest.mark.parametrize("theme, lang", cases())
def test_golden_has_no_machine_paths(theme, lang):
    text = (GOLDEN / theme / f"{lang}.tex").read_text(encoding="utf-8")
    for path in {str(ROOT), str(Path.home()), os.getcwd(), "/tmp/", "/home/", "/Users/"}:
        if len(path) > 1:
            assert path not in text, path
