"""Behaviour of the OParl lists and objects beyond what the schemas check."""

import datetime
import io

import orjson
import pytest
from django.core.management import call_command
from django.utils import timezone

from beirat.council import services
from beirat.council.models import Paper
from tests.factories.council import PublishedPaperFactory
from tests.helpers import query_count

pytestmark = pytest.mark.django_db
PREFIX = "http://127.0.0.1:8000"


def get(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.content
    return orjson.loads(response.content)


@pytest.fixture
def body_id():
    call_command("load_demo", stdout=io.StringIO())
    return Paper.objects.first().body_id


def test_pages_are_keyset_paged_keep_filters_and_end_without_next(anonymous, body_id):
    since = "2000-01-01T00:00:00+01:00"
    first = get(
        anonymous,
        f"/oparl/v1/body/{body_id}/paper?elementsPerPage=3"
        f"&created_since={since.replace('+', '%2B')}",
    )
    assert len(first["data"]) == 3
    assert first["pagination"] == {"elementsPerPage": 3}
    following = first["links"]["next"]
    assert "created_since=" in following
    assert "elementsPerPage=3" in following
    second = get(anonymous, following.removeprefix(PREFIX))
    assert len(second["data"]) == 1
    assert "next" not in second["links"]
    ids = [item["id"] for item in first["data"] + second["data"]]
    assert len(set(ids)) == 4


def test_a_withdrawn_paper_is_a_deleted_object_listed_only_with_modified_since(anonymous, body_id):
    paper = Paper.objects.get(reference="AF/0013/2021")
    services.withdraw_paper(paper=paper, actor=None)
    listed = get(anonymous, f"/oparl/v1/body/{body_id}/paper")
    # Still referenced by the answer (a deleted object keeps its id), but no longer listed.
    assert f"{PREFIX}/oparl/v1/paper/{paper.pk}" not in [item["id"] for item in listed["data"]]
    since = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0).isoformat()
    changed = get(
        anonymous, f"/oparl/v1/body/{body_id}/paper?modified_since={since.replace('+', '%2B')}"
    )
    deleted = [item for item in changed["data"] if item.get("deleted")]
    assert [item["id"] for item in deleted] == [f"{PREFIX}/oparl/v1/paper/{paper.pk}"]
    assert get(anonymous, f"/oparl/v1/paper/{paper.pk}")["deleted"] is True


def test_omit_internal_leaves_out_embedded_objects(anonymous, body_id):
    full = get(anonymous, f"/oparl/v1/body/{body_id}/paper")["data"]
    lean = get(anonymous, f"/oparl/v1/body/{body_id}/paper?omit_internal=true")["data"]
    assert any("mainFile" in item for item in full)
    assert not any("mainFile" in item or "consultation" in item for item in lean)
    assert [item["id"] for item in lean] == [item["id"] for item in full]


def test_outcomes_votes_and_mandates_are_extension_fields(anonymous, body_id):
    statement = Paper.objects.get(reference="ST/0078/2025")
    payload = get(anonymous, f"/oparl/v1/paper/{statement.pk}")
    route = payload["consultation"][0]
    assert (route["beirat:outcome"], route["beirat:outcomeLabel"]) == ("unanimous", "einstimmig")
    titles = [item["title"] for item in payload["beirat:mandates"]]
    assert titles == [
        "Beratende Mitwirkung von IT.Stadt Koblenz e. V. in städtischen Gremien prüfen",
        "Kooperation mit der PD – Berater der öffentlichen Hand GmbH prüfen",
    ]


def test_answer_and_inquiry_are_linked_both_ways(anonymous, body_id):
    answer = Paper.objects.get(reference="AW/0011/2021")
    inquiry = answer.responds_to
    assert get(anonymous, f"/oparl/v1/paper/{answer.pk}")["superordinatedPaper"] == [
        f"{PREFIX}/oparl/v1/paper/{inquiry.pk}"
    ]
    assert get(anonymous, f"/oparl/v1/paper/{inquiry.pk}")["subordinatedPaper"] == [
        f"{PREFIX}/oparl/v1/paper/{answer.pk}"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "modified_since=gestern",
        "limit=0",
        "limit=-5",
        "limit=100000",
        "after=-1",
        "elementsPerPage=abc",
    ],
)
def test_bad_parameters_answer_400_in_oparl_style(anonymous, query):
    paper = PublishedPaperFactory()
    error = get(anonymous, f"/oparl/v1/body/{paper.body_id}/paper?{query}", status=400)
    assert error["code"] == 400


def test_conditional_requests_answer_304(anonymous):
    paper = PublishedPaperFactory()
    first = anonymous.get(f"/oparl/v1/paper/{paper.pk}")
    again = anonymous.get(f"/oparl/v1/paper/{paper.pk}", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert first["Last-Modified"]


def test_unknown_and_non_public_objects_look_the_same(anonymous):
    hidden = PublishedPaperFactory(public=False)
    unknown = get(anonymous, "/oparl/v1/paper/987654", status=404)
    secret = get(anonymous, f"/oparl/v1/paper/{hidden.pk}", status=404)
    assert unknown == secret


def test_paper_list_runs_the_same_number_of_queries_for_one_and_three_papers(anonymous):
    from tests.factories.council import AgendaItemFactory, ConsultationFactory, MandateFactory

    def add(count):
        for _ in range(count):
            paper = PublishedPaperFactory()
            item = AgendaItemFactory(paper=paper)
            ConsultationFactory(
                paper=paper,
                committee=item.meeting.committee,
                meeting=item.meeting,
                agenda_item=item,
            )
            MandateFactory(paper=paper)

    add(1)
    path = f"/oparl/v1/body/{Paper.objects.first().body_id}/paper"
    one = query_count(anonymous, path)
    add(2)
    assert query_count(anonymous, path) == one


def test_organization_list_pages_through_committees_and_then_offices(anonymous, body_id):
    from beirat.directory.models import Committee, OrganizationalUnit

    path = f"/oparl/v1/body/{body_id}/organization?elementsPerPage=2"
    seen = []
    while path:
        page = get(anonymous, path)
        seen += [item["id"] for item in page["data"]]
        path = page["links"].get("next", "").removeprefix(PREFIX)
    committees = Committee.objects.filter(public=True).count()
    offices = OrganizationalUnit.objects.count()
    assert len(seen) == len(set(seen)) == committees + offices
    kinds = [identifier.rsplit("/", 1)[1][0] for identifier in seen]
    assert kinds == ["c"] * committees + ["u"] * offices


def test_the_body_embeds_its_legislative_terms_and_lists_them(anonymous, body_id):
    body = get(anonymous, f"/oparl/v1/body/{body_id}")
    [term] = body["legislativeTerm"]
    assert term["name"] == "Wahlperiode 2024–2029"
    assert (term["startDate"], term["endDate"]) == ("2024-07-01", "2029-06-30")
    assert term["body"] == f"{PREFIX}/oparl/v1/body/{body_id}"
    assert get(anonymous, term["id"].removeprefix(PREFIX)) == term
    listed = get(anonymous, f"/oparl/v1/body/{body_id}/legislativeterm")
    assert listed["data"] == [term]


def test_a_council_member_is_a_person_with_a_fraction_membership(anonymous, body_id):
    from beirat.directory.models import Person

    member = Person.objects.get(family_name="Mustermann", given_name="Erika")
    person = get(anonymous, f"/oparl/v1/person/{member.pk}")
    assert person["name"] == "Erika Mustermann"
    assert person["body"] == f"{PREFIX}/oparl/v1/body/{body_id}"
    assert person["web"] == f"{PREFIX}/personen/{member.pk}/"
    kinds = {}
    for membership in person["membership"]:
        organization = get(anonymous, membership["organization"].removeprefix(PREFIX))
        kinds[organization["name"]] = (organization["organizationType"], membership["role"])
        assert membership["person"] == person["id"]
    assert kinds["Fraktion Rheinufer (Demo)"] == ("Fraktion", "Vorsitz")
    assert kinds["Stadtrat"] == ("Gremium", "Mitglied")
    fraction_id = next(m["organization"] for m in person["membership"] if "Vorsitz" in m["role"])
    fraction = get(anonymous, fraction_id.removeprefix(PREFIX))
    assert len(fraction["membership"]) == 7
