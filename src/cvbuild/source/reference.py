"""docs/cv-yaml.md, the field reference of cv.yaml, written from the JSON Schema that
schema.json is (source/schema.py): every key with its type, default, description and
example, one table per mapping, in the order a reader meets them in the file.

`cvbuild schema --markdown > docs/cv-yaml.md` writes it; a test fails while the copy is
stale, as for schema.json. Descriptions and examples live on the models' fields
(source/model.py): edit them there."""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import BaseModel

from cvbuild.source import model
from cvbuild.source.schema import json_schema

# What the reference calls a mapping that is a kind of entry: the key that makes it one.
_ENTRY_KEY = {m.__name__: key for key, m in model.ENTRY_KINDS.items()}
_TEXT = "[text](#text)"
# Mappings met inside entries, where the path from the top says little.
_HEADINGS = {"Bullet": "a bullet (`lead:`, `text:`, `items:`)"}
_DATE = "[date](#dates)"

HEAD = """\
# cv.yaml: every key

<!-- Written by `cvbuild schema --markdown > docs/cv-yaml.md` from the descriptions
and examples in src/cvbuild/source/model.py; edit those, not this file. -->

Each table lists the keys of one mapping: its type, its default when left out
("required" when it cannot be), what it is, and an example written as in cv.yaml.
Unknown keys are errors. An editor that reads `schema.json` (see the README) shows the
same descriptions as you type.

<a id="text"></a>
**Text.** A text is either one string, the same in every language (names of
technologies, URLs), or one text per language declared in `languages`:
`{ru: Инженер данных, en: Data engineer}`. A text missing one of the declared
languages is an error. Where a description says so, inline Markdown works:
`**bold**`, `*italic*`, `` `code` ``, `[link](https://…)`.

<a id="dates"></a>
**Dates** are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; an end may be `present`.
"""


def _anchor(name: str) -> str:
    return name.lower()


def _ref(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _is_text(options: list[dict[str, Any]]) -> bool:
    types = sorted(str(o.get("type")) for o in options)
    return types == ["object", "string"] and any(o.get("additionalProperties") for o in options)


def _is_date(options: list[dict[str, Any]]) -> bool:
    return any(o.get("const") == "present" for o in options)


def _type(node: dict[str, Any], title: dict[str, str]) -> str:
    """A schema node as the reference names its type."""
    name = _ref(node)
    if name:
        return f"[{title[name]}](#{_anchor(name)})"
    options = [o for o in node.get("anyOf") or node.get("oneOf") or [] if o.get("type") != "null"]
    if options:
        if _is_text(options):
            return _TEXT
        if _is_date(options):
            return _DATE
        names = [_ref(o) for o in options]
        if all(n in _ENTRY_KEY for n in names):
            return "[entry](#entries)"
        return " or ".join(dict.fromkeys(_type(o, title) for o in options))
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    kind = node.get("type")
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"mapping of a language code to {_type(node['additionalProperties'], title)}"
    if kind == "array":
        return f"list of {_type(node.get('items', {}), title)}"
    if kind in ("integer", "number"):
        word = "whole number" if kind == "integer" else "number"
        low, high = node.get("minimum"), node.get("maximum")
        return f"{word} ({low}–{high})" if low is not None and high is not None else word
    if kind == "boolean":
        return "`true` or `false`"
    return "string"


def _yaml(value: Any) -> str:
    """A value as it is written in cv.yaml, on one line."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6,
                          sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _default(cls: type[BaseModel], key: str) -> str:
    field = cls.model_fields[key]
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "—"
    if isinstance(value, model.BaseModel):
        return "see below"
    if value in ([], {}):
        return "none"
    return f"`{_yaml(value)}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _example(cls: type[BaseModel], key: str) -> str:
    examples = cls.model_fields[key].examples  # the model's own: the schema sorts mappings
    if not examples:
        return ""
    return f"`{_cell(key + ': ' + _yaml(examples[0]))}`"


def _order(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(definition name, heading, schema) of every mapping, in the order a reader meets
    them from the top of the file; entries after the section that holds them."""
    defs = schema["$defs"]
    seen: list[str] = []
    found: list[tuple[str, str, dict[str, Any]]] = []

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [n for n in [_ref(node)] if n]
            return own + [r for value in node.values() for r in refs(value)]
        if isinstance(node, list):
            return [r for value in node for r in refs(value)]
        return []

    def visit(name: str, path: str) -> None:
        node = schema if name == "CV" else defs[name]
        seen.append(name)
        found.append((name, path, node))
        for key, prop in node.get("properties", {}).items():
            for child in refs(prop):
                if child not in seen:
                    many = "[]" if prop.get("type") == "array" or "items" in prop else ""
                    if isinstance(prop.get("additionalProperties"), dict):
                        many = ".LANG"  # a mapping by language code
                    inner = f"{path}.{key}{many}" if path else f"{key}{many}"
                    if child in _ENTRY_KEY:
                        inner = f"an entry with `{_ENTRY_KEY[child]}:`"
                    elif name in _ENTRY_KEY or name in _HEADINGS:
                        inner = _HEADINGS.get(child, f"`{key}`")  # inside an entry
                    visit(child, inner)

    visit("CV", "")
    return found


def reference_markdown() -> str:
    """The field reference of cv.yaml as markdown (docs/cv-yaml.md)."""
    schema = json_schema()
    order = _order(schema)
    title = {name: re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower() for name, _, _ in order}
    out = [HEAD]
    entries_told = False
    for name, heading, node in order:
        cls = getattr(model, name)
        if name in _ENTRY_KEY and not entries_told:
            entries_told = True
            kinds = ", ".join(f"[`{key}:`](#{_anchor(m.__name__)})"
                              for key, m in model.ENTRY_KINDS.items())
            out.append('<a id="entries"></a>\n## Entries\n\nAn entry of a section is told by '
                       f"the key it has: {kinds}.\n")
        level = "###" if name in _ENTRY_KEY or name in _HEADINGS else "##"
        if name == "CV":
            shown = "The file (top level)"
        elif "`" in heading:
            shown = heading[0].upper() + heading[1:]
        else:
            shown = f"`{heading}`"
        out.append(f'<a id="{_anchor(name)}"></a>\n{level} {shown}\n')
        out.append(_cell(node.get("description") or cls.__doc__ or "") + "\n")
        out.append("| key | type | default | what it is | example |\n|---|---|---|---|---|")
        for key, prop in node.get("properties", {}).items():
            out.append(f"| `{key}` | {_type(prop, title)} | {_default(cls, key)} | "
                       f"{_cell(prop.get('description', ''))} | {_example(cls, key)} |")
        out.append("")
    return "\n".join(out)
