"""The base format: TeX Live's gzipped xelatex.fmt kept inflated in the cache, followed
when TeX Live's changes, and giving the same PDFs as the format it copies."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pytest
from conftest import CV_YAML

from cvbuild import cache
from cvbuild.engine import formats
from cvbuild.engine import tex as tex_module
from cvbuild.engine.compiler import Pool, compile_pdf
from cvbuild.engine.tex import find_engine, locate

SDE = 1_700_000_000


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("CVBUILD_CACHE_DIR", str(root))
    return root


@pytest.fixture
def own_format(tmp_path, monkeypatch) -> Path:
    """A gzipped format of our own, found in TeX Live's place (a copy of its own)."""
    system = locate("xelatex.fmt")
    assert system is not None and Path(system).read_bytes()[:2] == b"\x1f\x8b"
    copy = tmp_path / "texlive" / "xelatex.fmt"
    copy.parent.mkdir()
    shutil.copyfile(system, copy)
    real = tex_module.locate
    monkeypatch.setattr(tex_module, "locate",
                        lambda *names: str(copy) if names == ("xelatex.fmt",) else real(*names))
    return copy


def test_the_base_format_is_inflated_once_into_the_private_cache(tex, fresh_cache):
    exe = find_engine()
    base = formats.base_format(exe)
    assert base is not None
    assert base.source == locate("xelatex.fmt")
    assert base.path.parent == fresh_cache / "formats"
    assert base.path.stat().st_mode & 0o077 == 0  # private to its owner
    assert base.path.read_bytes() == gzip.decompress(Path(base.source).read_bytes())
    made = base.path.stat()
    assert formats.base_format(exe) == base
    again = base.path.stat()
    assert (again.st_ino, again.st_mtime_ns) == (made.st_ino, made.st_mtime_ns)  # not redone


def test_the_copy_follows_tex_lives_format_and_is_made_again_when_damaged(
        tex, fresh_cache, own_format):
    exe = find_engine()
    base = formats.base_format(exe)
    assert base is not None and base.source == str(own_format)
    first = base.path.read_bytes()
    # TeX Live made its format anew (fmtutil after an update): another content
    own_format.write_bytes(gzip.compress(first[:-1] + b"\x00", mtime=0))
    os.utime(own_format, ns=(10**18, 10**18))
    assert formats.base_format(exe).path.read_bytes() == first[:-1] + b"\x00"
    # a copy cut short (a crash while it was written: it is not forced to the disk)
    with base.path.open("r+b") as f:
        f.truncate(1000)
    assert len(formats.base_format(exe).path.read_bytes()) == len(first)


def test_a_format_that_cannot_be_inflated_leaves_the_engine_its_own(tex, fresh_cache,
                                                                    own_format):
    own_format.write_bytes(b"not gzip")
    assert formats.base_format(find_engine()) is None


def test_no_usable_cache_no_copy(tex, tmp_path, monkeypatch):
    taken = tmp_path / "taken"
    taken.write_text("a file where the cache folder would be")
    monkeypatch.setenv("CVBUILD_CACHE_DIR", str(taken))
    assert formats.base_format(find_engine()) is None


@pytest.fixture(scope="module")
def plain_tex(real_cv) -> str:
    """cv.yaml's English .tex without its emoji (no pictures beside it)."""
    import re

    from cvbuild.pipeline.run import render_one_mapped

    tex_source = render_one_mapped(real_cv, "en", CV_YAML.parent)[0]
    return re.sub(r"~?\\cvemoji\{[0-9a-f-]+\}", "", tex_source)


def test_the_copy_gives_the_same_pdf_as_tex_lives_format(tex, fresh_cache, plain_tex,
                                                         monkeypatch):
    exe = find_engine()
    with_copy = compile_pdf(plain_tex, source_date_epoch=SDE)
    with Pool() as pool:  # a spare engine, started before the document is known
        pool.start_spares(1)
        pool.prepare("en", plain_tex, source_date_epoch=SDE)
        early = pool.compile("en", plain_tex, source_date_epoch=SDE)
    base = formats.base_format(exe)
    assert base is not None
    # the engine read the copy, not TeX Live's format (the recorder names what it read)
    assert base.source not in with_copy.inputs and base.source not in early.inputs
    # and the compile cache still records TeX Live's format, through format_inputs
    assert base.source in formats.format_inputs(plain_tex, exe)
    monkeypatch.setattr(formats, "base_format", lambda exe: None)
    monkeypatch.setattr("cvbuild.engine.compiler.base_format", lambda exe: None)
    own = compile_pdf(plain_tex, source_date_epoch=SDE)
    assert base.source in own.inputs  # this one loaded TeX Live's format itself
    assert with_copy.pdf == early.pdf == own.pdf


def test_a_dump_starts_from_the_copy_and_records_tex_lives_format(tex, fresh_cache,
                                                                 plain_tex, own_format):
    exe = find_engine()
    head = formats.split(plain_tex).head
    assert formats.ensure_format(head, exe) is not None
    entry = cache.get_entry("formats", formats.format_key(head, exe))
    # it read the copy of the format found in TeX Live's place, not TeX Live's own
    assert str(own_format) in entry["inputs"]
    assert str(Path(locate("xelatex.fmt")).resolve()) not in entry["inputs"]
    assert "(preloaded format=cv " in compile_pdf(plain_tex).log


def test_a_format_beside_the_cv_is_not_taken_for_tex_lives(tex, fresh_cache, tmp_path,
                                                           monkeypatch):
    """kpathsea looks in the current folder first: a xelatex.fmt beside cv.yaml (a
    format is code) must not become the base format."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "xelatex.fmt").write_bytes(b"W2TX planted")
    base = formats.base_format(find_engine())
    assert base is not None and Path(base.source).is_absolute()
    assert Path(base.source).parent != tmp_path and base.source.startswith("/")


def test_another_engine_on_path_looks_its_format_up_again(tex, fresh_cache, monkeypatch):
    calls = []
    real = tex_module._kpsewhich
    monkeypatch.setattr(tex_module, "_kpsewhich",
                        lambda names: (names and calls.append(names)) or real(names))
    assert locate("xelatex.fmt") is not None and locate("xelatex.fmt") is not None
    assert len(calls) == 1  # the second answer came from the cache
    identity = cache.engine_identity("xelatex")
    monkeypatch.setattr(cache, "engine_identity",
                        lambda engine: identity[:1] + ["/opt/texlive/2026/bin/xelatex"])
    assert locate("xelatex.fmt") is not None
    assert len(calls) == 2  # a new TeX Live on PATH: asked anew


def test_a_copy_ending_in_zeros_is_made_again(tex, fresh_cache):
    """Its size and time unchanged (a crash before the disk had its last blocks)."""
    exe = find_engine()
    base = formats.base_format(exe)
    assert base is not None
    whole = base.path.read_bytes()
    made = base.path.stat()
    with base.path.open("r+b") as f:
        f.seek(-1_000_000, 2)
        f.write(b"\0" * 1_000_000)
    os.utime(base.path, ns=(made.st_atime_ns, made.st_mtime_ns))
    assert formats.base_format(exe).path.read_bytes() == whole


def test_a_copy_left_half_written_by_a_killed_build_is_swept(tex, fresh_cache):
    folder = fresh_cache / "formats"
    folder.mkdir(parents=True)
    old = folder / ".base-x.fmt.a1b2c3d4.part"
    old.write_bytes(b"half a format")
    os.utime(old, (0, 0))  # long ago: no running build writes it
    fresh = folder / ".base-y.fmt.e5f6g7h8.part"
    fresh.write_bytes(b"being written")
    assert formats.base_format(find_engine()) is not None
    assert not old.exists() and fresh.exists()
