"""Restore a backup written by ``manage.py backup`` (docs/backup.md): check it, replace the
database and the uploaded files, check the result, and apply the erasures on request again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beirat.core import backups
from beirat.core.management.commands.backup import thousands
from beirat.core.progress import ProgressSteps


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung von manage.py backup wieder her: ersetzt Datenbank und "
        "hochgeladene Dateien, prüft das Ergebnis und wendet Löschungen auf Antrag erneut an."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="Ordner einer Sicherung")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Nicht nachfragen (die Datenbank wird ersetzt!).",
        )
        parser.add_argument(
            "--no-retention",
            action="store_true",
            help="apply_retention danach nicht ausführen (dann unbedingt selbst, vor dem Start).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        steps = ProgressSteps(self.stdout)
        try:
            manifest = backups.read_manifest(folder)
            problems = backups.check_backup(folder, manifest, progress=steps)
            steps.finish()
            if problems:
                raise CommandError(
                    "Die Sicherung stimmt nicht mit ihrer manifest.json überein; "
                    "nichts wurde verändert.\n" + "\n".join(f"- {line}" for line in problems)
                )
            self._describe(manifest)
            if not options["yes"] and not self._confirmed():
                raise CommandError("Abgebrochen: nichts wurde verändert.")
            removed = backups.restore_backup(folder, manifest, progress=steps)
            steps.finish()
            problems = backups.compare_with_manifest(manifest, progress=steps)
            steps.finish()
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Wiederhergestellt: {len(manifest['tables'])} Tabellen, "
            f"{thousands(len(manifest['files']))} Dateien. Entfernt, weil nicht in der "
            f"Sicherung: {thousands(removed)}."
        )
        if not problems:
            backups.database_restored.send(sender=self.__class__)
        retention_note = self._apply_retention(skip=options["no_retention"])
        if problems:
            raise CommandError(
                "Die wiederhergestellten Daten weichen von der Sicherung ab; die Seite so nicht "
                "wieder freigeben.\n" + "\n".join(f"- {line}" for line in problems)
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Geprüft: Zeilen jeder Tabelle und sha256 jeder Datei stimmen mit der Sicherung "
                "überein."
            )
        )
        if retention_note:
            raise CommandError(retention_note)
        self.stdout.write(
            "Die Suchindizes der App-Server bauen sich von selbst neu auf: jeder Indexer "
            "bemerkt die Wiederherstellung. Danach die Dienste neu starten."
        )

    def _describe(self, manifest: backups.Manifest) -> None:
        commit = (manifest["beirat_commit"] or "")[:12] or "unbekannt"
        self.stdout.write(
            f"Sicherung vom {manifest['created_at']} (beirat {manifest['beirat_version']}, "
            f"Commit {commit}), {manifest['database']['vendor']}: unversehrt."
        )
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"Ersetzt werden die Datenbank {database} und alle Dateien in {settings.MEDIA_ROOT}."
        )

    def _confirmed(self) -> bool:
        try:
            answer = input("Alle Daten seit der Sicherung gehen verloren. Fortfahren? [ja/nein] ")
        except EOFError:
            return False
        return answer.strip().lower() in {"ja", "j", "yes", "y"}

    def _apply_retention(self, *, skip: bool) -> str:
        """Run apply_retention unless told not to; returns what the operator must still do."""
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            # Code newer than the backup: the retention job may need columns the old schema lacks.
            missing = (
                "fehlt 1 Migration" if len(pending) == 1 else f"fehlen {len(pending)} Migrationen"
            )
            return (
                f"Der wiederhergestellten Datenbank {missing}. Jetzt manage.py migrate und danach "
                "manage.py apply_retention ausführen, bevor die Seite wieder online geht (sonst "
                "kehren gelöschte Daten zurück)."
            )
        if skip:
            return (
                "apply_retention wurde nicht ausgeführt: vor dem Start der Seite unbedingt "
                "manage.py apply_retention ausführen, sonst kehren auf Antrag gelöschte Daten "
                "zurück."
            )
        self.stdout.write("Löschungen auf Antrag und abgelaufene Fristen (apply_retention):")
        call_command("apply_retention", stdout=self.stdout)
        return ""
