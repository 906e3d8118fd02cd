"""A fixed corpus of known attack strings (issue 4, point 1), all in one CV built
once with XeLaTeX: every one prints literally, none reaches TeX, the shell or a file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from pdfs import missing_values

from cvbuild.errors import LinesCutOff
from cvbuild.pipeline.run import build
from cvbuild.source.load import load_cv
from cvbuild.text.typography import typeset
from cvbuild.text.unicode import words
from cvbuild.verify.pages import text_without_footers
from cvbuild.verify.readback import pdf_text

MARKER = "cvbuild-attack-marker"

# Printed exactly as typed (plain-text fields): each must come back character for
# character (whitespace aside) in the PDF's text.
LITERAL = [
    r"\input{/etc/passwd}",
    r"\include{../../etc/hostname}",
    r"\immediate\write18{touch " + MARKER + "}",
    r"\write18{rm -rf ~}",
    r"\directlua{os.execute('touch " + MARKER + "')}",
    r"\luaexec{io.open('x','w')}",
    r"^^5cinput^^7b/etc/passwd^^7d",
    r"^^^^005c ^^M ^^I ^^@",
    r"\catcode`\~=0 ~input{/etc/passwd}",
    r"\catcode`\^^M=13 \def^^M{}",
    r"}}}\end{document}",
    r"\end{itemize}\end{itemize}",
    r"{\iffalse}\fi",
    r"\def\x{\x}\x",
    r"\csname input\endcsname{/etc/passwd}",
    r"\makeatletter\@@input /etc/passwd",
    r"\openin15=/etc/passwd \read15 to\x \x",
    r"\newwrite\w\immediate\openout\w=../evil.tex",
    r"\special{pdf:obj @x <<>>}",
    r"\XeTeXinterchartokenstate=1",
    r"\usepackage{shellesc}\ShellEscape{id}",
    r"$x^2$ $$ \[ \] \( \)",
    "& # % _ ^ ~ \\ { } $ < > | ' ` @ * [ ]",  # (" becomes the language's quotes)
    "[optional] at the start",
    "<< cv.header.name >> << 7*7 >>",
    "((* for x in range(10**9) *))loop((* endfor *))",
    "((# comment #)) ((* raw *)) {{ config }} {% if 1 %}{% endif %} {# c #}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "-- --- ,, `` '' !` ?` << >> ~~",
    "\\\\ \\par \\newline",
    "100% of $5 & #1 in C_{ij}",
    "þÿa ÿþb",  # a run of glyphs starting with a UTF-16 byte-order mark's two bytes
    # emoji that hold a word, drawn as pictures: "6️⃣ years" read back as "years"
    "6\ufe0f\u20e3 years, #\ufe0f\u20e3tag *\u20e3star \u24c2\ufe0fetro \u2139\ufe0fnfo \U0001f201 \U0001f237\ufe0f",
]
# Markdown fields (paragraph, bullets, summaries): words must come back.
MARKDOWN = [
    "**bold \\input{/etc/passwd}** and *\\write18{id}*",
    # (an image's target must be a web address too: `![img](/etc/passwd)` was a /GoToR
    # link to the file, and is refused at its field now: tests/security)
    "[click](javascript:alert(1)) [x](https://e.com/a_b%20c#f~g) ![img](https://e.com/p.png)",
    "`\\input{/etc/passwd}` and ``a`b`` <b>html</b> &amp; &#x5c;",
    "\\*not bold\\* \\[not a link\\](x)",
    # a mark in the code font: PT Mono's are as wide as a letter in the PDF, and the
    # space after one was lost ("`за́ мок`" read back "за́мок")
    "`за\u0301 мок` and `x\u0301 a`",
    "**5\ufe0f\u20e3 years** of \u2139\ufe0fnfo *#\ufe0f\u20e3x* `0\ufe0f\u20e3` 📚",
    # a mark ending a code span, before a letter in another font: DejaVu Sans Mono's
    # marks are 0.6 em wide in the PDF, and the space after one was lost
    "`=13\u0301` λЛ and `q\u0308` ωx",
    # a double diacritic or half mark before bold or code: its overhang became a gap
    "aß\u035f`ñ !` ЖЖ\u0360**Жы** qb\ufe20*c* d\u035c **e**",
]
SPACES = "no\u00a0break thin\u2009space narrow\u202fnbsp soft\u00adhyphen zero\u200bwidth " \
    "word\u2060joiner bom\ufeffinside e\u0301 (combining) q\u0307 \u0419\u0306"
# a variation selector with nothing to select, a grapheme joiner with nothing to join:
# pdftotext lost the space after them
LONE_SELECTOR = "{% raw %} \ufe0f 0\x15\u0308I5 $\u034f  ВУ"
CONTROLS = "bell\x07 esc\x1b[31m nul\x00 del\x7f csi\x9b nel\x85line vt\x0bff\x0cend"
# a joiner that is lone once the control after it is gone (plain text only: Markdown
# turns NUL into U+FFFD); printed once, so that no other field's words stand in for it
JOINER_NUL = "lonely\u200d\x00 joiner, and a joiner\u200d\u2060 before a word joiner"
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2  # 90 letters, no break
# a zero-width space inside a word too long for a line (it sticks out 15 pt into the
# margin): breaking the line there read back as two words, so it is no place to break
ZWSP_WORD = "Zw" + "ab" * 24 + "\u200b" + "cd" * 24
LONG_PARAGRAPH = " ".join(f"word{i} \\input{{x{i}}} 50% #{i}" for i in range(400))


@pytest.fixture(scope="module")
def attacked(tex, tmp_path_factory):
    folder = tmp_path_factory.mktemp("attack")
    data = {
        "languages": ["en"],
        "header": {
            "name": r"Eve \input{/etc/passwd} }{",
            "headline": "<< cv >> ((* if 1 *)) \\write18{touch " + MARKER + "}",
            "location": "Zürich\u00a0& Köln, 10%",
            "contacts": {
                "email": "eve_a%b#c~d{x}\\y@ex.org",
                "phone": "+7 (900) 123-45-67",
                "website": "https://example.com/~eve/a_b%20c?q=1&r=2#frag",
                "github": "eve_a-b",
                "telegram": "@eve_x",
            },
        },
        "sections": [
            {"title": t, "entries": [{"award": t, "issuer": t}]} for t in LITERAL
        ] + [
            {"title": "Markdown", "entries": [{"text": m} for m in MARKDOWN] + [
                {"bullets": MARKDOWN + [SPACES, CONTROLS, {"lead": "VS", "items": [LONE_SELECTOR]}]},
            ]},
            {"title": "Spaces", "entries": [{"text": SPACES}, {"label": SPACES, "skills": [SPACES]}]},
            {"title": "Controls", "entries": [{"text": CONTROLS}, {"language": CONTROLS},
                                              {"award": JOINER_NUL}]},
            {"title": "Long", "entries": [
                {"text": LONG_WORD}, {"text": LONG_PARAGRAPH}, {"text": ZWSP_WORD},
                {"company": LONG_WORD, "position": "p", "url": "https://example.com/" + "a" * 300},
                {"project": "urls", "url": "https://example.com/~a/b_c%41#d&e=f\\g{h}"},
                {"project": "hashes", "url": "https://example.com/a#b#c}"},
                {"publication": "doi", "doi": "10.1000/x_y%z#1~2{3}\\4"},
            ]},
        ],
    }
    path = folder / "cv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (out,) = build(path, "en", folder / "build")
    return load_cv(path), out, folder


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_value_reads_back(attacked):
    cv, out, _ = attacked
    # the website prints without its scheme: test_contacts_print_literally checks it
    # (the running footer, once a page, is not part of what the CV says)
    text = text_without_footers(cv, "en", pdf_text(out.pdf, raw=True))
    assert [path for path, _ in missing_values(cv, "en", text)] in ([], ["header.contacts.website"])
    # the zero-width space's word sticks out into the margin: told, not hidden; and the
    # PDF is longer than max_pages (2)
    over = [w for w in out.warnings if w.path == "max_pages"]
    assert [w.message for w in over] == [
        f"the en PDF has {out.pages} pages, {out.pages - 2} pages more than max_pages (2); "
        "`fit: N` under options: tightens it to N pages"] and out.pages > 3
    margin = [w for w in out.warnings if w.path != "max_pages"]
    assert margin and all(w.severity == "warning" and "sticks out" in w.message for w in margin)


@pytest.mark.parametrize("attack", LITERAL)
def test_plain_text_prints_literally(attacked, attack):
    _, out, _ = attacked
    # literally, after the language's typography (quotes, dashes, no-break spaces)
    expected = typeset(attack, "en").replace("\u00a0", " ")
    assert _flat(expected) in _flat(pdf_text(out.pdf, raw=True))


def test_nothing_reached_tex_the_shell_or_the_disk(attacked):
    _, out, folder = attacked
    text = pdf_text(out.pdf, raw=True)
    assert "root:" not in text  # /etc/passwd was never read
    assert r"Eve \input{/etc/passwd} }{" in text
    for place in (folder, folder / "build", Path.cwd(), Path.home()):
        assert not (place / MARKER).exists()
    assert not (folder / "evil.tex").exists()


def test_links_go_where_the_yaml_says(attacked):
    _, out, _ = attacked
    proc = subprocess.run(["pdfinfo", "-url", str(out.pdf)], capture_output=True, timeout=60)
    targets = [line.split(None, 2)[2] for line in
               proc.stdout.decode("utf-8", "replace").splitlines()[1:]]
    assert "mailto:eve_a%25b#c~d%7Bx%7D%5Cy@ex.org" in targets
    assert "tel:+79001234567" in targets
    assert "https://example.com/~eve/a_b%20c?q=1&r=2#frag" in targets
    assert "https://github.com/eve_a-b" in targets
    assert "https://example.com/~a/b_c%41#d&e=f%5Cg%7Bh%7D" in targets
    assert "https://example.com/a#b%23c%7D" in targets  # a # in the fragment is %23
    assert "https://doi.org/10.1000/x_y%25z#1~2%7B3%7D%5C4" in targets
    assert "https://example.com/" + "a" * 300 in targets


def test_contacts_print_literally(attacked):
    _, out, _ = attacked
    text = pdf_text(out.pdf, raw=True)
    for shown in ("eve_a%b#c~d{x}\\y@ex.org", "+7 (900) 123-45-67",
                  "example.com/~eve/a_b%20c?q=1&r=2#frag", "github.com/eve_a-b", "t.me/eve_x"):
        assert shown in text, shown


def test_long_word_and_paragraph_are_whole(attacked):
    cv, out, _ = attacked
    # a paragraph longer than a page parts between its lines, the footer between them
    text = text_without_footers(cv, "en", pdf_text(out.pdf, raw=True))
    assert LONG_WORD in text.replace("\n", "")
    assert " ".join(words(LONG_PARAGRAPH)) in " ".join(words(text))


def test_a_line_that_runs_off_the_paper_is_refused(tex, tmp_path):
    """Text past the paper's edge is cut off: no build (a word that only sticks out into
    the margin is a warning, above). The header's name is the long property run's."""
    data = {
        "languages": ["en"],
        "header": {"name": "?\\makeatletter\\@gobble[link](https://example.com/a_b%20c#frag)ɯJʝ<.» °q"},
        "sections": [{"title": "Long", "entries": [
            {"text": "fits " + LONG_WORD}, {"text": "Pneumonoultramicroscopicsilicovolcanoconiosis" * 6},
        ]}],
    }
    path = tmp_path / "cv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LinesCutOff) as refused:
        build(path, "en", tmp_path / "build")
    assert [(p.path, p.severity) for p in refused.value.problems] == [
        ("header.name", "error"), ("sections[0].entries[1].text", "error")]
    assert all("past the paper's right edge" in p.message and p.line for p in refused.value.problems)
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").glob("*.pdf"))


def test_a_keycap_first_on_the_page_reads_back(tex, tmp_path):
    """The first glyph of a page is drawn before any font is set: a keycap there once read
    back as "6️⃣" with its "å" lines away (found by the long property run)."""
    path = tmp_path / "cv.yaml"
    path.write_text(yaml.safe_dump({"languages": ["en"], "header": {"name": "6\ufe0f\u20e3å x"},
                                    "sections": [{"title": "T", "entries": [{"text": "y"}]}]},
                                   allow_unicode=True), encoding="utf-8")
    [out] = build(path, "en", tmp_path / "build")
    for raw in (False, True):
        assert pdf_text(out.pdf, raw=raw).split("\n")[0] == "6\ufe0f\u20e3å x"


def test_a_mark_ending_a_code_span_keeps_the_space_after_it(attacked):
    """In both of pdftotext's readings (the corpus check above reads only the raw one):
    the layout reading joined "13́" and "λЛ" when the mark was the code font's."""
    _, out, _ = attacked
    needle = " " + " ".join(words("`=13\u0301` λЛ and `q\u0308` ωx")) + " "
    for raw in (False, True):
        assert needle in " " + " ".join(words(pdf_text(out.pdf, raw=raw))) + " ", raw
