"""Tailored variants and themes on the command line: --only and --except refuse tags the
CV lacks, repeat and combine; a variant or another theme never overwrites the PDFs of
plain `cvbuild pdf`; `cvbuild check` checks a variant's PDF against what it keeps."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TYPESET_CV


def cvbuild(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cvbuild", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def here(tmp_path) -> Path:
    """The typeset fixture (tags research and teaching, a photo) as ./cv.yaml."""
    for file in TYPESET_CV.parent.iterdir():
        shutil.copy(file, tmp_path / file.name)
    return tmp_path


@pytest.mark.parametrize("options, message", [
    (["--only", "reserch"], "error: --only reserch: the CV has no tag `reserch`; "
                            "did you mean `research`? Its tags: research, teaching"),
    (["--only", "research", "--except", "nosuchtag"],
     "error: --except nosuchtag: the CV has no tag `nosuchtag`; its tags: research, teaching"),
])
@pytest.mark.parametrize("command", ["tex", "pdf", "export"])
def test_a_tag_the_cv_lacks_is_an_error(here, command, options, message):
    extra = ["--format", "text", "--lang", "en"] if command == "export" else []
    proc = cvbuild(command, *extra, *options, cwd=here)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.splitlines()[0] == message
    assert "Traceback" not in proc.stderr
    assert not (here / "build").exists() and proc.stdout == ""


def test_only_repeats_and_except_leaves_out(here):
    """Two --only tags keep the items of both; --except drops a tag's items; each variant
    has its own file name."""
    both = cvbuild("export", "--format", "text", "--lang", "en",
                   "--only", "research", "--only", "teaching", cwd=here)
    assert both.returncode == 0, both.stderr
    assert "Research Engineer" in both.stdout and "Python for analysts" in both.stdout
    research = cvbuild("export", "--format", "text", "--lang", "en", "--only", "research",
                       cwd=here).stdout
    assert "Research Engineer" in research and "Python for analysts" not in research
    without = cvbuild("export", "--format", "text", "--lang", "en", "--except", "research",
                      cwd=here).stdout
    assert "Research Engineer" not in without and "Python for analysts" in without

    proc = cvbuild("tex", "--lang", "en", "--only", "teaching", "--only", "research",
                   "--except", "teaching", cwd=here)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["build/Anna_Smirnova_CV_research_teaching_without_teaching_en.tex"]


def test_another_theme_and_variants_keep_their_own_files(tex, here):
    """`--theme modern` (cv.yaml's theme is classic) and a variant write files of their own:
    the plain build's PDF stays byte for byte. `check` reads the variant from the name,
    or from --only/--theme when no file is named, and finds nothing wrong."""
    assert cvbuild("pdf", "--lang", "en", cwd=here).returncode == 0
    plain = here / "build" / "Anna_Smirnova_CV_en.pdf"
    before = plain.read_bytes()
    for options, name in [(["--theme", "modern"], "Anna_Smirnova_CV_modern_en.pdf"),
                          (["--theme", "classic"], "Anna_Smirnova_CV_en.pdf"),
                          (["--except", "teaching"], "Anna_Smirnova_CV_without_teaching_en.pdf")]:
        proc = cvbuild("pdf", "--lang", "en", *options, cwd=here)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split()[0] == f"build/{name}"
    assert plain.read_bytes() == before
    modern = here / "build" / "Anna_Smirnova_CV_modern_en.pdf"
    assert modern.read_bytes() != before

    named = cvbuild("check", "build/Anna_Smirnova_CV_modern_en.pdf",
                    "build/Anna_Smirnova_CV_without_teaching_en.pdf", cwd=here)
    assert named.returncode == 0, named.stdout
    assert named.stdout.count(", ok") == 2
    # nothing named: --only picks (and here first builds) that variant's PDF
    picked = cvbuild("check", "--lang", "en", "--only", "research", cwd=here)
    assert picked.returncode == 0, picked.stdout + picked.stderr
    assert picked.stdout.startswith("build/Anna_Smirnova_CV_research_en.pdf (en): 1 page")
    assert picked.stdout.count("\n") == 1 and ", ok" in picked.stdout
    themed = cvbuild("check", "--lang", "en", "--theme", "modern", cwd=here)
    assert themed.returncode == 0 and themed.stdout.startswith(
        "build/Anna_Smirnova_CV_modern_en.pdf (en)")
    # --only overrides the name: checked as the teaching variant, this PDF lacks its items
    other = cvbuild("check", "build/Anna_Smirnova_CV_without_teaching_en.pdf",
                    "--only", "teaching", cwd=here)
    assert other.returncode == 1 and "Python for analysts" in other.stdout


def test_the_public_api_builds_a_variant(here):
    import cvbuild

    [out] = cvbuild.build(here / "cv.yaml", "en", here / "b", tex_only=True,
                          only=cvbuild.Variant(only=("research",), leave_out=("teaching",)))
    assert out.tex.name == "Anna_Smirnova_CV_research_without_teaching_en.tex"
    tex = out.tex.read_text(encoding="utf-8")
    assert "Research Engineer" in tex and "Python for analysts" not in tex
