"""`cvbuild watch`: rebuild on every save, one status line each time.

Between saves an engine per language waits with the preamble already read
(compiler.Pool), so a save costs only the page that changed; a language whose .tex did
not change is taken from the cache. Errors in cv.yaml while typing are reported on the
status line and the last good PDFs stay in place.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild.engine.compiler import Pool, stopped_by_signals
from cvbuild.engine.tex import ENGINE
from cvbuild.errors import CvbuildError, InputError
from cvbuild.pipeline.run import Output, build

if TYPE_CHECKING:
    from cvbuild.source.model import Variant

# watchfiles yields once nothing changed for `step` ms; editors write a file in one go
STEP_MS = 20


def status(outputs: list[Output], seconds: float) -> str:
    parts = [
        f"{o.lang} unchanged" if o.cached else f"{o.lang} {o.seconds:.2f} s" for o in outputs
    ]
    where = outputs[0].pdf.parent if outputs else ""
    return f"{time.strftime('%H:%M:%S')}  {' · '.join(parts)}  ({seconds:.2f} s, PDFs in {where}/)"


def error_status(exc: CvbuildError) -> str:
    if isinstance(exc, InputError) and exc.problems:
        more = len(exc.problems) - 1
        text = str(exc.problems[0]) + (f" (+{more} more)" if more else "")
    else:
        text = str(exc).splitlines()[0]
    return f"{time.strftime('%H:%M:%S')}  error: {text}; the last good PDFs stay"


def watch(
    cv_path: Path, lang: str = "all", output_dir: Path = Path("build"), *,
    only: Variant | None = None, echo: Callable[[str], None] = print,
    source_date_epoch: int | None = None, stop_event: threading.Event | None = None,
) -> None:
    """Build now, then again on every change of cv.yaml or a theme beside it; runs
    until interrupted (or until `stop_event` is set)."""
    from watchfiles import watch as watch_files

    cv_path = Path(cv_path)
    cv_file = cv_path.resolve()
    themes = cv_file.parent / "themes"
    pool = Pool()

    def once() -> None:
        started = time.perf_counter()
        try:
            outputs = build(cv_path, lang, output_dir, only=only, pool=pool,
                            source_date_epoch=source_date_epoch)
        except CvbuildError as exc:
            echo(error_status(exc))
            return
        echo(status(outputs, time.perf_counter() - started))
        # the next save finds an engine waiting with this preamble, from its format
        # (dumped now if need be: a watched preamble is used again); the date, which
        # follows cv.yaml, goes in with the body
        for out in outputs:
            try:
                pool.start(out.lang, out.tex.read_text(encoding="utf-8"), engine=ENGINE,
                           source_date_epoch=source_date_epoch, dump=True)
            except (CvbuildError, OSError):
                pass

    def relevant(_change, path: str) -> bool:
        p = Path(path)
        return p == cv_file or themes in p.parents

    def signature() -> tuple | None:
        try:
            st = cv_file.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    # the engines are stopped however watching ends: Ctrl-C, SIGTERM, SIGHUP, an error
    with stopped_by_signals(pool):
        before = signature()
        once()
        if signature() != before:  # saved while the first build ran, before watching
            once()
        for _changes in watch_files(
            cv_file.parent, watch_filter=relevant, step=STEP_MS, recursive=themes.is_dir(),
            raise_interrupt=False, stop_event=stop_event,
        ):
            once()
