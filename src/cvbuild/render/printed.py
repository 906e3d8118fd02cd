"""Which values of a CV are printed, and as what text: the list every readback check
and every build diagnostic walks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from cvbuild.render.latex import plain
from cvbuild.render.localize import contact_links, labels_of
from cvbuild.source.model import CV, Contacts, Localized, Section, Variant
from cvbuild.text.locales import section_title

# Fields that are not printed as text: they steer the build.
_NOT_PRINTED = {"tags", "photo", "theme", "options", "languages", "max_pages", "labels", "url", "doi", "kind"}
# Fields whose text is inline Markdown (the `md` filter in the themes); the others
# are printed exactly as typed, so "**x**" there reads back with its asterisks.
MARKDOWN_FIELDS = {"text", "lead", "summary", "description", "bullets", "items", "highlights"}


def _in_variant(item: Any, only: Variant | None) -> bool:
    """Whether a variant prints the item (localize drops the same ones: tagged items
    the variant leaves out, and sections left with no entry)."""
    if only is None:
        return True
    if not only.keeps(getattr(item, "tags", None)):
        return False
    return not isinstance(item, Section) or any(only.keeps(getattr(e, "tags", None)) for e in item.entries)


def text_values(cv: CV, lang: str, printed_only: bool = True,
                only: Variant | None = None) -> Iterator[tuple[str, str]]:
    """(path, text) for every printed text value of the CV in one language, in order
    (with `printed_only=False`, every text value, URLs and tags included); `only`: of
    that variant."""
    skip = _NOT_PRINTED if printed_only else set()

    def walk(value: Any, path: str, md: bool = False) -> Iterator[tuple[str, str]]:
        if isinstance(value, Localized):
            yield path, plain(value.get(lang)) if md else value.get(lang)
        elif isinstance(value, Contacts):
            # contacts are printed as their links' visible text ("github.com/jdoe")
            for link in contact_links(value.model_dump()):
                yield f"{path}.{link.kind}", link.text
        elif isinstance(value, BaseModel):
            if isinstance(value, Section) and value.title is None:
                yield f"{path}.title", section_title(value.kind, lang, labels_of(cv))  # type: ignore[arg-type]
            for name in type(value).model_fields:
                if name not in skip:
                    yield from walk(getattr(value, name), f"{path}.{name}" if path else name,
                                    name in MARKDOWN_FIELDS)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if _in_variant(item, only):
                    yield from walk(item, f"{path}[{i}]", md)
        elif isinstance(value, str):
            yield path, value

    yield from walk(cv, "")
