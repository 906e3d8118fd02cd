"""The JSON Schema of cv.yaml, generated from the models, for editors.

`cvbuild schema` prints it; the repository keeps a copy in schema.json (a test fails
when the copy is stale), and cv.yaml's first line points editors at it:
`# yaml-language-server: $schema=./schema.json`. Application files (application.py)
have theirs in application.schema.json, kept fresh the same way."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from cvbuild.source.application import Application
from cvbuild.source.model import CV

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = "# yaml-language-server: $schema=./schema.json"


def json_schema(model: type[BaseModel] = CV) -> dict[str, Any]:
    """The schema as a dict: the models' own, with the dialect it is written in."""
    schema = model.model_json_schema()
    schema["title"] = TITLES[model]
    defs = schema.pop("$defs", {})
    return {"$schema": DIALECT, **schema, "$defs": defs}  # definitions last: easier to read


TITLES: dict[type[BaseModel], str] = {CV: "cvbuild CV", Application: "cvbuild application"}


def schema_text(model: type[BaseModel] = CV) -> str:
    """The schema as the text of schema.json (application.schema.json for Application)."""
    return json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n"
