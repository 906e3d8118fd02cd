"""Putting a build's files into the output folder all together.

Every file of a build (each language's PDF, .tex and log) is first written whole to a
temporary file in the output folder (`.NAME.TOKEN.part`, fsynced). Then a journal
(`.cvbuild-publish.json`) lists the renames, and is itself written by rename: that
is the moment the new set counts as published. The renames follow in one tight loop,
and the journal goes. So:

- a failure or a kill before the journal exists leaves every old file as it was;
  the next build removes the `.part` files;
- a kill after it is finished by the next build (or `recover`): the renames the
  journal lists are done, and the folder holds the whole new set;
- a reader between two renames may see one language new and one old: as far as a
  file system allows (it has no rename of several files at once).

A lock (flock on the output folder) keeps two builds into one folder from publishing
at once or removing each other's temporary files. Nothing is opened through a symlink:
temporary files are created new (O_EXCL), the final names are replaced by rename,
which replaces a symlink there and never writes where it points.

Any OS error on the way is an OutputError: one line naming the path and what to do.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cvbuild import cache
from cvbuild.errors import CvbuildError

JOURNAL = ".cvbuild-publish.json"
PART = ".part"


class OutputError(CvbuildError):
    """The output folder cannot take the build's files; nothing old was lost."""


def output_error(exc: OSError, path: Path, elsewhere: str = "choose another folder with -o DIR",
                 ) -> OutputError:
    """An OS error on the output side as one line: the path, what is wrong, what to do
    (`elsewhere`: how to write somewhere else)."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        what = f"the disk is full; free some space or {elsewhere}"
    elif code == errno.EROFS:
        what = f"the file system is read-only; {elsewhere}"
    elif code in (errno.EACCES, errno.EPERM):
        what = f"permission denied; make the folder writable or {elsewhere}"
    elif code in (errno.ENOTDIR, errno.EEXIST):
        what = f"a file stands where a folder should be; remove it or {elsewhere}"
    elif code == errno.EISDIR:
        what = f"a folder stands where the file should be; remove it or {elsewhere}"
    elif code == errno.ELOOP:
        what = "a symbolic link stands there; remove it"
    else:
        what = f"{exc.strerror or exc}; {elsewhere}"
    return OutputError(f"cannot write {path}: {what}; the files there are as they were")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    except OSError as exc:
        raise output_error(exc, folder) from None


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """The output folder itself is the lock (flock on its descriptor): no lock file is
    left beside the PDFs."""
    import fcntl

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise output_error(exc, folder) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """A new file, never an existing one or a symlink's target; whole and synced."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Remove a temporary file if it is there (and the folder lets us: a read-only one
    says EROFS even for a file that is not there)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _finish(folder: Path) -> None:
    """Under the lock: complete the renames of a journal a killed build left, then
    remove every temporary file of a build that did not get that far."""
    journal = folder / JOURNAL
    try:
        text = journal.read_text(encoding="utf-8") if journal.is_file() and \
            not journal.is_symlink() else None
    except OSError:
        text = None
    if text is not None:
        try:
            renames = json.loads(text)
        except ValueError:
            renames = []
        for tmp, final in renames if isinstance(renames, list) else []:
            tmp_path, final_path = folder / str(tmp), folder / str(final)
            # only names of this folder, as the journal was written: never a path out
            if "/" in str(tmp) + str(final) or not str(tmp).endswith(PART):
                continue
            if tmp_path.exists() and not tmp_path.is_symlink():
                os.replace(tmp_path, final_path)
        journal.unlink(missing_ok=True)
    for leftover in folder.glob(f".*{PART}"):
        if cache.PART_NAME.match(leftover.name) and (leftover.is_file() or leftover.is_symlink()):
            leftover.unlink(missing_ok=True)


def recover(folder: Path | str) -> None:
    """Finish or undo what a killed build left in an output folder (see the module)."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    with _locked(folder):
        try:
            _finish(folder)
        except OSError as exc:
            raise output_error(exc, folder) from None


def publish(folder: Path | str, files: dict[str, bytes]) -> list[Path]:
    """Write `files` (name in `folder` → bytes) into `folder` all together (see the
    module); return their paths. A file's mode follows the umask, as open() does."""
    folder = Path(folder)
    _make_folder(folder)
    umask = os.umask(0)
    os.umask(umask)
    token = secrets.token_hex(6)
    renames: list[tuple[str, str]] = []
    with _locked(folder):
        current = folder
        try:
            _finish(folder)
            for name, data in files.items():
                if "/" in name or name in ("", ".", ".."):
                    raise ValueError(f"not a file name: {name!r}")
                tmp = f".{name}.{token}{PART}"
                current = folder / name
                renames.append((tmp, name))  # before writing: a half-written one goes too
                _write_new(folder / tmp, data, 0o666 & ~umask)
            current = folder / JOURNAL
            journal_tmp = folder / f".{JOURNAL}.{token}{PART}"
            _write_new(journal_tmp, json.dumps(renames).encode("utf-8"), 0o600)
            os.replace(journal_tmp, folder / JOURNAL)  # published from here on
            _fsync_dir(folder)
        except BaseException as exc:  # nothing published: the old files stand
            for tmp in [t for t, _ in renames] + [f".{JOURNAL}.{token}{PART}"]:
                _remove(folder / tmp)
            if isinstance(exc, OSError):
                raise output_error(exc, current) from None
            raise
        try:
            for tmp, name in renames:
                os.replace(folder / tmp, folder / name)
            (folder / JOURNAL).unlink()
            _fsync_dir(folder)
        except OSError as exc:  # the journal stays: the next build finishes the renames
            raise output_error(exc, folder) from None
    return [folder / name for name in files]


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target, then rename over it: a reader sees the old file or the new.
    A PDF is for sharing: its mode follows the umask, as open() does."""
    try:
        cache.write_atomic(path, data, shared=True)
    except OSError as exc:
        raise output_error(exc, path, "choose another place for it") from None
