"""Meeting documents: the fixed agenda, the invitation (Einladung), attendance and the minutes
(Niederschrift), on pages, as PDFs and in OParl."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beirat.core.models import AuditEntry
from beirat.council import queries, services
from beirat.council.models import AgendaItem, Attendance, Consultation, Decision, Meeting
from beirat.directory.models import Committee
from tests.factories.council import (
    AgendaItemFactory,
    AttendanceFactory,
    ConsultationFactory,
    FixedAgendaMeetingFactory,
    MeetingFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import CommitteeFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

PAST = datetime.timedelta(days=-3)
FUTURE = datetime.timedelta(days=10)
DECISION = "Der Ausschuss beschließt den Ausbau des Glasfasernetzes."
SECRET_SUBJECT = "Grundstücksverkauf Geheimweg 7"


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    command = ["/usr/bin/pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return re.sub(r"\s+", " ", text)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _meeting(offset: datetime.timedelta, **fields) -> Meeting:
    """A public meeting with a fixed agenda: a public item with a paper, votes and decision
    text, and a non-public item."""
    meeting = FixedAgendaMeetingFactory(
        start=timezone.now() + offset, location="Rathaus, Ratssaal", **fields
    )
    paper = PublishedPaperFactory(name="Glasfaser für alle Schulen")
    public = AgendaItemFactory(meeting=meeting, number="Ö 3", name=paper.name, paper=paper)
    ConsultationFactory(
        paper=paper,
        committee=meeting.committee,
        meeting=meeting,
        agenda_item=public,
        outcome=Consultation.Outcome.MAJORITY,
        votes_yes=11,
        votes_no=4,
        votes_abstain=2,
    )
    Decision.objects.create(agenda_item=public, text=DECISION)
    AgendaItemFactory(meeting=meeting, number="N 1", name=SECRET_SUBJECT, public=False)
    return meeting


# The fixed agenda -----------------------------------------------------------------------------


def test_fixing_the_agenda_is_audited_and_refused_twice_or_when_empty_or_cancelled(clerk_user):
    meeting = MeetingFactory(start=timezone.now() + FUTURE)
    with pytest.raises(ValidationError, match="leere Tagesordnung"):
        services.fix_agenda(meeting=meeting, actor=clerk_user)
    AgendaItemFactory(meeting=meeting)
    fixed = services.fix_agenda(meeting=meeting, actor=clerk_user)
    assert fixed.agenda_fixed_at is not None
    entry = AuditEntry.objects.get(action="meeting.agenda_fixed")
    assert entry.actor == clerk_user
    assert "agenda_fixed_at" in entry.changes
    with pytest.raises(ValidationError, match="bereits festgesetzt"):
        services.fix_agenda(meeting=fixed, actor=clerk_user)
    cancelled = MeetingFactory(state=Meeting.State.CANCELLED)
    AgendaItemFactory(meeting=cancelled)
    with pytest.raises(ValidationError, match="abgesagt"):
        services.fix_agenda(meeting=cancelled, actor=clerk_user)


def test_a_fixed_agenda_refuses_every_change_until_it_is_reopened(clerk_user):
    meeting = _meeting(FUTURE)
    item = meeting.agenda_items.get(number="Ö 3")
    changes = [
        lambda: services.update_agenda_item(item=item, actor=clerk_user),
        lambda: services.remove_agenda_item(item=item, actor=clerk_user),
        lambda: services.move_agenda_item(item=item, up=False, actor=clerk_user),
        lambda: services.add_agenda_item(
            item=AgendaItem(meeting=meeting, name="Nachtrag"), actor=clerk_user
        ),
    ]
    for change in changes:
        with pytest.raises(ValidationError, match="wieder"):
            change()
    reopened = services.reopen_agenda(meeting=meeting, actor=clerk_user)
    assert reopened.agenda_fixed_at is None
    assert AuditEntry.objects.filter(action="meeting.agenda_reopened").count() == 1
    item.meeting = reopened
    item.name = "Glasfaser für alle Schulen und Kitas"
    services.update_agenda_item(item=item, actor=clerk_user)
    assert not queries.has_invitation(reopened)


def test_the_agenda_of_a_meeting_that_took_place_is_not_reopened(clerk_user):
    meeting = _meeting(PAST)
    with pytest.raises(ValidationError, match="stattgefunden"):
        services.reopen_agenda(meeting=meeting, actor=clerk_user)


def test_the_clerk_fixes_and_reopens_the_agenda_with_a_confirmation(clerk):
    meeting = MeetingFactory(start=timezone.now() + FUTURE)
    AgendaItemFactory(meeting=meeting)
    address = f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/tagesordnung-festsetzen/"
    assert clerk.post(address, {}).status_code == 200  # not confirmed: nothing happens
    meeting.refresh_from_db()
    assert meeting.agenda_fixed_at is None
    assert clerk.post(address, {"confirm": "on"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_fixed_at is not None
    page = clerk.get(f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/").content.decode()
    assert "tagesordnung-oeffnen" in page
    assert "Punkt anfügen" not in page
    reopen = f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/tagesordnung-oeffnen/"
    assert clerk.post(reopen, {"confirm": "on"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_fixed_at is None


# The invitation -------------------------------------------------------------------------------


def test_the_invitation_exists_only_once_the_agenda_is_fixed(anonymous, clerk_user):
    meeting = MeetingFactory(start=timezone.now() + FUTURE)
    AgendaItemFactory(meeting=meeting)
    address = f"/sitzungen/{meeting.pk}/einladung.pdf"
    assert anonymous.get(address).status_code == 404
    assert "einladung.pdf" not in anonymous.get(meeting.get_absolute_url()).content.decode()
    services.fix_agenda(meeting=meeting, actor=clerk_user)
    response = anonymous.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert address in anonymous.get(meeting.get_absolute_url()).content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.CANCELLED)
    assert anonymous.get(address).status_code == 404


def test_the_invitation_lists_public_items_with_papers_and_closed_ones_by_number(
    anonymous, tmp_path
):
    meeting = _meeting(FUTURE)
    hidden = PublishedPaperFactory(public=False)
    AgendaItemFactory(meeting=meeting, number="Ö 4", name="Bericht", paper=hidden)
    text = _pdf_text(anonymous.get(f"/sitzungen/{meeting.pk}/einladung.pdf").content, tmp_path)
    assert "Einladung" in text
    assert meeting.committee.name in text
    assert "Rathaus, Ratssaal" in text
    assert timezone.localtime(meeting.start).strftime("%d.%m.%Y") in text
    # (poppler may drop the space inside a number such as "Ö 3" in a table cell)
    assert "Ö3GlasfaserfüralleSchulen" in _compact(text)
    paper = meeting.agenda_items.get(number="Ö 3").paper
    assert paper.reference in text
    assert "N1nichtöffentlich" in _compact(text)
    assert SECRET_SUBJECT not in text
    assert hidden.reference not in text  # a paper that is not public is not named
    assert "mehrheitlich" not in text
    assert DECISION not in text


def test_a_changed_meeting_gets_a_new_invitation(anonymous, tmp_path):
    meeting = _meeting(FUTURE)
    address = f"/sitzungen/{meeting.pk}/einladung.pdf"
    assert "Ratssaal" in _pdf_text(anonymous.get(address).content, tmp_path)
    meeting.location = "Forum Confluentes"
    meeting.save()
    assert "Forum Confluentes" in _pdf_text(anonymous.get(address).content, tmp_path)


# The minutes ----------------------------------------------------------------------------------


def test_no_minutes_before_the_meeting_has_taken_place_or_for_a_cancelled_one(
    anonymous, clerk, clerk_user
):
    coming = _meeting(FUTURE)
    cancelled = _meeting(PAST, state=Meeting.State.CANCELLED)
    for meeting in (coming, cancelled):
        assert anonymous.get(f"/sitzungen/{meeting.pk}/niederschrift.pdf").status_code == 404
        closed = f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/niederschrift-nichtoeffentlich.pdf"
        assert clerk.get(closed).status_code == 404
        assert "niederschrift" not in anonymous.get(meeting.get_absolute_url()).content.decode()
        with pytest.raises(ValidationError):
            services.record_attendance(
                meeting=meeting, present_count=5, excused_count=0, actor=clerk_user
            )


def test_the_public_minutes_show_results_votes_decisions_and_attendance(anonymous, tmp_path):
    meeting = _meeting(PAST)
    AttendanceFactory(meeting=meeting, present_count=15, excused_count=3)
    address = f"/sitzungen/{meeting.pk}/niederschrift.pdf"
    assert address in anonymous.get(meeting.get_absolute_url()).content.decode()
    text = _pdf_text(anonymous.get(address).content, tmp_path)
    assert "Niederschrift" in text
    assert "anwesend: 15" in text
    assert "entschuldigt: 3" in text
    assert "TOP Ö 3: Glasfaser für alle Schulen" in text
    assert "mehrheitlich" in text
    assert "Ja 11, Nein 4, Enthaltungen 2" in text
    assert DECISION in text
    assert SECRET_SUBJECT not in text
    assert "N1" not in _compact(text)


def test_the_non_public_minutes_are_for_the_council_office_only(
    anonymous, clerk, office, triage, board_member, tmp_path
):
    meeting = _meeting(PAST)
    address = f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/niederschrift-nichtoeffentlich.pdf"
    text = _pdf_text(clerk.get(address).content, tmp_path)
    assert "nichtöffentlicher Teil" in text
    assert f"TOP N 1: {SECRET_SUBJECT}" in text
    assert "Glasfaser" not in text
    assert anonymous.get(address).status_code == 302
    for persona in (office, triage, board_member):
        assert persona.get(address).status_code == 404


def test_public_minutes_name_only_people_who_may_be_named(anonymous, clerk, tmp_path):
    meeting = _meeting(PAST)
    elected = PersonFactory(given_name="Erika", family_name="Ratsfrau", public=True)
    private = PersonFactory(given_name="Paul", family_name="Stillmann", public=False)
    for person in (elected, private):
        MembershipFactory(committee=meeting.committee, person=person)
    AttendanceFactory(
        meeting=meeting, present_count=9, excused_count=1, present_persons=[elected, private]
    )
    public_text = _pdf_text(
        anonymous.get(f"/sitzungen/{meeting.pk}/niederschrift.pdf").content, tmp_path
    )
    assert "Erika Ratsfrau und 8 weitere Personen" in public_text
    assert "Stillmann" not in public_text
    page = anonymous.get(meeting.get_absolute_url()).content.decode()
    assert "Erika Ratsfrau" in page
    assert "Stillmann" not in page
    closed = f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/niederschrift-nichtoeffentlich.pdf"
    staff_text = _pdf_text(clerk.get(closed).content, tmp_path)
    assert "Erika Ratsfrau, Paul Stillmann und 7 weitere Personen" in staff_text


def test_the_clerk_records_attendance_audited(clerk, clerk_user):
    meeting = _meeting(PAST)
    person = PersonFactory(family_name="Ratsherr")
    MembershipFactory(committee=meeting.committee, person=person)
    address = f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/anwesenheit/"
    assert "Ratsherr" in clerk.get(address).content.decode()
    form = {"present_count": "12", "excused_count": "1", "present_persons": [person.pk]}
    assert clerk.post(address, form).status_code == 302
    attendance = Attendance.objects.get(meeting=meeting)
    assert (attendance.present_count, attendance.excused_count) == (12, 1)
    assert list(attendance.present_persons.all()) == [person]
    entry = AuditEntry.objects.get(action="meeting.attendance_recorded")
    assert entry.actor == clerk_user
    assert entry.changes["present_persons"]["after"] == [person.pk]
    assert "Ratsherr" not in str(entry.changes)  # ids only
    too_many = {"present_count": "0", "excused_count": "0", "present_persons": [person.pk]}
    assert "mehr Personen" in clerk.post(address, too_many).content.decode()


# OParl ------------------------------------------------------------------------------------------


def test_oparl_meeting_carries_invitation_and_public_minutes_as_files(anonymous, tmp_path):
    meeting = _meeting(PAST)
    payload = anonymous.get(f"/oparl/v1/meeting/{meeting.pk}").json()
    invitation, minutes = payload["invitation"], payload["resultsProtocol"]
    assert invitation["id"].endswith(f"/oparl/v1/file/i{meeting.pk}")
    assert minutes["id"].endswith(f"/oparl/v1/file/p{meeting.pk}")
    for embedded in (invitation, minutes):
        key = embedded["id"].rsplit("/", 1)[1]
        assert anonymous.get(f"/oparl/v1/file/{key}").json() == embedded
        download = anonymous.get(f"/oparl/v1/file/{key}/download")
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert embedded["meeting"] == [payload["id"]]
    text = _pdf_text(anonymous.get(f"/oparl/v1/file/p{meeting.pk}/download").content, tmp_path)
    assert DECISION in text
    assert SECRET_SUBJECT not in text


def test_oparl_has_no_minutes_before_the_meeting_and_no_documents_of_closed_meetings(
    anonymous,
):
    coming = _meeting(FUTURE)
    payload = anonymous.get(f"/oparl/v1/meeting/{coming.pk}").json()
    assert "invitation" in payload
    assert "resultsProtocol" not in payload
    for path in (f"file/p{coming.pk}", f"file/p{coming.pk}/download"):
        assert anonymous.get(f"/oparl/v1/{path}").status_code == 404
    closed = _meeting(PAST, public=False)
    for path in (f"i{closed.pk}", f"p{closed.pk}", f"i{closed.pk}/download", "x1", "i", "p1a"):
        assert anonymous.get(f"/oparl/v1/file/{path}").status_code == 404


def test_the_file_list_pages_through_papers_invitations_and_minutes(anonymous):
    first, second = _meeting(PAST), _meeting(PAST)
    body_id = first.agenda_items.get(number="Ö 3").paper.body_id
    seen, address = [], f"/oparl/v1/body/{body_id}/file?limit=1"
    while address:
        page = anonymous.get(address.split("/oparl/v1/", 1)[-1].join(["/oparl/v1/", ""])).json()
        seen += [item["id"].rsplit("/", 1)[1] for item in page["data"]]
        address = page["links"].get("next", "")
    meetings = {f"{prefix}{m.pk}" for m in (first, second) for prefix in ("i", "p")}
    assert meetings <= set(seen)
    assert len(seen) == len(set(seen))


# The identity shield --------------------------------------------------------------------------


@pytest.fixture
def board_meeting():
    """A public meeting of the advisory board, which has taken place, with members that carry
    unmistakable names, and their attendance."""
    board = CommitteeFactory(kind=Committee.Kind.ADVISORY_BOARD, name="Digitalbeirat")
    members = [
        PersonFactory(given_name="Xaveria", family_name="Zwiebelturm", public=True),
        PersonFactory(given_name="Quirin", family_name="Vogelsang", public=True),
    ]
    for person in members:
        MembershipFactory(committee=board, person=person)
    meeting = _meeting(PAST, committee=board)
    return meeting, members


MEMBER_NAMES = ("Xaveria", "Zwiebelturm", "Quirin", "Vogelsang")


def test_board_attendance_is_counted_never_named(
    board_meeting, anonymous, clerk, clerk_user, tmp_path
):
    meeting, members = board_meeting
    with pytest.raises(ValidationError, match="nur gezählt"):
        services.record_attendance(
            meeting=meeting,
            present_count=7,
            excused_count=2,
            present_persons=members[:1],
            actor=clerk_user,
        )
    # Even names written straight into the table are never shown.
    AttendanceFactory(meeting=meeting, present_count=7, excused_count=2, present_persons=members)
    surfaces = {
        "page": anonymous.get(meeting.get_absolute_url()).content.decode(),
        "clerk page": clerk.get(meeting.get_absolute_url()).content.decode(),
        "workplace": clerk.get(f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/").content.decode(),
        "form": clerk.get(
            f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/anwesenheit/"
        ).content.decode(),
        "oparl": anonymous.get(f"/oparl/v1/meeting/{meeting.pk}").content.decode(),
        "oparl file": anonymous.get(f"/oparl/v1/file/p{meeting.pk}").content.decode(),
    }
    pdfs = {
        "minutes": anonymous.get(f"/sitzungen/{meeting.pk}/niederschrift.pdf").content,
        "closed minutes": clerk.get(
            f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/niederschrift-nichtoeffentlich.pdf"
        ).content,
        "invitation": anonymous.get(f"/sitzungen/{meeting.pk}/einladung.pdf").content,
        "oparl download": anonymous.get(f"/oparl/v1/file/p{meeting.pk}/download").content,
    }
    surfaces |= {name: _pdf_text(pdf, tmp_path) for name, pdf in pdfs.items()}
    leaks = {
        name: [word for word in MEMBER_NAMES if word in text] for name, text in surfaces.items()
    }
    assert leaks == {key: [] for key in surfaces}
    # The counts are shown (so the check above looked at surfaces that show attendance).
    assert "anwesend: 7" in surfaces["minutes"]
    assert "entschuldigt: 2" in surfaces["minutes"]
    assert "anwesend: 7" in surfaces["closed minutes"]
    assert re.search(r"Anwesend</dt><dd>7</dd>", surfaces["page"])
    assert "Anwesend: 7, entschuldigt: 2" in surfaces["workplace"]


def test_a_board_member_is_not_named_in_another_committees_minutes(
    board_meeting, anonymous, clerk, clerk_user, tmp_path
):
    _board, members = board_meeting
    meeting = _meeting(PAST)
    MembershipFactory(committee=meeting.committee, person=members[0])
    form = clerk.get(f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/anwesenheit/").content.decode()
    assert "Zwiebelturm" not in form
    with pytest.raises(ValidationError, match="nicht genannt"):
        services.record_attendance(
            meeting=meeting,
            present_count=3,
            excused_count=0,
            present_persons=members[:1],
            actor=clerk_user,
        )
    AttendanceFactory(meeting=meeting, present_count=3, present_persons=members[:1])
    closed = f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/niederschrift-nichtoeffentlich.pdf"
    for pdf in (anonymous.get(f"/sitzungen/{meeting.pk}/niederschrift.pdf"), clerk.get(closed)):
        text = _pdf_text(pdf.content, tmp_path)
        assert "anwesend: 3" in text
        assert "Zwiebelturm" not in text


def test_the_public_minutes_date_follows_public_items_only():
    meeting = _meeting(PAST)
    Meeting.objects.filter(pk=meeting.pk).update(modified_at=meeting.start)
    AgendaItem.objects.filter(meeting=meeting).update(modified_at=meeting.start)
    Consultation.objects.filter(meeting=meeting).update(modified_at=meeting.start)
    Decision.objects.filter(agenda_item__meeting=meeting).update(modified_at=meeting.start)

    def modified() -> datetime.datetime:
        meeting.refresh_from_db()
        return queries.minutes_modified(meeting)

    before = modified()
    assert before == meeting.start
    AgendaItem.objects.filter(meeting=meeting, public=False).update(modified_at=timezone.now())
    assert modified() == before
    Decision.objects.filter(agenda_item__meeting=meeting).update(modified_at=timezone.now())
    assert modified() > before
