"""A progress bar for long management commands: on a terminal it redraws one line, in a log
file it writes a line per tenth, so a timer's log does not fill with carriage returns."""

from __future__ import annotations

import time
from typing import Any

WIDTH = 30


class ProgressBar:
    def __init__(self, stream: Any, label: str) -> None:
        self.stream = stream
        self.label = label
        self.started = time.monotonic()
        self._interactive = getattr(stream, "isatty", lambda: False)()
        self._last_tenth = -1
        self._last_draw = 0.0

    def update(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        now = time.monotonic()
        if self._interactive:
            if now - self._last_draw >= 0.1 or done >= total:
                self._last_draw = now
                self.stream.write("\r" + self._line(done, total, share, now))
                self.stream.flush()
            return
        tenth = int(share * 10)
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            self.stream.write(self._line(done, total, share, now) + "\n")

    def finish(self) -> None:
        if self._interactive:
            self.stream.write("\n")

    def _line(self, done: int, total: int, share: float, now: float) -> str:
        filled = int(share * WIDTH)
        elapsed = now - self.started
        line = f"{self.label} [{'#' * filled}{' ' * (WIDTH - filled)}] {share:4.0%} "
        line += f"{done:,}/{total:,}".replace(",", ".") + f" · {elapsed:.0f} s"
        if 0 < share < 1:
            line += f" · noch etwa {elapsed / share - elapsed:.0f} s"
        return line


class ProgressSteps:
    """Several steps one after another, one bar each, as a ``(label, done, total)`` callback:
    a new label ends the previous step's bar, so two bars never share a terminal line."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self._bar: ProgressBar | None = None
        self._label: str | None = None

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self._label or self._bar is None:
            self.finish()
            self._bar = ProgressBar(self.stream, label)
            self._label = label
        self._bar.update(done, total)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.finish()
        self._bar = None
        self._label = None
