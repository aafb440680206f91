"""Council papers, their committee route, meetings, decisions and follow-up mandates.

Shaped after OParl 1.1 (Paper, Consultation, Meeting, AgendaItem) so that the API is a view of
these tables; what OParl cannot express (outcome codes, vote counts, mandates) is kept here as
first-class fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext_lazy as _

from beirat.directory.models import Body, Committee, OrganizationalUnit, Person


class Paper(models.Model):
    """A Drucksache: inquiry, answer, motion, statement, resolution proposal or notice."""

    class Type(models.TextChoices):
        INQUIRY = "inquiry", _("Anfrage")
        ANSWER = "answer", _("Antwort")
        MOTION = "motion", _("Antrag")
        STATEMENT = "statement", _("Stellungnahme")
        RESOLUTION_PROPOSAL = "resolution_proposal", _("Beschlussvorlage")
        NOTICE = "notice", _("Mitteilung")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REGISTERED = "registered", _("registriert")
        PUBLISHED = "published", _("veröffentlicht")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="papers")
    paper_type = models.CharField(_("Art"), max_length=20, choices=Type.choices)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The number (AF/0013/2021) is assigned once, at registration, and never reused.
    reference = models.CharField(_("Vorlagennummer"), max_length=20, blank=True, db_index=True)
    type_code = models.CharField(_("Kürzel"), max_length=5, blank=True)
    sequence = models.PositiveIntegerField(_("Laufende Nummer"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    date = models.DateField(_("Datum"))
    name = models.CharField(_("Betreff"), max_length=500)
    division = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Dezernat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganizationalUnit.Kind.DIVISION},
    )
    author_unit = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Verfasser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored_papers",
    )
    file_number = models.CharField(_("Aktenzeichen"), max_length=100, blank=True)
    originator = models.ForeignKey(
        Committee,
        verbose_name=_("Antragsteller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="originated_papers",
        help_text=_("Die Fraktion oder das Gremium, von dem die Anfrage oder der Antrag stammt."),
    )
    responds_to = models.ForeignKey(
        "self",
        verbose_name=_("Bezieht sich auf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
        help_text=_(
            "Die Anfrage, die eine Antwort beantwortet; der Antrag, zu dem eine "
            "Stellungnahme Stellung nimmt."
        ),
    )
    public = models.BooleanField(_("Öffentlich"), default=True)
    body_heading = models.CharField(
        _("Überschrift des Textteils"),
        max_length=200,
        blank=True,
        help_text=_("Z. B. „Antwort zur Anfrage:“ oder „Stellungnahme:“."),
    )
    # None: the section does not appear; "": it appears without text (as in the city's forms).
    climate_impact = models.TextField(  # noqa: DJ001
        _("Auswirkungen auf den Klimaschutz"), null=True, blank=True
    )
    financial_impact = models.TextField(  # noqa: DJ001
        _("Finanzielle Auswirkungen"), null=True, blank=True
    )
    recommended_resolution = models.TextField(  # noqa: DJ001
        _("Beschlussempfehlung"), null=True, blank=True
    )
    # Set only for a paper mirrored from another council information system (beirat.oparlsync):
    # the system's name and the paper's page there. Such a paper is read-only here.
    source_name = models.CharField(_("Quelle"), max_length=200, blank=True, default="")
    source_url = models.URLField(_("Seite in der Quelle"), max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-date", "-id"]
        indexes = [
            # The public list, newest first: walked in index order, so page 1 of a million
            # papers reads 50 rows instead of sorting them all. Partial, because a boolean
            # column in the middle of an index is no equality SQLite can use.
            models.Index(
                fields=["-date", "-id"],
                condition=Q(status="published", public=True),
                name="paper_listed_idx",
            ),
            models.Index(fields=["-date", "-id"], name="paper_date_idx"),  # staff see them all
            # Key-ordered pages of public papers (OParl lists): a range scan, whatever the page.
            models.Index(fields=["status", "public", "id"], name="paper_public_key_idx"),
            # Most papers respond to none: a partial index keeps "which papers answer these?"
            # an index lookup instead of a scan.
            models.Index(
                fields=["responds_to"],
                condition=Q(responds_to__isnull=False),
                name="paper_responds_to_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "type_code", "sequence", "year"],
                condition=Q(sequence__isnull=False),
                name="paper_number_unique",
                violation_error_message=_("Diese Vorlagennummer ist bereits vergeben."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(reference=""),
                name="paper_registered_has_reference",
                violation_error_message=_("Eine registrierte Vorlage braucht eine Nummer."),
            ),
            models.CheckConstraint(
                condition=~Q(responds_to=F("id")), name="paper_not_responding_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('Entwurf')}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("council:paper", kwargs={"reference": self.reference_slug})

    @property
    def reference_slug(self) -> str:
        return reference_slug_of(self.reference)

    @property
    def is_public(self) -> bool:
        return self.public and self.status == self.Status.PUBLISHED

    @property
    def is_mirrored(self) -> bool:
        """Read from another council information system: changed there, never here."""
        return bool(self.source_name)


def reference_slug_of(reference: str) -> str:
    """A paper's number as it appears in its address: AF/0013/2021 becomes AF-0013-2021."""
    return reference.replace("/", "-")


# What reverse() leaves unquoted in a path (django.urls.resolvers quotes with the same set).
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
_MARKER = "REFERENCE"


def paper_url_maker() -> Callable[[str], str]:
    """``get_absolute_url`` for many papers at once, from their numbers: the address is reversed
    once and each number is quoted into it as reverse() would, so a list of fifty papers does not
    resolve the URL pattern fifty times (a tenth of the paper list's time)."""
    prefix, _marker, suffix = reverse("council:paper", kwargs={"reference": _MARKER}).partition(
        _MARKER
    )

    def url_of(reference: str) -> str:
        return prefix + quote(reference_slug_of(reference), safe=_PATH_SAFE) + suffix

    return url_of


class PaperSequence(models.Model):
    """The last number handed out per type code and year; locked while a number is assigned."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    type_code = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "type_code", "year"], name="sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.type_code}/{self.year}: {self.last_sequence}"


class PaperSection(models.Model):
    """One part of a paper's body, in order: an introduction, a numbered item or free text."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Einleitung")
        ITEM = "item", _("Frage oder Punkt mit Antwort")
        TEXT = "text", _("Freier Abschnitt")

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    kind = models.CharField(_("Art"), max_length=15, choices=Kind.choices)
    number = models.CharField(_("Nummer"), max_length=10, blank=True)
    question = models.TextField(_("Frage oder Punkt"), blank=True)
    heading = models.CharField(_("Überschrift"), max_length=300, blank=True)
    text = models.TextField(_("Text"), blank=True)

    class Meta:
        verbose_name = _("Abschnitt")
        verbose_name_plural = _("Abschnitte")
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="section_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.paper.reference} §{self.position}"


def attachment_path(instance: PaperAttachment, filename: str) -> str:
    # Never the uploaded file's name on disk: it could be "../../x.pdf".
    return f"vorlagen-anlagen/{uuid.uuid4().hex}{instance.extension}"


ATTACHMENT_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


class PaperAttachment(models.Model):
    """An Anlage of a paper: a file the council office adds (a map, a report, a cost plan).

    It has no visibility of its own: it is public exactly when its paper is (queries.py).
    """

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="attachments")
    order = models.PositiveSmallIntegerField(_("Reihenfolge"))
    title = models.CharField(_("Titel"), max_length=300)
    file = models.FileField(_("Datei"), upload_to=attachment_path, max_length=200)
    file_name = models.CharField(_("Dateiname"), max_length=120)
    media_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe"))
    # For the search only: the words of the file, read once at upload.
    text = models.TextField(_("Text der Datei"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["paper", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "order"], name="attachment_order_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return ATTACHMENT_EXTENSIONS.get(self.media_type, "")

    @property
    def type_label(self) -> str:
        """ "PDF", "PNG", "DOCX" …: the short name people know a file type by."""
        return self.extension.removeprefix(".").upper() or self.media_type

    @property
    def download_name(self) -> str:
        """The name a browser saves it under: the paper's number, the position and the type."""
        stem = self.paper.reference_slug or f"vorlage-{self.paper_id}"
        return f"{stem}-anlage-{self.order}{self.extension}"


class Meeting(models.Model):
    """A Sitzung of a committee."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("geplant")
        HELD = "held", _("durchgeführt")
        CANCELLED = "cancelled", _("abgesagt")

    committee = models.ForeignKey(
        Committee, verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="meetings"
    )
    name = models.CharField(_("Bezeichnung"), max_length=200, blank=True)
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=300, blank=True)
    state = models.CharField(
        _("Status"), max_length=10, choices=State.choices, default=State.SCHEDULED
    )
    public = models.BooleanField(
        _("Öffentlich"),
        default=True,
        help_text=_("Nicht öffentliche Sitzungen erscheinen nicht auf öffentlichen Seiten."),
    )
    # Set when the council office declares the agenda final (festgesetzt): the invitation exists
    # from then on, and the agenda changes only after it is explicitly reopened.
    agenda_fixed_at = models.DateTimeField(_("Tagesordnung festgesetzt am"), null=True, blank=True)
    # Set only for a meeting mirrored from another council information system, as on Paper:
    # its agenda, attendance and results are kept there, and read-only here.
    source_name = models.CharField(_("Quelle"), max_length=200, blank=True, default="")
    source_url = models.URLField(_("Seite in der Quelle"), max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["public", "-start"], name="meeting_public_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="meeting_ends_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("council:meeting", kwargs={"pk": self.pk})

    @property
    def has_taken_place(self) -> bool:
        """Whether results may exist: the meeting has begun and was not cancelled. Outcomes,
        votes, decision texts and minutes are refused before, and never shown before."""
        return self.state != self.State.CANCELLED and self.start <= timezone.now()

    @property
    def agenda_is_fixed(self) -> bool:
        return self.agenda_fixed_at is not None

    @property
    def is_mirrored(self) -> bool:
        """Read from another council information system: changed there, never here."""
        return bool(self.source_name)

    @property
    def display_name(self) -> str:
        local = timezone.localtime(self.start)
        return self.name or f"{self.committee.name}, {local:%d.%m.%Y}"


class AgendaItem(models.Model):
    """A Tagesordnungspunkt: "Ö 5" (public) or "N 1" (not public)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("Reihenfolge"))
    number = models.CharField(_("TOP"), max_length=20, blank=True)
    name = models.CharField(_("Gegenstand"), max_length=500)
    public = models.BooleanField(_("Öffentlich"), default=True)
    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Vorlage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    result = models.CharField(_("Ergebnis"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @property
    def shown_result(self) -> str:
        """The result in the reader's language when it names an outcome; otherwise as entered."""
        return shown_result(self.result)


class Consultation(models.Model):
    """One row of a paper's Gremienweg: which committee treats it, when, with what outcome."""

    class Outcome(models.TextChoices):
        UNANIMOUS = "unanimous", _("einstimmig")
        MAJORITY = "majority", _("mehrheitlich")
        REJECTED = "rejected", _("abgelehnt")
        NOTED = "noted", _("Kenntnis")
        REFERRED = "referred", _("verwiesen")
        POSTPONED = "postponed", _("vertagt")
        REMOVED = "removed", _("abgesetzt")
        AMENDED = "amended", _("geändert")
        WITHOUT_DISCUSSION = "without_discussion", _("ohne BE")

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="consultations")
    committee = models.ForeignKey(
        Committee, verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="consultations"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    planned_date = models.DateField(_("Datum"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("Sitzung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("Tagesordnungspunkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    role = models.CharField(
        _("Rolle"),
        max_length=100,
        blank=True,
        help_text=_("Z. B. „Entscheidung“ oder „Kenntnisnahme“."),
    )
    authoritative = models.BooleanField(_("Beschließend"), default=False)
    outcome = models.CharField(
        _("Beratungsergebnis"), max_length=20, choices=Outcome.choices, blank=True
    )
    votes_yes = models.PositiveSmallIntegerField(_("Ja-Stimmen"), null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField(_("Gegenstimmen"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("Enthaltungen"), null=True, blank=True)
    votes_biased = models.PositiveSmallIntegerField(_("Befangen"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Gremienweg")
        ordering = ["paper", "position", "planned_date", "id"]
        indexes = [
            # Most entries name no agenda item, so SQLite's statistics of the plain index say
            # "every row has the same value" and it scanned the table for a meeting's agenda;
            # the partial index knows the few that do.
            models.Index(
                fields=["agenda_item"],
                condition=Q(agenda_item__isnull=False),
                name="consultation_agenda_item_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paper.reference} – {self.committee}"

    @property
    def shown_role(self) -> str:
        """The role in the reader's language when it is one of the usual ones; otherwise as
        entered."""
        usual = CONSULTATION_ROLES.get(" ".join(self.role.split()).casefold())
        return str(usual) if usual is not None else self.role

    @property
    def votes_total(self) -> int:
        counts = (self.votes_yes, self.votes_no, self.votes_abstain, self.votes_biased)
        return sum(count or 0 for count in counts)


# The roles a committee route names most often (free text, as in the papers), keyed by the
# German word: shown translated; any other role is shown as entered.
CONSULTATION_ROLES = {
    "vorberatung": _("Vorberatung"),
    "entscheidung": _("Entscheidung"),
    "kenntnisnahme": _("Kenntnisnahme"),
    "anhörung": _("Anhörung"),
}

# What each outcome code means, for the legend beside the route and the result form.
OUTCOME_EXPLANATIONS = {
    Consultation.Outcome.UNANIMOUS: _("angenommen, ohne Gegenstimme"),
    Consultation.Outcome.MAJORITY: _("angenommen mit der Mehrheit der Stimmen"),
    Consultation.Outcome.REJECTED: _("nicht angenommen"),
    Consultation.Outcome.NOTED: _("zur Kenntnis genommen, ohne Abstimmung"),
    Consultation.Outcome.REFERRED: _("an ein anderes Gremium verwiesen"),
    Consultation.Outcome.POSTPONED: _("auf eine spätere Sitzung verschoben"),
    Consultation.Outcome.REMOVED: _("von der Tagesordnung genommen, nicht beraten"),
    Consultation.Outcome.AMENDED: _("mit Änderungen angenommen"),
    Consultation.Outcome.WITHOUT_DISCUSSION: _(
        "ohne Beschlussempfehlung (BE) an das nächste Gremium weitergegeben"
    ),
}


def outcome_of_result(text: str) -> str:
    """The outcome code an agenda item's result names, or "" for any other text. A result
    recorded with an outcome is stored as the outcome's name in the site's language
    ("mehrheitlich"); imports bring the same words, older entries may hold another language's."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return ""
    for code, label in Consultation.Outcome.choices:
        names = {code}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.add(str(label).casefold())
        if wanted in names:
            return code
    return ""


def stored_result(outcome: str) -> str:
    """The result text an agenda item keeps for ``outcome``: its name in the site's language,
    whatever language the clerk works in (OParl and the search read it as stored)."""
    if not outcome:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return str(Consultation.Outcome(outcome).label)


def shown_result(text: str) -> str:
    """An agenda item's result for the page: an outcome's name in the reader's language, any
    other text as entered."""
    code = outcome_of_result(text)
    return str(Consultation.Outcome(code).label) if code else text


class Decision(models.Model):
    """What a committee decided on an agenda item (Beschluss)."""

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="decision"
    )
    text = models.TextField(_("Beschlusstext"))
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.text[:60]}"


class Attendance(models.Model):
    """Who attended a meeting that has taken place (Anwesenheit), for its minutes.

    The counts are always kept; people are named only where the committee's members may be
    named at all: never for an advisory board (the identity shield), whose meetings have counts
    only. Public minutes name only the people who may be named publicly.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="attendance")
    present_count = models.PositiveSmallIntegerField(_("Anwesend"))
    excused_count = models.PositiveSmallIntegerField(_("Entschuldigt"), default=0)
    present_persons = models.ManyToManyField(
        Person, verbose_name=_("Anwesend (namentlich)"), blank=True, related_name="+"
    )
    excused_persons = models.ManyToManyField(
        Person, verbose_name=_("Entschuldigt (namentlich)"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.present_count}/{self.excused_count}"


class Mandate(models.Model):
    """A Prüfauftrag from a decision, tracked until done (Beschlusskontrolle)."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Bearbeitung")
        DONE = "done", _("erledigt")

    paper = models.ForeignKey(
        Paper, verbose_name=_("Vorlage"), on_delete=models.PROTECT, related_name="mandates"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("Beschluss"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mandates",
    )
    title = models.CharField(_("Auftrag"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    responsible_unit = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Zuständig"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    due_date = models.DateField(_("Fällig am"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    completed_on = models.DateField(_("Erledigt am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Prüfauftrag")
        verbose_name_plural = _("Beschlusskontrolle")
        ordering = ["status", "due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="mandate_done_has_date",
                violation_error_message=_("Ein erledigter Auftrag braucht ein Erledigungsdatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != self.Status.DONE
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class MandateProgress(models.Model):
    """A note on how a mandate is getting on; public notes appear on /beschlusskontrolle/."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField(_("Stand"))
    public = models.BooleanField(_("Öffentlich"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Fortschritt")
        verbose_name_plural = _("Fortschritte")
        ordering = ["mandate", "created_at", "id"]

    def __str__(self) -> str:
        return self.note[:60]
