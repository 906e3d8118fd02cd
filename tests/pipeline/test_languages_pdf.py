"""Every language of the built-in table, built with the real engine beside English and
read back from the PDF: months, present, plurals, section titles, quotes, the title in
the metadata and the document's language, as that language writes them. One build (two
PDFs) per language; the English PDF is the same each time and comes from the cache."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from cvbuild.pipeline.run import build
from cvbuild.text.locales import LANGUAGES

# 2021-12-01: the end of a job that goes on, so that durations do not move with the clock
EPOCH = 1638316800

# language: (position, a sentence with a quoted word, expected: the range of the first
# job with its duration, the start of the second and "present", section titles,
# the quoted word with its quotes, the CV word in the title, /Lang)
CASES: dict[str, dict] = {
    "ru": dict(position="Разработчик", sentence='Писал "быстрый" код', quoted="«быстрый»",
               first="январь 2019 — май 2021 · 2 года 5 месяцев",
               second="сентябрь 2021 — настоящее время · 4 месяца",
               titles=("Опыт работы", "Навыки"), cv="резюме", lang="ru-RU", poly="russian"),
    "uk": dict(position="Розробник", sentence='Писав "швидкий" код', quoted="«швидкий»",
               first="січень 2019 — травень 2021 · 2 роки 5 місяців",
               second="вересень 2021 — дотепер · 4 місяці",
               titles=("Досвід роботи", "Навички"), cv="резюме", lang="uk-UA", poly="ukrainian"),
    "bg": dict(position="Разработчик", sentence='Писах "бърз" код', quoted="„бърз“",
               first="януари 2019 — май 2021 · 2 години 5 месеца",
               second="септември 2021 — до момента · 4 месеца",
               titles=("Професионален опит", "Умения"), cv="автобиография", lang="bg-BG",
               poly="bulgarian"),
    "de": dict(position="Entwickler", sentence='Schrieb "schnellen" Code', quoted="„schnellen“",
               first="Januar 2019 – Mai 2021 · 2 Jahre 5 Monate",
               second="September 2021 – heute · 4 Monate",
               titles=("Berufserfahrung", "Kenntnisse"), cv="Lebenslauf", lang="de-DE",
               poly="german"),
    "fr": dict(position="Développeur", sentence='Écrit du code "rapide"', quoted="« rapide »",
               first="janvier 2019 – mai 2021 · 2 ans 5 mois",
               second="septembre 2021 – aujourd’hui · 4 mois",
               titles=("Expérience professionnelle", "Compétences"), cv="CV", lang="fr-FR",
               poly="[autospacing=false]{french}"),
    "es": dict(position="Desarrollador", sentence='Escribí código "rápido"', quoted="«rápido»",
               first="enero de 2019 – mayo de 2021 · 2 años 5 meses",
               second="septiembre de 2021 – actualidad · 4 meses",
               titles=("Experiencia profesional", "Habilidades"), cv="currículum", lang="es-ES",
               poly="spanish"),
    "it": dict(position="Sviluppatore", sentence='Ho scritto codice "veloce"', quoted="«veloce»",
               first="gennaio 2019 – maggio 2021 · 2 anni 5 mesi",
               second="settembre 2021 – oggi · 4 mesi",
               titles=("Esperienza professionale", "Competenze"), cv="curriculum vitae",
               lang="it-IT", poly="italian"),
    "pt": dict(position="Desenvolvedor", sentence='Escrevi código "rápido"', quoted="“rápido”",
               first="janeiro de 2019 – maio de 2021 · 2 anos 5 meses",
               second="setembro de 2021 – atual · 4 meses",
               titles=("Experiência profissional", "Habilidades"), cv="currículo", lang="pt-BR",
               poly="portuguese"),
    "pl": dict(position="Programista", sentence='Pisałem "szybki" kod', quoted="„szybki”",
               first="styczeń 2019 – maj 2021 · 2 lata 5 miesięcy",
               second="wrzesień 2021 – obecnie · 4 miesiące",
               titles=("Doświadczenie zawodowe", "Umiejętności"), cv="CV", lang="pl-PL",
               poly="polish"),
    "cs": dict(position="Vývojář", sentence='Psal jsem "rychlý" kód', quoted="„rychlý“",
               first="leden 2019 – květen 2021 · 2 roky 5 měsíců",
               second="září 2021 – současnost · 4 měsíce",
               titles=("Pracovní zkušenosti", "Dovednosti"), cv="životopis", lang="cs-CZ",
               poly="czech"),
    "nl": dict(position="Ontwikkelaar", sentence='Schreef "snelle" code', quoted="“snelle”",
               first="januari 2019 – mei 2021 · 2 jaar 5 maanden",
               second="september 2021 – heden · 4 maanden",
               titles=("Werkervaring", "Vaardigheden"), cv="cv", lang="nl-NL", poly="dutch"),
}

ENGLISH = dict(first="Jan 2019 – May 2021 · 2 years 5 months",
               second="Sep 2021 – Present · 4 months", titles=("Experience", "Skills"),
               quoted="“fast”")

CV = """\
languages: [{lang}, en]
header:
  name: {{same: Anna Novak}}
sections:
  - kind: experience
    entries:
      - company: {{same: ACME}}
        position: {{{lang}: {position}, en: Developer}}
        start: 2019-01
        end: 2021-05
        summary: {{{lang}: '{sentence}', en: 'Wrote "fast" code'}}
      - company: {{same: Initech}}
        position: {{{lang}: {position}, en: Developer}}
        start: 2021-09
        end: present
  - kind: skills
    entries:
      - skills: [Python, Go]
        label: {{same: Code}}
options: {{show_durations: true}}
{extra}"""


def test_every_language_of_the_table_is_tested():
    assert set(CASES) | {"en"} == set(LANGUAGES)


def _text(pdf: Path) -> str:
    """The page's text with every run of white space (no-break and thin spaces
    included) as one space."""
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def _built(tmp_path: Path, lang: str, extra: str = "", **case) -> dict[str, Path]:
    cv = tmp_path / "cv.yaml"
    cv.write_text(CV.format(lang=lang, extra=extra, **case), encoding="utf-8")
    outputs = build(cv, "all", tmp_path / "out", source_date_epoch=EPOCH)
    assert all(not o.warnings for o in outputs), [str(w) for o in outputs for w in o.warnings]
    return {o.lang: o.pdf for o in outputs}


def _reads_as(pdf: Path, title: str, bcp47: str, case: dict) -> None:
    text = _text(pdf)
    for key in ("first", "second", "quoted"):
        assert case[key] in text, (key, case[key], text)
    for section in case["titles"]:
        assert f" {section} " in f" {text} ", (section, text)
    reader = PdfReader(pdf)
    assert reader.metadata["/Title"] == title
    assert reader.trailer["/Root"]["/Lang"] == bcp47


@pytest.mark.parametrize("lang", sorted(CASES))
def test_a_cv_in_each_language_reads_back_as_that_language_writes(lang, tmp_path, tex):
    case = CASES[lang]
    pdfs = _built(tmp_path, lang, **{k: case[k] for k in ("position", "sentence")})
    _reads_as(pdfs[lang], f"Anna Novak — {case['cv']}", case["lang"], case)
    _reads_as(pdfs["en"], "Anna Novak — CV", "en-GB", ENGLISH)
    poly = case["poly"] if case["poly"].endswith("}") else "{" + case["poly"] + "}"
    tex_source = pdfs[lang].with_suffix(".tex").read_text(encoding="utf-8")
    assert f"\\setdefaultlanguage{poly}\n" in tex_source


def test_french_guillemets_and_high_punctuation_have_thin_no_break_spaces(tmp_path, tex):
    case = {**CASES["fr"], "sentence": 'Il a dit "oui" ! Vraiment ?'}
    pdfs = _built(tmp_path, "fr", position="Développeur", sentence=case["sentence"])
    tex_source = pdfs["fr"].with_suffix(".tex").read_text(encoding="utf-8")
    thin = r"\nobreak\hspace{0.17em}"
    assert f"«{thin}oui{thin}»{thin}! Vraiment{thin}?" in tex_source
    assert "« oui » ! Vraiment ?" in _text(pdfs["fr"])


def test_a_language_given_by_a_labels_block_builds_in_its_words(tmp_path, tex):
    extra = ('labels:\n  sv: {cv: CV, present: nu, page: "Sida {page} av {pages}", '
             "experience: Arbetslivserfarenhet, skills: Kompetenser}\n")
    pdfs = _built(tmp_path, "sv", extra=extra, position="Utvecklare",
                  sentence='Skrev "snabb" kod')
    case = dict(first="januari 2019 – maj 2021 · 2 år 5 månader",
                second="september 2021 – nu · 4 månader",
                titles=("Arbetslivserfarenhet", "Kompetenser"), quoted="“snabb”")
    _reads_as(pdfs["sv"], "Anna Novak — CV", "sv", case)
    assert "\\setdefaultlanguage{swedish}\n" in pdfs["sv"].with_suffix(".tex").read_text("utf-8")
