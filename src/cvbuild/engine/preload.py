"""Preloaded preambles: what makes a compile start fast.

A theme marks its preamble with two comment lines:

    \\documentclass… \\usepackage…   packages only: no font selected yet
    %% cvbuild: dump
    \\setmainfont… \\setdefaultlanguage…   fonts and language: the same for every build
    %% cvbuild: ready
    \\hypersetup{…data…} \\begin{document} …

- What comes before `dump` is dumped once into a custom format (`xelatex -ini
  "&xelatex"`), kept in the cache folder under the hash of that text and the engine's
  identity, rebuilt when any file it read (packages, the base format) changed. XeTeX
  refuses to dump a format that holds a native font, which is why fonts come after.
- A *warm* engine is started ahead of time with that format; it reads the part up to
  `ready` (loading the fonts) and then waits on the terminal (`\\read`) until the body is
  written, so that the body is all that is left to typeset when the user saves.

Both run in the same sandbox as every compile (tex.py: private temporary folder, no
shell escape, openin_any=p/openout_any=p, minimal environment, timeout). A document
without the marks is compiled as it is.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild import cache
from cvbuild.engine import tex
from cvbuild.errors import CompileError

if TYPE_CHECKING:
    from cvbuild.source.model import Variant

DUMP_MARK = "%% cvbuild: dump"
READY_MARK = "%% cvbuild: ready"
FORMAT_TIMEOUT_S = 120


@dataclass(frozen=True)
class Split:
    """A document cut at the marks: `head` goes into the format, `middle` is run by a
    warm engine ahead of time, `tail` is what a save changes."""

    head: str
    middle: str
    tail: str

    def from_middle(self) -> str:
        """middle + tail, after one comment line per line of head: the engine's line
        numbers then match the whole .tex written into build/."""
        return "%\n" * self.head.count("\n") + self.middle + self.tail

    def from_tail(self) -> str:
        return "%\n" * (self.head + self.middle).count("\n") + self.tail


def split(tex_source: str) -> Split | None:
    # every engine sees tex.ENFORCED first, warm or cold (it lands in the format's head)
    tex_source = tex.enforced(tex_source)
    d = tex_source.find(DUMP_MARK + "\n")
    r = tex_source.find(READY_MARK + "\n")
    if d < 0 or r < d:
        return None
    return Split(
        tex_source[:d], tex_source[d:r], tex_source[r:]
    )


# ---------------------------------------------------------------- formats

_format_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def format_key(head: str, exe: str) -> str:
    return cache.Hasher("format").add(head, cache.engine_identity(exe)).hexdigest()


def ensure_format(head: str, exe: str) -> Path | None:
    """The format holding `head`, from the cache or dumped now; None if the engine
    cannot dump it (then the document is compiled whole, which reports any error)."""
    key = format_key(head, exe)
    folder = cache.private_dir(cache.cache_root() / "formats")
    fmt = folder / f"{key}.fmt"
    with _locks_guard:
        lock = _format_locks.setdefault(key, threading.Lock())
    with lock:
        entry = cache.get_entry("formats", key)
        if entry is not None:
            return fmt if entry.get("ok") and fmt.exists() else None
        ok, inputs = _dump(head, exe, fmt)
        cache.put_entry("formats", key, {"ok": ok, "inputs": cache.signatures(inputs)})
        return fmt if ok else None


# The class and packages select the default font (Latin Modern, a native font) while
# they load, and XeTeX cannot dump a native font. While the format is made, NFSS loads
# every font as cmr10 (a TFM font, dumpable) and notes its name; each job then starts
# (\everyjob) by forgetting those names, so a font that is used is loaded for real.
_BEFORE_HEAD = r"""\catcode`\@=11
\let\cvbuild@extractfont\extract@font
\gdef\cvbuild@unload{}
\def\extract@font{\global\expandafter\font\font@name=cmr10\relax
  \xdef\cvbuild@unload{\cvbuild@unload\global\let\expandafter\noexpand\font@name\relax}%
  \font@name\csname\f@encoding+\f@family\endcsname\csname\curr@fontshape\endcsname}
\catcode`\@=12
"""
_AFTER_HEAD = r"""
\catcode`\@=11
\let\extract@font\cvbuild@extractfont
\everyjob\expandafter{\the\everyjob\cvbuild@unload}
\catcode`\@=12
\dump
"""


def _dump(head: str, exe: str, target: Path) -> tuple[bool, list[str]]:
    with tempfile.TemporaryDirectory(prefix="cvbuild-fmt-") as tmp:
        work = Path(tmp)
        (work / "head.tex").write_text(_BEFORE_HEAD + head + _AFTER_HEAD, encoding="utf-8")
        cmd = [exe, "-ini", "-jobname=cv", "-no-shell-escape", "-interaction=nonstopmode",
               "-halt-on-error", "-recorder", "&xelatex", "head.tex"]
        try:
            proc = subprocess.run(
                cmd, cwd=work, env=tex.engine_env(None), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=FORMAT_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            return False, []
        inputs = tex.engine_inputs(work, "")
        built = work / "cv.fmt"
        if proc.returncode != 0 or not built.exists():
            return False, inputs
        cache.write_atomic(target, built.read_bytes())
        return True, inputs + [str(target)]


def format_args(tex_source: str, exe: str) -> tuple[list[str], str]:
    """The engine arguments and source for a one-shot compile: with the preamble's
    format when the document is marked and the format can be had, else unchanged."""
    parts = split(tex_source)
    if parts is None:
        return [], tex_source
    fmt = ensure_format(parts.head, exe)
    if fmt is None:
        return [], tex_source
    return [f"-fmt={fmt.with_suffix('')}"], parts.from_middle()


def format_inputs(tex_source: str, exe: str) -> list[str]:
    """The files the document's format depends on (for the build cache's records)."""
    parts = split(tex_source)
    if parts is None:
        return []
    entry = cache.get_entry("formats", format_key(parts.head, exe))
    return list(entry["inputs"]) if entry else []


# ---------------------------------------------------------------- warm engines


def _driver(parts: Split) -> str:
    """What a warm engine runs: the fonts and language, then it waits for one line on
    the terminal (\\read is allowed in scroll mode), then reads the date and the body."""
    return (
        "%\n" * parts.head.count("\n") + parts.middle
        + "\\read-1 to\\cvbuildgo\n\\nonstopmode\\InputIfFileExists{cvbuild-date.tex}{}{}"
        + "\\input{body.tex}\n"
    )


# The PDF's date. A warm engine is started before the build knows it (it follows cv.yaml's
# commit or modification time), so SOURCE_DATE_EPOCH cannot be in its environment. The
# date goes in when the body does: XeTeX's date registers and \creationdate are set as
# SOURCE_DATE_EPOCH with FORCE_SOURCE_DATE=1 sets them, and the PDF driver gets the
# variable from a file (absolute paths: XeTeX prefixes a relative driver with its folder).


def _dated_driver(exe: str) -> str | None:
    env = shutil.which("env")
    xdvipdfmx = Path(exe).with_name("xdvipdfmx")
    if env is None or not xdvipdfmx.exists():
        return None
    return (f"{shlex.quote(env)} SOURCE_DATE_EPOCH=$(cat cvbuild.sde) "
            f"{shlex.quote(str(xdvipdfmx))} -vv -E")


def _warm_command(exe: str, fmt: Path, dated: bool) -> list[str] | None:
    driver = _dated_driver(exe) if dated else tex.DRIVER
    if driver is None:
        return None
    return tex.engine_command(exe, f"-fmt={fmt.with_suffix('')}", "cv.tex",
                              interaction="scrollmode", driver=driver)


def _write_date(work: Path, source_date_epoch: int | None) -> None:
    if source_date_epoch is None:
        return
    t = time.gmtime(source_date_epoch)
    (work / "cvbuild.sde").write_text(f"{source_date_epoch}\n", encoding="ascii")
    (work / "cvbuild-date.tex").write_text(
        f"\\year={t.tm_year} \\month={t.tm_mon} \\day={t.tm_mday} "
        f"\\time={t.tm_hour * 60 + t.tm_min}\n"
        f"\\def\\creationdate{{D:{time.strftime('%Y%m%d%H%M%S', t)}Z}}\n",
        encoding="ascii",
    )


class Warm:
    """An engine already started: format loaded, fonts and language read; it waits on
    the terminal for one line, then reads `body.tex` and finishes the page."""

    def __init__(self, exe: str, parts: Split, fmt: Path, dated: bool):
        self.exe = exe
        self.head = parts.head
        self.middle = parts.middle
        self.dated = dated
        command = _warm_command(exe, fmt, dated)
        if command is None:
            raise CompileError("no PDF driver for a dated warm engine")
        self._tmp = tempfile.TemporaryDirectory(prefix="cvbuild-")
        self.work = Path(self._tmp.name)
        (self.work / "cv.tex").write_text(_driver(parts), encoding="utf-8")
        self.proc = subprocess.Popen(
            command, cwd=self.work, env=tex.engine_env(None), stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def fits(self, exe: str, parts: Split, source_date_epoch: int | None) -> bool:
        return (
            self.proc.poll() is None and exe == self.exe and parts.head == self.head
            and parts.middle == self.middle and self.dated == (source_date_epoch is not None)
        )

    def finish(
        self, parts: Split, source_date_epoch: int | None, *, engine: str, timeout: float,
        keep_log: Path | None, resources: dict[str, Path] | None = None,
    ) -> tex.Compiled:
        try:
            tex.prepare_workdir(self.work, resources)
            _write_date(self.work, source_date_epoch)
            (self.work / "body.tex").write_text(parts.from_tail(), encoding="utf-8")
            try:
                _, err = self.proc.communicate(b"go\n", timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise CompileError(
                    f"{engine} took longer than {timeout:.0f} s and was stopped"
                ) from None
            return tex.collect(
                self.work, self.proc.returncode, err.decode("utf-8", "replace"),
                engine=engine, keep_log=keep_log,
            )
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stderr):
            if stream:
                stream.close()
        self._tmp.cleanup()


class Pool:
    """Warm engines by language. `pdf` starts them from the previous build's preambles
    (a hint in the cache) before parsing cv.yaml; `watch` keeps one per language."""

    def __init__(self) -> None:
        self._warm: dict[str, Warm] = {}
        self._lock = threading.Lock()

    def start(self, lang: str, tex_source: str, *, engine: str,
              source_date_epoch: int | None) -> None:
        parts = split(tex_source)
        exe = tex.find_engine(engine)
        if parts is None:
            return
        fmt = ensure_format(parts.head, exe)
        if fmt is None:
            return
        with self._lock:
            old = self._warm.pop(lang, None)
            if old is not None and old.fits(exe, parts, source_date_epoch):
                self._warm[lang] = old
                return
            self._warm[lang] = Warm(exe, parts, fmt, source_date_epoch is not None)
        if old is not None:
            old.close()

    def compile(self, lang: str, tex_source: str, *, engine: str = tex.ENGINE,
                source_date_epoch: int | None = None, keep_log: Path | None = None,
                resources: dict[str, Path] | None = None,
                timeout: float = tex.TIMEOUT_S) -> tex.Compiled:
        """Compile with the language's warm engine if it fits this document, else cold.
        Characters the fonts lack get the same fallback pass as a cold compile."""

        def cold(extra: dict[str, Path]) -> tex.Compiled:
            return tex.compile_pdf(
                tex_source, engine=engine, source_date_epoch=source_date_epoch,
                keep_log=keep_log, resources={**(resources or {}), **extra}, timeout=timeout,
            )

        parts = split(tex_source)
        with self._lock:
            warm = self._warm.pop(lang, None)
        if warm is not None and parts is not None:
            exe = tex.find_engine(engine)
            if warm.fits(exe, parts, source_date_epoch):
                return tex.with_fallbacks(warm.finish(
                    parts, source_date_epoch, engine=engine, timeout=timeout,
                    keep_log=keep_log, resources=resources), cold)
        if warm is not None:
            warm.close()
        if parts is not None and residents_enabled():
            compiled = compile_resident(
                tex.find_engine(engine), parts, source_date_epoch, engine=engine,
                timeout=timeout, keep_log=keep_log, resources=resources,
            )
            if compiled is not None:
                return tex.with_fallbacks(compiled, cold)
        return cold({})  # compile_pdf runs the fallback pass itself

    def close(self) -> None:
        with self._lock:
            warm, self._warm = list(self._warm.values()), {}
        for w in warm:
            w.close()

    # -- hints: the previous build's documents, so that `pdf` can start engines early

    @staticmethod
    def _hint_path(cv_path: Path, lang: str, only: Variant | None) -> Path:
        key = cache.Hasher("hint").add(str(cv_path.resolve()), lang, only).hexdigest()
        return cache.cache_root() / "hints" / f"{key}.json"

    def start_from_hint(self, cv_path: Path, lang: str, only: Variant | None, *,
                        engine: str, source_date_epoch: int | None) -> None:
        try:
            hint = json.loads(self._hint_path(cv_path, lang, only).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        residents = residents_enabled()
        for code, preamble in hint.items():
            try:
                parts = split(preamble)
                if residents and parts and resident_waiting(
                    tex.find_engine(engine), parts, source_date_epoch
                ):
                    continue  # the previous build left an engine for it
                self.start(code, preamble, engine=engine, source_date_epoch=source_date_epoch)
            except Exception:  # a hint is only a guess: never let it fail a build
                continue

    @staticmethod
    def leave_residents(documents: dict[str, str], *, engine: str,
                        source_date_epoch: int | None) -> None:
        """Leave an engine per document waiting for the next build (see below)."""
        if not residents_enabled():
            return
        exe = tex.find_engine(engine)
        for tex_source in documents.values():
            parts = split(tex_source)
            fmt = ensure_format(parts.head, exe) if parts else None
            if fmt is not None:
                start_resident(exe, parts, fmt, source_date_epoch)

    def save_hint(self, cv_path: Path, lang: str, only: Variant | None,
                  documents: dict[str, str]) -> None:
        hint = {}
        for code, tex_source in documents.items():
            parts = split(tex_source)
            if parts is not None:
                hint[code] = parts.head + parts.middle + READY_MARK + "\n"
        path = self._hint_path(cv_path, lang, only)
        cache.private_dir(path.parent)
        cache.write_atomic(path, json.dumps(hint, ensure_ascii=False).encode("utf-8"))


# ---------------------------------------------------------------- resident engines
#
# A one-shot `cvbuild pdf` leaves, per language it compiled, one warm engine behind for
# the next build of the same preamble: it waits in a private folder of the cache
# (meta.json, a FIFO named `go`) and exits by itself after cache.RESIDENT_IDLE_S (coreutils
# `timeout`). The next build claims it by renaming its folder (atomic: one claimant
# wins), writes body.tex, writes a line into the FIFO and waits for it to exit. Linux
# only (/proc, FIFOs); CVBUILD_RESIDENT=0 turns it off.

RESIDENT_CLAIM_S = 540  # an older one may be stopped by its timeout while it works
RESIDENT_MAX = 4


def residents_enabled() -> bool:
    return (
        sys.platform.startswith("linux") and os.environ.get("CVBUILD_RESIDENT", "1") != "0"
        and shutil.which("timeout") is not None
    )


def _resident_key(exe: str, parts: Split, source_date_epoch: int | None) -> str:
    return cache.Hasher("resident").add(
        cache.engine_identity(exe), parts.head, parts.middle, source_date_epoch is not None
    ).hexdigest()[:32]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _residents() -> list[tuple[Path, dict]]:
    """Live, unclaimed resident engines; the folders of dead ones are removed."""
    root = cache.resident_root()
    found = []
    for folder in root.glob("*") if root.is_dir() else []:
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = None
        if folder.name.endswith(".claimed"):
            # its claimant removes it when done; only one left by a killed build (long
            # past any compile's timeout) is cleaned here: a fresh one may still be read
            try:
                stale = time.time() - folder.stat().st_ctime > 2 * cache.RESIDENT_IDLE_S
            except OSError:
                continue
            if stale and (meta is None or not _alive(meta["pid"])):
                shutil.rmtree(folder, ignore_errors=True)
            continue
        if meta is None:
            try:
                if time.time() - folder.stat().st_mtime > 60:  # never finished starting
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:  # gone meanwhile: another build claimed or removed it
                pass
            continue
        if not _alive(meta["pid"]) or time.time() - meta["started"] > RESIDENT_CLAIM_S:
            if not _alive(meta["pid"]):
                shutil.rmtree(folder, ignore_errors=True)
            continue
        found.append((folder, meta))
    return found


def resident_waiting(exe: str, parts: Split, source_date_epoch: int | None) -> bool:
    key = _resident_key(exe, parts, source_date_epoch)
    return any(meta["key"] == key for _, meta in _residents())


def start_resident(exe: str, parts: Split, fmt: Path, source_date_epoch: int | None) -> None:
    """Leave an engine waiting for the next build of this preamble (unless one is)."""
    key = _resident_key(exe, parts, source_date_epoch)
    waiting = _residents()
    if any(meta["key"] == key for _, meta in waiting):
        return
    # the oldest make room: they wait for a preamble that was not built lately
    oldest_first = sorted(waiting, key=lambda fm: fm[1]["started"])
    for folder, meta in oldest_first[:max(0, len(waiting) - RESIDENT_MAX + 1)]:
        try:
            os.rename(folder, folder.with_name(folder.name + ".claimed"))
            os.killpg(meta["pid"], signal.SIGKILL)
        except OSError:
            pass
    command = _warm_command(exe, fmt, source_date_epoch is not None)
    if command is None:
        return
    work = Path(tempfile.mkdtemp(prefix="engine-", dir=cache.private_dir(cache.resident_root())))
    (work / "cv.tex").write_text(_driver(parts), encoding="utf-8")
    os.mkfifo(work / "go", 0o600)
    # read and write: the engine's \read then waits for a line instead of seeing EOF
    fifo = os.open(work / "go", os.O_RDWR)
    try:
        with open(work / "driver.err", "wb") as err:
            proc = subprocess.Popen(
                ["timeout", str(cache.RESIDENT_IDLE_S), *command],
                cwd=work, env=tex.engine_env(None), stdin=fifo,
                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
            )
    finally:
        os.close(fifo)
    _detached.append(proc)
    meta = {"key": key, "pid": proc.pid, "started": time.time()}
    cache.write_atomic(work / "meta.json", json.dumps(meta).encode("utf-8"))


_detached: list[subprocess.Popen] = []  # kept so that Python does not warn about them


def compile_resident(
    exe: str, parts: Split, source_date_epoch: int | None, *, engine: str, timeout: float,
    keep_log: Path | None, resources: dict[str, Path] | None = None,
) -> tex.Compiled | None:
    """Compile with a resident engine waiting for this preamble; None if there is none."""
    key = _resident_key(exe, parts, source_date_epoch)
    for folder, meta in _residents():
        if meta["key"] != key:
            continue
        claimed = folder.with_name(folder.name + ".claimed")
        try:
            os.rename(folder, claimed)
        except OSError:
            continue  # another build took it
        try:
            tex.prepare_workdir(claimed, resources)
            _write_date(claimed, source_date_epoch)
            (claimed / "body.tex").write_text(parts.from_tail(), encoding="utf-8")
            fifo = os.open(claimed / "go", os.O_WRONLY | os.O_NONBLOCK)
            try:
                os.write(fifo, b"go\n")
            finally:
                os.close(fifo)
            deadline = time.monotonic() + timeout
            while _alive(meta["pid"]):
                if time.monotonic() > deadline:
                    os.killpg(meta["pid"], signal.SIGKILL)
                    raise CompileError(f"{engine} took longer than {timeout:.0f} s and was stopped")
                time.sleep(0.003)
            log = claimed / "cv.log"
            done = (claimed / "cv.pdf").exists() and log.exists() and \
                "Output written on" in log.read_text(encoding="utf-8", errors="replace")
            err = (claimed / "driver.err").read_text(encoding="utf-8", errors="replace")
            return tex.collect(claimed, 0 if done else 1, err, engine=engine, keep_log=keep_log)
        finally:
            shutil.rmtree(claimed, ignore_errors=True)
    return None
