"""Plain data with positions → CV. Pydantic's errors are rewritten here, at the
loader boundary, into Problems a person can act on; nothing past this module
ever sees a raw ValidationError, and no sentence of Pydantic's reaches the user.

Pydantic's own error types are each given plain words below (`_BUILTIN`); an error
type Pydantic does not define is one of ours (PydanticCustomError in model.py), whose
message is already written for people. Any built-in type not in the table gets a
sentence made from the field's description, never Pydantic's wording.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from cvbuild.errors import InputError, Problem
from cvbuild.source.model import CV, ENTRY_KINDS, ENTRY_TAGS
from cvbuild.source.reader import Path_, Positions, format_path
from cvbuild.text.locales import LANGUAGES, labels_example, missing_labels, script_problem
from cvbuild.text.markdown import LINK_SCHEMES, refused_links

BUILTIN_ERROR_TYPES: frozenset[str] = frozenset(typing.get_args(ErrorType))


def _found(value: Any) -> str:
    """What the YAML holds, in the words of a YAML author."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return "something else"


_MAPPING = "expected a mapping of `key: value` lines, found {found}"
_NUMBER = "expected a whole number such as 2, found {found}"

# Pydantic's error types that this schema can produce, in plain words. Placeholders:
# {found} (what the YAML holds) and Pydantic's context values (ge, min_length, …).
_BUILTIN: dict[str, str] = {
    "string_type": "expected text, found {found}",
    "list_type": "expected a list (lines starting with `- `, or [a, b]), found {found}",
    "tuple_type": "expected a list (lines starting with `- `, or [a, b]), found {found}",
    "set_type": "expected a list (lines starting with `- `, or [a, b]), found {found}",
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dataclass_type": _MAPPING,
    "int_type": _NUMBER,
    "int_parsing": _NUMBER,
    "int_from_float": _NUMBER,
    "float_type": "expected a number, found {found}",
    "float_parsing": "expected a number, found {found}",
    "bool_type": "expected true or false, found {found}",
    "bool_parsing": "expected true or false, found {found}",
    "greater_than_equal": "must be {ge} or more",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be {le} or less",
    "less_than": "must be less than {lt}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long: at most {max_length} characters",
    "too_long": "has too many items: at most {max_length}",
    "enum": "must be one of: {expected}",
    "none_required": "must be left empty",
    "union_tag_invalid": "cannot tell what kind of item this is",
    "union_tag_not_found": "cannot tell what kind of item this is",
}

# Where a problem is better shown than at the value Pydantic names: a sub-path.
_AT_FIELD = {"date_order": "end", "date_start_present": "start"}


def _clean_loc(loc: tuple[Any, ...]) -> Path_:
    """Drop the union tags Pydantic puts in a location; keep field names and indexes."""
    return tuple(p for p in loc if not (isinstance(p, str) and p in ENTRY_TAGS))


def _model_at(loc: tuple[Any, ...], root: type[BaseModel] = CV) -> type[BaseModel] | None:
    """The model class whose field list applies at a (raw, tagged) location under `root`."""
    from cvbuild.source import model as m

    current: type[BaseModel] | None = root
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
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None and found.__name__ not in ENTRY_TAGS:
            return found
    return None


def _description(loc: tuple[Any, ...], root: type[BaseModel] = CV) -> str | None:
    """The description of the field at a raw location, for sentences about it."""
    names = [p for p in loc if isinstance(p, str) and p not in ENTRY_TAGS]
    if not names:
        return None
    model = _model_at(loc[: max(i for i, p in enumerate(loc) if p == names[-1])], root)
    field = model.model_fields.get(names[-1]) if model else None
    if field is None or not field.description:
        return None
    text = field.description.rstrip(".")
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _suggest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


# An explanation: the message, and optionally a sub-path and whether the position
# to report is the key's (for unknown keys) rather than the value's.
Explained = tuple[str, Path_, bool]


def _unknown_key(err: Mapping[str, Any], root: type[BaseModel]) -> Explained:
    key = str(err["loc"][-1])
    model = _model_at(err["loc"][:-1], root)
    allowed = list(model.model_fields) if model else []
    guess = _suggest(key, allowed)
    if guess:
        hint = f"; did you mean `{guess}`?"
    elif allowed:
        hint = f"; the keys allowed here are: {', '.join(allowed)}"
    else:
        hint = "; remove it"
    return f"unknown key `{key}`{hint}", (), True


def _missing(err: Mapping[str, Any], root: type[BaseModel]) -> Explained:
    key = err["loc"][-1]
    about = _description(err["loc"], root)
    return (
        f"required key `{key}` is missing; add it" + (f" ({about})" if about else ""),
        (),
        False,
    )


def _entry_kind(err: Mapping[str, Any], root: type[BaseModel]) -> Explained:
    kinds = ", ".join(f"`{k}:`" for k in ENTRY_KINDS)
    value = err.get("input")
    if not isinstance(value, dict):
        return (f"expected an entry (a mapping that starts with one of {kinds}), "
                f"found {_found(value)}", (), False)
    for key in value:
        guess = _suggest(str(key), list(ENTRY_KINDS))
        if guess:
            return (f"unknown key `{key}`; did you mean `{guess}`? (an entry needs one "
                    f"of {kinds})", (key,), True)
    return f"cannot tell what kind of entry this is; start it with one of {kinds}", (), False


def _too_short(err: Mapping[str, Any], root: type[BaseModel]) -> Explained:
    least = (err.get("ctx") or {}).get("min_length", 1)
    if least == 1:
        return "must not be empty; add at least one item", (), False
    return f"needs at least {least} items", (), False


def _literal(err: Mapping[str, Any], root: type[BaseModel]) -> Explained:
    """A value outside a fixed list: the list, and the nearest choice when it was a typo
    (`kind: project` → `projects`, `paper: A4` → `a4`)."""
    expected = str((err.get("ctx") or {}).get("expected", ""))
    value = err.get("input")
    guess = None
    if isinstance(value, str):
        choices = {c.casefold(): c for c in re.findall(r"'([^']*)'", expected)}
        guess = _suggest(value.casefold(), list(choices))
    if guess:
        return (f"'{value}' is not one of the choices; did you mean `{choices[guess]}`? "
                f"The choices: {expected}"), (), False
    return f"must be one of: {expected}", (), False


_SPECIAL: dict[str, Callable[[Mapping[str, Any], type[BaseModel]], Explained]] = {
    "literal_error": _literal,
    "extra_forbidden": _unknown_key,
    "missing": _missing,
    "entry_kind": _entry_kind,
    "too_short": _too_short,
}


def explain(err: Mapping[str, Any], root: type[BaseModel] = CV) -> Explained:
    """One Pydantic error (from `errors()`) → (plain message, sub-path, at key?);
    `root` is the model the whole document was validated against."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _SPECIAL:
        return _SPECIAL[kind](err, root)
    if kind in _BUILTIN:
        words = {k: v for k, v in ctx.items() if isinstance(v, (str, int, float))}
        return _BUILTIN[kind].format_map({**words, "found": _found(err.get("input"))}), (), False
    if kind in ("value_error", "assertion_error"):
        # a plain ValueError raised by a validator of ours: its text is ours
        msg = str(ctx.get("error", "")) or "this value is not valid here"
        return msg, (), False
    if kind not in BUILTIN_ERROR_TYPES:
        # ours (PydanticCustomError): written for people already; aim it at a sub-path
        if kind in _AT_FIELD:
            return err["msg"], (_AT_FIELD[kind],), False
        if kind == "unknown_language":
            return err["msg"], (ctx["code"],), True
        if kind == "text_type" and "code" in ctx:
            return err["msg"], (ctx["code"],), False
        if kind == "text_type" and err.get("input") is None:
            return "is empty; write the text here", (), False
        return err["msg"], (), False
    about = _description(err["loc"], root)
    return (
        "this value does not fit here" + (f"; expected: {about}" if about else "")
        + "; `cvbuild schema` shows what each key takes",
        (),
        False,
    )


def message(err: Mapping[str, Any]) -> str:
    """One Pydantic error in plain words, for callers that place it themselves."""
    return _one_line(explain(err)[0])


def _one_line(message: str) -> str:
    """A problem is one line: a value quoted in it may hold line breaks (block scalars)."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def _within(path: Path_, roots: set[Path_]) -> bool:
    return any(path[: len(r)] == r for r in roots)


# A language added to or taken out of `languages` touches every text: past this many
# texts, one line per language says so, with the first places, instead of one per text.
_PLACES = 3


def _language_group(err: Mapping[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """('unknown', (code,)) or ('missing', codes) for a text's language problem, else None."""
    ctx = err.get("ctx") or {}
    if err["type"] == "unknown_language":
        return "unknown", (str(ctx["code"]),)
    if err["type"] == "missing_translation":
        return "missing", tuple(ctx["missing"])
    return None


def _grouped(group: tuple[str, tuple[str, ...]], found: list[Problem],
             languages: list[str]) -> Problem:
    """One problem for every text with the same language problem, at the first of them."""
    found = sorted(found, key=lambda p: (p.line or 0, p.column or 0))
    kind, codes = group
    shown = [f"{p.path} ({p.line}:{p.column})" if p.line else p.path for p in found[:_PLACES]]
    places = ", ".join(shown) + f" and {len(found) - _PLACES} more"
    which = ", ".join(f"'{c}'" for c in codes)
    first = found[0]
    if kind == "unknown":
        message = (f"{which} is not a declared language (declared: {', '.join(languages)}), "
                   f"and {len(found)} texts are written in it: {places}; add {codes[0]} to "
                   "`languages`, or remove these texts")
    else:
        message = (f"{len(found)} texts lack the {which} text: {places}; add `{codes[0]}: …` "
                   f"to each, or take {', '.join(codes)} out of `languages`")
    return Problem(first.file, first.line, first.column, "", message)


def validate_cv(
    data: Any, positions: Positions, file: str, problems: list[Problem] | None = None
) -> CV:
    """Validate plain data against the CV model, or raise one InputError with every
    problem: `problems` found while loading, then each validation error."""
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        languages = []
    return validate_model(CV, data, positions, file, problems, {"languages": languages},
                          after=lambda cv: language_problems(cv, positions, file))


M = typing.TypeVar("M", bound=BaseModel)


def validate_model(
    model: type[M], data: Any, positions: Positions, file: str,
    problems: list[Problem] | None = None, context: dict[str, Any] | None = None,
    after: Callable[[M], list[Problem]] | None = None,
) -> M:
    """Validate plain data against `model` (the root of a document: a CV, an
    application), or raise one InputError with every problem: `problems` found while
    loading, then each validation error, in the order of the file (a language's missing
    texts told once when there are many). `context` holds the declared `languages`;
    `after` finds the problems of a document the model accepted (what no one field can
    tell)."""
    problems = list(problems or [])
    languages = list((context or {}).get("languages") or [])
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        by_language: dict[tuple[str, tuple[str, ...]], list[Problem]] = {}
        for err in exc.errors(include_url=False):
            path = _clean_loc(err["loc"])
            if _within(path, positions.voided):
                continue  # already reported while loading
            message, sub, at_key = explain(err, model)
            path += sub
            pos = positions.of_key(path) if at_key else positions.of_value(path)
            problem = Problem.at(file, pos, format_path(path), _one_line(message))
            group = _language_group(err)
            (by_language.setdefault(group, []) if group else problems).append(problem)
        for group, found in by_language.items():
            problems.extend(found if len(found) <= _PLACES else [_grouped(group, found, languages)])
    else:
        if after is not None:
            problems += after(result)
    problems += _link_problems(data, positions, file)
    raise_problems(problems)
    return result


def raise_problems(problems: list[Problem]) -> None:
    """Raise one InputError with the problems in the order of the file, if there are any."""
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise InputError(problems)


def language_problems(cv: CV, positions: Positions, file: str) -> list[Problem]:
    """A language cvbuild cannot set (its script), or one with no built-in table whose
    labels cv.yaml does not give: each an error at its place in `languages`, naming what
    it lacks and the `labels:` block that would give it. Never built in English words."""
    kinds = {s.kind for s in cv.sections if s.kind is not None and s.title is None}
    problems = []
    for i, lang in enumerate(cv.languages):
        path: Path_ = ("languages", i)
        pos = positions.of_value(path)
        refused = script_problem(lang)
        if refused:
            problems.append(Problem.at(file, pos, format_path(path), refused))
            continue
        given = cv.labels[lang].model_dump(exclude_none=True) if lang in cv.labels else {}
        lacking = missing_labels(lang, given, kinds)
        if lacking:
            example = labels_example(lang, lacking)
            problems.append(Problem.at(
                file, pos, format_path(path),
                f"cvbuild has no built-in words for '{lang}' and cv.yaml gives no "
                f"{', '.join(lacking)} for it; add them in a `labels:` block, e.g. {example} "
                f"(or use a language with a built-in table: {', '.join(LANGUAGES)})"))
    for lang in cv.labels:
        if lang not in cv.languages:
            path = ("labels", lang)
            problems.append(Problem.at(file, positions.of_key(path), format_path(path),
                                    f"'{lang}' is not a declared language; add it to `languages` "
                                    "or remove its labels"))
    return problems


def _link_problems(data: Any, positions: Positions, file: str, path: Path_ = ()) -> list[Problem]:
    """A markdown link in any text whose target is not a web, e-mail or phone address:
    a PDF would make it an action (open a file, run a program), not a link."""
    if isinstance(data, dict):
        return [p for key, value in data.items()
                for p in _link_problems(value, positions, file, path + (key,))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data)
                for p in _link_problems(value, positions, file, path + (i,))]
    if not isinstance(data, str):
        return []
    out = []
    for href in refused_links(data):
        out.append(Problem.at(file, positions.of_value(path), format_path(path), _one_line(
            f"the link target '{href}' is not a web, e-mail or phone address; a link "
            f"must start with {', '.join(s + ':' for s in LINK_SCHEMES)} (e.g. "
            "https://example.org), or write the text without the (…) part")))
    return out
