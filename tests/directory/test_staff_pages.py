import pytest

from beirat.core.audit import history_of
from beirat.directory.models import (
    Committee,
    Membership,
    OrganizationalUnit,
    PartnerContact,
    PartnerOrganization,
)
from tests.factories.directory import (
    BodyFactory,
    CommitteeFactory,
    MembershipFactory,
    PartnerContactFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
)
from tests.helpers import query_count

pytestmark = pytest.mark.django_db


def test_clerk_creates_an_office_and_the_change_is_audited(clerk, clerk_user):
    BodyFactory()
    response = clerk.post(
        "/arbeitsplatz/verzeichnis/einheiten/neu/",
        {
            "kind": "office",
            "number": "80",
            "name": "Amt für Wirtschaftsförderung",
            "public_name": "Amt für Wirtschaftsförderung",
            "email": "amt80@stadt.example",
            "active": "on",
        },
    )
    assert response.status_code == 302
    unit = OrganizationalUnit.objects.get()
    assert str(unit) == "80-Amt für Wirtschaftsförderung"
    assert unit.citizen_name == "Amt für Wirtschaftsförderung"
    assert history_of(unit).get().actor == clerk_user


def test_the_name_citizens_read_is_asked_for_and_can_be_changed(clerk):
    unit = UnitFactory(number="80", name="Amt für Wirtschaftsförderung")
    url = f"/arbeitsplatz/verzeichnis/einheiten/{unit.pk}/"
    fields = {"kind": "office", "number": "80", "name": unit.name, "active": "on"}

    missing = clerk.post(url, {**fields, "public_name": ""})
    changed = clerk.post(url, {**fields, "public_name": "Wirtschaftsförderung der Stadt"})

    assert "Bezeichnung für Bürgerinnen und Bürger" in clerk.get(url).content.decode()
    assert missing.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in missing.content.decode()
    assert changed.status_code == 302
    unit.refresh_from_db()
    assert unit.citizen_name == "Wirtschaftsförderung der Stadt"
    assert str(unit) == "80-Amt für Wirtschaftsförderung"  # staff keep the official name


def test_invalid_unit_keeps_what_was_typed_and_stores_nothing(clerk):
    existing = UnitFactory(number="80")
    response = clerk.post(
        "/arbeitsplatz/verzeichnis/einheiten/neu/",
        {
            "kind": "office",
            "number": "80",
            "name": "Zweites Amt 80",
            "email": "keine-adresse",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Diese Nummer ist bereits vergeben." in html
    assert "Bitte gültige E-Mail-Adresse eingeben." in html
    assert 'value="Zweites Amt 80"' in html
    assert list(OrganizationalUnit.objects.all()) == [existing]


def test_committee_is_renamed_through_its_own_form(clerk):
    committee = CommitteeFactory(name="IT-Beirat", slug="digitalbeirat")
    committee.names.create(name="IT-Beirat")
    response = clerk.post(
        "/arbeitsplatz/verzeichnis/gremien/digitalbeirat/umbenennen/",
        {"new_name": "Digitalbeirat", "valid_from": "2025-01-01"},
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.name == "Digitalbeirat"


def test_editing_a_committee_cannot_change_its_name(clerk):
    committee = CommitteeFactory(name="Stadtrat", slug="stadtrat")
    clerk.post(
        "/arbeitsplatz/verzeichnis/gremien/stadtrat/",
        {
            "kind": "council",
            "name": "Umbenannt",
            "slug": "stadtrat",
            "public": "on",
        },
    )
    committee.refresh_from_db()
    assert committee.name == "Stadtrat"


def test_membership_form_refuses_person_and_organisation_together(clerk):
    committee = CommitteeFactory(slug="digitalbeirat", kind=Committee.Kind.ADVISORY_BOARD)
    response = clerk.post(
        "/arbeitsplatz/verzeichnis/gremien/digitalbeirat/mitglieder/",
        {
            "person": PersonFactory().pk,
            "organization": PartnerFactory().pk,
            "role": "member",
        },
    )
    assert "entweder einer Person oder einer Organisation" in response.content.decode()
    assert not committee.memberships.exists()


def test_membership_is_added_and_ended(clerk):
    committee = CommitteeFactory(slug="stadtrat")
    person = PersonFactory()
    clerk.post(
        "/arbeitsplatz/verzeichnis/gremien/stadtrat/mitglieder/",
        {"person": person.pk, "role": "member", "start_date": "2024-07-01"},
    )
    membership = Membership.objects.get(committee=committee)
    clerk.post(
        f"/arbeitsplatz/verzeichnis/mitgliedschaften/{membership.pk}/beenden/",
        {"end_date": "2025-06-30"},
    )
    membership.refresh_from_db()
    assert str(membership.end_date) == "2025-06-30"


def test_removing_a_contact_needs_confirmation(clerk):
    contact = PartnerContactFactory()
    url = f"/arbeitsplatz/verzeichnis/ansprechpartner/{contact.pk}/entfernen/"
    response = clerk.post(url, {})
    assert "Bitte bestätigen Sie den Vorgang." in response.content.decode()
    assert PartnerContact.objects.filter(pk=contact.pk).exists()
    assert clerk.post(url, {"confirm": "on"}).status_code == 302
    assert not PartnerContact.objects.filter(pk=contact.pk).exists()


def test_partner_with_participants_is_created(clerk):
    ihk = PartnerFactory(name="IHK Koblenz")
    response = clerk.post(
        "/arbeitsplatz/verzeichnis/partner/neu/",
        {
            "name": "Start-Up-League",
            "slug": "start-up-league",
            "kind": "network",
            "participants": [ihk.pk],
            "public": "on",
        },
    )
    assert response.status_code == 302
    league = PartnerOrganization.objects.get(slug="start-up-league")
    assert list(league.participants.all()) == [ihk]


@pytest.mark.parametrize(
    "path",
    [
        "/arbeitsplatz/verzeichnis/einheiten/",
        "/arbeitsplatz/verzeichnis/gremien/",
        "/arbeitsplatz/verzeichnis/personen/",
        "/arbeitsplatz/verzeichnis/partner/",
    ],
)
def test_staff_lists_run_the_same_number_of_queries_for_one_and_three_items(clerk, path):
    def add_items(count):
        for _ in range(count):
            UnitFactory(parent=UnitFactory(kind="division"))
            MembershipFactory()
            PartnerContactFactory()

    add_items(1)
    one = query_count(clerk, path)
    add_items(2)
    assert query_count(clerk, path) == one


def test_first_committee_of_a_new_installation_creates_the_city_from_the_settings(clerk, settings):
    from beirat.directory.models import Body

    response = clerk.post(
        "/arbeitsplatz/verzeichnis/gremien/neu/",
        {
            "kind": "council",
            "name": "Stadtrat",
            "slug": "stadtrat",
            "public": "on",
        },
    )
    assert response.status_code == 302
    assert list(Body.objects.values_list("name", flat=True)) == [settings.CITY["name"]]
    assert Committee.objects.get().body.name == settings.CITY["name"]


def test_opening_a_new_form_writes_nothing(clerk):
    from beirat.core.models import AuditEntry
    from beirat.directory.models import Body

    for path in (
        "/arbeitsplatz/verzeichnis/gremien/neu/",
        "/arbeitsplatz/verzeichnis/einheiten/neu/",
        "/arbeitsplatz/rat/vorlagen/neu/",
    ):
        assert clerk.get(path).status_code == 200
    assert (Body.objects.count(), AuditEntry.objects.count()) == (0, 0)
