"""Reads of the directory. Public reads apply the identity shield: board members are never named."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from beirat.core.models import User
from beirat.core.roles import AnyUser, Role
from beirat.directory import rules
from beirat.directory.models import (
    Body,
    Committee,
    Cooperation,
    LegislativeTerm,
    Membership,
    OfficeStaff,
    OrganizationalUnit,
    PartnerContact,
    PartnerEvent,
    PartnerOrganization,
    Person,
    name_key,
)

# Choices that other apps compare with or map, so that they need not import the models.
CommitteeKind = Committee.Kind
MembershipRole = Membership.Role


def the_body() -> Body | None:
    """The city running this installation (one Body per installation)."""
    return Body.objects.order_by("id").first()


def public_bodies() -> QuerySet[Body]:
    """Every Body: the city running this installation is public."""
    return Body.objects.all()


def public_units() -> QuerySet[OrganizationalUnit]:
    """Every organisational unit, inactive ones too: the administration's structure is public
    (a unit names no people)."""
    return OrganizationalUnit.objects.all()


def board_member_persons() -> QuerySet[Person]:
    """Everyone who ever belonged to an advisory board: never named in public."""
    return Person.objects.filter(
        memberships__committee__kind=Committee.Kind.ADVISORY_BOARD
    ).distinct()


def unnamed_persons() -> QuerySet[Person]:
    """People no page names, staff pages and the Django admin included: everyone who ever
    belonged to an advisory board, and the person of every account in the board members'
    group. Only the privacy role may learn who a member is (docs/decisions.md, 19 and 32)."""
    return Person.objects.filter(
        Q(pk__in=board_member_persons().values("pk"))
        | Q(user__groups__name=Role.BOARD_MEMBER.value)
    ).distinct()


def nameable_persons_for_staff() -> QuerySet[Person]:
    """The people the directory's staff pages (and the Django admin) list, edit and offer."""
    return Person.objects.exclude(pk__in=unnamed_persons().values("pk"))


def accounts_for_staff() -> QuerySet[User]:
    """Accounts a person or an office assignment may be linked to: board members' accounts are
    left out, so that no choice names them."""
    return User.objects.exclude(groups__name=Role.BOARD_MEMBER.value).order_by("username")


def publicly_nameable_persons() -> QuerySet[Person]:
    """The people public pages, OParl and search may name: marked public, and never anyone the
    identity shield protects (unnamed_persons: whoever ever sat on an advisory board or has a
    board member's account), whatever else they are, a council member with public=True too.
    Every public read of people starts here."""
    return Person.objects.filter(public=True).exclude(pk__in=unnamed_persons().values("pk"))


def public_person_memberships() -> QuerySet[Membership]:
    """Memberships of people who may be named, in public committees; never one in an advisory
    board (its members are never named)."""
    return Membership.objects.filter(
        person__in=publicly_nameable_persons(), committee__in=public_committees()
    ).exclude(committee__kind=Committee.Kind.ADVISORY_BOARD)


def public_persons(*, search: str = "") -> QuerySet[Person]:
    """People with a public person page, by name, each with ``current_fractions`` (their
    current public fraction memberships); ``search`` keeps those whose name holds every word of
    it, in either case and with or without umlauts ("muller" finds "Müller")."""
    persons = publicly_nameable_persons()
    for word in name_key(search).split():
        persons = persons.filter(search_name__contains=word)
    fractions = _current(
        public_person_memberships().filter(committee__kind=Committee.Kind.FRACTION),
        timezone.localdate(),
    ).select_related("committee")
    return persons.prefetch_related(
        Prefetch("memberships", queryset=fractions, to_attr="current_fractions")
    ).order_by("family_name", "given_name", "pk")


def get_public_person(pk: int) -> Person:
    """A person's public page: 404 for anyone the public may not name (board members above
    all), logged in or not; staff edit people on their own pages."""
    return get_object_or_404(publicly_nameable_persons(), pk=pk)


def public_memberships_of_person(person: Person) -> list[Membership]:
    """The public memberships of a nameable person, current ones first, then by start."""
    return list(
        public_person_memberships()
        .filter(person=person)
        .select_related("committee")
        .order_by(F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True))
    )


def public_fractions() -> QuerySet[Committee]:
    """The council's fractions (public committees of the kind "Fraktion"), with the number of
    their current members the public may see."""
    current = _current(public_person_memberships(), timezone.localdate())
    return (
        public_committees()
        .filter(kind=Committee.Kind.FRACTION)
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__in=current.values("pk")), distinct=True
            )
        )
        .order_by("name")
    )


def get_public_fraction(pk: int) -> Committee:
    return get_object_or_404(public_fractions(), pk=pk)


def public_fraction_members(fraction: Committee) -> tuple[list[Membership], list[Membership]]:
    """The fraction's current and former members the public may see, each by role and name."""
    today = timezone.localdate()
    memberships = (
        public_person_memberships()
        .filter(committee=fraction)
        .select_related("person")
        .order_by("role", "person__family_name", "person__given_name")
    )
    current = list(_current(memberships, today))
    shown = {membership.pk for membership in current}
    former = [membership for membership in memberships if membership.pk not in shown]
    return current, former


def public_legislative_terms() -> QuerySet[LegislativeTerm]:
    """The council's Wahlperioden, newest first. A term names no people, so all are public."""
    return LegislativeTerm.objects.order_by("-start_date", "pk")


def current_legislative_term(on: datetime.date | None = None) -> LegislativeTerm | None:
    today = on or timezone.localdate()
    return (
        public_legislative_terms()
        .filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .first()
    )


def terms_of(memberships: list[Membership]) -> list[LegislativeTerm]:
    """The terms in which any of ``memberships`` fell, newest first."""
    return [
        term
        for term in public_legislative_terms()
        if any(term.overlaps(entry.start_date, entry.end_date) for entry in memberships)
    ]


def any_demo_person(persons: list[Person]) -> bool:
    """Whether a page shows a person the demo loader made up (the page then says so)."""
    return any(person.demo for person in persons)


def _current(queryset: QuerySet[Membership], on: datetime.date) -> QuerySet[Membership]:
    return queryset.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def public_committees() -> QuerySet[Committee]:
    return Committee.objects.filter(public=True).order_by("kind", "name")


def public_committees_for_paper_filter() -> QuerySet[Committee]:
    """Committees a visitor can filter papers by: public ones, fractions left out (they hand in
    motions but do not deliberate papers)."""
    return public_committees().exclude(kind=Committee.Kind.FRACTION)


def committees_visible_to(user: AnyUser) -> QuerySet[Committee]:
    if rules.can_manage_directory(user):
        return Committee.objects.order_by("kind", "name")
    return public_committees()


def get_committee_for(user: AnyUser, slug: str) -> Committee:
    committee = Committee.objects.filter(slug=slug).select_related("lead_unit").first()
    if committee is None or not rules.can_view_committee(user, committee):
        raise Http404
    return committee


def public_members_of(committee: Committee, *, on: datetime.date | None = None) -> list[Membership]:
    """Current memberships that may be shown publicly: organisations always, people only
    outside the board and only when they may be named."""
    today = on or timezone.localdate()
    memberships = _current(committee.memberships.all(), today).select_related(
        "person", "organization"
    )
    shown = Q(organization__isnull=False, organization__public=True)
    if rules.may_name_members_publicly(committee):
        shown |= Q(person__in=publicly_nameable_persons())
    return list(
        memberships.filter(shown).order_by("role", "organization__name", "person__family_name")
    )


def name_history_of(committee: Committee) -> list[str]:
    """Earlier names of a committee, oldest first, without the current one."""
    return [entry.name for entry in committee.names.all() if entry.valid_until is not None]


def public_partners() -> QuerySet[PartnerOrganization]:
    return (
        PartnerOrganization.objects.filter(public=True)
        .prefetch_related(
            Prefetch("contacts", queryset=PartnerContact.objects.select_related("unit", "person")),
            Prefetch(
                "cooperations", queryset=Cooperation.objects.select_related("responsible_unit")
            ),
            "events",
            Prefetch("participants", queryset=PartnerOrganization.objects.filter(public=True)),
        )
        .order_by("name")
    )


def get_partner_for(user: AnyUser, slug: str) -> PartnerOrganization:
    # Managers also reach non-public partners; the public read prefetches what the page shows.
    candidates = (
        PartnerOrganization.objects.all() if rules.can_manage_directory(user) else public_partners()
    )
    partner = candidates.filter(slug=slug).first()
    if partner is None or not rules.can_view_partner(user, partner):
        raise Http404
    return partner


def contact_person_label(contact: PartnerContact) -> str | None:
    """The contact's name, only where the person may be named publicly."""
    person = contact.person
    if person is None or not publicly_nameable_persons().filter(pk=person.pk).exists():
        return None
    return person.full_name


def network_counts() -> dict[str, int]:
    partners = PartnerOrganization.objects.filter(public=True)
    return {
        "partners": partners.count(),
        "city_memberships": partners.filter(city_is_member=True).count(),
        "active_cooperations": Cooperation.objects.filter(
            partner__public=True, status=Cooperation.Status.ACTIVE
        ).count(),
    }


# Staff reads ------------------------------------------------------------------------------


def directory_counts() -> dict[str, int]:
    return {
        "unit_count": OrganizationalUnit.objects.count(),
        "committee_count": Committee.objects.count(),
        "person_count": nameable_persons_for_staff().count(),
        "partner_count": PartnerOrganization.objects.count(),
        "term_count": LegislativeTerm.objects.count(),
    }


def units_for_staff() -> QuerySet[OrganizationalUnit]:
    return OrganizationalUnit.objects.select_related("parent").order_by("kind", "number", "name")


def offices() -> QuerySet[OrganizationalUnit]:
    return OrganizationalUnit.objects.filter(kind=OrganizationalUnit.Kind.OFFICE, active=True)


def committees_for_staff() -> QuerySet[Committee]:
    return Committee.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__end_date__isnull=True))
    ).order_by("kind", "name")


def persons_for_staff() -> QuerySet[Person]:
    return (
        nameable_persons_for_staff()
        .annotate(membership_count=Count("memberships"))
        .order_by("family_name", "given_name")
    )


def partners_for_staff() -> QuerySet[PartnerOrganization]:
    return PartnerOrganization.objects.annotate(
        cooperation_count=Count("cooperations", distinct=True),
        event_count=Count("events", distinct=True),
    ).order_by("name")


def memberships_for_staff(committee: Committee) -> QuerySet[Membership]:
    """The memberships staff may read: organisations and nameable people, never a board
    member (unnamed_memberships_count says how many are left out)."""
    # Current memberships first, then ended ones, most recently ended first.
    return (
        committee.memberships.exclude(person__in=unnamed_persons())
        .select_related("person", "organization")
        .order_by(F("end_date").desc(nulls_first=True), "role", "id")
    )


def unnamed_memberships_count(committee: Committee) -> int:
    """Current memberships of people no staff page names."""
    return _current(
        committee.memberships.filter(person__in=unnamed_persons()), timezone.localdate()
    ).count()


def legislative_terms_for_staff() -> QuerySet[LegislativeTerm]:
    return public_legislative_terms()


def get_legislative_term(pk: int) -> LegislativeTerm:
    return get_object_or_404(LegislativeTerm.objects.all(), pk=pk)


def get_unit(pk: int) -> OrganizationalUnit:
    return get_object_or_404(OrganizationalUnit.objects.all(), pk=pk)


def get_person(pk: int) -> Person:
    return get_object_or_404(nameable_persons_for_staff(), pk=pk)


def get_membership(pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.exclude(person__in=unnamed_persons()).select_related(
            "committee", "person", "organization"
        ),
        pk=pk,
    )


def staff_person_label(person: Person | None) -> str | None:
    """A person's name on a staff page; None for nobody and for a person no page names."""
    if person is None or unnamed_persons().filter(pk=person.pk).exists():
        return None
    return person.full_name


def get_contact(pk: int) -> PartnerContact:
    return get_object_or_404(PartnerContact.objects.select_related("partner"), pk=pk)


def get_cooperation(pk: int) -> Cooperation:
    return get_object_or_404(Cooperation.objects.select_related("partner"), pk=pk)


def get_event(pk: int) -> PartnerEvent:
    return get_object_or_404(PartnerEvent.objects.select_related("partner"), pk=pk)


def offices_of(user: AnyUser) -> QuerySet[OrganizationalUnit]:
    if not user.is_authenticated:
        return OrganizationalUnit.objects.none()
    return OrganizationalUnit.objects.filter(
        pk__in=OfficeStaff.objects.filter(user_id=user.pk).values("unit_id")
    )
