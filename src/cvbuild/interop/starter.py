"""`cvbuild init`: a commented starter cv.yaml that validates and builds as it is and
shows every kind of entry. The text lives in starter/cv.yaml.j2 (shipped in the
wheel); each sample text is given in Russian and English, and a language other than
those two gets the English text as a TODO marker ("TODO: Software Engineer"), which
`cvbuild validate` warns of (--strict: refuses) until it is translated. A language with
no built-in words gets a `labels:` block of TODO markers to translate."""

from __future__ import annotations

import json
from pathlib import Path

from cvbuild.errors import CvbuildError
from cvbuild.text.locales import script_problem, todo_labels

TEMPLATE = Path(__file__).resolve().parent / "starter_files" / "cv.yaml.j2"
SAMPLE_NAME = {"ru": "Иван Петров", "en": "Ivan Petrov"}

# A plain YAML scalar is kept plain only when it cannot be read as anything but the
# same text; anything else is written as a JSON string (which YAML reads as a
# double-quoted scalar). Inside a flow mapping {…} commas and brackets end a plain one.
_FIRST_SPECIAL = set("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_SPECIAL = set(",[]{}")


def scalar(text: str, flow: bool = True) -> str:
    """Text as a YAML scalar: plain where that is safe, else double-quoted."""
    import yaml

    plain = (
        bool(text)
        and text[0] not in _FIRST_SPECIAL
        and not (flow and _FLOW_SPECIAL & set(text))
        and ": " not in text and " #" not in text and "\n" not in text
        and not text.endswith((":", " "))
        and yaml.safe_load(text) == text
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _texts(langs: list[str], ru: str, en: str) -> list[tuple[str, str]]:
    return [(code, ru if code == "ru" else en if code == "en" else f"TODO: {en}")
            for code in langs]


def _labels_block(langs: list[str]) -> str:
    """A `labels:` block of TODO markers for the languages with no built-in words."""
    lines = []
    for code in langs:
        todo = todo_labels(code)
        if todo:
            lines.append(f"  {code}:")
            lines += [f"    {key}: {scalar(text, flow=False)}" for key, text in todo.items()]
    if not lines:
        return ""
    return ("\n# The words cvbuild prints itself, for languages it has no built-in words for:\n"
            "# translate each (page: keep {page} and {pages}).\nlabels:\n"
            + "\n".join(lines) + "\n")


def render_starter(langs: list[str], name: str | None = None) -> str:
    """The starter cv.yaml for these languages; `name` (one for all languages) replaces
    the sample name."""
    import jinja2

    def t(ru: str, en: str, indent: int | None = None) -> str:
        pairs = _texts(langs, ru, en)
        if indent is None:  # inline: {ru: …, en: …}
            return "{" + ", ".join(f"{code}: {scalar(text)}" for code, text in pairs) + "}"
        pad = " " * indent  # one line a language, under the key
        return "".join(f"\n{pad}{code}: {scalar(text, flow=False)}" for code, text in pairs)

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    from cvbuild.source.schema import MODELINE

    text = template.render(
        modeline=MODELINE,
        langs=langs,
        t=t,
        name=scalar(name) if name else t(SAMPLE_NAME["ru"], SAMPLE_NAME["en"]),
        name_plain=scalar(name or SAMPLE_NAME["en"]),
    )
    text += _labels_block(langs)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def parse_langs(value: str) -> list[str]:
    """'ru,en' → ['ru', 'en'], each checked as a language code."""
    from cvbuild.source.model import LANG_CODE

    langs = [code.strip() for code in value.split(",") if code.strip()]
    bad = [code for code in langs if not LANG_CODE.match(code)]
    if not langs or bad:
        raise CvbuildError(
            f"--langs: {', '.join(repr(b) for b in bad) or 'nothing given'}: write language "
            "codes such as ru,en (two or three small letters, joined by commas)"
        )
    if len(set(langs)) != len(langs):
        raise CvbuildError("--langs: a language is listed twice")
    for code in langs:
        refused = script_problem(code)
        if refused:
            raise CvbuildError(f"--langs: {refused}")
    return langs


def write_starter(
    path: Path, langs: list[str], name: str | None = None, force: bool = False
) -> list[Path]:
    """Write the starter CV to `path`, and schema.json beside it for editors when there
    is none. Refuses to replace an existing CV unless `force`. Returns what was written."""
    from cvbuild.pipeline.run import write_atomic

    if path.is_dir():
        path = path / "cv.yaml"
    if path.exists() and not force:
        raise CvbuildError(f"{path} already exists; keep it, or pass --force to replace it")
    write_atomic(path, render_starter(langs, name).encode("utf-8"))
    return [path, *write_schema_beside(path, force)]


def write_schema_beside(cv_path: Path, force: bool = False) -> list[Path]:
    """schema.json beside a CV just written, which its first line (schema.MODELINE) points
    editors at; an existing one is kept unless `force`. Returns what was written."""
    from cvbuild.pipeline.run import write_atomic
    from cvbuild.source.schema import schema_text

    schema = cv_path.parent / "schema.json"
    if schema.exists() and not force:
        return []
    write_atomic(schema, schema_text().encode("utf-8"))
    return [schema]
