"""Any text in, a correct PDF or a clear refusal out (issue 4, point 1).

Hypothesis draws examples (one text for every kind of text field); BATCH of them
at a time go into one CV, built with real XeLaTeX from a cv.yaml file, and the PDF
is read back with pdftotext. Either every value's words come back in order, or the build refuses, and
then the refusal must follow the character policy (fonts.py): it names each
character, its code point and the fields that hold it, and no installed font has
that character. The refused characters are then removed and the same batch must
build and read back: a refusal never hides a second failure.

Text strategy: pieces joined with or without spaces: Latin/Cyrillic words, single
TeX/Markdown/Jinja specials and odd spaces, attack snippets, runs of Latin-to-
Cyrillic characters (Greek, IPA, combining marks included) and short runs of ANY
code point but surrogates (unassigned, private use, CJK, emoji, controls), which
are what the policy is about, so they are drawn, not filtered. A run with no place to
break that runs off the paper is refused as well (LinesCutOff): the long run found a
40-character one in the header's name.

Figures (BATCH=40; 36 text field kinds, DOI included, and 3 URL kinds): profile "ci"
draws 200 examples = 200 texts per field kind in 5 CVs; "long" draws 5,000 = 5,000
per field kind in 125 CVs. A failure names the field path and its value (no
shrinking: the batch check points at the value itself).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import yaml
from hypothesis import given
from hypothesis import strategies as st
from pdfs import missing_values

from cvbuild.engine.fonts import fallback_family, is_invisible, is_rtl
from cvbuild.errors import InputError, LinesCutOff, MissingCharacters
from cvbuild.pipeline.run import build
from cvbuild.source.load import load_cv
from cvbuild.text.unicode import words
from cvbuild.verify.readback import pdf_text

BATCH = 40

SPECIALS = list("\\{}$&#^_%~<>|\"'`*[]()!?,.-:;@/=+") + [
    "\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", "\u00ad", "\u200b", "\u200c", "\u200d",
    "\u2060", "\ufeff", "\u200e", "\u202e", "\t", "\n", "\r", "\x00", "\x07", "\x1b", "\x7f",
    "\x85", "\x9b", "\u2028", "\u2029", "\u0301", "\u0308", "\u20dd", "\ufb01", "\u2013", "\u2014",
    # emoji drawn as pictures: with a word in them (keycaps, ℹ️, 🈁), a joined sequence,
    # a flag, a skin tone; random code points seldom make a sequence
    "6\ufe0f\u20e3", "#\u20e3", "\u2139\ufe0f", "\U0001f201", "\U0001f469\u200d\U0001f4bb",
    "\U0001f1f7\U0001f1fa", "\U0001f44d\U0001f3fd", "\U0001f4da",
]
SNIPPETS = [
    r"\input{/etc/passwd}", r"\include{../x}", r"\write18{touch pwned}",
    r"\immediate\write18{id}", r"\directlua{os.execute('id')}", r"\luaexec{x}",
    "^^5c", "^^^^005c", "^^M", "^^7b", r"\catcode`\{=12", r"\catcode`\^^M=13",
    "}}}}", "{{{", r"}\end{document}", r"\end{itemize}", r"\item",
    "{{ x }}", "{% raw %}", "<< cv.header.name >>", "((* if true *))", "((# c #))", "*))",
    r"\\", r"\par", r"\def\x{y}\x", r"\csname relax\endcsname", r"\verb|x|", "%comment",
    r"\makeatletter\@gobble", "$x^2$", "&&", "##1", "#", "--", "---", ",,", "``", "''", "!`",
    "?`", "<<", ">>", "~~", "a_b^c", "**bold**", "*it*", "_u_", "`code`", "``a`b``",
    "[link](https://example.com/a_b%20c#frag)", "[x](javascript:alert(1))", "\\*", "<b>x</b>",
    # (a link or image to anything but a web, e-mail or phone address is refused at
    # its field: tests/security)
    "&amp;", "![i](https://example.com/x.png)", "https://example.com/~x?a=1&b=2#f", "\\textbf{x}", "\\\\x",
]
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" \
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"

pieces = st.one_of(
    st.text(alphabet=_LETTERS, min_size=1, max_size=12),
    st.sampled_from(SPECIALS),
    st.sampled_from(SNIPPETS),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x52F), max_size=8),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=3),
)
texts = st.lists(st.tuples(st.sampled_from(["", " "]), pieces), max_size=6).map(
    lambda parts: "".join(sep + p for sep, p in parts)
)
_URL_SAFE = st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"))
urls = st.tuples(st.sampled_from(["https://example.com/", "http://ex.org/a?"]),
                 st.text(alphabet=_URL_SAFE, max_size=20)).map("".join)

TEXT_KINDS = [
    "header.name", "header.headline", "header.location", "section.title",
    "paragraph", "bullets.title", "bullet", "bullet.lead", "bullet.text", "nested",
    "nested.lead", "nested.text",
    "company", "position", "job.location", "job.summary", "job.highlight",
    "institution", "degree", "area", "school.location", "score",
    "project", "project.description", "stack",
    "publication", "author", "venue", "award", "issuer", "award.summary",
    "skills.label", "skill", "language", "level", "doi",
]
URL_KINDS = ["company.url", "project.url", "publication.url"]


# One hypothesis example: one text for every field kind. Examples are gathered
# first (cheap) and then compiled BATCH at a time, one CV per batch: a CV with
# 1,500 texts is far beyond what one hypothesis example may draw.
examples = st.fixed_dictionaries(
    {**{k: texts for k in TEXT_KINDS}, **{k: urls for k in URL_KINDS}}
)


def cv_data(lang: str, f: dict[str, list[str]]) -> dict:
    """One CV: every header field holds its batch (joined); section i holds item i of
    every other kind."""
    sections = []
    for i in range(BATCH):
        sections.append({"title": f["section.title"][i], "entries": [
            {"text": f["paragraph"][i]},
            {"title": f["bullets.title"][i], "bullets": [
                f["bullet"][i],
                {"lead": f["bullet.lead"][i], "text": f["bullet.text"][i], "items": [
                    f["nested"][i], {"lead": f["nested.lead"][i], "text": f["nested.text"][i]},
                ]},
            ]},
            {"company": f["company"][i], "position": f["position"][i],
             "location": f["job.location"][i], "url": f["company.url"][i],
             "summary": f["job.summary"][i], "highlights": [f["job.highlight"][i]]},
            {"institution": f["institution"][i], "degree": f["degree"][i], "area": f["area"][i],
             "location": f["school.location"][i], "score": f["score"][i]},
            {"project": f["project"][i], "url": f["project.url"][i],
             "description": f["project.description"][i], "stack": [f["stack"][i], "x"]},
            {"publication": f["publication"][i], "authors": [f["author"][i]],
             "venue": f["venue"][i], "url": f["publication.url"][i], "doi": f["doi"][i]},
            {"award": f["award"][i], "issuer": f["issuer"][i], "summary": f["award.summary"][i]},
            {"label": f["skills.label"][i], "skills": [f["skill"][i], "y"]},
            {"language": f["language"][i], "level": f["level"][i]},
        ]})
    return {
        "languages": [lang],
        "header": {k: " | ".join(f[f"header.{k}"]) for k in ("name", "headline", "location")},
        "sections": sections,
    }


def link_targets(pdf: Path) -> list[str]:
    out = subprocess.run(["pdfinfo", "-url", str(pdf)], capture_output=True, timeout=60)
    lines = out.stdout.decode("utf-8", "replace").splitlines()[1:]
    return [line.split(None, 2)[2] for line in lines if len(line.split(None, 2)) == 3]


def expected_target(href: str) -> str:
    """RFC 3986 characters and %XX kept, anything else percent-encoded (a # in the
    fragment, after the first, is not an RFC 3986 fragment character: %23)."""
    href = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", href)
    head, mark, fragment = href.partition("#")
    href = head + mark + fragment.replace("#", "%23")
    # hyperref drops an empty fragment ("…/#" links to "…/"): the same resource
    return quote(href, safe="/:@!$&'()*+,;=-._~?[]#%").removesuffix("#")


def build_and_check(tmp: Path, lang: str, fields: dict[str, list[str]]) -> None:
    cv_path = tmp / "cv.yaml"
    cv_path.write_text(yaml.safe_dump(cv_data(lang, fields), allow_unicode=True), "utf-8")
    out = tmp / "build"
    # each refusal is checked, its cause taken away, and built again; a removal can make
    # a new refusal ("🇸🇷X🇺" less a refused X pairs its regional indicators anew: a flag
    # and a lone "🇺", which no font has; the eighth long run needed four rounds), and
    # each round takes away characters the texts still hold, so the rounds end
    for _ in range(10):
        try:
            [result] = build(cv_path, lang, out)
            break
        except MissingCharacters as exc:
            refused = check_refusal(exc, load_cv(cv_path), lang)
            fields = {k: ["".join(c for c in v if c not in refused) for v in vs]
                      for k, vs in fields.items()}
        except LinesCutOff as exc:
            check_cut_off(exc, load_cv(cv_path), lang)
            fields = {k: [_UNBROKEN.sub(r"\1 ", v) for v in vs] if k in TEXT_KINDS else vs
                      for k, vs in fields.items()}
        except InputError as exc:
            # pieces that happen to spell a link to no web address ("[a](b)"): refused
            # at the field, each named with its line; "] (" is no link
            assert all(p.line and "is not a web, e-mail or phone address" in p.message
                       for p in exc.problems), exc
            fields = {k: [v.replace("](", "] (") for v in vs] for k, vs in fields.items()}
        cv_path.write_text(yaml.safe_dump(cv_data(lang, fields), allow_unicode=True), "utf-8")
    else:
        raise AssertionError("still refused with every refused character and long run gone")
    cv = load_cv(cv_path)
    # pdftotext reads in two ways, each with a heuristic that can fail on its own:
    # layout mode joins one-letter words around a link on their own line ("c d" →
    # "cd"); -raw (the content stream's order) breaks a line where a zero-width glyph
    # is followed by a font change. A value must come back in at least one of them.
    text = pdf_text(result.pdf)
    raw = pdf_text(result.pdf, raw=True)
    in_raw = missing_values(cv, lang, raw)
    assert [m for m in missing_values(cv, lang, text) if m in in_raw] == []
    stacks = [" " + " ".join(words(t)) + " " for t in (text, raw)]
    for path, value in doi_and_urls(cv):
        needle = f" {' '.join(words(value))} "
        assert any(needle in h for h in stacks) or not words(value), (path, value)
    # every link goes exactly where the cv.yaml said (percent-encoded, TeX undone)
    # (a company's link wraps its name: no name printed, nothing to click)
    targets = link_targets(result.pdf)
    for section in cv.sections:
        for entry in section.entries:
            href = getattr(entry, "url", None)
            company = getattr(entry, "company", None)
            link_text = company.get(lang) if company is not None else href
            if href and words(link_text):
                assert expected_target(href) in targets, href
    # invisible characters no font has are left out with a warning naming them
    for warning in result.warnings:
        m = re.search(r"\(U\+([0-9A-F]{4,6})\)", warning.message)
        if m:  # a missing character left as a warning is an invisible one
            assert is_invisible(chr(int(m.group(1), 16))), warning


def doi_and_urls(cv):
    """Project and publication URLs and DOIs are printed verbatim as well."""
    for i, section in enumerate(cv.sections):
        for j, entry in enumerate(section.entries):
            for name in ("url", "doi"):
                if name in type(entry).model_fields and type(entry).__name__ != "Experience":
                    value = getattr(entry, name)
                    if value:
                        yield f"sections[{i}].entries[{j}].{name}", value


def check_refusal(exc: MissingCharacters, cv, lang: str) -> set[str]:
    """Each refusal names a character (code point), a field that holds it (with its
    line), and the policy allows it: no installed font has it, or it is right to left.
    Returns the refused characters."""
    from cvbuild.render.printed import text_values

    values = dict(text_values(cv, lang, printed_only=False))
    assert exc.problems
    refused = set()
    for problem in exc.problems:
        m = re.search(r"\(U\+([0-9A-F]{4,6}) ", problem.message)
        assert m, problem
        char = chr(int(m.group(1), 16))
        refused.add(char)
        assert not is_invisible(char)  # those are warnings, not refusals
        # a fallback would have printed it, unless it is right to left (no bidi)
        assert fallback_family(char) is None or is_rtl(char)
        assert problem.line is not None and problem.path, problem
        assert char in values.get(problem.path, ""), problem
    return refused


# where a line may break: a space, a tab, a line end (not a no-break space or a joiner)
_UNBROKEN = re.compile(r"([^ \t\r\n]{4})(?=[^ \t\r\n])")


def check_cut_off(exc: LinesCutOff, cv, lang: str) -> None:
    """A line refused for running off the paper comes from a field (with its line) whose
    value has a run with no place to break. (Then the same batch, every such run broken
    up after 4 characters, must build.)"""
    from cvbuild.render.printed import text_values

    values = dict(text_values(cv, lang, printed_only=False))
    assert exc.problems
    for problem in exc.problems:
        assert "past the paper's right edge" in problem.message, problem
        assert problem.line is not None and problem.path in values, problem
        assert _UNBROKEN.search(values[problem.path]), problem


def gather() -> list[dict[str, str]]:
    """The profile's max_examples examples, drawn by hypothesis (fixed seed in "ci")."""
    got: list[dict[str, str]] = []

    @given(examples)
    def draw(example):
        got.append(example)

    draw()
    return got


def test_any_text_reads_back_or_is_refused_clearly(tex, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from hypothesis import settings

    drawn = gather()
    assert len(drawn) >= min(200, settings().max_examples)
    groups = [drawn[i:i + BATCH] for i in range(0, len(drawn), BATCH)]
    jobs = []
    for n, group in enumerate(groups):
        group = (group * BATCH)[:BATCH]  # a short last group is topped up by repeats
        fields = {k: [ex[k] for ex in group] for k in TEXT_KINDS + URL_KINDS}
        folder = tmp_path / f"batch{n}"
        folder.mkdir()
        jobs.append((folder, ("en", "ru")[n % 2], fields))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda job: build_and_check(*job), jobs))
