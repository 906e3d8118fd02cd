"""Where cvbuild's own files are; standard library only, so the cache can ask early."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

NO_LOCAL_THEMES_ENV = "CVBUILD_NO_LOCAL_THEMES"


def local_themes_refused() -> bool:
    """CI's setting: CVBUILD_NO_LOCAL_THEMES=1 (or --no-local-themes) refuses a theme
    folder beside cv.yaml, which a pull request could add as easily as cv.yaml."""
    return os.environ.get(NO_LOCAL_THEMES_ENV, "").strip() not in ("", "0")


def builtin_templates() -> Path:
    """The folder of built-in themes: inside the installed package, or the checkout's."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


class NotRegularFile(OSError):
    """A path that is a device, a pipe or a socket: reading it may never end."""


class FileTooLarge(OSError):
    """A file larger than its reader's limit."""


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file, at most `limit` of them, read without following the
    file's claims: a symlink to /dev/zero or to a pipe is refused, not read forever
    (the pipe is opened without waiting for a writer). Raises FileNotFoundError,
    IsADirectoryError, PermissionError, NotRegularFile or FileTooLarge (OSErrors)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FileTooLarge(errno.EFBIG, f"larger than {limit:,} bytes", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)
