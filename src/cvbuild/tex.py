"""Running the TeX engine: a private temporary folder, no shell escape, paranoid
file access, a minimal environment, a timeout; the log's error becomes a CompileError."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cvbuild.errors import CompileError, ToolMissing

ENGINE = "xelatex"
TIMEOUT_S = 60
MAX_PDF_BYTES = 20_000_000


@dataclass
class Compiled:
    pdf: bytes
    log: str
    pages: int
    warnings: list[str] = field(default_factory=list)


def find_engine(engine: str = ENGINE) -> str:
    path = shutil.which(engine)
    if path is None:
        raise ToolMissing(
            f"{engine} is not installed, so no PDF can be made; "
            "run `cvbuild doctor` to see how to install TeX Live"
        )
    return path


def engine_env(source_date_epoch: int | None) -> dict[str, str]:
    """The engine's whole environment: nothing of the caller's but PATH and HOME."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        # kpathsea: no reading or writing outside the working folder, no dotfiles
        "openin_any": "p",
        "openout_any": "p",
        "shell_escape": "f",
        "TEXMFOUTPUT": "",
    }
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
        env["FORCE_SOURCE_DATE"] = "1"
    return env


_PAGES_RE = re.compile(r"Output written on .*?\((\d+) pages?")


def log_error(log: str) -> str:
    """The one or two lines of a TeX log that say what went wrong and where."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            msg = line[2:].strip()
            context = next(
                (lines[j].strip() for j in range(i + 1, min(i + 8, len(lines)))
                 if re.match(r"l\.\d+ ", lines[j])),
                "",
            )
            return f"{msg}\n  at {context}" if context else msg
    return "the engine stopped without saying why"


def compile_pdf(
    tex_source: str,
    *,
    engine: str = ENGINE,
    source_date_epoch: int | None = None,
    resources: dict[str, Path] | None = None,
    timeout: float = TIMEOUT_S,
    keep_log: Path | None = None,
) -> Compiled:
    """Compile a whole .tex document in a private folder; return the PDF's bytes.

    `resources` maps a file name in the build folder to a file to copy there (a photo)."""
    exe = find_engine(engine)
    with tempfile.TemporaryDirectory(prefix="cvbuild-") as tmp:
        work = Path(tmp)
        (work / "cv.tex").write_text(tex_source, encoding="utf-8")
        for name, src in (resources or {}).items():
            shutil.copyfile(src, work / name)
        cmd = [
            exe,
            "-no-shell-escape",
            "-interaction=nonstopmode",
            "-halt-on-error",
            "cv.tex",
        ]
        try:
            proc = subprocess.run(
                cmd, cwd=work, env=engine_env(source_date_epoch), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise CompileError(f"{engine} took longer than {timeout:.0f} s and was stopped") from None
        log_file = work / "cv.log"
        log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
        if keep_log is not None and log:
            keep_log.parent.mkdir(parents=True, exist_ok=True)
            keep_log.write_text(log, encoding="utf-8")
        pdf_file = work / "cv.pdf"
        if proc.returncode != 0 or not pdf_file.exists():
            raise CompileError(
                f"{engine} failed: {log_error(log)}", str(keep_log) if keep_log and log else None
            )
        if pdf_file.stat().st_size > MAX_PDF_BYTES:
            raise CompileError(f"the PDF is larger than {MAX_PDF_BYTES:,} bytes; refusing it")
        m = _PAGES_RE.search(log.replace("\n", ""))
        return Compiled(pdf=pdf_file.read_bytes(), log=log, pages=int(m.group(1)) if m else 0)
