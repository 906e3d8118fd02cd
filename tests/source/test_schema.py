"""The JSON Schema editors use: generated from the models, committed, complete."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

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
    schema = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


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
