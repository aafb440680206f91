"""Synchronise from another council information system over OParl 1.1.

    manage.py oparl_sync https://ris.example.de/oparl/v1/system [--name "ALLRIS Beispielstadt"]
                         [--body URL] [--full]
    manage.py oparl_sync --due        (every registered source whose interval has passed)

The first run of a source reads everything, later runs what changed since (modified_since);
an interrupted run (Ctrl+C, a dead process) resumes at its page. Prints the report at the end.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from beirat.core.progress import ProgressSteps
from beirat.directory.services import installation_body
from beirat.oparlsync import queries, services
from beirat.oparlsync.models import Source, SyncRun

LIST_LABELS = {
    "organization": "Gremien",
    "person": "Personen",
    "membership": "Mitgliedschaften",
    "meeting": "Sitzungen",
    "paper": "Vorlagen",
}


class Command(BaseCommand):
    help = "Übernimmt Vorlagen, Sitzungen und Gremien aus einem OParl-1.1-System."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", nargs="?", help="Adresse des OParl-Systems (…/system)")
        parser.add_argument("--name", default="", help="Name der Quelle (neu registriert)")
        parser.add_argument("--body", default="", help="OParl-Adresse der Körperschaft")
        parser.add_argument("--full", action="store_true", help="alles neu lesen")
        parser.add_argument("--due", action="store_true", help="alle fälligen Quellen")

    def handle(self, *args: Any, **options: Any) -> None:
        steps = ProgressSteps(self.stdout)

        def progress(kind: str, done: int, total: int) -> None:
            steps(LIST_LABELS.get(kind, kind), done, total)

        if options["due"]:
            for run in services.run_due(progress=progress):
                steps.finish()
                self._report(run)
            return
        if not options["url"]:
            raise CommandError("Bitte die Adresse des OParl-Systems angeben (oder --due).")
        source = self._source(options["url"], options["name"], options["body"])
        try:
            run = services.synchronise(source=source, full=options["full"], progress=progress)
        except services.SourceBusy as error:
            raise CommandError(str(error)) from None
        except KeyboardInterrupt:
            steps.finish()
            self.stderr.write("Unterbrochen; der nächste Aufruf setzt an dieser Stelle fort.")
            raise SystemExit(130) from None
        steps.finish()
        self._report(run)
        if run.status == SyncRun.Status.FAILED:
            raise CommandError(run.message)

    def _source(self, url: str, name: str, body_url: str) -> Source:
        found = queries.source_by_url(url)
        if found is not None:
            return found
        source = Source(
            name=name or url,
            system_url=url,
            body_url=body_url,
            body=installation_body(actor=None),
            interval_hours=0,
        )
        return services.save_source(source=source, actor=None)

    def _report(self, run: SyncRun) -> None:
        kind = "Vollständiger Abgleich"
        if run.modified_since is not None:
            kind = f"Abgleich seit {timezone.localtime(run.modified_since):%d.%m.%Y %H:%M}"
        self.stdout.write(
            f"{run.source.name}: {kind}, {run.get_status_display()} in {run.seconds:.1f} s – "
            f"{run.created} neu, {run.changed} geändert, {run.unchanged} unverändert, "
            f"{run.deleted} gelöscht, {run.failed} fehlgeschlagen"
        )
        for failure in run.failures:
            self.stdout.write(f"  FEHLER {failure['url']}: {failure['reason']}")
        for note in run.notes:
            self.stdout.write(f"  Hinweis {note['url']}: {note['note']}")
        if run.message:
            self.stdout.write(f"  {run.message}")
