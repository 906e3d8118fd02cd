"""The build cache never serves a stale PDF: every input that shapes a PDF (cv.yaml, a
template, the theme, a font, the engine) invalidates it. Real builds, read back."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CV_YAML

from cvbuild import cache
from cvbuild.paths import builtin_templates
from cvbuild.pipeline.run import build
from cvbuild.verify.readback import pdf_fonts, pdf_text

SDE = 1_700_000_000


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the real cv.yaml in a folder of its own."""
    (tmp_path / "cv.yaml").write_bytes(CV_YAML.read_bytes())
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def user_theme(project: Path, name: str = "classic") -> Path:
    """A copy of the built-in classic theme beside cv.yaml (it wins over the built-in),
    with a copy of the base it extends; the base's copy (preamble, body) is returned."""
    folder = project / "themes" / name
    shutil.copytree(builtin_templates() / "classic", folder)
    shutil.copy(builtin_templates() / "base" / "base.tex.j2", folder)
    return folder / "base.tex.j2"


def one(outputs, lang: str = "en"):
    return next(o for o in outputs if o.lang == lang)


def test_noop_build_starts_neither_tex_nor_heavy_modules(tex, project):
    out = project / "build"
    first = build(project / "cv.yaml", "all", out)
    inodes = {o.pdf: o.pdf.stat().st_ino for o in first}
    code = (
        "import sys, json; from cvbuild.pipeline.run import build; "
        f"outs = build({str(project / 'cv.yaml')!r}, 'all', {str(out)!r}); "
        "print(json.dumps([[o.cached for o in outs], "
        "[m for m in ('pydantic', 'jinja2', 'babel', 'yaml', 'cvbuild.source.reader', 'cvbuild.render.template') "
        "if m in sys.modules]]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=os.environ.copy())
    cached, heavy = json.loads(proc.stdout)
    assert cached == [True, True]
    assert heavy == []
    # nothing rewritten: the PDFs are the very same files
    assert {o.pdf: o.pdf.stat().st_ino for o in first} == inodes


def test_noop_through_the_command_line_imports_no_model(tex, project):
    """`cvbuild pdf` answered by the cache: the command line itself must not import the
    models (pydantic) either, as it did for --only's variant (0.15 s of a 0.17 s no-op)."""
    out = project / "build"
    build(project / "cv.yaml", "all", out)
    code = (
        "import sys, json\n"
        "from cvbuild.cli.main import main\n"
        f"sys.argv = ['cvbuild', 'pdf', {str(project / 'cv.yaml')!r}, '-o', {str(out)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print(json.dumps([m for m in ('pydantic', 'jinja2', 'cvbuild.source.model') "
        "if m in sys.modules]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=os.environ.copy())
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_deleted_pdf_is_put_back_from_the_cache(tex, project):
    out = project / "build"
    pdf = one(build(project / "cv.yaml", "en", out)).pdf
    data = pdf.read_bytes()
    pdf.unlink()
    again = one(build(project / "cv.yaml", "en", out))
    assert again.cached
    assert pdf.read_bytes() == data


def test_edit_to_cv_yaml_rebuilds_only_the_language_it_changes(tex, project):
    out = project / "build"
    # a fixed date: else the PDFs' date follows cv.yaml's modification time (no git here)
    build(project / "cv.yaml", "all", out, source_date_epoch=SDE)
    edit(project / "cv.yaml", "excellent knowledge", "thorough knowledge")
    outputs = build(project / "cv.yaml", "all", out, source_date_epoch=SDE)
    assert not one(outputs, "en").cached
    assert one(outputs, "ru").cached  # its .tex did not change
    text = pdf_text(one(outputs, "en").pdf)
    assert "thorough knowledge of calculus" in text
    assert "excellent knowledge of calculus" not in text


def test_template_edit_rebuilds(tex, project):
    template = user_theme(project)
    out = project / "build"
    build(project / "cv.yaml", "en", out)
    edit(template, r"\begin{document}" + "\n", r"\begin{document}" + "\nTemplateMarkWord\n")
    again = one(build(project / "cv.yaml", "en", out))
    assert not again.cached
    assert "TemplateMarkWord" in pdf_text(again.pdf)


def test_theme_change_rebuilds(tex, project):
    template = user_theme(project, "mine")
    edit(template, r"\begin{document}" + "\n", r"\begin{document}" + "\nMineThemeWord\n")
    out = project / "build"
    first = one(build(project / "cv.yaml", "en", out))
    assert "MineThemeWord" not in pdf_text(first.pdf)
    edit(project / "cv.yaml", "languages: [ru, en]", "languages: [ru, en]\ntheme: {name: mine}")
    again = one(build(project / "cv.yaml", "en", out))
    assert not again.cached
    assert "MineThemeWord" in pdf_text(again.pdf)


def test_font_change_rebuilds(tex, project, tmp_path_factory):
    """The theme names a font file of its own; swapping that file for another font must
    give a PDF with the new font, not the cached one."""
    fonts = tmp_path_factory.mktemp("fonts")
    serif = "/usr/share/fonts/truetype/paratype/PTF55F.ttf"
    sans = "/usr/share/fonts/truetype/paratype/PTS55F.ttf"
    shutil.copyfile(serif, fonts / "Body.ttf")
    template = user_theme(project)
    edit(template, r"\setmainfont{<< theme.font >>}[", r"\setmainfont{Body.ttf}[Path=" + f"{fonts}/,")
    out = project / "build"
    first = one(build(project / "cv.yaml", "en", out))
    assert any("PTSerif-Regular" in f.name for f in pdf_fonts(first.pdf))
    assert one(build(project / "cv.yaml", "en", out)).cached

    shutil.copyfile(sans, fonts / "Body.ttf")
    again = one(build(project / "cv.yaml", "en", out))
    assert not again.cached
    names = [f.name for f in pdf_fonts(again.pdf)]
    assert not any("PTSerif-Regular" in n for n in names), names
    assert any("PTSans-Regular" in n for n in names), names


def test_engine_change_rebuilds(tex, project, tmp_path_factory, monkeypatch):
    """Another xelatex first on PATH (a wrapper around the real one), then the same
    wrapper changed: each is a new engine, so each builds anew."""
    real = shutil.which("xelatex")
    out = project / "build"
    build(project / "cv.yaml", "en", out)
    assert one(build(project / "cv.yaml", "en", out)).cached

    bindir = tmp_path_factory.mktemp("bin")
    wrapper = bindir / "xelatex"
    wrapper.write_text(f'#!/bin/sh\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    assert not one(build(project / "cv.yaml", "en", out)).cached
    assert one(build(project / "cv.yaml", "en", out)).cached

    wrapper.write_text(f'#!/bin/sh\n# updated\nexec "{real}" "$@"\n')
    again = one(build(project / "cv.yaml", "en", out))
    assert not again.cached
    assert "Daniil Sukhoy" in pdf_text(again.pdf)


def test_cached_blob_that_does_not_match_its_hash_is_not_served(tex, project):
    out = project / "build"
    pdf = one(build(project / "cv.yaml", "en", out)).pdf
    digest = cache.put_blob(pdf.read_bytes())
    blob = cache.cache_root() / "blobs" / digest[:2] / digest
    blob.write_bytes(b"%PDF-1.5 broken")
    pdf.unlink()
    assert cache.get_blob(digest) is None
    again = one(build(project / "cv.yaml", "en", out))
    assert pdf_text(again.pdf).startswith("Daniil Sukhoy")


def test_validate_remembers_only_valid_files(project):
    """A file found valid is not parsed again while its bytes are the same; a broken
    file is always parsed and reported, even if an earlier version was valid."""
    from typer.testing import CliRunner

    from cvbuild.cli.main import app

    cv = project / "cv.yaml"
    cv.write_text(cv.read_text() + "# bytes no other test has seen\n")
    assert cache.known_valid(cv) is None
    first = CliRunner().invoke(app, ["validate", str(cv)])
    assert first.exit_code == 0 and "valid (ru, en)" in first.output
    assert cache.known_valid(cv) == (["ru", "en"], [])
    code = (
        "import sys; from cvbuild.cli.main import main; "
        f"sys.argv = ['cvbuild', 'validate', {str(cv)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('pydantic', 'yaml') if m in sys.modules])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=os.environ.copy())
    assert "valid (ru, en)" in proc.stdout and proc.stdout.strip().endswith("[]"), proc.stdout

    edit(cv, "languages: [ru, en]", "languages: [ru, en]\nunknown_key: 1")
    assert cache.known_valid(cv) is None
    broken = CliRunner().invoke(app, ["validate", str(cv)])
    assert broken.exit_code == 1
    assert "unknown_key" in broken.output


def test_source_date_change_rebuilds(tex, project, monkeypatch):
    """The PDF's date follows SOURCE_DATE_EPOCH, else git, else cv.yaml's modification
    time (source_date.py): a new date with the very same bytes is a new PDF."""
    from pdfs import pdf_info

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    cv = project / "cv.yaml"
    out = project / "build"
    os.utime(cv, (1_600_000_000, 1_600_000_000))
    first = one(build(cv, "en", out))
    assert "2020" in pdf_info(first.pdf)["CreationDate"]
    assert one(build(cv, "en", out)).cached

    os.utime(cv, (1_650_000_000, 1_650_000_000))  # touched: same bytes, another date
    touched = one(build(cv, "en", out))
    assert not touched.cached
    assert "2022" in pdf_info(touched.pdf)["CreationDate"]

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = one(build(cv, "en", out))  # may come from another test's identical compile
    assert "2023" in pdf_info(dated.pdf)["CreationDate"]


def test_new_git_commit_of_cv_yaml_rebuilds(tex, project, monkeypatch):
    """In git, the date is the last commit of cv.yaml: amending that commit with another
    date (same bytes, same modification time) must give a PDF with the new date."""
    from pdfs import pdf_info

    git = shutil.which("git")
    assert git, "git is needed for this test"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
               GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")

    def run(*args: str, date: str) -> None:
        subprocess.run([git, *args], cwd=project, check=True, capture_output=True,
                       env=dict(env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date))

    run("init", "-q", date="2019-05-01T12:00:00Z")
    run("add", "cv.yaml", date="2019-05-01T12:00:00Z")
    run("commit", "-q", "-m", "cv", date="2019-05-01T12:00:00Z")
    cv, out = project / "cv.yaml", project / "build"
    first = one(build(cv, "en", out))
    assert "2019" in pdf_info(first.pdf)["CreationDate"]
    assert one(build(cv, "en", out)).cached

    run("commit", "-q", "--amend", "-m", "cv again", date="2021-05-01T12:00:00Z")
    again = one(build(cv, "en", out))
    assert not again.cached
    assert "2021" in pdf_info(again.pdf)["CreationDate"]


def test_emoji_pictures_are_cut_once(tex, tmp_path, monkeypatch):
    """The second time, the pictures come from the cache: nothing is cut."""
    from cvbuild.engine import twemoji
    from cvbuild.pipeline.compile import emoji_pictures

    first = emoji_pictures({"1f4da", "2714"}, tmp_path)
    assert sorted(first) == ["emoji-1f4da.pdf", "emoji-2714.pdf"]
    data = {name: path.read_bytes() for name, path in first.items()}
    assert all(d.startswith(b"%PDF") for d in data.values())
    again_dir = tmp_path / "again"
    again_dir.mkdir()

    def no_cut(codes, folder):
        assert not codes, f"cut again: {codes}"
        return {}

    monkeypatch.setattr(twemoji, "emoji_files", no_cut)
    again = emoji_pictures({"1f4da", "2714"}, again_dir)
    assert {name: path.read_bytes() for name, path in again.items()} == data


def test_each_document_is_keyed_once_a_build_so_its_photo_is_read_once(tex, tmp_path, monkeypatch):
    """The key of a compile hashes the .tex and the photo's bytes: made when the engine
    is started (to skip a language the cache has), then used again by the compile."""
    from conftest import TYPESET_CV

    for name in ("cv.yaml", "photo.png"):
        shutil.copy(TYPESET_CV.parent / name, tmp_path / name)
    made = []
    real = cache.compile_key
    monkeypatch.setattr(cache, "compile_key", lambda tex, **kw: made.append(kw) or real(tex, **kw))
    outputs = build(tmp_path / "cv.yaml", "all", tmp_path / "build")
    assert len(outputs) == 2 and all(o.pages >= 1 for o in outputs)
    assert len(made) == 2 and all("photo.png" in str(kw["resources"]) for kw in made), made


def test_threads_asking_at_once_whether_a_new_cache_is_usable_all_hear_yes(
        tmp_path, monkeypatch, capsys):
    """A build's threads (the spare engines', the early questions', the main one) ask at
    once; one of them used to hear "no" while another was still checking, and a
    warning said the cache could not be used."""
    import threading

    for n in range(20):
        monkeypatch.setenv("CVBUILD_CACHE_DIR", str(tmp_path / f"cache{n}"))
        start = threading.Barrier(8)
        answers: list[bool] = []

        def ask(start: threading.Barrier, answers: list[bool]) -> None:
            start.wait()
            answers.append(cache.usable())

        threads = [threading.Thread(target=ask, args=(start, answers)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [True] * 8, n
    assert "cannot be used" not in capsys.readouterr().err
