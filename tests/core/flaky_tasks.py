"""A task for the retry tests: fails while the marker file says so (the worker imports it)."""

from pathlib import Path

from beirat.core.background import retrying_task


@retrying_task(max_attempts=3)
def flaky(marker: str) -> str:
    path = Path(marker)
    failures_left = int(path.read_text())
    if failures_left:
        path.write_text(str(failures_left - 1))
        raise ConnectionError("Dienst nicht erreichbar")
    return "erledigt"
