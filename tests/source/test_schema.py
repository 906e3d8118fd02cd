"""The JSON Schema editors use: generated from the models, committed, complete."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from conftest import schema_validator

from cvbuild.source.reader import load_yaml, read_text
from cvbuild.source.schema import MODELINE, json_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_is_current():
    committed = (ROOT / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "schema.json is stale: run `cvbuild schema > schema.json`"


def _properties(node, where=""):
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}.{name}", prop
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}[{i}]")


def test_every_field_and_model_is_described():
    schema = json_schema()
    props = list(_properties(schema))
    assert len(props) > 60
    assert [where for where, prop in props if not prop.get("description")] == []
    assert [name for name, d in schema["$defs"].items() if not d.get("description")] == []


def test_cv_yaml_points_editors_at_the_schema():
    assert (ROOT / "cv.yaml").read_text(encoding="utf-8").splitlines()[0] == MODELINE


@pytest.fixture(scope="module")
def validator():
    return schema_validator("schema.json")


def test_editor_accepts_the_real_cv(validator):
    """What the editor checks agrees with cvbuild: no false alarm on a valid CV."""
    data, _ = load_yaml(read_text(ROOT / "cv.yaml"))
    assert [e.message for e in validator.iter_errors(data)] == []


def test_editor_flags_what_cvbuild_refuses(validator):
    data, _ = load_yaml(
        "languages: [ru, en]\nheader: {name: Ivan, nmae: x}\n"
        "sections: [{title: T, entries: [{compnay: X}]}]\nmax_pages: 0\n"
    )
    paths = sorted("/".join(map(str, e.absolute_path)) for e in validator.iter_errors(data))
    assert paths == ["header", "max_pages", "sections/0/entries/0"]


# --- the field reference, docs/cv-yaml.md ---------------------------------------------

def test_committed_reference_is_current():
    from cvbuild.source.reference import reference_markdown

    committed = (ROOT / "docs" / "cv-yaml.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), \
        "docs/cv-yaml.md is stale: run `cvbuild schema --markdown > docs/cv-yaml.md`"


def _models():
    from cvbuild.source import model

    return [model.CV, *(getattr(model, name) for name in json_schema()["$defs"])]


def _example(cls, key):
    """The example of a field; for a mapping, one made of its own fields' examples."""
    from pydantic import BaseModel

    from cvbuild.source import model

    field = cls.model_fields[key]
    if field.examples:
        return field.examples[0]
    if key == "entries":
        return [_made(m) for m in model.ENTRY_KINDS.values()]  # one entry of every kind
    many = typing.get_origin(field.annotation) is list
    for arg in typing.get_args(field.annotation) if many else (field.annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return [_made(arg)] if many else _made(arg)
    raise AssertionError(f"{cls.__name__}.{key} has no example and holds no mapping")


def _made(cls):
    return {key: _example(cls, key) for key in cls.model_fields}


def test_every_key_has_a_row_and_an_example():
    from cvbuild.source.reference import reference_markdown

    text = reference_markdown()
    for cls in _models():
        for key in cls.model_fields:
            example = _example(cls, key)
            assert f"| `{key}` |" in text, f"{cls.__name__}.{key} is not in the reference"
            if cls.model_fields[key].examples:
                assert f"`{key}: " in text, f"{cls.__name__}.{key}: example not shown"
            assert example is not None


def test_a_cv_made_of_every_example_is_valid():
    """Every example is a value cv.yaml takes: the CV made of all of them validates, with
    every key of every mapping and an entry of every kind."""
    from cvbuild.source import model
    from cvbuild.source.reader import Positions
    from cvbuild.source.validate import validate_cv

    data = _made(model.CV)
    data["header"]["photo"] = None  # an example file name, not a file here
    cv = validate_cv(data, Positions(), "examples")
    assert {type(e) for e in cv.sections[0].entries} == set(model.ENTRY_KINDS.values())
    assert cv.header.contacts.linkedin == "anna-obraztsova"
