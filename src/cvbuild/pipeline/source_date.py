"""The date a PDF says it was made: fixed by the CV's source, never by the clock,
so that the same commit gives the same bytes on any machine at any time.

In order:
1. `SOURCE_DATE_EPOCH` from the environment, when it is set (reproducible-builds.org);
2. the commit time of the last git commit that touched the CV file;
3. the CV file's modification time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cvbuild.cache import git_dir
from cvbuild.errors import CvbuildError

ENV = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class SourceDate:
    epoch: int
    origin: str  # "SOURCE_DATE_EPOCH", "git" or "mtime"


def from_env(environ: dict[str, str] | None = None) -> int | None:
    value = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise CvbuildError(f"{ENV}={value!r} is not a Unix time; set it to whole seconds, e.g. 1700000000")
    return int(value)


def from_git(path: Path) -> int | None:
    """The commit time of the last commit that touched `path`; None without git or a commit.

    Runs git without a shell, pager, prompt or repository hooks, with a timeout."""
    path = path.resolve()
    try:
        if git_dir(path.parent) is None:
            return None  # no repository around it: git would find no commit
    except OSError:
        pass  # an unreadable .git file: git says what it makes of it
    git = shutil.which("git")
    if git is None:
        return None
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LC_ALL": "C",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat",
        "GIT_OPTIONAL_LOCKS": "0",
    }
    try:
        proc = subprocess.run(
            [git, "-c", "core.fsmonitor=false", "--no-pager", "log", "-1", "--format=%ct",
             "--", path.name],
            cwd=path.parent, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.decode("ascii", "replace").strip()
    return int(out) if proc.returncode == 0 and out.isdigit() else None


def source_date(cv_path: Path | str, environ: dict[str, str] | None = None) -> SourceDate:
    """The source date of a CV file (see the module's doc for the order)."""
    cv_path = Path(cv_path)
    epoch = from_env(environ)
    if epoch is not None:
        return SourceDate(epoch, ENV)
    epoch = from_git(cv_path)
    if epoch is not None:
        return SourceDate(epoch, "git")
    return SourceDate(int(cv_path.stat().st_mtime), "mtime")
