"""read_ahead: the items in order, errors where they happened, and a reading thread that stops
with its caller."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.utils import translation

from beirat.oparlsync.reader import read_ahead


def test_every_item_arrives_in_its_order():
    assert list(read_ahead(iter(range(50)))) == list(range(50))


def test_an_error_of_the_reading_is_raised_at_its_place():
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("Seite nicht lesbar")

    reading = read_ahead(items())
    assert [next(reading), next(reading)] == [1, 2]
    with pytest.raises(ValueError, match="Seite nicht lesbar"):
        next(reading)


def test_the_reading_runs_in_another_thread_in_the_callers_language():
    seen: list[tuple[str, str | None]] = []

    def items() -> Iterator[int]:
        seen.append((threading.current_thread().name, translation.get_language()))
        yield 1

    with translation.override("en"):
        assert list(read_ahead(items())) == [1]
    assert seen == [("oparl-read-ahead", "en")]


def test_a_caller_that_stops_stops_the_reading():
    produced: list[int] = []
    finished = threading.Event()

    def items() -> Iterator[int]:
        try:
            for number in range(1000):
                produced.append(number)
                yield number
        finally:
            finished.set()

    reading = read_ahead(items())
    assert next(reading) == 0
    reading.close()
    # At most the item handed over and the one waiting were read beyond the first.
    assert len(produced) <= 3
    assert finished.wait(timeout=5)
