"""A failed, killed or concurrent build never costs the last good PDF (issue 4, point 4).

Policy for several languages: all or nothing. Every language is compiled before
any file is written, so a failure in one leaves every PDF of the folder as it was.
Each file is replaced by rename, so a reader (or a kill -9) sees the old file or
the new one, whole."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cvbuild.errors import CompileError, MissingCharacters
from cvbuild.pipeline.run import build
from cvbuild.verify.readback import pdf_text

MINI = """\
languages: [ru, en]
header:
  name: {{ru: Иван Петров, en: Ivan Petrov}}
sections:
  - title: {{ru: Опыт, en: Experience}}
    entries:
      - text: {{ru: "{ru}", en: "{en}"}}
"""


def write_cv(folder: Path, ru: str = "Версия один", en: str = "Version one") -> Path:
    path = folder / "cv.yaml"
    path.write_text(MINI.format(ru=ru, en=en), encoding="utf-8")
    return path


def pdfs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def is_whole_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and bool(
        pdf_text(path).strip()
    )


@pytest.fixture
def first_build(tex, tmp_path):
    cv = write_cv(tmp_path)
    out = tmp_path / "build"
    build(cv, "all", out)
    before = pdfs(out)
    assert sorted(before) == ["Ivan_Petrov_CV_en.pdf", "Ivan_Petrov_CV_ru.pdf"]
    return cv, out, before


def test_failure_in_one_language_writes_no_language(first_build):
    cv, out, before = first_build
    everything = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {"Ivan_Petrov_CV_ru.log", "Ivan_Petrov_CV_ru.tex"} <= set(everything)
    # the English text has a character no installed font has: en fails, ru would succeed
    write_cv(cv.parent, ru="Версия два", en="Version two \U000E0100\u0378")
    with pytest.raises(MissingCharacters):
        build(cv, "all", out)
    assert pdfs(out) == before
    # nor a .tex or .log of the Russian PDF that was not written (the log used to be)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == everything


def test_broken_theme_keeps_previous_pdfs(first_build):
    cv, out, before = first_build
    theme = cv.parent / "themes" / "broken"
    theme.mkdir(parents=True)
    (theme / "cv.tex.j2").write_text(
        "\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n"
    )
    cv.write_text(cv.read_text(encoding="utf-8") + "theme: {name: broken}\n", encoding="utf-8")
    with pytest.raises(CompileError):
        build(cv, "all", out)
    assert pdfs(out) == before


def _start(cv: Path, out: Path, cache: Path) -> subprocess.Popen:
    """A build in a process of its own, with an empty cache of its own: each run does the
    same work (with the shared cache, every run after the first was a quick replay and
    a kill at 10% of the first run's time could land after the writes, on a slow day)."""
    shutil.rmtree(cache, ignore_errors=True)
    return subprocess.Popen(
        [sys.executable, "-m", "cvbuild", "pdf", str(cv), "--lang", "all", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        env=dict(os.environ, CVBUILD_CACHE_DIR=str(cache)),
    )


def test_kill_9_at_any_moment_leaves_whole_pdfs(first_build):
    cv, out, before = first_build
    write_cv(cv.parent, ru="Версия два", en="Version two")
    cache = cv.parent / "cache"
    started = time.perf_counter()
    proc = _start(cv, out, cache)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    whole = time.perf_counter() - started
    fresh = pdfs(out)
    assert fresh != before
    seen_old = seen_new = 0
    for fraction in (0.1, 0.4, 0.7, 0.9, 1.0):
        shutil.rmtree(out)
        out.mkdir()
        for name, data in before.items():
            (out / name).write_bytes(data)
        proc = _start(cv, out, cache)
        time.sleep(whole * fraction)
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its engines, mid-flight
        proc.wait(timeout=30)
        assert sorted(p.name for p in out.glob("*.pdf")) == sorted(before)
        for name, data in before.items():
            now = (out / name).read_bytes()
            if now == data:
                seen_old += 1
            else:  # the new build got as far as renaming this one: it must be whole
                assert is_whole_pdf(out / name), (fraction, name)
                assert "two" in pdf_text(out / name) or "два" in pdf_text(out / name)
                seen_new += 1
    assert seen_old > 0  # the kills did land before the writes at least once


def test_two_builds_at_once_do_not_corrupt_each_other(tex, tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir(), b.mkdir()
    cv_a = write_cv(a, ru="Текст альфа", en="Alpha text")
    cv_b = write_cv(b, ru="Текст бета", en="Beta text")
    out = tmp_path / "build"
    for _ in range(1):
        procs = [_start(cv_a, out, a / "cache"), _start(cv_b, out, b / "cache")]
        for p in procs:
            assert p.wait(timeout=120) == 0, p.stderr.read()
        names = sorted(p.name for p in out.iterdir() if p.suffix == ".pdf")
        assert names == ["Ivan_Petrov_CV_en.pdf", "Ivan_Petrov_CV_ru.pdf"]
        assert not [p for p in out.iterdir() if p.name.endswith(".part")]
        for name in names:
            path = out / name
            assert is_whole_pdf(path)
            text = pdf_text(path)
            assert ("lpha" in text or "альфа" in text) != ("eta" in text or "бета" in text)
