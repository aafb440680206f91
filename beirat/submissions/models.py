"""Citizens' submissions (Eingaben und Anregungen) and what the city does with them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beirat.directory.models import OrganizationalUnit


class Topic(models.Model):
    """A theme for sorting submissions; IT management edits the list.

    The name is shown translated when it is in the catalogue (the topics the demo starts with,
    beirat/submissions/demo.py); a topic IT management adds reads the same in every language.
    """

    name = models.CharField(_("Thema"), max_length=100, unique=True)
    active = models.BooleanField(
        _("Wählbar"),
        default=True,
        help_text=_("Nicht mehr wählbare Themen bleiben an alten Eingaben."),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")

    def __str__(self) -> str:
        return gettext(self.name) if self.name else ""


class Submission(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("eingegangen")
        IN_REVIEW = "in_review", _("in Prüfung")
        FORWARDED = "forwarded", _("an Fachamt weitergeleitet")
        BOARD_CONSULTED = "board_consulted", _("Digitalbeirat befragt")
        ANSWERED = "answered", _("beantwortet")
        CLOSED = "closed", _("abgeschlossen")
        DECLINED = "declined", _("abgelehnt")
        MERGED = "merged", _("mit gleichartiger Eingabe zusammengeführt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_REVIEW, Status.FORWARDED, Status.BOARD_CONSULTED)

    tracking_code = models.CharField(_("Vorgangsnummer"), max_length=40, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Ihre Eingabe"))
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("Thema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    # Contact data: optional, visible to IT management only, erasable by the submitter.
    submitter_name = models.CharField(_("Name"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=5, default="de")
    consent_at = models.DateTimeField(_("Einwilligung am"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Zuständig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_submissions",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("Zusammengeführt mit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    received_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True)
    first_answered_at = models.DateTimeField(_("Erste Antwort am"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Eingabe")
        verbose_name_plural = _("Eingaben")
        indexes = [models.Index(fields=["status", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="submission_not_merged_into_self",
            )
        ]

    def __str__(self) -> str:
        # Never the tracking code: this text lands in the audit log, and the code is a key.
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("submissions:track", kwargs={"code": self.tracking_code})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the submitter's file name on disk: it could be "../../x.pdf".
    return f"submissions/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("Dateiname"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "")


EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


class Event(models.Model):
    """One step in a submission's history; the public ones appear on the tracking page."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Eingang bestätigt")
        INFO_ADDED = "info_added", _("Ergänzung der einreichenden Person")
        IN_REVIEW = "in_review", _("in Prüfung")
        ASSIGNED = "assigned", _("Bearbeitung zugewiesen")
        TOPIC = "topic", _("Thema geändert")
        FORWARDED = "forwarded", _("weitergeleitet")
        BOARD_CONSULTED = "board_consulted", _("Digitalbeirat befragt")
        BOARD_STATEMENT = "board_statement", _("Stellungnahme des Digitalbeirats")
        REPLIED = "replied", _("Antwort")
        OFFICE_PROGRESS = "office_progress", _("Stand im Fachamt")
        CLOSED = "closed", _("abgeschlossen")
        DECLINED = "declined", _("abgelehnt")
        MERGED = "merged", _("zusammengeführt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")
        CONTACT_ERASED = "contact_erased", _("Kontaktdaten gelöscht")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    public = models.BooleanField(default=True)
    # Shown on the tracking page when public: the reply, the office's note, the reason …
    text = models.TextField(blank=True)
    # The office the step concerns: where it was forwarded to, or which office wrote the note.
    # Offices read only their own internal notes; citizens read the office's public name.
    office = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Fachamt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d.%m.%Y})"


class InternalNote(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="internal_notes"
    )
    text = models.TextField(_("Interne Notiz"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Interne Notiz")
        verbose_name_plural = _("Interne Notizen")

    def __str__(self) -> str:
        return self.text[:60]


class TextBlock(models.Model):
    """A reusable reply text for IT management."""

    title = models.CharField(_("Titel"), max_length=100, unique=True)
    text = models.TextField(_("Text"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")

    def __str__(self) -> str:
        return self.title


class Forwarding(models.Model):
    """A submission handed to an office, from sending to the office's result."""

    class Status(models.TextChoices):
        SENT = "sent", _("übermittelt")
        ACCEPTED = "accepted", _("angenommen")
        RETURNED = "returned", _("zurückgegeben")
        DONE = "done", _("erledigt")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="forwardings")
    office = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Fachamt"),
        on_delete=models.PROTECT,
        related_name="forwardings",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    note = models.TextField(_("Hinweis an das Fachamt"), blank=True)
    expected_by = models.DateField(_("Voraussichtlich erledigt bis"), null=True, blank=True)
    return_reason = models.TextField(_("Grund der Rückgabe"), blank=True)
    result = models.TextField(_("Ergebnis"), blank=True)
    # What the office may read of the submission's attachments: IT management releases each one
    # for this forwarding (none by default) and may withdraw it again.
    released_attachments = models.ManyToManyField(
        Attachment,
        verbose_name=_("Für das Fachamt freigegebene Anhänge"),
        related_name="released_to",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Weiterleitung")
        verbose_name_plural = _("Weiterleitungen")

    def __str__(self) -> str:
        return f"{self.submission.title} → {self.office}"
