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


class TextVector(models.Model):
    """The sentence vector of one searchable text (a document of the search index), computed by
    the background worker (beirat/search/tasks.py) and read by triage's similar-items panel.

    ``model`` names the encoder and its version: a row of another model is not used and is
    computed again. ``sentences`` holds the vectors of the text's first sentences and
    ``spans`` where each stands in the normalised body text, as the index stores it (start, end,
    CRC-32 of the sentence), so the panel can show the sentence closest to a new submission.
    """

    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    variant = models.CharField(max_length=30, blank=True)
    # Who may see the document (beirat.search.sources.SearchDocument), comma-separated.
    audiences = models.CharField(max_length=200)
    replaced_for = models.CharField(max_length=200, blank=True)
    model = models.CharField(max_length=100)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()  # float16, little-endian
    sentences = models.BinaryField(default=bytes)  # float16, one vector after the other
    spans = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Satzvektor")
        verbose_name_plural = _("Satzvektoren")
        # Each web process asks every second how many rows of its model there are and when the
        # last changed: answered from this index, never by reading the vectors.
        indexes = [models.Index(fields=["model", "updated_at"], name="text_vector_model_changed")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "variant"], name="text_vector_one_per_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}{':' + self.variant if self.variant else ''}"


class SimilarityLabel(models.Model):
    """A pair judged by IT management in triage's similar-items panel: "nicht ähnlich", or the
    same idea (merged). Kept as a labelled pair for the next calibration of the score; holds ids
    and numbers only, never a text or a person."""

    class Label(models.TextChoices):
        NOT_SIMILAR = "not_similar", _("nicht ähnlich")
        SAME_IDEA = "same_idea", _("dieselbe Idee")

    kind = models.CharField(max_length=30)  # the new text (a submission)
    object_id = models.BigIntegerField()
    other_kind = models.CharField(max_length=30)  # the suggestion
    other_id = models.BigIntegerField()
    label = models.CharField(max_length=20, choices=Label.choices)
    # What the panel showed when it was judged.
    score = models.FloatField(null=True)
    cosine = models.FloatField(null=True)
    lexical = models.FloatField(null=True)
    model = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Ähnlichkeitsurteil")
        verbose_name_plural = _("Ähnlichkeitsurteile")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "other_kind", "other_id"],
                name="similarity_label_one_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} ~ {self.other_kind}:{self.other_id}: {self.label}"
