"""Plain data with positions → CV. Pydantic's errors are rewritten here, at the
loader boundary, into Problems a person can act on; nothing past this module
ever sees a raw ValidationError."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from cvbuild.errors import InputError, Problem
from cvbuild.load import Path_, Positions, format_path
from cvbuild.model import CV, ENTRY_KINDS, ENTRY_TAGS

_TYPE_WORDS = {
    "string_type": "expected text",
    "list_type": "expected a list (lines starting with `- `)",
    "dict_type": "expected a mapping of `key: value` lines",
    "model_type": "expected a mapping of `key: value` lines",
    "model_attributes_type": "expected a mapping of `key: value` lines",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
}


def _clean_loc(loc: tuple[Any, ...]) -> Path_:
    """Drop the union tags Pydantic puts in a location; keep field names and indexes."""
    return tuple(p for p in loc if not (isinstance(p, str) and p in ENTRY_TAGS))


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose field list applies at a (raw, tagged) location."""
    from cvbuild import model as m

    current: type[BaseModel] | None = CV
    for part in loc:
        if isinstance(part, str) and part in ENTRY_TAGS:
            current = getattr(m, part, None) if part not in ("Text",) else None
            continue
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part)
        if field is None:
            return current
        current = _inner_model(field.annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None and found.__name__ not in ENTRY_TAGS:
            return found
    return None


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return f"required field `{err['loc'][-1]}` is missing; add it"
    if kind == "extra_forbidden":
        key = err["loc"][-1]
        model = _model_at(err["loc"][:-1])
        allowed = list(model.model_fields) if model else []
        guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{guess[0]}`?" if guess else (
            f"; allowed keys here: {', '.join(allowed)}" if allowed else ""
        )
        return f"unknown key `{key}`{hint}"
    if kind in _TYPE_WORDS:
        return _TYPE_WORDS[kind]
    if kind == "too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else err["msg"]
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"must be between the allowed bounds ({err['msg'].lower()})"
    if kind == "entry_kind":
        return "cannot tell what kind of entry this is; start it with one of: " + ", ".join(
            f"`{k}:`" for k in ENTRY_KINDS
        )
    msg = err["msg"]
    # Our own PydanticCustomErrors are written for people already; strip Pydantic's prefix.
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg


def validate_cv(data: Any, positions: Positions, file: str) -> CV:
    """Validate plain data against the CV model, or raise one InputError with every problem."""
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        languages = []
    try:
        return CV.model_validate(data, context={"languages": languages})
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            path = _clean_loc(err["loc"])
            if err["type"] == "extra_forbidden":
                pos = positions.of_key(path)
            else:
                pos = positions.of_value(path)
            line, col = pos if pos else (None, None)
            problems.append(Problem(file, line, col, format_path(path), _message(err)))
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise InputError(problems) from None
