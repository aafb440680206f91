"""Every URL × persona × object state (STYLE.md 10, DESIGN.md section 2).

A URL of one of our apps that is missing from TABLE fails test_every_url_is_in_the_table.
Non-public objects answer 404 to anyone who may not see them; staff pages send anonymous
visitors to the login (302) and answer 404 to logged-in users without the right.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from beirat.core.tracking_codes import new_tracking_code
from beirat.council.models import Paper
from beirat.directory.models import Committee
from tests.conftest import PERSONAS
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MandateFactory,
    MeetingFactory,
    PaperFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import (
    CommitteeFactory,
    CooperationFactory,
    MembershipFactory,
    PartnerContactFactory,
    PartnerEventFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
)
from tests.factories.submissions import SubmissionFactory

OUR_NAMESPACES = {
    "core",
    "directory",
    "council",
    "oparl",
    "search",
    "submissions",
    "board",
    "ingest",
}
NOBODY = dict.fromkeys(PERSONAS, 404)  # the API shows public data only, whoever asks
EVERYONE_OK = dict.fromkeys(PERSONAS, 200)
POST_ONLY = dict.fromkeys(PERSONAS, 405)
UNKNOWN_CODE = new_tracking_code()
EVERYONE_REDIRECT = dict.fromkeys(PERSONAS, 302)
LOGGED_IN_OK = {**EVERYONE_OK, "anonymous": 302}
MANAGERS = {
    "anonymous": 302,
    "no_role": 404,
    "triage": 404,
    "board_member": 404,
    "office": 404,
    "clerk": 200,
    "admin": 200,
}
ADMINS = {**MANAGERS, "clerk": 404}
TRIAGE_ONLY = {**MANAGERS, "clerk": 404, "admin": 404, "triage": 200}
TRIAGE_POST_ONLY = {**TRIAGE_ONLY, "triage": 405}
OFFICE_ONLY = {**MANAGERS, "clerk": 404, "admin": 404, "office": 200}
OTHER_OFFICE = {**OFFICE_ONLY, "office": 404}  # a forwarding to another office than theirs
HIDDEN_FROM_PUBLIC = {**dict.fromkeys(PERSONAS, 404), "clerk": 200, "admin": 200}
BOARD_AREA = {**TRIAGE_ONLY, "board_member": 200}  # members and IT management, nobody else
MEMBERS_POST_ONLY = {**MANAGERS, "clerk": 404, "admin": 404, "board_member": 405}
NOBODY_PUBLIC = dict.fromkeys(PERSONAS, 404)
MANAGERS_POST_ONLY = {**MANAGERS, "clerk": 405, "admin": 405}


@dataclass(frozen=True)
class Case:
    state: str
    kwargs: Any  # callable(world) -> dict of URL kwargs
    expected: dict[str, int]


def no_kwargs(world):
    return {}


TABLE: dict[str, list[Case]] = {
    "core:home": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:workplace": [Case("-", no_kwargs, LOGGED_IN_OK)],
    "core:audit_log": [Case("-", no_kwargs, ADMINS)],
    "core:accessibility": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:privacy": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:imprint": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:easy_language": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:branding": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:switch_language": [Case("-", lambda w: {"language": "en"}, EVERYONE_REDIRECT)],
    "directory:committees": [Case("-", no_kwargs, EVERYONE_OK)],
    "directory:committee": [
        Case("public", lambda w: {"slug": w["committee"].slug}, EVERYONE_OK),
        Case("advisory board", lambda w: {"slug": w["board"].slug}, EVERYONE_OK),
        Case("non-public", lambda w: {"slug": w["hidden_committee"].slug}, HIDDEN_FROM_PUBLIC),
        Case("unknown", lambda w: {"slug": "gibt-es-nicht"}, dict.fromkeys(PERSONAS, 404)),
    ],
    "directory:network": [Case("-", no_kwargs, EVERYONE_OK)],
    "directory:partner": [
        Case("public", lambda w: {"slug": w["partner"].slug}, EVERYONE_OK),
        Case("non-public", lambda w: {"slug": w["hidden_partner"].slug}, HIDDEN_FROM_PUBLIC),
    ],
    "directory:staff_index": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_units": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_unit_new": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_unit_edit": [Case("-", lambda w: {"pk": w["unit"].pk}, MANAGERS)],
    "directory:staff_committees": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_committee_new": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_committee_edit": [
        Case("public", lambda w: {"slug": w["committee"].slug}, MANAGERS),
        Case("non-public", lambda w: {"slug": w["hidden_committee"].slug}, MANAGERS),
    ],
    "directory:staff_committee_rename": [
        Case("-", lambda w: {"slug": w["committee"].slug}, MANAGERS)
    ],
    "directory:staff_committee_members": [
        Case("advisory board", lambda w: {"slug": w["board"].slug}, MANAGERS)
    ],
    "directory:staff_membership_end": [Case("-", lambda w: {"pk": w["membership"].pk}, MANAGERS)],
    "directory:staff_persons": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_person_new": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_person_edit": [Case("-", lambda w: {"pk": w["person"].pk}, MANAGERS)],
    "directory:staff_partners": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_partner_new": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_partner": [
        Case("public", lambda w: {"slug": w["partner"].slug}, MANAGERS),
        Case("non-public", lambda w: {"slug": w["hidden_partner"].slug}, MANAGERS),
    ],
    "directory:staff_partner_edit": [Case("-", lambda w: {"slug": w["partner"].slug}, MANAGERS)],
    "directory:staff_contact_new": [Case("-", lambda w: {"slug": w["partner"].slug}, MANAGERS)],
    "directory:staff_contact_edit": [Case("-", lambda w: {"pk": w["contact"].pk}, MANAGERS)],
    "directory:staff_contact_remove": [Case("-", lambda w: {"pk": w["contact"].pk}, MANAGERS)],
    "directory:staff_cooperation_new": [Case("-", lambda w: {"slug": w["partner"].slug}, MANAGERS)],
    "directory:staff_cooperation_edit": [
        Case("-", lambda w: {"pk": w["cooperation"].pk}, MANAGERS)
    ],
    "directory:staff_event_new": [Case("-", lambda w: {"slug": w["partner"].slug}, MANAGERS)],
    "directory:staff_event_edit": [Case("-", lambda w: {"pk": w["event"].pk}, MANAGERS)],
    "oparl:system": [Case("-", no_kwargs, EVERYONE_OK)],
    "oparl:bodies": [Case("-", no_kwargs, EVERYONE_OK)],
    "oparl:openapi": [Case("-", no_kwargs, EVERYONE_OK)],
    "oparl:not_found": [Case("-", no_kwargs, NOBODY)],
    "oparl:body_list": [
        Case("papers", lambda w: {"body_id": w["paper"].body_id, "kind": "paper"}, EVERYONE_OK),
        Case("unknown list", lambda w: {"body_id": w["paper"].body_id, "kind": "secret"}, NOBODY),
    ],
    "oparl:object": [
        Case("published", lambda w: {"kind": "paper", "key": w["paper"].pk}, EVERYONE_OK),
        Case("registered", lambda w: {"kind": "paper", "key": w["registered_paper"].pk}, NOBODY),
        Case("non-public", lambda w: {"kind": "paper", "key": w["hidden_paper"].pk}, NOBODY),
        Case(
            "withdrawn (deleted)",
            lambda w: {"kind": "paper", "key": w["withdrawn_paper"].pk},
            EVERYONE_OK,
        ),
        Case(
            "non-public meeting",
            lambda w: {"kind": "meeting", "key": w["hidden_meeting"].pk},
            NOBODY,
        ),
        Case(
            "board member", lambda w: {"kind": "person", "key": w["membership"].person_id}, NOBODY
        ),
    ],
    "oparl:file_download": [
        Case("published", lambda w: {"key": w["paper"].pk}, EVERYONE_OK),
        Case("non-public", lambda w: {"key": w["hidden_paper"].pk}, NOBODY),
    ],
    "council:papers": [Case("-", no_kwargs, EVERYONE_OK)],
    # What each persona finds is tested in tests/search (planted staff-only documents).
    "search:search": [Case("-", no_kwargs, EVERYONE_OK)],
    # The tracking code is the key: whoever has it may follow and manage the submission.
    "submissions:lookup": [Case("-", no_kwargs, EVERYONE_OK)],
    "submissions:new": [Case("-", no_kwargs, EVERYONE_OK)],
    "submissions:track": [
        Case("known code", lambda w: {"code": w["submission"].tracking_code}, EVERYONE_OK),
        Case("unknown code", lambda w: {"code": UNKNOWN_CODE}, NOBODY),
    ],
    "submissions:add_information": [
        Case("GET", lambda w: {"code": w["submission"].tracking_code}, POST_ONLY)
    ],
    "submissions:withdraw": [
        Case("open", lambda w: {"code": w["submission"].tracking_code}, EVERYONE_OK),
        Case("unknown code", lambda w: {"code": UNKNOWN_CODE}, NOBODY),
    ],
    "submissions:erase_contact": [
        Case("with contact", lambda w: {"code": w["submission"].tracking_code}, EVERYONE_OK),
        Case("unknown code", lambda w: {"code": UNKNOWN_CODE}, NOBODY),
    ],
    "submissions:export": [
        Case("known code", lambda w: {"code": w["submission"].tracking_code}, EVERYONE_OK),
        Case("unknown code", lambda w: {"code": UNKNOWN_CODE}, NOBODY),
    ],
    "submissions:confirm_email": [
        Case(
            "bad token",
            lambda w: {"code": w["submission"].tracking_code, "token": "x"},
            dict.fromkeys(PERSONAS, 302),
        ),
        Case("unknown code", lambda w: {"code": UNKNOWN_CODE, "token": "x"}, NOBODY),
    ],
    "submissions:office": [Case("-", no_kwargs, OFFICE_ONLY)],
    **{
        f"submissions:{name}": [
            Case("other office", lambda w: {"pk": w["forwarding"].pk}, OTHER_OFFICE)
        ]
        for name in (
            "office_forwarding",
            "office_accept",
            "office_hand_back",
            "office_progress",
            "office_close",
        )
    },
    # Contact data: IT management only (not even admins).
    "submissions:queue": [Case("-", no_kwargs, TRIAGE_ONLY)],
    "submissions:staff_detail": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_assign": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_POST_ONLY)],
    "submissions:staff_topic": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_POST_ONLY)],
    "submissions:staff_note": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_POST_ONLY)],
    "submissions:staff_reply": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_forward": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_merge": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_decline": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_attachment": [Case("-", lambda w: {"pk": w["attachment"].pk}, TRIAGE_ONLY)],
    "submissions:staff_topics": [Case("-", no_kwargs, TRIAGE_ONLY)],
    "submissions:staff_topic_new": [Case("-", no_kwargs, TRIAGE_ONLY)],
    "submissions:staff_topic_edit": [Case("-", lambda w: {"pk": w["topic"].pk}, TRIAGE_ONLY)],
    "submissions:staff_text_blocks": [Case("-", no_kwargs, TRIAGE_ONLY)],
    "submissions:staff_text_block_new": [Case("-", no_kwargs, TRIAGE_ONLY)],
    "submissions:staff_text_block_edit": [
        Case("-", lambda w: {"pk": w["text_block"].pk}, TRIAGE_ONLY)
    ],
    "board:public": [Case("-", no_kwargs, EVERYONE_OK)],
    "board:statements": [Case("-", no_kwargs, EVERYONE_OK)],
    "board:statement": [Case("-", lambda w: {"pk": w["statement"].pk}, EVERYONE_OK)],
    "board:public_report_file": [
        Case("public", lambda w: {"pk": w["public_report"].pk}, EVERYONE_OK),
        Case("non-public", lambda w: {"pk": w["hidden_report"].pk}, NOBODY_PUBLIC),
    ],
    "board:recommendations": [Case("-", no_kwargs, EVERYONE_OK)],
    "board:recommendations_csv": [Case("-", no_kwargs, EVERYONE_OK)],
    "board:recommendation": [
        Case("public", lambda w: {"pk": w["recommendation"].pk}, EVERYONE_OK),
        Case("non-public", lambda w: {"pk": w["hidden_recommendation"].pk}, NOBODY_PUBLIC),
    ],
    "board:workplace": [Case("-", no_kwargs, BOARD_AREA)],
    "board:ask": [Case("-", no_kwargs, TRIAGE_ONLY)],
    "board:request": [Case("-", lambda w: {"pk": w["expert_request"].pk}, BOARD_AREA)],
    "board:answer": [Case("-", lambda w: {"pk": w["expert_request"].pk}, MEMBERS_POST_ONLY)],
    "board:close": [Case("-", lambda w: {"pk": w["expert_request"].pk}, TRIAGE_POST_ONLY)],
    "board:publish": [Case("-", lambda w: {"pk": w["expert_request"].pk}, TRIAGE_ONLY)],
    "board:meetings": [Case("-", no_kwargs, BOARD_AREA)],
    "board:meeting": [
        Case("board meeting", lambda w: {"pk": w["board_meeting"].pk}, BOARD_AREA),
        Case(
            "council meeting",
            lambda w: {"pk": w["meeting"].pk},
            {**BOARD_AREA, "triage": 404, "board_member": 404},
        ),
    ],
    "board:report_new": [Case("-", lambda w: {"pk": w["board_meeting"].pk}, TRIAGE_ONLY)],
    "board:report_file": [Case("-", lambda w: {"pk": w["hidden_report"].pk}, BOARD_AREA)],
    "board:staff_recommendations": [Case("-", no_kwargs, TRIAGE_ONLY)],
    "board:staff_recommendations_csv": [Case("-", no_kwargs, TRIAGE_ONLY)],
    "board:staff_recommendation_new": [Case("-", no_kwargs, TRIAGE_ONLY)],
    **{
        f"board:{name}": [
            Case("public", lambda w: {"pk": w["recommendation"].pk}, TRIAGE_ONLY),
            Case("non-public", lambda w: {"pk": w["hidden_recommendation"].pk}, TRIAGE_ONLY),
        ]
        for name in (
            "staff_recommendation",
            "staff_recommendation_edit",
            "staff_recommendation_assign",
            "staff_recommendation_progress",
            "staff_milestone_new",
        )
    },
    "board:office": [Case("-", no_kwargs, OFFICE_ONLY)],
    **{
        f"board:{name}": [
            Case("own office", lambda w: {"pk": _own_assignment(w)}, OFFICE_ONLY),
            Case("other office", lambda w: {"pk": w["assignment"].pk}, OTHER_OFFICE),
        ]
        for name in ("office_assignment", "office_acknowledge", "office_progress")
    },
    "ingest:imports": [Case("-", no_kwargs, MANAGERS)],
    "ingest:record": [Case("-", lambda w: {"pk": w["import_record"].pk}, MANAGERS)],
    "ingest:confirm": [Case("-", lambda w: {"pk": w["import_record"].pk}, MANAGERS_POST_ONLY)],
    "ingest:original": [Case("-", lambda w: {"pk": w["import_record"].pk}, MANAGERS)],
    "ingest:paper_original": [
        Case(
            "public, imported",
            lambda w: {"reference": _with_original(w["paper"]).reference_slug},
            EVERYONE_OK,
        ),
        Case("public, typed in", lambda w: {"reference": w["paper"].reference_slug}, NOBODY_PUBLIC),
        Case(
            "non-public, imported",
            lambda w: {"reference": _with_original(w["hidden_paper"]).reference_slug},
            HIDDEN_FROM_PUBLIC,
        ),
    ],
    "council:paper": [
        Case("published", lambda w: {"reference": w["paper"].reference_slug}, EVERYONE_OK),
        Case(
            "registered",
            lambda w: {"reference": w["registered_paper"].reference_slug},
            HIDDEN_FROM_PUBLIC,
        ),
        Case(
            "non-public",
            lambda w: {"reference": w["hidden_paper"].reference_slug},
            HIDDEN_FROM_PUBLIC,
        ),
        Case(
            "withdrawn",
            lambda w: {"reference": w["withdrawn_paper"].reference_slug},
            HIDDEN_FROM_PUBLIC,
        ),
        Case("malformed", lambda w: {"reference": "AF-0013"}, dict.fromkeys(PERSONAS, 404)),
    ],
    "council:paper_pdf": [
        Case("published", lambda w: {"reference": w["paper"].reference_slug}, EVERYONE_OK),
        Case(
            "non-public",
            lambda w: {"reference": w["hidden_paper"].reference_slug},
            HIDDEN_FROM_PUBLIC,
        ),
    ],
    "council:meetings": [Case("-", no_kwargs, EVERYONE_OK)],
    "council:meeting": [
        Case("public", lambda w: {"pk": w["meeting"].pk}, EVERYONE_OK),
        Case("non-public", lambda w: {"pk": w["hidden_meeting"].pk}, HIDDEN_FROM_PUBLIC),
    ],
    "council:mandates": [Case("-", no_kwargs, EVERYONE_OK)],
    "council:workplace": [Case("-", no_kwargs, MANAGERS)],
    "council:staff_papers": [Case("-", no_kwargs, MANAGERS)],
    "council:staff_paper_new": [Case("-", no_kwargs, MANAGERS)],
    "council:staff_paper": [
        Case("draft", lambda w: {"pk": w["draft_paper"].pk}, MANAGERS),
        Case("published", lambda w: {"pk": w["paper"].pk}, MANAGERS),
    ],
    "council:staff_paper_edit": [Case("-", lambda w: {"pk": w["draft_paper"].pk}, MANAGERS)],
    "council:staff_paper_register": [Case("-", lambda w: {"pk": w["draft_paper"].pk}, MANAGERS)],
    "council:staff_paper_publish": [
        Case("-", lambda w: {"pk": w["registered_paper"].pk}, MANAGERS)
    ],
    "council:staff_paper_withdraw": [Case("-", lambda w: {"pk": w["paper"].pk}, MANAGERS)],
    "council:staff_section_new": [Case("-", lambda w: {"paper_pk": w["paper"].pk}, MANAGERS)],
    "council:staff_section_edit": [Case("-", lambda w: {"pk": w["section"].pk}, MANAGERS)],
    "council:staff_consultation_new": [Case("-", lambda w: {"paper_pk": w["paper"].pk}, MANAGERS)],
    "council:staff_consultation_outcome": [
        Case("-", lambda w: {"pk": w["consultation"].pk}, MANAGERS)
    ],
    "council:staff_mandate_new": [Case("-", lambda w: {"paper_pk": w["paper"].pk}, MANAGERS)],
    "council:staff_meetings": [Case("-", no_kwargs, MANAGERS)],
    "council:staff_meeting_new": [Case("-", no_kwargs, MANAGERS)],
    "council:staff_meeting": [
        Case("non-public", lambda w: {"pk": w["hidden_meeting"].pk}, MANAGERS)
    ],
    "council:staff_meeting_edit": [Case("-", lambda w: {"pk": w["meeting"].pk}, MANAGERS)],
    "council:staff_decision": [Case("-", lambda w: {"pk": w["agenda_item"].pk}, MANAGERS)],
    "council:staff_mandates": [Case("-", no_kwargs, MANAGERS)],
    "council:staff_mandate_progress": [Case("-", lambda w: {"pk": w["mandate"].pk}, MANAGERS)],
}


@pytest.fixture
def world(db):
    board = CommitteeFactory(kind=Committee.Kind.ADVISORY_BOARD, slug="digitalbeirat")
    partner = PartnerFactory(slug="it-stadt")
    return {
        "committee": CommitteeFactory(slug="stadtrat"),
        "board": board,
        "hidden_committee": CommitteeFactory(slug="interne-runde", public=False),
        "partner": partner,
        "hidden_partner": PartnerFactory(slug="intern", public=False),
        "unit": UnitFactory(),
        "person": PersonFactory(),
        "membership": MembershipFactory(committee=board),
        "contact": PartnerContactFactory(partner=partner),
        "cooperation": CooperationFactory(partner=partner),
        "event": PartnerEventFactory(partner=partner),
        **_submissions_world(),
        **_council_world(),
        **_board_world(board),
        "import_record": _import_record(),
    }


def _submissions_world():
    from django.core.files.base import ContentFile

    from beirat.submissions.models import TextBlock
    from tests.factories.submissions import TopicFactory

    submission = SubmissionFactory()
    attachment = submission.attachments.create(name="a.pdf", content_type="application/pdf", size=5)
    attachment.file.save("a", ContentFile(b"%PDF-"))
    return {
        "submission": submission,
        "forwarding": submission.forwardings.create(office=UnitFactory()),
        "attachment": attachment,
        "topic": TopicFactory(),
        "text_block": TextBlock.objects.create(title="Dank", text="Vielen Dank."),
    }


def _board_world(board):
    from django.core.files.base import ContentFile

    from beirat.board.models import OfficeAssignment, Report
    from tests.factories.board import (
        BoardStatementFactory,
        ExpertRequestFactory,
        RecommendationFactory,
    )

    board_meeting = MeetingFactory(committee=board, public=False)
    reports = {}
    for name, public in (("public_report", True), ("hidden_report", False)):
        meeting = MeetingFactory(committee=board, public=public)
        report = Report(meeting=meeting, kind="activities", title=name, public=public)
        report.file.save("report", ContentFile(b"%PDF-1.4"), save=False)
        report.save()
        reports[name] = report
    recommendation = RecommendationFactory()
    return {
        "board_meeting": board_meeting,
        **reports,
        "expert_request": ExpertRequestFactory(),
        "statement": BoardStatementFactory(),
        "recommendation": recommendation,
        "hidden_recommendation": RecommendationFactory(public=False),
        "assignment": OfficeAssignment.objects.create(
            recommendation=recommendation, office=UnitFactory()
        ),
    }


def _own_assignment(world):
    """An assignment to the office persona's office (number 80, tests/conftest.py), made when
    the case runs: the persona's fixture creates that office after the world."""
    from beirat.board.models import OfficeAssignment
    from beirat.directory.models import OrganizationalUnit

    unit = OrganizationalUnit.objects.filter(number="80", kind="office").first() or UnitFactory()
    found, _created = OfficeAssignment.objects.get_or_create(
        recommendation=world["recommendation"], office=unit
    )
    return found.pk


def _import_record():
    from django.core.files.base import ContentFile

    from beirat.ingest.models import ImportRecord

    record = ImportRecord(file_name="alt.txt", sha256="0" * 64, status="failed", reason="x")
    record.original.save("original", ContentFile(b"Text"), save=False)
    record.save()
    return record


def _with_original(paper):
    """The paper, now with the file it was imported from."""
    from django.core.files.base import ContentFile

    from beirat.ingest.models import ImportRecord

    if not paper.imports.exists():
        record = ImportRecord(file_name="vorlage.txt", sha256="1" * 64, status="imported")
        record.paper = paper
        record.original.save("original", ContentFile(b"Vorlage"), save=False)
        record.save()
    return paper


def _council_world():
    paper = PublishedPaperFactory()
    meeting = MeetingFactory()
    return {
        "paper": paper,
        "draft_paper": PaperFactory(),
        "registered_paper": PublishedPaperFactory(status=Paper.Status.REGISTERED),
        "hidden_paper": PublishedPaperFactory(public=False),
        "withdrawn_paper": PublishedPaperFactory(status=Paper.Status.WITHDRAWN),
        "section": paper.sections.create(position=1, kind="text", text="Text"),
        "consultation": ConsultationFactory(paper=paper),
        "meeting": meeting,
        "hidden_meeting": MeetingFactory(public=False),
        "agenda_item": AgendaItemFactory(meeting=meeting),
        "mandate": MandateFactory(paper=paper),
    }


def _our_url_names(patterns=None, namespace=None):
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            names |= _our_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and namespace in OUR_NAMESPACES and pattern.name:
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_url_is_in_the_table():
    assert _our_url_names() - set(TABLE) == set()
    assert set(TABLE) - _our_url_names() == set()


CASES = [
    pytest.param(name, case, persona, id=f"{name}[{case.state}]-{persona}")
    for name, cases in TABLE.items()
    for case in cases
    for persona in PERSONAS
]


@pytest.mark.parametrize(("url_name", "case", "persona"), CASES)
def test_permission(url_name, case, persona, world, request):
    client = request.getfixturevalue(persona)
    response = client.get(reverse(url_name, kwargs=case.kwargs(world)))
    assert response.status_code == case.expected[persona]
