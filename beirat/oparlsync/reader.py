"""Reading one step ahead of the store.

A run spends its time waiting for the source (a list page, the files its papers name) and
writing to the database. Both can happen at once: a thread of its own reads the next page, and
the files of its papers, while the run stores the current one. The thread never touches the
database; it hands over what it read, or the error it met, and stops when the run stops.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

from django.utils import translation

T = TypeVar("T")
# At most this many items wait, read but not yet stored: a page ahead, not the whole list.
AHEAD = 1
_POLL_SECONDS = 0.1
# A stopped run does not wait longer than this for the reading thread to notice.
_JOIN_SECONDS = 2.0


class _Finished:
    """Marks the end of the items."""


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(items: Iterator[T]) -> Generator[T, None, None]:
    """The items of ``items`` in their order, each read in a thread of its own while the
    caller works on the one before. An error of the reading is raised here, at the item where
    it happened; when the caller stops early, the reading stops too."""
    handoff: queue.Queue[T | _Finished | _Failed] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    language = translation.get_language()  # reasons in the report in the run's language

    def hand_over(item: T | _Finished | _Failed) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        with translation.override(language):
            try:
                for item in items:
                    if not hand_over(item):
                        return
                hand_over(_Finished())
            except BaseException as error:  # handed to the caller, who decides
                hand_over(_Failed(error))
            finally:
                close = getattr(items, "close", None)
                if close is not None:
                    close()  # a generator's own clean-up runs now, in this thread

    reader = threading.Thread(target=produce, name="oparl-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = handoff.get()
            if isinstance(item, _Finished):
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        reader.join(timeout=_JOIN_SECONDS)
