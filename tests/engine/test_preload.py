"""Preloaded formats and warm engines change how fast a PDF comes, never what it is."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from conftest import CV_YAML

from cvbuild import cache
from cvbuild.engine import preload
from cvbuild.engine.tex import compile_pdf, find_engine
from cvbuild.errors import CompileError
from cvbuild.pipeline.run import build, render_one_mapped
from cvbuild.pipeline.watch import watch
from cvbuild.verify.readback import pdf_fonts, pdf_text

SDE = 1_700_000_000


@pytest.fixture(scope="module")
def en_tex(real_cv) -> str:
    """The English .tex of cv.yaml, without its emoji pictures (files beside it)."""
    return re.sub(r"~?\\cvemoji\{[0-9a-f-]+\}", "", render_one_mapped(real_cv, "en", CV_YAML.parent)[0])


def emoji_resources(tex_source: str, folder: Path) -> dict[str, Path]:
    from cvbuild.engine.twemoji import emoji_files, used_emoji

    return emoji_files(used_emoji(tex_source), folder)


def test_classic_theme_is_marked_for_preloading(en_tex):
    parts = preload.split(en_tex)
    assert parts is not None
    assert r"\usepackage{fontspec}" in parts.head
    assert r"\setmainfont" not in parts.head  # XeTeX cannot dump a native font
    assert r"\setmainfont{PT Serif}" in parts.middle
    assert "Daniil Sukhoy" not in parts.head + parts.middle  # data only after `ready`


def test_two_builds_with_source_date_epoch_are_byte_identical(tex, tmp_path):
    a = build(CV_YAML, "all", tmp_path / "a", source_date_epoch=SDE, use_cache=False)
    b = build(CV_YAML, "all", tmp_path / "b", source_date_epoch=SDE, use_cache=False)
    for x, y in zip(a, b):
        assert x.pdf.read_bytes() == y.pdf.read_bytes(), x.lang


def test_warm_engine_gives_the_same_bytes_as_a_cold_compile(tex, en_tex, tmp_path):
    cold = compile_pdf(en_tex, source_date_epoch=SDE)
    pool = preload.Pool()
    try:
        # started for another date: the date goes in with the body (it follows cv.yaml's
        # modification time, so it changes with every save outside git)
        pool.start("en", en_tex, engine="xelatex", source_date_epoch=SDE - 86_400 * 400)
        warm = pool.compile("en", en_tex, source_date_epoch=SDE)
    finally:
        pool.close()
    log = warm.log
    assert "(preloaded format=" in log
    assert "cvbuild-date.tex" in log  # read by the warm engine's driver only
    assert warm.pdf == cold.pdf
    assert any("PTSerif" in f.name for f in pdf_fonts_of(warm.pdf, tmp_path))


def pdf_fonts_of(data: bytes, folder: Path):
    path = folder / "x.pdf"
    path.write_bytes(data)
    return pdf_fonts(path)


def test_warm_engine_with_another_preamble_is_not_used(tex, en_tex, tmp_path):
    pool = preload.Pool()
    try:
        pool.start("en", en_tex, engine="xelatex", source_date_epoch=None)
        other = en_tex.replace(r"\setmainfont{PT Serif}", r"\setmainfont{PT Sans}")
        compiled = pool.compile("en", other)
    finally:
        pool.close()
    path = tmp_path / "other.pdf"
    path.write_bytes(compiled.pdf)
    names = [f.name for f in pdf_fonts(path)]
    assert not any("PTSerif" in n for n in names), names


def test_latex_error_after_the_preamble_points_at_the_whole_tex_line(tex, en_tex):
    lines = en_tex.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(r"\begin{cvheading}"))
    lines.insert(at, "\\undefinedcommand\n")
    with pytest.raises(CompileError) as info:
        compile_pdf("".join(lines))
    assert "Undefined control sequence" in str(info.value)
    assert info.value.tex_line == at + 1


def test_stale_format_is_dumped_again(tex, en_tex):
    exe = find_engine("xelatex")
    head = preload.split(en_tex).head
    fmt = preload.ensure_format(head, exe)
    assert fmt is not None and fmt.stat().st_size > 1_000_000
    fmt.write_bytes(b"damaged")  # one of the files the format's entry records
    again = preload.ensure_format(head, exe)
    assert again == fmt and fmt.stat().st_size > 1_000_000
    assert "Daniil Sukhoy" in compile_text(en_tex)


def compile_text(tex_source: str) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.pdf"
        path.write_bytes(compile_pdf(tex_source).pdf)
        return pdf_text(path)


def test_format_lives_in_the_cache_folder(tex, en_tex):
    fmt = preload.ensure_format(preload.split(en_tex).head, find_engine("xelatex"))
    assert fmt.parent == cache.cache_root() / "formats"
    assert (fmt.parent.stat().st_mode & 0o077) == 0  # private to its owner


def test_watch_rebuilds_on_save_and_survives_a_yaml_error(tex, tmp_path):
    cv = tmp_path / "cv.yaml"
    cv.write_bytes(CV_YAML.read_bytes())
    out = tmp_path / "build"
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(cv, "all", out),
        # a fixed date: else both PDFs' date follows cv.yaml's modification time
        kwargs={"echo": lines.append, "stop_event": stop, "source_date_epoch": SDE},
        daemon=True,
    )
    thread.start()

    def wait_for(n: int) -> str:
        deadline = time.monotonic() + 60
        while len(lines) < n:
            assert time.monotonic() < deadline, lines
            time.sleep(0.05)
        return lines[n - 1]

    try:
        assert "error" not in wait_for(1)
        en_pdf = out / "Sukhoy_Daniil_CV_en.pdf"
        time.sleep(0.5)  # let the watcher start
        cv.write_text(cv.read_text().replace("excellent knowledge", "splendid knowledge", 1))
        line = wait_for(2)
        assert "ru unchanged" in line and "en " in line, line
        assert "splendid knowledge" in pdf_text(en_pdf)
        good = en_pdf.read_bytes()
        cv.write_text(cv.read_text() + "languages: [ru, en\n")
        line = wait_for(3)
        assert "error:" in line and "cv.yaml:" in line, line
        assert en_pdf.read_bytes() == good
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.fixture
def residents(monkeypatch):
    """Resident engines on, and every one left behind stopped afterwards."""
    import os
    import signal

    monkeypatch.setenv("CVBUILD_RESIDENT", "1")
    yield
    for _folder, meta in preload._residents():
        try:
            os.killpg(meta["pid"], signal.SIGKILL)
        except OSError:
            pass


def _resident_pids() -> set[int]:
    return {meta["pid"] for _, meta in preload._residents()}


def _wait_for_residents(n: int) -> set[int]:
    deadline = time.monotonic() + 30
    while len(pids := _resident_pids()) < n:
        assert time.monotonic() < deadline, pids
        time.sleep(0.05)
    return pids


def test_pdf_leaves_engines_that_the_next_build_uses(tex, tmp_path, residents):
    cv = tmp_path / "cv.yaml"
    cv.write_bytes(CV_YAML.read_bytes())
    out = tmp_path / "build"
    build(cv, "all", out, source_date_epoch=SDE)
    waiting = _wait_for_residents(2)
    cv.write_text(cv.read_text().replace("excellent knowledge", "sterling knowledge", 1))
    outputs = {o.lang: o for o in build(cv, "all", out, source_date_epoch=SDE)}
    assert "en" in outputs and not outputs["en"].cached
    left = _resident_pids()
    assert len(waiting - left) >= 1, "the resident engine was not used"
    assert not any(preload._alive(pid) for pid in waiting - left)
    # the same bytes as a compile from scratch
    from cvbuild.source.load import load_cv

    tex_en = render_one_mapped(load_cv(cv), "en", tmp_path, today=outputs_today(SDE))[0]
    cold = compile_pdf(tex_en, source_date_epoch=SDE,
                       resources=emoji_resources(tex_en, tmp_path))
    assert outputs["en"].pdf.read_bytes() == cold.pdf
    assert "sterling knowledge" in pdf_text(outputs["en"].pdf)


def test_resident_engine_reports_a_latex_error(tex, en_tex, residents):
    exe = find_engine("xelatex")
    parts = preload.split(en_tex)
    preload.start_resident(exe, parts, preload.ensure_format(parts.head, exe), None)
    _wait_for_residents(1)
    broken = preload.split(en_tex.replace(r"\begin{document}", "\\begin{document}\n\\nosuchmacro"))
    with pytest.raises(Exception) as info:
        preload.compile_resident(exe, broken, None, engine="xelatex", timeout=60, keep_log=None)
    assert "Undefined control sequence" in str(info.value)


def outputs_today(epoch: int):
    """The "today" a build with this source date uses (current jobs' durations)."""
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.UTC).date()
