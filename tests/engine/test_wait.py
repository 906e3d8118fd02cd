"""tex.wait: Popen.wait(timeout) told of the exit by a pidfd."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cvbuild.engine import tex


def test_wait_gives_the_exit_code():
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    assert tex.wait(proc, 30) == 3
    assert proc.returncode == 3  # reaped: no zombie left


def test_wait_past_the_timeout_raises_and_leaves_the_process_to_the_caller():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            tex.wait(proc, 0.2)
        assert proc.poll() is None  # still running: the caller stops it
    finally:
        proc.kill()
        proc.wait()


def test_wait_on_a_process_reaped_already():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert tex.wait(proc, 30) == 0


def test_wait_is_told_by_a_pidfd_not_by_polling(monkeypatch):
    """Popen.wait with a timeout polls, sleeping up to 50 ms between looks."""
    import os

    opened = []
    real = os.pidfd_open
    monkeypatch.setattr(os, "pidfd_open", lambda pid, *a: opened.append(pid) or real(pid, *a))
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    waits = []
    real_wait = proc.wait
    proc.wait = lambda timeout=None: waits.append(timeout) or real_wait(timeout)
    assert tex.wait(proc, 30) == 0
    assert opened == [proc.pid] and waits == [None]
