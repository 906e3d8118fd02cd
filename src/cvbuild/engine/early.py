"""Questions a build asks of other programs (fontconfig, kpsewhich), answered once a
process and asked ahead of need in threads of their own.

A question is a function made with `question`: its first answer is kept, and callers
asking while it is being answered wait for that answer instead of asking again. A
build asks its questions early (`asked_early`) while it parses cv.yaml: the programs
run on a core Python leaves free, and the block's end waits for them, so that no
process outlives the command. A failure is not kept: the next call asks anew and
meets it where the answer is used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TypeVar

T = TypeVar("T")


def question(ask: Callable[[], T]) -> Callable[[], T]:
    """`ask` answered once a process; concurrent callers wait for the one answer."""
    lock = threading.Lock()
    answer: list[T] = []

    @wraps(ask)
    def answered() -> T:
        with lock:
            if not answer:
                answer.append(ask())
            return answer[0]

    def forget() -> None:
        with lock:
            answer.clear()

    answered.cache_clear = forget  # type: ignore[attr-defined]
    return answered


@contextmanager
def asked_early(*questions: Callable[[], object]) -> Iterator[None]:
    """Each question asked in a thread of its own while the block runs; the block's
    end waits for them."""

    def ask(q: Callable[[], object]) -> None:
        try:
            q()
        except Exception:  # met again where the answer is used
            pass

    threads = [threading.Thread(target=ask, args=(q,), daemon=True) for q in questions]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for thread in threads:
            thread.join()
