"""The README shows what is true: its YAML example is a valid CV, its pictures exist."""

from __future__ import annotations

import re

from conftest import ROOT

from cvbuild.source.model import ENTRY_KINDS
from cvbuild.source.reader import load_yaml
from cvbuild.source.validate import validate_cv

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_setup_commands_come_first():
    commands = re.findall(r"^(\./run\.sh \w+|cvbuild \w+)", README, re.M)
    assert commands[:2] == ["./run.sh pdf", "./run.sh test"]


def test_yaml_example_is_a_valid_cv_with_every_entry_kind():
    [example] = re.findall(r"```yaml\n(.*?)```", README, re.S)
    data, positions = load_yaml(example, "README.md")
    cv = validate_cv(data, positions, "README.md")
    kinds = {type(e).__name__ for s in cv.sections for e in s.entries}
    assert kinds == {m.__name__ for m in ENTRY_KINDS.values()}


def test_pictures_exist_and_are_small():
    pictures = re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", README)
    gallery = [f"docs/gallery/{theme}_{lang}.png"
               for theme in ("banking", "classic", "compact", "modern", "sidebar") for lang in ("en", "ru")]
    assert sorted(pictures) == ["docs/cv_en.png", "docs/cv_ru.png", *gallery]
    for picture in pictures:
        data = (ROOT / picture).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) < 150_000, picture
