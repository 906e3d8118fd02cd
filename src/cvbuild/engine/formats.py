"""Dumped preambles: what makes a compile start fast.

A theme marks its preamble with two comment lines:

    \\documentclass… \\usepackage…   packages only: no font selected yet
    %% cvbuild: dump
    \\setmainfont… \\setdefaultlanguage…   fonts and language: the same for every build
    %% cvbuild: ready
    \\hypersetup{…data…} \\begin{document} …

What comes before `dump` (the *head*) can be dumped into a custom format (`xelatex
-ini "&xelatex"`), kept in the cache folder under the hash of that text and the
engine's identity, and dumped again when any file it read (packages, the base format)
changed. XeTeX refuses to dump a format that holds a native font, which is why fonts
come after. Dumping costs about two compiles and saves about a third of each later
one, so a format is dumped only for a head that is used again (compiler.Pool); a
compile uses one when the cache has it. What comes before `ready` is what an engine
started early reads while cvbuild still prepares the rest (compiler.Engine).
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from isal import isal_zlib

from cvbuild import cache
from cvbuild.engine import tex

DUMP_MARK = "%% cvbuild: dump"
BASE_NAME = "cvbuild-base"  # the inflated base format's name in a run's folder
READY_MARK = "%% cvbuild: ready"
FORMAT_TIMEOUT_S = 120


@dataclass(frozen=True)
class Split:
    """A document cut at the marks: `head` goes into the format, `middle` (fonts and
    language) and `tail` (the CV) are read by the engine."""

    head: str
    middle: str
    tail: str


def split(tex_source: str) -> Split | None:
    """The document (tex.ENFORCED put first) cut at the marks; None when unmarked."""
    tex_source = tex.enforced(tex_source)
    d = tex_source.find(DUMP_MARK + "\n")
    r = tex_source.find(READY_MARK + "\n")
    if d < 0 or r < d:
        return None
    return Split(tex_source[:d], tex_source[d:r], tex_source[r:])


# What a format cannot hold: the material the head put on the page while it loaded
# (hyperref's and the backend's `\special{dvipdfmx:config C 0x0010}`, the PDF version,
# an initial colour) is not dumped. A marked document compiled without its format drops
# the same material at the same place (an output routine that ships nothing), so that
# both ways give the same PDF, byte for byte. It goes before the dump mark, on its line.
_AS_DUMPED = (r"\begingroup\output{\setbox0\box255}\hbox{}\penalty-10000\endgroup"
              r"\deadcycles=0 \prevdepth=-1000pt ")


def without_format(tex_source: str) -> str:
    """The document (tex.ENFORCED put first) as it is compiled without its format."""
    tex_source = tex.enforced(tex_source)
    if split(tex_source) is None:
        return tex_source
    return tex_source.replace(DUMP_MARK + "\n", _AS_DUMPED + DUMP_MARK + "\n", 1)


@dataclass(frozen=True)
class Base:
    """TeX's own format of the engine (xelatex.fmt), as the cache keeps it inflated."""

    path: Path  # the inflated copy in the cache folder
    source: str  # the format TeX Live made, which the copy follows


_base_lock = threading.Lock()


def base_source(exe: str) -> str | None:
    """Where TeX Live keeps the engine's own format (xelatex.fmt), or None."""
    try:
        return tex.locate(f"{Path(exe).name}.fmt")
    except (OSError, subprocess.SubprocessError):  # kpsewhich failed: the engine finds it
        return None


# an inflated format's first and last four bytes (TeX's format magic, and the
# number tex.web dumps last): a copy cut short or ended in zeros is made again
_FORMAT_ENDS = (b"W2TX", (69069).to_bytes(4, "big"))


def _whole(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(4)
            f.seek(-4, 2)
            return (head, f.read(4)) == _FORMAT_ENDS
    except OSError:
        return False


def base_format(exe: str) -> Base | None:
    """TeX's own format for the engine `exe`, kept inflated in the cache folder.

    TeX Live gzips its formats (xelatex.fmt: 8.8 MB, 33 MB inflated) and an engine
    inflates one piece by piece as it loads it: 0.2 s of CPU to reach the document,
    0.12 s from the inflated copy. Every compile that has no dumped preamble (a first
    build, a new theme or CV) and every dump starts from it. It is made once (ISA-L
    inflates it in 0.05 s, zlib in 0.1 s), and again when TeX Live's format changes or
    the copy's ends are not a format's; compiles record the source format among their
    inputs (`format_inputs`). None without a usable cache, when kpsewhich does not
    find the format or it cannot be inflated: the engine then loads TeX Live's own."""
    if not cache.usable():
        return None
    source = base_source(exe)
    if source is None:
        return None
    key = "base-" + cache.Hasher("base-format").add(exe, source).hexdigest()
    target = cache.cache_root() / "formats" / f"{key}.fmt"
    with _base_lock:  # the spares' thread and a compile may both ask
        entry = cache.get_entry("formats", key)
        if (entry is not None and entry.get("copy") == cache.file_signature(str(target))
                and _whole(target)):
            return Base(target, source)
        try:
            signature = cache.signatures([source])
            # wbits 47: a gzip or zlib header, read either way
            data = isal_zlib.decompress(Path(source).read_bytes(), 47)
        except (OSError, isal_zlib.error):  # type: ignore[misc]  # (a class; the stub says not)
            return None
        try:
            cache.private_dir(target.parent)
            cache.sweep_parts(target.parent)
            cache.write_atomic(target, data)
        except OSError as exc:  # a full disk: no more cache this build
            cache.give_up(exc)
            return None
        cache.put_entry("formats", key, {"inputs": signature,
                                         "copy": cache.file_signature(str(target))})
    return Base(target, source)


def format_key(head: str, exe: str) -> str:
    return cache.Hasher("format").add(head, cache.engine_identity(exe)).hexdigest()


def _paths(head: str, exe: str) -> tuple[str, Path]:
    key = format_key(head, exe)
    return key, cache.cache_root() / "formats" / f"{key}.fmt"


def cached_format(head: str, exe: str) -> Path | None:
    """The format holding `head`, when the cache has a good one; never dumps."""
    key, fmt = _paths(head, exe)
    entry = cache.get_entry("formats", key)
    return fmt if entry is not None and entry.get("ok") and fmt.exists() else None


_format_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def ensure_format(head: str, exe: str, *, track=None) -> Path | None:
    """The format holding `head`, from the cache or dumped now; None if the engine
    cannot dump it (then the document is compiled whole, which reports any error).
    `track` is told of the dumping process (tex.run), so that it can be stopped."""
    if not cache.usable():  # formats live in the cache: without one, compile whole
        return None
    key, fmt = _paths(head, exe)
    with _locks_guard:
        lock = _format_locks.setdefault(key, threading.Lock())
    with lock:
        entry = cache.get_entry("formats", key)
        if entry is not None:
            return fmt if entry.get("ok") and fmt.exists() else None
        cache.private_dir(fmt.parent)
        dumped = _dump(head, exe, fmt, track)
        if dumped is None:  # stopped (the command ends): nothing learnt about the head
            return None
        ok, inputs = dumped
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


def _dump(head: str, exe: str, target: Path, track) -> tuple[bool, list[str]] | None:
    """Dump the format: (whether it worked, the files it read); None when stopped."""
    with tempfile.TemporaryDirectory(prefix="cvbuild-fmt-") as tmp:
        work = Path(tmp)
        (work / "head.tex").write_text(_BEFORE_HEAD + head + _AFTER_HEAD, encoding="utf-8")
        base = base_format(exe)
        start = f"&{Path(exe).name}"
        if base is not None:  # the inflated copy, in the folder (kpathsea looks there first)
            start = f"&{tex.link_format(work, base.path, BASE_NAME)}"
        command = [exe, "-ini", "-jobname=cv", "-no-shell-escape", "-interaction=nonstopmode",
                   "-halt-on-error", "-recorder", start, "head.tex"]
        try:
            proc = tex.run(command, work, tex.engine_env(None, work), FORMAT_TIMEOUT_S,
                           track=track)
        except subprocess.TimeoutExpired:
            return False, []
        if proc.returncode < 0:  # killed by a signal: Pool.close, Ctrl-C
            return None
        inputs = tex.engine_inputs(work, "") + ([base.source] if base else [])
        built = work / "cv.fmt"
        if proc.returncode != 0 or not built.exists():
            return False, inputs
        # kept uncompressed: the engine writes a format gzipped and reads one either way
        # (zlib reads a file without gzip's header as it is), and inflating 33 MB was
        # half of what an engine did before the document (0.1 s of 0.17 s)
        cache.sweep_parts(target.parent)
        cache.write_atomic(target, isal_zlib.decompress(built.read_bytes(), 47))
        return True, inputs + [str(target)]


def format_inputs(tex_source: str, exe: str) -> list[str]:
    """The files the document's format depends on (for the build cache's records): its
    dumped preamble's, and TeX Live's format (an engine that loads the inflated copy
    does not record it)."""
    source = base_source(exe)
    found = [source] if source is not None else []
    parts = split(tex_source)
    if parts is None:
        return found
    entry = cache.get_entry("formats", format_key(parts.head, exe))
    return found + (list(entry["inputs"]) if entry and entry.get("ok") else [])
