"""System and Body: the entry point and the city."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from beirat.oparl.addresses import (
    SCHEMA,
    absolute,
    body_list_url,
    object_url,
    oparl_date,
    type_uri,
)
from beirat.oparl.serializers.common import Payload, base, without_empty

if TYPE_CHECKING:
    from beirat.directory.models import Body, LegislativeTerm

BODY_LISTS = (
    "organization",
    "person",
    "meeting",
    "paper",
    "agendaItem",
    "consultation",
    "file",
    "membership",
)


def system(first_body: Body | None) -> Payload:
    payload: Payload = {
        "id": absolute(reverse("oparl:system")),
        "type": type_uri("System"),
        "oparlVersion": SCHEMA,
        "otherOparlVersions": [],
        "body": absolute(reverse("oparl:bodies")),
        "name": f"{settings.CITY['board_name']} – {settings.CITY['name']}",
        "contactEmail": settings.CITY["email"],
        "website": absolute("/"),
    }
    if first_body is not None:
        payload["created"] = base("body", "Body", first_body.pk, first_body)["created"]
        payload["modified"] = base("body", "Body", first_body.pk, first_body)["modified"]
    return payload


def legislative_term(item: LegislativeTerm) -> Payload:
    return without_empty(
        {
            **base("legislativeterm", "LegislativeTerm", item.pk, item),
            "body": object_url("body", item.body_id),
            "name": item.name,
            "startDate": oparl_date(item.start_date),
            "endDate": oparl_date(item.end_date) if item.end_date else None,
        }
    )


def body(item: Body, terms: list[Payload]) -> Payload:
    """The city; ``terms`` are its LegislativeTerms, embedded as OParl asks."""
    lists = {name: body_list_url(item.pk, name.lower()) for name in BODY_LISTS}
    return without_empty(
        {
            **base("body", "Body", item.pk, item, "/"),
            "system": absolute(reverse("oparl:system")),
            "name": item.name,
            "shortName": item.short_name,
            "website": item.website,
            "ags": item.municipality_key,
            "contactEmail": settings.CITY["email"],
            **lists,
            "locationList": body_list_url(item.pk, "location"),
            "legislativeTermList": body_list_url(item.pk, "legislativeterm"),
        }
    ) | {"legislativeTerm": terms}
