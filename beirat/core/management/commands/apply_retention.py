"""Erase what has outlived its retention period and re-apply erasures on request (for the
nightly timer, and once right after a restore from a backup)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from beirat.core import retention
from beirat.core.progress import ProgressSteps


class Command(BaseCommand):
    help = "Löscht Daten nach Ablauf ihrer Aufbewahrungsfrist und wendet Löschungen erneut an."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur zählen, was fällig ist; nichts löschen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        steps = ProgressSteps(self.stdout)  # one bar per kind of record
        outcomes = retention.apply(dry_run=dry_run, progress=steps)
        steps.finish()
        for outcome in outcomes:
            if outcome.rule.days is None:
                self.stdout.write(f"{outcome.rule.record_type}: unbefristet.")
            elif dry_run:
                self.stdout.write(f"{outcome.rule.record_type}: {outcome.due} fällig.")
            else:
                self.stdout.write(
                    f"{outcome.rule.record_type}: {outcome.erased} von {outcome.due} gelöscht."
                )
        if not dry_run:
            again = retention.reapply_ledger()
            self.stdout.write(
                f"Löschungen auf Antrag erneut angewandt: {again} "
                f"(von {len(retention.ledger_entries())} im Verzeichnis)."
            )
