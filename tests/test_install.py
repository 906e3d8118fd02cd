"""`pip install .` (not editable) gives a `cvbuild` that finds its built-in themes from
any directory: build the wheel, look inside, install it into a fresh virtualenv and run
`cvbuild tex` far from the checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import CV_YAML, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: the build backend (hatchling, a test dependency) is already
    # installed, so no index is needed and the build works offline.
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    [whl] = out.glob("cvbuild-*.whl")
    return whl


def test_wheel_holds_the_package_and_its_themes(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "src" / "cvbuild"
    wanted = {f"cvbuild/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    wanted |= {"cvbuild/templates/classic/cv.tex.j2", "cvbuild/templates/classic/theme.yaml"}
    assert "cvbuild/source/model.py" in wanted
    assert wanted <= names, sorted(wanted - names)
    [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    assert "cvbuild = cvbuild.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not any(n.startswith(("tests/", "build/", "src/")) for n in names)


def test_installed_wheel_runs_from_any_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    # Install the wheel itself with this interpreter's pip; the dependencies (pydantic,
    # jinja2, …) are borrowed from the running environment through a .pth file, which
    # does not run that environment's own .pth hooks (so no editable cvbuild leaks in).
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--quiet",
         str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    site = Path(subprocess.check_output(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
    ).strip())
    (site / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cv = elsewhere / "my-cv.yaml"
    cv.write_bytes(CV_YAML.read_bytes())
    where = subprocess.check_output(
        [str(py), "-c", "import cvbuild.render.template as r; print(r.builtin_templates())"],
        cwd=elsewhere, text=True,
    ).strip()
    assert Path(where) == site / "cvbuild" / "templates"

    proc = subprocess.run(
        [str(env_dir / "bin" / "cvbuild"), "tex", "my-cv.yaml", "--lang", "all"],
        cwd=elsewhere, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    built = sorted(p.name for p in (elsewhere / "build").iterdir())
    assert built == ["Sukhoy_Daniil_CV_en.tex", "Sukhoy_Daniil_CV_ru.tex"]
    golden = ROOT / "tests" / "golden" / "classic" / "en.tex"
    assert (elsewhere / "build" / "Sukhoy_Daniil_CV_en.tex").read_text() == golden.read_text()
