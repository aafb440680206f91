import datetime

import pytest

from beirat.directory.models import Committee, Membership
from tests.factories.directory import (
    CommitteeFactory,
    CooperationFactory,
    MembershipFactory,
    PartnerContactFactory,
    PartnerEventFactory,
    PartnerFactory,
    PersonFactory,
)
from tests.helpers import query_count

pytestmark = pytest.mark.django_db
MARKER = "Zqxjmarker"


def _board_with_secret_member():
    board = CommitteeFactory(
        kind=Committee.Kind.ADVISORY_BOARD, name="Digitalbeirat", slug="digitalbeirat"
    )
    member = PersonFactory(
        given_name=f"{MARKER}Vorname",
        family_name=f"{MARKER}Nachname",
        email=f"{MARKER.lower()}@example.org",
        phone="0261 999",
        biography=f"{MARKER} Biografie",
        public=True,
    )
    MembershipFactory(committee=board, person=member)
    it_stadt = PartnerFactory(name="IT.Stadt Koblenz e.V.", slug="it-stadt-koblenz")
    MembershipFactory(
        committee=board, person=None, organization=it_stadt, role=Membership.Role.ADVISORY
    )
    return board, member


def _public_pages(anonymous):
    paths = [
        "/",
        "/gremien/",
        "/gremien/digitalbeirat/",
        "/netzwerk/",
        "/netzwerk/it-stadt-koblenz/",
    ]
    return {path: anonymous.get(path).content.decode() for path in paths}


def test_board_page_names_the_advisory_organisation_but_no_member(anonymous):
    _board_with_secret_member()
    html = anonymous.get("/gremien/digitalbeirat/").content.decode()
    assert "IT.Stadt Koblenz e.V." in html
    assert "Beratendes Mitglied" in html
    assert "Namen nicht veröffentlicht" in html or "nicht veröffentlicht" in html
    assert MARKER not in html


def test_no_public_page_reveals_a_board_member(anonymous):
    _board, member = _board_with_secret_member()
    # The same person also sits in a public committee as a named member: still never shown.
    MembershipFactory(committee=CommitteeFactory(slug="stadtrat", name="Stadtrat"), person=member)
    for path, html in _public_pages(anonymous).items():
        assert MARKER not in html, path
        assert MARKER.lower() not in html, path
    assert MARKER not in anonymous.get("/gremien/stadtrat/").content.decode()


def test_positive_control_a_public_council_member_is_named(anonymous):
    council = CommitteeFactory(slug="stadtrat", name="Stadtrat", kind=Committee.Kind.COUNCIL)
    MembershipFactory(
        committee=council, person=PersonFactory(given_name="Petra", family_name=MARKER, public=True)
    )
    assert MARKER in anonymous.get("/gremien/stadtrat/").content.decode()


def test_people_not_marked_public_are_not_named(anonymous):
    council = CommitteeFactory(slug="stadtrat", kind=Committee.Kind.COUNCIL)
    MembershipFactory(committee=council, person=PersonFactory(family_name=MARKER, public=False))
    assert MARKER not in anonymous.get("/gremien/stadtrat/").content.decode()


def test_ended_memberships_are_not_shown_as_current(anonymous):
    council = CommitteeFactory(slug="stadtrat", kind=Committee.Kind.COUNCIL)
    MembershipFactory(
        committee=council,
        end_date=datetime.date(2020, 1, 1),
        start_date=datetime.date(2019, 1, 1),
        person=PersonFactory(family_name=MARKER, public=True),
    )
    assert MARKER not in anonymous.get("/gremien/stadtrat/").content.decode()


def test_committee_page_shows_earlier_names(anonymous):
    from beirat.directory import services

    board, _ = _board_with_secret_member()
    board.names.create(name="Digitalbeirat")
    services.rename_committee(
        committee=board,
        new_name="Beirat für Digitales",
        valid_from=datetime.date(2026, 1, 1),
        actor=None,
    )
    html = anonymous.get("/gremien/digitalbeirat/").content.decode()
    assert "Beirat für Digitales" in html
    assert "früher" in html
    assert "Digitalbeirat" in html


def test_non_public_committees_and_partners_answer_404_and_are_not_listed(anonymous):
    CommitteeFactory(slug="geheim", name="Interne Runde", public=False)
    PartnerFactory(slug="intern", name="Interner Partner", public=False)
    assert anonymous.get("/gremien/geheim/").status_code == 404
    assert anonymous.get("/netzwerk/intern/").status_code == 404
    assert "Interne Runde" not in anonymous.get("/gremien/").content.decode()
    assert "Interner Partner" not in anonymous.get("/netzwerk/").content.decode()


def test_network_page_shows_membership_cooperation_status_and_events(anonymous):
    partner = PartnerFactory(
        name="IT.Stadt Koblenz e.V.",
        slug="it-stadt",
        city_is_member=True,
        city_member_since=datetime.date(2018, 5, 1),
    )
    CooperationFactory(partner=partner, title="Beratende Mitwirkung", source="ST/0078/2025")
    PartnerEventFactory(partner=partner, title="Start-Up-Slam")
    PartnerContactFactory(partner=partner, function="Vertretung der Stadt im Verein")
    listing = anonymous.get("/netzwerk/").content.decode()
    assert "Stadt ist Mitglied seit 2018" in listing
    assert "in Prüfung" in listing
    detail = anonymous.get("/netzwerk/it-stadt/").content.decode()
    for text in (
        "Start-Up-Slam",
        "ST/0078/2025",
        "Vertretung der Stadt im Verein",
        "ja, seit 01.05.2018",
    ):
        assert text in detail


def test_empty_directory_shows_helpful_empty_states(anonymous):
    assert "noch keine Gremien" in anonymous.get("/gremien/").content.decode()
    assert "noch keine Netzwerkpartner" in anonymous.get("/netzwerk/").content.decode()


def test_lists_are_paginated(anonymous):
    for number in range(55):
        PartnerFactory(name=f"Partner {number:02d}")
    first = anonymous.get("/netzwerk/").content.decode()
    assert "Seite 1 von 2" in first
    assert "Partner 54" not in first
    assert "Partner 54" in anonymous.get("/netzwerk/?seite=2").content.decode()
    assert anonymous.get("/netzwerk/?seite=999").status_code == 200


@pytest.mark.parametrize("path", ["/gremien/", "/netzwerk/"])
def test_public_lists_run_the_same_number_of_queries_for_one_and_three_items(anonymous, path):
    def add_items(count):
        for _ in range(count):
            partner = PartnerFactory()
            CooperationFactory(partner=partner)
            PartnerEventFactory(partner=partner)
            PartnerContactFactory(partner=partner)
            CommitteeFactory()

    add_items(1)
    one = query_count(anonymous, path)
    add_items(2)
    assert query_count(anonymous, path) == one
