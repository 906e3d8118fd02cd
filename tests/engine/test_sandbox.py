"""The engine's box (issue 4, point 3): no shell escape, paranoid reading and
writing, a minimal environment, a private folder, time and size limits. The
documents here stand for a theme that misbehaves; text typed into cv.yaml is
checked in test_escaping.py (the attack corpus)."""

from __future__ import annotations

import pytest

from cvbuild.engine import tex as texmod
from cvbuild.engine.tex import compile_pdf, engine_env
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
        "SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE",
    }


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
