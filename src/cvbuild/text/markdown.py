"""Inline markdown of a field (**bold**, *italic*, [links](url), `code`), parsed by
markdown-it-py, and the one rule for links: only web, e-mail and phone addresses.

A PDF link is an action: hyperref writes `[x](run:cmd.exe)` as /Launch and
`[x](/etc/passwd)` as /GoToR (open another file). So a target that is not https:,
http:, mailto: or tel: is an error at its field (source/validate.py), and is never
made a link (render/latex.py)."""

from __future__ import annotations

import re

LINK_SCHEMES = ("https", "http", "mailto", "tel")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")

_md = None


def _parser():
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        # commonmark minus raw HTML and images: a CV's text has no business with either
        _md = MarkdownIt("commonmark", {"html": False}).disable(["image", "html_inline", "autolink", "entity"])
    return _md


def inline_tokens(text: str) -> list:
    """The inline tokens of a text (markdown-it-py): text, strong/em, links, code."""
    tokens = _parser().parseInline(text)
    return (tokens[0].children or []) if tokens else []


def link_allowed(href: str) -> bool:
    """Whether a link target may become a link: https:, http:, mailto: or tel:."""
    m = _SCHEME_RE.match(href.strip())
    return m is not None and m.group(1).lower() in LINK_SCHEMES


def refused_links(text: str) -> list[str]:
    """The link targets of a field's markdown that may not become links."""
    if "](" not in text:  # no inline link without it: most fields are not parsed at all
        return []
    return [str(tok.attrs.get("href", "")) for tok in inline_tokens(text)
            if tok.type == "link_open" and not link_allowed(str(tok.attrs.get("href", "")))]
