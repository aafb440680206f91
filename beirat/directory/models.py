"""Who is who: the city, its units, committees, people, memberships and partner network."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Body(models.Model):
    """The city running the system (OParl Body)."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=100)
    municipality_key = models.CharField(
        _("Amtlicher Gemeindeschlüssel"),
        max_length=8,
        blank=True,
        help_text=_("Acht Ziffern, z. B. 07111000 für Koblenz."),
    )
    website = models.URLField(_("Website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Gebietskörperschaft")
        verbose_name_plural = _("Gebietskörperschaften")

    def __str__(self) -> str:
        return self.name


class OrganizationalUnit(models.Model):
    """A Dezernat (division) or an Amt (office) of the administration."""

    class Kind(models.TextChoices):
        DIVISION = "division", _("Dezernat")
        OFFICE = "office", _("Amt")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="units")
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    number = models.CharField(
        _("Nummer"),
        max_length=10,
        blank=True,
        help_text=_("Amtsnummer wie „80“ oder Dezernatsnummer wie „1“; leer, wenn es keine gibt."),
    )
    name = models.CharField(_("Bezeichnung"), max_length=200)
    public_name = models.CharField(
        _("Bezeichnung für Bürgerinnen und Bürger"),
        max_length=200,
        help_text=_(
            "So lesen Bürgerinnen und Bürger das Amt auf der Seite ihrer Eingabe und in E-Mails, "
            "ohne Amtsnummer, zum Beispiel „Amt für Wirtschaftsförderung“. Es steht in Sätzen "
            "wie „Ihre Eingabe wurde weitergeleitet an: Amt für Wirtschaftsförderung.“"
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Gehört zu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(
        _("Funktionspostfach"),
        blank=True,
        help_text=_("Erhält Weiterleitungen und Benachrichtigungen."),
    )
    active = models.BooleanField(_("Aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Organisationseinheit")
        verbose_name_plural = _("Organisationseinheiten")
        ordering = ["kind", "number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "number"],
                condition=~Q(number=""),
                name="unit_number_unique_per_kind",
                violation_error_message=_("Diese Nummer ist bereits vergeben."),
            ),
            models.UniqueConstraint(
                fields=["body", "name"],
                name="unit_name_unique",
                violation_error_message=_("Eine Einheit mit dieser Bezeichnung gibt es bereits."),
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """As the papers write it: "80-Amt für Wirtschaftsförderung", "Dezernat 1"."""
        if self.kind == self.Kind.OFFICE and self.number:
            return f"{self.number}-{self.name}"
        return self.name

    @property
    def citizen_name(self) -> str:
        """How citizens read the unit: its public name, without the office number."""
        return self.public_name or self.name


class Committee(models.Model):
    """A Gremium: council, committee, the advisory board, steering group, task force, fraction."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Rat")
        COMMITTEE = "committee", _("Ausschuss")
        ADVISORY_BOARD = "advisory_board", _("Beirat")
        STEERING_GROUP = "steering_group", _("Steuerungsgruppe")
        TASK_FORCE = "task_force", _("Taskforce")
        FRACTION = "fraction", _("Fraktion")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="committees")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    slug = models.SlugField(
        _("Adresse"),
        max_length=80,
        unique=True,
        help_text=_("Teil der Internetadresse, bleibt bei Umbenennungen gleich."),
    )
    description = models.TextField(_("Aufgabe"), blank=True)
    public = models.BooleanField(
        _("Öffentlich"),
        default=True,
        help_text=_("Nicht öffentliche Gremien erscheinen nirgends auf öffentlichen Seiten."),
    )
    founded_on = models.DateField(_("Eingerichtet am"), null=True, blank=True)
    dissolved_on = models.DateField(_("Aufgelöst am"), null=True, blank=True)
    seat_count = models.PositiveSmallIntegerField(
        _("Sitze"),
        null=True,
        blank=True,
        help_text=_("Stimmberechtigte Mitglieder; begrenzt die erfassten Stimmen."),
    )
    lead_unit = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Geschäftsführung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Das Amt, das das Gremium ausrichtet."),
    )
    # Set only for a committee mirrored from another council information system (not for one
    # the city kept here before and the sync linked): kept there, read-only here.
    source_name = models.CharField(_("Quelle"), max_length=200, blank=True, default="")
    source_url = models.URLField(_("Seite in der Quelle"), max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="committee_dissolved_after_founded",
                violation_error_message=_(
                    "Ein Gremium kann nicht vor seiner Einrichtung aufgelöst werden."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:committee", kwargs={"slug": self.slug})

    @property
    def is_advisory_board(self) -> bool:
        return self.kind == self.Kind.ADVISORY_BOARD

    @property
    def is_mirrored(self) -> bool:
        """Read from another council information system: changed there, never here."""
        return bool(self.source_name)


class CommitteeName(models.Model):
    """A name a committee carried for a time: the IT-Beirat of 2021, the Digitalbeirat of 2025."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("Name"), max_length=200)
    valid_from = models.DateField(_("Gültig ab"), null=True, blank=True)
    valid_until = models.DateField(_("Gültig bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Früherer Name")
        verbose_name_plural = _("Namensverlauf")
        ordering = ["committee", F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="committee_name_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(valid_until__isnull=True),
                name="committee_one_current_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# German spellings of one sound, so that "Mueller", "Müller" and "muller" meet.
_DIGRAPHS = re.compile(r"(?<=[aou])e")


def name_key(text: str) -> str:
    """A name as a search compares it: lower case, without accents and umlaut dots, "ß" as
    "ss" and "ae"/"oe"/"ue" as "a"/"o"/"u" (applied to the name and to the search words alike)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _DIGRAPHS.sub("", " ".join(plain.split()))


class LegislativeTerm(models.Model):
    """A Wahlperiode: the time between two elections of the council (OParl LegislativeTerm)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="legislative_terms")
    name = models.CharField(
        _("Bezeichnung"), max_length=100, help_text=_("Zum Beispiel „Wahlperiode 2024–2029“.")
    )
    start_date = models.DateField(_("Beginn"))
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Wahlperiode")
        verbose_name_plural = _("Wahlperioden")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="legislative_term_ends_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
            models.UniqueConstraint(
                fields=["body", "name"],
                name="legislative_term_name_unique",
                violation_error_message=_("Eine Wahlperiode mit dieser Bezeichnung gibt es schon."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def overlaps(self, start: datetime.date | None, end: datetime.date | None) -> bool:
        """Whether a time from ``start`` to ``end`` (open where None) falls into this term."""
        begins_in_time = self.end_date is None or start is None or start <= self.end_date
        ends_in_time = end is None or end >= self.start_date
        return begins_in_time and ends_in_time


class Person(models.Model):
    """A person in a committee. Board members among them are never shown publicly."""

    family_name = models.CharField(_("Nachname"), max_length=100)
    given_name = models.CharField(_("Vorname"), max_length=100, blank=True)
    title = models.CharField(_("Titel"), max_length=50, blank=True)
    form_of_address = models.CharField(_("Anrede"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    biography = models.TextField(_("Kurzbiografie"), blank=True)
    public = models.BooleanField(
        _("Darf öffentlich genannt werden"),
        default=False,
        help_text=_(
            "Z. B. gewählte Ratsmitglieder. Beiratsmitglieder werden nie genannt, "
            "auch wenn hier ein Haken steht."
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Kept by save(): the name as the name search compares it (see name_key).
    search_name = models.CharField(max_length=260, blank=True, editable=False, db_index=True)
    # Set only by the demo loader: the public pages say that the person is made up.
    demo = models.BooleanField(default=False, editable=False)
    # Set only for a person mirrored from another council information system: the name is
    # kept there, read-only here.
    source_name = models.CharField(_("Quelle"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = name_key(f"{self.given_name} {self.family_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)

    @property
    def is_mirrored(self) -> bool:
        """Read from another council information system: changed there, never here."""
        return bool(self.source_name)


class PartnerOrganization(models.Model):
    """A partner in the city's network: IT.Stadt Koblenz e.V., TZK, IHK, PD GmbH …"""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Verein")
        NETWORK = "network", _("Netzwerk oder Initiative")
        CHAMBER = "chamber", _("Kammer")
        UNIVERSITY = "university", _("Hochschule")
        TECHNOLOGY_CENTRE = "technology_centre", _("Technologiezentrum")
        CONSULTANCY = "consultancy", _("Öffentliche Beratung")
        PUBLIC_AUTHORITY = "public_authority", _("Öffentliche Stelle")
        COMPANY = "company", _("Unternehmen")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=60, blank=True)
    slug = models.SlugField(_("Adresse"), max_length=80, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    city_member_since = models.DateField(
        _("Stadt ist Mitglied seit"),
        null=True,
        blank=True,
        help_text=_("Leer lassen, wenn die Stadt nicht Mitglied ist."),
    )
    city_is_member = models.BooleanField(_("Stadt ist Mitglied"), default=False)
    participants = models.ManyToManyField(
        "self",
        verbose_name=_("Beteiligte Partner"),
        blank=True,
        symmetrical=False,
        related_name="participates_in",
        help_text=_("Z. B. IHK, HWK und Hochschulen in der Start-Up-League."),
    )
    public = models.BooleanField(_("Öffentlich"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Netzwerkpartner")
        verbose_name_plural = _("Netzwerkpartner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(city_member_since__isnull=True) | Q(city_is_member=True),
                name="partner_member_since_needs_membership",
                violation_error_message=_(
                    "Ein Beitrittsdatum gibt es nur bei einer Mitgliedschaft."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:partner", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A person or a partner organisation belonging to a committee, in a role, for a time."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        CHAIR = "chair", _("Vorsitz")
        ADVISORY = "advisory", _("Beratendes Mitglied")
        REPRESENTATIVE = "representative", _("Vertretung")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        PartnerOrganization,
        verbose_name=_("Organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    note = models.CharField(_("Bemerkung"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["committee", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="membership_person_xor_organization",
                violation_error_message=_(
                    "Eine Mitgliedschaft gehört entweder einer Person oder einer Organisation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_label} – {self.committee} ({self.get_role_display()})"

    @property
    def member_label(self) -> str:
        return str(self.person if self.person_id else self.organization)


class PartnerContact(models.Model):
    """The city's named contact towards a partner, e.g. its Chief Digital Officer."""

    partner = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="contacts"
    )
    function = models.CharField(
        _("Funktion"), max_length=120, help_text=_("Z. B. „Chief Digital Officer (CDO)“.")
    )
    unit = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Organisationseinheit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_contacts",
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_contacts",
        help_text=_("Wird nur genannt, wenn die Person öffentlich genannt werden darf."),
    )
    since = models.DateField(_("Seit"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Ansprechpartner der Stadt")
        verbose_name_plural = _("Ansprechpartner der Stadt")
        ordering = ["partner", "function"]

    def __str__(self) -> str:
        return f"{self.function} ({self.partner})"


class Cooperation(models.Model):
    """A cooperation between the city and a partner, from first examination to its end."""

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("in Prüfung")
        ACTIVE = "active", _("aktiv")
        ENDED = "ended", _("beendet")

    partner = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="cooperations"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.IN_REVIEW
    )
    responsible_unit = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Zuständig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperations",
    )
    started_on = models.DateField(_("Beginn"), null=True, blank=True)
    ended_on = models.DateField(_("Ende"), null=True, blank=True)
    source = models.CharField(
        _("Grundlage"),
        max_length=200,
        blank=True,
        help_text=_("Z. B. die Vorlage, mit der die Prüfung beschlossen wurde: ST/0078/2025."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kooperation")
        verbose_name_plural = _("Kooperationen")
        ordering = ["partner", "-started_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="cooperation_ends_after_start",
                violation_error_message=_("Das Ende darf nicht vor dem Beginn liegen."),
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_on__isnull=False),
                name="cooperation_ended_has_date",
                violation_error_message=_("Eine beendete Kooperation braucht ein Enddatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PartnerEvent(models.Model):
    """An event of a partner the city supports: Start-Up-Weekend, Start-Up-Slam …"""

    class Kind(models.TextChoices):
        STARTUP_WEEKEND = "startup_weekend", _("Start-Up-Weekend")
        STARTUP_SLAM = "startup_slam", _("Start-Up-Slam")
        WORKSHOP = "workshop", _("Workshop")
        OTHER = "other", _("Sonstiges")

    partner = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    date = models.DateField(_("Datum"), null=True, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["partner", F("date").desc(nulls_last=True), "title"]

    def __str__(self) -> str:
        return self.title


class OfficeStaff(models.Model):
    """Which office an account with the office role works for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_assignments"
    )
    unit = models.ForeignKey(
        OrganizationalUnit,
        verbose_name=_("Amt"),
        on_delete=models.CASCADE,
        related_name="staff",
        limit_choices_to={"kind": OrganizationalUnit.Kind.OFFICE},
    )

    class Meta:
        verbose_name = _("Zuordnung zu einem Amt")
        verbose_name_plural = _("Zuordnungen zu Ämtern")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="office_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit}"
