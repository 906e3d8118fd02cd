"""A cover letter's words exist for every language cvbuild has a table for, in one shape."""

from __future__ import annotations

from cvbuild.text.letter_words import LETTER_WORDS
from cvbuild.text.locales import LANGUAGES


def test_every_language_with_a_table_has_letter_words():
    assert set(LETTER_WORDS) == set(LANGUAGES)


def test_every_row_has_every_word_and_names_the_recipient():
    keys = set(LETTER_WORDS["en"])
    for lang, row in LETTER_WORDS.items():
        assert set(row) == keys, lang
        assert all(row[k].strip() for k in keys), lang
        for form in ("female", "male", "neutral"):
            assert row[form].count("{name}") == 1, (lang, form)
        assert "{name}" not in row["nobody"] + row["closing"], lang
