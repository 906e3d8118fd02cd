"""Compiling a document: at once (`compile_pdf`), or by an engine started before the
document is known (`Engine`, `Pool`), so that TeX loads its format and reads the
preamble while cvbuild still parses cv.yaml, renders and cuts emoji pictures.

Every process started here is waited for or stopped before the command that started
it returns: `Pool.close` stops what is left, `watch` closes its pool however it ends,
and an engine waiting for its next part reads it from a pipe, so it also stops by
itself (end of input) when cvbuild dies.
"""

from __future__ import annotations

import json
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvbuild import cache
from cvbuild.engine import tex
from cvbuild.engine.formats import (
    READY_MARK,
    base_format,
    cached_format,
    ensure_format,
    split,
    without_format,
)
from cvbuild.errors import CompileError

if TYPE_CHECKING:
    from cvbuild.source.model import Variant


def compile_pdf(
    tex_source: str,
    *,
    engine: str = tex.ENGINE,
    source_date_epoch: int | None = None,
    resources: dict[str, Path] | None = None,
    timeout: float = tex.TIMEOUT_S,
    keep_log: Path | None = None,
) -> tex.Compiled:
    """Compile a whole .tex document in a private folder; return the PDF's bytes.

    `resources` maps a file name in the build folder to a file to copy there (a photo).
    A document whose marked preamble has a format in the cache is compiled with it
    (formats.py; none is dumped here), any other from the inflated base format.
    Characters the fonts lack get a second pass with a fallback font
    (`tex.with_fallbacks`)."""
    compiled = _compile_once(tex_source, engine=engine, source_date_epoch=source_date_epoch,
                             resources=resources, timeout=timeout, keep_log=keep_log)
    return tex.with_fallbacks(compiled, lambda extra: _compile_once(
        tex_source, engine=engine, source_date_epoch=source_date_epoch,
        resources={**(resources or {}), **extra}, timeout=timeout, keep_log=keep_log))


def _compile_once(
    tex_source: str, *, engine: str, source_date_epoch: int | None,
    resources: dict[str, Path] | None, timeout: float, keep_log: Path | None,
) -> tex.Compiled:
    exe = tex.find_engine(engine)
    parts = split(tex_source)
    fmt = cached_format(parts.head, exe) if parts else None
    if fmt is not None and parts is not None:
        source = "%\n" * parts.head.count("\n") + parts.middle + parts.tail
    else:
        source = without_format(tex_source)
        base = base_format(exe)
        fmt = base.path if base is not None else None
    with tempfile.TemporaryDirectory(prefix="cvbuild-") as tmp:
        work = Path(tmp)
        (work / "cv.tex").write_text(source, encoding="utf-8")
        tex.prepare_workdir(work, resources)
        command = tex.engine_command(exe, *tex.use_format(work, fmt), "cv.tex")
        try:
            proc = tex.run(command, work, tex.engine_env(source_date_epoch, work), timeout)
        except subprocess.TimeoutExpired:
            raise CompileError(f"{engine} took longer than {timeout:.0f} s and was stopped") from None
        return tex.collect(work, proc.returncode, engine=engine, keep_log=keep_log,
                           source_date_epoch=source_date_epoch, timeout=timeout)


# ---------------------------------------------------------------- engines started early

# What an engine started early runs: it waits for a line on its standard input (in
# scroll mode, where \read may read the terminal), reads the first part of the
# document, waits again, reads the date and the rest. Each part is a file of its own
# whose lines are numbered as in the whole document (the lines before it are empty
# comments), so TeX's messages name the lines of the .tex written into build/.
_PARTS_DRIVER = (
    r"\read-1 to\cvbuildgo\nonstopmode\InputIfFileExists{cvbuild-date.tex}{}{}"
    r"\input{cvbuild-1.tex}"
    r"\scrollmode\read-1 to\cvbuildgo\nonstopmode\InputIfFileExists{cvbuild-date.tex}{}{}"
    r"\input{cvbuild-2.tex}"
    "\n"
)


def _write_date(work: Path, source_date_epoch: int | None) -> None:
    """The PDF's date for an engine started before it was known: XeTeX's date registers
    and \\creationdate as SOURCE_DATE_EPOCH with FORCE_SOURCE_DATE=1 set them (the
    primitive's characters are all of category 12, as \\detokenize makes them: pdfx
    reads the date apart by them)."""
    if source_date_epoch is None:
        return
    t = time.gmtime(source_date_epoch)
    (work / "cvbuild-date.tex").write_text(
        f"\\year={t.tm_year} \\month={t.tm_mon} \\day={t.tm_mday} "
        f"\\time={t.tm_hour * 60 + t.tm_min}\n"
        f"\\edef\\creationdate{{\\detokenize{{D:{time.strftime('%Y%m%d%H%M%S', t)}Z}}}}\n",
        encoding="ascii",
    )


class Engine:
    """A TeX run fed its document in two parts: the preamble as soon as it is known
    (even from the previous build, before cv.yaml is parsed), the rest when the
    pictures it needs are in place. `fed` is what it was given so far (with the
    format's part); a document that does not start with it needs another engine."""

    def __init__(self, exe: str, fmt: Path | None = None, head: str = "", *,
                 source_date_epoch: int | None = None, track=None):
        self.exe = exe
        self.formatted = fmt is not None  # the format holds the head
        self.fed = head if fmt is not None else ""
        if fmt is None:
            base = base_format(exe)
            fmt = base.path if base is not None else None
        self.dated = source_date_epoch
        self._parts = 0
        self._track = track
        self._tmp = tempfile.TemporaryDirectory(prefix="cvbuild-")
        self.work = Path(self._tmp.name)
        (self.work / "cv.tex").write_text(_PARTS_DRIVER, encoding="utf-8")
        command = tex.engine_command(exe, *tex.use_format(self.work, fmt), "cv.tex",
                                     interaction="scrollmode")
        self.proc = subprocess.Popen(
            command, cwd=self.work, env=tex.engine_env(source_date_epoch, self.work),
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        assert self.proc.stdin is not None
        self._stdin = self.proc.stdin
        if track is not None:
            track(self.proc, True)

    def _source(self, tex_source: str) -> str:
        return tex.enforced(tex_source) if self.formatted else without_format(tex_source)

    def fits(self, tex_source: str) -> bool:
        """Whether this engine can go on to typeset `tex_source`."""
        return self.proc.poll() is None and self._source(tex_source).startswith(self.fed)

    def feed(self, text: str) -> None:
        """Give the engine the next part of its document (at most two)."""
        if self._parts >= 2:
            raise ValueError("an engine reads its document in two parts")
        self._parts += 1
        padding = "%\n" * self.fed.count("\n")
        (self.work / f"cvbuild-{self._parts}.tex").write_text(padding + text, encoding="utf-8")
        self.fed += text
        try:
            self._stdin.write(b"go\n")
            self._stdin.flush()
        except OSError:
            pass  # it stopped (an error in what it read): finish reports why

    def feed_preamble(self, tex_source: str) -> None:
        """Give it the document's preamble (up to the ready mark), if it has not got it."""
        source = self._source(tex_source)
        ready = source.find(READY_MARK + "\n")
        if self._parts == 0 and ready >= len(self.fed):
            self.feed(source[len(self.fed):ready])

    def finish(
        self, tex_source: str, *, engine: str = tex.ENGINE, source_date_epoch: int | None,
        resources: dict[str, Path] | None = None, keep_log: Path | None = None,
        timeout: float = tex.TIMEOUT_S,
    ) -> tex.Compiled:
        """Give it the rest of `tex_source` (it must fit), wait, and read the PDF."""
        try:
            tex.prepare_workdir(self.work, resources)
            if source_date_epoch != self.dated:
                _write_date(self.work, source_date_epoch)
            source = self._source(tex_source)
            while self._parts < 2:
                self.feed(source[len(self.fed):])
            try:
                self._stdin.close()
            except OSError:
                pass
            try:
                tex.wait(self.proc, timeout)
            except subprocess.TimeoutExpired:
                raise CompileError(
                    f"{engine} took longer than {timeout:.0f} s and was stopped") from None
            return tex.collect(self.work, self.proc.returncode, engine=engine,
                               keep_log=keep_log, source_date_epoch=source_date_epoch,
                               timeout=timeout, track=self._track)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the engine (if it still runs) and remove its folder."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self._track is not None:
            self._track(self.proc, False)
        try:
            self._stdin.close()
        except OSError:
            pass
        self._tmp.cleanup()


class Pool:
    """The engines of one command, by language; `close` stops whatever is left.

    `pdf` starts an engine per language from the previous build's preambles (a hint
    in the cache) before parsing cv.yaml, and one for a preamble that changed as soon
    as it is rendered; `watch` keeps one waiting per language between saves. A
    preamble built before is worth a format (formats.py): it is dumped while cv.yaml
    is parsed, in a thread of its own."""

    def __init__(self) -> None:
        self._engines: dict[str, Engine] = {}
        self._spares: list[Engine] = []  # started before it is known for what
        self._spares_starting: list[threading.Thread] = []
        self._starting: dict[str, threading.Thread] = {}
        self._procs: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self._closed = False

    def _track(self, proc: subprocess.Popen, running: bool) -> None:
        with self._lock:
            if running:
                self._procs.add(proc)
                closed = self._closed
            else:
                self._procs.discard(proc)
                return
        if closed:  # started while the pool closes: stop it too
            proc.kill()

    def start(self, lang: str, tex_source: str, *, engine: str = tex.ENGINE,
              source_date_epoch: int | None = None, dump: bool = False) -> None:
        """An engine for this language that reads `tex_source`'s preamble now, with the
        format of its head when the cache has one (or dumps it first, if `dump`)."""
        exe = tex.find_engine(engine)
        parts = split(tex_source)
        fmt = None
        if parts is not None:
            fmt = (ensure_format(parts.head, exe, track=self._track) if dump
                   else cached_format(parts.head, exe))
        with self._lock:
            if self._closed:
                return
        new = Engine(exe, fmt, parts.head if parts else "",
                     source_date_epoch=source_date_epoch, track=self._track)
        new.feed_preamble(tex_source)
        with self._lock:
            old, self._engines[lang] = self._engines.get(lang), new
        if old is not None:
            old.close()

    def start_soon(self, lang: str, tex_source: str, **options) -> None:
        """`start` in a thread of its own (a format may be dumped first)."""
        thread = threading.Thread(target=self._start_quietly, args=(lang, tex_source),
                                  kwargs=options, daemon=True)
        with self._lock:
            self._starting[lang] = thread
        thread.start()

    def _start_quietly(self, lang: str, tex_source: str, **options) -> None:
        try:
            self.start(lang, tex_source, **options)
        except Exception:  # an engine started early is only a head start: never fail
            pass

    def start_spares(self, count: int, *, engine: str = tex.ENGINE,
                     source_date_epoch: int | None = None) -> None:
        """Engines that load TeX's own format now and take any document later: a first
        build has no preamble to start from, and loading the format (0.12 s of CPU) is
        done while cv.yaml is parsed instead of after. They start in a thread: with an
        empty cache the base format is inflated first (formats.base_format)."""
        exe = tex.find_engine(engine)

        def start() -> None:
            try:  # (the first spare makes the base format, the next finds it made)
                for _ in range(count):
                    with self._lock:
                        if self._closed:
                            return
                    spare = Engine(exe, source_date_epoch=source_date_epoch,
                                   track=self._track)
                    with self._lock:
                        self._spares.append(spare)
            except Exception:  # a spare is only a head start: never fail
                pass

        thread = threading.Thread(target=start, daemon=True)
        with self._lock:
            self._spares_starting.append(thread)
        thread.start()

    def _take(self, lang: str) -> Engine | None:
        with self._lock:
            thread = self._starting.pop(lang, None)
        if thread is not None:
            thread.join()
        with self._lock:
            current = self._engines.pop(lang, None)
            if current is not None:
                return current
            starting = list(self._spares_starting)
        for thread in starting:
            thread.join()
        with self._lock:
            return self._spares.pop(0) if self._spares else None

    def prepare(self, lang: str, tex_source: str, *, engine: str = tex.ENGINE,
                source_date_epoch: int | None = None) -> None:
        """Make sure an engine is reading this document's preamble."""
        current = self._take(lang)
        if current is not None and current.fits(tex_source):
            current.feed_preamble(tex_source)
            with self._lock:
                self._engines[lang] = current
            return
        if current is not None:
            current.close()
        self.start(lang, tex_source, engine=engine, source_date_epoch=source_date_epoch)

    def compile(self, lang: str, tex_source: str, *, engine: str = tex.ENGINE,
                source_date_epoch: int | None = None, keep_log: Path | None = None,
                resources: dict[str, Path] | None = None,
                timeout: float = tex.TIMEOUT_S) -> tex.Compiled:
        """Compile with the language's engine if it fits this document, else at once.
        Characters the fonts lack get the same fallback pass as `compile_pdf`."""

        def cold(extra: dict[str, Path]) -> tex.Compiled:
            return compile_pdf(
                tex_source, engine=engine, source_date_epoch=source_date_epoch,
                keep_log=keep_log, resources={**(resources or {}), **extra}, timeout=timeout,
            )

        current = self._take(lang)
        # (an engine started with a date in its environment cannot make an undated PDF)
        if current is not None and current.fits(tex_source) and (
                source_date_epoch is not None or current.dated is None):
            return tex.with_fallbacks(current.finish(
                tex_source, engine=engine, source_date_epoch=source_date_epoch,
                resources=resources, keep_log=keep_log, timeout=timeout), cold)
        if current is not None:
            current.close()
        return cold({})  # compile_pdf runs the fallback pass itself

    def close(self) -> None:
        """Stop every engine and program the pool started, and wait for them."""
        with self._lock:
            self._closed = True
            engines, self._engines = list(self._engines.values()), {}
            engines, self._spares = engines + self._spares, []
            threads, self._starting = list(self._starting.values()), {}
            threads += self._spares_starting
            procs = list(self._procs)
        for proc in procs:
            proc.kill()
        for thread in threads:
            thread.join()
        for current in engines:
            current.close()
        with self._lock:  # what the threads started while the pool closed
            engines, self._engines = list(self._engines.values()), {}
            engines, self._spares = engines + self._spares, []
        for current in engines:
            current.close()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- hints: the previous build's preambles, so that `pdf` can start engines early

    @staticmethod
    def _hint_path(cv_path: Path, lang: str, only: Variant | None) -> Path:
        key = cache.Hasher("hint").add(str(cv_path.resolve()), lang, only).hexdigest()
        return cache.cache_root() / "hints" / f"{key}.json"

    def start_from_hint(self, cv_path: Path, lang: str, only: Variant | None, *,
                        engine: str = tex.ENGINE, source_date_epoch: int | None) -> None:
        """Start an engine per language of the previous build of this CV, in the
        background, with its preamble; a preamble built before gets its format now.
        A first build gets spare engines, one per language asked for (two for `all`:
        a CV has two languages, most often), no more than the cores."""
        try:
            hint = json.loads(self._hint_path(cv_path, lang, only).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            hint = None
        if not isinstance(hint, dict) or not hint:
            wanted = 2 if lang == "all" else len([x for x in lang.split(",") if x.strip()])
            self.start_spares(min(wanted, tex.engine_slots()), engine=engine,
                              source_date_epoch=source_date_epoch)
            return
        for code, preamble in list(hint.items())[:tex.engine_slots()]:  # no more than cores
            if isinstance(code, str) and isinstance(preamble, str):
                self.start_soon(code, preamble, engine=engine,
                                source_date_epoch=source_date_epoch, dump=True)

    def save_hint(self, cv_path: Path, lang: str, only: Variant | None,
                  documents: dict[str, str]) -> None:
        hint = {}
        for code, tex_source in documents.items():
            parts = split(tex_source)
            if parts is not None:
                hint[code] = parts.head + parts.middle + READY_MARK + "\n"
        path = self._hint_path(cv_path, lang, only)
        if not cache.usable():
            return
        try:  # a hint only saves time: a full disk never stops the build
            cache.private_dir(path.parent)
            cache.write_atomic(path, json.dumps(hint, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            cache.give_up(exc)


@contextmanager
def stopped_by_signals(pool: Pool | None) -> Iterator[None]:
    """Close `pool` however the block ends. In the main thread, SIGTERM and SIGHUP end
    the block as Ctrl-C does (KeyboardInterrupt), so that the pool is closed then too."""
    previous: dict[signal.Signals, Any] = {}
    if pool is not None and threading.current_thread() is threading.main_thread():
        def interrupt(_signum, _frame):
            raise KeyboardInterrupt

        for signum in (signal.SIGTERM, signal.SIGHUP):
            previous[signum] = signal.signal(signum, interrupt)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        if pool is not None:
            pool.close()
