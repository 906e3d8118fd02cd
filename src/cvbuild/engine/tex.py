"""Running the TeX engine: a private temporary folder, no shell escape, paranoid
file access, a minimal environment, a timeout; the log's error becomes a CompileError.
The engine writes an XDV file; the PDF driver runs on it as a program of its own, once
every special in it is allowed (xdv.py). Compiling a document: compiler.py.

Characters the fonts lack are never dropped unseen: XeTeX logs each one
("Missing character: There is no X (U+XXXX) in font F!"), `missing_characters`
reads those lines, and `with_fallbacks` compiles a second time with an installed
fallback font for the characters one covers (fonts.py; see SECURITY.md, README)."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cvbuild import cache
from cvbuild.engine import xdv
from cvbuild.engine.fonts import fallback_family, fallback_preamble
from cvbuild.errors import CompileError, ToolMissing

ENGINE = "xelatex"


def engine_slots() -> int:
    """How many engines may run at once: never more than the cores this process may use
    (40 languages once started 40 engines, about 7 GB)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity on this system
        return max(1, os.cpu_count() or 1)


TIMEOUT_S = 60
MAX_PDF_BYTES = 20_000_000


@dataclass(frozen=True)
class TexWarning:
    """A warning of the engine's that a reader of the PDF would care about.

    `kind` is "overfull" (a line sticks out into the margin by `points`) or
    "missing_char" (`char` is not in `font`, so the PDF lacks it). `lines` are the
    .tex lines TeX names (none for missing characters: XeTeX does not say)."""

    kind: str
    message: str
    lines: tuple[int, int] | None = None
    char: str | None = None
    font: str | None = None  # the first font that lacks `char`
    fonts: tuple[str, ...] = ()  # every font that lacks it
    points: float | None = None
    snippet: str = ""  # the text of the offending line as the log shows it
    off_paper: bool = False  # an overfull line that runs past the paper's edge: cut off


@dataclass
class Compiled:
    pdf: bytes
    log: str
    pages: int
    warnings: list[TexWarning] = field(default_factory=list)
    # absolute paths of every file the engine and the PDF driver read (packages, fonts)
    inputs: list[str] = field(default_factory=list)
    # character → fallback family it was printed in (second pass; fonts.py)
    fallbacks: dict[str, str] = field(default_factory=dict)


def find_engine(engine: str = ENGINE) -> str:
    path = shutil.which(engine)
    if path is None:
        raise ToolMissing(
            f"{engine} is not installed, so no PDF can be made; "
            "run `cvbuild doctor` to see how to install TeX Live"
        )
    return path


# kpathsea makes a missing font or format by running a script (mktextfm, mktexpk…):
# never from a document
_NO_SCRIPTS = {name: "0" for name in (
    "MKTEXTFM", "MKTEXPK", "MKTEXMF", "MKTEXTEX", "MKTEXFMT", "MKOCP", "MKOFM")}


def engine_env(source_date_epoch: int | None, folder: Path | None = None) -> dict[str, str]:
    """The whole environment of the engine and the PDF driver: nothing of the caller's
    but PATH and HOME. `folder`, the run's private folder, is also its TMPDIR."""
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
        **_NO_SCRIPTS,
        # one log line per message (no wrapping at 79 characters), so it can be parsed
        "max_print_line": "100000",
        "error_line": "254",
        "half_error_line": "238",
    }
    if folder is not None:
        env["TMPDIR"] = str(folder)
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
        env["FORCE_SOURCE_DATE"] = "1"
    return env


def _kpsewhich(names: list[str]) -> dict[str, str]:
    """Where the engine's kpathsea finds each of `names` that it finds (one call for
    all): as xelatex looks (its program name and engine, in its environment), but from
    an empty folder of its own: kpathsea looks in the current folder first, and a
    `xelatex.fmt` or `all-twemojis.pdf` beside cv.yaml is not TeX Live's (a format is
    code). Only absolute paths are taken."""
    exe = shutil.which("kpsewhich")
    if exe is None or not names:
        return {}
    with tempfile.TemporaryDirectory(prefix="cvbuild-kpse-") as empty:
        out = subprocess.run([exe, "-engine=xetex", f"-progname={ENGINE}", *names],
                             capture_output=True, text=True, timeout=30, cwd=empty,
                             env=engine_env(None, Path(empty))).stdout
    paths = {Path(line).name: line for line in out.splitlines()
             if line and os.path.isabs(line)}
    return {name: paths[name] for name in names if name in paths}


def locate(*names: str) -> str | None:
    """Where TeX Live keeps the files `names`: the first one's path, or None when any
    is missing; as kpsewhich found them last for this engine (kept in the cache while
    the files are there and the engine on PATH is the same), else kpsewhich asked anew
    (20 ms a call, one for all)."""
    engine = cache.engine_identity(ENGINE)
    keys = {name: cache.Hasher("kpse").add(name, engine).hexdigest() for name in names}
    paths: dict[str, str] = {}
    for name in names:
        found = cache.get_entry("kpse", keys[name])
        if found and Path(found["path"]).is_file():
            paths[name] = found["path"]
    for name, path in _kpsewhich([n for n in names if n not in paths]).items():
        cache.put_entry("kpse", keys[name], {"path": path, "inputs": {}})
        paths[name] = path
    return paths[names[0]] if all(n in paths for n in names) else None


_PAGES_RE = re.compile(r"Output written on .*?\((\d+) pages?")


_INPUT_LINE_RE = re.compile(r"^l\.(\d+) ?(.*)$")


# What to do about the errors a person can meet without having written any TeX.
_ERROR_HINTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"File `(/|\.\./|~)|can't write on file"),
     "the sandbox: a document may read and write only files in its own build folder "
     "(see SECURITY.md)"),
    (re.compile(r'The font "(.+?)" cannot be found'),
     "the font {0} is not installed; `cvbuild doctor` says how to install it"),
    (re.compile(r"File `(.+?)\.sty' not found"),
     "the LaTeX package {0} is not installed; `cvbuild doctor` says how to install it"),
    (re.compile(r"Undefined control sequence"),
     "the theme uses a command no package defines: check its spelling in the theme"),
]


def error_hint(message: str) -> str | None:
    """What to do about a TeX error, when it is one of the common ones."""
    for pattern, hint in _ERROR_HINTS:
        m = pattern.search(message)
        if m:
            return hint.format(*m.groups())
    return None


def log_error_at(log: str) -> tuple[str, int | None, str]:
    """The error of a TeX log: (message, .tex line or None, the input at that line)."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            msg = line[2:].strip()
            for j in range(i + 1, min(i + 12, len(lines))):
                m = _INPUT_LINE_RE.match(lines[j])
                if m:
                    return msg, int(m.group(1)), m.group(2)
            return msg, None, ""
    return "the engine stopped without saying why", None, ""


OVERFULL_MIN_PT = 3.0  # smaller overflows are invisible in print; TeX reports from 0.1pt
_OVERFULL_RE = re.compile(
    r"^Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\) .*?(?:lines? (\d+)(?:--(\d+))?)?$"
)
_MISSING_RE = re.compile(
    r"^Missing character: There is no (.+?) \(U\+([0-9A-F]{4,6})\) in font (.+?)!$"
)
_FONT_SWITCH_RE = re.compile(r"\\[A-Z]+/[^ ]+ ")
# written by tex.ENFORCED when the document starts: the paper's width and where the
# text block ends on it, so that an overfull line can be told to run off the paper
_PAPER_RE = re.compile(r"^cvbuild-paper: (\d+(?:\.\d+)?)pt (\d+(?:\.\d+)?)pt$")


def parse_warnings(log: str, overfull_min_pt: float = OVERFULL_MIN_PT) -> list[TexWarning]:
    """The warnings of a log that matter to a reader, once each, in order: lines
    overflowing the margin by more than `overfull_min_pt` and characters the font lacks.
    Needs a log written with long lines (engine_env sets max_print_line)."""
    found: list[TexWarning] = []
    seen: set[tuple] = set()
    fonts_of: dict[str, list[str]] = {}
    room = None  # the right margin, in pt, once the document has started
    lines = log.splitlines()
    for i, line in enumerate(lines):
        m = _PAPER_RE.match(line)
        if m:
            room = float(m.group(1)) - float(m.group(2))
            continue
        m = _OVERFULL_RE.match(line)
        if m:
            points = float(m.group(1))
            if points <= overfull_min_pt:
                continue
            span = (int(m.group(2)), int(m.group(3) or m.group(2))) if m.group(2) else None
            snippet = _snippet(lines[i + 1] if i + 1 < len(lines) else "")
            key = ("overfull", span, snippet)
            if key not in seen:
                seen.add(key)
                # (a line's box ends where the text block does; one that ends sooner, in
                # a narrower box, runs into whatever is beside it: broken as well)
                off_paper = room is not None and points > room
                over = points - (room or 0.0)
                message = (
                    f"a line runs {over:.1f} pt past the paper's right edge, where "
                    "it is cut off; shorten it, or give a long word or address a place to "
                    "break (a space)" if off_paper else
                    f"a line sticks out {points:.1f} pt into the right margin; shorten it, "
                    "or give a long word or address a place to break")
                found.append(TexWarning("overfull", message, lines=span, points=points,
                                        snippet=snippet, off_paper=off_paper))
            continue
        m = _MISSING_RE.match(line)
        if m:
            char, font = m.group(1), m.group(3).split("/")[0].strip()
            if char not in fonts_of:
                fonts_of[char] = []
                found.append(TexWarning("missing_char", "", char=char))  # filled in below
            if font not in fonts_of[char]:
                fonts_of[char].append(font)
    # one warning a character, naming every font that lacks it
    return [_missing_char(w.char, fonts_of[w.char]) if w.kind == "missing_char" and w.char else w
            for w in found]


def missing_characters(log: str) -> dict[str, list[str]]:
    """XeTeX's "Missing character: There is no X (U+XXXX) in font F!" log lines
    (written at \\tracinglostchars >= 1) → {character: [font, ...]}, in log order."""
    found: dict[str, list[str]] = {}
    for line in log.splitlines():
        m = _MISSING_RE.match(line)
        if m:
            fonts = found.setdefault(chr(int(m.group(2), 16)), [])
            font = m.group(3).split("/")[0].strip()
            if font not in fonts:
                fonts.append(font)
    return found


def _missing_char(char: str, fonts: list[str]) -> TexWarning:
    named = f"the fonts {', '.join(fonts)} have" if len(fonts) > 1 else f"the font {fonts[0]} has"
    return TexWarning(
        "missing_char",
        f"{named} no {char} (U+{ord(char):04X}), so the PDF leaves it out; "
        "replace it or remove it",
        char=char, font=fonts[0], fonts=tuple(fonts),
    )


def _snippet(line: str) -> str:
    """The text of an overfull line as the log shows it, font switches and [] removed."""
    text = _FONT_SWITCH_RE.sub("", line).replace("[]", " ")
    return " ".join(text.split())


# Where xdvipdfmx (with -vv) names a font file it embeds: `Type0 font "/path/x.ttf"`.
# The cache keys on these files, so a changed font rebuilds the PDF.
_FONT_FILE_RE = re.compile(r'font "(/[^"]+)"')
# The PDF driver, asked to name the font files it embeds (on stderr); -E as xetex's
# default. cvbuild runs it itself on the engine's XDV file, after xdv.check: XeTeX's
# -output-driver would start it through a shell.
DRIVER = "xdvipdfmx"
DRIVER_ARGS = ("-vv", "-E")
# The name a dumped format has in the run's folder (see use_format)
FORMAT_NAME = "cvbuild"


def engine_command(exe: str, *extra: str, interaction: str = "nonstopmode") -> list[str]:
    """The engine's command line: no shell escape, stop at the first error, record
    inputs, write an XDV file for the driver (no PDF: see run_driver)."""
    return [
        exe,
        "-no-shell-escape",
        f"-interaction={interaction}",
        "-halt-on-error",
        "-recorder",
        "-no-pdf",
        *extra,
    ]


def use_format(work: Path, fmt: Path | None) -> list[str]:
    """The engine arguments that load a format from the cache (a dumped preamble, or
    the inflated base format): linked into the run's folder under a fixed name, because
    the engine writes its recorder file beside a format given by path (a write outside
    its folder)."""
    if fmt is None:
        return []
    # a format loaded by name names kpathsea's program too: keep the engine's, so that
    # packages and font maps are looked for where xelatex looks (TEXINPUTS.xelatex)
    return [f"-progname={ENGINE}", f"-fmt={link_format(work, fmt, FORMAT_NAME)}"]


def link_format(work: Path, fmt: Path, name: str) -> str:
    """`fmt` put into the run's folder as `name`.fmt; `name`."""
    link = work / f"{name}.fmt"
    try:
        link.symlink_to(fmt)
    except OSError:  # a file system without symbolic links
        shutil.copyfile(fmt, link)
    return name


def wait(proc: subprocess.Popen, timeout: float) -> int:
    """`proc.wait(timeout)`, returning as soon as the process ends: Popen.wait with a
    timeout looks at the process every 50 ms at most, so an engine that had finished
    waited up to that long for its PDF driver. A pidfd (Linux) is told at once."""
    if proc.returncode is not None:  # reaped: its number may be another process's now
        return proc.returncode
    try:
        fd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):  # not Linux, or the process was reaped already
        return proc.wait(timeout=timeout)
    try:
        poller = select.poll()  # (select.select refuses a descriptor above 1023)
        poller.register(fd, select.POLLIN)
        ready = poller.poll(timeout * 1000)
    finally:
        os.close(fd)
    if not ready:
        raise subprocess.TimeoutExpired(proc.args, timeout)
    return proc.wait()


def run(command: list[str], work: Path, env: dict[str, str], timeout: float, *,
        stdin=subprocess.DEVNULL, track=None) -> subprocess.CompletedProcess:
    """Run one program of the engine in `work` and wait for it; a timeout stops it
    (TimeoutExpired), and so does any exception while waiting (Ctrl-C). `track`,
    when given, is told of the process when it starts and when it is over."""
    with subprocess.Popen(command, cwd=work, env=env, stdin=stdin,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
        if track is not None:
            track(proc, True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            if track is not None:
                track(proc, False)
    return subprocess.CompletedProcess(command, proc.returncode, b"", err)


def find_driver() -> str:
    path = shutil.which(DRIVER)
    if path is None:
        raise ToolMissing(
            f"{DRIVER} (TeX Live's PDF driver) is not installed, so no PDF can be made; "
            "run `cvbuild doctor` to see how to install TeX Live"
        )
    return path


def run_driver(work: Path, *, source_date_epoch: int | None, timeout: float,
               jobname: str = "cv", track=None) -> str:
    """Turn the engine's XDV file into the PDF once xdv.check allows every special in
    it; the driver's messages (they name the font files it embedded)."""
    xdv_file = work / f"{jobname}.xdv"
    xdv.check(xdv_file, work)
    # the XDV on standard input, as XeTeX gives it: the PDF's /ID hashes the input's
    # name, and the same PDF comes out byte for byte
    with xdv_file.open("rb") as stdin:
        try:
            proc = run([find_driver(), *DRIVER_ARGS, "-o", f"{jobname}.pdf"], work,
                       engine_env(source_date_epoch, work), timeout, stdin=stdin, track=track)
        except subprocess.TimeoutExpired:
            raise CompileError(
                f"the PDF driver took longer than {timeout:.0f} s and was stopped") from None
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        last = next((line for line in reversed(err.splitlines()) if line.strip()), "")
        raise CompileError(f"the PDF driver (xdvipdfmx) failed: {last.strip()}")
    return err


def prepare_workdir(work: Path, resources: dict[str, Path] | None) -> None:
    for name, src in (resources or {}).items():
        shutil.copyfile(src, work / name)


def engine_inputs(work: Path, driver_stderr: str, jobname: str = "cv") -> list[str]:
    """Every file outside the build folder that the engine or the PDF driver read:
    packages and formats from the recorder (.fls), font files from the driver."""
    found: set[str] = set()
    fls = work / f"{jobname}.fls"
    if fls.exists():
        for line in fls.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("INPUT /"):
                found.add(line[6:])
    found.update(_FONT_FILE_RE.findall(driver_stderr))
    work_s = str(work)
    return sorted(p for p in found if not p.startswith(work_s))


def collect(
    work: Path, returncode: int, *, engine: str, keep_log: Path | None,
    source_date_epoch: int | None, timeout: float = TIMEOUT_S, jobname: str = "cv",
    track=None,
) -> Compiled:
    """Read what a finished engine run left in its folder, run the PDF driver on it
    and read the PDF; a failure becomes CompileError."""
    log_file = work / f"{jobname}.log"
    log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
    if returncode != 0 or not (work / f"{jobname}.xdv").exists():
        # the log of a failure is kept for the reader; a good one is the caller's to
        # write, beside its PDF (build.py: a build stopped later leaves no log of a PDF
        # that was never written)
        if keep_log is not None and log:
            try:  # by rename: a symlink in its place is replaced, never followed
                cache.write_atomic(keep_log, log.encode("utf-8"), shared=True)
            except OSError:  # an output folder that takes no file: the error still says why
                keep_log = None
        message, line, context = log_error_at(log)
        raise CompileError(
            f"{engine} failed: {message}",
            str(keep_log) if keep_log and log else None,
            tex_line=line,
            tex_context=context.strip(),
            hint=error_hint(message),
        )
    stderr = run_driver(work, source_date_epoch=source_date_epoch, timeout=timeout,
                        jobname=jobname, track=track)
    pdf_file = work / f"{jobname}.pdf"
    if not pdf_file.is_file():
        raise CompileError("the PDF driver (xdvipdfmx) wrote no PDF")
    if pdf_file.stat().st_size > MAX_PDF_BYTES:
        raise CompileError(f"the PDF is larger than {MAX_PDF_BYTES:,} bytes; refusing it")
    m = _PAGES_RE.search(log.replace("\n", ""))
    return Compiled(
        pdf=pdf_file.read_bytes(), log=log, pages=int(m.group(1)) if m else 0,
        warnings=parse_warnings(log), inputs=engine_inputs(work, stderr, jobname),
    )


# Put before line 1 of every document (no newline, so the engine's line numbers stay
# those of the .tex written into build/): what a theme cannot forget.
# \tracinglostchars=2 logs every character a font lacks (LaTeX's default, enforced
# again after the preamble); the fallback file exists only on a second pass.
# \XeTeXgenerateactualtext=1 stores the typed text beside the glyphs (/ActualText),
# so a reader gets what was typed even where a font's glyph stands for several code
# points or none: PT Serif's one Delta glyph read back as U+2206 for a typed Greek
# U+0394, and its private-use glyph for a capital Cyrillic letter with a combining
# accent (Д́) as U+F401.
# "cvbuild-paper: W R" in the log gives the paper's width and the text block's right
# edge: parse_warnings tells a line that runs off the paper (cut off) from one that
# only sticks out into the margin.
# \cvreadas{hex}{text}{material}: `material` (an emoji's picture, see latex.escape)
# reads back as the UTF-16 `hex`: a reader honours /ActualText only over glyphs, so
# `text` is set under it: invisible (text render mode 3), taking no room, scaled (Tz) to
# the picture's width (a narrower one read back with a space after it: "ℹ️ nfo"), and
# with no /ActualText of its own (the innermost one wins). A reader that ignores
# /ActualText gets `text`. The span ends inside the q…Q, where the text's font is set:
# ended after Q at the top of a page, where no font was set yet, poppler placed it
# nowhere ("6️⃣å" read back as "6️⃣" and, lines away, "å").
FALLBACK_FILE = "cvbuild-fallback.tex"
ENFORCED = (
    r"\AddToHook{begindocument/before}{\InputIfFileExists{" + FALLBACK_FILE + r"}{}{}}"
    r"\AddToHook{begindocument/end}{\tracinglostchars=2\relax\XeTeXgenerateactualtext=1\relax"
    r"\typeout{cvbuild-paper: \the\paperwidth\space"
    r"\the\dimexpr1in+\hoffset+\oddsidemargin+\textwidth\relax}}"
    r"\protected\def\cvreadas#1#2#3{\leavevmode\begingroup\XeTeXgenerateactualtext=0 "
    r"\setbox0\hbox{#3}\setbox2\hbox{#2}"
    r"\rlap{\special{pdf:literal direct q 3 Tr \the\numexpr100*\wd0/(\wd2+1)\relax\space Tz"
    r" /Span<</ActualText<#1>>>BDC}\box2\special{pdf:literal direct EMC Q}}\box0\endgroup}"
)


def enforced(tex_source: str) -> str:
    """The document as the engine must see it: ENFORCED put before its first line."""
    return tex_source if tex_source.startswith(ENFORCED) else ENFORCED + tex_source


def with_fallbacks(compiled: Compiled, compile_again) -> Compiled:
    """When the log names characters the fonts lack and an installed fallback font has
    some of them, compile once more with FALLBACK_FILE, which prints those in it.
    `compile_again(extra_resources)` compiles the same document cold."""
    missing = missing_characters(compiled.log)
    if not missing:
        return compiled
    fallbacks = {ch: fam for ch in missing if (fam := fallback_family(ch)) is not None}
    if not fallbacks:
        return compiled
    with tempfile.TemporaryDirectory(prefix="cvbuild-fallback-") as tmp:
        path = Path(tmp) / FALLBACK_FILE
        path.write_text(fallback_preamble(fallbacks), encoding="utf-8")
        again = compile_again({FALLBACK_FILE: path})
    again.fallbacks = fallbacks
    again.inputs = sorted(set(again.inputs) - {str(path)})
    return again
