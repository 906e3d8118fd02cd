"""The certification entry kind, added as the base template's docs say an entry kind is
added: the model, the view (localize), one partial. Printed by every theme, read back
from the PDF, written by the exports."""

from __future__ import annotations

import json

import pytest
from conftest import PINNED_EPOCH

from cvbuild.interop.jsonresume import export_json, from_jsonresume
from cvbuild.interop.text import export_text
from cvbuild.pipeline.run import build
from cvbuild.source.load import load_cv
from cvbuild.verify.readback import pdf_text

CV = """\
languages: [ru, en]
header:
  name: {ru: Анна Смирнова, en: Anna Smirnova}
sections:
  - kind: certifications
    entries:
      - certification: Certified Kubernetes Administrator
        issuer: {ru: Linux Foundation, en: The Linux Foundation}
        date: 2023-05
        url: https://www.credly.com/badges/abc
      - certification: {ru: Сертификат по Python, en: Python certificate}
"""


@pytest.fixture
def cv(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text(CV, encoding="utf-8")
    return path


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_certification_in_the_tex(cv, theme):
    [ru, en] = build(cv, "all", cv.parent / theme, theme=theme, tex_only=True,
                     source_date_epoch=PINNED_EPOCH)
    tex = ru.tex.read_text(encoding="utf-8")
    assert r"\cvsection{Сертификаты}" in tex
    assert (r"\cvheadrow{\textbf{\href{https://www.credly.com/badges/abc}{Certified Kubernetes "
            r"Administrator}}, Linux Foundation}{\cvwhen{май 2023}}") in tex
    assert r"\textbf{Сертификат по~Python}" in tex
    assert r"\cvwhen{May 2023}" in en.tex.read_text(encoding="utf-8")


@pytest.mark.parametrize("theme", ["classic", "modern"])
def test_certification_reads_back_from_the_pdf(tex, cv, theme):
    [out] = build(cv, "en", cv.parent / theme, theme=theme, source_date_epoch=PINNED_EPOCH)
    text = pdf_text(out.pdf)
    for words in ("Certifications", "Certified Kubernetes Administrator, The Linux Foundation",
                  "May 2023", "Python certificate"):
        assert words in text, words


def test_certification_in_the_exports(cv):
    loaded = load_cv(cv)
    text = export_text(loaded, "en", "markdown")
    assert "### Certified Kubernetes Administrator" in text
    assert "The Linux Foundation" in text and "https://www.credly.com/badges/abc" in text
    doc = json.loads(export_json(loaded, "en")[0])  # checked against JSON Resume's schema
    assert doc["certificates"][0] == {
        "name": "Certified Kubernetes Administrator", "date": "2023-05",
        "issuer": "The Linux Foundation", "url": "https://www.credly.com/badges/abc",
    }
    back, notes = from_jsonresume(doc, "en", json_dir=cv.parent, out_dir=cv.parent)
    assert back["sections"][0]["entries"][0] == {
        "certification": "Certified Kubernetes Administrator", "issuer": "The Linux Foundation",
        "date": "2023-05", "url": "https://www.credly.com/badges/abc",
    }
    assert not [n for n in notes if "certificates" in str(n)]
