"""One language of a CV as plain text (for pasting into a job board's form) or as
markdown (for a GitHub profile README).

Both are written from localize()'s view, so dates read as in the PDF, and text
runs get the typography of the PDF (latex.typeset_tokens). Fields the PDF prints through inline
markdown (paragraphs, bullets, summaries) are converted here: `text` drops the
markers and writes every link as "label (address)"; `markdown` keeps the markup.

No hard wraps: every paragraph and bullet is one line. A form's text box and a
markdown renderer wrap lines themselves; lines broken at 80 columns would come out
ragged in a box of any other width, and breaks inside a sentence would be pasted
as they are.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from cvbuild.render.latex import inline_tokens, typeset_tokens
from cvbuild.render.view import (
    LINKED,
    AwardView,
    BulletItem,
    BulletListView,
    CertificationView,
    CVView,
    EducationView,
    EntryView,
    ExperienceView,
    HeaderView,
    ParagraphView,
    ProjectView,
    PublicationView,
    SectionView,
    SkillGroupView,
    SpokenLanguageView,
)
from cvbuild.source.model import CV, Variant

Format = Literal["text", "markdown"]
FORMATS = ("text", "markdown")

_MD_SPECIAL = re.compile(r"[\\`*\[\]<>]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_LINE_START = re.compile(r"^(#|[-+>] |\d+[.)] )")
_BULLET = {"text": ("•", "–"), "markdown": ("-", "-")}
_SEP = " · "


class _Writer:
    def __init__(self, lang: str, fmt: Format):
        self.lang, self.fmt = lang, fmt

    # --- inline

    def plain(self, text: str | None) -> str:
        """A field the PDF prints as typed (names, titles): escaped for markdown, nothing else."""
        if not text:
            return ""
        return _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text) if self.fmt == "markdown" else text

    def rich(self, text: str | None) -> str:
        """A field the PDF reads as inline markdown: typography on the words, markup per format."""
        if not text:
            return ""
        md = self.fmt == "markdown"
        out: list[str] = []
        href = ""
        tokens = inline_tokens(text)
        for tok, run in zip(tokens, typeset_tokens(tokens, self.lang)):
            if tok.type == "text":
                out.append(self.plain(run))
            elif tok.type == "code_inline":
                fence = "`" * (max(map(len, re.findall("`+", tok.content)), default=0) + 1)
                out.append(f"{fence}{tok.content}{fence}" if md else tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif tok.type == "link_open":
                href = str(tok.attrs.get("href", ""))
                out.append("[" if md else "")
                out.append("\0")  # marks where the label starts, for the text format
            elif tok.type == "link_close":
                start = len(out) - out[::-1].index("\0") - 1
                label = "".join(out[start + 1 :])
                del out[start:]
                if md:
                    out.append(f"{label}]({href})")
                else:
                    out.append(href if label in ("", href) else f"{label} ({href})")
            elif tok.type in ("strong_open", "strong_close"):
                out.append("**" if md else "")
            elif tok.type in ("em_open", "em_close"):
                out.append("*" if md else "")
            else:
                out.append(self.plain(tok.content))
        line = "".join(out)
        return "\\" + line if md and _MD_LINE_START.match(line) else line

    def link(self, href: str, label: str | None = None) -> str:
        """An address written out in full (an autolink in markdown)."""
        if self.fmt == "markdown":
            return f"<{href}>" if label is None else f"[{self.plain(label)}]({href})"
        return href if label is None else f"{label} ({href})"

    def bold(self, text: str) -> str:
        return f"**{text}**" if self.fmt == "markdown" and text else text

    # --- blocks: a block is a list of parts; a part is a line or a list of bullet lines

    def bullets(self, items: list[BulletItem], depth: int = 0) -> list[str]:
        mark = _BULLET[self.fmt][min(depth, 1)]
        lines = []
        for item in items:
            if isinstance(item, str):
                head = self.rich(item)
            else:
                lead, text = self.rich(item.lead), self.rich(item.text)
                head = f"{self.bold(lead)}: {text}" if lead and text else (self.bold(lead) or text)
            lines.append("  " * depth + f"{mark} {head}".rstrip())
            if not isinstance(item, str):
                lines += self.bullets(item.items, depth + 1)
        return lines

    def heading(self, text: str, level: int) -> str:
        if self.fmt == "markdown":
            return "#" * level + " " + text
        return text.upper() if level == 2 else text

    def entry(self, e: EntryView) -> list[Any]:
        p, r = self.plain, self.rich
        if isinstance(e, ParagraphView):
            return [r(e.text)]
        if isinstance(e, BulletListView):
            return [self.heading(p(e.title), 3)] * bool(e.title) + [
                self.bullets(e.bullets)
            ]
        if isinstance(e, SkillGroupView):
            skills = ", ".join(p(s) for s in e.skills)
            return [self.bold(p(e.label)) + (f": {skills}" if skills else "")]
        if isinstance(e, SpokenLanguageView):
            return [self.bold(p(e.language)) + (f": {p(e.level)}" if e.level else "")]
        url = [self.link(e.url)] if isinstance(e, LINKED) and e.url else []
        if isinstance(e, ExperienceView):
            head = f"{p(e.position)}, {p(e.company)}"
            meta: list[str | None] = [e.dates, p(e.location), *url]
            body = [r(e.summary)]
            bullets = e.highlights
        elif isinstance(e, EducationView):
            head = ", ".join(x for x in (p(e.institution), p(e.degree), p(e.area)) if x)
            meta = [e.dates, p(e.location), *url]
            body = [p(e.score)]
            bullets = e.highlights
        elif isinstance(e, ProjectView):
            head = p(e.project)
            meta = [e.dates, *url]
            body = [r(e.description), ", ".join(p(s) for s in e.stack)]
            bullets = e.highlights
        elif isinstance(e, PublicationView):
            head = p(e.publication)
            doi = [self.link(f"https://doi.org/{e.doi}")] if e.doi else []
            meta = [", ".join(p(a) for a in e.authors), p(e.venue), e.date, *url, *doi]
            body = [r(e.summary)]
            bullets = []
        elif isinstance(e, AwardView):
            head = p(e.award)
            meta = [p(e.issuer), e.date]
            body = [r(e.summary)]
            bullets = []
        elif isinstance(e, CertificationView):
            head = p(e.certification)
            meta = [p(e.issuer), e.date, *url]
            body = []
            bullets = []
        else:  # a kind this writer does not know yet: say so rather than drop it silently
            raise ValueError(f"export cannot write a {e.kind} entry yet")
        parts: list[Any] = [self.heading(head, 3), _SEP.join(m for m in meta if m)]
        parts += body
        if bullets:
            parts.append(self.bullets(bullets))
        return [part for part in parts if part]

    def join(self, blocks: list[list[Any]]) -> str:
        """Blocks apart by a blank line; in text, one-line entries (skills) stay together."""
        inner = "\n\n" if self.fmt == "markdown" else "\n"
        out = ""
        for i, block in enumerate(blocks):
            text = inner.join("\n".join(part) if isinstance(part, list) else part for part in block)
            if i:
                compact = (
                    self.fmt == "text"
                    and len(block) == 1
                    and len(blocks[i - 1]) == 1
                    and isinstance(block[0], str)
                    and isinstance(blocks[i - 1][0], str)
                )
                out += "\n" if compact else "\n\n"
            out += text
        return out

    def section(self, s: SectionView) -> str:
        return (
            self.heading(self.plain(s.title), 2)
            + "\n\n"
            + self.join([self.entry(e) for e in s.entries])
        )

    def header(self, h: HeaderView) -> str:
        contacts = []
        for link in h.links:
            if link.kind in ("email", "phone"):
                contacts.append(
                    f"<{link.text}>"
                    if self.fmt == "markdown" and link.kind == "email"
                    else self.plain(link.text)
                )
            else:
                contacts.append(self.link(link.href))
        where = _SEP.join(x for x in [self.plain(h.location)] + contacts if x)
        parts = [self.heading(self.plain(h.name), 1), self.plain(h.headline), where]
        return ("\n\n" if self.fmt == "markdown" else "\n").join(x for x in parts if x)


def render(view: CVView, fmt: Format) -> str:
    """localize()'s view → the whole CV as text or markdown, ending in one newline."""
    w = _Writer(view.lang, fmt)
    parts = [w.header(view.header)] + [w.section(s) for s in view.sections]
    return "\n\n".join(parts) + "\n"


def section_markdown(section: SectionView, lang: str) -> str:
    """One section of localize()'s view as markdown (JSON Resume export uses it for free text)."""
    return _Writer(lang, "markdown").section(section)


def one_language(cv: CV, lang: str | None) -> str:
    """The language to export: the one asked for, or the CV's only one."""
    from cvbuild.errors import CvbuildError

    if lang is None:
        if len(cv.languages) == 1:
            return cv.languages[0]
        raise CvbuildError(
            f"this CV has several languages; choose one with --lang ({', '.join(cv.languages)})"
        )
    if lang not in cv.languages:
        raise CvbuildError(
            f"'{lang}' is not a language of this CV; it has: {', '.join(cv.languages)}"
        )
    return lang


def export_text(cv: CV, lang: str, fmt: Format = "text", only: Variant | None = None) -> str:
    """The CV in `lang` as plain text or markdown."""
    from cvbuild.render.localize import localize

    return render(localize(cv, lang, only=only), fmt)
