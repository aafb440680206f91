"""Write a backup of the database and the uploaded files into a new folder (docs/backup.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from beirat.core import backups
from beirat.core.progress import ProgressSteps


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Sichert die Datenbank (SQLite: Online-Backup, PostgreSQL: pg_dump) und die "
        "hochgeladenen Dateien mit einer manifest.json in einen neuen Ordner."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="neuer oder leerer Ordner für die Sicherung")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        started = time.monotonic()
        steps = ProgressSteps(self.stdout)
        self.stdout.write(f"Sicherung der Datenbank ({connection.vendor}) nach {folder} …")
        try:
            manifest = backups.write_backup(folder, progress=steps)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            steps.finish()
        database = manifest["database"]
        files_size = sum(entry["size"] for entry in manifest["files"].values())
        self.stdout.write(
            f"Datenbank: {database['file']}, {megabytes(database['size'])}, "
            f"{len(manifest['tables'])} Tabellen, "
            f"{thousands(sum(manifest['tables'].values()))} Zeilen"
        )
        self.stdout.write(f"Dateien: {thousands(len(manifest['files']))}, {megabytes(files_size)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Sicherung vollständig in {time.monotonic() - started:.0f} s: {folder}"
            )
        )
