import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from beirat.council.models import Paper, paper_url_maker
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MandateFactory,
    MeetingFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import CommitteeFactory
from tests.helpers import query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def koblenz():
    call_command("load_demo", stdout=io.StringIO())


def _text(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_answer_page_shows_every_field_and_every_question_and_answer_in_order(anonymous, koblenz):
    page = _text(anonymous, "/vorlagen/AW-0011-2021/")
    html = page[page.index("<main") :]
    expected = [
        "Antwort zur Anfrage Nr. AF/0013/2021",
        "Antwort zur Anfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats",
        "12.04.2021",
        "Dezernat 1",
        "80-Amt für Wirtschaftsförderung",
        "22.04.2021",
        "Stadtrat",
        "Ö 5 öffentlich",
        ">Kenntnis<",
        "Antwort zur Anfrage:",
        "Die Corona-Pandemie hat die große Notwendigkeit",
        "1. Fanden bereits erste Sitzungen des IT-Beirats statt",
        "Ja, die Sitzungen fanden statt am 09.10.2020 und 24.03.2021.",
        "2. Auf welche Weise werden Inhalte und Zielsetzungen",
        "Der IT-Beirat ist ehrenamtlich tätig.",
        "3. Auf welche Weise werden die Inhalte und Zielsetzungen",
        "4. Können auch Ideen der Umsetzung von außen",
        "Einen direkten Kontakt ist jedoch zum Schutze der ehrenamtlich arbeitenden Mitglieder",
        "5. Ist grundsätzlich eine Zusammenarbeit mit der Wirtschaft",
        "Auswirkungen auf den Klimaschutz",
        "keine",
        'href="/vorlagen/AF-0013-2021/"',
    ]
    positions = [html.find(text) for text in expected]
    assert -1 not in positions, [t for t, p in zip(expected, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_statement_page_shows_outcome_mandates_and_both_links(anonymous, koblenz):
    html = _text(anonymous, "/vorlagen/ST-0078-2025/")
    for text in (
        "Stellungnahme zum Antrag Nr. AT/0080/2025",
        "10-Amt für Personal und Organisation",
        "einstimmig",
        "Antwort zu 4. Kooperation mit der PD GmbH:",
        "Finanzielle Auswirkungen",
        "Beschlussempfehlung",
        "Kooperation mit der PD – Berater der öffentlichen Hand GmbH prüfen",
    ):
        assert text in html
    assert "/vorlagen/ST-0078-2025/" in _text(anonymous, "/vorlagen/AT-0080-2025/")


def test_paper_list_filters_by_type_year_committee_and_originator(anonymous, koblenz):
    def numbers(query):
        html = _text(anonymous, f"/vorlagen/?{query}")
        return [
            ref
            for ref in ("AF/0013/2021", "AW/0011/2021", "AT/0080/2025", "ST/0078/2025")
            if ref in html
        ]

    assert numbers("") == ["AF/0013/2021", "AW/0011/2021", "AT/0080/2025", "ST/0078/2025"]
    assert numbers("paper_type=statement") == ["ST/0078/2025"]
    assert numbers("year=2021") == ["AF/0013/2021", "AW/0011/2021"]
    fdp = _fraction_id("fdp-fraktion")
    assert numbers(f"originator={fdp}") == ["AT/0080/2025"]
    council = _fraction_id("stadtrat")
    assert numbers(f"committee={council}") == ["AW/0011/2021", "ST/0078/2025"]


@pytest.mark.parametrize(
    "reference", ["AF/0013/2021", "0815 1. Erg.", "Ä%/?#&x", "a+b;c=d", "~:@!$'()*,"]
)
def test_paper_addresses_made_for_a_list_are_those_reverse_makes(reference):
    assert paper_url_maker()(reference) == Paper(reference=reference).get_absolute_url()


def test_paper_list_rows_show_number_link_subject_originator_type_and_date(anonymous):
    fraction = CommitteeFactory(name="Fraktion <Grün>")
    PublishedPaperFactory(
        reference="AF/0007/2021",
        name="Ampeln & Apps",
        originator=fraction,
        paper_type=Paper.Type.MOTION,
        date=datetime.date(2021, 3, 4),
    )
    row = (
        '<td class="kern-table__cell" data-label="Nummer"><a class="kern-link" '
        'href="/vorlagen/AF-0007-2021/">AF/0007/2021</a></td> '
        '<td class="kern-table__cell" data-label="Betreff">Ampeln &amp; Apps<br>'
        '<span class="kern-body--small beirat-muted">Fraktion &lt;Grün&gt;</span></td> '
        '<td class="kern-table__cell" data-label="Art">Antrag</td> '
        '<td class="kern-table__cell" data-label="Datum">04.03.2021</td>'
    )
    assert row in _text(anonymous, "/vorlagen/")
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _text(anonymous, "/vorlagen/")
    assert '<td class="kern-table__cell" data-label="Type">Motion</td>' in english
    assert '<td class="kern-table__cell" data-label="Date">04.03.2021</td>' in english


def test_the_route_is_sorted_as_the_database_sorts_it_by_route_order():
    from beirat.council import queries

    paper = PublishedPaperFactory()
    for planned, position in [
        (datetime.date(2021, 5, 1), 3),
        (None, 2),
        (datetime.date(2021, 3, 1), 5),
        (None, 1),
        (datetime.date(2021, 5, 1), 1),
        (datetime.date(2021, 5, 1), 1),
    ]:
        ConsultationFactory(paper=paper, planned_date=planned, position=position)
    by_database = list(
        paper.consultations.order_by(*queries.ROUTE_ORDER).values_list("pk", flat=True)
    )

    assert [entry.pk for entry in queries.route_of(paper)] == by_database
    assert [entry.pk for entry in queries.route_for_staff(paper)] == by_database


def test_a_number_two_bodies_share_shows_the_paper_with_the_lowest_key():
    from django.contrib.auth.models import AnonymousUser

    from beirat.council import queries

    papers = [
        PublishedPaperFactory(reference=reference, source_name="Altsystem", date=day)
        for reference, day in [
            ("0815/2014", datetime.date(2014, 1, 1)),
            ("0815-2014", datetime.date(2020, 1, 1)),
            ("AF/0009/2021", datetime.date(2014, 1, 1)),
        ]
    ]
    papers.append(PublishedPaperFactory(reference="AF/0009/2021", date=datetime.date(2020, 1, 1)))

    assert queries.get_paper_for(AnonymousUser(), "0815-2014") == papers[0]
    assert queries.get_paper_for(AnonymousUser(), "AF-0009-2021") == papers[2]


def test_the_agenda_is_in_its_order_with_each_item_s_first_route_entry():
    from django.contrib.auth.models import AnonymousUser

    from beirat.council import queries

    meeting = MeetingFactory(public=True)
    later = AgendaItemFactory(meeting=meeting, order=2, public=True)
    first = AgendaItemFactory(meeting=meeting, order=1, public=True)
    entries = [ConsultationFactory(agenda_item=later, meeting=meeting) for _ in range(3)]

    rows = queries.agenda_of(AnonymousUser(), meeting)

    assert [row.item for row in rows] == [first, later]
    assert rows[1].result.consultation == entries[0]


def _fraction_id(slug):
    from beirat.directory.models import Committee

    return Committee.objects.get(slug=slug).pk


def test_invalid_filters_are_ignored_instead_of_failing(anonymous, koblenz):
    html = _text(anonymous, "/vorlagen/?year=abc&committee=99999&paper_type=%3Cscript%3E")
    assert "ST/0078/2025" in html


def test_empty_filter_result_explains_itself(anonymous, koblenz):
    assert "Keine Vorlage passt zu diesen Filtern." in _text(
        anonymous, "/vorlagen/?year=2021&paper_type=statement"
    )


def test_non_public_board_meetings_are_not_listed_but_council_meetings_are(anonymous, koblenz):
    html = _text(anonymous, "/sitzungen/")
    assert "22.04.2021" in html
    assert "26.06.2025" in html
    assert "09.10.2020" not in html


def test_meeting_page_lists_public_items_with_their_papers_and_outcome(anonymous, koblenz):
    from beirat.council.models import Meeting

    meeting = Meeting.objects.get(start__date=datetime.date(2025, 6, 26))
    html = _text(anonymous, f"/sitzungen/{meeting.pk}/")
    assert "Ö 12" in html
    assert "ST/0078/2025" in html
    assert "einstimmig" in html
    assert "Der Stadtrat beauftragt die Verwaltung" in html


def test_non_public_agenda_items_are_hidden_from_the_public(anonymous, clerk):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, name="Öffentlicher Bericht")
    AgendaItemFactory(meeting=meeting, name="Vertrauliche Personalsache", public=False)
    assert "Vertrauliche Personalsache" not in _text(anonymous, f"/sitzungen/{meeting.pk}/")
    assert "Vertrauliche Personalsache" in _text(clerk, f"/sitzungen/{meeting.pk}/")


def test_an_unpublished_paper_on_a_public_agenda_is_not_linked(anonymous):
    draft = PublishedPaperFactory(
        status=Paper.Status.REGISTERED, reference="AF/0099/2021", sequence=99
    )
    item = AgendaItemFactory(paper=draft)
    assert "/vorlagen/AF-0099-2021/" not in _text(anonymous, f"/sitzungen/{item.meeting.pk}/")


def test_mandates_page_counts_states_and_marks_overdue(anonymous):
    MandateFactory(due_date=datetime.date(2020, 1, 1))
    MandateFactory(status="done", completed_on=datetime.date(2025, 1, 1))
    html = _text(anonymous, "/beschlusskontrolle/")
    assert "überfällig" in html
    assert "<strong>1</strong> erledigt" in html


def test_paper_pdf_is_served_inline_and_follows_changes(anonymous):
    from beirat.council import services

    paper = PublishedPaperFactory(name="Erster Betreff")
    first = anonymous.get(f"/vorlagen/{paper.reference_slug}/pdf/")
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == f'inline; filename="{paper.reference_slug}.pdf"'
    assert first.content.startswith(b"%PDF")
    paper.name = "Geänderter Betreff"
    services.update_paper(paper=paper, actor=None)
    second = anonymous.get(f"/vorlagen/{paper.reference_slug}/pdf/")
    assert second.content != first.content


@pytest.mark.parametrize("path", ["/vorlagen/", "/sitzungen/", "/beschlusskontrolle/"])
def test_public_lists_run_the_same_number_of_queries_for_one_and_three_items(
    anonymous, path, django_capture_on_commit_callbacks
):
    def add_items(count):
        # committed, so that values cached per change of the papers are computed again
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(count):
                paper = PublishedPaperFactory(originator=CommitteeFactory(kind="fraction"))
                ConsultationFactory(paper=paper)
                MeetingFactory()
                MandateFactory(paper=paper).progress.create(note="Stand", public=True)

    add_items(1)
    one = query_count(anonymous, path)
    add_items(2)
    assert query_count(anonymous, path) == one


def test_the_paper_list_counts_again_after_a_change(anonymous, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        PublishedPaperFactory(date=datetime.date(2019, 5, 1))
    first = anonymous.get("/vorlagen/")
    with django_capture_on_commit_callbacks(execute=True):
        PublishedPaperFactory(date=datetime.date(2024, 5, 1))
        withdrawn = PublishedPaperFactory()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn.delete()

    second = anonymous.get("/vorlagen/")

    assert first.context["page"].paginator.count == 1
    assert second.context["page"].paginator.count == 2
    assert (2024, "2024") in second.context["form"].fields["year"].choices
