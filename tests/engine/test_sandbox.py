"""The engine's box (issue 4, point 3; issue 14): no shell anywhere, paranoid reading
and writing, a minimal environment, a private folder, time and size limits, and a PDF
driver that embeds no file from outside the build folder. The documents here stand for
a hostile theme; text typed into cv.yaml is checked in test_attacks.py."""

from __future__ import annotations

import os
import tempfile
import zlib
from pathlib import Path

import pytest

from cvbuild.engine import tex as texmod
from cvbuild.engine.compiler import Pool, compile_pdf
from cvbuild.engine.tex import engine_env
from cvbuild.errors import CompileError


def doc(body: str) -> str:
    return "\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n"


@pytest.mark.parametrize("target", ["/etc/passwd", "../secret", "../../etc/hostname"])
def test_template_cannot_input_outside_its_folder(tex, target):
    with pytest.raises(CompileError) as info:
        compile_pdf(doc(f"\\input{{{target}}}"))
    message = str(info.value)
    assert f"File `{target}" in message and "not found" in message
    assert "may read and write only files in its own build folder" in message


def test_template_cannot_openin_outside_its_folder(tex, tmp_path):
    from cvbuild.verify.readback import pdf_text

    secret = tmp_path / "secret.txt"
    secret.write_text("s3cr3t-line\n", encoding="utf-8")
    compiled = compile_pdf(doc(
        f"\\newread\\r\\openin\\r={secret} "
        "\\ifeof\\r NOT-OPENED\\else\\read\\r to\\x OPENED \\x\\fi"
    ))
    (tmp_path / "out.pdf").write_bytes(compiled.pdf)
    text = pdf_text(tmp_path / "out.pdf")
    assert "NOT-OPENED" in text
    assert "s3cr3t" not in text


def test_write18_does_not_run(tex, tmp_path):
    marker = tmp_path / "pwned"
    compiled = compile_pdf(doc(f"\\immediate\\write18{{touch {marker}}}shell?"))
    assert not marker.exists()
    assert f"runsystem(touch {marker})...disabled" in compiled.log


@pytest.mark.parametrize("body", [
    '\\input|"touch {marker}" ',
    '\\newread\\r\\openin\\r="|touch {marker}" x',
    '\\immediate\\openout15="|touch {marker}"\\immediate\\write15{{x}}x',
])
def test_pipes_do_not_run(tex, tmp_path, body):
    """TeX Live opens `|command` as a pipe when shell escape allows it: never here."""
    marker = tmp_path / "ran"
    try:
        compile_pdf(doc(body.format(marker=marker)))
    except CompileError:
        pass  # refused, or the file "|touch…" not found: either way nothing ran
    assert not marker.exists()


def test_template_cannot_write_outside_its_folder(tex, tmp_path):
    target = tmp_path / "evil.tex"
    with pytest.raises(CompileError) as info:
        compile_pdf(doc(
            f"\\newwrite\\w\\immediate\\openout\\w={target}\\immediate\\write\\w{{x}}x"
        ))
    assert "I can't write on file" in str(info.value)
    assert not target.exists()


def test_engine_sees_only_a_minimal_environment(monkeypatch):
    monkeypatch.setenv("CVBUILD_TEST_SECRET", "s3cr3t")
    monkeypatch.setenv("openin_any", "a")  # a caller's laxer setting must not leak in
    env = engine_env(None)
    assert "CVBUILD_TEST_SECRET" not in env
    assert env["openin_any"] == "p" and env["openout_any"] == "p"
    assert env["shell_escape"] == "f"
    assert set(env) <= {
        "PATH", "HOME", "LANG", "LC_ALL", "openin_any", "openout_any", "shell_escape",
        "TEXMFOUTPUT", "max_print_line", "error_line", "half_error_line",
        "SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE", "TMPDIR",
        "MKTEXTFM", "MKTEXPK", "MKTEXMF", "MKTEXTEX", "MKTEXFMT", "MKOCP", "MKOFM",
    }
    assert all(env[name] == "0" for name in env if name.startswith("MK"))


def test_runaway_document_is_stopped(tex):
    with pytest.raises(CompileError) as info:
        compile_pdf(doc("\\loop\\iftrue\\repeat"), timeout=3)
    assert "took longer than 3 s and was stopped" in str(info.value)


def test_oversized_pdf_is_refused(tex, monkeypatch):
    monkeypatch.setattr(texmod, "MAX_PDF_BYTES", 1_000)
    with pytest.raises(CompileError) as info:
        compile_pdf(doc("some text"))
    assert "larger than 1,000 bytes" in str(info.value)


def test_private_folder_is_removed(tex, monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    compile_pdf(doc("x"))
    with pytest.raises(CompileError):
        compile_pdf(doc("\\undefinedcommand"))
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the PDF driver (issue 14)


def _streams(pdf: bytes) -> bytes:
    """Every stream of a PDF, inflated where it is compressed, one after another."""
    out = []
    for part in pdf.split(b"stream")[1:]:
        data = part.lstrip(b"\r\n")
        try:
            out.append(zlib.decompressobj().decompress(data))
        except zlib.error:
            out.append(data[:100_000])
    return pdf + b"".join(out)


@pytest.fixture
def secret(tmp_path, monkeypatch):
    """A file of the test's own outside the build folder, and build folders two levels
    below it (so that ../../secret.txt from one of them names it)."""
    path = tmp_path / "secret.txt"
    path.write_text("s3cr3t-in-the-test-folder\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    return path


def _hex(text: str) -> str:
    return "<" + text.encode().hex() + ">"


@pytest.mark.parametrize("special", [
    "pdf:fstream @leak ({passwd})",
    "pdf:fstream @leak ({secret})",
    "pdf:fstream @leak (../../secret.txt)",
    "pdf:fstream @leak {hex_secret}",
    "pdf: fstream @leak ({secret})",
    "pdf:image ({secret_pdf})",
    "pdf:epdf ({secret_pdf})",
    "PSfile={secret} llx=0 lly=0 urx=10 ury=10",
    "html:<img src=\"{secret}\">",
    "dvipdfmx:config D \"touch {marker}\"",
    "pdf:mapline cvbuildleak {secret}",
])
def test_driver_embeds_no_file_from_outside_the_folder(tex, tmp_path, secret, special):
    secret_pdf = tmp_path / "secret.pdf"
    secret_pdf.write_bytes(compile_pdf(doc("s3cr3t-in-a-pdf")).pdf)
    marker = tmp_path / "ran"
    text = special.format(passwd="/etc/passwd", secret=secret, hex_secret=_hex(str(secret)),
                          secret_pdf=secret_pdf, marker=marker)
    with pytest.raises(CompileError) as info:
        compile_pdf(doc(f"Hello\\special{{{text}}}\\special{{pdf:put @catalog <</Leak @leak>>}}"))
    assert "asks the PDF driver for" in str(info.value)
    assert "see SECURITY.md" in str(info.value)
    assert not marker.exists()
    assert not list((tmp_path / "work").iterdir())  # no PDF, no folder left behind


def test_a_picture_by_absolute_path_is_refused(tex, tmp_path, secret):
    """XeTeX itself opens a picture given by an absolute path (kpathsea's openin_any
    does not cover it) and names it to the driver, which may not embed it."""
    picture = tmp_path / "secret.pdf"
    picture.write_bytes(compile_pdf(doc("s3cr3t-in-a-pdf")).pdf)
    with pytest.raises(CompileError) as info:
        compile_pdf("\\documentclass{article}\\usepackage{graphicx}\n\\begin{document}\n"
                    f"\\includegraphics{{{picture}}}\n\\end{{document}}\n")
    assert f"it reads the file '{picture}', which is not in the build folder" in str(info.value)


def test_driver_embeds_a_file_the_document_wrote_in_its_folder(tex):
    """What is allowed still works: a file in the build folder (as the photo is)."""
    compiled = compile_pdf(doc(
        "\\newwrite\\w\\immediate\\openout\\w=own.txt"
        "\\immediate\\write\\w{own-file-in-the-folder}\\immediate\\closeout\\w "
        "Hello\\special{pdf:fstream @own (own.txt)}\\special{pdf:put @catalog <</Own @own>>}"
    ))
    assert b"own-file-in-the-folder" in _streams(compiled.pdf)


def test_the_driver_gets_its_date_without_a_shell(tex, tmp_path):
    """The document may write any file in its folder: the driver's date once came from
    one (`env SOURCE_DATE_EPOCH=$(cat cvbuild.sde) xdvipdfmx`), whose words a shell
    split into a command (`1 sh evil.sh` ran a script the document wrote). An engine
    started before the date is known is the case that read it."""
    marker = tmp_path / "ran"
    hostile = (
        "\\documentclass{article}\n%% cvbuild: dump\n%% cvbuild: ready\n\\begin{document}\n"
        "\\newwrite\\w\\immediate\\openout\\w=evil.sh"
        f"\\immediate\\write\\w{{touch {marker}}}\\immediate\\closeout\\w\n"
        "\\immediate\\openout\\w=cvbuild.sde"
        "\\immediate\\write\\w{1 sh evil.sh}\\immediate\\closeout\\w Hello\n\\end{document}\n"
    )
    with Pool() as pool:
        pool.start("en", hostile, dump=True)
        compiled = pool.compile("en", hostile, source_date_epoch=1_700_000_000)
    assert not marker.exists()
    assert b"/CreationDate(D:20231114221320" in _streams(compiled.pdf)  # the driver got it
    assert "-output-driver" not in " ".join(texmod.engine_command("xelatex", "cv.tex"))


def test_no_font_making_script_runs(tex, tmp_path, monkeypatch):
    """kpathsea runs mktextfm for a font it cannot find; a document names any font."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "ran"
    for name in ("mktextfm", "mktexpk", "mktexmf", "mktextex"):
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n", encoding="utf-8")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(CompileError):
        compile_pdf(doc("\\font\\x=cvbuildnosuchfont at 10pt \\x x"))
    assert not marker.exists()


def test_the_engine_writes_only_in_its_folder(tex, tmp_path, secret):
    """Nothing appears outside the build folder: not beside a format (the engine's
    recorder file once started there), not in the temporary folder (TMPDIR is the
    build folder), not where the document asks."""
    from cvbuild import cache
    from cvbuild.engine.formats import ensure_format, split
    from cvbuild.engine.tex import find_engine

    marked = ("\\documentclass{article}\n\\usepackage{xcolor}\n%% cvbuild: dump\n"
              "%% cvbuild: ready\n\\begin{document}\nHello\n\\end{document}\n")
    fmt = ensure_format(split(marked).head, find_engine())
    assert fmt is not None
    before = sorted(p.name for p in (cache.cache_root() / "formats").iterdir())
    compile_pdf(marked)
    with Pool() as pool:
        pool.start("en", marked)
        pool.compile("en", marked)
    assert sorted(p.name for p in (cache.cache_root() / "formats").iterdir()) == before
    assert not list((tmp_path / "work").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.txt", "work"]
    Path(fmt).stat()  # the format is still there
