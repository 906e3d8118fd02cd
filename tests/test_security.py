"""The security suite (issue 14): each class of attack tried with inputs of its own,
through the `cvbuild` command as CI runs it. Each test asserts the outcome that
SECURITY.md promises: no command runs, nothing outside the build folder is read into
the PDF or written, no traceback, exit 1 with a clear line, the last good PDFs intact."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cvbuild.paths import builtin_templates

MINI = """\
languages: [ru, en]
header:
  name:
    ru: Анна Смирнова
    en: Anna Smirnova
sections:
  - title:
      ru: О себе
      en: About
    entries:
      - text:
          ru: "{ru}"
          en: "{en}"
"""


def write_cv(folder: Path, ru: str = "Версия один", en: str = "Version one",
             text: str | None = None) -> Path:
    path = folder / "cv.yaml"
    path.write_text(text if text is not None else MINI.format(ru=ru, en=en), encoding="utf-8")
    return path


def run(*args: str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess:
    """`cvbuild ARGS` in a fresh interpreter, as CI runs it (no resident processes)."""
    full = {**os.environ, "CVBUILD_RESIDENT": "0", **(env or {})}
    return subprocess.run([sys.executable, "-m", "cvbuild", *args], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=timeout)


def refused(result: subprocess.CompletedProcess, *words: str) -> str:
    """The run failed as a user error: exit 1, no traceback, the given words said."""
    err = result.stderr
    assert result.returncode == 1, (result.returncode, err)
    assert "Traceback" not in err and "Traceback" not in result.stdout, err
    for word in words:
        assert word in err, (word, err)
    return err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ------------------------------------------------------------------ themes


def local_theme(folder: Path, name: str = "classic", first_line: str = "") -> Path:
    """A copy of a built-in theme beside cv.yaml, with a line put at its top."""
    target = folder / "themes" / name
    shutil.copytree(builtin_templates() / "classic", target)
    template = target / "cv.tex.j2"
    template.write_text(first_line + "\n" + template.read_text(encoding="utf-8"), encoding="utf-8")
    return target


# Each tries to reach Python from a template: run a command (touching MARK), read a
# file, or change the data the theme is given.
HOSTILE_TEMPLATES = [
    "<< cycler.__init__.__globals__.os.system('touch MARK') >>",
    "<< joiner.__init__.__globals__['os'].popen('touch MARK').read() >>",
    "<< lipsum.__globals__.os.system('touch MARK') >>",
    "<< namespace.__init__.__globals__.os.system('touch MARK') >>",
    "<< ''.__class__.__mro__[1].__subclasses__() >>",
    "<< (1).__class__.__base__.__subclasses__()[0] >>",
    "<< cv.__class__.__init__.__globals__ >>",
    "<< self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch MARK') >>",
    "<< '{0.__class__.__mro__}'.format(cv) >>",
    "<< cv.update({'lang': 'xx'}) >>",
    "((* set _ = cv.header.links.append(1) *))",
    "<< range.__self__.open('/etc/passwd').read() >>",
    "<< theme.pop('accent') >>",
]


@pytest.mark.parametrize("line", HOSTILE_TEMPLATES)
def test_a_hostile_theme_runs_nothing_and_is_told(tmp_path, line):
    write_cv(tmp_path)
    mark = tmp_path / "MARK"
    local_theme(tmp_path, first_line=line.replace("MARK", str(mark)))
    out = tmp_path / "build"
    result = run("tex", "-o", str(out), cwd=tmp_path)
    err = refused(result, "themes/classic/cv.tex.j2:1:")
    assert "may not" in err or "theme template error" in err
    assert not mark.exists()
    assert not out.exists()  # nothing half-written
    assert "root:" not in err + result.stdout  # no /etc/passwd


def test_a_local_theme_is_announced_on_every_build(tmp_path):
    write_cv(tmp_path)
    local_theme(tmp_path)
    for _ in range(2):  # the second build is served from the cache: still said
        result = run("tex", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        said = [line for line in result.stderr.splitlines() if "themes/classic" in line]
        assert len(said) == 1, result.stderr
        assert "not the built-in one" in said[0]


def test_no_local_themes_refuses_a_theme_beside_the_cv(tmp_path):
    write_cv(tmp_path)
    assert run("tex", cwd=tmp_path).returncode == 0  # built-in: fine, cached
    local_theme(tmp_path)
    for args, env in ((["--no-local-themes"], {}), ([], {"CVBUILD_NO_LOCAL_THEMES": "1"})):
        result = run("tex", *args, cwd=tmp_path, env=env)
        refused(result, "themes/classic", "local themes are refused")


def test_a_new_local_theme_is_refused_too(tmp_path):
    write_cv(tmp_path, text=MINI.format(ru="а", en="a") + "theme: {name: mine}\n")
    local_theme(tmp_path, "mine")
    result = run("tex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not a built-in theme" in result.stderr
    refused(run("tex", "--no-local-themes", cwd=tmp_path), "themes/mine")
