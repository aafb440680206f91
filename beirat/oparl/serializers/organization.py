"""Organization: public committees (the board included, its members never) and offices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from beirat.directory.queries import CommitteeKind
from beirat.oparl.addresses import body_list_url, object_url, oparl_date
from beirat.oparl.serializers.common import Payload, base, without_empty

if TYPE_CHECKING:
    from beirat.directory.models import Committee, OrganizationalUnit

ORGANIZATION_TYPES = {
    CommitteeKind.COUNCIL: "Gremium",
    CommitteeKind.COMMITTEE: "Gremium",
    CommitteeKind.ADVISORY_BOARD: "Gremium",
    CommitteeKind.STEERING_GROUP: "Gremium",
    CommitteeKind.TASK_FORCE: "Gremium",
    CommitteeKind.FRACTION: "Fraktion",
}


def committee_key(committee_id: int) -> str:
    return f"c{committee_id}"


def unit_key(unit_id: int) -> str:
    return f"u{unit_id}"


def committee(item: Committee, membership_urls: list[str]) -> Payload:
    key = committee_key(item.pk)
    return without_empty(
        {
            **base("organization", "Organization", key, item, item.get_absolute_url()),
            "body": object_url("body", item.body_id),
            "name": item.name,
            "shortName": item.short_name,
            "organizationType": ORGANIZATION_TYPES[CommitteeKind(item.kind)],
            "classification": item.get_kind_display(),
            "membership": membership_urls,
            "meeting": body_list_url(item.body_id, "meeting") + f"?organization={key}",
            "startDate": oparl_date(item.founded_on) if item.founded_on else None,
            "endDate": oparl_date(item.dissolved_on) if item.dissolved_on else None,
            "votingMemberCount": item.seat_count,
        }
    )


def unit(item: OrganizationalUnit) -> Payload:
    return without_empty(
        {
            **base("organization", "Organization", unit_key(item.pk), item),
            "body": object_url("body", item.body_id),
            "name": item.display_name,
            "shortName": item.number,
            "organizationType": "Verwaltungsbereich",
            "classification": item.get_kind_display(),
            "subOrganizationOf": object_url("organization", unit_key(item.parent_id))
            if item.parent_id
            else None,
        }
    )
