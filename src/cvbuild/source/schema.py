"""The JSON Schema of cv.yaml, generated from the models, for editors.

`cvbuild schema` prints it; the repository keeps a copy in schema.json (a test fails
when the copy is stale), and cv.yaml's first line points editors at it:
`# yaml-language-server: $schema=./schema.json`."""

from __future__ import annotations

import json
from typing import Any

from cvbuild.source.model import CV

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = "# yaml-language-server: $schema=./schema.json"


def json_schema() -> dict[str, Any]:
    """The schema as a dict: the models' own, with the dialect it is written in."""
    schema = CV.model_json_schema()
    schema["title"] = "cvbuild CV"
    defs = schema.pop("$defs", {})
    return {"$schema": DIALECT, **schema, "$defs": defs}  # definitions last: easier to read


def schema_text() -> str:
    """The schema as the text of schema.json."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
