"""One process per command (issue 13): when `cvbuild pdf` exits, however it exits, no
process it started is still alive, not even one that detached into a session of its
own; `watch` stops its engines when it ends, by Ctrl-C or SIGTERM.

A process counts as started by the test's command when its environment carries the
marker the test set, or its working folder or command line is under the test's
folder (TMPDIR and the cache are there, so every engine's private folder is too:
engines get a minimal environment without the marker)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CV_YAML

SCRIPT = Path(sys.executable).with_name("cvbuild")
MARKER = "CVBUILD_TEST_PROCESS_MARK"


def started_by(mark: str, folder: Path) -> list[str]:
    """The live processes (zombies aside) that carry the mark or work under `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            environ = (entry / "environ").read_bytes().split(b"\0")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                "utf-8", "replace")
            cwd = os.readlink(entry / "cwd")
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to read
        if state in ("Z", "X"):
            continue
        if (f"{MARKER}={mark}".encode() in environ or cwd.startswith(str(folder))
                or str(folder) in cmdline):
            found.append(f"{entry.name} [{state}] in {cwd}: {cmdline}")
    return found


@pytest.fixture
def project(tmp_path):
    """A copy of cv.yaml, a private cache and TMPDIR under the test's folder, and the
    environment that marks what the commands start."""
    (tmp_path / "tmp").mkdir()
    cv = tmp_path / "cv.yaml"
    cv.write_bytes(CV_YAML.read_bytes())
    mark = f"{os.getpid()}-{time.monotonic_ns()}"
    env = dict(os.environ, CVBUILD_CACHE_DIR=str(tmp_path / "cache"),
               TMPDIR=str(tmp_path / "tmp"), **{MARKER: mark})
    yield tmp_path, env, mark
    for line in started_by(mark, tmp_path):  # a failed test leaves nothing behind
        try:
            os.kill(int(line.split()[0]), signal.SIGKILL)
        except OSError:
            pass


def edit(cv: Path, word: str) -> None:
    cv.write_text(cv.read_text(encoding="utf-8").replace(
        "excellent knowledge", f"{word} knowledge", 1), encoding="utf-8")


def test_pdf_leaves_no_process_running(tex, project):
    folder, env, mark = project
    # a fresh cache; then a second build (a format is dumped while cv.yaml is parsed,
    # engines start from the previous preamble); then one with the format
    for word in (None, "sterling", "stellar"):
        if word:
            edit(folder / "cv.yaml", word)
        result = subprocess.run([str(SCRIPT), "pdf", "cv.yaml"], cwd=folder, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert started_by(mark, folder) == [], word
    assert list((folder / "cache" / "formats").glob("*.fmt"))  # the engines had work


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("after", [0.3, 0.8])
def test_pdf_stopped_midway_leaves_no_process_running(tex, project, signum, after):
    folder, env, mark = project
    subprocess.run([str(SCRIPT), "pdf", "cv.yaml"], cwd=folder, env=env,
                   capture_output=True, timeout=300, check=True)  # a preamble to start from
    edit(folder / "cv.yaml", "sterling")
    proc = subprocess.Popen([str(SCRIPT), "pdf", "cv.yaml"], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    assert started_by(mark, folder) == []


@pytest.mark.parametrize("after", [0.1, 0.2, 0.4])
def test_a_first_build_stopped_while_its_engines_start_leaves_none(tex, project, after):
    """A fresh cache: the base format is inflated and the spare engines started in a
    thread while cv.yaml is parsed; a stop then finds them starting."""
    folder, env, mark = project
    proc = subprocess.Popen([str(SCRIPT), "pdf", "cv.yaml"], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    assert started_by(mark, folder) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_watch_stops_its_engines_when_it_ends(tex, project, signum):
    folder, env, mark = project
    proc = subprocess.Popen([str(SCRIPT), "watch", "cv.yaml"], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert "error" not in first and "PDFs in" in first, first
        # engines wait for the next save meanwhile (the format is dumped first)
        deadline = time.monotonic() + 60
        while not any("xelatex" in line and "-ini" not in line
                      for line in started_by(mark, folder)):
            assert time.monotonic() < deadline, started_by(mark, folder)
            time.sleep(0.1)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in err
    assert started_by(mark, folder) == []
