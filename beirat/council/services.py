"""Writes of the council app: each one transaction, each one audited."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beirat.core import audit, file_text, wiring
from beirat.core.background import enqueue_on_commit
from beirat.core.models import User
from beirat.core.uploads import CheckedFile
from beirat.council import numbering
from beirat.council.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    Mandate,
    MandateProgress,
    Meeting,
    Paper,
    PaperAttachment,
    PaperSection,
    PaperSequence,
    stored_result,
)
from beirat.council.tasks import render_paper_pdf
from beirat.directory import queries as directory_queries
from beirat.directory import rules as directory_rules
from beirat.directory.models import Person

logger = logging.getLogger(__name__)


def _refresh_pdf(paper: Paper) -> None:
    """The official PDF follows every change of a numbered paper (rendered after commit).

    Not for a mirrored paper: its PDF is rendered when it is first asked for
    (documents.current_pdf). A first sync of a council system would otherwise queue one
    rendering per paper, hours of the worker's time for 100,000 papers, mostly never read.
    """
    if paper.reference and not paper.is_mirrored:
        enqueue_on_commit(render_paper_pdf, paper.pk)


def type_codes() -> dict[str, str]:
    """The city's paper type codes (AF, AW …), configurable by settings."""
    return {**numbering.DEFAULT_TYPE_CODES, **settings.BEIRAT_PAPER_TYPE_CODES}


# Papers ------------------------------------------------------------------------------------


def require_own_paper(paper: Paper) -> None:
    """A paper mirrored from another council information system is changed there only; the
    next synchronisation would undo a change made here."""
    if paper.is_mirrored:
        raise ValidationError(
            _(
                "Diese Vorlage stammt aus dem Ratsinformationssystem „%(source)s“ und wird dort "
                "bearbeitet; hier kann sie nicht geändert werden."
            )
            % {"source": paper.source_name}
        )


def require_own_meeting(meeting: Meeting) -> None:
    """A meeting mirrored from another council information system (its agenda, attendance and
    results) is kept there; the next synchronisation would undo a change made here."""
    if meeting.is_mirrored:
        raise ValidationError(
            _(
                "Diese Sitzung stammt aus dem Ratsinformationssystem „%(source)s“ und wird dort "
                "bearbeitet; hier kann sie nicht geändert werden."
            )
            % {"source": meeting.source_name}
        )


@transaction.atomic
def create_paper(*, paper: Paper, actor: User | None) -> Paper:
    """Add a paper as a draft. Side effect: audit entry."""
    _check_response_link(paper)
    return audit.save_audited(paper, actor=actor, action="paper.created")


@transaction.atomic
def update_paper(*, paper: Paper, actor: User | None) -> Paper:
    """Save changed details. The number never changes once assigned."""
    require_own_paper(paper)
    stored = Paper.objects.get(pk=paper.pk)
    if stored.reference and paper.reference != stored.reference:
        raise ValidationError(_("Die Vorlagennummer kann nicht mehr geändert werden."))
    _check_response_link(paper)
    _refresh_pdf(paper)
    return audit.save_audited(paper, actor=actor, action="paper.updated")


def _check_response_link(paper: Paper) -> None:
    expected = {Paper.Type.ANSWER: Paper.Type.INQUIRY, Paper.Type.STATEMENT: Paper.Type.MOTION}
    target = paper.responds_to
    if target is None:
        return
    if paper.pk is not None and target.pk == paper.pk:
        raise ValidationError(
            {"responds_to": _("Eine Vorlage kann sich nicht auf sich selbst beziehen.")}
        )
    wanted = expected.get(Paper.Type(paper.paper_type))
    if wanted is None or target.paper_type != wanted:
        raise ValidationError(
            {
                "responds_to": _(
                    "Nur eine Antwort bezieht sich auf eine Anfrage und nur eine Stellungnahme "
                    "auf einen "
                    "Antrag."
                )
            }
        )


@transaction.atomic
def register_paper(*, paper: Paper, actor: User | None, reference: str | None = None) -> Paper:
    """Assign the next number of the paper's type and year (or a given historical number).

    The sequence row is locked, so two clerks registering at once get two numbers; a number is
    never handed out twice. Side effect: audit entry.
    """
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    require_own_paper(paper)
    if paper.status != Paper.Status.DRAFT:
        raise ValidationError(_("Diese Vorlage ist bereits registriert."))
    codes = type_codes()
    if reference is None:
        sequence_row = _locked_sequence(paper, codes[paper.paper_type], paper.date.year)
        number = numbering.next_reference(
            paper.paper_type, paper.date.year, sequence_row.last_sequence, codes
        )
    else:
        number = numbering.parse_reference(reference)
        if numbering.type_for_code(number.type_code, codes) != paper.paper_type:
            raise ValidationError(
                _("Das Kürzel %(code)s passt nicht zur Art der Vorlage.")
                % {"code": number.type_code}
            )
        sequence_row = _locked_sequence(paper, number.type_code, number.year)
    if Paper.objects.filter(body=paper.body, reference=str(number)).exists():
        raise ValidationError(
            _("Die Vorlagennummer %(ref)s ist bereits vergeben.") % {"ref": number}
        )
    sequence_row.last_sequence = max(sequence_row.last_sequence, number.sequence)
    sequence_row.save(update_fields=["last_sequence"])
    paper.reference, paper.type_code = str(number), number.type_code
    paper.sequence, paper.year = number.sequence, number.year
    paper.status = Paper.Status.REGISTERED
    _refresh_pdf(paper)
    return audit.save_audited(paper, actor=actor, action="paper.registered")


def _locked_sequence(paper: Paper, type_code: str, year: int) -> PaperSequence:
    row, _created = PaperSequence.objects.select_for_update().get_or_create(
        body=paper.body, type_code=type_code, year=year
    )
    return row


@transaction.atomic
def publish_paper(*, paper: Paper, actor: User | None) -> Paper:
    """Make a registered paper public. Side effect: audit entry."""
    require_own_paper(paper)
    if paper.status == Paper.Status.DRAFT:
        raise ValidationError(_("Bitte registrieren Sie die Vorlage vor der Veröffentlichung."))
    if paper.status == Paper.Status.PUBLISHED:
        raise ValidationError(_("Diese Vorlage ist bereits veröffentlicht."))
    paper.status = Paper.Status.PUBLISHED
    _refresh_pdf(paper)
    return audit.save_audited(paper, actor=actor, action="paper.published")


@transaction.atomic
def withdraw_paper(*, paper: Paper, actor: User | None) -> Paper:
    """Withdraw a paper: it stays in the records and shows as withdrawn (never hard-deleted)."""
    require_own_paper(paper)
    paper.status = Paper.Status.WITHDRAWN
    _refresh_pdf(paper)
    return audit.save_audited(paper, actor=actor, action="paper.withdrawn")


@transaction.atomic
def replace_sections(
    *, paper: Paper, sections: Sequence[PaperSection], actor: User | None
) -> list[PaperSection]:
    """Set the paper's ordered body in one go (positions follow the given order)."""
    require_own_paper(paper)
    before = list(paper.sections.values("kind", "number", "question", "heading", "text"))
    paper.sections.all().delete()
    saved = []
    for position, section in enumerate(sections, start=1):
        section.paper, section.position = paper, position
        section.full_clean()
        section.save()
        saved.append(section)
    after = list(paper.sections.values("kind", "number", "question", "heading", "text"))
    if before != after:
        audit.record(
            actor=actor,
            action="paper.sections_changed",
            instance=paper,
            changes={"sections": {"before": before, "after": after}},
        )
        wiring.update_rows(Paper.objects.filter(pk=paper.pk), modified_at=timezone.now())
    _refresh_pdf(paper)
    return saved


@transaction.atomic
def add_section(*, section: PaperSection, actor: User | None) -> PaperSection:
    require_own_paper(section.paper)
    last = section.paper.sections.aggregate(models.Max("position"))["position__max"] or 0
    section.position = last + 1
    audit.save_audited(section, actor=actor, action="paper_section.added")
    wiring.update_rows(Paper.objects.filter(pk=section.paper_id), modified_at=timezone.now())
    _refresh_pdf(section.paper)
    return section


@transaction.atomic
def update_section(*, section: PaperSection, actor: User | None) -> PaperSection:
    require_own_paper(section.paper)
    audit.save_audited(section, actor=actor, action="paper_section.updated")
    wiring.update_rows(Paper.objects.filter(pk=section.paper_id), modified_at=timezone.now())
    _refresh_pdf(section.paper)
    return section


# Attachments (Anlagen) -----------------------------------------------------------------------
#
# Every change touches the paper (modified_at): its official PDF lists the attachments, OParl
# clients see a changed paper, and the search log indexes it again.

# What the audit trail keeps of an attachment: not its text, which is the file's content.
ATTACHMENT_AUDITED_FIELDS = ("title", "order", "file", "file_name", "media_type", "size")


class AttachmentNotStored(Exception):
    """The file store refused the file (a full disk, say); nothing of the write was kept."""


def _touch_paper(paper: Paper) -> None:
    wiring.update_rows(Paper.objects.filter(pk=paper.pk), modified_at=timezone.now())
    _refresh_pdf(paper)


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Bitte geben Sie der Anlage einen Titel.")})
    return title


@transaction.atomic
def add_attachment(
    *, paper: Paper, title: str, upload: CheckedFile, actor: User | None
) -> PaperAttachment:
    """Add a checked file (``core.uploads.check_file``: type, size, bombs, metadata removed) as
    the paper's last attachment, with the text of the file for the search. Side effect: audit
    entry. The file is not transactional: when anything fails after it was written, it is
    deleted again before the transaction rolls back, so no file stays without its row."""
    require_own_paper(paper)
    last = paper.attachments.aggregate(models.Max("order"))["order__max"] or 0
    attachment = PaperAttachment(paper=paper, order=last + 1, title=_clean_title(title))
    return _store_attachment(attachment, upload, actor=actor, action="paper_attachment.added")


def _store_attachment(
    attachment: PaperAttachment,
    upload: CheckedFile,
    *,
    actor: User | None,
    action: str,
    paper_saved: bool = False,
    mirrored: bool = False,
) -> PaperAttachment:
    """Write the file and the row (new, or an existing one whose content is replaced); the
    replaced file is deleted once the change is committed. The paper counts as changed with it,
    unless ``paper_saved`` says it was saved (and its change announced) in this transaction.
    ``mirrored``: unique and check constraints are left to the database (IntegrityError)."""
    before = audit.snapshot(attachment, ATTACHMENT_AUDITED_FIELDS) if attachment.pk else {}
    replaced = attachment.file.name if attachment.pk else ""
    attachment.file_name = upload.name
    attachment.media_type = upload.content_type
    attachment.size = len(upload.content)
    attachment.text = (
        upload.text
        if upload.text is not None
        else file_text.text_of(upload.content, upload.content_type)
    )
    field = PaperAttachment._meta.get_field("file")
    storage = field.storage
    name = field.generate_filename(attachment, "upload")
    try:
        attachment.file.name = storage.save(
            name, ContentFile(upload.content), max_length=field.max_length
        )
        name = attachment.file.name
        # A mirrored paper's file: its source decided, the database checks the constraints
        # and that the paper exists (no query for it before each file).
        attachment.full_clean(
            exclude=audit.loaded_relations(attachment) if mirrored else None,
            validate_unique=not mirrored,
            validate_constraints=not mirrored,
        )
        attachment.save()
        audit.record(
            actor=actor,
            action=action,
            instance=attachment,
            changes=audit.diff(before, audit.snapshot(attachment, ATTACHMENT_AUDITED_FIELDS)),
        )
        if paper_saved:
            _refresh_pdf(attachment.paper)
        else:
            _touch_paper(attachment.paper)
    except Exception as error:
        storage.delete(name)  # also a half-written file
        if isinstance(error, OSError):
            logger.error("Attachment of paper %s not stored: %s", attachment.paper_id, error)
            raise AttachmentNotStored from error
        raise
    if replaced and replaced != name:
        transaction.on_commit(lambda: storage.delete(replaced))
    return attachment


@transaction.atomic
def rename_attachment(
    *, attachment: PaperAttachment, title: str, actor: User | None
) -> PaperAttachment:
    """Give an attachment another title. Side effect: audit entry."""
    require_own_paper(attachment.paper)
    if _retitle(attachment, _clean_title(title), actor=actor, action="paper_attachment.renamed"):
        _touch_paper(attachment.paper)
    return attachment


def _retitle(attachment: PaperAttachment, title: str, *, actor: User | None, action: str) -> bool:
    """Save the attachment (as read from the database) under ``title``, with an audit entry
    when that changed anything; whether it did."""
    before = audit.snapshot(attachment, ATTACHMENT_AUDITED_FIELDS)
    attachment.title = title
    attachment.full_clean()
    attachment.save(update_fields=["title", "modified_at"])
    changes = audit.diff(before, audit.snapshot(attachment, ATTACHMENT_AUDITED_FIELDS))
    if changes:
        audit.record(actor=actor, action=action, instance=attachment, changes=changes)
    return bool(changes)


@transaction.atomic
def move_attachment(*, attachment: PaperAttachment, up: bool, actor: User | None) -> None:
    """Swap an attachment with its neighbour above (``up``) or below; at the top or the bottom
    nothing changes. Side effect: audit entry."""
    require_own_paper(attachment.paper)
    siblings = list(
        PaperAttachment.objects.select_for_update()
        .filter(paper_id=attachment.paper_id)
        .order_by("order", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == attachment.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return
    current, other = siblings[index], siblings[other_index]
    before, after = current.order, other.order
    # Through a free number: (paper, order) is unique at every step.
    free = max(sibling.order for sibling in siblings) + 1
    wiring.update_rows(PaperAttachment.objects.filter(pk=current.pk), order=free)
    wiring.update_rows(PaperAttachment.objects.filter(pk=other.pk), order=before)
    wiring.update_rows(PaperAttachment.objects.filter(pk=current.pk), order=after)
    audit.record(
        actor=actor,
        action="paper_attachment.moved",
        instance=current,
        changes={"order": {"before": before, "after": after}},
    )
    attachment.order = after
    _touch_paper(current.paper)


@transaction.atomic
def remove_attachment(*, attachment: PaperAttachment, actor: User | None) -> None:
    """Remove an attachment; the ones after it move up, so the numbers stay 1, 2, 3. The file
    is deleted once the removal is committed. Side effect: audit entry."""
    require_own_paper(attachment.paper)
    _delete_attachment(attachment, actor=actor, action="paper_attachment.removed")


def _delete_attachment(attachment: PaperAttachment, *, actor: User | None, action: str) -> None:
    paper = attachment.paper
    audit.record(
        actor=actor,
        action=action,
        instance=attachment,
        changes=audit.removed(audit.snapshot(attachment, ATTACHMENT_AUDITED_FIELDS)),
    )
    stored_name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    following = PaperAttachment.objects.filter(paper=paper, order__gt=attachment.order)
    for later in following.order_by("order"):
        wiring.update_rows(PaperAttachment.objects.filter(pk=later.pk), order=later.order - 1)
    transaction.on_commit(lambda: storage.delete(stored_name))
    _touch_paper(paper)


# Committee route, meetings, outcomes ---------------------------------------------------------


@transaction.atomic
def add_consultation(*, consultation: Consultation, actor: User | None) -> Consultation:
    """Add a row to a paper's Gremienweg. Side effect: audit entry."""
    require_own_paper(consultation.paper)
    if consultation.position == 0:
        last = consultation.paper.consultations.aggregate(models.Max("position"))
        consultation.position = (last["position__max"] or 0) + 1
    _check_consultation_links(consultation)
    _refresh_pdf(consultation.paper)
    return audit.save_audited(consultation, actor=actor, action="consultation.added")


def _check_consultation_links(consultation: Consultation) -> None:
    item, meeting = consultation.agenda_item, consultation.meeting
    if item is not None and meeting is not None and item.meeting_id != meeting.pk:
        raise ValidationError(
            {"agenda_item": _("Der Tagesordnungspunkt gehört zu einer anderen Sitzung.")}
        )
    if meeting is not None and meeting.committee_id != consultation.committee_id:
        raise ValidationError({"meeting": _("Die Sitzung gehört zu einem anderen Gremium.")})


@transaction.atomic
def record_outcome(
    *,
    consultation: Consultation,
    outcome: str,
    votes_yes: int | None,
    votes_no: int | None,
    votes_abstain: int | None,
    votes_biased: int | None,
    actor: User | None,
) -> Consultation:
    """Record the Beratungsergebnis and the votes of one Gremienweg row.

    Refused: an outcome for a meeting that has not taken place yet, and more votes than the
    committee has seats. Side effects: audit entry; the agenda item shows the outcome as result.
    """
    require_own_paper(consultation.paper)
    _require_consultation_held(consultation)
    consultation.outcome = outcome
    consultation.votes_yes, consultation.votes_no = votes_yes, votes_no
    consultation.votes_abstain, consultation.votes_biased = votes_abstain, votes_biased
    _check_votes(consultation)
    audit.save_audited(consultation, actor=actor, action="consultation.outcome_recorded")
    if consultation.agenda_item is not None:
        consultation.agenda_item.result = stored_result(consultation.outcome)
        consultation.agenda_item.save(update_fields=["result", "modified_at"])
    meeting = consultation.meeting
    if meeting is not None and meeting.state == Meeting.State.SCHEDULED:
        meeting.state = Meeting.State.HELD
        meeting.save(update_fields=["state", "modified_at"])
    _refresh_pdf(consultation.paper)
    return consultation


def _require_consultation_held(consultation: Consultation) -> None:
    """An outcome and votes need a meeting that has taken place: the entry's meeting, else its
    agenda item's meeting; an entry without either must not be dated in the future."""
    meeting = consultation.meeting
    if meeting is None and consultation.agenda_item is not None:
        meeting = consultation.agenda_item.meeting
    if meeting is not None:
        require_taken_place(meeting)
    elif consultation.planned_date and consultation.planned_date > timezone.localdate():
        raise ValidationError(
            _("Die Beratung am %(date)s hat noch nicht stattgefunden.")
            % {"date": consultation.planned_date.strftime("%d.%m.%Y")}
        )


def require_taken_place(meeting: Meeting) -> None:
    """Results of a meeting (outcome, votes, decision text, minutes) exist only once it has
    taken place (queries.meeting_has_results() keeps older ones from being shown before)."""
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("Die Sitzung wurde abgesagt; sie hat keine Ergebnisse."))
    if not meeting.has_taken_place:
        raise ValidationError(
            _("Die Sitzung am %(date)s hat noch nicht stattgefunden.")
            % {"date": timezone.localtime(meeting.start).strftime("%d.%m.%Y")}
        )


def _check_votes(consultation: Consultation) -> None:
    seats = consultation.committee.seat_count
    if seats is not None and consultation.votes_total > seats:
        raise ValidationError(
            _("%(total)s Stimmen sind mehr, als %(committee)s Sitze hat (%(seats)s).")
            % {
                "total": consultation.votes_total,
                "committee": consultation.committee.name,
                "seats": seats,
            }
        )
    if consultation.outcome == Consultation.Outcome.UNANIMOUS and consultation.votes_no:
        raise ValidationError(_("Einstimmig und Gegenstimmen schließen sich aus."))


@transaction.atomic
def plan_meeting(*, meeting: Meeting, actor: User | None) -> Meeting:
    return audit.save_audited(meeting, actor=actor, action="meeting.planned")


@transaction.atomic
def update_meeting(*, meeting: Meeting, actor: User | None) -> Meeting:
    require_own_meeting(meeting)
    if meeting.state == Meeting.State.HELD and meeting.start > timezone.now():
        raise ValidationError(
            {"state": _("Eine Sitzung in der Zukunft kann nicht durchgeführt sein.")}
        )
    return audit.save_audited(meeting, actor=actor, action="meeting.updated")


@transaction.atomic
def add_agenda_item(*, item: AgendaItem, actor: User | None) -> AgendaItem:
    """Append an item to a meeting's agenda; a paper on it gets a Gremienweg row. An item left
    without a subject takes the paper's."""
    require_own_meeting(item.meeting)
    if not item.name.strip() and item.paper is not None:
        item.name = item.paper.name
    last = item.meeting.agenda_items.aggregate(models.Max("order"))["order__max"]
    item.order = 0 if last is None else last + 1
    if item.meeting.agenda_is_fixed:
        raise ValidationError(_AGENDA_FIXED)
    audit.save_audited(item, actor=actor, action="agenda_item.added")
    if item.paper is not None:
        consultation = item.paper.consultations.filter(
            committee=item.meeting.committee, meeting__isnull=True
        ).first() or Consultation(paper=item.paper, committee=item.meeting.committee)
        consultation.meeting, consultation.agenda_item = item.meeting, item
        consultation.planned_date = timezone.localtime(item.meeting.start).date()
        if consultation.pk is None:
            add_consultation(consultation=consultation, actor=actor)
        else:
            audit.save_audited(consultation, actor=actor, action="consultation.scheduled")
    return item


_AGENDA_FIXED = gettext_lazy(
    "Die Tagesordnung ist festgesetzt und die Einladung veröffentlicht. Um sie zu ändern, "
    "öffnen Sie die Tagesordnung zuerst wieder."
)


def _require_agenda_open(meeting: Meeting) -> None:
    """The agenda is changed before the meeting only; afterwards it is part of its record.
    While it is fixed (the invitation is out) it changes only after an explicit reopening."""
    if meeting.agenda_is_fixed and not meeting.has_taken_place:
        raise ValidationError(_AGENDA_FIXED)
    if meeting.has_taken_place:
        raise ValidationError(
            _(
                "Die Sitzung hat bereits stattgefunden; ihre Tagesordnung kann nicht mehr "
                "geändert werden."
            )
        )


@transaction.atomic
def update_agenda_item(*, item: AgendaItem, actor: User | None) -> AgendaItem:
    """Save a changed number, subject or publicity of an item, before the meeting only."""
    require_own_meeting(item.meeting)
    _require_agenda_open(item.meeting)
    return audit.save_audited(item, actor=actor, action="agenda_item.updated")


@transaction.atomic
def remove_agenda_item(*, item: AgendaItem, actor: User | None) -> None:
    """Take an item off the agenda before the meeting. A paper's route entry for it stays, no
    longer scheduled (no meeting, item or date). Side effect: audit entries."""
    require_own_meeting(item.meeting)
    _require_agenda_open(item.meeting)
    for consultation in item.consultations.select_related("paper"):
        consultation.meeting, consultation.agenda_item, consultation.planned_date = None, None, None
        audit.save_audited(consultation, actor=actor, action="consultation.unscheduled")
        _refresh_pdf(consultation.paper)
    before = audit.snapshot(item)
    audit.record(
        actor=actor, action="agenda_item.removed", instance=item, changes=audit.removed(before)
    )
    item.delete()


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, up: bool, actor: User | None) -> AgendaItem:
    """Swap an item with its neighbour above (``up``) or below, before the meeting only. At the
    top or bottom nothing changes. Side effect: audit entry."""
    require_own_meeting(item.meeting)
    _require_agenda_open(item.meeting)
    siblings = list(
        AgendaItem.objects.select_for_update().filter(meeting=item.meeting).order_by("order")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return item
    current, other = siblings[index], siblings[other_index]
    before = current.order
    # Through a free number: (meeting, order) is unique at every step.
    free = max(sibling.order for sibling in siblings) + 1
    wiring.update_rows(AgendaItem.objects.filter(pk=current.pk), order=free)
    wiring.update_rows(AgendaItem.objects.filter(pk=other.pk), order=before)
    wiring.update_rows(AgendaItem.objects.filter(pk=current.pk), order=other.order)
    audit.record(
        actor=actor,
        action="agenda_item.moved",
        instance=current,
        changes={"order": {"before": before, "after": other.order}},
    )
    wiring.update_rows(Meeting.objects.filter(pk=item.meeting_id), modified_at=timezone.now())
    item.order = other.order
    return item


@transaction.atomic
def fix_agenda(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Declare the agenda final (festgesetzt): from now on the invitation exists, and the agenda
    is refused changes until reopen_agenda(). Refused for a cancelled meeting and an empty
    agenda. Side effect: audit entry."""
    require_own_meeting(meeting)
    meeting = Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("Die Sitzung wurde abgesagt; es gibt keine Einladung."))
    if meeting.agenda_is_fixed:
        raise ValidationError(_("Die Tagesordnung ist bereits festgesetzt."))
    if not meeting.agenda_items.exists():
        raise ValidationError(_("Eine leere Tagesordnung kann nicht festgesetzt werden."))
    meeting.agenda_fixed_at = timezone.now()
    return audit.save_audited(meeting, actor=actor, action="meeting.agenda_fixed")


@transaction.atomic
def reopen_agenda(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Reopen a fixed agenda for changes, before the meeting only: the invitation is withdrawn
    until the agenda is fixed again (then with the new date). Side effect: audit entry."""
    require_own_meeting(meeting)
    meeting = Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
    if not meeting.agenda_is_fixed:
        raise ValidationError(_("Die Tagesordnung ist nicht festgesetzt."))
    if meeting.has_taken_place:
        raise ValidationError(
            _("Die Sitzung hat bereits stattgefunden; ihre Tagesordnung bleibt, wie sie war.")
        )
    meeting.agenda_fixed_at = None
    return audit.save_audited(meeting, actor=actor, action="meeting.agenda_reopened")


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    present_count: int,
    excused_count: int,
    present_persons: Sequence[Person] = (),
    excused_persons: Sequence[Person] = (),
    actor: User | None,
) -> Attendance:
    """Record who attended a meeting that has taken place: counts, and for committees whose
    members may be named, the people. Refused: names for an advisory board's meeting (its
    members are never named, only counted), a person no page may name, a person both present
    and excused, and fewer people counted than named. Side effect: audit entry."""
    require_own_meeting(meeting)
    require_taken_place(meeting)
    named = [*present_persons, *excused_persons]
    if named and not directory_rules.may_name_members_publicly(meeting.committee):
        raise ValidationError(
            _("Für Sitzungen des Beirats wird die Anwesenheit nur gezählt, nie namentlich.")
        )
    if {person.pk for person in present_persons} & {person.pk for person in excused_persons}:
        raise ValidationError(_("Eine Person kann nicht zugleich anwesend und entschuldigt sein."))
    nameable = directory_queries.nameable_persons_for_staff()
    if named and nameable.filter(pk__in=[p.pk for p in named]).count() != len(set(named)):
        raise ValidationError(_("Diese Person kann hier nicht genannt werden."))
    if len(present_persons) > present_count or len(excused_persons) > excused_count:
        raise ValidationError(_("Es sind mehr Personen namentlich genannt, als gezählt wurden."))
    attendance = Attendance.objects.filter(meeting=meeting).first() or Attendance(meeting=meeting)
    before = _attendance_snapshot(attendance) if attendance.pk else {}
    attendance.present_count, attendance.excused_count = present_count, excused_count
    attendance.full_clean()
    attendance.save()
    attendance.present_persons.set(present_persons)
    attendance.excused_persons.set(excused_persons)
    audit.record(
        actor=actor,
        action="meeting.attendance_recorded",
        instance=meeting,
        changes=audit.diff(before, _attendance_snapshot(attendance)),
    )
    # The meeting's pages and documents show the attendance: they follow its modification.
    meeting.save(update_fields=["modified_at"])
    return attendance


def _attendance_snapshot(attendance: Attendance) -> dict[str, object]:
    """Counts and the ids of the people named (ids only: the audit log names nobody)."""
    return {
        "present_count": attendance.present_count,
        "excused_count": attendance.excused_count,
        "present_persons": sorted(attendance.present_persons.values_list("pk", flat=True)),
        "excused_persons": sorted(attendance.excused_persons.values_list("pk", flat=True)),
    }


@transaction.atomic
def record_decision(*, agenda_item: AgendaItem, text: str, actor: User | None) -> Decision:
    """The decision text of an agenda item. Refused before the meeting has taken place."""
    require_own_meeting(agenda_item.meeting)
    require_taken_place(agenda_item.meeting)
    decision = Decision.objects.filter(agenda_item=agenda_item).first() or Decision(
        agenda_item=agenda_item
    )
    decision.text = text
    action = "decision.updated" if decision.pk else "decision.recorded"
    return audit.save_audited(decision, actor=actor, action=action)


@transaction.atomic
def record_item_result(
    *,
    agenda_item: AgendaItem,
    consultation: Consultation | None,
    outcome: str,
    votes_yes: int | None,
    votes_no: int | None,
    votes_abstain: int | None,
    votes_biased: int | None,
    text: str,
    actor: User | None,
) -> AgendaItem:
    """Outcome, votes and decision text of an agenda item in one step, once the meeting has
    taken place. With a paper's route entry (``consultation``) the outcome and votes are kept
    there (record_outcome()); without one the outcome is the item's result and there are no
    votes. An empty text removes an earlier decision text. Side effects: audit entries."""
    require_own_meeting(agenda_item.meeting)
    require_taken_place(agenda_item.meeting)
    if consultation is not None:
        record_outcome(
            consultation=consultation,
            outcome=outcome,
            votes_yes=votes_yes,
            votes_no=votes_no,
            votes_abstain=votes_abstain,
            votes_biased=votes_biased,
            actor=actor,
        )
        agenda_item.refresh_from_db(fields=["result"])
    else:
        if any(count is not None for count in (votes_yes, votes_no, votes_abstain, votes_biased)):
            raise ValidationError(
                _("Stimmen werden nur zu einer Vorlage erfasst; dieser Punkt hat keine.")
            )
        agenda_item.result = stored_result(outcome)
        audit.save_audited(agenda_item, actor=actor, action="agenda_item.result_recorded")
        meeting = agenda_item.meeting
        if meeting.state == Meeting.State.SCHEDULED:
            meeting.state = Meeting.State.HELD
            meeting.save(update_fields=["state", "modified_at"])
    if text.strip():
        record_decision(agenda_item=agenda_item, text=text, actor=actor)
    else:
        existing = Decision.objects.filter(agenda_item=agenda_item).first()
        if existing is not None:
            audit.record(
                actor=actor,
                action="decision.removed",
                instance=existing,
                changes=audit.removed(audit.snapshot(existing)),
            )
            existing.delete()
    return agenda_item


# Mandates ----------------------------------------------------------------------------------


@transaction.atomic
def create_mandate(*, mandate: Mandate, actor: User | None) -> Mandate:
    """Track a task for the administration from a decision. Side effect: audit entry."""
    return audit.save_audited(mandate, actor=actor, action="mandate.created")


@transaction.atomic
def report_mandate_progress(
    *, mandate: Mandate, note: str, status: str, public: bool, actor: User | None
) -> MandateProgress:
    """Add a progress note and move the status (offen → in Bearbeitung → erledigt)."""
    if mandate.status == Mandate.Status.DONE:
        raise ValidationError(_("Dieser Auftrag ist bereits erledigt."))
    progress = MandateProgress(mandate=mandate, note=note, public=public, created_by=actor)
    progress.full_clean()
    progress.save()
    mandate.status = status
    mandate.completed_on = timezone.localdate() if status == Mandate.Status.DONE else None
    audit.save_audited(mandate, actor=actor, action="mandate.progress_reported")
    return progress


# Records mirrored from another council information system ----------------------------------

MirroredRecord = Paper | Meeting | AgendaItem | Consultation | Decision


# savepoint=False: the sync (beirat.oparlsync), the only caller of the mirror services, stores
# each object in a savepoint of its own and rolls back to it on any error; a second savepoint
# around the same write here would cost two statements per record and protect nothing more.
@transaction.atomic(savepoint=False)
def save_mirrored(record: MirroredRecord, *, actor: User | None, action: str) -> MirroredRecord:
    """Store a record as another council information system publishes it (beirat.oparlsync).

    The clerk's workflow rules (numbers from our sequence, no agenda change after a meeting, no
    outcome before it) do not apply: that system has already decided, this is its copy. Field
    checks apply here; unique and check constraints are enforced by the database (an
    IntegrityError names the one broken). A paper or meeting must name its source, which
    makes it read-only here. Side effect: audit entry.
    """
    if isinstance(record, Paper) and not record.is_mirrored:
        raise ValidationError(_("Eine übernommene Vorlage braucht ihre Quelle."))
    if isinstance(record, Meeting) and not record.is_mirrored:
        raise ValidationError(_("Eine übernommene Sitzung braucht ihre Quelle."))
    return audit.save_audited(record, actor=actor, action=action, constraints_by_database=True)


@transaction.atomic
def remove_mirrored(
    record: Meeting | AgendaItem | Consultation | Decision, *, actor: User | None, action: str
) -> None:
    """Delete a record its source has deleted. Papers are never deleted: they are withdrawn
    (save_mirrored with the status), so their number stays taken. Side effect: audit entry."""
    if isinstance(record, AgendaItem):
        # An item with a paper keeps the paper's route entry, no longer scheduled.
        for consultation in record.consultations.all():
            consultation.agenda_item = None
            audit.save_audited(consultation, actor=actor, action="consultation.unscheduled")
    audit.record(
        actor=actor, action=action, instance=record, changes=audit.removed(audit.snapshot(record))
    )
    record.delete()


def _require_mirrored(paper: Paper) -> None:
    if not paper.is_mirrored:
        raise ValidationError(_("Eine übernommene Vorlage braucht ihre Quelle."))


@transaction.atomic(savepoint=False)  # as save_mirrored
def mirror_attachment(
    *,
    paper: Paper,
    attachment: PaperAttachment | None,
    title: str,
    upload: CheckedFile | None,
    actor: User | None,
    paper_saved: bool = False,
) -> PaperAttachment:
    """Store a file of a mirrored paper as its source publishes it (beirat.oparlsync): a new
    attachment at the end, or an existing one with its title and, given ``upload`` (already
    checked as an upload is), its content replaced. ``paper_saved``: the paper itself was saved
    in this transaction, so its change is announced already. Side effect: audit entry."""
    _require_mirrored(paper)
    title = " ".join(title.split())[:300] or _("Anlage")
    if attachment is None:
        if upload is None:
            raise ValidationError(_("Eine neue Anlage braucht ihre Datei."))
        last = paper.attachments.aggregate(models.Max("order"))["order__max"] or 0
        attachment = PaperAttachment(paper=paper, order=last + 1, title=title)
    if upload is not None:
        attachment.title = title
        return _store_attachment(
            attachment,
            upload,
            actor=actor,
            action="paper_attachment.mirrored",
            paper_saved=paper_saved,
            mirrored=True,
        )
    if _retitle(attachment, title, actor=actor, action="paper_attachment.mirrored"):
        if paper_saved:
            _refresh_pdf(paper)
        else:
            _touch_paper(paper)
    return attachment


@transaction.atomic
def remove_mirrored_attachment(*, attachment: PaperAttachment, actor: User | None) -> None:
    """Remove a file its source no longer lists with the paper (or has deleted); the file is
    deleted once the removal is committed. Side effect: audit entry."""
    _require_mirrored(attachment.paper)
    _delete_attachment(attachment, actor=actor, action="paper_attachment.mirror_removed")


@transaction.atomic
def order_mirrored_attachments(*, paper: Paper, ordered: Sequence[int], actor: User | None) -> bool:
    """Number a mirrored paper's attachments 1, 2, 3 in the source's order (``ordered``: their
    keys); whether any moved. Side effect: audit entry per moved attachment."""
    _require_mirrored(paper)
    wanted = {pk: position for position, pk in enumerate(ordered, start=1)}
    current = {
        attachment.pk: attachment.order
        for attachment in PaperAttachment.objects.select_for_update().filter(paper=paper)
    }
    moved = {pk: order for pk, order in wanted.items() if current.get(pk) not in (None, order)}
    if not moved:
        return False
    # Through free numbers: (paper, order) is unique at every step.
    free = max(current.values()) + 1
    for offset, pk in enumerate(moved):
        wiring.update_rows(PaperAttachment.objects.filter(pk=pk), order=free + offset)
    for pk, order in moved.items():
        wiring.update_rows(PaperAttachment.objects.filter(pk=pk), order=order)
        audit.record(
            actor=actor,
            action="paper_attachment.moved",
            instance=PaperAttachment.objects.get(pk=pk),
            changes={"order": {"before": current[pk], "after": order}},
        )
    _touch_paper(paper)
    return True
