"""Which OParl type is served from which public read, and how it is serialized."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from beirat.council import queries as council
from beirat.oparl import queries
from beirat.oparl.queries import ListFilter
from beirat.oparl.serializers import meeting as meetings
from beirat.oparl.serializers import organization, paper, person
from beirat.oparl.serializers.common import Payload, deleted
from beirat.oparl.serializers.system import body as body_payload

if TYPE_CHECKING:
    from beirat.council.models import (
        AgendaItem,
        Consultation,
        Mandate,
        Meeting,
        Paper,
        PaperAttachment,
    )
    from beirat.directory.models import Committee, OrganizationalUnit, Person

Record = Any


@dataclass(frozen=True)
class ObjectSpec:
    fetch: Callable[[str], Record | None]
    serialize: Callable[[Record], Payload]


@dataclass(frozen=True)
class ListSpec:
    records: Callable[[ListFilter], Iterable[Record]]
    serialize: Callable[[Record], Payload]
    position: Callable[[Record], int] = lambda record: int(record.pk)


def _int_key(key: str) -> int | None:
    return int(key) if key.isdigit() and len(key) < 19 else None


# Papers -----------------------------------------------------------------------------------


def _with_route(papers: list[Paper]) -> list[Paper]:
    """Attach the route, the answering papers and the mandates to papers already read: one
    query each, grouped here. (Django's prefetch machinery, a related manager and a queryset per
    paper, cost a list page more than the queries themselves.)"""
    keys = [item.pk for item in papers if item.status != council.PaperStatus.WITHDRAWN]
    routes: dict[int, list[Consultation]] = defaultdict(list)
    answers: dict[int, list[int]] = defaultdict(list)
    mandates: dict[int, list[Mandate]] = defaultdict(list)
    attachments: dict[int, list[PaperAttachment]] = defaultdict(list)
    if keys:
        route_rows = (
            queries.public_consultations()
            .filter(paper_id__in=keys)
            .select_related("meeting__committee", "agenda_item__meeting")
            .order_by(*council.ROUTE_ORDER)
        )
        for consultation in route_rows:
            routes[consultation.paper_id].append(consultation)
        # Newest first as on the paper page; sorted here, because ordering in SQL made SQLite
        # walk the date index over every paper instead of the responds_to index.
        answering = queries.published_papers().filter(responds_to_id__in=keys).order_by()
        rows = answering.values_list("date", "pk", "responds_to_id")
        for _date, key, parent in sorted(rows, reverse=True):
            answers[parent].append(key)
        for entry in queries.public_mandates().filter(paper_id__in=keys).order_by("pk"):
            mandates[entry.paper_id].append(entry)
        attachment_rows = (
            queries.public_attachments().filter(paper_id__in=keys).order_by("paper_id", "order")
        )
        for attachment in attachment_rows:
            attachments[attachment.paper_id].append(attachment)
    for item in papers:
        item.oparl_route = routes[item.pk]  # type: ignore[attr-defined]
        item.oparl_answers = answers[item.pk]  # type: ignore[attr-defined]
        item.oparl_mandates = mandates[item.pk]  # type: ignore[attr-defined]
        item.oparl_attachments = attachments[item.pk]  # type: ignore[attr-defined]
    return papers


def _paper(record: Paper) -> Payload:
    if record.status == council.PaperStatus.WITHDRAWN:
        return deleted("paper", "Paper", record.pk, record)
    route = [_consultation(item) for item in record.oparl_route]  # type: ignore[attr-defined]
    return paper.paper(
        record,
        route,
        record.oparl_answers,  # type: ignore[attr-defined]
        record.oparl_mandates,  # type: ignore[attr-defined]
        record.oparl_attachments,  # type: ignore[attr-defined]
    )


def _consultation(record: Consultation) -> Payload:
    # Read from the joined rows (no query each). Outcome and votes only once the meeting has
    # taken place.
    record = council.shown_consultation(record)
    meeting_public = record.meeting is not None and council.is_public_meeting(record.meeting)
    item_public = record.agenda_item is not None and council.is_on_public_agenda(record.agenda_item)
    return paper.consultation(record, meeting_public=meeting_public, item_public=item_public)


def _fetch_paper(key: str) -> Paper | None:
    pk = _int_key(key)
    if pk is None:
        return None
    found: Paper | None = queries.published_papers().filter(pk=pk).first()
    if found is not None:
        return _with_route([found])[0]
    return queries.withdrawn_papers().filter(pk=pk).first()


def _paper_records(chosen: ListFilter) -> list[Paper]:
    papers = list(chosen.apply(queries.published_papers()))
    # Deleted objects are listed only when the client asks what changed (modified_since).
    if chosen.modified_since is not None:
        papers += list(chosen.apply(queries.withdrawn_papers()))
        papers = sorted(papers, key=lambda item: item.pk)[: chosen.limit + 1]
    return _with_route(papers)


# Meetings and agenda items ----------------------------------------------------------------


def _meetings() -> Any:
    return queries.public_meetings().select_related("committee")


def _meeting(record: Meeting) -> Payload:
    items = _numbered(queries.public_agenda_items_of(record).select_related("decision"))
    consultations = {
        item.agenda_item_id: item
        for item in queries.public_consultations()
        .filter(agenda_item__in=[i.pk for i in items])
        .order_by("-id")  # the first entry wins, as on the meeting page
        if item.agenda_item_id is not None
    }
    results = {}
    for item in items:
        item.meeting = record
        results[item.pk] = council.result_of(item, consultations.get(item.pk))
    return meetings.meeting(record, items, results)


def _numbered(items: Any) -> list[AgendaItem]:
    ordered = list(items.order_by("order", "pk"))
    for position, item in enumerate(ordered):
        # AgendaItem.order counts from 0 without gaps over the published items (OParl 1.1).
        setattr(item, "position_in_public_agenda", position)  # noqa: B010
    return ordered


def _agenda_item(record: AgendaItem) -> Payload:
    siblings = _numbered(queries.public_agenda_items_of(record.meeting))
    current = next(item for item in siblings if item.pk == record.pk)
    consultation = queries.public_consultations().filter(agenda_item=record).order_by("id").first()
    current.meeting = record.meeting
    return meetings.agenda_item(current, council.result_of(current, consultation))


def _fetch_agenda_item(key: str) -> AgendaItem | None:
    pk = _int_key(key)
    if pk is None:
        return None
    found: AgendaItem | None = (
        queries.public_agenda_items().select_related("meeting", "decision").filter(pk=pk).first()
    )
    return found


# Organizations and people -----------------------------------------------------------------


def _is_unit(record: Committee | OrganizationalUnit) -> TypeGuard[OrganizationalUnit]:
    # By the model's name: the directory's models are read only through its queries.
    return record._meta.model_name == "organizationalunit"


def _organization(record: Committee | OrganizationalUnit) -> Payload:
    if _is_unit(record):
        return organization.unit(record)
    committee = cast("Committee", record)
    memberships = queries.public_memberships().filter(committee=committee)
    urls = [person.membership(item)["id"] for item in memberships]
    return organization.committee(committee, urls)


def _fetch_organization(key: str) -> Committee | OrganizationalUnit | None:
    pk = _int_key(key[1:])
    if pk is None:
        return None
    if key.startswith("c"):
        return queries.public_committees().filter(pk=pk).first()
    if key.startswith("u"):
        return queries.units().filter(pk=pk).first()
    return None


# Two tables behind one list: committees first, then offices. The page position of an office is
# shifted past every possible committee key, so one integer pages through both.
UNIT_OFFSET = 10**12


def _organization_position(record: Committee | OrganizationalUnit) -> int:
    return UNIT_OFFSET + record.pk if _is_unit(record) else record.pk


def _organization_records(chosen: ListFilter) -> list[Committee | OrganizationalUnit]:
    records: list[Committee | OrganizationalUnit] = []
    if chosen.after < UNIT_OFFSET:
        records += list(chosen.apply(queries.public_committees()))
    if len(records) <= chosen.limit:
        after_unit = max(chosen.after - UNIT_OFFSET, 0)
        remaining = replace(chosen, after=after_unit, limit=chosen.limit - len(records))
        records += list(remaining.apply(queries.units()))
    return records


def _person(record: Person) -> Payload:
    return person.person(record, list(queries.public_memberships().filter(person=record)))


def _fetch(queryset_factory: Callable[[], Any]) -> Callable[[str], Record | None]:
    def fetch(key: str) -> Record | None:
        pk = _int_key(key)
        return None if pk is None else queryset_factory().filter(pk=pk).first()

    return fetch


# Files ------------------------------------------------------------------------------------
#
# One File list, several kinds of file, told apart by the letter their key starts with: the
# official PDF of a paper has the paper's key without a letter (the first kind; its ids stay as
# existing clients know them), an attachment of a paper "a<key>". A new kind is one entry in
# FILE_KINDS.


@dataclass(frozen=True)
class Download:
    content: bytes
    file_name: str
    media_type: str


@dataclass(frozen=True)
class FileKind:
    fetch: Callable[[int], Record | None]
    serialize: Callable[[Record], Payload]
    download: Callable[[Record], Download]


def _official_pdf_download(record: Paper) -> Download:
    return Download(queries.official_pdf(record), f"{record.reference_slug}.pdf", "application/pdf")


def _attachment_download(record: PaperAttachment) -> Download:
    with record.file.open("rb") as stored:
        content = stored.read()
    return Download(content, record.download_name, record.media_type)


FILE_KINDS: dict[str, FileKind] = {
    "": FileKind(
        fetch=lambda pk: queries.published_papers().filter(pk=pk).first(),
        serialize=paper.official_pdf,
        download=_official_pdf_download,
    ),
    "a": FileKind(
        fetch=lambda pk: queries.public_attachments().filter(pk=pk).first(),
        serialize=paper.attachment_file,
        download=_attachment_download,
    ),
}


@dataclass(frozen=True)
class FoundFile:
    kind: FileKind
    record: Record

    @property
    def modified_at(self) -> Any:
        return self.record.modified_at


def find_file(key: str) -> FoundFile | None:
    """The public File at ``key`` ("12", "a7"), or None: unknown kind, malformed or hidden."""
    prefix = key[:1] if key[:1].isalpha() else ""
    kind = FILE_KINDS.get(prefix)
    pk = _int_key(key.removeprefix(prefix))
    if kind is None or pk is None:
        return None
    record = kind.fetch(pk)
    return None if record is None else FoundFile(kind, record)


def _serialize_found_file(found: FoundFile) -> Payload:
    return found.kind.serialize(found.record)


def _is_attachment(record: Paper | PaperAttachment) -> TypeGuard[PaperAttachment]:
    # By the model's name: the council's models are read only through its queries.
    return record._meta.model_name == "paperattachment"


def _file(record: Paper | PaperAttachment) -> Payload:
    kind = FILE_KINDS["a"] if _is_attachment(record) else FILE_KINDS[""]
    return kind.serialize(record)


# Two tables behind one list, as for organizations: the official PDFs first, then the
# attachments, whose page position is shifted past every possible paper key.
ATTACHMENT_OFFSET = 10**12


def _file_position(record: Paper | PaperAttachment) -> int:
    return ATTACHMENT_OFFSET + record.pk if _is_attachment(record) else record.pk


def _file_records(chosen: ListFilter) -> list[Paper | PaperAttachment]:
    records: list[Paper | PaperAttachment] = []
    if chosen.after < ATTACHMENT_OFFSET:
        records += list(chosen.apply(queries.published_papers()))
    if len(records) <= chosen.limit:
        after_attachment = max(chosen.after - ATTACHMENT_OFFSET, 0)
        remaining = replace(chosen, after=after_attachment, limit=chosen.limit - len(records))
        records += list(remaining.apply(queries.public_attachments()))
    return records


def _location(record: Meeting) -> Payload:
    return meetings.location(record)


OBJECTS: dict[str, ObjectSpec] = {
    "body": ObjectSpec(_fetch(queries.bodies), body_payload),
    "organization": ObjectSpec(_fetch_organization, _organization),
    "person": ObjectSpec(_fetch(queries.public_persons), _person),
    "membership": ObjectSpec(_fetch(queries.public_memberships), person.membership),
    "meeting": ObjectSpec(_fetch(_meetings), _meeting),
    "agendaitem": ObjectSpec(_fetch_agenda_item, _agenda_item),
    "paper": ObjectSpec(_fetch_paper, _paper),
    "consultation": ObjectSpec(
        _fetch(
            lambda: queries.public_consultations().select_related(
                "meeting__committee", "agenda_item"
            )
        ),
        _consultation,
    ),
    "file": ObjectSpec(find_file, _serialize_found_file),
    "location": ObjectSpec(_fetch(lambda: _meetings().exclude(location="")), _location),
}

BODY_LISTS: dict[str, ListSpec] = {
    "organization": ListSpec(_organization_records, _organization, _organization_position),
    "person": ListSpec(lambda chosen: chosen.apply(queries.public_persons()), _person),
    "membership": ListSpec(
        lambda chosen: chosen.apply(queries.public_memberships()), person.membership
    ),
    "meeting": ListSpec(lambda chosen: chosen.apply(_meetings()), _meeting),
    "agendaitem": ListSpec(
        lambda chosen: chosen.apply(queries.public_agenda_items().select_related("meeting")),
        _agenda_item,
    ),
    "paper": ListSpec(_paper_records, _paper),
    "consultation": ListSpec(
        lambda chosen: chosen.apply(
            queries.public_consultations().select_related("meeting__committee", "agenda_item")
        ),
        _consultation,
    ),
    "file": ListSpec(_file_records, _file, _file_position),
    "location": ListSpec(lambda chosen: chosen.apply(_meetings().exclude(location="")), _location),
    "legislativeterm": ListSpec(lambda chosen: [], lambda record: {}),
}
