"""Release-grade PDFs: reproducible bytes, dated by the source, metadata per language,
and PDF/A-2b on request. Real xelatex; metadata read back with pypdf."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time

import pytest
from conftest import CV_YAML, require_tools
from pypdf import PdfReader

from cvbuild.errors import CvbuildError
from cvbuild.pipeline.source_date import source_date
from cvbuild.text.locales import words

EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z
PDF_DATE = "D:20231114221320Z"


def test_source_date_env_wins(tmp_path):
    cv = tmp_path / "cv.yaml"
    cv.write_text("x")
    os.utime(cv, (EPOCH, EPOCH))
    assert source_date(cv, {"SOURCE_DATE_EPOCH": "1234567890"}).epoch == 1234567890
    assert source_date(cv, {"SOURCE_DATE_EPOCH": "1234567890"}).origin == "SOURCE_DATE_EPOCH"
    assert source_date(cv, {}).epoch == EPOCH  # not in git: the file's mtime
    assert source_date(cv, {}).origin == "mtime"
    with pytest.raises(CvbuildError, match="not a Unix time"):
        source_date(cv, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_source_date_from_the_last_commit_that_touched_the_cv(tmp_path):
    require_tools("git")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}

    def git(*args: str, date: int | None = None) -> None:
        e = dict(env)
        if date is not None:
            e["GIT_COMMITTER_DATE"] = e["GIT_AUTHOR_DATE"] = f"@{date} +0000"
        subprocess.run(["git", *args], cwd=tmp_path, env=e, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "cv.yaml").write_text("a")
    git("add", "cv.yaml")
    git("commit", "-q", "-m", "cv", date=EPOCH)
    (tmp_path / "other.txt").write_text("b")
    git("add", "other.txt")
    git("commit", "-q", "-m", "other", date=EPOCH + 500)  # does not touch the CV
    os.utime(tmp_path / "cv.yaml", (EPOCH + 999, EPOCH + 999))
    found = source_date(tmp_path / "cv.yaml", {})
    assert (found.epoch, found.origin) == (EPOCH, "git")
    # an untracked CV in a repository: no commit touched it, so its mtime
    (tmp_path / "new.yaml").write_text("c")
    os.utime(tmp_path / "new.yaml", (EPOCH + 7, EPOCH + 7))
    assert source_date(tmp_path / "new.yaml", {}).origin == "mtime"
    # a CV in a folder below the repository's top is found there too
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "cv.yaml").write_text("d")
    git("add", "sub/cv.yaml")
    git("commit", "-q", "-m", "sub", date=EPOCH + 800)
    assert source_date(tmp_path / "sub" / "cv.yaml", {}).epoch == EPOCH + 800


def test_outside_a_repository_git_is_not_run(tmp_path, monkeypatch):
    """No .git in the CV's folder or above it: git could find no commit, so it is not
    started (a process less on every build of a CV kept outside git)."""
    import cvbuild.pipeline.source_date as sd

    cv = tmp_path / "cv.yaml"
    cv.write_text("a")
    os.utime(cv, (EPOCH, EPOCH))
    assert not any((d / ".git").exists() for d in tmp_path.parents)  # as pytest makes it
    started = []
    monkeypatch.setattr(sd.subprocess, "run", lambda *a, **k: started.append(a) or
                        subprocess.CompletedProcess(a, 128, b"", b""))
    assert (source_date(cv, {}).epoch, started) == (EPOCH, [])
    (tmp_path / ".git").mkdir()  # a repository around it: git is asked
    source_date(cv, {})
    assert started and started[0][0][-1] == "cv.yaml"


def test_two_builds_in_two_folders_at_two_times_are_byte_identical(tex, tmp_path, monkeypatch):
    """The same CV file (same mtime, no git) built twice, a second apart, in different
    folders: every PDF byte is equal, and the PDF is dated by the file, not the clock."""
    from cvbuild.pipeline.run import build

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    outs = []
    for name in ("first", "second"):
        folder = tmp_path / name / "deeper" if name == "second" else tmp_path / name
        folder.mkdir(parents=True)
        shutil.copyfile(CV_YAML, folder / "cv.yaml")
        os.utime(folder / "cv.yaml", (EPOCH, EPOCH))
        outs.append({o.lang: o.pdf.read_bytes() for o in build(folder / "cv.yaml", "all", folder / "build")})
        time.sleep(1.1)  # PDF dates have one-second resolution
    assert set(outs[0]) == {"ru", "en"}
    for lang in outs[0]:
        assert outs[0][lang] == outs[1][lang], f"{lang}: the two builds differ"
        info = PdfReader(io.BytesIO(outs[0][lang])).metadata
        assert info["/CreationDate"] == info["/ModDate"] == PDF_DATE


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_metadata_in_each_language(built, real_cv, lang):
    reader = PdfReader(built[lang])
    info = reader.metadata
    name = real_cv.header.name.get(lang)
    assert info["/Title"] == f"{name} — {words(lang)['cv']}"
    assert info["/Author"] == name
    assert info["/Subject"] == real_cv.header.headline.get(lang)
    keywords = info["/Keywords"].split(", ")
    assert len(keywords) >= 5
    assert ("Математика" in keywords) == (lang == "ru")
    assert ("Mathematics" in keywords) == (lang == "en")
    assert reader.trailer["/Root"]["/Lang"] == words(lang)["bcp47"]
    expected = source_date(CV_YAML).epoch
    assert reader.metadata.creation_date.timestamp() == expected
    assert reader.metadata.modification_date.timestamp() == expected


def test_pdfa_2b_option(tex, tmp_path):
    """--pdfa: XMP with pdfaid part 2 / conformance B, an sRGB output intent with its
    ICC profile, dates from the source, and the PDF still passes the ATS check."""
    import re

    from cvbuild.pipeline.run import build
    from cvbuild.source.load import load_cv
    from cvbuild.verify.check import check_pdf

    [out] = build(CV_YAML, "ru", tmp_path, pdfa=True, source_date_epoch=EPOCH)
    reader = PdfReader(out.pdf)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", xmp)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>", xmp)
    assert "<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>" in xmp
    assert "<xmp:ModifyDate>2023-11-14T22:13:20+00:00</xmp:ModifyDate>" in xmp
    assert reader.xmp_metadata.dc_language == ["ru-RU"]
    [intent] = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object().get_data()
    assert profile[36:40] == b"acsp" and len(profile) > 1000  # an ICC profile
    assert reader.metadata.creation_date.timestamp() == EPOCH
    assert reader.metadata.modification_date.timestamp() == EPOCH
    report = check_pdf(out.pdf, load_cv(CV_YAML), "ru")
    assert report.ok, report
