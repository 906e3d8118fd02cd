"""Emoji: split from text, named as twemojis names them, drawn or left out."""

from __future__ import annotations

from cvbuild.engine.twemoji import twemoji_code, twemoji_pages
from cvbuild.render.latex import emoji_runs, escape, find_emoji


def test_emoji_runs():
    assert emoji_runs("Навыки 📚") == [("Навыки ", False), ("📚", True)]
    assert emoji_runs("a ✔️ b 👩‍💻") == [("a ", False), ("✔️", True), (" b ", False), ("👩‍💻", True)]
    # ©, ®, ™ and ‼ are text characters every font has, unless asked for as emoji
    assert emoji_runs("© 2024 ACME™") == [("© 2024 ACME™", False)]
    assert find_emoji("plain ascii") == []


def test_twemoji_codes():
    assert len(twemoji_pages()) > 3000  # the TeX package is installed and read
    assert twemoji_code("📚") == "1f4da"
    assert twemoji_code("✔") == twemoji_code("✔️") == "2714"
    assert twemoji_code("👩‍💻") == "1f469-200d-1f4bb"


def test_escape_draws_or_removes():
    assert escape("Навыки 📚") == r"Навыки~\cvreadas{FEFFD83DDCDA}{\char32 }{\cvemoji{1f4da}}"
    assert escape("Навыки 📚", "remove") == "Навыки"
    assert escape("✔, done", "remove") == ", done"
    assert escape("a 👍 b", "remove") == "a b"


def test_every_drawn_emoji_reads_back_as_typed():
    # the picture stands for the text; under it, the letters a reader that skips
    # /ActualText gets (ASCII only, else an invisible space: no font needed)
    assert escape("6️⃣ years") == r"\cvreadas{FEFF0036FE0F20E3}{6}{\cvemoji{36-20e3}} years"
    assert escape("#️⃣") == r"\cvreadas{FEFF0023FE0F20E3}{\#}{\cvemoji{23-20e3}}"
    assert escape("ℹ️") == r"\cvreadas{FEFF2139FE0F}{i}{\cvemoji{2139}}"
    assert escape("🈁") == r"\cvreadas{FEFFD83CDE01}{\char32 }{\cvemoji{1f201}}"
    assert escape("📚 ✔️") == (r"\cvreadas{FEFFD83DDCDA}{\char32 }{\cvemoji{1f4da}}~"
                              r"\cvreadas{FEFF2714FE0F}{\char32 }{\cvemoji{2714}}")


def test_emoji_are_in_the_text_layer(tex, tmp_path):
    """Copied or extracted, "Навыки 📚" is "Навыки 📚" (the picture alone read back as
    nothing), and emoji in a row come back side by side, with no gap between them."""
    from cvbuild.pipeline.run import build
    from cvbuild.verify.readback import pdf_text

    cv = tmp_path / "cv.yaml"
    cv.write_text("languages: [ru, en]\nheader: {name: {ru: Анна, en: Anna}}\nsections:\n"
                  "  - title: {ru: Навыки 📚, en: Skills 📚}\n    entries:\n"
                  "      - text: {ru: '📚📚📚 подряд ✔✔ и 👩‍💻, 6️⃣ лет',"
                  " en: '📚📚📚 in a row ✔✔ and 👩‍💻, 6️⃣ years'}\n", encoding="utf-8")
    outputs = build(cv, "all", tmp_path / "b")
    for out, lines in zip(outputs, [["Навыки 📚", "📚📚📚 подряд ✔✔ и 👩‍💻, 6️⃣ лет"],
                                    ["Skills 📚", "📚📚📚 in a row ✔✔ and 👩‍💻, 6️⃣ years"]]):
        for raw in (False, True):
            assert pdf_text(out.pdf, raw=raw).split("\n")[1:3] == lines, (out.lang, raw)


def test_an_emoji_twemojis_lacks_is_left_out_with_a_warning(tmp_path):
    from cvbuild.pipeline.run import build

    assert twemoji_code("🫨") is None  # Unicode 15, newer than the twemoji artwork
    assert escape("a 🫨 b") == "a b"  # never a blank box
    cv = tmp_path / "cv.yaml"
    cv.write_text("languages: [en]\nheader: {name: A}\nsections:\n"
                  "  - title: T 🫨\n    entries: [{text: x 📚}]\n", encoding="utf-8")
    [out] = build(cv, "en", tmp_path / "b", tex_only=True)
    assert [str(w) for w in out.warnings] == [
        f"{cv}: warning: left out the emoji 🫨: the TeX package twemojis has no picture "
        "for them (is texlive-pictures installed?)"
    ]
    assert r"\cvsection{T}" in out.tex.read_text(encoding="utf-8")


def test_an_emoji_left_out_keeps_the_words_around_it_apart(tex, tmp_path):
    """"ab🫨cd" without its emoji is "ab cd", not the one word "abcd" (found by the long
    property run, in a project's address printed as it is)."""
    from pdfs import missing_values

    from cvbuild.pipeline.run import build
    from cvbuild.source.load import load_cv
    from cvbuild.text.unicode import words
    from cvbuild.verify.readback import pdf_text

    assert escape("ab🫨cd") == escape("ab🫨🫨cd") == escape("ab📚cd", "remove") == "ab cd"
    assert escape("ab 🫨 cd") == "ab cd" and escape("ab🫨, cd") == "ab, cd"
    cv = tmp_path / "cv.yaml"
    cv.write_text("languages: [en]\nheader: {name: A}\nsections:\n  - title: T\n    entries:\n"
                  "      - text: ab🫨cd\n      - project: P\n        url: https://example.com/ef🫨gh\n",
                  encoding="utf-8")
    [out] = build(cv, "en", tmp_path / "b")
    text = pdf_text(out.pdf, raw=True)
    assert missing_values(load_cv(cv), "en", text) == []
    assert " ef gh " in " " + " ".join(words(text)) + " "
    assert any("left out the emoji 🫨" in str(w) for w in out.warnings)
