import io

import pytest
from django.core.management import call_command

from beirat.core.models import AuditEntry
from beirat.directory import queries
from beirat.directory.models import Committee, Membership, PartnerOrganization


@pytest.mark.django_db
def test_demo_builds_koblenz_and_a_second_run_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    counts = (
        Committee.objects.count(),
        PartnerOrganization.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert (
        Committee.objects.count(),
        PartnerOrganization.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert "Verzeichnis: 0 neu angelegt" in output.getvalue()


@pytest.mark.django_db
def test_demo_board_has_its_history_and_advisory_participant_but_names_no_member(anonymous):
    call_command("load_demo", stdout=io.StringIO())
    board = Committee.objects.get(slug="digitalbeirat")
    assert board.name == "Digitalbeirat"
    assert queries.name_history_of(board) == ["IT-Beirat"]
    assert [m.member_label for m in queries.public_members_of(board)] == ["IT.Stadt Koblenz e.V."]
    html = anonymous.get("/gremien/digitalbeirat/").content.decode()
    for family_name in ("Ehrenfeld", "Rheinländer", "Kastor"):
        assert family_name not in html


@pytest.mark.django_db
def test_demo_network_names_the_partners_of_the_seed_papers():
    call_command("load_demo", stdout=io.StringIO())
    names = set(PartnerOrganization.objects.values_list("short_name", flat=True))
    assert {
        "IT.Stadt",
        "R56+",
        "TZK",
        "Start-Up-League",
        "WWA",
        "Initiative Koblenz-Mittelrhein",
        "Mittelrhein-Digital",
        "PD",
        "IHK",
        "HWK",
        "Uni",
        "WHU",
        "HS",
        "Wirtschaftsjunioren",
    } <= names
    league = PartnerOrganization.objects.get(slug="start-up-league")
    assert league.participants.count() == 7
