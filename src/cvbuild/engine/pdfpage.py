"""One page of a PDF as a PDF of its own, read straight through the file's
cross-reference table.

poppler's pdfseparate walks the page tree up to the page it cuts: 0.04 s of CPU for
one of the last of the 3,689 pages of all-twemojis.pdf, and a first build cuts each
emoji it draws (pypdf and qpdf read the whole table or tree first, and are slower
still). Here the page's entry is found by its number in the table, and only the
objects the page uses are read and copied, renumbered. Only a file shaped as that
artwork is (cairo's output) is read: one classic cross-reference table, pages that
are all kids of the root's page node and carry their own resources and media box,
no object streams, no strings in the copied dictionaries. Any other shape, or
anything unexpected on the way, gives None, and the caller cuts with pdfseparate.
"""

from __future__ import annotations

import re

_REF = re.compile(rb"(\d+)\s+(\d+)\s+R\b")
_OBJ = re.compile(rb"\s*(\d+) (\d+) obj\s*")
_PARENT = re.compile(rb"/Parent\s+\d+\s+\d+\s+R\b")


class _Shape(Exception):
    """The file is not shaped as this reader expects."""


def cut_page(pdf: bytes, number: int) -> bytes | None:
    """Page `number` (from 1) of `pdf` as a one-page PDF; None when the file is not
    of the shape read here (see the module's note)."""
    try:
        return _Reader(pdf).cut(number)
    except (_Shape, ValueError, IndexError, KeyError):
        return None


class _Reader:
    def __init__(self, pdf: bytes):
        self.pdf = pdf
        at = pdf.rfind(b"startxref", max(0, len(pdf) - 1024))
        if at < 0:
            raise _Shape
        pos = int(pdf[at + 9:at + 40].split()[0])
        if pdf[pos:pos + 4] != b"xref":
            raise _Shape  # a cross-reference stream
        pos += 4
        self.sections: list[tuple[int, int, int]] = []  # first number, count, offset
        while True:
            line = re.match(rb"\s*(\d+) (\d+)[ \t]*\r?\n", pdf[pos:pos + 40])
            if line is None:
                break
            first, count = int(line.group(1)), int(line.group(2))
            start = pos + line.end()
            self.sections.append((first, count, start))
            pos = start + 20 * count
        trailer = pdf[pos:at]
        if not trailer.lstrip().startswith(b"trailer") or b"/Prev" in trailer \
                or b"/XRefStm" in trailer:
            raise _Shape  # updated incrementally: objects may be in other tables
        root = re.search(rb"/Root\s+(\d+) \d+ R", trailer)
        if root is None:
            raise _Shape
        self.root = int(root.group(1))

    def _offset(self, number: int) -> int:
        for first, count, start in self.sections:
            if first <= number < first + count:
                at = start + 20 * (number - first)
                entry = self.pdf[at:at + 20]
                if entry[17:18] != b"n":
                    raise _Shape  # a free object
                return int(entry[:10])
        raise _Shape

    def object(self, number: int) -> tuple[bytes, bytes | None]:
        """Object `number`: its value (a dictionary's text, or any other value) and its
        stream's bytes, if it has one."""
        pdf = self.pdf
        pos = self._start(number)
        if pdf.startswith(b"<<", pos):
            end = self._dictionary_end(pos)
        else:
            end = pdf.index(b"endobj", pos)
            value = pdf[pos:end].strip()
            if not re.fullmatch(rb"[\d\s.+\-R\[\]/A-Za-z]*", value):
                raise _Shape
            return value, None
        value = pdf[pos:end]
        rest = re.match(rb"\s*(stream\r?\n|endobj)", pdf[end:end + 20])
        if rest is None:
            raise _Shape
        if rest.group(1) == b"endobj":
            return value, None
        start = end + rest.end()
        length = re.search(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?", value)
        if length is None:
            raise _Shape
        size = (self._number(int(length.group(1))) if length.group(2) is not None
                else int(length.group(1)))
        if not re.match(rb"\s*endstream", pdf[start + size:start + size + 20]):
            raise _Shape
        return value, pdf[start:start + size]

    def _start(self, number: int) -> int:
        """Where object `number`'s value begins, after its `N G obj`."""
        head = _OBJ.match(self.pdf, self._offset(number))
        if head is None or int(head.group(1)) != number:
            raise _Shape
        return head.end()

    def _number(self, number: int) -> int:
        """Object `number`, which must be a plain integer (a stream's length)."""
        start = self._start(number)
        value = self.pdf[start:self.pdf.index(b"endobj", start)].strip()
        if not value.isdigit():
            raise _Shape
        return int(value)

    def _dictionary_end(self, pos: int) -> int:
        """Where the dictionary opened at `pos` closes; strings are not read here."""
        depth = 0
        for token in re.finditer(rb"<<|>>|[<(]", self.pdf[pos:pos + 100_000]):
            if token.group() == b"<<":
                depth += 1
            elif token.group() == b">>":
                depth -= 1
                if depth == 0:
                    return pos + token.end()
            else:
                raise _Shape  # a string: its bytes could read as anything
        raise _Shape

    def cut(self, number: int) -> bytes:
        catalog, _ = self.object(self.root)
        pages_ref = re.search(rb"/Pages\s+(\d+) \d+ R", catalog)
        if pages_ref is None:
            raise _Shape
        pages, _ = self.object(int(pages_ref.group(1)))
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", pages)
        count = re.search(rb"/Count\s+(\d+)", pages)
        if kids is None or count is None:
            raise _Shape
        if set(re.findall(rb"/(\w+)", pages.replace(kids.group(0), b""))) - {
                b"Type", b"Pages", b"Count"}:
            raise _Shape  # the node gives its pages something (a box, a rotation)
        refs = [int(n) for n, _ in _REF.findall(kids.group(1))]
        if int(count.group(1)) != len(refs) or not 1 <= number <= len(refs):
            raise _Shape  # a tree of several levels
        page, _ = self.object(refs[number - 1])
        if not re.search(rb"/Type\s*/Page\b(?!s)", page) or b"/Resources" not in page \
                or b"/MediaBox" not in page:
            raise _Shape  # it inherits from its parent
        page = _PARENT.sub(b"", page)
        # the page and every object it reaches, numbered from 3 in the order found
        order, seen, objects = [refs[number - 1]], {refs[number - 1]}, {}
        for old in order:
            value, stream = (page, None) if old == refs[number - 1] else self.object(old)
            objects[old] = (value, stream)
            for ref, _ in _REF.findall(value):
                if int(ref) not in seen:
                    seen.add(int(ref))
                    order.append(int(ref))
        new = {old: i + 3 for i, old in enumerate(order)}

        def renumbered(value: bytes) -> bytes:
            return _REF.sub(lambda m: b"%d 0 R" % new[int(m.group(1))], value)

        header = self.pdf[:self.pdf.index(b"\n") + 1]
        if not header.startswith(b"%PDF-"):
            raise _Shape
        out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
        offsets = []
        bodies = [b"<< /Type /Catalog /Pages 2 0 R >>",
                  b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
        for i, body in enumerate(bodies, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
        for old in order:
            value, stream = objects[old]
            value = renumbered(value)
            if old == refs[number - 1]:
                value = value[:-2].rstrip() + b" /Parent 2 0 R >>"
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\n" % (new[old], value)
            if stream is not None:
                out += b"stream\n" + stream + b"\nendstream\n"
            out += b"endobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(offsets) + 1, xref)
        return bytes(out)
