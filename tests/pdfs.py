"""Test oracles that read a PDF back independently of `cvbuild check`: the document
information, the link targets, and which text values of a CV are missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

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
