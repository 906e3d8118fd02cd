"""Plain text and markdown export: the exact output for a small bilingual fixture.

The expected texts are written out in full; \u00a0 (no-break space) and \u2009 (thin
space) are spelled as escapes because they are the typography under test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cvbuild.interop.text import export_text
from cvbuild.source.load import load_cv

FIXTURE = Path(__file__).parents[1] / "data" / "export" / "cv.yaml"

TEXT_EN = """\
Anna Petrova
Data engineer *not* a DBA
Moscow · anna@example.com · +7 900 123-45-67 · https://github.com/apetrova

SUMMARY

I build reliable pipelines at \u201cRomashka\u201d \u2013 and write about them (https://example.com/blog) in blog.

EXPERIENCE

Lead engineer, Romashka
Jan\u00a02020\u2009\u2013\u2009Present · Moscow · https://romashka.example.com
Data and streams.
• Kafka: moved 40\u00a0services
  – with no downtime
• Mentored 3\u00a0engineers

SKILLS

Languages: Python, SQL
Storage: PostgreSQL, ClickHouse
English: C1

PUBLICATIONS

Painless streams
A. Petrova, I. Ivanov · Highload++ · Nov\u00a02023 · https://doi.org/10.1000/xyz123
"""

MARKDOWN_EN = """\
# Anna Petrova

Data engineer \\*not\\* a DBA

Moscow · <anna@example.com> · +7 900 123-45-67 · <https://github.com/apetrova>

## Summary

I build **reliable** pipelines at \u201cRomashka\u201d \u2013 and [write about them](https://example.com/blog) in `blog`.

## Experience

### Lead engineer, Romashka

Jan\u00a02020\u2009\u2013\u2009Present · Moscow · <https://romashka.example.com>

Data and *streams*.

- **Kafka**: moved 40\u00a0services
  - with no downtime
- Mentored 3\u00a0engineers

## Skills

**Languages**: Python, SQL

**Storage**: PostgreSQL, ClickHouse

**English**: C1

## Publications

### Painless streams

A. Petrova, I. Ivanov · Highload++ · Nov\u00a02023 · <https://doi.org/10.1000/xyz123>
"""

TEXT_RU = """\
Анна Петрова
Инженер данных
Москва · anna@example.com · +7 900 123-45-67 · https://github.com/apetrova

О СЕБЕ

Строю надёжные конвейеры в\u00a0«Ромашке»\u00a0— и\u00a0пишу о\u00a0них (https://example.com/blog) в\u00a0blog.

ОПЫТ РАБОТЫ

Ведущий инженер, Ромашка
январь\u00a02020\u00a0— настоящее время · Москва · https://romashka.example.com
Данные и\u00a0потоки.
• Kafka: перевела 40\u00a0сервисов
  – без простоев
• Наставник для 3\u00a0инженеров

НАВЫКИ

Языки: Python, SQL
Хранилища: PostgreSQL, ClickHouse
Английский: C1

ПУБЛИКАЦИИ

Потоки без боли
A. Petrova, I. Ivanov · Highload++ · ноябрь\u00a02023 · https://doi.org/10.1000/xyz123
"""

MARKDOWN_RU_SUMMARY = (
    "Строю **надёжные** конвейеры в\u00a0«Ромашке»\u00a0— и\u00a0"
    "[пишу о\u00a0них](https://example.com/blog) в\u00a0`blog`."
)


@pytest.fixture(scope="module")
def cv():
    return load_cv(FIXTURE)


@pytest.mark.parametrize(
    ("lang", "fmt", "expected"),
    [("en", "text", TEXT_EN), ("en", "markdown", MARKDOWN_EN), ("ru", "text", TEXT_RU)],
)
def test_exact_output(cv, lang, fmt, expected):
    assert export_text(cv, lang, fmt) == expected


def test_markdown_ru_keeps_markup_and_typography(cv):
    out = export_text(cv, "ru", "markdown")
    assert MARKDOWN_RU_SUMMARY in out.splitlines()
    assert "- **Kafka**: перевела 40\u00a0сервисов\n  - без простоев\n" in out


def test_no_hard_wraps_and_no_markers_in_text(cv):
    for lang in ("ru", "en"):
        out = export_text(cv, lang, "text")
        # each paragraph is one line: the summary is longer than any sane wrap width
        assert any(len(line) > 80 for line in out.splitlines())
        assert "**" not in out and "`" not in out and "](" not in out


def test_cli_writes_the_same_text_to_a_file(tmp_path, cv):
    out = tmp_path / "cv.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "cvbuild", "export", str(FIXTURE), "--format", "text",
         "--lang", "en", "-o", str(out)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert out.read_text("utf-8") == TEXT_EN


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "text"], "choose one with --lang (ru, en)"),
        (["--format", "text", "--lang", "de"], "'de' is not a language of this CV"),
        (["--format", "pdf", "--lang", "en"], "unknown format 'pdf'"),
    ],
)
def test_cli_refuses_unclear_requests(args, message):
    proc = subprocess.run(
        [sys.executable, "-m", "cvbuild", "export", str(FIXTURE), *args],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
