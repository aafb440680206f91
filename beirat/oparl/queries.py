"""What the API may show: only the public reads of the other apps' queries, paged by key."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet

from beirat.council import queries as council
from beirat.directory import queries as directory

if TYPE_CHECKING:
    from beirat.council.models import (
        AgendaItem,
        Consultation,
        Mandate,
        Meeting,
        Paper,
        PaperAttachment,
    )
    from beirat.directory.models import (
        Body,
        Committee,
        LegislativeTerm,
        Membership,
        OrganizationalUnit,
        Person,
    )

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class ListFilter:
    created_since: datetime.datetime | None = None
    created_until: datetime.datetime | None = None
    modified_since: datetime.datetime | None = None
    modified_until: datetime.datetime | None = None
    after: int = 0
    limit: int = DEFAULT_PAGE_SIZE

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        conditions = Q(pk__gt=self.after)
        for field, bound, lookup in (
            ("created_at", self.created_since, "gte"),
            ("created_at", self.created_until, "lte"),
            ("modified_at", self.modified_since, "gte"),
            ("modified_at", self.modified_until, "lte"),
        ):
            if bound is not None:
                conditions &= Q(**{f"{field}__{lookup}": bound})
        # Keyset paging: page 10,000 costs what page 1 costs.
        return queryset.filter(conditions).order_by("pk")[
            : self.limit + 1
        ]  # one more: is there a next page?


def bodies() -> QuerySet[Body]:
    return directory.public_bodies().order_by("pk")


def legislative_terms() -> QuerySet[LegislativeTerm]:
    return directory.public_legislative_terms()


def public_committees() -> QuerySet[Committee]:
    return directory.public_committees()


def units() -> QuerySet[OrganizationalUnit]:
    return directory.public_units()


def public_persons() -> QuerySet[Person]:
    return directory.publicly_nameable_persons()


def public_memberships() -> QuerySet[Membership]:
    return directory.public_person_memberships()


def public_meetings() -> QuerySet[Meeting]:
    return council.public_meetings()


def public_agenda_items() -> QuerySet[AgendaItem]:
    return council.public_agenda_items()


def public_agenda_items_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    return council.public_agenda_items_of(meeting)


def published_papers() -> QuerySet[Paper]:
    return council.public_papers()


def withdrawn_papers() -> QuerySet[Paper]:
    """Withdrawn papers appear as deleted objects (nothing public is ever hard-deleted)."""
    return council.withdrawn_public_papers()


def public_consultations() -> QuerySet[Consultation]:
    return council.public_consultations()


def public_route_rows(of_papers: Q) -> list[dict[str, Any]]:
    """The route of the public papers ``of_papers`` selects, as rows, each with what of it may
    be shown."""
    return council.public_route_rows(of_papers)


def shown_route_rows(consultations: QuerySet[Consultation]) -> list[dict[str, Any]]:
    """Entries of public_consultations() as rows, each with what of it may be shown."""
    return council.shown_route_rows(consultations)


def public_mandates() -> QuerySet[Mandate]:
    return council.mandates_of_public_papers()


def public_attachments() -> QuerySet[PaperAttachment]:
    """Attachments of public papers: public exactly when their paper is."""
    return council.public_attachments()


def official_pdf(paper: Paper) -> bytes:
    return council.official_pdf_of(paper)


def meetings_with_invitation() -> QuerySet[Meeting]:
    return council.public_meetings_with_invitation()


def meetings_with_minutes() -> QuerySet[Meeting]:
    return council.public_meetings_with_minutes()


def has_invitation(meeting: Meeting) -> bool:
    return council.has_invitation(meeting)


def has_minutes(meeting: Meeting) -> bool:
    return council.has_minutes(meeting)


def invitation_pdf(meeting: Meeting) -> bytes:
    return council.invitation_pdf_of(meeting)


def minutes_pdf(meeting: Meeting) -> bytes:
    return council.public_minutes_pdf_of(meeting)


def minutes_modified(meeting: Meeting) -> datetime.datetime:
    return council.minutes_modified(meeting)


def minutes_modified_of(meetings: list[Meeting]) -> dict[int, datetime.datetime]:
    return council.minutes_modified_of(meetings)


def first(queryset: QuerySet[Any], pk: int) -> Model | None:
    found: Model | None = queryset.filter(pk=pk).first()
    return found
