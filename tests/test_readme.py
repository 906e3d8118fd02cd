"""The README shows what is true: its first two commands are the setup ones, its quick
start builds a CV of the reader's own, its YAML example is a valid CV, every command it
names exists, its links and pictures exist, and its sections come in the order a new
user needs them."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

from cvbuild.source.model import ENTRY_KINDS
from cvbuild.source.reader import load_yaml
from cvbuild.source.validate import validate_cv

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, re.S)


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"no section '## {title}'"
    return match.group(1)


def test_setup_commands_come_first():
    commands = re.findall(r"^(\./run\.sh \w+|cvbuild \w+)", README, re.M)
    assert commands[:2] == ["./run.sh pdf", "./run.sh test"]


def test_sections_come_in_a_new_users_order():
    headings = re.findall(r"^## (.+)$", README, re.M)
    wanted = ["Set up", "Your own CV", "The cv.yaml format", "Themes", "Languages",
              "Publishing from CI", "Moving in and out", "When something is wrong",
              "Development"]
    found = [next((i for i, h in enumerate(headings) if h.startswith(w)), None) for w in wanted]
    assert None not in found, dict(zip(wanted, found))
    assert found == sorted(found), headings
    assert headings[-1] == "Development"
    assert "More documentation follows" not in README


def test_yaml_example_is_a_valid_cv_with_every_entry_kind():
    [example] = [text for lang, text in BLOCKS if lang == "yaml"]
    data, positions = load_yaml(example, "README.md")
    cv = validate_cv(data, positions, "README.md")
    kinds = {type(e).__name__ for s in cv.sections for e in s.entries}
    assert kinds == {m.__name__ for m in ENTRY_KINDS.values()}


def test_every_command_named_exists():
    from cvbuild.cli.main import app

    commands = {c.name or c.callback.__name__ for c in app.registered_commands}
    commands |= {g.name for g in app.registered_groups}
    named = set(re.findall(r"`cvbuild (\w+)", README))
    named |= {m for _, text in BLOCKS for m in re.findall(r"^cvbuild (\w+)", text, re.M)}
    assert named - commands == set()
    assert {"init", "pdf", "watch", "validate", "check", "import", "export"} <= named


def test_links_and_pictures_exist_and_every_docs_page_is_linked():
    targets = set(re.findall(r"\]\(((?!https?:|#)[^)]+)\)", README))
    assert [t for t in targets if not (ROOT / t).exists()] == []
    pages = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert pages - targets == set(), "a docs page the README does not link"
    assert "docs/cv-yaml.md" in targets
    for page in pages:  # and the pages' own relative links
        text = (ROOT / page).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(((?!https?:|#)[^)]+)\)", text):
            assert (ROOT / "docs" / target).exists(), f"{page}: {target}"


def test_pictures_are_small_pngs():
    pictures = re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", README)
    gallery = [f"docs/gallery/{theme}_{lang}.png"
               for theme in ("banking", "classic", "compact", "modern", "sidebar") for lang in ("en", "ru")]
    assert sorted(pictures) == ["docs/cv_en.png", "docs/cv_ru.png", *gallery]
    for picture in pictures:
        data = (ROOT / picture).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) < 150_000, picture


def test_the_five_minute_start_builds_a_cv_of_ones_own(tex, tmp_path):
    """The quick start's commands, run as written (but `watch`, which runs until Ctrl-C)
    in an empty folder, give the reader's own CV as PDFs, one per language."""
    [block] = [text for _, text in BLOCKS if "cvbuild init" in text]
    commands = [line.split("#")[0].split() for line in block.splitlines()
                if line.startswith("cvbuild ") and not line.startswith("cvbuild watch")]
    assert [c[:2] for c in commands] == [["cvbuild", "init"], ["cvbuild", "pdf"]]
    for command in commands:
        args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', " ".join(command))]
        proc = subprocess.run([sys.executable, "-m", "cvbuild", *args[1:]], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    pdfs = sorted(p.name for p in (tmp_path / "build").glob("*.pdf"))
    assert pdfs == re.findall(r"build/(\S+\.pdf)", block) == [
        "Jane_Doe_CV_en.pdf", "Jane_Doe_CV_ru.pdf"]
    assert (tmp_path / "schema.json").is_file()
