"""Writes of the directory: each one transaction, each one audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from beirat.core import audit
from beirat.core.models import User
from beirat.directory.models import (
    Body,
    Committee,
    CommitteeName,
    Cooperation,
    LegislativeTerm,
    Membership,
    OfficeStaff,
    OrganizationalUnit,
    PartnerContact,
    PartnerEvent,
    PartnerOrganization,
    Person,
)


@transaction.atomic
def create_body(
    *, name: str, short_name: str, municipality_key: str = "", website: str = "", actor: User | None
) -> Body:
    body = Body(
        name=name, short_name=short_name, municipality_key=municipality_key, website=website
    )
    return audit.save_audited(body, actor=actor, action="body.created")


@transaction.atomic
def installation_body(*, actor: User | None) -> Body:
    """The city running this installation; made from the configured city name when missing."""
    body = Body.objects.order_by("id").first()
    if body is None:
        body = create_body(
            name=settings.CITY["name"], short_name=settings.CITY["short_name"], actor=actor
        )
    return body


@transaction.atomic
def create_unit(*, unit: OrganizationalUnit, actor: User | None) -> OrganizationalUnit:
    """Add a division or office. Side effect: audit entry."""
    _check_parent(unit)
    return audit.save_audited(unit, actor=actor, action="unit.created")


@transaction.atomic
def update_unit(*, unit: OrganizationalUnit, actor: User | None) -> OrganizationalUnit:
    _check_parent(unit)
    return audit.save_audited(unit, actor=actor, action="unit.updated")


def _check_parent(unit: OrganizationalUnit) -> None:
    ancestor = unit.parent
    while ancestor is not None:
        if unit.pk is not None and ancestor.pk == unit.pk:
            raise ValidationError(
                {"parent": _("Eine Einheit kann nicht unter sich selbst stehen.")}
            )
        ancestor = ancestor.parent


def require_own_committee(committee: Committee) -> None:
    """A committee mirrored from another council information system (its details, name and
    members) is kept there; the next synchronisation would undo a change made here."""
    if committee.is_mirrored:
        raise ValidationError(
            _(
                "Dieses Gremium stammt aus dem Ratsinformationssystem „%(source)s“ und wird dort "
                "gepflegt; hier kann es nicht geändert werden."
            )
            % {"source": committee.source_name}
        )


def require_own_person(person: Person) -> None:
    """As require_own_committee, for a person read from another system."""
    if person.is_mirrored:
        raise ValidationError(
            _(
                "Diese Person stammt aus dem Ratsinformationssystem „%(source)s“ und wird dort "
                "gepflegt; hier kann sie nicht geändert werden."
            )
            % {"source": person.source_name}
        )


@transaction.atomic
def create_committee(*, committee: Committee, actor: User | None) -> Committee:
    """Add a committee and open its name history. Side effect: audit entry."""
    audit.save_audited(committee, actor=actor, action="committee.created")
    CommitteeName.objects.create(
        committee=committee, name=committee.name, valid_from=committee.founded_on
    )
    return committee


@transaction.atomic
def update_committee(
    *, committee: Committee, actor: User | None, from_source: bool = False
) -> Committee:
    """Save changed details. The name changes only through rename_committee. ``from_source``:
    the synchronisation writes a mirrored committee; nobody else may."""
    if not from_source:
        require_own_committee(committee)
    stored_name = Committee.objects.values_list("name", flat=True).get(pk=committee.pk)
    if committee.name != stored_name:
        raise ValidationError({"name": _("Bitte benennen Sie ein Gremium über „Umbenennen“ um.")})
    return audit.save_audited(committee, actor=actor, action="committee.updated")


@transaction.atomic
def rename_committee(
    *,
    committee: Committee,
    new_name: str,
    valid_from: datetime.date,
    actor: User | None,
    from_source: bool = False,
) -> Committee:
    """Give a committee a new name from a date on; the old name stays in its history.
    ``from_source`` as in update_committee."""
    if not from_source:
        require_own_committee(committee)
    new_name = new_name.strip()
    if not new_name or new_name == committee.name:
        raise ValidationError({"new_name": _("Bitte geben Sie einen neuen Namen ein.")})
    current = committee.names.filter(valid_until__isnull=True).first()
    if current is not None:
        if current.valid_from and valid_from <= current.valid_from:
            raise ValidationError(
                {
                    "valid_from": _(
                        "Der neue Name muss nach dem Beginn des bisherigen Namens gelten "
                        "(%(date)s)."
                    )
                    % {"date": current.valid_from.strftime("%d.%m.%Y")}
                }
            )
        current.valid_until = valid_from - datetime.timedelta(days=1)
        current.save(update_fields=["valid_until"])
    CommitteeName.objects.create(committee=committee, name=new_name, valid_from=valid_from)
    old_name = committee.name
    committee.name = new_name
    committee.save(update_fields=["name", "modified_at"])
    audit.record(
        actor=actor,
        action="committee.renamed",
        instance=committee,
        changes={
            "name": {"before": old_name, "after": new_name},
            "valid_from": {"before": None, "after": valid_from.isoformat()},
        },
    )
    return committee


@transaction.atomic
def create_person(*, person: Person, actor: User | None) -> Person:
    return audit.save_audited(person, actor=actor, action="person.created")


@transaction.atomic
def update_person(*, person: Person, actor: User | None, from_source: bool = False) -> Person:
    """Save a person's changed details. ``from_source`` as in update_committee."""
    if not from_source:
        require_own_person(person)
    return audit.save_audited(person, actor=actor, action="person.updated")


@transaction.atomic
def create_legislative_term(*, term: LegislativeTerm, actor: User | None) -> LegislativeTerm:
    """Add a Wahlperiode of the council. Side effect: audit entry."""
    _check_term_overlap(term)
    return audit.save_audited(term, actor=actor, action="legislative_term.created")


@transaction.atomic
def update_legislative_term(*, term: LegislativeTerm, actor: User | None) -> LegislativeTerm:
    _check_term_overlap(term)
    return audit.save_audited(term, actor=actor, action="legislative_term.updated")


def _check_term_overlap(term: LegislativeTerm) -> None:
    """One council sits at a time: two terms of a body never overlap."""
    others = LegislativeTerm.objects.filter(body_id=term.body_id).exclude(pk=term.pk)
    for other in others:
        if other.overlaps(term.start_date, term.end_date):
            raise ValidationError(
                _("Die Wahlperiode überschneidet sich mit „%(other)s“.") % {"other": other.name}
            )


@transaction.atomic
def add_membership(
    *, membership: Membership, actor: User | None, from_source: bool = False
) -> Membership:
    """Record that a person or organisation belongs to a committee. Side effect: audit entry.
    ``from_source`` as in update_committee: a mirrored committee's members come from there."""
    if not from_source:
        require_own_committee(membership.committee)
    overlapping = Membership.objects.filter(
        committee=membership.committee,
        person=membership.person,
        organization=membership.organization,
        end_date__isnull=True,
    )
    if overlapping.exists():
        raise ValidationError(_("Diese Mitgliedschaft besteht bereits."))
    return audit.save_audited(membership, actor=actor, action="membership.added")


@transaction.atomic
def update_membership(
    *, membership: Membership, actor: User | None, from_source: bool = False
) -> Membership:
    """Save a membership's changed role, dates or note. Side effect: audit entry."""
    if not from_source:
        require_own_committee(membership.committee)
    return audit.save_audited(membership, actor=actor, action="membership.updated")


@transaction.atomic
def end_membership(
    *,
    membership: Membership,
    end_date: datetime.date,
    actor: User | None,
    from_source: bool = False,
) -> Membership:
    """Close a membership on a date; it stays in the history."""
    if not from_source:
        require_own_committee(membership.committee)
    if membership.end_date is not None:
        raise ValidationError(_("Diese Mitgliedschaft ist bereits beendet."))
    membership.end_date = end_date
    return audit.save_audited(membership, actor=actor, action="membership.ended")


@transaction.atomic
def create_partner(
    *,
    partner: PartnerOrganization,
    participants: Iterable[PartnerOrganization] = (),
    actor: User | None,
) -> PartnerOrganization:
    audit.save_audited(partner, actor=actor, action="partner.created")
    partner.participants.set(list(participants))
    return partner


@transaction.atomic
def update_partner(
    *,
    partner: PartnerOrganization,
    participants: Iterable[PartnerOrganization] | None = None,
    actor: User | None,
) -> PartnerOrganization:
    audit.save_audited(partner, actor=actor, action="partner.updated")
    if participants is not None:
        chosen = [item for item in participants if item.pk != partner.pk]
        before = sorted(partner.participants.values_list("name", flat=True))
        partner.participants.set(chosen)
        after = sorted(item.name for item in chosen)
        if before != after:
            audit.record(
                actor=actor,
                action="partner.participants_changed",
                instance=partner,
                changes={"participants": {"before": before, "after": after}},
            )
    return partner


@transaction.atomic
def add_partner_contact(*, contact: PartnerContact, actor: User | None) -> PartnerContact:
    return audit.save_audited(contact, actor=actor, action="partner_contact.added")


@transaction.atomic
def update_partner_contact(*, contact: PartnerContact, actor: User | None) -> PartnerContact:
    return audit.save_audited(contact, actor=actor, action="partner_contact.updated")


@transaction.atomic
def remove_partner_contact(*, contact: PartnerContact, actor: User | None) -> None:
    audit.record(
        actor=actor,
        action="partner_contact.removed",
        instance=contact,
        changes=audit.removed(audit.snapshot(contact)),
    )
    contact.delete()


@transaction.atomic
def add_cooperation(*, cooperation: Cooperation, actor: User | None) -> Cooperation:
    return audit.save_audited(cooperation, actor=actor, action="cooperation.added")


@transaction.atomic
def update_cooperation(*, cooperation: Cooperation, actor: User | None) -> Cooperation:
    """Save changes, including a status change (in Prüfung → aktiv → beendet)."""
    return audit.save_audited(cooperation, actor=actor, action="cooperation.updated")


@transaction.atomic
def add_partner_event(*, event: PartnerEvent, actor: User | None) -> PartnerEvent:
    return audit.save_audited(event, actor=actor, action="partner_event.added")


@transaction.atomic
def update_partner_event(*, event: PartnerEvent, actor: User | None) -> PartnerEvent:
    return audit.save_audited(event, actor=actor, action="partner_event.updated")


@transaction.atomic
def assign_office(*, user: User, unit: OrganizationalUnit, actor: User | None) -> OfficeStaff:
    """Let an office account see what is addressed to ``unit``."""
    if unit.kind != OrganizationalUnit.Kind.OFFICE:
        raise ValidationError({"unit": _("Nur Ämter können Mitarbeitende zugeordnet werden.")})
    assignment, created = OfficeStaff.objects.get_or_create(user=user, unit=unit)
    if created:
        audit.record(actor=actor, action="office_staff.assigned", instance=assignment)
    return assignment
