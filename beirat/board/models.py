"""The advisory board's work: expert requests and answers, statements, recommendations, reports.

The identity shield (see docs/architecture.md) shapes these models: members appear to one another
and to IT management only as pseudonyms ("Mitglied A"); statements and recommendations belong to
the board, never to a person; nothing here links a member to anything public.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beirat.council.models import AgendaItem, Meeting, Paper
from beirat.directory.models import OrganizationalUnit
from beirat.submissions.models import Submission

USER = settings.AUTH_USER_MODEL


class ExpertRequest(models.Model):
    """A Fachfrage: IT management asks the board, with a redacted excerpt and a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen für Antworten")
        CLOSED = "closed", _("geschlossen")

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("Eingabe"),
        null=True,
        blank=True,
        # The question and the board's statement outlive the submission's retention period.
        on_delete=models.SET_NULL,
        related_name="expert_requests",
    )
    title = models.CharField(_("Titel"), max_length=200)
    question = models.TextField(_("Frage an den Beirat"))
    excerpt = models.TextField(_("Auszug (geschwärzt)"), blank=True)
    deadline = models.DateField(_("Antworten erbeten bis"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Fachfrage")
        verbose_name_plural = _("Fachfragen")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ExpertAnswer(models.Model):
    """One member's answer, stored under the member's pseudonym: the answer never names the
    account (the pseudonym's link to it is MemberPseudonym's alone)."""

    request = models.ForeignKey(ExpertRequest, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey("MemberPseudonym", on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("Antwort"))
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Antwort eines Mitglieds")
        verbose_name_plural = _("Antworten der Mitglieder")
        constraints = [
            models.UniqueConstraint(fields=["request", "author"], name="one_answer_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.request} #{self.pk}"


class MemberPseudonym(models.Model):
    """A member's stable name inside the board's area: the n-th member to be named is "Mitglied
    A", then B … Z, AA. Given once, never reused, so answers stay attributable within the board
    without anyone's name.

    The one place that links an account to a pseudonym: answers and audit entries name the
    pseudonym only, and only the privacy role reads this link (every look audited). When the
    account is deleted the link goes with it and the pseudonym stays, unlinked."""

    member = models.OneToOneField(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="board_pseudonym"
    )
    number = models.PositiveIntegerField(unique=True)

    class Meta:
        verbose_name = _("Pseudonym")
        verbose_name_plural = _("Pseudonyme")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _("Mitglied %(letters)s") % {"letters": letters(self.number)}


def letters(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA (spreadsheet columns)."""
    text = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        text = chr(ord("A") + remainder) + text
    return text


class BoardStatement(models.Model):
    """The Stellungnahme des Digitalbeirats: condensed by IT management, signed by no person."""

    request = models.OneToOneField(
        ExpertRequest,
        verbose_name=_("Fachfrage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement",
    )
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Stellungnahme"))
    published_at = models.DateTimeField(_("Veröffentlicht am"))
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("Stellungnahme des Digitalbeirats")
        verbose_name_plural = _("Stellungnahmen des Digitalbeirats")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:statement", kwargs={"pk": self.pk})


class Recommendation(models.Model):
    """An Empfehlung or a Hinweis of the board, tracked until it is implemented or not."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Empfehlung")
        HINT = "hint", _("Hinweis")

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Umsetzung")
        IMPLEMENTED = "implemented", _("umgesetzt")
        NOT_IMPLEMENTED = "not_implemented", _("nicht umgesetzt")

    FINAL_STATUSES = (Status.IMPLEMENTED, Status.NOT_IMPLEMENTED)

    kind = models.CharField(
        _("Art"), max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION
    )
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Wortlaut"))
    status = models.CharField(
        _("Umsetzungsstand"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    reason = models.TextField(_("Begründung, warum nicht umgesetzt"), blank=True)
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in Prozent"), default=0, validators=[MaxValueValidator(100)]
    )
    public = models.BooleanField(_("Öffentlich"), default=True)
    statement = models.ForeignKey(
        BoardStatement,
        verbose_name=_("Aus der Stellungnahme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("Aus der Sitzung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_recommendations",
    )
    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Eingearbeitet in die Vorlage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_recommendations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Teil von"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Empfehlung")
        verbose_name_plural = _("Empfehlungen und Hinweise")
        indexes = [models.Index(fields=["public", "status"], name="recommendation_public_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:recommendation", kwargs={"pk": self.pk})

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES


class Milestone(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("Meilenstein"), max_length=200)
    due = models.DateField(_("Geplant bis"), null=True, blank=True)
    reached_on = models.DateField(_("Erreicht am"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")

    def __str__(self) -> str:
        return self.title


class OfficeAssignment(models.Model):
    """A recommendation handed to an office, which acknowledges it and reports progress.

    Not the submissions app's Forwarding: an office cannot hand a recommendation back, and its
    end is the recommendation's implementation status, not a reply to a citizen."""

    class Status(models.TextChoices):
        SENT = "sent", _("übermittelt")
        ACKNOWLEDGED = "acknowledged", _("angenommen")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="assignments"
    )
    office = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Fachamt"),
        on_delete=models.PROTECT,
        related_name="recommendation_assignments",
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SENT)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Zuweisung an ein Fachamt")
        verbose_name_plural = _("Zuweisungen an Fachämter")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "office"], name="one_assignment_per_office"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} → {self.office}"


class ProgressUpdate(models.Model):
    """One entry of a recommendation's timeline, by IT management or an assigned office."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    text = models.TextField(_("Stand"))
    status = models.CharField(
        _("Umsetzungsstand danach"), max_length=20, choices=Recommendation.Status.choices
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt in Prozent"), validators=[MaxValueValidator(100)]
    )
    public = models.BooleanField(_("Öffentlich"), default=True)
    # Shown as the author: an office by its name, otherwise "IT-Management"; never a person.
    office = models.ForeignKey(
        OrganizationalUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Umsetzungsstand")
        verbose_name_plural = _("Umsetzungsstände")

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_status_display()}"


class Report(models.Model):
    """A report given to the board in a meeting, or the minutes; with an optional file."""

    class Kind(models.TextChoices):
        ACTIVITIES = "activities", _("Bericht zu den laufenden Aktivitäten")
        DIGITALISATION = "digitalisation", _("Bericht zum Stand der Digitalisierung")
        OTHER = "other", _("Sonstiger Bericht")
        MINUTES = "minutes", _("Niederschrift")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("Sitzung"), on_delete=models.CASCADE, related_name="board_reports"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("Tagesordnungspunkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_reports",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Inhalt"), blank=True)
    public = models.BooleanField(_("Öffentlich"), default=False)
    file = models.FileField(_("Datei"), upload_to="board/reports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        verbose_name = _("Bericht")
        verbose_name_plural = _("Berichte")

    def __str__(self) -> str:
        return self.title
