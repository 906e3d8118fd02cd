"""The code passes the project's own lint settings (pyproject.toml, [tool.ruff.lint])."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_ruff_passes():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "bench"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
