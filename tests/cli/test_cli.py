"""The `cvbuild` command as a person uses it: exit codes, what it prints, no tracebacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CV_YAML
from typer.testing import CliRunner

from cvbuild.cli.main import app

runner = CliRunner()
SUMMARY = re.compile(r"^(?P<path>\S+\.pdf)  (?P<pages>\d+) pages?, (?P<kib>\d+) KiB, (?P<s>\d+\.\d\d) s$")


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args], prog_name="cvbuild")


def test_pdf_prints_one_summary_line_per_pdf(full_cli):
    result, out = full_cli
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    for line, lang in zip(lines, ("ru", "en")):
        m = SUMMARY.match(line)
        assert m, line
        pdf = Path(m["path"])
        assert pdf == out / f"Anna_Obraztsova_CV_{lang}.pdf"
        assert pdf.stat().st_size // 1024 - 1 <= int(m["kib"]) <= pdf.stat().st_size // 1024 + 1
        assert int(m["pages"]) == 1
        assert 0 < float(m["s"]) < 60
        assert pdf.with_suffix(".tex").is_file()


def test_tex_writes_only_the_chosen_language(tmp_path):
    result = invoke("tex", CV_YAML, "--lang", "en", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Sukhoy_Daniil_CV_en.tex"]
    assert result.stdout.strip() == str(tmp_path / "Sukhoy_Daniil_CV_en.tex")


def test_unknown_language_is_refused(tmp_path):
    result = invoke("tex", CV_YAML, "--lang", "de", "-o", tmp_path)
    assert result.exit_code == 1
    assert "'de' is not a language of this CV; it has: ru, en" in result.stderr
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_validate_accepts_the_real_cv():
    result = invoke("validate", CV_YAML)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("valid (ru, en)")


BAD = """\
languages: [ru, en]
header:
  name: {ru: Иван, en: Ivan}
  headline: {ru: Инженер}
sections:
  - title: Skills
    entries:
      - company: ACME
        position: Engineer
        start: 2020-13
"""


@pytest.mark.parametrize("command", ["pdf", "tex", "validate"])
def test_invalid_cv_exits_1_naming_the_fields_without_traceback(tmp_path, command):
    cv = tmp_path / "cv.yaml"
    cv.write_text(BAD, encoding="utf-8")
    out = tmp_path / "build"
    out.mkdir()
    old = out / "Ivan_CV_ru.pdf"
    old.write_bytes(b"%PDF- the last good one")
    args = [command, cv] + (["-o", out] if command != "validate" else [])
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{cv}:4:13: header.headline: missing the 'en' text" in result.stderr
    assert f"{cv}:10:16: sections[0].entries[0].start: '2020-13' has month 13" in result.stderr
    outcome = f" in {cv}" if command == "validate" else "; nothing was built"
    assert f"2 problems found{outcome}." in result.stderr
    assert result.stdout == ""
    assert old.read_bytes() == b"%PDF- the last good one"
    assert sorted(p.name for p in out.iterdir()) == ["Ivan_CV_ru.pdf"]


@pytest.mark.parametrize("extra", [[], ["--lang-typo"]])
def test_validate_as_the_installed_command_runs_it(tmp_path, extra):
    import os
    import shutil
    import subprocess
    import sys

    good = tmp_path / "cv.yaml"
    shutil.copy(CV_YAML, good)
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("languages: [ru, en\n", encoding="utf-8")
    args = ["validate", str(good), str(bad), "nope.yaml", str(syntax), *extra]
    env = dict(os.environ, CVBUILD_CACHE_DIR=str(tmp_path / "cache"))
    result = subprocess.run([sys.executable, "-m", "cvbuild", *args], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    if extra:  # an option typer does not know: its usage error, nothing validated
        assert result.returncode == 2 and result.stdout == ""
        assert "No such option: --lang-typo" in result.stderr
        return
    assert result.returncode == 1
    assert result.stdout == f"{good}: valid (ru, en)\n"
    assert result.stderr.splitlines()[-5:] == [
        f"2 problems found in {bad}.",
        "nope.yaml: no such file; run `cvbuild init` to write a starter CV",
        "1 problem found in nope.yaml.",
        f"{syntax}:2:1: YAML syntax error: a list opened with `[` is not closed where it "
        "should be; add `]` or a comma (it opens at line 1)",
        f"1 problem found in {syntax}.",
    ]


def test_yaml_syntax_error_exits_1_with_position(tmp_path):
    cv = tmp_path / "cv.yaml"
    cv.write_text("languages: [ru, en\nheader:\n  name: x\n", encoding="utf-8")
    result = invoke("validate", cv)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert re.search(rf"^{re.escape(str(cv))}:\d+:\d+: YAML syntax error", result.stderr, re.M)


def test_missing_file_exits_1(tmp_path):
    result = invoke("pdf", tmp_path / "nope.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "nope.yaml: no such file" in result.stderr
    assert not (tmp_path / "out").exists()


def test_help_reads_well():
    result = invoke("--help")
    assert result.exit_code == 0
    text = result.stdout
    for command in ("pdf", "tex", "validate"):
        assert re.search(rf"^  {command} +\S", text, re.M), command
    commands = text.split("Commands:")[1].split("Examples:")[0]
    for line in commands.strip().splitlines():
        assert not line.endswith("..."), f"one-line help is cut off: {line}"
    assert "cvbuild pdf --lang en" in text
    pdf_help = invoke("pdf", "--help").stdout
    assert "Usage: cvbuild pdf [OPTIONS] [CV_FILE]" in pdf_help
    for option in ("--lang LANG", "--output-dir DIR", "[default: cv.yaml]", "[default: all]",
                   "[default: build]"):
        assert option in pdf_help, option


def test_pdf_files_are_readable_by_others(tmp_path):
    import os
    import stat

    from cvbuild.pipeline.publish import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "x.pdf", b"%PDF-1.5\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.pdf").stat().st_mode) == 0o644


def test_the_command_line_collects_cyclic_garbage_every_100000_objects_and_not_at_exit():
    """A command builds the models and templates without 130 runs of the collector
    (Python's default threshold, 700); memory stays bounded (it still runs)."""
    import subprocess
    import sys

    code = ("import gc, sys; from cvbuild.cli.main import main; sys.argv = ['cvbuild', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(gc.get_threshold()[0], gc.isenabled(), gc.get_freeze_count() > 10_000,"
            " file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    # and the objects left at its end are frozen: Python's exit does not walk them again
    assert proc.stderr.split() == ["100000", "True", "True"], proc.stderr
