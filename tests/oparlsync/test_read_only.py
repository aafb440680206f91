"""Meetings, committees and people mirrored from another council information system are kept
there: beirat names their source and refuses a clerk's change, on the pages and in the services;
the synchronisation itself still writes them."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beirat.council import services as council
from beirat.council.models import AgendaItem, Meeting
from beirat.directory import services as directory
from beirat.directory.models import Committee, Membership, Person
from tests.factories.council import AgendaItemFactory, MeetingFactory
from tests.factories.directory import CommitteeFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
SOURCE = "SessionNet Beispielstadt"
WEB = "https://ris.example.de/si0057.asp?__ksinr=815"


def _meeting(**extra: object) -> Meeting:
    meeting: Meeting = MeetingFactory(source_name=SOURCE, source_url=WEB, **extra)
    return meeting


def _item(meeting: Meeting) -> AgendaItem:
    item: AgendaItem = AgendaItemFactory(meeting=meeting)
    return item


def _committee() -> Committee:
    committee: Committee = CommitteeFactory(source_name=SOURCE, source_url=WEB)
    return committee


def _refused_with_reason(client, address: str, back: str, reason: str) -> None:
    for answer in (client.get(address, follow=True), client.post(address, {}, follow=True)):
        assert answer.redirect_chain, address
        assert answer.redirect_chain[-1][0] == back, address
        assert reason in answer.content.decode(), address


# Meetings -------------------------------------------------------------------------------------


def test_clerk_pages_refuse_to_change_a_mirrored_meeting_with_the_reason(clerk):
    meeting = _meeting(start=timezone.now() + datetime.timedelta(days=7))
    item = _item(meeting)
    back = reverse("council:staff_meeting", kwargs={"pk": meeting.pk})
    for name, key in [
        ("council:staff_meeting_edit", meeting.pk),
        ("council:staff_agenda_fix", meeting.pk),
        ("council:staff_agenda_reopen", meeting.pk),
        ("council:staff_attendance", meeting.pk),
        ("council:staff_agenda_item_edit", item.pk),
        ("council:staff_agenda_item_remove", item.pk),
        ("council:staff_decision", item.pk),
    ]:
        _refused_with_reason(clerk, reverse(name, kwargs={"pk": key}), back, "wird dort bearbeitet")
    moved = clerk.post(
        reverse("council:staff_agenda_item_move", kwargs={"pk": item.pk}),
        {"direction": "down"},
        follow=True,
    )
    assert "wird dort bearbeitet" in moved.content.decode()
    added = clerk.post(back, {"name": "Neuer Punkt", "number": "Ö 9"}, follow=True)
    assert "wird dort bearbeitet" in added.content.decode()
    assert list(meeting.agenda_items.all()) == [item]
    meeting.refresh_from_db()
    assert meeting.agenda_fixed_at is None


def test_the_clerks_meeting_page_shows_the_source_and_no_controls(clerk):
    meeting = _meeting(start=timezone.now() - datetime.timedelta(days=3))
    item = _item(meeting)
    page = clerk.get(reverse("council:staff_meeting", kwargs={"pk": meeting.pk}))
    text = page.content.decode()
    assert f"Aus dem Ratsinformationssystem „{SOURCE}“ übernommen" in text
    for control in [
        reverse("council:staff_meeting_edit", kwargs={"pk": meeting.pk}),
        reverse("council:staff_attendance", kwargs={"pk": meeting.pk}),
        reverse("council:staff_decision", kwargs={"pk": item.pk}),
        reverse("council:staff_agenda_fix", kwargs={"pk": meeting.pk}),
    ]:
        assert control not in text
    assert "Punkt anfügen" not in text


def test_the_clerks_page_of_our_own_meeting_keeps_its_controls(clerk):
    meeting = MeetingFactory(start=timezone.now() - datetime.timedelta(days=3))
    item = _item(meeting)
    text = clerk.get(reverse("council:staff_meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert "Ratsinformationssystem" not in text
    assert reverse("council:staff_decision", kwargs={"pk": item.pk}) in text
    assert reverse("council:staff_meeting_edit", kwargs={"pk": meeting.pk}) in text


def test_services_refuse_to_change_a_mirrored_meeting():
    held = _meeting(start=timezone.now() - datetime.timedelta(days=3))
    planned = _meeting(start=timezone.now() + datetime.timedelta(days=3))
    item = _item(planned)
    attempts: list[Callable[[], object]] = [
        lambda: council.update_meeting(meeting=planned, actor=None),
        lambda: council.add_agenda_item(item=AgendaItem(meeting=planned, name="x"), actor=None),
        lambda: council.update_agenda_item(item=item, actor=None),
        lambda: council.remove_agenda_item(item=item, actor=None),
        lambda: council.move_agenda_item(item=item, up=True, actor=None),
        lambda: council.fix_agenda(meeting=planned, actor=None),
        lambda: council.reopen_agenda(meeting=planned, actor=None),
        lambda: council.record_attendance(
            meeting=held, present_count=3, excused_count=0, actor=None
        ),
        lambda: council.record_decision(agenda_item=_item(held), text="Beschlossen.", actor=None),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="wird dort bearbeitet"):
            attempt()


def test_a_meeting_from_the_sync_must_name_its_source():
    meeting = Meeting(committee=CommitteeFactory(), start=timezone.now())
    with pytest.raises(ValidationError, match="braucht ihre Quelle"):
        council.save_mirrored(meeting, actor=None, action="meeting.mirrored")


def test_public_meeting_page_names_the_source_with_its_link(anonymous):
    meeting = _meeting()
    text = anonymous.get(meeting.get_absolute_url()).content.decode()
    assert f"Ratsinformationssystem {SOURCE}" in text
    assert f'href="{WEB}"' in text
    own = MeetingFactory()
    assert "Ratsinformationssystem" not in anonymous.get(own.get_absolute_url()).content.decode()


# Committees and people ------------------------------------------------------------------------


def test_clerk_pages_refuse_to_change_a_mirrored_committee_with_the_reason(clerk):
    committee = _committee()
    membership = MembershipFactory(committee=committee)
    listing = reverse("directory:staff_committees")
    members = reverse("directory:staff_committee_members", kwargs={"slug": committee.slug})
    for address, back in [
        (reverse("directory:staff_committee_edit", kwargs={"slug": committee.slug}), listing),
        (reverse("directory:staff_committee_rename", kwargs={"slug": committee.slug}), listing),
        (reverse("directory:staff_membership_end", kwargs={"pk": membership.pk}), members),
    ]:
        _refused_with_reason(clerk, address, back, "wird dort gepflegt")
    added = clerk.post(members, {"person": PersonFactory().pk, "role": "member"}, follow=True)
    assert "wird dort gepflegt" in added.content.decode()
    assert list(committee.memberships.all()) == [membership]
    membership.refresh_from_db()
    assert membership.end_date is None


def test_the_members_page_of_a_mirrored_committee_shows_the_source_and_no_form(clerk):
    committee = _committee()
    membership = MembershipFactory(committee=committee)
    address = reverse("directory:staff_committee_members", kwargs={"slug": committee.slug})
    text = clerk.get(address).content.decode()
    assert f"Aus dem Ratsinformationssystem „{SOURCE}“ übernommen" in text
    assert "Mitgliedschaft eintragen" not in text
    assert reverse("directory:staff_membership_end", kwargs={"pk": membership.pk}) not in text


def test_clerk_page_refuses_to_change_a_mirrored_person(clerk):
    person = PersonFactory(source_name=SOURCE)
    _refused_with_reason(
        clerk,
        reverse("directory:staff_person_edit", kwargs={"pk": person.pk}),
        reverse("directory:staff_persons"),
        "wird dort gepflegt",
    )


def test_directory_services_refuse_a_clerks_change_but_take_the_syncs():
    committee = _committee()
    person: Person = PersonFactory(source_name=SOURCE)
    membership: Membership = MembershipFactory(committee=committee, person=person)
    today = timezone.localdate()
    attempts: list[Callable[..., object]] = [
        lambda **how: directory.update_committee(committee=committee, actor=None, **how),
        lambda **how: directory.update_person(person=person, actor=None, **how),
        lambda **how: directory.update_membership(membership=membership, actor=None, **how),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="wird dort gepflegt"):
            attempt()
        attempt(from_source=True)
    with pytest.raises(ValidationError, match="wird dort gepflegt"):
        directory.rename_committee(
            committee=committee, new_name="Neuer Name", valid_from=today, actor=None
        )
    with pytest.raises(ValidationError, match="wird dort gepflegt"):
        directory.add_membership(
            membership=Membership(committee=committee, person=PersonFactory()), actor=None
        )
    with pytest.raises(ValidationError, match="wird dort gepflegt"):
        directory.end_membership(membership=membership, end_date=today, actor=None)
    directory.end_membership(membership=membership, end_date=today, actor=None, from_source=True)
    assert Membership.objects.get(pk=membership.pk).end_date == today


def test_public_committee_page_names_the_source(anonymous):
    committee = _committee()
    text = anonymous.get(committee.get_absolute_url()).content.decode()
    assert f"Ratsinformationssystem {SOURCE}" in text
    assert f'href="{WEB}"' in text


def test_public_person_page_names_the_source(anonymous):
    mirrored = PersonFactory(source_name=SOURCE, public=True)
    own = PersonFactory(public=True)
    page = anonymous.get(reverse("directory:person", kwargs={"pk": mirrored.pk}))
    assert page.status_code == 200
    assert f"Ratsinformationssystem {SOURCE}" in page.content.decode()
    own_page = anonymous.get(reverse("directory:person", kwargs={"pk": own.pk})).content.decode()
    assert "Ratsinformationssystem" not in own_page


def test_records_synced_before_the_mark_get_it_from_their_mapping():
    """The data migration: a meeting, a committee and a person synchronised earlier carry their
    source afterwards; a committee the sync only linked (adopted) stays the city's."""
    import importlib

    from django.apps import apps

    from beirat.directory.services import installation_body
    from beirat.oparlsync.models import Source, SyncedObject

    migration = importlib.import_module("beirat.oparlsync.migrations.0002_mark_mirrored_records")
    source = Source.objects.create(
        name=SOURCE,
        system_url="https://ris.example.de/oparl/system",
        body=installation_body(actor=None),
    )
    meeting, person = MeetingFactory(), PersonFactory()
    mirrored, adopted = CommitteeFactory(), CommitteeFactory()
    for number, (record, model, was_adopted) in enumerate(
        [
            (meeting, "council.meeting", False),
            (person, "directory.person", False),
            (mirrored, "directory.committee", False),
            (adopted, "directory.committee", True),
        ]
    ):
        SyncedObject.objects.create(
            source=source,
            oparl_id=f"https://ris.example.de/oparl/object/{number}",
            oparl_type="x",
            web=WEB,
            local_model=model,
            local_id=record.pk,
            adopted=was_adopted,
        )
    migration.mark(apps, None)
    for record in (meeting, person, mirrored, adopted):
        record.refresh_from_db()
    assert (meeting.source_name, meeting.source_url) == (SOURCE, WEB)
    assert (mirrored.source_name, mirrored.source_url) == (SOURCE, WEB)
    assert person.source_name == SOURCE
    assert adopted.source_name == ""
