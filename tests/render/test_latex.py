from __future__ import annotations

import pytest

from cvbuild.render.latex import Tex, escape, markup, plain


@pytest.mark.parametrize(
    "raw, tex",
    [
        ("50% & $5 #1 a_b", r"50\% \& \$5 \#1 a\_b"),
        (r"\input{/etc/passwd}", r"\textbackslash{}input\{/etc/passwd\}"),
        ("^^5c", r"\textasciicircum{}\textasciicircum{}5c"),
        ("a~b", r"a\textasciitilde{}b"),
        ("a--b---c", "a-{}-b-{}-{}-c"),
        ("a\u00a0b", "a~b"),
        ("bell\x07", "bell"),
    ],
)
def test_escape(raw, tex):
    assert escape(raw) == tex
    assert isinstance(escape(raw), Tex)


def test_tex_is_not_escaped_twice():
    once = escape("a & b")
    assert escape(once) == once
    assert Tex(r"\textbf{") + "x&y" + Tex("}") == r"\textbf{x\&y}"


def test_markup():
    assert markup("**PyTorch** and *it* `a_b`", "en") == r"\textbf{PyTorch} and \emph{it} \texttt{a\_b}"
    assert markup("[site](https://x.org/a#b)", "en") == r"\href{https://x.org/a\#b}{site}"
    assert plain("**PyTorch** and [site](https://x.org)") == "PyTorch and site"
