"""Person and Membership: only people who may be named publicly; board members never."""

from __future__ import annotations

from typing import TYPE_CHECKING

from beirat.directory.queries import MembershipRole
from beirat.oparl.addresses import object_url, oparl_date, site_path
from beirat.oparl.serializers.common import Payload, base, without_empty
from beirat.oparl.serializers.organization import committee_key

if TYPE_CHECKING:
    from beirat.directory.models import Membership, Person


def membership(item: Membership) -> Payload:
    return without_empty(
        {
            **base("membership", "Membership", item.pk, item),
            "person": object_url("person", item.person_id) if item.person_id else None,
            "organization": object_url("organization", committee_key(item.committee_id)),
            "role": item.get_role_display(),
            "votingRight": item.role != MembershipRole.ADVISORY,
            "startDate": oparl_date(item.start_date) if item.start_date else None,
            "endDate": oparl_date(item.end_date) if item.end_date else None,
        }
    )


def person(item: Person, memberships: list[Membership], body_id: int | None) -> Payload:
    """A person the public may name, with the public page as ``web``; fraction memberships are
    among ``memberships`` (their organization has organizationType "Fraktion")."""
    return without_empty(
        {
            **base("person", "Person", item.pk, item, site_path("directory:person", "pk", item.pk)),
            "body": object_url("body", body_id) if body_id else None,
            "name": item.full_name,
            "familyName": item.family_name,
            "givenName": item.given_name,
            "formOfAddress": item.form_of_address,
            "title": [item.title] if item.title else [],
            "membership": [membership(entry) for entry in memberships],
        }
    )
