"""cvbuild validate (several files), schema, doctor and init as a person meets them: exit
codes and every line printed (typer's CliRunner, in process); no traceback ever."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cvbuild.cli.main import app
from cvbuild.source.load import load_cv
from cvbuild.source.model import ENTRY_KINDS
from cvbuild.source.schema import schema_text
from cvbuild.verify.readback import pdf_text

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


BROKEN = """\
languages: [ru, en]
header:
  name: {ru: Иван}
  emial: ivan@example.com
"""


def test_validate(here):
    shutil.copy(ROOT / "cv.yaml", "good.yaml")
    Path("bad.yaml").write_text(BROKEN, encoding="utf-8")
    ok = run("validate", "good.yaml")
    assert (ok.exit_code, ok.stdout, ok.stderr) == (0, "good.yaml: valid (ru, en)\n", "")
    bad = run("validate", "good.yaml", "bad.yaml", "missing.yaml")
    assert bad.exit_code == 1
    assert bad.stdout == "good.yaml: valid (ru, en)\n"
    assert bad.stderr.splitlines() == [
        "bad.yaml:3:9: header.name: missing the 'en' text; add `en: …` here",
        "bad.yaml:4:3: header.emial: unknown key `emial`; the keys allowed here are: name, "
        "headline, location, photo, contacts",
        "2 problems found in bad.yaml.",
        "missing.yaml: no such file; run `cvbuild init` to write a starter CV",
        "1 problem found in missing.yaml.",
    ]


def test_validate_defaults_to_cv_yaml(here):
    result = run("validate")
    assert (result.exit_code, result.stderr) == (
        1, "cv.yaml: no such file; run `cvbuild init` to write a starter CV\n"
           "1 problem found in cv.yaml.\n")


def test_pdf_with_bad_input_keeps_the_last_pdf(here):
    Path("cv.yaml").write_text(BROKEN, encoding="utf-8")
    Path("build").mkdir()
    Path("build/old.pdf").write_bytes(b"%PDF last good")
    result = run("pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "2 problems found; nothing was built."
    assert sorted(os.listdir("build")) == ["old.pdf"]


def test_pdf_without_tex_points_to_doctor(here, monkeypatch):
    shutil.copy(ROOT / "cv.yaml", "cv.yaml")
    empty = here / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("pdf")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: xelatex is not installed, so no PDF can be made; run `cvbuild doctor` "
        "to see how to install TeX Live\n"
    )
    assert not Path("build").exists()


def test_schema_prints_the_committed_schema():
    result = run("schema")
    assert (result.exit_code, result.stdout) == (0, schema_text())
    assert result.stdout == (ROOT / "schema.json").read_text(encoding="utf-8")


def test_doctor_on_a_path_without_tex(here, monkeypatch):
    """PATH with fontconfig and poppler but no TeX: the engine is missing, the rest
    is found, and the TeX install command is given for every system."""
    bin_dir = here / "bin"
    bin_dir.mkdir()
    for tool in ("fc-list", "pdftotext", "pdffonts", "pdfinfo"):
        found = shutil.which(tool)
        assert found, f"{tool} is needed for this test (run ./run.sh setup)"
        (bin_dir / tool).symlink_to(found)
    monkeypatch.setenv("PATH", str(bin_dir))
    result = run("doctor")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        " MISSING  TeX engine (xelatex): not found on PATH",
        " skipped  LaTeX packages of the classic theme: not checked: kpsewhich (part of TeX) "
        "not found",
        "      ok  Fonts with Cyrillic (PT Serif, PT Sans, DejaVu Sans Mono): found",
        "      ok  Poppler (pdftotext, pdffonts, pdfinfo): " + lines[3].split(": ", 1)[1],
    ]
    assert lines[3].split(": ", 1)[1].startswith("pdftotext version ")
    assert lines[5] == "To install TeX Live with XeLaTeX and the LaTeX packages (needed by cvbuild pdf):"
    systems = [line.split(":")[0].strip() for line in lines[6:11]]
    assert systems == ["Debian/Ubuntu", "Fedora", "Arch", "macOS", "Windows"]
    assert "sudo apt-get install texlive-xetex" in lines[6]
    assert "tlmgr install collection-xetex fontspec polyglossia" in lines[9]
    assert "MiKTeX" in lines[10] and "install-tl-windows" in lines[10]
    assert lines[-1] == "Then run `cvbuild doctor` again."
    assert "Poppler's tools" not in result.stdout  # nothing to install there


def test_doctor_here(tex):
    """This machine has everything; the test document compiles."""
    result = run("doctor")
    assert result.exit_code == 0, result.stdout
    assert "      ok  A test document in Russian: compiles" in result.stdout.splitlines()
    assert result.stdout.endswith("Everything cvbuild needs is here.\n")


def test_init_refuses_to_overwrite(here):
    first = run("init")
    assert (first.exit_code, first.stdout) == (
        0, "wrote cv.yaml\nwrote schema.json\nnext: edit cv.yaml, then `cvbuild pdf cv.yaml`\n")
    Path("cv.yaml").write_text("mine", encoding="utf-8")
    again = run("init")
    assert (again.exit_code, again.stderr) == (
        1, "error: cv.yaml already exists; keep it, or pass --force to replace it\n")
    assert Path("cv.yaml").read_text(encoding="utf-8") == "mine"
    forced = run("init", "--force")
    assert forced.exit_code == 0
    assert Path("cv.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=./schema.json\n")


@pytest.mark.parametrize("langs, name", [("en", None), ("ru", "Мария Иванова"),
                                         ("en,de,ru", "Jane O'Neil: Dev")])
def test_init_validates_for_any_languages(here, langs, name):
    args = ["init", "--langs", langs] + (["--name", name] if name else [])
    assert run(*args).exit_code == 0
    result = run("validate")
    valid = f"cv.yaml: valid ({', '.join(langs.split(','))})"
    if "de" not in langs:
        assert (result.exit_code, result.stdout) == (0, valid + "\n")
        return
    # a language with no starter text gets TODO markers, each a warning (and nothing else)
    warnings = result.stderr.splitlines()
    assert (result.exit_code, result.stdout) == (0, f"{valid}, {len(warnings)} warnings\n")
    assert len(warnings) > 20
    assert all(": warning: " in w and "the de text is still to be written: 'TODO: " in w
               for w in warnings), warnings


def test_init_rejects_bad_languages(here):
    result = run("init", "--langs", "ru,English")
    assert (result.exit_code, result.stderr) == (
        1, "error: --langs: 'English': write language codes such as ru,en (two or three "
           "small letters, joined by commas)\n")
    assert not Path("cv.yaml").exists()


def test_init_output_builds(tex, here):
    """One real build of the starter, both languages: no warning, every entry kind
    read back from the PDFs."""
    assert run("init", "--name", "Ivan Petrov").exit_code == 0
    cv = load_cv("cv.yaml")
    kinds = {type(entry) for section in cv.sections for entry in section.entries}
    assert kinds == set(ENTRY_KINDS.values())
    result = run("pdf")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # no warning: nothing overflows, no missing character
    ru = pdf_text(Path("build/Ivan_Petrov_CV_ru.pdf"))
    en = pdf_text(Path("build/Ivan_Petrov_CV_en.pdf"))
    assert "Ведущий разработчик" in ru and "Lead Developer" in en
    assert "Победитель хакатона" in ru and "Hackathon winner" in en


def test_pre_commit_hook():
    """The hook runs `cvbuild validate` on each file named cv.yaml that is committed."""
    import re

    import yaml

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == (
        "cvbuild-validate", "cvbuild validate", "python")
    files = re.compile(hook["files"])
    assert [p for p in ("cv.yaml", "me/cv.yml", "cv.yaml.bak", "mycv.yaml", "schema.json")
            if files.search(p)] == ["cv.yaml", "me/cv.yml"]
    assert run("validate", str(ROOT / "cv.yaml"), str(ROOT / "cv.yaml")).exit_code == 0


def test_validate_loads_no_heavy_module():
    """What keeps `cvbuild validate` quick for a pre-commit hook: no template engine, no
    CLDR data, no markdown parser, no rich console is imported on its way."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from cvbuild.cli.main import app\n"
        "try:\n"
        f"    app(['validate', {str(ROOT / 'cv.yaml')!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "heavy = ('jinja2', 'babel', 'markdown_it', 'rich', 'jsonschema', 'cvbuild.render.template')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"
