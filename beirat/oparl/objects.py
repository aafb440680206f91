"""Which OParl type is served from which public read, and how it is serialized."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from django.db.models import Q

from beirat.council import queries as council
from beirat.oparl import queries
from beirat.oparl.queries import ListFilter
from beirat.oparl.serializers import meeting as meetings
from beirat.oparl.serializers import organization, paper, person
from beirat.oparl.serializers.common import (
    Payload,
    Row,
    deleted,
    row_deleted,
    row_labels,
    row_times,
)
from beirat.oparl.serializers.system import body as body_payload
from beirat.oparl.serializers.system import legislative_term

if TYPE_CHECKING:
    from beirat.council.models import (
        AgendaItem,
        Consultation,
        Mandate,
        Meeting,
        Paper,
        PaperAttachment,
    )
    from beirat.directory.models import Body, Committee, OrganizationalUnit, Person

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
    """Attach the route, the answering papers, the mandates and the attachments to papers
    already read (the paper at its id; the list reads rows, _paper_rows()): one query each.
    This is the reference the list's rows are compared with (tests/oparl/test_crawl.py)."""
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
        answers.update(_answers(Q(responds_to_id__in=keys)))
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


def _answers(of_parents: Q) -> dict[int, list[int]]:
    """The keys of the published papers answering the papers ``of_parents`` selects, newest
    first as on the paper page, by the key of the paper they answer."""
    # Sorted here, because ordering in SQL made SQLite walk the date index over every paper
    # instead of the responds_to index.
    answering = queries.published_papers().filter(of_parents).order_by()
    rows = answering.values_list("date", "pk", "responds_to_id")
    answers: dict[int, list[int]] = defaultdict(list)
    for _date, key, parent in sorted(rows, reverse=True):
        answers[parent].append(key)
    return answers


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


def _paper_rows(chosen: ListFilter) -> list[Row]:
    """A page of the paper list as rows, from the same public reads as the paper at its id,
    with what each paper embeds or links (route, answers, mandates, attachments) read for the
    whole page at once and attached to its row."""
    fields = paper.PAPER_ROW_FIELDS
    papers = list(chosen.apply(queries.published_papers()).values(*fields))
    # Deleted objects are listed only when the client asks what changed (modified_since).
    if chosen.modified_since is not None:
        papers += list(chosen.apply(queries.withdrawn_papers()).values(*fields))
        papers = sorted(papers, key=lambda row: row["id"])[: chosen.limit + 1]
    keys = [row["id"] for row in papers if row["status"] != council.PaperStatus.WITHDRAWN]
    related = {key: paper.PaperRelated() for key in keys}
    if keys:
        _read_related(related, _of_page(chosen, keys))
    type_labels = row_labels(council.PaperType)
    for row in papers:
        row["oparl_related"] = related.get(row["id"])
        row["oparl_type_labels"] = type_labels
    return papers


def _of_page(chosen: ListFilter, keys: list[int]) -> Callable[[str], Q]:
    """A filter on the papers of the page, by the name of the field that refers to a paper.
    Without a filter but the position, the page holds every public paper from its position to
    its last key, and that range selects them (the related reads below keep to public papers
    themselves); a hundred keys cost the query builder more than the query. With a filter,
    the page's keys."""
    paged_only = chosen == ListFilter(after=chosen.after, limit=chosen.limit)
    if paged_only:
        return lambda field: Q(**{f"{field}__gt": chosen.after, f"{field}__lte": keys[-1]})
    return lambda field: Q(**{f"{field}__in": keys})


def _read_related(related: dict[int, paper.PaperRelated], of_page: Callable[[str], Q]) -> None:
    """Fill ``related`` (by paper key) with what the public reads give for the page's papers:
    one query each. A row of a paper not on the page (a range also covers papers that are not
    public, and another paper's answers may point to them) is left out."""
    for route_row in queries.public_route_rows(of_page("paper_id")):
        if route_row["paper_id"] in related:
            related[route_row["paper_id"]].route.append(paper.consultation_from_row(route_row))
    for parent, answering in _answers(of_page("responds_to_id")).items():
        if parent in related:
            related[parent].answers = answering
    # Mandates and attachments are few: read as instances, serialised as at the paper's id.
    for entry in queries.public_mandates().filter(of_page("paper_id")).order_by("pk"):
        if entry.paper_id in related:
            related[entry.paper_id].mandates.append(entry)
    attachments = queries.public_attachments().filter(of_page("paper_id"))
    for attachment in attachments.order_by("paper_id", "order"):
        if attachment.paper_id in related:
            related[attachment.paper_id].attachments.append(attachment)


def _paper_from_row(row: Row) -> Payload:
    if row["oparl_related"] is None:  # withdrawn
        return row_deleted("paper", "Paper", row["id"], row)
    return paper.paper_from_row(row, row["oparl_related"], row["oparl_type_labels"])


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
    return meetings.meeting(
        record,
        items,
        results,
        invitation=_invitation(record) if queries.has_invitation(record) else None,
        minutes=_minutes(record) if queries.has_minutes(record) else None,
    )


def _meeting_records(chosen: ListFilter) -> list[Meeting]:
    """A page of the meeting list, each meeting with what _meeting() reads for it (its public
    agenda, the route entries of its items, the date of its minutes) read for the whole page at
    once: one query each instead of two or three per meeting."""
    found: list[Meeting] = list(chosen.apply(_meetings()))
    agendas: dict[int, list[AgendaItem]] = defaultdict(list)
    if found:
        items = queries.public_agenda_items().filter(meeting__in=[m.pk for m in found])
        for item in items.select_related("decision").order_by("meeting_id", "order", "pk"):
            agendas[item.meeting_id].append(item)
    every_item = [item.pk for agenda in agendas.values() for item in agenda]
    consultations = _first_consultations(every_item)
    minutes = queries.minutes_modified_of([m for m in found if queries.has_minutes(m)])
    for record in found:
        agenda = agendas[record.pk]
        for position, item in enumerate(agenda):
            # As _numbered(): counted from 0 without gaps over the published items.
            setattr(item, "position_in_public_agenda", position)  # noqa: B010
            item.meeting = record
        record.oparl_agenda = agenda  # type: ignore[attr-defined]
        record.oparl_results = {  # type: ignore[attr-defined]
            item.pk: council.result_of(item, consultations.get(item.pk)) for item in agenda
        }
        record.oparl_minutes_modified = minutes.get(record.pk)  # type: ignore[attr-defined]
    return found


def _first_consultations(item_keys: list[int]) -> dict[int, Consultation]:
    """The route entry of each agenda item, as _meeting() and _agenda_item() pick it: the first
    (lowest key), as on the meeting page."""
    if not item_keys:
        return {}
    entries = (
        queries.public_consultations()
        .filter(agenda_item__in=item_keys)
        .select_related("meeting", "agenda_item__meeting")
        .order_by("-id")
    )
    # Newest first, so that the first entry is written last and stays.
    return {entry.agenda_item_id: entry for entry in entries if entry.agenda_item_id is not None}


def _listed_meeting(record: Meeting) -> Payload:
    return meetings.meeting(
        record,
        record.oparl_agenda,  # type: ignore[attr-defined]
        record.oparl_results,  # type: ignore[attr-defined]
        invitation=_invitation(record) if queries.has_invitation(record) else None,
        minutes=meetings.minutes_file(record, record.oparl_minutes_modified)  # type: ignore[attr-defined]
        if queries.has_minutes(record)
        else None,
    )


def _invitation(record: Meeting) -> Payload:
    return meetings.invitation_file(record)


def _minutes(record: Meeting) -> Payload:
    # A meeting of the File list carries the date of its minutes, read for the page.
    modified = getattr(record, "oparl_minutes_modified", None)
    return meetings.minutes_file(record, modified or queries.minutes_modified(record))


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


def _agenda_item_records(chosen: ListFilter) -> list[AgendaItem]:
    """A page of the agenda item list, each item with its place in its meeting's public agenda
    and its result, read for the whole page at once (two queries instead of two per item)."""
    records = queries.public_agenda_items().select_related("meeting", "decision")
    found: list[AgendaItem] = list(chosen.apply(records))
    positions: dict[int, int] = {}
    if found:
        siblings = queries.public_agenda_items().filter(
            meeting__in={item.meeting_id for item in found}
        )
        counted: dict[int, int] = defaultdict(int)
        rows = siblings.order_by("meeting_id", "order", "pk").values_list("pk", "meeting_id")
        for key, meeting_key in rows:
            positions[key] = counted[meeting_key]  # as _numbered()
            counted[meeting_key] += 1
    consultations = _first_consultations([item.pk for item in found])
    for item in found:
        setattr(item, "position_in_public_agenda", positions[item.pk])  # noqa: B010
        item.oparl_result = council.result_of(item, consultations.get(item.pk))  # type: ignore[attr-defined]
    return found


def _listed_agenda_item(record: AgendaItem) -> Payload:
    return meetings.agenda_item(record, record.oparl_result)  # type: ignore[attr-defined]


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
    memberships = list(queries.public_memberships().filter(person=record).order_by("pk"))
    body = queries.bodies().first()
    return person.person(record, memberships, body.pk if body else None)


def body(record: Body) -> Payload:
    """The Body with its LegislativeTerms embedded."""
    terms = queries.legislative_terms().filter(body=record).order_by("start_date", "pk")
    return body_payload(record, [legislative_term(term) for term in terms])


def _fetch(queryset_factory: Callable[[], Any]) -> Callable[[str], Record | None]:
    def fetch(key: str) -> Record | None:
        pk = _int_key(key)
        return None if pk is None else queryset_factory().filter(pk=pk).first()

    return fetch


# Files ------------------------------------------------------------------------------------
#
# One File list, several kinds of file, told apart by the letter their key starts with: the
# official PDF of a paper has the paper's key without a letter (the first kind; its ids stay as
# existing clients know them), an attachment of a paper "a<key>", a meeting's invitation
# "i<meeting key>" and its public minutes "p<meeting key>". A new kind is one entry in
# FILE_KINDS (and one offset in the list's paging below).


@dataclass(frozen=True)
class Download:
    content: bytes
    file_name: str
    media_type: str


@dataclass(frozen=True)
class MeetingDocument:
    """A meeting's invitation or public minutes, as one record of the File list."""

    kind: str  # meetings.INVITATION_KEY or meetings.MINUTES_KEY
    meeting: Meeting

    @property
    def pk(self) -> int:
        return int(self.meeting.pk)

    @property
    def modified_at(self) -> Any:
        return self.meeting.modified_at


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


def _meeting_document(kind: str) -> Callable[[int], MeetingDocument | None]:
    def fetch(pk: int) -> MeetingDocument | None:
        documents = (
            queries.meetings_with_invitation()
            if kind == meetings.INVITATION_KEY
            else queries.meetings_with_minutes()
        )
        found = documents.select_related("committee").filter(pk=pk).first()
        return None if found is None else MeetingDocument(kind, found)

    return fetch


def _invitation_download(record: MeetingDocument) -> Download:
    content = queries.invitation_pdf(record.meeting)
    return Download(content, f"einladung-sitzung-{record.pk}.pdf", "application/pdf")


def _minutes_download(record: MeetingDocument) -> Download:
    content = queries.minutes_pdf(record.meeting)
    return Download(content, f"niederschrift-sitzung-{record.pk}.pdf", "application/pdf")


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
    meetings.INVITATION_KEY: FileKind(
        fetch=_meeting_document(meetings.INVITATION_KEY),
        serialize=lambda record: _invitation(record.meeting),
        download=_invitation_download,
    ),
    meetings.MINUTES_KEY: FileKind(
        fetch=_meeting_document(meetings.MINUTES_KEY),
        serialize=lambda record: _minutes(record.meeting),
        download=_minutes_download,
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
    """The public File at ``key`` ("12", "a7", "i3", "p3"), or None: unknown kind, malformed,
    hidden, or not there yet (an invitation before the agenda is fixed, minutes before the
    meeting)."""
    prefix = key[:1] if key[:1].isalpha() else ""
    kind = FILE_KINDS.get(prefix)
    pk = _int_key(key.removeprefix(prefix))
    if kind is None or pk is None:
        return None
    record = kind.fetch(pk)
    return None if record is None else FoundFile(kind, record)


def _serialize_found_file(found: FoundFile) -> Payload:
    return found.kind.serialize(found.record)


def _is_attachment(record: Record) -> TypeGuard[PaperAttachment]:
    # By the model's name: the council's models are read only through its queries.
    meta = getattr(record, "_meta", None)
    return meta is not None and meta.model_name == "paperattachment"


def _file_prefix(record: Record) -> str:
    if isinstance(record, MeetingDocument):
        return record.kind
    return "a" if _is_attachment(record) else ""


@dataclass(frozen=True)
class OfficialPdfRow:
    """A paper read as a row, as one record of the File list (its official PDF)."""

    row: Row
    type_labels: dict[str, str]  # row_labels(PaperType), read once for the page

    @property
    def pk(self) -> int:
        return int(self.row["id"])


def _file(record: Record) -> Payload:
    if isinstance(record, OfficialPdfRow):
        return paper.official_pdf_from_row(record.row, row_times(record.row), record.type_labels)
    return FILE_KINDS[_file_prefix(record)].serialize(record)


# Four tables behind one list, as for organizations: the official PDFs first, then the
# attachments, the invitations and the minutes, each kind's page position shifted past the one
# before, so that one integer pages through all of them.
FILE_OFFSET = 10**12
FILE_LIST_ORDER = ("", "a", meetings.INVITATION_KEY, meetings.MINUTES_KEY)


def _file_position(record: Record) -> int:
    return FILE_LIST_ORDER.index(_file_prefix(record)) * FILE_OFFSET + int(record.pk)


def _file_kind_records(prefix: str, chosen: ListFilter) -> list[Record]:
    if prefix == "":
        # As rows: the most numerous kind, one per paper.
        rows = chosen.apply(queries.published_papers()).values(*paper.PAPER_ROW_FIELDS)
        type_labels = row_labels(council.PaperType)
        return [OfficialPdfRow(row, type_labels) for row in rows]
    if prefix == "a":
        return list(chosen.apply(queries.public_attachments()))
    documents = (
        queries.meetings_with_invitation
        if prefix == meetings.INVITATION_KEY
        else queries.meetings_with_minutes
    )
    found: list[Meeting] = list(chosen.apply(documents().select_related("committee")))
    if prefix == meetings.MINUTES_KEY:
        # The dates of the page's minutes in one query, not one per meeting (see _minutes()).
        for meeting, modified in zip(found, _minutes_dates(found), strict=True):
            meeting.oparl_minutes_modified = modified  # type: ignore[attr-defined]
    return [MeetingDocument(prefix, meeting) for meeting in found]


def _minutes_dates(found: list[Meeting]) -> list[Any]:
    modified = queries.minutes_modified_of(found)
    return [modified[meeting.pk] for meeting in found]


def _file_records(chosen: ListFilter) -> list[Record]:
    records: list[Record] = []
    for index, prefix in enumerate(FILE_LIST_ORDER):
        if len(records) > chosen.limit or chosen.after >= (index + 1) * FILE_OFFSET:
            continue
        after = max(chosen.after - index * FILE_OFFSET, 0)
        remaining = replace(chosen, after=after, limit=chosen.limit - len(records))
        records += _file_kind_records(prefix, remaining)
    return records


def _location(record: Meeting) -> Payload:
    return meetings.location(record)


OBJECTS: dict[str, ObjectSpec] = {
    "body": ObjectSpec(_fetch(queries.bodies), body),
    "legislativeterm": ObjectSpec(_fetch(queries.legislative_terms), legislative_term),
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
    "meeting": ListSpec(_meeting_records, _listed_meeting),
    "agendaitem": ListSpec(_agenda_item_records, _listed_agenda_item),
    "paper": ListSpec(_paper_rows, _paper_from_row, lambda row: int(row["id"])),
    "consultation": ListSpec(
        lambda chosen: queries.shown_route_rows(chosen.apply(queries.public_consultations())),
        paper.consultation_from_row,
        lambda row: int(row["id"]),
    ),
    "file": ListSpec(_file_records, _file, _file_position),
    "location": ListSpec(lambda chosen: chosen.apply(_meetings().exclude(location="")), _location),
    "legislativeterm": ListSpec(
        lambda chosen: chosen.apply(queries.legislative_terms()), legislative_term
    ),
}
