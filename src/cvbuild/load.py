"""cv.yaml → a validated CV, every input problem reported with file:line:column.

YAML is composed into nodes (PyYAML's composer keeps a mark on each), turned into
plain Python while a position is recorded for every path, then validated by the
Pydantic models. Every error on the way becomes one InputError with all problems.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from cvbuild.errors import InputError, Problem

MAX_BYTES = 1_000_000  # a CV is a few KB; a megabyte is already absurd
MAX_DEPTH = 40
MAX_NODES = 100_000  # counts nodes after alias expansion: stops alias bombs

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """Safe loader with YAML 1.2-like scalars: only true/false are booleans
    (no Norway problem: `no`, `on`, `yes` stay text) and dates stay text
    (a CV date is validated by the model, not by YAML's timestamp rules)."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9_]*)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?$",
        list("-+0123456789"),
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    _Loader.add_implicit_resolver(_tag, re.compile(_regexp), _first)

_SCALARS = {
    "tag:yaml.org,2002:str": SafeConstructor.construct_yaml_str,
    "tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null,
}


class Positions:
    """Where each path of the document stands in the file (1-based line, column)."""

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}

    def of_value(self, path: Path_) -> tuple[int, int] | None:
        """The position of the value at path, or of its nearest present ancestor."""
        for i in range(len(path), -1, -1):
            if path[:i] in self.values:
                return self.values[path[:i]]
        return None

    def of_key(self, path: Path_) -> tuple[int, int] | None:
        """The position of the key that names path (for unknown keys), else the value."""
        return self.keys.get(path) or self.of_value(path)


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Converter:
    def __init__(self, file: str):
        self.file = file
        self.positions = Positions()
        self.problems: list[Problem] = []
        self.nodes = 0
        self._constructor = SafeConstructor()

    def problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.file, line, col, format_path(path), message))

    def convert(self, node: yaml.Node, path: Path_ = (), depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooBig(
                f"the document expands to more than {MAX_NODES:,} values "
                "(an alias bomb?); write the text out instead of repeating aliases"
            )
        if depth > MAX_DEPTH:
            raise _TooBig(f"nesting deeper than {MAX_DEPTH} levels; flatten the structure")
        self.positions.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                self.problem(node, path, f"YAML tag {node.tag!r} is not allowed; remove it")
                return None
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_node, path, "a key must be plain text")
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problem(key_node, path, "YAML merge keys (<<) are not supported")
                    continue
                key = key_node.value
                if key in out:
                    self.problem(
                        key_node, path + (key,), "this key appears twice; keep one of them"
                    )
                    continue
                self.positions.keys[path + (key,)] = _mark(key_node)
                out[key] = self.convert(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.problem(node, path, f"YAML tag {node.tag!r} is not allowed; remove it")
                return None
            return [
                self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)
            ]
        construct = _SCALARS.get(node.tag)
        if construct is None:
            self.problem(node, path, f"YAML tag {node.tag!r} is not allowed; remove it")
            return None
        return construct(self._constructor, node)


class _TooBig(Exception):
    pass


def load_yaml(text: str, file: str = "cv.yaml") -> tuple[Any, Positions]:
    """Parse YAML text into plain Python and the position of every path.

    Raises InputError for syntax errors, forbidden tags, duplicate keys and limits."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError([Problem(file, None, None, "", f"the file is larger than {MAX_BYTES:,} bytes; a CV fits in far less")])
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError([Problem(file, line, col, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, None, None, "", f"YAML error: {exc}")]) from None
    if root is None:
        raise InputError([Problem(file, 1, 1, "", "the file is empty; run `cvbuild init` for a starter CV")])
    conv = _Converter(file)
    try:
        data = conv.convert(root)
    except _TooBig as exc:
        raise InputError([Problem(file, None, None, "", str(exc))]) from None
    if conv.problems:
        raise InputError(conv.problems)
    return data, conv.positions


def read_text(path: Path) -> str:
    """Read a file as UTF-8, or raise an InputError saying why not."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError([Problem(str(path), None, None, "", f"the file is larger than {MAX_BYTES:,} bytes; a CV fits in far less")])
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError([Problem(str(path), None, None, "", "no such file; run `cvbuild init` to write a starter CV")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(path), None, None, "", "this is a folder, not a YAML file")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), None, None, "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]) from None
    except PermissionError:
        raise InputError([Problem(str(path), None, None, "", "cannot read this file: permission denied")]) from None


def load_cv(path: Path | str):
    """Read, parse and validate a CV file. Raises InputError listing every problem."""
    from cvbuild.validate import validate_cv

    path = Path(path)
    text = read_text(path)
    data, positions = load_yaml(text, str(path))
    return validate_cv(data, positions, str(path))
