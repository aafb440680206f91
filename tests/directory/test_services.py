import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from beirat.core.audit import history_of
from beirat.directory import services
from beirat.directory.models import (
    Committee,
    CommitteeName,
    Cooperation,
    Membership,
    OrganizationalUnit,
    PartnerContact,
)
from tests.factories.core import UserFactory
from tests.factories.directory import (
    BodyFactory,
    CommitteeFactory,
    MembershipFactory,
    PartnerContactFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def test_create_unit_writes_an_audit_entry_with_the_new_values():
    actor = UserFactory(username="admin")
    unit = services.create_unit(
        unit=OrganizationalUnit(
            body=BodyFactory(),
            kind="office",
            number="80",
            name="Amt für Wirtschaftsförderung",
            public_name="Amt für Wirtschaftsförderung",
        ),
        actor=actor,
    )
    entry = history_of(unit).get()
    assert (entry.action, entry.actor_label) == ("unit.created", "admin")
    assert entry.changes["name"] == {"before": None, "after": "Amt für Wirtschaftsförderung"}
    assert str(unit) == "80-Amt für Wirtschaftsförderung"


def test_update_unit_records_only_what_changed():
    unit = UnitFactory(name="Amt für Personal")
    unit.name = "Amt für Personal und Organisation"
    services.update_unit(unit=unit, actor=None)
    assert history_of(unit).get().changes == {
        "name": {"before": "Amt für Personal", "after": "Amt für Personal und Organisation"}
    }


def test_duplicate_office_number_is_refused_with_a_clear_message():
    existing = UnitFactory(number="80")
    with pytest.raises(ValidationError, match="Nummer ist bereits vergeben"):
        services.create_unit(
            unit=OrganizationalUnit(
                body=existing.body, kind="office", number="80", name="Anderes Amt"
            ),
            actor=None,
        )
    assert OrganizationalUnit.objects.count() == 1


def test_a_unit_cannot_be_placed_under_its_own_child():
    parent = UnitFactory(kind="division", number="1")
    child = UnitFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError, match="unter sich selbst"):
        services.update_unit(unit=parent, actor=None)


def test_committee_is_created_with_its_first_name_in_the_history():
    committee = services.create_committee(
        committee=Committee(
            body=BodyFactory(),
            kind="advisory_board",
            name="IT-Beirat",
            slug="digitalbeirat",
            founded_on=datetime.date(2020, 10, 9),
        ),
        actor=None,
    )
    assert list(committee.names.values_list("name", "valid_from", "valid_until")) == [
        ("IT-Beirat", datetime.date(2020, 10, 9), None)
    ]


def test_rename_committee_keeps_the_old_name_and_its_period():
    committee = services.create_committee(
        committee=Committee(
            body=BodyFactory(),
            kind="advisory_board",
            name="IT-Beirat",
            slug="digitalbeirat",
            founded_on=datetime.date(2020, 10, 9),
        ),
        actor=None,
    )
    services.rename_committee(
        committee=committee,
        new_name="Digitalbeirat",
        valid_from=datetime.date(2025, 1, 1),
        actor=None,
    )
    committee.refresh_from_db()
    assert committee.name == "Digitalbeirat"
    assert list(committee.names.values_list("name", "valid_until")) == [
        ("IT-Beirat", datetime.date(2024, 12, 31)),
        ("Digitalbeirat", None),
    ]
    assert history_of(committee).filter(action="committee.renamed").count() == 1


def test_rename_before_the_current_name_began_is_refused():
    committee = services.create_committee(
        committee=Committee(
            body=BodyFactory(),
            kind="committee",
            name="A",
            slug="a",
            founded_on=datetime.date(2024, 1, 1),
        ),
        actor=None,
    )
    with pytest.raises(ValidationError, match="nach dem Beginn"):
        services.rename_committee(
            committee=committee, new_name="B", valid_from=datetime.date(2023, 1, 1), actor=None
        )
    assert Committee.objects.get().name == "A"


def test_update_committee_refuses_a_silent_rename():
    committee = CommitteeFactory(name="Stadtrat")
    committee.name = "Rat"
    with pytest.raises(ValidationError, match="Umbenennen"):
        services.update_committee(committee=committee, actor=None)


def test_only_one_current_name_per_committee_is_allowed_by_the_database():
    committee = CommitteeFactory()
    CommitteeName.objects.create(committee=committee, name="A")
    with pytest.raises(IntegrityError):
        CommitteeName.objects.create(committee=committee, name="B")


def test_membership_belongs_to_a_person_or_an_organisation_never_both():
    committee = CommitteeFactory()
    both = Membership(committee=committee, person=PersonFactory(), organization=PartnerFactory())
    with pytest.raises(ValidationError, match="entweder einer Person oder einer Organisation"):
        services.add_membership(membership=both, actor=None)
    neither = Membership(committee=committee)
    with pytest.raises(ValidationError):
        services.add_membership(membership=neither, actor=None)
    assert Membership.objects.count() == 0


def test_membership_cannot_end_before_it_starts():
    membership = MembershipFactory(start_date=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="Ende darf nicht vor dem Beginn"):
        services.end_membership(
            membership=membership, end_date=datetime.date(2024, 1, 1), actor=None
        )
    membership.refresh_from_db()
    assert membership.end_date is None


def test_the_same_open_membership_cannot_be_added_twice():
    membership = MembershipFactory()
    duplicate = Membership(committee=membership.committee, person=membership.person)
    with pytest.raises(ValidationError, match="besteht bereits"):
        services.add_membership(membership=duplicate, actor=None)


def test_ending_a_membership_keeps_it_in_the_history():
    membership = MembershipFactory()
    services.end_membership(membership=membership, end_date=datetime.date(2025, 6, 30), actor=None)
    assert Membership.objects.get().end_date == datetime.date(2025, 6, 30)
    assert history_of(membership).get().action == "membership.ended"


def test_city_membership_date_requires_a_membership():
    partner = PartnerFactory()
    partner.city_member_since = datetime.date(2019, 1, 1)
    with pytest.raises(ValidationError, match="Beitrittsdatum"):
        services.update_partner(partner=partner, actor=None)


def test_ended_cooperation_needs_an_end_date():
    cooperation = Cooperation(partner=PartnerFactory(), title="X", status="ended")
    with pytest.raises(ValidationError, match="Enddatum"):
        services.add_cooperation(cooperation=cooperation, actor=None)


def test_cooperation_status_change_is_audited():
    cooperation = services.add_cooperation(
        cooperation=Cooperation(partner=PartnerFactory(), title="PD GmbH"), actor=None
    )
    cooperation.status = Cooperation.Status.ACTIVE
    services.update_cooperation(cooperation=cooperation, actor=None)
    assert history_of(cooperation).first().changes == {
        "status": {"before": "in_review", "after": "active"}
    }


def test_partner_participants_change_is_audited_and_a_partner_never_participates_in_itself():
    league = PartnerFactory(name="Start-Up-League")
    ihk, hwk = PartnerFactory(name="IHK"), PartnerFactory(name="HWK")
    services.update_partner(partner=league, participants=[ihk, hwk, league], actor=None)
    assert sorted(league.participants.values_list("name", flat=True)) == ["HWK", "IHK"]
    entry = history_of(league).get(action="partner.participants_changed")
    assert entry.changes["participants"] == {"before": [], "after": ["HWK", "IHK"]}


def test_removing_a_contact_keeps_its_values_in_the_audit_trail():
    contact = PartnerContactFactory(function="Chief Digital Officer (CDO)")
    contact_id = contact.pk
    services.remove_partner_contact(contact=contact, actor=None)
    assert not PartnerContact.objects.filter(pk=contact_id).exists()
    from beirat.core.models import AuditEntry

    entry = AuditEntry.objects.get(action="partner_contact.removed")
    assert entry.changes["function"] == {"before": "Chief Digital Officer (CDO)", "after": None}


def test_only_offices_take_staff():
    with pytest.raises(ValidationError, match="Nur Ämter"):
        services.assign_office(
            user=UserFactory(), unit=UnitFactory(kind="division", number="9"), actor=None
        )
