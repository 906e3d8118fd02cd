"""Questions asked of other programs once a process, ahead of need (engine/early.py)."""

from __future__ import annotations

import threading
import time

import pytest

from cvbuild.engine.early import asked_early, question
from cvbuild.engine.fonts import cyrillic_fonts


def test_a_question_is_asked_once_and_a_caller_waits_for_the_answer_in_progress():
    asked = []

    @question
    def slow() -> int:
        asked.append(threading.current_thread().name)
        time.sleep(0.2)
        return 42

    with asked_early(slow):
        started = time.perf_counter()
        assert slow() == 42  # waits for the early thread's answer, asks nothing
        assert time.perf_counter() - started > 0.05
    assert slow() == 42 and len(asked) == 1 and asked[0] != threading.current_thread().name


def test_a_failure_is_not_kept_and_is_met_where_the_answer_is_used():
    tries = []

    @question
    def flaky() -> str:
        tries.append(1)
        if len(tries) == 1:
            raise OSError("fc-list died")
        return "ok"

    with asked_early(flaky):  # the early failure is not raised here
        pass
    assert flaky() == "ok" and len(tries) == 2


def test_the_block_ends_only_when_its_questions_are_answered():
    done = threading.Event()

    @question
    def slow() -> None:
        time.sleep(0.1)
        done.set()

    with asked_early(slow):
        pass
    assert done.is_set()


@pytest.mark.parametrize("family", ["PT Serif", "PT Sans", "DejaVu Sans Mono"])
def test_fontconfig_names_the_themes_fonts_among_those_with_cyrillic(family):
    cyrillic_fonts.cache_clear()  # type: ignore[attr-defined]
    with asked_early(cyrillic_fonts):
        pass
    assert family in cyrillic_fonts()
