"""Public person, fraction and legislative term pages, the name search and the staff side."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from beirat.core.models import AuditEntry
from beirat.directory import queries
from beirat.directory.models import Committee, LegislativeTerm, Membership, Person, name_key
from tests.factories.directory import (
    CommitteeFactory,
    FractionFactory,
    LegislativeTermFactory,
    MembershipFactory,
    PersonFactory,
    PublicPersonFactory,
)

pytestmark = pytest.mark.django_db
START = datetime.date(2024, 7, 1)


def html(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "search"),
    [
        ("Müller", "muller"),
        ("Müller", "MÜLLER"),
        ("Müller", "mueller"),
        ("Mueller", "müller"),
        ("Weiß", "weiss"),
        ("Çelik", "celik"),
        ("Schöne-Straße", "schone-strasse"),
    ],
)
def test_the_name_search_ignores_case_and_umlauts(anonymous, name, search):
    PublicPersonFactory(given_name="Karin", family_name=name)
    PublicPersonFactory(given_name="Karin", family_name="Schmidt")
    page = html(anonymous, f"/personen/?q={search}")
    assert name in page
    assert "Schmidt" not in page


def test_the_name_search_needs_every_word_and_says_when_nobody_matches(anonymous):
    PublicPersonFactory(given_name="Erika", family_name="Mustermann")
    assert "Erika Mustermann" in html(anonymous, "/personen/?q=erika+muster")
    page = html(anonymous, "/personen/?q=erika+beispiel")
    assert "Erika Mustermann" not in page
    assert "Niemand mit dem Namen „erika beispiel“ gefunden." in page


def test_name_key_folds_what_germans_write_alike():
    assert name_key("  Dr. JÜRGEN  Müller ") == name_key("dr. juergen muller")
    assert name_key("Weiß") == "weiss"


def test_the_person_list_is_paginated_and_keeps_the_search(anonymous):
    for number in range(55):
        PublicPersonFactory(given_name="Anna", family_name=f"Meyer{number:02d}")
    first = html(anonymous, "/personen/?q=meyer")
    assert len(re.findall(r'href="/personen/\d+/"', first)) == 50
    assert 'href="?q=meyer&amp;seite=2"' in first
    second = html(anonymous, "/personen/?q=meyer&seite=2")
    assert "Meyer54" in second
    assert "Meyer00" not in second


def test_the_person_list_has_an_empty_state(anonymous):
    assert "Es sind noch keine Personen veröffentlicht." in html(anonymous, "/personen/")


def test_a_person_page_shows_fraction_committees_roles_dates_and_term(anonymous):
    term = LegislativeTermFactory()
    person = PublicPersonFactory(given_name="Frieda", family_name="Fiktiv")
    fraction = FractionFactory(name="Fraktion Moselblick")
    committee = CommitteeFactory(name="Digitalisierungsausschuss")
    MembershipFactory(person=person, committee=fraction, role="chair", start_date=START)
    MembershipFactory(
        person=person,
        committee=committee,
        role="member",
        start_date=START,
        end_date=datetime.date(2025, 3, 31),
    )
    page = html(anonymous, f"/personen/{person.pk}/")
    assert "Frieda Fiktiv" in page
    assert f'href="/fraktionen/{fraction.pk}/">Fraktion Moselblick</a> (Vorsitz)' in page
    assert "Digitalisierungsausschuss" in page
    assert "31.03.2025" in page
    assert "01.07.2024" in page
    assert term.name in page


def test_a_person_who_may_not_be_named_has_no_page(anonymous, clerk):
    hidden = PersonFactory(public=False)
    assert anonymous.get(f"/personen/{hidden.pk}/").status_code == 404
    assert clerk.get(f"/personen/{hidden.pk}/").status_code == 404
    assert anonymous.get("/personen/999999/").status_code == 404


def test_fraction_pages_list_current_and_former_members(anonymous):
    LegislativeTermFactory()
    fraction = FractionFactory(name="Fraktion Rheinufer")
    current = PublicPersonFactory(family_name="Aktuell")
    former = PublicPersonFactory(family_name="Ehemalig")
    hidden = PersonFactory(family_name="Ungenannt", public=False)
    MembershipFactory(person=current, committee=fraction, start_date=START)
    MembershipFactory(
        person=former, committee=fraction, start_date=START, end_date=datetime.date(2025, 1, 1)
    )
    MembershipFactory(person=hidden, committee=fraction, start_date=START)
    listing = html(anonymous, "/fraktionen/")
    assert "Fraktion Rheinufer" in listing
    assert "1 Mitglied" in listing
    page = html(anonymous, f"/fraktionen/{fraction.pk}/")
    assert f'href="/personen/{current.pk}/"' in page
    assert "Frühere Mitglieder" in page
    assert "Ehemalig" in page
    assert "Ungenannt" not in page
    assert "Wahlperiode 2024–2029" in page


def test_only_public_fractions_have_a_fraction_page(anonymous):
    assert anonymous.get(f"/fraktionen/{CommitteeFactory().pk}/").status_code == 404
    hidden = FractionFactory(public=False)
    assert anonymous.get(f"/fraktionen/{hidden.pk}/").status_code == 404
    assert "Es sind noch keine Fraktionen eingetragen." in html(anonymous, "/fraktionen/")


def test_the_terms_list_marks_the_current_term(anonymous):
    assert "Es sind noch keine Wahlperioden eingetragen." in html(anonymous, "/wahlperioden/")
    LegislativeTermFactory(
        name="Wahlperiode 2019–2024",
        start_date=datetime.date(2019, 7, 1),
        end_date=datetime.date(2024, 6, 30),
    )
    LegislativeTermFactory(end_date=None)
    page = html(anonymous, "/wahlperioden/")
    assert page.index("Wahlperiode 2024–2029") < page.index("Wahlperiode 2019–2024")
    assert page.count("aktuell") == 1


def test_staff_create_a_term_audited_and_overlaps_are_refused(clerk):
    response = clerk.post(
        "/arbeitsplatz/verzeichnis/wahlperioden/neu/",
        {"name": "Wahlperiode 2024–2029", "start_date": "2024-07-01", "end_date": "2029-06-30"},
    )
    assert response.status_code == 302
    term = LegislativeTerm.objects.get()
    assert AuditEntry.objects.filter(action="legislative_term.created").count() == 1
    response = clerk.post(
        "/arbeitsplatz/verzeichnis/wahlperioden/neu/",
        {"name": "Überschneidung", "start_date": "2029-01-01", "end_date": ""},
    )
    assert response.status_code == 200
    assert "überschneidet sich mit „Wahlperiode 2024–2029“" in response.content.decode()
    response = clerk.post(
        f"/arbeitsplatz/verzeichnis/wahlperioden/{term.pk}/",
        {"name": "WP 2024–2029", "start_date": "2024-07-01", "end_date": "2029-06-30"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="legislative_term.updated").count() == 1


def test_staff_enter_a_fraction_membership_with_its_dates(clerk, anonymous):
    fraction = FractionFactory()
    person = PublicPersonFactory(family_name="Eingetragen")
    response = clerk.post(
        f"/arbeitsplatz/verzeichnis/gremien/{fraction.slug}/mitglieder/",
        {
            "person": person.pk,
            "role": "chair",
            "start_date": "2024-07-01",
            "end_date": "2026-06-30",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(committee=fraction)
    assert membership.end_date == datetime.date(2026, 6, 30)
    assert AuditEntry.objects.filter(action="membership.added").exists()
    assert "Eingetragen" in html(anonymous, f"/fraktionen/{fraction.pk}/")


def test_the_demo_council_is_made_up_and_says_so(anonymous):
    call_command("load_demo", stdout=io.StringIO())
    demo_people = Person.objects.filter(demo=True)
    assert demo_people.count() == 20
    assert all(person.public for person in demo_people)
    assert LegislativeTerm.objects.get().name == "Wahlperiode 2024–2029"
    fractions = queries.public_fractions().filter(slug__startswith="demo-")
    assert sorted(fraction.member_count for fraction in fractions) == [6, 6, 7]
    assert "Demodaten: erfundene Personen" in html(anonymous, "/personen/")
    person = demo_people.get(family_name="Müller-Muster")
    page = html(anonymous, f"/personen/{person.pk}/")
    assert "Demodaten: erfundene Personen" in page
    assert "Digitalisierungsausschuss" in page
    assert "Wahlperiode 2024–2029" in page
    found = html(anonymous, "/personen/?q=muller")
    assert "Müller-Muster" in found
    assert "Fraktion Rheinufer (Demo)" in found  # the list names each person's fraction
    assert "fraktionslos" in html(anonymous, "/personen/?q=kulisse")
    assert "Demodaten" in html(anonymous, f"/fraktionen/{fractions[0].pk}/")
    # No board member of the demo is among the people.
    assert not Person.objects.filter(pk__in=queries.unnamed_persons(), public=True).exists()
    counts = (Person.objects.count(), Membership.objects.count(), Committee.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Person.objects.count(), Membership.objects.count(), Committee.objects.count()) == counts


def test_a_page_without_demo_people_has_no_demo_note(anonymous):
    PublicPersonFactory()
    assert "Demodaten" not in html(anonymous, "/personen/")
