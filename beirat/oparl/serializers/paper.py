"""Paper, its committee route (Consultation), its official PDF and its attachments (File)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse

from beirat.council.queries import ConsultationOutcome, paper_slug
from beirat.oparl.addresses import (
    EXTENSION_PREFIX,
    absolute,
    object_url,
    oparl_date,
    site_path,
)
from beirat.oparl.serializers.common import (
    Payload,
    Row,
    base,
    choice_label,
    row_base,
    row_label,
    row_times,
    times_base,
    without_empty,
)
from beirat.oparl.serializers.organization import committee_key, unit_key

if TYPE_CHECKING:
    from beirat.council.models import Consultation, Mandate, Paper, PaperAttachment


def consultation(item: Consultation, *, meeting_public: bool, item_public: bool) -> Payload:
    payload = without_empty(
        {
            **base("consultation", "Consultation", item.pk, item),
            "paper": object_url("paper", item.paper_id),
            "meeting": object_url("meeting", item.meeting_id)
            if item.meeting_id and meeting_public
            else None,
            "agendaItem": object_url("agendaitem", item.agenda_item_id)
            if item.agenda_item_id and meeting_public and item_public
            else None,
            "organization": [object_url("organization", committee_key(item.committee_id))],
            "role": item.role,
        }
    )
    payload["authoritative"] = item.authoritative
    # What OParl cannot express: the Gremienweg outcome code and the vote counts.
    extensions = {
        "outcome": item.outcome or None,
        "outcomeLabel": choice_label(item, "outcome") if item.outcome else None,
        "plannedDate": oparl_date(item.planned_date) if item.planned_date else None,
        "votesYes": item.votes_yes,
        "votesNo": item.votes_no,
        "votesAbstain": item.votes_abstain,
        "votesBiased": item.votes_biased,
    }
    payload.update(
        {
            f"{EXTENSION_PREFIX}{key}": value
            for key, value in extensions.items()
            if value is not None
        }
    )
    return payload


def official_pdf(item: Paper) -> Payload:
    """The paper's official PDF as an OParl File (one per paper, same key as the paper)."""
    page = site_path("council:paper_pdf", "reference", item.reference_slug)
    download = site_path("oparl:file_download", "key", item.pk)
    return without_empty(
        {
            **base("file", "File", item.pk, item),
            "name": f"{item.reference} {choice_label(item, 'paper_type')}",
            "fileName": f"{item.reference_slug}.pdf",
            "mimeType": "application/pdf",
            "date": oparl_date(item.date),
            "accessUrl": absolute(page),
            "downloadUrl": absolute(download),
            "paper": [object_url("paper", item.pk)],
        }
    )


def attachment_key(item: PaperAttachment) -> str:
    return f"a{item.pk}"


def attachment_file(item: PaperAttachment) -> Payload:
    """An attachment (Anlage) of the paper as an OParl File: one of the paper's auxiliaryFile."""
    page = reverse(
        "council:paper_attachment",
        kwargs={"reference": item.paper.reference_slug, "pk": item.pk},
    )
    download = site_path("oparl:file_download", "key", attachment_key(item))
    return without_empty(
        {
            **base("file", "File", attachment_key(item), item),
            "name": item.title,
            "fileName": item.download_name,
            "mimeType": item.media_type,
            "size": item.size,
            "accessUrl": absolute(page),
            "downloadUrl": absolute(download),
            "paper": [object_url("paper", item.paper_id)],
        }
    )


def mandate(item: Mandate) -> Payload:
    """A Prüfauftrag from the paper's decision (extension: OParl has no such object)."""
    return without_empty(
        {
            "title": item.title,
            "status": item.status,
            "statusLabel": choice_label(item, "status"),
            "dueDate": oparl_date(item.due_date) if item.due_date else None,
            "completedOn": oparl_date(item.completed_on) if item.completed_on else None,
            "responsibleOrganization": object_url(
                "organization", unit_key(item.responsible_unit_id)
            ),
        }
    ) | {"overdue": item.is_overdue}


def paper(
    item: Paper,
    route: list[Payload],
    subordinated: list[int],
    mandates: list[Mandate],
    attachments: list[PaperAttachment],
) -> Payload:
    payload = without_empty(
        {
            **base(
                "paper",
                "Paper",
                item.pk,
                item,
                site_path("council:paper", "reference", item.reference_slug),
            ),
            "body": object_url("body", item.body_id),
            "name": item.name,
            "reference": item.reference,
            "date": oparl_date(item.date),
            "paperType": choice_label(item, "paper_type"),
            "superordinatedPaper": [object_url("paper", item.responds_to_id)]
            if item.responds_to_id
            else [],
            "subordinatedPaper": [object_url("paper", key) for key in subordinated],
            "underDirectionOf": [object_url("organization", unit_key(item.author_unit_id))]
            if item.author_unit_id
            else [],
            "originatorOrganization": [
                object_url("organization", committee_key(item.originator_id))
            ]
            if item.originator_id
            else [],
            "mainFile": official_pdf(item),
            "auxiliaryFile": [attachment_file(entry) for entry in attachments],
            "consultation": route,
        }
    )
    if mandates:
        payload[f"{EXTENSION_PREFIX}mandates"] = [mandate(entry) for entry in mandates]
    return payload


# The same objects from rows (``.values()``), for the list pages: a page of a hundred papers spent
# most of its time building model instances. Each function gives exactly what its namesake above
# gives for the same record (tests/oparl/test_crawl.py compares every list entry with the object
# at its id, which is served by the functions above).


def consultation_from_row(row: Row) -> Payload:
    """consultation() of a row of council.queries.public_route_rows(): its visibility
    (meeting_shown, agenda_item_shown) and withheld results are decided there."""
    meeting_public = row["meeting_shown"]
    payload = without_empty(
        {
            **row_base("consultation", "Consultation", row["id"], row),
            "paper": object_url("paper", row["paper_id"]),
            "meeting": object_url("meeting", row["meeting_id"])
            if row["meeting_id"] and meeting_public
            else None,
            "agendaItem": object_url("agendaitem", row["agenda_item_id"])
            if row["agenda_item_id"] and meeting_public and row["agenda_item_shown"]
            else None,
            "organization": [object_url("organization", committee_key(row["committee_id"]))],
            "role": row["role"],
        }
    )
    payload["authoritative"] = row["authoritative"]
    outcome = row["outcome"]
    extensions = {
        "outcome": outcome or None,
        "outcomeLabel": row_label(ConsultationOutcome, outcome) if outcome else None,
        "plannedDate": oparl_date(row["planned_date"]) if row["planned_date"] else None,
        "votesYes": row["votes_yes"],
        "votesNo": row["votes_no"],
        "votesAbstain": row["votes_abstain"],
        "votesBiased": row["votes_biased"],
    }
    payload.update(
        {
            f"{EXTENSION_PREFIX}{key}": value
            for key, value in extensions.items()
            if value is not None
        }
    )
    return payload


@dataclass
class PaperRelated:
    """What a paper of a list page embeds or links, read for the whole page at once."""

    route: list[Payload] = field(default_factory=list)  # consultation_from_row() of each entry
    answers: list[int] = field(default_factory=list)  # keys of the answering papers, newest first
    mandates: list[Mandate] = field(default_factory=list)
    attachments: list[PaperAttachment] = field(default_factory=list)


# The columns paper_from_row() and official_pdf_from_row() read.
PAPER_ROW_FIELDS = (
    "id",
    "status",
    "body_id",
    "name",
    "reference",
    "date",
    "paper_type",
    "responds_to_id",
    "author_unit_id",
    "originator_id",
    "created_at",
    "modified_at",
)


def official_pdf_from_row(row: Row, times: tuple[str, str], type_labels: dict[str, str]) -> Payload:
    """official_pdf() of a paper read as a row; ``times``: row_times(row), ``type_labels``:
    row_labels(PaperType)."""
    key = row["id"]
    reference = row["reference"]
    slug = paper_slug(reference)
    paper_type = row["paper_type"]
    return without_empty(
        {
            **times_base("file", "File", key, times),
            "name": f"{reference} {type_labels.get(paper_type, paper_type)}",
            "fileName": f"{slug}.pdf",
            "mimeType": "application/pdf",
            "date": oparl_date(row["date"]),
            "accessUrl": absolute(site_path("council:paper_pdf", "reference", slug)),
            "downloadUrl": absolute(site_path("oparl:file_download", "key", key)),
            "paper": [object_url("paper", key)],
        }
    )


def paper_from_row(
    row: Row,
    related: PaperRelated,
    type_labels: dict[str, str],
) -> Payload:
    """paper() of a paper read as a row (PAPER_ROW_FIELDS); ``type_labels``:
    row_labels(PaperType), read once for the page."""
    key = row["id"]
    times = row_times(row)
    paper_type = row["paper_type"]
    payload = without_empty(
        {
            **times_base(
                "paper",
                "Paper",
                key,
                times,
                site_path("council:paper", "reference", paper_slug(row["reference"])),
            ),
            "body": object_url("body", row["body_id"]),
            "name": row["name"],
            "reference": row["reference"],
            "date": oparl_date(row["date"]),
            "paperType": type_labels.get(paper_type, paper_type),
            "superordinatedPaper": [object_url("paper", row["responds_to_id"])]
            if row["responds_to_id"]
            else [],
            "subordinatedPaper": [object_url("paper", entry) for entry in related.answers],
            "underDirectionOf": [object_url("organization", unit_key(row["author_unit_id"]))]
            if row["author_unit_id"]
            else [],
            "originatorOrganization": [
                object_url("organization", committee_key(row["originator_id"]))
            ]
            if row["originator_id"]
            else [],
            "mainFile": official_pdf_from_row(row, times, type_labels),
            "auxiliaryFile": [attachment_file(entry) for entry in related.attachments],
            "consultation": related.route,
        }
    )
    if related.mandates:
        payload[f"{EXTENSION_PREFIX}mandates"] = [mandate(entry) for entry in related.mandates]
    return payload
