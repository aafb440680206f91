"""Cross-cutting records: accounts, the audit trail and the mail outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff or board account. Citizens never have one: they use a tracking code."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditEntry(models.Model):
    """Who changed what, when: written by every service that changes data."""

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Handelnde Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept beside the foreign key so the entry still says who acted after an account is gone.
    actor_label = models.CharField(_("Handelnd"), max_length=150)
    action = models.CharField(_("Aktion"), max_length=80, db_index=True)
    object_type = models.CharField(_("Objekttyp"), max_length=80)
    object_id = models.CharField(_("Objekt-ID"), max_length=64)
    object_label = models.CharField(_("Objekt"), max_length=255)
    changes = models.JSONField(_("Änderungen"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label}: {self.action} {self.object_label}"


class OutboxMail(models.Model):
    """An e-mail waiting to be delivered, or the record that it was."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        SENT = "sent", _("versendet")
        FAILED = "failed", _("aufgegeben")

    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    from_email = models.CharField(_("Absender"), max_length=254)
    recipients = models.JSONField(_("Empfänger"))  # To
    cc = models.JSONField(_("Kopie an"), default=list, blank=True)
    bcc = models.JSONField(_("Blindkopie an"), default=list, blank=True)
    reply_to = models.JSONField(_("Antwort an"), default=list, blank=True)
    # Identity shield: set when the mail was queued for a board member, so that no operator
    # reads the address, also after the account has left the board.
    to_board_member = models.BooleanField(_("An ein Beiratsmitglied"), default=False)
    subject = models.CharField(_("Betreff"), max_length=255)
    body = models.TextField(_("Text"))
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("Kopfzeilen"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("Nächster Versuch"), null=True, blank=True)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("E-Mail im Postausgang")
        verbose_name_plural = _("Postausgang")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        # No address: the admin shows this in titles, lists and its change history.
        return self.subject

    @property
    def recipient_list(self) -> list[str]:
        value: Any = self.recipients
        return [str(address) for address in value]

    @staticmethod
    def _addresses(value: Any) -> list[str]:
        return [str(address) for address in value or []]

    @property
    def cc_list(self) -> list[str]:
        return self._addresses(self.cc)

    @property
    def bcc_list(self) -> list[str]:
        return self._addresses(self.bcc)

    @property
    def reply_to_list(self) -> list[str]:
        return self._addresses(self.reply_to)
