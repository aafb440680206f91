"""Searching: relevance on the demo data, visibility, facets, filters and bad input."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from beirat.council.models import Paper
from beirat.search import queries
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
    PaperFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import CommitteeFactory, PartnerFactory

ANONYMOUS = AnonymousUser()


def references(results):
    return [hit.reference for hit in results.hits]


# Relevance on the demo data: these papers must come first ------------------------------------

RELEVANCE_SET = [
    ("AF/0013/2021", "AF/0013/2021"),
    ("af 13/2021", "AF/0013/2021"),
    ("Antwort AW/0011/2021", "AW/0011/2021"),
    ("Arbeit des IT-Beirats", "AF/0013/2021"),
    ('"Kooperationen stärken"', "AT/0080/2025"),
    ("Stellungnahme Kooperationen", "ST/0078/2025"),
    ("Antraege Kooperation", "AT/0080/2025"),
    ("Mitgliedschaft besteht bereits", "ST/0078/2025"),
    ("Sitzungen Digitalbeirat 2021 Fanden", "AW/0011/2021"),
]


@pytest.mark.parametrize(("text", "first"), RELEVANCE_SET)
def test_relevance_set_on_demo_data(demo, search_index, text, first):
    search_index.sync()

    results = queries.search(ANONYMOUS, text)

    assert results.hits, f"nothing found for {text!r}"
    assert results.hits[0].reference == first


def test_typo_finds_similar_spelling_and_suggests_the_word(demo, search_index):
    search_index.sync()

    results = queries.search(ANONYMOUS, "Digitalisirung")

    assert results.fuzzy
    assert results.total > 0
    assert results.suggestion == "Digitalisierung"


def test_compound_part_finds_the_compound(search_index):
    paper = PublishedPaperFactory(name="Einführung einer Parkplatzsuche in der Altstadt")
    other = PublishedPaperFactory(name="Parkplatz-App mit Echtzeitbelegung")
    search_index.sync()

    found = {hit.reference for hit in queries.search(ANONYMOUS, "Parkplatz").hits}

    assert found == {paper.reference, other.reference}


def test_prefix_and_exclusion(search_index):
    digital = PublishedPaperFactory(name="Digitalisierung der Schulen")
    PublishedPaperFactory(name="Digitale Verwaltung im Haushalt")
    search_index.sync()

    assert references(queries.search(ANONYMOUS, "Digital* -Haushalt")) == [digital.reference]


def test_phrase_needs_the_words_in_order(search_index):
    ordered = PublishedPaperFactory(name="Offene Daten für alle")
    PublishedPaperFactory(name="Daten sind offen")
    search_index.sync()

    assert references(queries.search(ANONYMOUS, '"offene Daten"')) == [ordered.reference]


# Visibility: staff-only documents never reach the public -----------------------------------


def test_planted_non_public_paper_stays_hidden_from_the_public(search_index, clerk_user):
    PaperFactory(name="Geheimhaltungsstufe Zebrastreifen", public=False)  # draft, not public
    PublishedPaperFactory(name="Öffentlicher Zebrastreifen")
    hidden = PublishedPaperFactory(name="Interner Zebrastreifen", public=False)
    search_index.sync()

    public = queries.search(ANONYMOUS, "Zebrastreifen")
    staff = queries.search(clerk_user, "Zebrastreifen")

    assert [str(hit.title) for hit in public.hits] == ["Öffentlicher <mark>Zebrastreifen</mark>"]
    assert public.total == 1
    assert sum(value.count for value in public.facets["status"]) == 1
    assert staff.total == 3
    assert hidden.reference in references(staff)
    assert queries.search(ANONYMOUS, "Geheimhaltungsstufe").total == 0
    assert queries.search(ANONYMOUS, "Geheimhaltungsstufx").suggestion == ""


def test_meeting_hidden_agenda_items_only_for_clerks_and_never_twice(search_index, clerk_user):
    meeting = MeetingFactory(name="Sitzung des Digitalbeirats")
    AgendaItemFactory(meeting=meeting, name="Bericht zur Glasfaserstrategie")
    AgendaItemFactory(
        meeting=meeting, name="Personalangelegenheit Vertraulichkeitsstufe", public=False
    )
    search_index.sync()

    assert queries.search(ANONYMOUS, "Vertraulichkeitsstufe").total == 0
    assert queries.search(ANONYMOUS, "Glasfaserstrategie").total == 1
    assert queries.search(clerk_user, "Vertraulichkeitsstufe").total == 1
    assert queries.search(clerk_user, "Glasfaserstrategie").total == 1  # the full twin only


def test_non_public_committee_meetings_are_staff_only(search_index, clerk_user):
    committee = CommitteeFactory(public=False, name="Ältestenrat")
    MeetingFactory(committee=committee, name="Klausur Ältestenrat")
    search_index.sync()

    assert queries.search(ANONYMOUS, "Klausur").total == 0
    assert queries.search(clerk_user, "Klausur").total == 1


def test_publishing_a_paper_makes_it_findable(search_index):
    paper = PublishedPaperFactory(name="Förderprogramm Sonnendach", public=False)
    search_index.sync()
    assert queries.search(ANONYMOUS, "Sonnendach").total == 0

    paper.public = True
    paper.save()
    search_index.sync()

    assert references(queries.search(ANONYMOUS, "Sonnendach")) == [paper.reference]


def test_deleted_objects_disappear(search_index):
    partner = PartnerFactory(name="Verein Quantenrechner Koblenz")
    search_index.sync()
    assert queries.search(ANONYMOUS, "Quantenrechner").total == 1

    partner.delete()
    search_index.sync()

    assert queries.search(ANONYMOUS, "Quantenrechner").total == 0


def test_section_change_reindexes_its_paper(search_index):
    paper = PublishedPaperFactory(name="Anfrage")
    search_index.sync()
    paper.sections.create(position=1, kind="text", text="Die Wasserstoffstrategie der Stadt")
    search_index.sync()

    assert references(queries.search(ANONYMOUS, "Wasserstoffstrategie")) == [paper.reference]


# Facets, filters, sorting, pages -------------------------------------------------------------


def test_facets_count_and_filter(search_index):
    committee = CommitteeFactory(name="Ausschuss für Digitales")
    old = PublishedPaperFactory(name="Breitband im Stadtteil", date="2020-05-01")
    new = PublishedPaperFactory(name="Breitband im Gewerbegebiet", paper_type=Paper.Type.MOTION)
    ConsultationFactory(paper=new, committee=committee)
    search_index.sync()

    results = queries.search(ANONYMOUS, "Breitband")
    facets = {name: {v.label: v.count for v in values} for name, values in results.facets.items()}

    assert facets["type"] == {"Anfrage": 1, "Antrag": 1}
    assert facets["year"] == {"2021": 1, "2020": 1}
    assert facets["committee"] == {"Ausschuss für Digitales": 1}
    filtered = queries.search(ANONYMOUS, "Breitband", queries.Filters(committee=committee.pk))
    assert references(filtered) == [new.reference]
    by_type = queries.search(ANONYMOUS, "Breitband", queries.Filters(type="paper:motion"))
    assert references(by_type) == [new.reference]
    # The chosen facet keeps its other values, so one click switches; the others narrow.
    assert {v.label: v.count for v in by_type.facets["type"]} == {"Anfrage": 1, "Antrag": 1}
    assert {v.label: v.count for v in by_type.facets["year"]} == {"2021": 1}
    assert references(queries.search(ANONYMOUS, "Breitband", queries.Filters(year=2020))) == [
        old.reference
    ]
    assert references(queries.search(ANONYMOUS, "Breitband", sort=queries.OLDEST)) == [
        old.reference,
        new.reference,
    ]


def test_pages_of_ten(search_index):
    PublishedPaperFactory.create_batch(13, name="Stadtbücherei Öffnungszeiten")
    search_index.sync()

    first = queries.search(ANONYMOUS, "Stadtbücherei")
    second = queries.search(ANONYMOUS, "Stadtbücherei", page=2)

    assert (first.total, len(first.hits), len(second.hits), first.pages) == (13, 10, 3, 2)
    assert not {hit.object_id for hit in first.hits} & {hit.object_id for hit in second.hits}


# The page, with bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "x" * 10_000,
        '"*:()^-+~',
        "% _",
        "'; DROP TABLE council_paper; --",
        "\x00\x01\ufffd",
        '"unclosed phrase',
        "-",
        "**",
        "a*",
        "AF/99999/2021",
    ],
)
def test_bad_input_gives_a_normal_page(anonymous, search_index, query):
    PublishedPaperFactory(name="Digitalisierung")
    search_index.sync()

    response = anonymous.get(reverse("search:search"), {"q": query, "jahr": "x", "seite": "-3"})

    assert response.status_code == 200


def test_invalid_utf8_in_the_address_gives_a_normal_page(anonymous, search_index):
    search_index.sync()

    response = anonymous.get("/suche/?q=%ff%fe%80&art=%c3%28")

    assert response.status_code == 200


def test_page_shows_hits_snippets_and_facets(anonymous, search_index):
    PublishedPaperFactory(name="Digitale Schule", recommended_resolution="Tablets für alle Schulen")
    search_index.sync()

    response = anonymous.get(reverse("search:search"), {"q": "Schulen"})

    content = response.content.decode()
    assert "1 Treffer für „Schulen“" in content
    assert "<mark>Schule</mark>" in content
    assert "Tablets für alle <mark>Schulen</mark>" in content
    assert 'Anfrage</a> <span class="beirat-muted">(1)</span>' in content


def test_page_without_words_shows_examples(anonymous, search_index):
    search_index.sync()

    response = anonymous.get(reverse("search:search"))

    assert response.status_code == 200
    assert "?q=Digitalbeirat" in response.content.decode()


def test_page_without_index_says_so(anonymous, db):
    response = anonymous.get(reverse("search:search"), {"q": "Digitalisierung"})

    assert "gerade aufgebaut" in response.content.decode()


def test_empty_result_helps(anonymous, search_index):
    search_index.sync()

    response = anonymous.get(reverse("search:search"), {"q": "Nichtvorhandenes"})

    assert "Nichts gefunden" in response.content.decode()


def test_paper_list_filters_by_text_through_the_index(anonymous, search_index):
    wanted = PublishedPaperFactory(name="Anträge zur Smart City")
    PublishedPaperFactory(name="Haushaltssatzung")
    search_index.sync()

    response = anonymous.get(reverse("council:papers"), {"q": "Antrag"})

    assert [row["id"] for row in response.context["page"].object_list] == [wanted.pk]


def test_search_page_runs_the_same_queries_for_one_and_three_hits(
    anonymous, search_index, django_assert_num_queries
):
    committee = CommitteeFactory()
    ConsultationFactory(paper=PublishedPaperFactory(name="Sensornetz"), committee=committee)
    search_index.sync()
    queries.forget_facet_names()
    with django_assert_num_queries(1):  # the committee names of the facet (cached a minute)
        anonymous.get(reverse("search:search"), {"q": "Sensornetz"})
    for _ in range(2):
        ConsultationFactory(paper=PublishedPaperFactory(name="Sensornetz"), committee=committee)
    search_index.sync()
    queries.forget_facet_names()

    with django_assert_num_queries(1):
        response = anonymous.get(reverse("search:search"), {"q": "Sensornetz"})

    assert response.context["results"].total == 3


def test_mandate_progress_is_found_and_non_public_notes_stay_hidden(search_index, clerk_user):
    from tests.factories.council import MandateFactory

    mandate = MandateFactory(title="Beratende Mitwirkung prüfen")
    mandate.progress.create(note="Gespräch mit dem Verein geführt")
    mandate.progress.create(note="Vertrauliche Honorarfrage", public=False)
    search_index.sync()

    assert queries.search(ANONYMOUS, "Gespräch Verein").total == 1
    assert queries.search(ANONYMOUS, "Honorarfrage").total == 0
    assert queries.search(clerk_user, "Honorarfrage").total == 1
    assert queries.search(clerk_user, "Gespräch Verein").total == 1  # the twin, once
    hit = queries.search(ANONYMOUS, "Mitwirkung").hits[0]
    assert hit.url == f"{mandate.paper.get_absolute_url()}#auftrag-{mandate.pk}"


def test_similar_finds_documents_sharing_rare_words(search_index):
    near = PublishedPaperFactory(name="Ladesäulen für Elektroautos am Deinhardplatz")
    PublishedPaperFactory(name="Haushaltssatzung der Stadt")
    search_index.sync()

    hits = queries.similar(
        ANONYMOUS, "Mehr Ladesäulen am Deinhardplatz, bitte!", kinds=["paper"], limit=5
    )

    assert [hit.object_id for hit in hits] == [near.pk]


def test_committee_names_are_read_once_and_again_after_a_rename(search_index):
    from beirat.directory.services import rename_committee

    committee = CommitteeFactory(name="Ausschuss A")
    ConsultationFactory(paper=PublishedPaperFactory(name="Funknetz"), committee=committee)
    search_index.sync()
    assert queries.search(ANONYMOUS, "Funknetz").facets["committee"][0].label == "Ausschuss A"

    rename_committee(
        committee=committee,
        new_name="Ausschuss B",
        valid_from=datetime.date(2025, 1, 1),
        actor=None,
    )

    assert queries.search(ANONYMOUS, "Funknetz").facets["committee"][0].label == "Ausschuss B"
