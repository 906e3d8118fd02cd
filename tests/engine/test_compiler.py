"""Dumped formats and engines started early change how fast a PDF comes, never what it
is; a format is dumped only for a preamble that is used again."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from conftest import CV_YAML

from cvbuild import cache
from cvbuild.engine import formats
from cvbuild.engine.compiler import Pool, compile_pdf
from cvbuild.engine.tex import find_engine
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
    parts = formats.split(en_tex)
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


def test_engine_started_early_gives_the_same_bytes_as_a_compile(tex, en_tex, tmp_path):
    cold = compile_pdf(en_tex, source_date_epoch=SDE)
    formats.ensure_format(formats.split(en_tex).head, find_engine("xelatex"))
    with Pool() as pool:
        # started for another date: the date goes in with the body (it follows cv.yaml's
        # modification time, so it changes with every save outside git)
        pool.start("en", en_tex, source_date_epoch=SDE - 86_400 * 400)
        warm = pool.compile("en", en_tex, source_date_epoch=SDE)
    log = warm.log
    assert "(preloaded format=" in log
    assert "cvbuild-date.tex" in log  # read by the engine started before the date was known
    assert warm.pdf == cold.pdf
    assert any("PTSerif" in f.name for f in pdf_fonts_of(warm.pdf, tmp_path))


def test_a_compile_without_the_format_gives_the_same_bytes(tex, en_tex, tmp_path,
                                                           monkeypatch):
    """The first build in a fresh cache has no format; what the packages put on the
    page while they load is lost in a dumped format, and dropped without one too."""
    exe = find_engine("xelatex")
    head = formats.split(en_tex).head
    monkeypatch.setenv("CVBUILD_CACHE_DIR", str(tmp_path / "fresh"))
    assert formats.cached_format(head, exe) is None
    without = compile_pdf(en_tex, source_date_epoch=SDE)
    with Pool() as pool:  # an engine started early, without a format
        pool.prepare("en", en_tex, source_date_epoch=SDE)
        early = pool.compile("en", en_tex, source_date_epoch=SDE)
    assert formats.ensure_format(head, exe) is not None
    with_format = compile_pdf(en_tex, source_date_epoch=SDE)
    assert "(preloaded format=cv " in with_format.log  # the dumped one (its job was `cv`)
    assert "(preloaded format=xelatex " in without.log and "(preloaded format=xelatex " in early.log
    assert without.pdf == with_format.pdf == early.pdf


def pdf_fonts_of(data: bytes, folder: Path):
    path = folder / "x.pdf"
    path.write_bytes(data)
    return pdf_fonts(path)


def test_engine_with_another_preamble_is_not_used(tex, en_tex, tmp_path):
    with Pool() as pool:
        pool.start("en", en_tex)
        other = en_tex.replace(r"\setmainfont{PT Serif}", r"\setmainfont{PT Sans}")
        compiled = pool.compile("en", other)
    path = tmp_path / "other.pdf"
    path.write_bytes(compiled.pdf)
    names = [f.name for f in pdf_fonts(path)]
    assert not any("PTSerif" in n for n in names), names


def test_latex_error_after_the_preamble_points_at_the_whole_tex_line(tex, en_tex):
    lines = en_tex.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(r"\begin{cvheading}"))
    lines.insert(at, "\\undefinedcommand\n")
    broken = "".join(lines)
    with pytest.raises(CompileError) as info:
        compile_pdf(broken)
    assert "Undefined control sequence" in str(info.value)
    assert info.value.tex_line == at + 1
    # the same from an engine that read the preamble first, with the format and without
    for dump in (False, True):
        with Pool() as pool, pytest.raises(CompileError) as info:
            pool.start("en", en_tex, dump=dump)
            pool.compile("en", broken)
        assert "Undefined control sequence" in str(info.value)
        assert info.value.tex_line == at + 1


def test_stale_format_is_dumped_again(tex, en_tex):
    exe = find_engine("xelatex")
    head = formats.split(en_tex).head
    fmt = formats.ensure_format(head, exe)
    assert fmt is not None and fmt.stat().st_size > 1_000_000
    fmt.write_bytes(b"damaged")  # one of the files the format's entry records
    again = formats.ensure_format(head, exe)
    assert again == fmt and fmt.stat().st_size > 1_000_000
    assert "Daniil Sukhoy" in compile_text(en_tex)


def compile_text(tex_source: str) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.pdf"
        path.write_bytes(compile_pdf(tex_source).pdf)
        return pdf_text(path)


def test_format_lives_in_the_cache_folder(tex, en_tex):
    fmt = formats.ensure_format(formats.split(en_tex).head, find_engine("xelatex"))
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


def test_a_format_is_dumped_for_a_preamble_built_again(tex, tmp_path, monkeypatch):
    """The first build of a CV compiles without a format (dumping one costs about two
    compiles); the next one dumps it, and the one after uses it."""
    from cvbuild.source.load import load_cv

    monkeypatch.setenv("CVBUILD_CACHE_DIR", str(tmp_path / "cache"))
    cv = tmp_path / "cv.yaml"
    cv.write_bytes(CV_YAML.read_bytes())
    out = tmp_path / "build"
    head = formats.split(render_one_mapped(load_cv(cv), "en", tmp_path)[0]).head
    exe = find_engine("xelatex")
    first = {o.lang: o for o in build(cv, "all", out, source_date_epoch=SDE)}
    assert formats.cached_format(head, exe) is None
    assert "(preloaded format=xelatex " in first["en"].pdf.with_suffix(".log").read_text()
    for word in ("sterling", "stellar"):
        cv.write_text(cv.read_text().replace("excellent knowledge", f"{word} knowledge", 1))
        outputs = {o.lang: o for o in build(cv, "all", out, source_date_epoch=SDE)}
        assert formats.cached_format(head, exe) is not None
        assert not outputs["en"].cached and f"{word} knowledge" in pdf_text(outputs["en"].pdf)
    assert "(preloaded format=cv " in outputs["en"].pdf.with_suffix(".log").read_text()
    # the same bytes as a compile from scratch
    tex_en = render_one_mapped(load_cv(cv), "en", tmp_path, today=outputs_today(SDE))[0]
    cold = compile_pdf(tex_en, source_date_epoch=SDE,
                       resources=emoji_resources(tex_en, tmp_path))
    assert outputs["en"].pdf.read_bytes() == cold.pdf


def outputs_today(epoch: int):
    """The "today" a build with this source date uses (current jobs' durations)."""
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.UTC).date()


def test_closing_while_the_spares_start_waits_for_them_and_stops_them(tex, monkeypatch):
    """A first build's spare engines start in a thread, after the base format is made:
    a pool closed meanwhile (Ctrl-C while cv.yaml is parsed) waits for that thread and
    stops what it started, so that no engine outlives the command."""
    import cvbuild.engine.compiler as compiler

    made = threading.Event()
    real = compiler.base_format
    monkeypatch.setattr(compiler, "base_format", lambda exe: made.wait(30) and real(exe))
    pool = Pool()
    pool.start_spares(2)
    closing = threading.Thread(target=pool.close)
    closing.start()
    closing.join(0.3)
    assert closing.is_alive()  # waiting for the spares' thread
    made.set()
    closing.join(30)
    assert not closing.is_alive()
    assert pool._spares == [] and all(p.poll() is not None for p in pool._procs)
    assert pool._take("en") is None
