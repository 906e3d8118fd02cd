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
from cvbuild.paths import FileTooLarge, NotRegularFile, read_regular

MAX_BYTES = 1_000_000  # a CV is a few KB; a megabyte is already absurd
MAX_DEPTH = 40
MAX_NODES = 100_000  # counts nodes after alias expansion: stops alias bombs
# the text after alias expansion, in characters: aliases of long texts multiply bytes,
# not values (120 KB expanding to 6 MB took 40 s)
MAX_EXPANDED = 2 * MAX_BYTES
# a run of characters with no place to break a line: a line holds about a hundred, and
# XeTeX died on a word of about 1,000 letters ("stopped without saying why")
MAX_WORD = 300
# a web address is a link target too (a theme need not print it): longer, but not as
# long as the words XeTeX dies on when a theme does print it
MAX_URL = 600
_LONG_TOKEN_RE = re.compile(rf"\S{{{MAX_WORD + 1},}}")
_LONG_WORD_RE = re.compile(rf"[^\s\-\u2010-\u2015]{{{MAX_WORD + 1},}}")
_URL_START_RE = re.compile(r"(?:https?|mailto|tel):", re.I)


def overlong(text: str) -> str | None:
    """Why a text has a word no line can hold, or None: a run of more than MAX_WORD
    characters without a space or hyphen, or a web address longer than MAX_URL."""
    for m in _LONG_TOKEN_RE.finditer(text):
        token = m.group()
        if _URL_START_RE.match(token):
            if len(token) > MAX_URL:
                return (f"a web address of {len(token):,} characters (at most {MAX_URL}): "
                        f"'{token[:24]}…'; shorten it")
        elif long := _LONG_WORD_RE.search(token):
            return (f"a word of {len(long.group()):,} characters with no space or hyphen "
                    f"to break a line at (at most {MAX_WORD}): '{long.group()[:20]}…'; "
                    "add spaces or shorten it")
    return None

MAX_DIGITS = 100  # Python refuses to turn more than 4,300 digits into an int

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

# libyaml's parser (PyYAML's C binding, in every PyYAML wheel): the same events and
# marks, more than ten times faster. Only a document it reads whole is taken from it; any
# error is reported by the Python parser, whose words the syntax hints below match.
_LOADERS: tuple[type, ...] = (_Loader,)
try:
    from yaml._yaml import CParser
except ImportError:  # a PyYAML built without libyaml
    pass
else:
    from yaml.resolver import Resolver

    class _CLoader(CParser, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Resolver.__init__(self)

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _LOADERS = (_CLoader, _Loader)

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
        # paths whose value was refused while loading (a forbidden tag) and read as
        # empty: validation says nothing more about them
        self.voided: set[Path_] = set()
        self._names: dict[str, Path_] | None = None  # format_path → path, made when asked

    def of_value(self, path: Path_) -> tuple[int, int] | None:
        """The position of the value at path, or of its nearest present ancestor."""
        for i in range(len(path), -1, -1):
            if path[:i] in self.values:
                return self.values[path[:i]]
        return None

    def of_name(self, name: str) -> tuple[int, int] | None:
        """The position of a path written as format_path writes it ("a.b[0].c")."""
        if self._names is None:
            self._names = {format_path(p): p for p in self.values}
        path = self._names.get(name)
        return self.values[path] if path is not None else None

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
        self.chars = 0
        self._constructor = SafeConstructor()

    def problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.file, line, col, format_path(path), message))

    def refuse_tag(self, node: yaml.Node, path: Path_) -> None:
        # `!!name` is how the file spells YAML's own tags (tag:yaml.org,2002:name)
        tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
        self.problem(node, path, f"the YAML tag `{tag}` is not allowed here; remove it")
        self.positions.voided.add(path)

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
                return self.refuse_tag(node, path)
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_node, path, "a key must be plain text, not a list or mapping")
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge" or (
                    key_node.value == "<<" and not key_node.style  # plain: None, or "" (libyaml)
                ):
                    self.problem(
                        key_node, path + ("<<",),
                        "YAML merge keys (`<<`) are not supported; write the keys out",
                    )
                    continue
                key = key_node.value
                self.chars += len(key)  # keys are text too (a mapping's alias repeats them)
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
                return self.refuse_tag(node, path)
            return [
                self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)
            ]
        construct = _SCALARS.get(node.tag)
        if construct is None or not isinstance(node, yaml.ScalarNode):
            return self.refuse_tag(node, path)
        self.chars += len(node.value)
        if self.chars > MAX_EXPANDED:
            raise _TooBig(
                f"the document's text expands to more than {MAX_EXPANDED:,} characters "
                "(aliases of long texts?); write the text out instead of repeating aliases"
            )
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and \
                len(node.value) > MAX_DIGITS:
            self.problem(node, path, f"a number of {len(node.value):,} characters; no value "
                         "of a CV is that long: shorten it, or put it in quotes as text")
            return None
        value = construct(self._constructor, node)
        if isinstance(value, str) and (why := overlong(value)):
            self.problem(node, path, why)
            return None
        if isinstance(value, str):
            bad = _SURROGATE_RE.search(value)
            if bad:
                self.problem(
                    node, path, f"U+{ord(bad.group()):04X} is half of a UTF-16 pair, not a "
                    "character (a \\u escape?); write the character itself",
                )
                return None
        return value


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class _TooBig(Exception):
    pass


def _check_depth(text: str, file: str, loader: type = _Loader) -> None:
    """Refuse deep nesting before composing: PyYAML's composer recurses once per level
    and would die with a RecursionError (a traceback) long before MAX_DEPTH is checked."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
                raise InputError([Problem(
                    file, line, col, "", f"nesting deeper than {MAX_DEPTH} levels; flatten the structure"
                )])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def load_yaml(text: str, file: str = "cv.yaml") -> tuple[Any, Positions]:
    """Parse YAML text into plain Python and the position of every path.

    Raises InputError for syntax errors, forbidden tags, duplicate keys and limits."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError([Problem(file, None, None, "", f"the file is larger than {MAX_BYTES:,} bytes; a CV fits in far less")])
    data, positions, problems = compose(text, file)
    if problems:
        raise InputError(problems)
    return data, positions


def compose(text: str, file: str = "cv.yaml") -> tuple[Any, Positions, list[Problem]]:
    """Like load_yaml, but problems that leave the rest readable (a forbidden tag, a
    duplicate key) are returned instead of raised, so that validation can report the
    rest of the file's problems with them. Syntax errors and limits still raise."""
    root = _compose_root(text, file)
    if root is None:
        raise InputError([Problem(file, 1, 1, "", "the file is empty; run `cvbuild init` for a starter CV")])
    conv = _Converter(file)
    try:
        data = conv.convert(root)
    except _TooBig as exc:
        raise InputError([Problem(file, None, None, "", str(exc))]) from None
    return data, conv.positions, conv.problems


def _compose_root(text: str, file: str) -> yaml.Node | None:
    """The document's root node, by libyaml when it reads the text without an error,
    else by the Python parser, which reports the error in the words matched below."""
    for loader in _LOADERS:
        try:
            _check_depth(text, file, loader)
            return yaml.compose(text, Loader=loader)
        except yaml.YAMLError as exc:
            if loader is not _Loader:
                continue
            if isinstance(exc, yaml.MarkedYAMLError):
                raise InputError([syntax_problem(exc, file)]) from None
            raise InputError([Problem(file, None, None, "", f"YAML syntax error: {exc}")]) from None
    return None


# PyYAML's words for what it found → what a person should do. Matched against
# "context | problem"; the first match wins; \1 is the quoted character or alias.
_SYNTAX_HINTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"found character '\\t' that cannot start any token"),
     "a tab character; YAML indents with spaces only: replace the tab with spaces"),
    (re.compile(r"quoted scalar \| found unexpected end of stream"),
     "a quoted text is not closed; add the closing quote"),
    (re.compile(r"found unknown escape character '(.+?)'"),
     r"`\\\1` is not an escape YAML knows inside double quotes; write `\\\\` for a "
     "backslash, or put the text in single quotes"),
    (re.compile(r"mapping values are not allowed here"),
     "a `key: value` where none can be: indent this line like the keys beside it, "
     "or put text that contains `: ` in quotes"),
    (re.compile(r"flow sequence \| expected ',' or '\]'"),
     "a list opened with `[` is not closed where it should be; add `]` or a comma"),
    (re.compile(r"flow mapping \| expected ',' or '\}'"),
     "a mapping opened with `{` is not closed where it should be; add `}` or a comma"),
    (re.compile(r"simple key \| could not find expected ':'"),
     "a line without `key:`; add the key and a colon, or indent it under the text it continues"),
    (re.compile(r"found undefined alias '(.+?)'"),
     r"`*\1` refers to an anchor `&\1` that is not defined above it"),
    (re.compile(r"found duplicate anchor '(.+?)'"),
     r"the anchor `&\1` is defined twice; rename one"),
    (re.compile(r"found character '(.)' that cannot start any token"),
     r"text cannot start with `\1`; put the whole value in quotes"),
    (re.compile(r"expected <block end>, but found"),
     "this line does not line up with the lines above it: check its indentation "
     "(a `- ` list item and a `key:` cannot share one level)"),
]


def syntax_problem(exc: yaml.MarkedYAMLError, file: str) -> Problem:
    """One YAML syntax error as a Problem in plain words, where the parser stopped."""
    said = f"{exc.context or ''} | {exc.problem or ''}"
    what = next(
        (m.expand(hint) for pattern, hint in _SYNTAX_HINTS if (m := pattern.search(said))),
        None,
    )
    if what is None:
        what = exc.problem or exc.context or "the text is not valid YAML"
        what = what.replace("<", "").replace(">", "")
        what = f"{what} (while {exc.context.removeprefix('while ')})" if exc.context else what
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    opened = exc.context_mark
    if opened is not None and mark is not None and opened.line != mark.line and "not closed" in what:
        what += f" (it opens at line {opened.line + 1})"
    return Problem(file, line, col, "", f"YAML syntax error: {what}")


def read_text(path: Path, missing: str = "run `cvbuild init` to write a starter CV") -> str:
    """Read a file as UTF-8, or raise an InputError saying why not (`missing`: what to
    do when there is no such file)."""
    try:
        return read_regular(path, MAX_BYTES).decode("utf-8")
    except FileTooLarge:
        raise InputError([Problem(str(path), None, None, "", f"the file is larger than {MAX_BYTES:,} bytes; a CV fits in far less")]) from None
    except NotRegularFile:
        raise InputError([Problem(str(path), None, None, "", "not a regular file (a device, a pipe or a socket, or a link to one); give the path of a YAML file")]) from None
    except FileNotFoundError:
        raise InputError([Problem(str(path), None, None, "", f"no such file; {missing}")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(path), None, None, "", "this is a folder, not a YAML file")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), None, None, "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]) from None
    except PermissionError:
        raise InputError([Problem(str(path), None, None, "", "cannot read this file: permission denied")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), None, None, "", f"cannot read this file: {exc.strerror or exc}")]) from None
