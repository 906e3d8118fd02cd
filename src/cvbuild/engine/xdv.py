"""What a document asks of the PDF driver, checked before the driver runs.

xdvipdfmx reads any file a `\\special` names (`pdf:fstream`, `pdf:image`, `PSfile=`,
`html:<img>`…) by absolute or relative path, and does not honour kpathsea's
`openin_any`; `dvipdfmx:config` changes its options from inside the document; `ps:`
code may go to Ghostscript. So the engine writes an XDV file (`xelatex -no-pdf`), and
before xdvipdfmx runs, every special in it is read here and allowed only when it is on
a list of specials that read no file, or when the one file it reads is given by a
plain name, which the driver finds in the build folder (the photo and emoji cvbuild
put there) or in TeX's own trees (pdfx's colour profile). Anything else
stops the build. The XDV format is TeX's DVI with XeTeX's three opcodes (native font
definition, glyph runs with and without text); an opcode this reader does not know
stops the build too (fail closed).
"""

from __future__ import annotations

import re
from pathlib import Path

from cvbuild.errors import CompileError

# `pdf:` specials that read no file (dvipdfmx's spc_pdfm.c; aliases included)
_PDF_SAFE = {
    "annotation", "annotate", "annot", "ann", "beginann", "bannot", "bann", "startann",
    "endann", "eannot", "eann", "beginxobj", "bxobj", "endxobj", "exobj", "usexobj",
    "uxobj", "outline", "out", "article", "art", "bead", "thread", "destination", "dest",
    "object", "obj", "docinfo", "docview", "content", "put", "close", "bop", "eop",
    "link", "nolink", "begincolor", "bcolor", "bc", "setcolor", "scolor", "sc",
    "endcolor", "ecolor", "ec", "begingray", "bgray", "bg", "endgray", "egray", "eg",
    "bgcolor", "bgc", "bbc", "bbg", "pagesize", "literal", "stream", "bcontent",
    "econtent", "code", "btrans", "begintransform", "etrans", "endtransform", "bt", "et",
    "majorversion", "minorversion", "pageresources",
}
# `pdf:` specials that read one file: allowed for a plain name in the build folder
_PDF_FILE = {"image", "img", "epdf", "fstream"}
# other specials that read no file: colour, paper size, XeTeX's own `x:` set
_OTHER_SAFE = re.compile(
    r"(color|background)\s[^\n]*|papersize=[0-9A-Za-z.,\s]*|landscape\s*|"
    r"x:(textcolor|rulecolor|backgroundcolor|scale|bscale|escale|rotate|gsave|grestore|"
    r"initoverlay|clipoverlay)\b[^\n]*", re.IGNORECASE)
# a file's plain name, as XeTeX names a picture: `photo.png`, `./emoji-1f4da.pdf`
_PLAIN_NAME = re.compile(r"(\./)?[A-Za-z0-9][A-Za-z0-9._-]*")
# the driver options the graphics and colour drivers set (xetex.def: compatibility flags)
_CONFIG_SAFE = re.compile(r"dvipdfmx:config\s+C\s+(0x[0-9A-Fa-f]+|\d+)\s*")


# right1..4, w1..4, x1..4, down1..4, y1..4, z1..4 → the size of their argument
_MOVES = {first + size - 1: size for first in (143, 148, 153, 157, 162, 167)
          for size in (1, 2, 3, 4)}


def specials(xdv: bytes) -> list[str]:
    """The text of every special in an XDV (or DVI) file, in order."""
    found: list[str] = []
    pos = 0
    n = len(xdv)

    def take(count: int) -> bytes:
        nonlocal pos
        if pos + count > n:
            raise ValueError("the file ends inside an instruction")
        data = xdv[pos:pos + count]
        pos += count
        return data

    def unsigned(size: int) -> int:
        return int.from_bytes(take(size), "big")

    while pos < n:
        op = xdv[pos]
        pos += 1
        if op <= 127 or 171 <= op <= 234 or op in (138, 140, 141, 142, 147, 152, 161, 166):
            continue  # set_char, fnt_num, nop, eop, push, pop, w0, x0, y0, z0
        if 128 <= op <= 131 or 133 <= op <= 136:  # set/put a character code
            take(op - 127 if op <= 131 else op - 132)
        elif op in (132, 137):  # set_rule, put_rule
            take(8)
        elif op == 139:  # bop
            take(44)
        elif op in _MOVES:  # right, w, x, down, y, z with a 1- to 4-byte argument
            take(_MOVES[op])
        elif 235 <= op <= 238:  # fnt1..4
            take(op - 234)
        elif 239 <= op <= 242:  # xxx1..4: a special
            length = unsigned(op - 238)
            found.append(take(length).decode("latin-1"))
        elif 243 <= op <= 246:  # fnt_def1..4
            take(op - 242)
            take(12)
            area, name = take(2)  # the lengths of the font's area and name
            take(area + name)
        elif op == 247:  # pre
            take(13)
            take(unsigned(1))
        elif op == 248:  # post
            take(28)
        elif op == 249:  # post_post: the end
            break
        elif op == 252:  # XeTeX: native font definition
            take(8)  # font number, size
            flags = unsigned(2)
            take(unsigned(1))  # the font file's path
            take(4)  # face index
            take(4 * sum(1 for bit in (0x0200, 0x1000, 0x2000, 0x4000) if flags & bit))
        elif op == 253:  # XeTeX: glyphs
            take(4)
            count = unsigned(2)
            take(10 * count)
        elif op == 254:  # XeTeX: text and glyphs
            take(2 * unsigned(2))
            take(4)
            count = unsigned(2)
            take(10 * count)
        else:
            raise ValueError(f"opcode {op} at byte {pos - 1}")
    return found


def _first_string(text: str) -> str | None:
    """The first PDF string object in a special's arguments: (literal) or <hex>."""
    i = 0
    while i < len(text):
        c = text[i]
        if c == "(":
            return _literal(text, i + 1)
        if c == "<":
            if text.startswith("<<", i):
                i += 2
                continue
            end = text.find(">", i)
            if end < 0:
                return None
            digits = re.sub(r"\s", "", text[i + 1:end])
            digits += "0" * (len(digits) % 2)
            try:
                return bytes.fromhex(digits).decode("latin-1")
            except ValueError:
                return None
        if c == "%":  # a comment runs to the end of the line
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        i += 1
    return None


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def _literal(text: str, i: int) -> str | None:
    out, depth = [], 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 1
            if i >= len(text):
                return None
            c = text[i]
            octal = re.match(r"[0-7]{1,3}", text[i:])
            if octal is not None:
                digits = octal.group(0)
                out.append(chr(int(digits, 8) & 0xFF))
                i += len(digits)
                continue
            if c in "\r\n":  # a line continuation
                i += 2 if text[i:i + 2] == "\r\n" else 1
                continue
            out.append(_ESCAPES.get(c, c))
        elif c == "(":
            depth += 1
            out.append(c)
        elif c == ")":
            depth -= 1
            if depth == 0:
                return "".join(out)
            out.append(c)
        else:
            out.append(c)
        i += 1
    return None


def refusal(special: str, folder: Path) -> str | None:
    """Why the driver must not be given this special; None when it may."""
    text = special.lstrip()
    m = re.match(r"pdf:\s*([A-Za-z]+)", text, re.IGNORECASE)
    if m:
        keyword = m.group(1).lower()
        if keyword in _PDF_SAFE:
            return None
        if keyword in _PDF_FILE:
            # a plain name is found in the build folder or in TeX's own trees (pdfx's
            # sRGB.icc); a path (or a link cvbuild made) could lead anywhere
            name = _first_string(text[m.end():])
            if name is None or not _PLAIN_NAME.fullmatch(name) or (folder / name).is_symlink():
                return f"it reads the file {name!r}, which is not in the build folder"
            return None
        return f"`pdf:{keyword}` is not allowed"
    if _OTHER_SAFE.fullmatch(text) or _CONFIG_SAFE.fullmatch(text):
        return None
    return "the PDF driver is not allowed to act on it"


MAX_XDV_BYTES = 100_000_000


def check(xdv_file: Path, folder: Path) -> None:
    """Refuse (CompileError) an XDV file with a special the driver must not act on."""
    try:
        if xdv_file.stat().st_size > MAX_XDV_BYTES:
            raise ValueError(f"larger than {MAX_XDV_BYTES:,} bytes")
        found = specials(xdv_file.read_bytes())
    except (OSError, ValueError) as exc:
        raise CompileError(f"the engine's output could not be read ({exc})") from None
    for special in found:
        why = refusal(special, folder)
        if why is not None:
            shown = special if len(special) <= 80 else special[:77] + "..."
            raise CompileError(
                f"the document asks the PDF driver for `\\special{{{shown}}}`; {why}",
                hint="the sandbox: a document may read and write only files in its own "
                     "build folder (see SECURITY.md)",
            )
