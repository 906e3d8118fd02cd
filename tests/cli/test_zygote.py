"""The resident interpreter (zygote.py): a command it serves behaves as one run in its
own process (output, exit status, files, Ctrl-C), each command starts from a clean
state, and a zygote never serves code, an interpreter or an environment it was not
started from."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import CV_YAML

from cvbuild.cli import zygote

SCRIPT = Path(sys.executable).with_name("cvbuild")


@pytest.fixture
def env():
    """A short private cache (AF_UNIX paths are short) with residents on; every
    zygote and engine started under it is stopped afterwards."""
    root = Path(tempfile.mkdtemp(prefix="cvz-", dir="/tmp"))
    environ = dict(os.environ, CVBUILD_CACHE_DIR=str(root), CVBUILD_RESIDENT="1",
                   SOURCE_DATE_EPOCH="1700000000")
    yield environ
    for pid in pids_with(str(root)):  # zygotes: their socket's path is in their command
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # a zygote's child that just finished
            pass
    for meta in (root / "resident").glob("*/meta.json"):
        try:
            os.killpg(json.loads(meta.read_text())["pid"], signal.SIGKILL)
        except (OSError, ValueError):
            pass
    shutil.rmtree(root, ignore_errors=True)


def run(env, *args, cwd):
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def socket_of(env) -> Path:
    code = "from cvbuild.cli.zygote import socket_path; print(socket_path())"
    # the same interpreter and sys.path as the script: run the script's own first lines
    out = subprocess.run([sys.executable, "-c", f"import sys; sys.path[0] = {str(SCRIPT.parent)!r}; {code}"],
                         env=env, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def wait_for(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"no zygote at {path}"
        time.sleep(0.05)


def pids_with(text: str) -> list[int]:
    """The processes whose command line holds `text` (as pgrep -f, without procps)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            pass
    return found


def zygote_pid(sock: Path) -> int:
    """The zygote at `sock` (its children, still finishing a command, share its command
    line: the zygote is the one whose parent is none of them)."""
    pids = pids_with(str(sock))

    def parent(pid: int) -> int:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])

    [pid] = [p for p in pids if parent(p) not in pids]
    return pid


def test_key_follows_environment_and_code(tmp_path):
    env = dict(os.environ)
    assert zygote.key(env) == zygote.key(dict(env, PWD="/elsewhere", OLDPWD="/x", SHLVL="9"))
    assert zygote.key(env) != zygote.key(dict(env, SOURCE_DATE_EPOCH="1"))
    module = Path(zygote.__file__)
    before = zygote.key(env)
    st = module.stat()
    try:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
        assert zygote.key(env) != before  # edited (or reinstalled) code: a new zygote
    finally:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert zygote.key(env) == before


def test_served_commands_behave_as_in_their_own_process(tex, env, tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(CV_YAML, project / "cv.yaml")
    (project / "bad.yaml").write_text("header:\n  name: X\nlanguages: [en]\nsections: 5\n")
    sock = socket_of(env)
    assert not sock.exists()
    first = run(env, "pdf", cwd=project)  # its own process; leaves a zygote
    assert first.returncode == 0, first.stderr
    wait_for(sock)
    pid = zygote_pid(sock)
    pdfs = {p.name: p.read_bytes() for p in (project / "build").glob("*.pdf")}
    assert len(pdfs) == 2
    # the same commands, served: output, status and files as before
    no_zygote = dict(env, CVBUILD_RESIDENT="0")
    for args in (["validate"], ["validate", "bad.yaml"], ["--help"], ["pdf", "--lang", "xx"]):
        served, alone = run(env, *args, cwd=project), run(no_zygote, *args, cwd=project)
        assert (served.returncode, served.stdout, served.stderr) == \
            (alone.returncode, alone.stdout, alone.stderr), args
    assert "bad.yaml:4:11: sections" in run(env, "validate", "bad.yaml", cwd=project).stderr
    text = (project / "cv.yaml").read_text(encoding="utf-8")
    (project / "cv.yaml").write_text(text.replace("excellent knowledge", "excellent knowledge 2"),
                                     encoding="utf-8")
    served = run(env, "pdf", cwd=project)
    alone = run(no_zygote, "pdf", "-o", "alone", cwd=project)
    assert served.returncode == alone.returncode == 0, served.stderr + alone.stderr
    new = {p.name: p.read_bytes() for p in (project / "build").glob("*.pdf")}
    assert new.keys() == pdfs.keys() and new != pdfs
    assert {p.name: p.read_bytes() for p in (project / "alone").glob("*.pdf")} == new
    assert zygote_pid(sock) == pid  # the same zygote served them all


def test_a_command_reports_to_the_caller_and_runs_in_its_folder(tex, env, tmp_path, capfd):
    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(CV_YAML, project / "cv.yaml")
    assert run(env, "pdf", "--lang", "en", cwd=project).returncode == 0
    sock = socket_of(env)
    wait_for(sock)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    old = os.getcwd()
    saved = {k: os.environ.get(k) for k in ("CVBUILD_CACHE_DIR", "CVBUILD_RESIDENT")}
    os.environ.update(CVBUILD_CACHE_DIR=env["CVBUILD_CACHE_DIR"], CVBUILD_RESIDENT="1")
    try:
        os.chdir(elsewhere)
        # called here (not in a child process), so that only the zygote can have run it
        code = zygote.run_in_zygote(str(sock), ["cvbuild", "validate", str(project / "cv.yaml"), "nope.yaml"])
    finally:
        os.chdir(old)
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    out, err = capfd.readouterr()
    assert code == 1
    assert f"{project / 'cv.yaml'}: valid (ru, en)" in out
    assert "nope.yaml: no such file" in err  # relative to the caller's folder


def test_ctrl_c_reaches_the_served_build_and_nothing_is_lost(tex, env, tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(CV_YAML, project / "cv.yaml")
    assert run(env, "pdf", cwd=project).returncode == 0
    wait_for(socket_of(env))
    before = {p: p.read_bytes() for p in (project / "build").glob("*")}
    text = (project / "cv.yaml").read_text(encoding="utf-8")
    (project / "cv.yaml").write_text(text.replace("excellent knowledge", "excellent knowledge 2"),
                                     encoding="utf-8")
    sock = socket_of(env)
    caller = subprocess.Popen([str(SCRIPT), "pdf", "--theme", "modern"], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(pids_with(str(sock))) < 2:  # until the zygote has forked the command
        assert time.monotonic() < deadline and caller.poll() is None, "the command never started"
        time.sleep(0.01)
    time.sleep(0.1)  # the build is under way (a new theme: its format is dumped, > 1 s)
    caller.send_signal(signal.SIGINT)
    _, err = caller.communicate(timeout=60)
    if caller.returncode == 0:
        pytest.fail("the build finished before Ctrl-C; nothing was tested")
    assert caller.returncode == 130, err
    assert "error: interrupted" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in (project / "build").glob("*")} == before


def test_a_zygote_whose_socket_is_gone_stops(env, tmp_path):
    sock = Path(env["CVBUILD_CACHE_DIR"]) / "resident" / "zygote-test.sock"
    sock.parent.mkdir(parents=True, mode=0o700)
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys, json; from cvbuild.cli.zygote import serve; "
         "serve(sys.argv[1], json.dumps(sys.path))", str(sock)], env=env)
    try:
        wait_for(sock)
        assert oct(sock.stat().st_mode & 0o777) == "0o600"
        sock.unlink()
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
