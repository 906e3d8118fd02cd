"""A content-addressed build cache, so that a build whose inputs did not change starts
neither TeX nor the heavy Python modules (pydantic, Jinja2, Babel).

Two levels:

- a *build* entry, keyed on everything the build reads before TeX: the bytes of cv.yaml,
  every theme file that could be used (built-in and beside cv.yaml), cvbuild's own code,
  the options, the engine's identity. Looking it up costs a few file reads and hashes.
- a *compile* entry, keyed on one rendered .tex, the engine's identity and the compile
  options: a language whose .tex did not change is not compiled again.

Both record the files outside the build that the engine and the PDF driver read (TeX
packages, formats, font files: `Compiled.inputs`) with their size and modification time;
an entry is used only while every one of them is unchanged. PDFs and .tex files are
stored once under their SHA-256 and checked against it when read back.

This module imports only the standard library: it runs before anything heavy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cvbuild.paths import builtin_templates, read_regular

# what the cache reads of a CV or a theme's file before the build checks it: more is
# refused by the build itself
MAX_INPUT = 20_000_000

FORMAT_VERSION = "cvbuild-cache-1"
PACKAGE_DIR = Path(__file__).resolve().parent


def cache_root() -> Path:
    """$CVBUILD_CACHE_DIR, else $XDG_CACHE_HOME/cvbuild, else ~/.cache/cvbuild; always
    an absolute path. A relative CVBUILD_CACHE_DIR is taken from the current folder;
    a relative XDG_CACHE_HOME is ignored, as the XDG specification says. With no home
    folder at all (HOME unset and a user id without a passwd entry: "~" stays "~"),
    it is NO_HOME, which is never created: `usable()` says no."""
    if os.environ.get("CVBUILD_CACHE_DIR"):
        return Path(os.path.abspath(os.environ["CVBUILD_CACHE_DIR"]))
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "cvbuild"
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        return NO_HOME
    return Path(home) / ".cache" / "cvbuild"


# The cache root when there is no home folder: never created (private_dir refuses it)
NO_HOME = Path("/nonexistent/cvbuild-no-home-folder")


_usable: dict[Path, bool] = {}  # cache root → whether it can be used
_usable_lock = threading.Lock()
_warned: set[Path] = set()
_why: dict[Path, OSError] = {}  # why a cache root cannot be used, for the one warning


def usable(quiet: bool = False) -> bool:
    """Whether the cache folder can be used: created (private, 0700), owned by this
    user, writable and not writable by others (its entries and compiled templates are
    trusted when read back). The cache only saves time, so when it cannot be used the
    build goes on without it and one warning line says so (once per process)."""
    root = cache_root()
    with _usable_lock:  # asked at once by a build's threads: one answer, found once
        if root not in _usable:
            _usable[root] = _check_usable(root)
        warn = not _usable[root] and not quiet and root not in _warned
        _warned.update([root] if warn else [])
    if warn:
        _warn_unusable(root, _why.get(root, OSError("cannot be used")))
    return _usable[root]


def _check_usable(root: Path) -> bool:
    try:
        private_dir(root)
        st = os.lstat(root)
        if st.st_uid != os.geteuid():
            raise PermissionError(f"owned by user id {st.st_uid}, not this user")
        # others could plant entries (compiled templates); a group of one's own
        # (Debian's user private groups, umask 002) is no other
        if st.st_mode & 0o002 or (st.st_mode & 0o020 and st.st_gid != os.getegid()):
            raise PermissionError("writable by others")
        if not os.access(root, os.W_OK | os.X_OK):
            raise PermissionError("not writable")
        return True
    except OSError as exc:
        _why[root] = exc
        return False


def _warn_unusable(root: Path, exc: BaseException) -> None:
    import sys

    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    print(f"warning: the cache folder {root} cannot be used ({why}); going on without "
          "it (set CVBUILD_CACHE_DIR to a writable folder to keep one)",
          file=sys.stderr)


def give_up(exc: OSError) -> None:
    """A write to the cache failed (a full disk, a folder gone read-only): no more
    cache in this process, one warning line, and the build goes on."""
    root = cache_root()
    with _usable_lock:
        _usable[root] = False
        warn = root not in _warned
        _warned.add(root)
    if warn:
        _warn_unusable(root, exc)


def private_dir(path: Path) -> Path:
    """Create a cache folder readable by its owner only (formats and PDFs are private)."""
    if path == NO_HOME or NO_HOME in path.parents:
        raise FileNotFoundError(2, "no home folder (HOME is unset and the user has no "
                                "passwd entry)", str(path))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


class Hasher:
    """SHA-256 over labelled parts, each length-prefixed so that no two inputs collide
    by moving bytes from one part to the next."""

    def __init__(self, label: str):
        self._h = hashlib.sha256()
        self.add(FORMAT_VERSION, label)

    def add(self, *parts: object) -> Hasher:  # hashed by repr, bytes as they are
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
            self._h.update(len(data).to_bytes(8, "big"))
            self._h.update(data)
        return self

    def add_tree(self, root: Path) -> Hasher:
        """Every file under root: its relative path and its bytes."""
        if not root.is_dir():
            return self.add("no-dir", str(root))
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            self.add(str(path.relative_to(root)), read_regular(path, MAX_INPUT))
        return self

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def file_signature(path: str) -> list | None:
    """What says a file is unchanged without reading it: size and modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def signatures(paths: Iterable[str]) -> dict[str, list | None]:
    return {p: file_signature(p) for p in sorted(set(paths))}


def unchanged(recorded: dict[str, list | None]) -> bool:
    return all(file_signature(p) == sig for p, sig in recorded.items())


def engine_identity(engine: str) -> list | None:
    """The engine binary found on PATH: resolved path, size and modification time. The
    engine's base format, packages and fonts are checked through `Compiled.inputs`."""
    import shutil

    exe = shutil.which(engine)
    if exe is None:
        return None
    real = os.path.realpath(exe)
    return [exe, real, file_signature(real)]


_code_digest: str | None = None


def code_hasher(label: str) -> Hasher:
    """A Hasher that already holds cvbuild's own code: a new version is a new key.
    (Read once per process: the code does not change under a running build.)"""
    global _code_digest
    if _code_digest is None:
        _code_digest = Hasher("code").add_tree(PACKAGE_DIR).hexdigest()
    return Hasher(label).add(_code_digest)


# ---------------------------------------------------------------- the store on disk


def write_atomic(path: Path, data: bytes, *, shared: bool = False) -> None:
    """Write next to the target, then rename over it: a reader sees the old file or the new.
    The file is private to its owner (mkstemp's 0600) unless `shared`: then its mode
    follows the umask, as open() does."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        if shared:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# write_atomic's temporary names (mkstemp's `.NAME.TOKEN.part`), and publish.py's:
# another program's ".something.part" is not ours to remove
PART_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{6,16}\.part$")


def sweep_parts(folder: Path, older_than: float = 600) -> None:
    """Remove write_atomic's temporary files in `folder` left by a process killed
    while writing (SIGKILL, the OOM killer: a format's is 33 MB), once they are old
    enough that no running write can own them."""
    import time

    try:
        leftovers = [p for p in folder.iterdir() if PART_NAME.match(p.name)]
    except OSError:
        return
    for path in leftovers:
        try:
            if time.time() - path.lstat().st_mtime > older_than:
                path.unlink()
        except OSError:
            pass


def put_blob(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = cache_root() / "blobs" / digest[:2] / digest
    if usable() and get_blob(digest) is None:  # absent, or damaged: write it (again)
        try:
            private_dir(path.parent)
            write_atomic(path, data)
        except OSError as exc:
            give_up(exc)
    return digest


def get_blob(digest: str) -> bytes | None:
    if not usable():
        return None
    try:
        data = (cache_root() / "blobs" / digest[:2] / digest).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == digest else None


def _entry_path(kind: str, key: str) -> Path:
    return cache_root() / kind / f"{key}.json"


def get_entry(kind: str, key: str) -> dict | None:
    """An entry whose recorded input files are all unchanged, else None."""
    if not usable():
        return None
    try:
        entry = json.loads(_entry_path(kind, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or not unchanged(entry.get("inputs", {})):
        return None
    return entry


def put_entry(kind: str, key: str, entry: dict) -> None:
    if not usable():
        return
    path = _entry_path(kind, key)
    try:
        private_dir(path.parent)
        write_atomic(path, json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except OSError as exc:
        give_up(exc)


# ---------------------------------------------------------------- keys


def date_witness(cv_path: Path) -> list:
    """What the PDF's source date (source_date.py) follows, read without running git:
    SOURCE_DATE_EPOCH; else the CV file's modification time and the git state (HEAD and
    the ref it names) of the repository around it. Equal witnesses, equal dates."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env:
        return ["env", env]
    return ["file", file_signature(str(cv_path)), _git_state(cv_path.resolve().parent)]


def git_dir(folder: Path) -> Path | None:
    """The git directory of the repository around `folder`, found as git finds it: a
    `.git` folder in it or above, or the one a `.git` file names (a worktree or a
    submodule: "gitdir: <path>"); None outside any. OSError when a .git file is unreadable."""
    for d in [folder, *folder.parents]:
        git = d / ".git"
        if git.is_file():
            text = git.read_text(encoding="utf-8").strip()
            git = (d / text.removeprefix("gitdir:").strip()).resolve()
        if git.is_dir():
            return git
    return None


def _git_state(folder: Path) -> list | None:
    try:
        git = git_dir(folder)
        if git is None:
            return None
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        head = (git / "HEAD").read_bytes()
        state: list = [str(git), head, file_signature(str(common / "packed-refs"))]
        if head.startswith(b"ref:"):
            ref = head[4:].strip().decode("utf-8", "replace")
            for base in (git, common):
                state.append(file_signature(str(base / ref)))
        return state
    except OSError:
        return ["unreadable", str(folder)]


def build_key(
    cv_path: Path, lang: str, *, only: object, tex_only: bool, pdfa: bool,
    source_date_epoch: int | None, engine: str, theme: str | None = None, strict: bool = False,
    local_themes: bool = True,
    stem: str | None = None,
) -> str | None:
    """The key of a whole build, from what can be read without parsing anything or
    running git. None when cv.yaml cannot be read (the slow path reports why). `only` is
    the variant (source.model.Variant), hashed by its repr. A strict build has keys of
    its own: one that failed is never recorded, so never replayed."""
    try:
        cv_bytes = read_regular(cv_path, MAX_INPUT)
    except OSError:
        return None
    date = None if tex_only else (
        source_date_epoch if source_date_epoch is not None else date_witness(cv_path)
    )
    h = code_hasher("build").add(cv_bytes, lang, only, tex_only, pdfa, theme, date, strict, stem)
    if not local_themes:  # a build that refuses local themes is never one that used one
        h.add("no-local-themes")
    h.add(engine_identity(engine) if not tex_only else None)
    # any theme the CV may name: the built-in ones and those in a themes/ folder beside it
    try:
        h.add_tree(builtin_templates()).add_tree(cv_path.parent / "themes")
    except OSError:  # a theme file that cannot be read: the build says so, uncached
        return None
    return h.hexdigest()


def compile_key(
    tex_source: str, *, engine: str, source_date_epoch: int | None,
    resources: dict[str, Path] | None = None,
) -> str:
    """The key of one compile: the whole .tex, the engine, options and resource files."""
    h = code_hasher("compile").add(tex_source, engine_identity(engine), source_date_epoch)
    for name, src in sorted((resources or {}).items()):
        h.add(name, Path(src).read_bytes())
    return h.hexdigest()


# ---------------------------------------------------------------- validity


def _valid_key(cv_path: Path) -> str | None:
    try:
        return code_hasher("valid").add(read_regular(cv_path, MAX_INPUT)).hexdigest()
    except OSError:
        return None


def known_valid(cv_path: Path) -> tuple[list[str], list[dict[str, Any]]] | None:
    """The languages and warnings (translations.warnings, as Problem fields) of a CV
    file found valid before, byte for byte, by this very code; None if it was not (then
    it must be validated: problems are never cached)."""
    key = _valid_key(cv_path)
    entry = get_entry("valid", key) if key else None
    return (entry["languages"], entry["warnings"]) if entry else None


def remember_valid(cv_path: Path, languages: list[str], warnings: list[dict[str, Any]]) -> None:
    key = _valid_key(cv_path)
    if key:
        put_entry("valid", key, {"languages": list(languages), "warnings": list(warnings),
                                 "inputs": {}})
