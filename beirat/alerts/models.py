"""E-mail alerts without an account: an address, what it follows, and what is waiting to be
sent. Only public data is ever stored here besides the address (see services/scan.py)."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    """A random value that binds the signed links to one row: a link stays useless after its
    row was deleted, even if a later row got the same id."""
    return secrets.token_urlsafe(12)


class Recipient(models.Model):
    """One e-mail address with its alerts. Deleted with its last alert."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)  # always lower case
    key = models.CharField(max_length=32, default=new_key)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Empfänger einer Benachrichtigung")
        verbose_name_plural = _("Empfänger von Benachrichtigungen")

    def __str__(self) -> str:
        # No address: the audit log and the admin show this.
        return f"#{self.pk}"


class Subscription(models.Model):
    """One thing an address follows, confirmed or not yet."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Gremium")
        PAPER = "paper", _("Vorlage")
        RECOMMENDATION = "recommendation", _("Empfehlung")
        SEARCH = "search", _("Suche")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("sofort")
        DAILY = "daily", _("einmal täglich")

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    # The followed thing: a committee's, paper's or recommendation's id, or a search's query
    # string (words and filters, as in the search's feed).
    target = models.CharField(max_length=500)
    label = models.CharField(_("Bezeichnung"), max_length=600)
    frequency = models.CharField(
        _("Häufigkeit"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    key = models.CharField(max_length=32, default=new_key)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # A search's hits already reported (their keys), so that only new ones are sent.
    seen = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["kind", "label", "id"]
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target"], name="alert_once_per_address"
            )
        ]
        indexes = [models.Index(fields=["confirmed_at", "created_at"], name="alert_confirmed_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"[:255]

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Pending(models.Model):
    """A change of public data waiting to be sent to one subscription (at once or with the
    next daily digest). Deleted when the mail is in the outbox."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="pending")
    title = models.CharField(max_length=600)
    lines = models.JSONField(default=list)  # what changed, one sentence each, in its language
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title[:255]


class Sighting(models.Model):
    """The public state of one record as the last scan saw it ("paper:12", "meeting:4",
    "recommendation:3"): the next scan compares with it to say what changed."""

    subject = models.CharField(max_length=60, unique=True)
    snapshot = models.JSONField(default=dict)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.subject


class ScanState(models.Model):
    """One row: since when changes were looked for (``scanned_until``) and when watching
    began (``started_at``, for the record)."""

    started_at = models.DateTimeField()
    scanned_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} – {self.scanned_until:%Y-%m-%d %H:%M}"
