"""Retention rules for imported files (registered in IngestConfig.ready())."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from beirat.core import retention
from beirat.ingest.models import ImportRecord


def _failed_with_file(cutoff: datetime.datetime) -> Iterable[int]:
    failed = ImportRecord.objects.filter(status=ImportRecord.Status.FAILED, created_at__lt=cutoff)
    return failed.exclude(original="", original_text="").values_list("pk", flat=True)


def erase_failed_import(pk: int) -> bool:
    record = ImportRecord.objects.filter(pk=pk, status=ImportRecord.Status.FAILED).first()
    if record is None or not (record.original or record.original_text):
        return False

    def work() -> bool:
        record.original.delete(save=False)
        record.original_text = ""
        record.save(update_fields=["original", "original_text"])
        return True

    return retention.erase_with_audit(
        action="ingest.retention.failed_import", instance=record, work=work
    )


def register() -> None:
    retention.register(
        retention.Rule(
            key="failed_imports",
            record_type=_("Dateien fehlgeschlagener Importe"),
            content=_("die hochgeladene Datei und ihr erkannter Text"),
            starts=_("ab dem Importversuch"),
            then=_("Datei und Text werden gelöscht; Dateiname und Grund bleiben im Verlauf."),
            legal_basis=_("Art. 6 Abs. 1 Buchst. e DSGVO"),
            due=_failed_with_file,
            erase=erase_failed_import,
        )
    )
    retention.register(
        retention.Rule(
            key="paper_originals",
            record_type=_("Originaldateien eingelesener Drucksachen"),
            content=_("die Datei, aus der eine Drucksache eingelesen wurde"),
            starts=_("ab dem Import"),
            then=_(
                "Unbefristet: Drucksachen sind Archivgut und werden nach dem "
                "Landesarchivgesetz dem Stadtarchiv angeboten."
            ),
            legal_basis=_("§ 7 Landesarchivgesetz Rheinland-Pfalz"),
        )
    )
