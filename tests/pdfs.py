"""Test oracles that read a PDF back independently of `cvbuild check`: the document
information, the link targets, which text values of a CV are missing, and where each
line lies on its page."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from cvbuild.render.printed import text_values
from cvbuild.source.model import CV
from cvbuild.text.unicode import words
from cvbuild.verify.readback import _count, _haystack, _needle, _poppler


def pdf_info(pdf: Path) -> dict[str, str]:
    """The PDF's document information as pdfinfo prints it (Title, Author, Page size…)."""
    proc = subprocess.run(
        [_poppler("pdfinfo"), "-enc", "UTF-8", str(pdf)], capture_output=True, timeout=60
    )
    if proc.returncode != 0:
        raise ValueError(proc.stderr.decode("utf-8", "replace").strip() or "pdfinfo failed")
    info = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def pdf_links(pdf: Path) -> list[str]:
    """The targets of the PDF's link annotations (what a click opens), in page order."""
    proc = subprocess.run([_poppler("pdfinfo"), "-url", str(pdf)], capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.decode("utf-8", "replace").strip() or "pdfinfo failed")
    links = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        # "Page  Type  URL": page number, annotation type, then the URL
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] == "Annotation":
            links.append(parts[2].strip())
    return links


def missing_values(cv: CV, lang: str, text: str) -> list[tuple[str, str]]:
    """The text values whose words do not appear, in order and together, in `text`.
    Equal values must each appear: a value printed once stands for one of them, not
    for all (the later ones are missing)."""
    haystack = _haystack(text)
    wanted: dict[str, int] = {}
    missing = []
    for path, value in text_values(cv, lang):
        if not words(value):
            continue
        needle = _needle(value)
        n = wanted[needle] = wanted.get(needle, 0) + 1
        if (needle not in haystack) if n == 1 else (_count(haystack, needle) < n):
            missing.append((path, value))
    return missing


@dataclass(frozen=True)
class Line:
    """A line as pdftotext's layout analysis finds it: its page (from 1), its box in
    points from the page's top left, and its words joined by one space."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def pdf_lines(pdf: Path) -> list[Line]:
    """Every line of the PDF with its position (pdftotext -bbox-layout)."""
    proc = subprocess.run([_poppler("pdftotext"), "-bbox-layout", str(pdf), "-"],
                          capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.decode("utf-8", "replace").strip() or "pdftotext failed")
    root = ElementTree.fromstring(proc.stdout)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    lines = []
    for number, page in enumerate(root.iterfind(".//x:page", ns), 1):
        for line in page.iterfind(".//x:line", ns):
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            text = " ".join(w.text or "" for w in line.iterfind("x:word", ns))
            lines.append(Line(number, *box, text))
    return lines
