"""One row per file handed to the import: its bytes (the paper's original), what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beirat.council.models import Paper


class ImportRecord(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("wird verarbeitet")
        IMPORTED = "imported", _("eingelesen")
        UPDATED = "updated", _("aktualisiert")
        UNCHANGED = "unchanged", _("unverändert")
        REVIEW = "review", _("wartet auf Prüfung")
        FAILED = "failed", _("fehlgeschlagen")

    file_name = models.CharField(_("Datei"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    original = models.FileField(upload_to="ingest/", blank=True)
    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Vorlage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    # The paper's number as the file prints it ("Drucksache Nr. 0456/2023"); beirat's number
    # (BV/0456/2023) is the paper's reference. A file updates only the paper it came from.
    source_reference = models.CharField(
        _("Nummer im Original"), max_length=100, blank=True, db_index=True
    )
    status = models.CharField(_("Ergebnis"), max_length=10, choices=Status.choices)
    reason = models.TextField(_("Grund oder Änderungen"), blank=True)
    # The parsed draft: every field with its confidence, the sections, the OCR repairs.
    draft = models.JSONField(default=dict, blank=True)
    original_text = models.TextField(blank=True)
    review_fields = models.JSONField(default=list, blank=True)
    ocr_pages = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")

    def __str__(self) -> str:
        return f"{self.file_name}: {self.get_status_display()}"
