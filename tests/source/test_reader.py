"""The YAML layer reads with libyaml when PyYAML has it, and the Python parser gives the
same values and positions: every file of the project and the corpus read both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from corpus import corpus

from cvbuild.errors import InputError
from cvbuild.source import reader

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([ROOT / "cv.yaml", *ROOT.glob("templates/*/theme.yaml"),
                *ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/data/**/*.yaml")])
TRICKY = {
    "merge key": "a: 1\nb:\n  <<: {c: 2}\n",
    "quoted merge key": "'<<': text\n",
    "block scalars": "a: |\n  one\n   two\nb: >-\n  folded\n  text\n",
    "flow and anchors": "a: &x {b: [1, 2.5, true, null, '3']}\nc: *x\n",
    "unicode lines": "a: \"x\\u2028y\"\nb: Ёлка «ёж» — 😀\nc:\n- – dash\n",
    "tags": "a: !!str 1\nb: !!python/object:os.system x\nc: !custom y\n",
    "YAML 1.1 words": "a: no\nb: on\nc: 2020-01-01\nd: 0x1F\ne: 1_000\n",
}


def _read(text: str, loader: type) -> tuple:
    """What compose keeps of a document read by `loader`."""
    saved = reader._LOADERS
    reader._LOADERS = (loader,)
    try:
        data, positions, problems = reader.compose(text, "cv.yaml")
    finally:
        reader._LOADERS = saved
    return data, positions.values, positions.keys, positions.voided, [str(p) for p in problems]


def test_libyaml_is_used_when_pyyaml_has_it():
    assert yaml.__with_libyaml__, "the PyYAML wheel comes with libyaml"
    assert reader._LOADERS[0] is not reader._Loader and reader._LOADERS[-1] is reader._Loader


@pytest.mark.parametrize("text", [
    *(p.read_text("utf-8") for p in FILES),
    *(case.text for case in corpus(10)),
    *TRICKY.values(),
], ids=[*(p.relative_to(ROOT).as_posix() for p in FILES),
        *(case.name for case in corpus(10)), *TRICKY])
def test_both_parsers_read_the_same(text):
    fast, python = reader._LOADERS[0], reader._Loader
    assert _read(text, fast) == _read(text, python)


@pytest.mark.parametrize("text", [
    "a:\n\t- b\n", "a: 'open\n", "a: [1, 2\n", "a: b: c\n", "a: *nothing\n",
    "a: \"\\q\"\n", "a: \"\\ud800\"\n", "- a\nb: c\n",
])
def test_an_error_is_told_in_the_python_parsers_words(text):
    """libyaml refuses (or reads) these in words of its own; the message is the one the
    Python parser gives, with its hints, at the same place."""
    with pytest.raises(InputError) as fast:
        reader.load_yaml(text)
    saved = reader._LOADERS
    reader._LOADERS = (reader._Loader,)
    try:
        with pytest.raises(InputError) as python:
            reader.load_yaml(text)
    finally:
        reader._LOADERS = saved
    assert str(fast.value) == str(python.value)
