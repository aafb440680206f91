"""The search log: the only feed of the search index, written with the change it reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchLogEntry(models.Model):
    """One change to a searchable object, written in the transaction that made the change.

    Each server's indexer reads the log in id order and re-reads the object from the database:
    the row says *that* something changed, the database says *what it is now*.
    """

    class Operation(models.TextChoices):
        UPSERT = "upsert", _("geändert")
        DELETE = "delete", _("gelöscht")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("öffentlich")
        RESTRICTED = "restricted", _("nicht öffentlich")
        DERIVED = "derived", _("aus dem Objekt zu bestimmen")

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    # Microseconds since the epoch at the change; the indexed document keeps the version it shows.
    version = models.BigIntegerField()
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    operation = models.CharField(max_length=6, choices=Operation.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Eintrag im Suchprotokoll")
        verbose_name_plural = _("Suchprotokoll")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(operation__in=["upsert", "delete"]),
                name="search_log_operation_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.id}: {self.operation} {self.kind}:{self.object_id}"


class LogEpoch(models.Model):
    """One row: a token that changes when the database is restored from a backup.

    A restore takes the search log back in time and its ids start over, so a server's index,
    which remembers the last id it applied, would miss every change after the restore. Each
    index remembers the token it was built with; a different token means: build anew.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stand des Suchprotokolls")

    def __str__(self) -> str:
        return self.token
