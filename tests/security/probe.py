"""One bad request, and what every request must hold whatever it carried.

- no server error (the test client raises on one and shows the traceback; a 5xx response
  without an exception fails too), also not in the background tasks the request enqueued;
- an answer within ``BOUND_SECONDS`` (what it enqueued done within ``BOUND_TASK_SECONDS``) and
  at most ``BOUND_BYTES`` more memory at the peak, its background tasks included;
- nothing stored half: a refused request leaves every table's row count (and the latest
  ``auto_now`` time stamp) and every file under MEDIA_ROOT as it was; after an accepted one, every
  file under MEDIA_ROOT belongs to a row and every file a row names is there, inside MEDIA_ROOT;
- no payload comes back as live markup in an HTML page.

Memory is the kernel's high-water mark of the process (VmHWM, reset before each request through
/proc/self/clear_refs): it counts what Pillow, PDFium and tantivy allocate in C, which tracemalloc
cannot see, and costs nothing, where tracemalloc made every request four to five times slower.
"""

from __future__ import annotations

import copy
import ctypes
import ctypes.util
import heapq
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.db import connection, models, transaction
from django.test import TestCase
from django.utils import timezone
from django.utils.module_loading import import_string

BOUND_SECONDS = 5.0  # a web request
BOUND_TASK_SECONDS = 30.0  # the background tasks it enqueued (an import parses the file there)
# The largest image accepted (40 megapixels) is 160 MB decoded; nothing else comes close.
BOUND_BYTES = 256 * 1024 * 1024
# Files kept beside the rows: a paper's official PDF, per version (council/documents.py).
DERIVED = re.compile(r"^vorlagen-pdf/(?P<paper>\d+)/[0-9a-f]+\.pdf$")
# A meeting's invitation and minutes, kept per version the same way (beirat/council/documents.py).
DERIVED_MEETING = re.compile(
    r"^sitzungen-pdf/(?P<meeting>\d+)/(einladung|niederschrift|nichtoeffentlich)/[0-9a-f]+\.pdf$"
)
REFUSAL_MARKERS = (b"kern-alert--danger", b'class="kern-error"')
# Rendering a paper's official PDF takes half a second and reads only the stored paper: the
# injection crawl renders every paper's PDF once, with whatever the corpus stored in it.
NOT_RUN = ("beirat.council.tasks.render_paper_pdf",)
# The tasks' own table: its rows are the queue, run by this probe and counted like any other.
TASK_MODEL = "django_tasks_database.DBTaskResult"


# Memory ----------------------------------------------------------------------------------------


class PeakMemory:
    """Peak resident memory growth of this process while the block runs (Linux)."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("c")
        self._libc = ctypes.CDLL(name) if name else None
        self.available = Path("/proc/self/clear_refs").exists()

    @staticmethod
    def _status(key: str) -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        return 0

    @contextmanager
    def measure(self) -> Iterator[list[int]]:
        found = [0]
        if not self.available:
            yield found
            return
        if self._libc is not None:
            self._libc.malloc_trim(0)  # freed memory goes back, so that reuse is not hidden
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM to the current RSS
        before = self._status("VmRSS:")
        try:
            yield found
        finally:
            found[0] = max(0, self._status("VmHWM:") - before)


# Stored state ------------------------------------------------------------------------------------


def _tables() -> list[tuple[str, str, list[str]]]:
    """(model label, table, auto_now columns) for every concrete table."""
    seen: dict[str, tuple[str, str, list[str]]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        stamps = [
            item.column
            for item in meta.concrete_fields
            if isinstance(item, models.DateTimeField) and getattr(item, "auto_now", False)
        ]
        seen[meta.db_table] = (meta.label, meta.db_table, stamps)
    return sorted(seen.values())


@dataclass(frozen=True)
class StoredState:
    rows: dict[str, tuple[Any, ...]]  # model label → (row count, latest auto_now values …)
    files: dict[str, int]  # path below MEDIA_ROOT → size

    def changes_since(self, earlier: StoredState) -> list[str]:
        changed = [
            f"{label}: {earlier.rows.get(label)} → {value}"
            for label, value in self.rows.items()
            if earlier.rows.get(label) != value
        ]
        new_files = sorted(set(self.files) - set(earlier.files))
        gone_files = sorted(set(earlier.files) - set(self.files))
        changed += [f"neue Datei {name}" for name in new_files]
        changed += [f"Datei fehlt {name}" for name in gone_files]
        return changed


class StateReader:
    def __init__(self, media_root: Path) -> None:
        self.media_root = media_root
        tables = _tables()
        quote = connection.ops.quote_name
        selects, self.labels = [], []
        # Names of the models' own tables and columns, quoted: nothing here comes from a request.
        for label, table, stamps in tables:
            parts = [f"(SELECT COUNT(*) FROM {quote(table)})"]  # noqa: S608
            parts += [f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for column in stamps]  # noqa: S608
            selects.append(parts)
            self.labels.append(label)
        self.widths = [len(parts) for parts in selects]
        self.sql = "SELECT " + ", ".join(part for parts in selects for part in parts)

    def read(self) -> StoredState:
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            values = list(cursor.fetchone())
        rows: dict[str, tuple[Any, ...]] = {}
        position = 0
        for label, width in zip(self.labels, self.widths, strict=True):
            rows[label] = tuple(str(value) for value in values[position : position + width])
            position += width
        return StoredState(rows=rows, files=self.files())

    def files(self) -> dict[str, int]:
        found = {}
        root = str(self.media_root)
        for folder, _folders, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                found[os.path.relpath(path, root)] = os.stat(path).st_size
        return found


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, item)
        for model in apps.get_models()
        for item in model._meta.concrete_fields
        if isinstance(item, models.FileField)
    ]


class _DeletedFiles:
    """Files a request deleted after its commit, kept aside until the request is undone."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.moved: list[tuple[Path, Path]] = []  # (kept copy, original place)

    def keep(self, original: Path) -> None:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="probe-deleted-"))
        copy = self.folder / str(len(self.moved))
        shutil.move(original, copy)
        self.moved.append((copy, original))

    def restore(self, wanted: Callable[[Path], bool]) -> None:
        """Put back the files ``wanted`` says were there before; the others go for good."""
        for kept, original in self.moved:
            if wanted(original):
                original.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(kept, original)
        self.moved = []
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


@contextmanager
def _restorable_deletes(*, undo: bool) -> Iterator[_DeletedFiles]:
    """A request that is undone is treated as committed first (its on-commit work runs, so that
    what it enqueued can be checked) and then rolled back. A file it deleted after the commit
    (the removal of a paper's attachment) cannot be rolled back with the rows, so while it is
    sent, deleting a stored file moves it aside, and undoing the request puts it back."""
    kept = _DeletedFiles()
    if not undo:
        yield kept
        return
    original_delete = FileSystemStorage.delete

    def delete(storage: FileSystemStorage, name: str) -> None:
        path = Path(storage.path(name))
        if path.is_file():
            kept.keep(path)
        else:
            original_delete(storage, name)

    FileSystemStorage.delete = delete  # type: ignore[method-assign]
    try:
        yield kept
    finally:
        FileSystemStorage.delete = original_delete  # type: ignore[method-assign]


def file_problems(media_root: Path) -> list[str]:
    """Files no row refers to, rows whose file is missing or outside MEDIA_ROOT."""
    root = media_root.resolve()
    problems = []
    referenced: set[str] = set()
    for model, item in file_fields():
        for pk, name in model._default_manager.values_list("pk", item.attname):
            if not name:
                if not item.blank:
                    problems.append(f"{model._meta.label} {pk}: {item.name} ist leer")
                continue
            path = (root / name).resolve()
            if not path.is_relative_to(root):
                problems.append(f"{model._meta.label} {pk}: {name} liegt außerhalb von MEDIA_ROOT")
            elif not path.is_file():
                problems.append(f"{model._meta.label} {pk}: {name} fehlt")
            referenced.add(path.relative_to(root).as_posix())
    papers = _existing_papers()
    meetings = _existing_meetings()
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        derived = DERIVED.match(name)
        if name in referenced or (derived and int(derived["paper"]) in papers):
            continue
        meeting_document = DERIVED_MEETING.match(name)
        if meeting_document and int(meeting_document["meeting"]) in meetings:
            continue
        problems.append(f"verwaiste Datei {name}")
    return problems


def _existing_meetings() -> set[int]:
    from beirat.council.models import Meeting

    return set(Meeting.objects.values_list("pk", flat=True))


def _existing_papers() -> set[int]:
    from beirat.council.models import Paper

    return set(Paper.objects.values_list("pk", flat=True))


# Responses -----------------------------------------------------------------------------------


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        # Read to the end, the test client closes it then. Closing it again would send
        # request_finished with Django's connection cleanup attached: on PostgreSQL that
        # closes the connection in the middle of the test's transaction.
        return b"".join(response.streaming_content)
    return bytes(response.content)


def is_refused(response: Any, body: bytes) -> bool:
    """4xx, or the form shown again with its errors."""
    if response.status_code >= 400:
        return True
    return response.status_code == 200 and any(marker in body for marker in REFUSAL_MARKERS)


def raw_markup_in(body: bytes, content_type: str, forbidden: tuple[str, ...]) -> list[str]:
    if "text/html" not in content_type:
        return []
    text = body.decode("utf-8", errors="replace")
    return [item for item in forbidden if item in text]


# The report -------------------------------------------------------------------------------------


@dataclass
class CategoryResult:
    cases: int = 0
    requests: int = 0
    refused: int = 0
    accepted: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    slowest: float = 0.0
    slowest_request: str = ""
    most_memory: int = 0
    most_memory_request: str = ""
    seconds: float = 0.0


@dataclass
class Report:
    categories: dict[str, CategoryResult] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)  # the ten slowest requests

    def timed(self, seconds: float, label: str) -> None:
        heapq.heappush(self.slowest, (seconds, label))
        if len(self.slowest) > 10:
            heapq.heappop(self.slowest)

    def category(self, name: str) -> CategoryResult:
        return self.categories.setdefault(name, CategoryResult())

    def table(self) -> str:
        header = (
            f"{'Kategorie':<30} {'Fälle':>5} {'Anfragen':>8} {'abgelehnt':>9} {'angenommen':>10} "
            f"{'max. s':>7} {'max. MB':>8} {'Dauer s':>8}  Statuscodes"
        )
        lines = [header, "-" * len(header)]
        total_cases = total_requests = 0
        for name, result in self.categories.items():
            statuses = ", ".join(
                f"{code}×{count}" for code, count in sorted(result.statuses.items())
            )
            lines.append(
                f"{name:<30} {result.cases:>5} {result.requests:>8} {result.refused:>9} "
                f"{result.accepted:>10} {result.slowest:>7.2f} "
                f"{result.most_memory / 1024 / 1024:>8.1f} {result.seconds:>8.1f}  {statuses}"
            )
            total_cases += result.cases
            total_requests += result.requests
        lines.append("-" * len(header))
        lines.append(f"{'insgesamt':<30} {total_cases:>5} {total_requests:>8}")
        if self.problems:
            lines.append("")
            lines.append(f"{len(self.problems)} Befunde:")
            lines += [f"  {problem}" for problem in self.problems]
        lines.append("")
        lines.append("Die zehn langsamsten Anfragen:")
        lines += [
            f"  {seconds:.2f} s – {label}" for seconds, label in sorted(self.slowest, reverse=True)
        ]
        lines.append("")
        lines.append("Langsamste und speicherhungrigste Anfrage je Kategorie:")
        for name, result in self.categories.items():
            lines.append(f"  {name}: {result.slowest:.2f} s – {result.slowest_request}")
            megabytes = result.most_memory / 1024 / 1024
            lines.append(f"  {name}: {megabytes:.1f} MB – {result.most_memory_request}")
        return "\n".join(lines)


# Sending --------------------------------------------------------------------------------------


@dataclass
class Sent:
    """What a request did, for the checks that follow it."""

    response: Any  # the test client's response
    body: bytes
    refused: bool
    before: StoredState
    after: StoredState


class Probe:
    def __init__(
        self,
        *,
        report: Report,
        media_root: Path,
        forbidden: tuple[str, ...],
        bound_seconds: float = BOUND_SECONDS,
        bound_bytes: int = BOUND_BYTES,
    ) -> None:
        self.report = report
        self.state = StateReader(media_root)
        self.media_root = media_root
        self.forbidden = forbidden
        self.memory = PeakMemory()
        self.bound_seconds = bound_seconds
        self.bound_task_seconds = BOUND_TASK_SECONDS
        self.bound_bytes = bound_bytes
        self.task_model = apps.get_model(TASK_MODEL)
        self.file_models = sorted({model._meta.label for model, _field in file_fields()})
        self._undone_to: StoredState | None = None

    def problem(self, text: str) -> None:
        self.report.problems.append(text)

    def send(
        self,
        *,
        category: str,
        label: str,
        client: Any,
        method: str,
        path: str,
        body: bytes = b"",
        content_type: str = "",
        environ: dict[str, str] | None = None,
        keep: bool = False,
        check_accepted: Callable[[Sent], list[str]] | None = None,
        expect: int | None = None,
    ) -> Sent:
        """Send one request and check it; undo what it stored unless ``keep``."""
        cache.clear()  # rate limits count per client: the corpus is not a flood to be stopped
        cookies = copy.deepcopy(client.cookies)
        # After a request that was undone, all is as it was before it: no need to read it again.
        before = self._undone_to or self.state.read()
        savepoint = None if keep else transaction.savepoint()
        extra = dict(environ or {})
        self._started = timezone.now()
        started = time.perf_counter()
        with self.memory.measure() as peak, _restorable_deletes(undo=not keep) as deleted:
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = client.generic(
                    method, path, data=body, content_type=content_type, **extra
                )
            content = body_of(response)
            seconds = time.perf_counter() - started
            after = self.state.read()
            task_seconds = self._run_tasks(before, after)
            if task_seconds:
                after = self.state.read()
        refused = is_refused(response, content)
        sent = Sent(response, content, refused, before, after)
        self._check(category, label, sent, seconds, peak[0], check_accepted)
        if expect is not None and response.status_code != expect:
            self.problem(f"[{category}] {label}: Status {response.status_code} statt {expect}")
        if task_seconds > self.bound_task_seconds:
            self.problem(
                f"[{category}] {label}: Hintergrundaufgabe {task_seconds:.1f} s "
                f"(Grenze {self.bound_task_seconds} s)"
            )
        client.cookies = cookies
        self._undone_to = None
        if savepoint is not None:
            transaction.savepoint_rollback(savepoint)
            for name in set(after.files) - set(before.files):
                (self.media_root / name).unlink(missing_ok=True)
            # Only what was there before: a file the request wrote and deleted again stays gone.
            deleted.restore(lambda path: os.path.relpath(path, self.media_root) in before.files)
            self._undone_to = before
        return sent

    def _run_tasks(self, before: StoredState, after: StoredState) -> float:
        """Run what the request enqueued, as the worker would: a failure there fails too.
        Returns the seconds the tasks took."""
        label = self.task_model._meta.label
        if after.rows[label] == before.rows[label]:
            return 0.0
        started = time.perf_counter()
        waiting = self.task_model.objects.filter(status="READY", enqueued_at__gte=self._started)
        for task in waiting.exclude(task_path__in=NOT_RUN).order_by("enqueued_at"):
            defined = import_string(task.task_path)
            arguments = task.args_kwargs
            defined.call(*arguments["args"], **arguments["kwargs"])
            task.status = "SUCCESSFUL"
            task.save(update_fields=["status"])
        return time.perf_counter() - started

    def _check(
        self,
        category: str,
        label: str,
        sent: Sent,
        seconds: float,
        memory: int,
        check_accepted: Callable[[Sent], list[str]] | None,
    ) -> None:
        result = self.report.category(category)
        result.requests += 1
        result.statuses[sent.response.status_code] += 1
        self.report.timed(seconds, f"[{category}] {label}")
        if seconds > result.slowest:
            result.slowest, result.slowest_request = seconds, label
        if memory > result.most_memory:
            result.most_memory, result.most_memory_request = memory, label
        where = f"[{category}] {label}"
        if sent.response.status_code >= 500:
            self.problem(f"{where}: Status {sent.response.status_code}")
        if seconds > self.bound_seconds:
            self.problem(f"{where}: {seconds:.1f} s (Grenze {self.bound_seconds} s)")
        if memory > self.bound_bytes:
            self.problem(
                f"{where}: {memory / 1024 / 1024:.0f} MB Speicher "
                f"(Grenze {self.bound_bytes / 1024 / 1024:.0f} MB)"
            )
        content_type = sent.response.get("Content-Type", "")
        for found in raw_markup_in(sent.body, content_type, self.forbidden):
            self.problem(f"{where}: {found!r} unmaskiert in der Antwort")
        if sent.refused:
            result.refused += 1
            changes = sent.after.changes_since(sent.before)
            if changes:
                self.problem(
                    f"{where}: abgelehnt (Status {sent.response.status_code}), "
                    f"aber gespeichert: {'; '.join(changes)}"
                )
        else:
            result.accepted += 1
            # Files can only have gone astray if files or rows that name files changed.
            touched = sent.after.files != sent.before.files or any(
                sent.after.rows[label] != sent.before.rows[label] for label in self.file_models
            )
            problems = file_problems(self.media_root) if touched else []
            if check_accepted is not None:
                problems += check_accepted(sent)
            for found in problems:
                self.problem(f"{where}: angenommen, aber {found}")
