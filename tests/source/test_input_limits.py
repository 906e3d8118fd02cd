"""Hostile cv.yaml files are refused with a clear message, never a traceback, and no
YAML tag builds a Python object (issue 4, point 5)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cvbuild.errors import InputError
from cvbuild.source.load import load_cv
from cvbuild.source.reader import MAX_BYTES, MAX_DEPTH, MAX_NODES, load_yaml

LOL = '["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'


def _bomb(levels: int = 9) -> str:
    lines = [f"a0: &a0 {LOL}"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _refused(text: str) -> str:
    with pytest.raises(InputError) as info:
        load_yaml(text, "cv.yaml")
    return str(info.value)


def test_huge_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "cv.yaml"
    big.write_text("a: " + "x" * (MAX_BYTES + 10), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cv(big)
    assert f"larger than {MAX_BYTES:,} bytes" in str(info.value)
    assert "larger than" in _refused("a: " + "x" * (MAX_BYTES + 10))


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1_000, 100_000])
def test_deep_nesting_is_refused_with_a_position(levels):
    message = _refused("a: " + "[" * levels + "]" * levels)
    # the top mapping is level 1, so the bracket at column 3 + MAX_DEPTH is one too many
    assert f"cv.yaml:1:{3 + MAX_DEPTH}: nesting deeper than {MAX_DEPTH} levels" in message


def test_deep_block_mappings_are_refused():
    text = "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + " " * (MAX_DEPTH + 5) + "x\n"
    assert "nesting deeper than" in _refused(text)


def test_nesting_within_the_limit_is_fine():
    data, _ = load_yaml("a: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1))
    assert data["a"] == [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]


def test_alias_bomb_is_refused():
    message = _refused(_bomb())  # 9**9 = 387,420,489 strings if expanded
    assert f"more than {MAX_NODES:,} values (an alias bomb?)" in message


def test_recursive_alias_is_refused():
    assert "nesting deeper than" in _refused("a: &x [*x]\n")


def test_a_few_aliases_are_fine():
    data, _ = load_yaml("a: &x hello\nb: *x\n")
    assert data == {"a": "hello", "b": "hello"}


@pytest.mark.parametrize(
    "value, tag",
    [
        ('!!python/object/apply:os.system ["touch {marker}"]', "python/object/apply:os.system"),
        ("!!python/object:os.system {{}}", "python/object:os.system"),
        ("!!python/object/new:os.system [\"touch {marker}\"]", "python/object/new:os.system"),
        ("!!python/name:os.system", "python/name:os.system"),
        ("!!python/module:os", "python/module:os"),
        ("!!binary aGVsbG8=", "binary"),
        ("!!set {{x: null}}", "set"),
        ("!!timestamp 2001-12-14", "timestamp"),
        ("!custom x", "!custom"),
        ("!<tag:example.com,2000:x> y", "tag:example.com,2000:x"),
    ],
)
def test_no_tag_constructs_anything(tmp_path, value, tag):
    marker = tmp_path / "pwned"
    message = _refused("a: " + value.format(marker=marker) + "\n")
    assert "cv.yaml:1:4: a: the YAML tag" in message and tag in message
    assert "is not allowed here; remove it" in message
    assert not marker.exists()


def test_lone_surrogate_escape_is_refused():
    # a "\ud800" escape gives Python a half UTF-16 pair, which no file can hold
    message = _refused('a: "x\\ud800y"\n')
    assert "cv.yaml:1:4: a: U+D800 is half of a UTF-16 pair" in message


def test_cli_refuses_without_traceback(tmp_path):
    cases = {
        "bomb.yaml": _bomb(),
        "deep.yaml": "a: " + "[" * 5000 + "]" * 5000,
        "tag.yaml": f'a: !!python/object/apply:os.system ["touch {tmp_path / "pwned"}"]\n',
        "big.yaml": "a: " + "x" * (MAX_BYTES + 1),
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "cvbuild", "validate", str(path)],
            capture_output=True, text=True, timeout=60,
        )
        assert proc.returncode == 1, (name, proc.stderr)
        assert "Traceback" not in proc.stderr, (name, proc.stderr)
        assert proc.stderr.startswith(str(path)), (name, proc.stderr)
        assert re.search(r"\d problems? found", proc.stderr), proc.stderr
    assert not (tmp_path / "pwned").exists()
    assert not Path("pwned").exists()
