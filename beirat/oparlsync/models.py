"""Sources (other council information systems serving OParl), their runs, and which local
record each imported OParl object became."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beirat.directory.models import Body


class Source(models.Model):
    """An OParl system whose body is mirrored into this installation."""

    name = models.CharField(
        _("Name"),
        max_length=200,
        help_text=_("So erscheint die Quelle an übernommenen Vorlagen, z. B. „ALLRIS Koblenz“."),
    )
    system_url = models.URLField(
        _("Adresse des OParl-Systems"),
        max_length=1000,
        unique=True,
        help_text=_("Der Einstiegspunkt, z. B. https://ris.example.de/oparl/v1/system"),
    )
    body_url = models.URLField(
        _("Körperschaft"),
        max_length=1000,
        blank=True,
        help_text=_("Die OParl-Adresse der Körperschaft; leer: die erste des Systems."),
    )
    body = models.ForeignKey(
        Body, verbose_name=_("Übernehmen in"), on_delete=models.PROTECT, related_name="+"
    )
    interval_hours = models.PositiveSmallIntegerField(
        _("Abgleich alle … Stunden"),
        default=24,
        help_text=_("0: nur von Hand."),
    )
    active = models.BooleanField(_("Aktiv"), default=True)
    # The one-run-at-a-time lock: set while a run holds it; an old one counts as abandoned.
    locked_since = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Quelle")
        verbose_name_plural = _("Quellen")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("oparlsync:source", kwargs={"pk": self.pk})


class SyncRun(models.Model):
    """One synchronisation of a source: what it did, what failed, and where to resume."""

    class Status(models.TextChoices):
        RUNNING = "running", _("läuft")
        INTERRUPTED = "interrupted", _("unterbrochen")
        FINISHED = "finished", _("abgeschlossen")
        FAILED = "failed", _("abgebrochen")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    # None: a full run; otherwise what was asked for with modified_since.
    modified_since = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # [{"url": …, "reason": …}]: each object or page that could not be read or stored.
    failures = models.JSONField(default=list, blank=True)
    # [{"url": …, "note": …}]: imported, but not as sent (a number taken, a field left out).
    notes = models.JSONField(default=list, blank=True)
    # Where an interrupted run goes on: the list being read and its next page.
    resume = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Abgleich")
        verbose_name_plural = _("Abgleiche")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source}: {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_incremental(self) -> bool:
        return self.modified_since is not None


class SyncedObject(models.Model):
    """An OParl object of a source and the local record it became (its id stays forever)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="synced_objects")
    oparl_id = models.CharField(max_length=1000)
    oparl_type = models.CharField(max_length=30)
    web = models.URLField(max_length=1000, blank=True)
    # "council.paper", "directory.committee" …; empty for an object with no place here.
    local_model = models.CharField(max_length=40, blank=True)
    local_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Hash of the object as last read: the same bytes again change nothing.
    digest = models.CharField(max_length=64, blank=True)
    modified = models.CharField(max_length=40, blank=True)
    deleted = models.BooleanField(default=False)
    # A record that existed here before (an office, a committee of the same name): linked, but
    # its details stay as the city keeps them.
    adopted = models.BooleanField(default=False)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "oparl_id"], name="synced_object_unique")
        ]
        indexes = [models.Index(fields=["local_model", "local_id"], name="synced_local_idx")]

    def __str__(self) -> str:
        return self.oparl_id
