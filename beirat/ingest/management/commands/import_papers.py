"""manage.py import_papers PATH…: files or folders of council papers (.txt, PDF, scans)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beirat.core.progress import ProgressBar
from beirat.ingest.models import ImportRecord
from beirat.ingest.services import Outcome, import_file

SUFFIXES = {".txt", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


class Command(BaseCommand):
    help = (
        "Liest Vorlagen aus Text, PDF und Scans ein (Dateien oder Ordner); "
        "ein zweiter Lauf ändert nichts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Dateien oder Ordner")

    def handle(self, *args: Any, **options: Any) -> None:
        files = _files([Path(path) for path in options["paths"]])
        if not files:
            raise CommandError("Keine Dateien gefunden (.txt, .pdf, .png, .jpg, .tif).")
        bar = ProgressBar(self.stdout, "Import")
        outcomes: list[Outcome] = []
        for number, path in enumerate(files, start=1):
            outcomes.append(_import(path))
            bar.update(number, len(files))
        bar.finish()
        self._report(outcomes)

    def _report(self, outcomes: list[Outcome]) -> None:
        counts = Counter(outcome.status for outcome in outcomes)
        labels = dict(ImportRecord.Status.choices)
        summary = ", ".join(f"{labels[status]}: {counts.get(status, 0)}" for status in labels)
        self.stdout.write(f"{len(outcomes)} Dateien – {summary}")
        for outcome in outcomes:
            if outcome.status != ImportRecord.Status.UNCHANGED or outcome.reason:
                paper = f" → {outcome.paper.reference}" if outcome.paper else ""
                line = f"  {outcome.file_name}: {labels[outcome.status]}{paper}"
                self.stdout.write(line + (f" – {outcome.reason}" if outcome.reason else ""))


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{path}: nicht gefunden.")
    return found


def _import(path: Path) -> Outcome:
    try:
        data = path.read_bytes()
    except OSError as error:
        return Outcome(ImportRecord.Status.FAILED, path.name, f"Nicht lesbar: {error.strerror}")
    return import_file(data=data, name=path.name, actor=None)
