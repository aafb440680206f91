"""Council papers and meetings as search documents (see beirat.search.sources)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from beirat.council import queries
from beirat.council.models import (
    AgendaItem,
    Consultation,
    Mandate,
    MandateProgress,
    Meeting,
    Paper,
    PaperAttachment,
    PaperSection,
)
from beirat.directory.models import Committee
from beirat.search.sources import COUNCIL, PUBLIC, SearchDocument, Source, register

PAPER, MEETING, MANDATE = "paper", "meeting", "mandate"


class _Part(Protocol):
    public: Any  # a model's BooleanField


PartT = TypeVar("PartT", bound=_Part)


@dataclass(frozen=True)
class _Variant(Generic[PartT]):
    """One document of a record: who finds it, and the parts of the record it holds."""

    name: str
    audiences: tuple[str, ...]
    parts: list[PartT]
    replaced_for: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        return PUBLIC in self.audiences


def _variants(parts: list[PartT], *, public: bool) -> Iterator[_Variant[PartT]]:
    """The documents of a record with parts (a meeting's agenda items, a mandate's notes).

    A record that is not public is one document for the council, with every part. A public
    record is one document for everybody with its public parts; when it has hidden parts too,
    clerks find a full twin with every part instead of it, and never both.
    """
    if not public:
        yield _Variant("", (COUNCIL,), parts)
        return
    public_parts = [part for part in parts if part.public]
    has_hidden_parts = len(public_parts) < len(parts)
    yield _Variant("public", (PUBLIC,), public_parts, (COUNCIL,) if has_hidden_parts else ())
    if has_hidden_parts:
        yield _Variant("full", (COUNCIL,), parts)


PAPER_FIELDS = (
    "id",
    "name",
    "reference",
    "file_number",
    "originator__name",
    "author_unit__number",
    "author_unit__name",
    "body_heading",
    "climate_impact",
    "financial_impact",
    "recommended_resolution",
    "date",
    "paper_type",
    "status",
    "public",
)


def paper_documents(ids: Sequence[int]) -> Iterator[SearchDocument]:
    # Plain values, not model instances: a rebuild reads a million papers, and building
    # instances was two thirds of its time.
    texts: dict[int, list[str]] = defaultdict(list)
    section_rows = (
        PaperSection.objects.filter(paper_id__in=ids)
        .order_by("paper_id", "position")
        .values_list("paper_id", "number", "question", "heading", "text")
    )
    for paper_id, *pieces in section_rows:
        texts[paper_id].extend(piece for piece in pieces if piece)
    # The attachments are public exactly when the paper is, so they share its document: a word
    # that stands only in an attachment finds the paper, for whoever may find the paper.
    attachment_rows = (
        PaperAttachment.objects.filter(paper_id__in=ids)
        .order_by("paper_id", "order")
        .values_list("paper_id", "title", "text")
    )
    for paper_id, *pieces in attachment_rows:
        texts[paper_id].extend(piece for piece in pieces if piece)
    committees: dict[int, set[int]] = defaultdict(set)
    route = Consultation.objects.filter(paper_id__in=ids).values_list("paper_id", "committee_id")
    for paper_id, committee_id in route:
        committees[paper_id].add(committee_id)
    for row in Paper.objects.filter(pk__in=ids).values(*PAPER_FIELDS):
        public = row["public"] and row["status"] == Paper.Status.PUBLISHED
        reference = row["reference"]
        yield SearchDocument(
            kind=PAPER,
            object_id=row["id"],
            variant="",
            audiences=(PUBLIC,) if public else (COUNCIL,),
            title=row["name"],
            text=_paper_text(row, texts[row["id"]]),
            url=reverse("council:paper", kwargs={"reference": reference.replace("/", "-")})
            if public
            else reverse("council:staff_paper", kwargs={"pk": row["id"]}),
            type=f"{PAPER}:{row['paper_type']}",
            date=row["date"],
            reference=reference,
            committees=tuple(sorted(committees[row["id"]])),
            status=f"{PAPER}:{row['status']}",
        )


def _paper_text(row: dict[str, Any], texts: list[str]) -> str:
    pieces = [
        row["reference"],
        row["file_number"],
        row["originator__name"],
        row["author_unit__number"],
        row["author_unit__name"],
        row["body_heading"],
        *texts,
        row["climate_impact"],
        row["financial_impact"],
        row["recommended_resolution"],
    ]
    return "\n".join(piece for piece in pieces if piece)


def meeting_documents(ids: Sequence[int]) -> Iterator[SearchDocument]:
    meetings = (
        Meeting.objects.filter(pk__in=ids)
        .select_related("committee")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order")))
    )
    for meeting in meetings:
        items = list(meeting.agenda_items.all())
        public = meeting.public and meeting.committee.public
        for variant in _variants(items, public=public):
            yield _meeting_document(meeting, variant)


def _meeting_document(meeting: Meeting, variant: _Variant[AgendaItem]) -> SearchDocument:
    # Results only once the meeting has taken place (queries.meeting_has_results()); a meeting
    # that has is indexed again by the next rebuild or change.
    held = queries.meeting_has_results(meeting)
    agenda = [
        f"{item.number} {item.name} {item.result if held else ''}".strip() for item in variant.parts
    ]
    start = timezone.localtime(meeting.start)
    return SearchDocument(
        kind=MEETING,
        object_id=meeting.pk,
        variant=variant.name,
        audiences=variant.audiences,
        replaced_for=variant.replaced_for,
        title=meeting.display_name,
        text="\n".join([meeting.committee.name, meeting.location, *agenda]),
        url=meeting.get_absolute_url(),
        type=MEETING,
        date=start.date(),
        committees=(meeting.committee_id,),
        status=f"{MEETING}:{meeting.state}",
    )


def mandate_documents(ids: Sequence[int]) -> Iterator[SearchDocument]:
    """A follow-up mandate with its progress notes; non-public notes only in the clerks' twin."""
    mandates = (
        Mandate.objects.filter(pk__in=ids)
        .select_related("paper", "responsible_unit")
        .prefetch_related(
            Prefetch("progress", queryset=MandateProgress.objects.order_by("created_at"))
        )
    )
    for mandate in mandates:
        notes = list(mandate.progress.all())
        for variant in _variants(notes, public=mandate.paper.is_public):
            yield _mandate_document(mandate, variant)


def _mandate_document(mandate: Mandate, variant: _Variant[MandateProgress]) -> SearchDocument:
    paper = mandate.paper
    pieces = [f"{paper.reference} {paper.name}", str(mandate.responsible_unit)]
    pieces += [mandate.description, *(note.note for note in variant.parts)]
    return SearchDocument(
        kind=MANDATE,
        object_id=mandate.pk,
        variant=variant.name,
        audiences=variant.audiences,
        replaced_for=variant.replaced_for,
        title=mandate.title,
        text="\n".join(piece for piece in pieces if piece),
        url=f"{paper.get_absolute_url()}#auftrag-{mandate.pk}"
        if variant.public
        else reverse("council:staff_mandates"),
        type=MANDATE,
        date=mandate.due_date or paper.date,  # no reference: "AT/0080/2025" finds the paper first
        status=f"{MANDATE}:{mandate.status}",
    )


def _mandates_of_paper(paper: Paper) -> Iterable[int]:
    return paper.mandates.values_list("pk", flat=True)


def _meetings_of_committee(committee: Committee) -> Iterable[int]:
    return Meeting.objects.filter(committee=committee).values_list("pk", flat=True)


register(
    Source(
        kind=PAPER,
        model=Paper,
        documents=paper_documents,
        all_ids=lambda: Paper.objects.order_by("pk").values_list("pk", flat=True),
        is_public=lambda paper: paper.is_public,
        watches={
            PaperSection: lambda section: [section.paper_id],
            PaperAttachment: lambda attachment: [attachment.paper_id],
            Consultation: lambda consultation: [consultation.paper_id],
        },
        type_labels={f"{PAPER}:{value}": label for value, label in Paper.Type.choices},
        status_labels={f"{PAPER}:{value}": label for value, label in Paper.Status.choices},
    )
)
register(
    Source(
        kind=MEETING,
        model=Meeting,
        documents=meeting_documents,
        all_ids=lambda: Meeting.objects.order_by("pk").values_list("pk", flat=True),
        is_public=lambda meeting: meeting.public,
        watches={
            AgendaItem: lambda item: [item.meeting_id],
            Committee: _meetings_of_committee,
        },
        type_labels={MEETING: Meeting._meta.verbose_name},
        status_labels={f"{MEETING}:{value}": label for value, label in Meeting.State.choices},
    )
)
register(
    Source(
        kind=MANDATE,
        model=Mandate,
        documents=mandate_documents,
        all_ids=lambda: Mandate.objects.order_by("pk").values_list("pk", flat=True),
        is_public=lambda mandate: mandate.paper.is_public,
        watches={
            MandateProgress: lambda note: [note.mandate_id],
            # Publishing or withdrawing the paper changes who may see its mandates.
            Paper: _mandates_of_paper,
        },
        type_labels={MANDATE: Mandate._meta.verbose_name},
        status_labels={f"{MANDATE}:{value}": label for value, label in Mandate.Status.choices},
    )
)
