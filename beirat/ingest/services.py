"""import_file(): one file into the council records, through the council app's services.

Idempotent: the same bytes again change nothing; a changed file updates its paper and says what
changed. A paper the file refers to but that is not there yet ("Antwort zur Anfrage Nr.
AF/0013/2021") is created as a registered stub and filled when its own file arrives. A file that
fails leaves nothing behind but the reason. Papers with fields below the confidence threshold
stay registered (not public) until a clerk confirms them on the review page.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from beirat.core import audit
from beirat.core.background import enqueue_on_commit
from beirat.core.models import User
from beirat.council import services as council
from beirat.council.models import Consultation, Paper, PaperSection
from beirat.council.numbering import DEFAULT_TYPE_CODES
from beirat.directory.models import Body, Committee, OrganizationalUnit
from beirat.directory.services import installation_body
from beirat.ingest.extract import Extracted, ExtractError, extract
from beirat.ingest.models import ImportRecord
from beirat.ingest.parse import NotAPaper, PaperDraft, parse
from beirat.ingest.references import configured_patterns

Status = ImportRecord.Status
PAPER_FIELDS = (
    "paper_type",
    "date",
    "name",
    "division",
    "author_unit",
    "file_number",
    "originator",
    "responds_to",
    "body_heading",
    "climate_impact",
    "financial_impact",
    "recommended_resolution",
)
SECTION_FIELDS = ("kind", "number", "question", "heading", "text")
STUB_NAME = "Vorlage %(reference)s (noch nicht eingelesen)"
# The longest name a unit or committee can have (their name fields).
NAME_LENGTH = max(
    OrganizationalUnit._meta.get_field("name").max_length or 0,
    Committee._meta.get_field("name").max_length or 0,
)
# The draft's field names as a clerk reads them (review page, report).
FIELD_LABELS = {
    "reference": _lazy("Vorlagennummer"),
    "source_reference": _lazy("Nummer im Original"),
    "paper_type": _lazy("Art"),
    "date": _lazy("Datum"),
    "division": _lazy("Dezernat"),
    "author": _lazy("Verfasser"),
    "author_unit": _lazy("Verfasser"),
    "file_number": _lazy("Aktenzeichen"),
    "name": _lazy("Betreff"),
    "responds_to": _lazy("Bezieht sich auf"),
    "originator": _lazy("Antragsteller"),
    "route": _lazy("Gremienweg"),
    "body_heading": _lazy("Überschrift des Textteils"),
    "climate_impact": _lazy("Auswirkungen auf den Klimaschutz"),
    "financial_impact": _lazy("Finanzielle Auswirkungen"),
    "recommended_resolution": _lazy("Beschlussempfehlung"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


@dataclass(frozen=True)
class Outcome:
    status: str
    file_name: str
    reason: str = ""
    record: ImportRecord | None = None

    @property
    def paper(self) -> Paper | None:
        return self.record.paper if self.record else None


def import_file(
    *,
    data: bytes,
    name: str,
    actor: User | None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Import now (the command, the tests): the report of one file."""
    digest = hashlib.sha256(data).hexdigest()
    earlier = _earlier_import(digest)
    if earlier is not None:
        return _already(earlier, name)
    return _process(ImportRecord(file_name=name[:255], sha256=digest), data, actor, progress)


def queue_file(*, data: bytes, name: str, actor: User | None) -> Outcome:
    """Import in the background (the upload page): the file is stored at once, OCR of a scan
    may take minutes and must not hold a web worker."""
    digest = hashlib.sha256(data).hexdigest()
    earlier = _earlier_import(digest)
    if earlier is not None:
        return _already(earlier, name)
    record = ImportRecord(
        file_name=name[:255], sha256=digest, status=Status.QUEUED, created_by=actor
    )
    record.original.save("original", ContentFile(data), save=False)
    record.save()
    from beirat.ingest.tasks import process_import

    enqueue_on_commit(process_import, record.pk)
    return Outcome(Status.QUEUED, name, "", record)


def process_queued(record: ImportRecord) -> Outcome:
    """The background half of queue_file()."""
    if record.status != Status.QUEUED:
        return Outcome(record.status, record.file_name, record.reason, record)
    with record.original.open("rb") as stored:
        data = stored.read()
    earlier = _earlier_import(record.sha256, excluding=record.pk)
    if earlier is not None:
        record.status, record.paper = Status.UNCHANGED, earlier.paper
        record.reason = _already(earlier, record.file_name).reason
        record.save(update_fields=["status", "paper", "reason"])
        return Outcome(record.status, record.file_name, record.reason, record)
    return _process(record, data, record.created_by, None)


def _earlier_import(digest: str, excluding: int | None = None) -> ImportRecord | None:
    found = ImportRecord.objects.filter(sha256=digest, paper__isnull=False).exclude(
        status__in=[Status.FAILED, Status.QUEUED]
    )
    if excluding is not None:
        found = found.exclude(pk=excluding)
    return found.first()


def _already(earlier: ImportRecord, name: str) -> Outcome:
    reason = _("Diese Datei wurde schon eingelesen (%(paper)s).") % {"paper": earlier.paper}
    return Outcome(Status.UNCHANGED, name, reason, earlier)


def _process(
    record: ImportRecord,
    data: bytes,
    actor: User | None,
    progress: Callable[[int, int], None] | None,
) -> Outcome:
    try:
        extracted = extract(data, record.file_name, progress=progress)
        draft = parse(
            extracted.text,
            scanned=extracted.ocr_pages > 0,
            patterns=configured_patterns(),
            type_codes=council.type_codes(),
        )
    except (ExtractError, NotAPaper) as error:
        return _failed(record, str(error), actor)
    try:
        with transaction.atomic():
            return _apply(record, draft, extracted, data, actor)
    except ValidationError as error:
        return _failed(record, " ".join(error.messages), actor)


def confirm(*, record: ImportRecord, actor: User) -> ImportRecord:
    """A clerk has checked the fields of a paper waiting for review: it is published."""
    if record.status != Status.REVIEW or record.paper is None:
        raise ValidationError(_("Dieser Import wartet nicht auf eine Prüfung."))
    with transaction.atomic():
        paper = Paper.objects.select_for_update().get(pk=record.paper.pk)
        if paper.status == Paper.Status.REGISTERED:
            council.publish_paper(paper=paper, actor=actor)
        record.status = Status.IMPORTED
        record.confirmed_by, record.confirmed_at = actor, timezone.now()
        record.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit.record(actor=actor, action="ingest.confirmed", instance=record)
    return record


# Applying a draft ------------------------------------------------------------------------------


def _apply(
    record: ImportRecord, draft: PaperDraft, extracted: Extracted, data: bytes, actor: User | None
) -> Outcome:
    body = installation_body(actor=actor)
    reference = str(draft.value("reference") or "")
    if not reference:
        raise ValidationError(_("Die Vorlagennummer wurde nicht gefunden."))
    values, unresolved = _values(draft, body, actor)
    review = sorted(set(draft.needs_review) | set(unresolved))
    sections = [PaperSection(**dataclasses.asdict(section)) for section in draft.sections]
    source = str(draft.value("source_reference") or reference)
    existing = Paper.objects.filter(body=body, reference=reference).first()
    if existing is not None:
        _refuse_another_papers_number(existing, reference, source)
    if existing is None:
        paper = _create(body, reference, values, sections, draft, review, actor)
        status, reason = (Status.REVIEW if review else Status.IMPORTED), ""
    else:
        changed = _changes(existing, values, sections)
        if changed:
            paper = _update(existing, values, sections, actor)
            status = (
                Status.REVIEW
                if review and paper.status != Paper.Status.PUBLISHED
                else Status.UPDATED
            )
            reason = _("Geändert: %(fields)s") % {"fields": ", ".join(changed)}
        else:
            paper, status, reason = existing, Status.UNCHANGED, _("Keine Änderung.")
    if review:
        labels = ", ".join(field_label(name) for name in review)
        reason = f"{reason} {_('Bitte prüfen: %(fields)s') % {'fields': labels}}".strip()
    record.paper, record.status, record.reason = paper, status, reason
    record.source_reference = source[: ImportRecord._meta.get_field("source_reference").max_length]
    record.draft = _serialise(draft)
    record.original_text = draft.original_text
    record.review_fields = review
    record.ocr_pages = extracted.ocr_pages
    record.created_by = record.created_by or actor
    if not record.original:
        record.original.save("original", ContentFile(data), save=False)
    record.save()
    audit.record_creation(actor=actor, action="ingest.imported", instance=record)
    return Outcome(status, record.file_name, reason, record)


def _refuse_another_papers_number(existing: Paper, reference: str, source: str) -> None:
    """A file updates the paper it was read into before, never another one. Another city's
    number becomes beirat's by the code of its type (docs/decisions.md), so "VO/2024/0123"
    and "Vorlage Nr. 123/2024" may both claim BV/0123/2024; the paper already holding that
    number came from a different file or was registered here."""
    sources = set(
        ImportRecord.objects.filter(paper=existing)
        .exclude(status__in=[Status.FAILED, Status.QUEUED])
        .values_list("source_reference", flat=True)
    )
    # Imports made before the printed number was kept, and papers registered here, carry the
    # paper's own number.
    known = {value or existing.reference for value in sources} or {existing.reference}
    if source in known:
        return
    if source == reference:
        message = _(
            "Die Vorlagennummer %(reference)s ist bereits an eine Vorlage vergeben, die aus "
            "„%(other)s“ eingelesen wurde. Die Datei wurde nicht eingelesen; bitte prüfen Sie, "
            "ob es dieselbe Vorlage ist."
        ) % {"reference": reference, "other": ", ".join(sorted(known))}
    else:
        message = _(
            "„%(source)s“ erhielte die Vorlagennummer %(reference)s, die bereits eine andere "
            "Vorlage trägt. Die Datei wurde nicht eingelesen und nichts überschrieben; bitte "
            "prüfen Sie, ob es dieselbe Vorlage ist, oder legen Sie sie von Hand an."
        ) % {"source": source, "reference": reference}
    raise ValidationError(message, code="reference_taken")


def _values(draft: PaperDraft, body: Body, actor: User | None) -> tuple[dict[str, Any], list[str]]:
    unresolved: list[str] = []
    values: dict[str, Any] = {
        "paper_type": draft.value("paper_type"),
        "date": draft.value("date") or timezone.localdate(),
        "name": draft.value("name") or draft.value("reference"),
        "file_number": draft.value("file_number") or "",
        "body_heading": draft.value("body_heading") or "",
        "climate_impact": draft.value("climate_impact"),
        "financial_impact": draft.value("financial_impact"),
        "recommended_resolution": draft.value("recommended_resolution"),
    }
    if draft.value("date") is None:
        unresolved.append("date")
    lookups = {
        "division": (_division, draft.value("division")),
        "author_unit": (_office, draft.value("author")),
        "originator": (_fraction, draft.value("originator")),
    }
    for field_name, (lookup, text) in lookups.items():
        values[field_name] = lookup(text) if text else None
        if text and values[field_name] is None:
            unresolved.append(field_name)
    responds_to = draft.value("responds_to")
    values["responds_to"] = _linked_paper(body, responds_to, draft, actor) if responds_to else None
    return values, unresolved


def _fits_a_name(text: str) -> bool:
    """Whether ``text`` could be the name of a unit or committee at all. A longer one matches
    none, and SQLite refuses a case-insensitive comparison beyond 50,000 bytes ("LIKE or GLOB
    pattern too complex"): a crafted file left its import queued for ever."""
    return len(text) <= NAME_LENGTH


def _division(text: str) -> OrganizationalUnit | None:
    if not _fits_a_name(text.strip()):
        return None
    return OrganizationalUnit.objects.filter(
        kind=OrganizationalUnit.Kind.DIVISION, name__iexact=text.strip()
    ).first()


def _office(text: str) -> OrganizationalUnit | None:
    """ "80-Amt für Wirtschaftsförderung": by its number, else by its name."""
    match = re.match(r"\s*(\d{1,3})\s*-?\s*(.*)", text)
    offices = OrganizationalUnit.objects.filter(kind=OrganizationalUnit.Kind.OFFICE)
    if match:
        found = offices.filter(number=match.group(1)).first()
        if found is not None:
            return found
        text = match.group(2)
    if not _fits_a_name(text.strip()):
        return None
    return offices.filter(name__iexact=text.strip()).first()


def _fraction(text: str) -> Committee | None:
    if not _fits_a_name(text):
        return None
    fractions = Committee.objects.filter(kind=Committee.Kind.FRACTION)
    return (
        fractions.filter(name__iexact=text).first()
        or fractions.filter(name__icontains=text.split("-")[0]).first()
    )


def _linked_paper(body: Body, reference: str, draft: PaperDraft, actor: User | None) -> Paper:
    """The inquiry an answer answers (or the motion a statement is on); a registered stub when
    it has not been imported yet, filled when its own file arrives."""
    found = Paper.objects.filter(body=body, reference=reference).first()
    if found is not None:
        return found
    codes = {code: paper_type for paper_type, code in DEFAULT_TYPE_CODES.items()}
    stub = Paper(
        body=body,
        paper_type=codes.get(reference.split("/")[0], Paper.Type.INQUIRY),
        date=draft.value("date") or timezone.localdate(),
        name=STUB_NAME % {"reference": reference},
    )
    council.create_paper(paper=stub, actor=actor)
    return council.register_paper(paper=stub, actor=actor, reference=reference)


def _create(
    body: Body,
    reference: str,
    values: dict[str, Any],
    sections: list[PaperSection],
    draft: PaperDraft,
    review: list[str],
    actor: User | None,
) -> Paper:
    paper = council.create_paper(paper=Paper(body=body, **values), actor=actor)
    council.replace_sections(paper=paper, sections=sections, actor=actor)
    paper = council.register_paper(paper=paper, actor=actor, reference=reference)
    for entry in draft.route:
        if not _fits_a_name(entry.committee):
            continue
        committee = Committee.objects.filter(name__iexact=entry.committee).first()
        if committee is None:
            continue
        consultation = Consultation(
            paper=paper, committee=committee, planned_date=entry.date, role=""
        )
        council.add_consultation(consultation=consultation, actor=actor)
    if not review:
        paper = council.publish_paper(paper=paper, actor=actor)
    return paper


def _changes(paper: Paper, values: dict[str, Any], sections: list[PaperSection]) -> list[str]:
    changed = [
        str(getattr(Paper._meta.get_field(name), "verbose_name", name))
        for name, value in values.items()
        if getattr(paper, name) != value
    ]
    stored = list(paper.sections.values_list(*SECTION_FIELDS))
    given = [tuple(getattr(section, name) for name in SECTION_FIELDS) for section in sections]
    if stored != given:
        changed.append(_("Abschnitte"))
    return changed


def _update(
    paper: Paper, values: dict[str, Any], sections: list[PaperSection], actor: User | None
) -> Paper:
    for name, value in values.items():
        setattr(paper, name, value)
    paper = council.update_paper(paper=paper, actor=actor)
    council.replace_sections(paper=paper, sections=sections, actor=actor)
    return paper


def _serialise(draft: PaperDraft) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime.date) else value

    return {
        "fields": {
            name: {"value": plain(found.value), "confidence": found.confidence}
            for name, found in draft.fields.items()
        },
        "route": [
            {**dataclasses.asdict(entry), "date": plain(entry.date)} for entry in draft.route
        ],
        "sections": [dataclasses.asdict(section) for section in draft.sections],
        "repairs": draft.repairs,
    }


def _failed(record: ImportRecord, reason: str, actor: User | None) -> Outcome:
    """Nothing of the paper is kept (the transaction rolled back); the reason is."""
    record.status, record.reason, record.paper = Status.FAILED, reason, None
    record.created_by = record.created_by or actor
    record.save()
    return Outcome(Status.FAILED, record.file_name, reason, record)
