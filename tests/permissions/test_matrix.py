"""Permissions as one table: every URL × persona × object state.

Every URL pattern the resolver knows is covered: our apps by TABLE, the account pages of
allauth by ACCOUNT_TABLE, the Django admin by a rule (closed to every persona; only an
operator account with is_staff gets in). A pattern missing from them fails
test_every_url_is_in_the_table.

Non-public objects answer 404 to anyone who may not see them; staff pages send anonymous
visitors to the login (302) and answer 404 to logged-in users without the right.

Submitters have no account and no cookie: the tracking code is their key. "submitter" knows
the code of the world's submission; "other_submitter" knows only the code of another one and
uses it wherever the URL asks for a code: they get their own submission, never the world's.
Unless a case says otherwise, both are treated like anonymous visitors.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from beirat.core.tracking_codes import new_tracking_code
from beirat.council.models import Paper
from beirat.directory.models import Committee
from beirat.submissions.models import Submission
from tests.conftest import PERSONAS
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    FixedAgendaMeetingFactory,
    MandateFactory,
    MeetingFactory,
    PaperAttachmentFactory,
    PaperFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import (
    CommitteeFactory,
    CooperationFactory,
    FractionFactory,
    LegislativeTermFactory,
    MembershipFactory,
    PartnerContactFactory,
    PartnerEventFactory,
    PartnerFactory,
    PersonFactory,
    PublicPersonFactory,
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
    "figures",
    "oparlsync",
    "alerts",
}
NOBODY = dict.fromkeys(PERSONAS, 404)  # the API shows public data only, whoever asks
EVERYONE_OK = dict.fromkeys(PERSONAS, 200)
POST_ONLY = dict.fromkeys(PERSONAS, 405)
UNKNOWN_CODE = new_tracking_code()
SUBMITTERS = ("submitter", "other_submitter")
MATRIX_PERSONAS = [*PERSONAS, *SUBMITTERS]
PLANTED_TITLE = "Eingabe A mit geheimem Inhalt"
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
    "privacy": 404,
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
# Which account is behind a board member's pseudonym: the privacy role alone.
PRIVACY_ONLY = {**MANAGERS, "clerk": 404, "admin": 404, "privacy": 200}
# A changed or made-up link of an alert mail: a page that says so, whoever asks.
BAD_LINK = dict.fromkeys(PERSONAS, 400)
# A board member's own record in the directory: no staff page names them, managers included.
SHIELDED = {**MANAGERS, "clerk": 404, "admin": 404}


@dataclass(frozen=True)
class Case:
    state: str
    kwargs: Any  # callable(world) -> dict of URL kwargs
    expected: dict[str, int]
    # callable(world) -> what a permitted persona POSTs, for a URL whose form is on another
    # page (the queue's selection); the POST matrix sends it in place of the page's own form.
    post: Any = None


def no_kwargs(world):
    return {}


def _closed_committees_meeting(world):
    """A public meeting of the non-public committee (made once, when the first persona asks)."""
    from django.utils import timezone

    from beirat.council.models import Meeting

    meeting, _created = Meeting.objects.get_or_create(
        committee=world["hidden_committee"], defaults={"start": timezone.now()}
    )
    return {"pk": meeting.pk}


def _bulk_post(action):
    """The queue's selection as IT management sends it: the world's submission ticked, an
    account of IT management to assign it to, a topic and an answer that closes it."""

    def data(world):
        from beirat.core.roles import Role
        from tests.factories.core import user_with_role

        assignee = user_with_role(Role.TRIAGE, username="zuweisung")
        return {
            "auswahl": [world["submission"].pk, world["other_submission"].pk],
            "aktion": action,
            "assignee": assignee.pk,
            "topic": world["topic"].pk,
            "text": "Vielen Dank, erledigt.",
            "zurueck": "",
        }

    return data


TABLE: dict[str, list[Case]] = {
    "core:home": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:workplace": [Case("-", no_kwargs, LOGGED_IN_OK)],
    "core:audit_log": [Case("-", no_kwargs, ADMINS)],
    "core:sign_in_settings": [Case("-", no_kwargs, ADMINS)],
    # allauth's single sign-on views, wrapped (core/sso_views.py): no provider configured here
    "core:sso_oidc_login": [Case("-", lambda w: {"provider_id": "stadt"}, NOBODY)],
    "core:sso_oidc_callback": [Case("-", lambda w: {"provider_id": "stadt"}, NOBODY)],
    "core:sso_saml_login": [Case("-", lambda w: {"organization_slug": "stadt"}, NOBODY)],
    "core:sso_saml_finish_acs": [Case("-", lambda w: {"organization_slug": "stadt"}, NOBODY)],
    "core:accessibility": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:privacy": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:retention": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:imprint": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:easy_language": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:open_data": [Case("-", no_kwargs, EVERYONE_OK)],
    "figures:page": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:branding": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:switch_language": [Case("-", lambda w: {"language": "en"}, EVERYONE_REDIRECT)],
    # Operations (tests/core/test_operations.py): /readyz is 503 here (no search index, no
    # media folder); /metrics answers the test client's loopback address and no one behind a
    # proxy or elsewhere.
    "core:healthz": [Case("-", no_kwargs, EVERYONE_OK)],
    "core:readyz": [Case("-", no_kwargs, dict.fromkeys(PERSONAS, 503))],
    "core:metrics": [Case("-", no_kwargs, EVERYONE_OK)],
    "directory:committees": [Case("-", no_kwargs, EVERYONE_OK)],
    "directory:committee": [
        Case("public", lambda w: {"slug": w["committee"].slug}, EVERYONE_OK),
        Case("advisory board", lambda w: {"slug": w["board"].slug}, EVERYONE_OK),
        Case("non-public", lambda w: {"slug": w["hidden_committee"].slug}, HIDDEN_FROM_PUBLIC),
        Case("unknown", lambda w: {"slug": "gibt-es-nicht"}, dict.fromkeys(PERSONAS, 404)),
    ],
    "directory:persons": [Case("-", no_kwargs, EVERYONE_OK)],
    "directory:person": [
        Case("public", lambda w: {"pk": w["public_person"].pk}, EVERYONE_OK),
        Case("not to be named", lambda w: {"pk": w["person"].pk}, NOBODY_PUBLIC),
        # The identity shield wins over public=True and a seat in the council.
        Case("board member", lambda w: {"pk": w["public_board_person"].pk}, NOBODY_PUBLIC),
        Case("unknown", lambda w: {"pk": 999_999}, NOBODY_PUBLIC),
    ],
    "directory:fractions": [Case("-", no_kwargs, EVERYONE_OK)],
    "directory:fraction": [
        Case("public", lambda w: {"pk": w["fraction"].pk}, EVERYONE_OK),
        Case("non-public", lambda w: {"pk": w["hidden_fraction"].pk}, NOBODY_PUBLIC),
        Case("not a fraction", lambda w: {"pk": w["committee"].pk}, NOBODY_PUBLIC),
    ],
    "directory:legislative_terms": [Case("-", no_kwargs, EVERYONE_OK)],
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
    "directory:staff_membership_end": [
        Case("-", lambda w: {"pk": w["membership"].pk}, MANAGERS),
        Case("board member", lambda w: {"pk": w["board_membership"].pk}, SHIELDED),
    ],
    "directory:staff_persons": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_person_new": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_person_edit": [
        Case("-", lambda w: {"pk": w["person"].pk}, MANAGERS),
        Case("board member", lambda w: {"pk": w["board_membership"].person.pk}, SHIELDED),
    ],
    "directory:staff_terms": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_term_new": [Case("-", no_kwargs, MANAGERS)],
    "directory:staff_term_edit": [Case("-", lambda w: {"pk": w["term"].pk}, MANAGERS)],
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
        Case(
            "public person",
            lambda w: {"kind": "person", "key": w["public_person"].pk},
            EVERYONE_OK,
        ),
        Case(
            "board member in the council",
            lambda w: {"kind": "person", "key": w["public_board_person"].pk},
            NOBODY,
        ),
        Case(
            "legislative term",
            lambda w: {"kind": "legislativeterm", "key": w["term"].pk},
            EVERYONE_OK,
        ),
        Case(
            "invitation",
            lambda w: {"kind": "file", "key": f"i{w['coming_meeting'].pk}"},
            EVERYONE_OK,
        ),
        Case(
            "minutes ahead", lambda w: {"kind": "file", "key": f"p{w['coming_meeting'].pk}"}, NOBODY
        ),
        Case(
            "non-public meeting's invitation",
            lambda w: {"kind": "file", "key": f"i{w['hidden_held_meeting'].pk}"},
            NOBODY,
        ),
        Case("official PDF", lambda w: {"kind": "file", "key": w["paper"].pk}, EVERYONE_OK),
        Case(
            "attachment",
            lambda w: {"kind": "file", "key": f"a{w['paper_attachment'].pk}"},
            EVERYONE_OK,
        ),
        *(
            Case(
                f"attachment of a {state} paper",
                lambda w, state=state: {
                    "kind": "file",
                    "key": f"a{w[f'{state}_paper_attachment'].pk}",
                },
                NOBODY,
            )
            for state in ("registered", "hidden", "withdrawn")
        ),
    ],
    "oparl:file_download": [
        Case("published", lambda w: {"key": w["paper"].pk}, EVERYONE_OK),
        Case("non-public", lambda w: {"key": w["hidden_paper"].pk}, NOBODY),
        Case("invitation", lambda w: {"key": f"i{w['coming_meeting'].pk}"}, EVERYONE_OK),
        Case("agenda not fixed", lambda w: {"key": f"i{w['meeting'].pk}"}, NOBODY),
        Case("minutes", lambda w: {"key": f"p{w['meeting'].pk}"}, EVERYONE_OK),
        Case("minutes ahead", lambda w: {"key": f"p{w['coming_meeting'].pk}"}, NOBODY),
        Case("non-public meeting", lambda w: {"key": f"p{w['hidden_held_meeting'].pk}"}, NOBODY),
        Case("unknown prefix", lambda w: {"key": f"x{w['meeting'].pk}"}, NOBODY),
        Case("attachment", lambda w: {"key": f"a{w['paper_attachment'].pk}"}, EVERYONE_OK),
        *(
            Case(
                f"attachment of a {state} paper",
                lambda w, state=state: {"key": f"a{w[f'{state}_paper_attachment'].pk}"},
                NOBODY,
            )
            for state in ("registered", "hidden", "withdrawn")
        ),
        Case("unknown kind of file", lambda w: {"key": f"z{w['paper_attachment'].pk}"}, NOBODY),
    ],
    "council:papers": [Case("-", no_kwargs, EVERYONE_OK)],
    # Calendars and feeds hold public records only, whoever asks: a closed or unknown subject
    # is 404 for every persona, clerks included (tests/council/test_calendars_and_feeds.py).
    "council:papers_feed": [Case("-", no_kwargs, EVERYONE_OK)],
    "council:meetings_feed": [Case("-", no_kwargs, EVERYONE_OK)],
    "council:calendar": [Case("-", no_kwargs, EVERYONE_OK)],
    "council:meeting_calendar": [
        Case("public", lambda w: {"pk": w["meeting"].pk}, EVERYONE_OK),
        Case("non-public", lambda w: {"pk": w["hidden_meeting"].pk}, NOBODY),
        Case("of a non-public committee", _closed_committees_meeting, NOBODY),
        Case("unknown", lambda w: {"pk": 999_999}, NOBODY),
    ],
    **{
        f"council:committee_{kind}": [
            Case("public", lambda w: {"slug": w["committee"].slug}, EVERYONE_OK),
            Case("non-public", lambda w: {"slug": w["hidden_committee"].slug}, NOBODY),
            Case("unknown", lambda w: {"slug": "gibt-es-nicht"}, NOBODY),
        ]
        for kind in ("feed", "calendar")
    },
    "search:feed": [Case("-", no_kwargs, EVERYONE_OK)],
    # What each persona finds is tested in tests/search (planted staff-only documents).
    "search:search": [Case("-", no_kwargs, EVERYONE_OK)],
    # The tracking code is the key: whoever has it may follow and manage the submission.
    "submissions:lookup": [Case("-", no_kwargs, EVERYONE_OK)],
    "submissions:new": [Case("-", no_kwargs, EVERYONE_OK)],
    "submissions:track": [
        Case("known code", lambda w: {"code": w["submission"].tracking_code}, EVERYONE_OK),
        Case("withdrawn", lambda w: {"code": w["withdrawn_submission"].tracking_code}, EVERYONE_OK),
        Case("merged", lambda w: {"code": w["merged_submission"].tracking_code}, EVERYONE_OK),
        Case("unknown code", lambda w: {"code": UNKNOWN_CODE}, NOBODY),
    ],
    "submissions:add_information": [
        Case("GET", lambda w: {"code": w["submission"].tracking_code}, POST_ONLY)
    ],
    "submissions:withdraw": [
        Case("open", lambda w: {"code": w["submission"].tracking_code}, EVERYONE_OK),
        Case(
            "withdrawn",
            lambda w: {"code": w["withdrawn_submission"].tracking_code},
            EVERYONE_REDIRECT,
        ),
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
    "submissions:receipt": [
        Case("known code", lambda w: {"code": w["submission"].tracking_code}, EVERYONE_OK),
        Case("unknown code", lambda w: {"code": UNKNOWN_CODE}, NOBODY),
    ],
    # The submitter's own attachment, only under its own submission's code.
    "submissions:attachment": [
        Case(
            "own attachment",
            lambda w: {"code": w["submission"].tracking_code, "pk": w["attachment"].pk},
            # The other submitter's own code does not open the world's attachment.
            {**EVERYONE_OK, "other_submitter": 404},
        ),
        Case(
            "another submission's code",
            lambda w: {"code": w["other_submission"].tracking_code, "pk": w["attachment"].pk},
            NOBODY,
        ),
        Case("unknown code", lambda w: {"code": UNKNOWN_CODE, "pk": w["attachment"].pk}, NOBODY),
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
    # An attachment reaches an office only when IT management released it for that forwarding.
    "submissions:office_attachment": [
        Case(
            "other office, released there",
            lambda w: {"pk": w["forwarding"].pk, "attachment_pk": w["attachment"].pk},
            OTHER_OFFICE,
        ),
        Case(
            "own office, released",
            lambda w: _own_forwarding_attachment(w, released=True),
            OFFICE_ONLY,
        ),
        Case(
            "own office, not released",
            lambda w: _own_forwarding_attachment(w, released=False),
            OTHER_OFFICE,
        ),
    ],
    **{
        f"submissions:{name}": [
            Case("other office", lambda w: {"pk": w["forwarding"].pk}, OTHER_OFFICE),
            Case("own office", lambda w: {"pk": _own_forwarding(w)}, OFFICE_ONLY),
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
    # The queue's selection: assign, set the topic or go on to close (POST from the queue) …
    "submissions:staff_bulk": [
        Case(action, no_kwargs, TRIAGE_POST_ONLY, post=_bulk_post(action))
        for action in ("zuweisen", "thema", "abschliessen")
    ],
    # … and the confirmation of closing, which shows what it closes and takes the answer.
    "submissions:staff_bulk_close": [
        Case("-", no_kwargs, TRIAGE_ONLY, post=_bulk_post("abschliessen"))
    ],
    "submissions:staff_detail": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_assign": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_POST_ONLY)],
    "submissions:staff_topic": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_POST_ONLY)],
    "submissions:staff_note": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_POST_ONLY)],
    "submissions:staff_reply": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_forward": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_release_attachments": [
        Case("-", lambda w: {"pk": w["forwarding"].pk}, TRIAGE_POST_ONLY)
    ],
    "submissions:staff_merge": [Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_ONLY)],
    "submissions:staff_not_similar": [
        Case("-", lambda w: {"pk": w["submission"].pk}, TRIAGE_POST_ONLY)
    ],
    "submissions:staff_similarity_labels": [Case("-", no_kwargs, TRIAGE_ONLY)],
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
    "board:statements_feed": [Case("-", no_kwargs, EVERYONE_OK)],
    "board:statement": [Case("-", lambda w: {"pk": w["statement"].pk}, EVERYONE_OK)],
    "board:public_report_file": [
        Case("public", lambda w: {"pk": w["public_report"].pk}, EVERYONE_OK),
        Case("non-public", lambda w: {"pk": w["hidden_report"].pk}, NOBODY_PUBLIC),
    ],
    "board:recommendations": [Case("-", no_kwargs, EVERYONE_OK)],
    "board:recommendations_csv": [Case("-", no_kwargs, EVERYONE_OK)],
    "board:recommendations_feed": [Case("-", no_kwargs, EVERYONE_OK)],
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
    "board:pseudonyms": [Case("-", no_kwargs, PRIVACY_ONLY)],
    # E-mail alerts: no account, the signed link from the mail is the key (tests/alerts). The
    # subscribe page needs a public thing to follow in its query (none here: 404 for all).
    "alerts:subscribe": [Case("nothing to follow", no_kwargs, NOBODY)],
    "alerts:confirm": [
        Case("link from the mail", lambda w: {"token": w["alert_links"]["confirm"]}, EVERYONE_OK),
        Case("forged link", lambda w: {"token": w["alert_links"]["forged"]}, BAD_LINK),
    ],
    "alerts:unsubscribe": [
        Case(
            "link from the mail", lambda w: {"token": w["alert_links"]["unsubscribe"]}, EVERYONE_OK
        ),
        Case("forged link", lambda w: {"token": w["alert_links"]["forged"]}, BAD_LINK),
    ],
    "alerts:manage": [
        Case("link from the mail", lambda w: {"token": w["alert_links"]["manage"]}, EVERYONE_OK),
        Case("forged link", lambda w: {"token": w["alert_links"]["forged"]}, BAD_LINK),
    ],
    "alerts:delete_all": [
        Case("link from the mail", lambda w: {"token": w["alert_links"]["manage"]}, EVERYONE_OK),
        Case("forged link", lambda w: {"token": w["alert_links"]["forged"]}, BAD_LINK),
    ],
    "alerts:staff_erase": [Case("-", no_kwargs, PRIVACY_ONLY)],
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
    "oparlsync:sources": [Case("-", no_kwargs, MANAGERS)],
    "oparlsync:source": [Case("-", lambda w: {"pk": w["oparl_source"].pk}, MANAGERS)],
    "oparlsync:source_edit": [Case("-", lambda w: {"pk": w["oparl_source"].pk}, MANAGERS)],
    "oparlsync:source_run": [Case("-", lambda w: {"pk": w["oparl_source"].pk}, MANAGERS_POST_ONLY)],
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
    "council:paper_attachment": [
        Case(
            "published",
            lambda w: {"reference": w["paper"].reference_slug, "pk": w["paper_attachment"].pk},
            EVERYONE_OK,
        ),
        *(
            Case(
                state,
                lambda w, state=state: {
                    "reference": w[f"{state}_paper"].reference_slug,
                    "pk": w[f"{state}_paper_attachment"].pk,
                },
                HIDDEN_FROM_PUBLIC,
            )
            for state in ("registered", "hidden", "withdrawn")
        ),
        Case(
            "under another paper",
            lambda w: {
                "reference": w["paper"].reference_slug,
                "pk": w["hidden_paper_attachment"].pk,
            },
            dict.fromkeys(PERSONAS, 404),
        ),
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
    "council:meeting_invitation": [
        Case("agenda fixed", lambda w: {"pk": w["coming_meeting"].pk}, EVERYONE_OK),
        Case("agenda not fixed", lambda w: {"pk": w["meeting"].pk}, NOBODY_PUBLIC),
        Case("non-public", lambda w: {"pk": w["hidden_held_meeting"].pk}, HIDDEN_FROM_PUBLIC),
    ],
    "council:meeting_minutes": [
        Case("taken place", lambda w: {"pk": w["meeting"].pk}, EVERYONE_OK),
        Case("ahead", lambda w: {"pk": w["coming_meeting"].pk}, NOBODY_PUBLIC),
        Case("non-public", lambda w: {"pk": w["hidden_held_meeting"].pk}, HIDDEN_FROM_PUBLIC),
    ],
    "council:staff_closed_minutes": [
        Case("taken place", lambda w: {"pk": w["meeting"].pk}, MANAGERS),
        Case("non-public", lambda w: {"pk": w["hidden_held_meeting"].pk}, MANAGERS),
        Case(
            "ahead",
            lambda w: {"pk": w["coming_meeting"].pk},
            {**MANAGERS, "clerk": 404, "admin": 404},
        ),
    ],
    "council:staff_agenda_fix": [Case("-", lambda w: {"pk": w["meeting"].pk}, MANAGERS)],
    "council:staff_agenda_reopen": [Case("-", lambda w: {"pk": w["coming_meeting"].pk}, MANAGERS)],
    "council:staff_attendance": [Case("-", lambda w: {"pk": w["meeting"].pk}, MANAGERS)],
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
    "council:staff_attachment_new": [
        Case("draft", lambda w: {"paper_pk": w["draft_paper"].pk}, MANAGERS),
        Case("published", lambda w: {"paper_pk": w["paper"].pk}, MANAGERS),
    ],
    "council:staff_attachment_rename": [
        Case("-", lambda w: {"pk": w["paper_attachment"].pk}, MANAGERS)
    ],
    "council:staff_attachment_remove": [
        Case("-", lambda w: {"pk": w["paper_attachment"].pk}, MANAGERS)
    ],
    "council:staff_attachment_move": [
        Case("-", lambda w: {"pk": w["paper_attachment"].pk}, MANAGERS_POST_ONLY)
    ],
    "council:staff_attachment_download": [
        Case("published", lambda w: {"pk": w["paper_attachment"].pk}, MANAGERS),
        Case("non-public", lambda w: {"pk": w["hidden_paper_attachment"].pk}, MANAGERS),
    ],
    "council:staff_meetings": [Case("-", no_kwargs, MANAGERS)],
    "council:staff_meeting_new": [Case("-", no_kwargs, MANAGERS)],
    "council:staff_meeting": [
        Case("non-public", lambda w: {"pk": w["hidden_meeting"].pk}, MANAGERS)
    ],
    "council:staff_meeting_edit": [Case("-", lambda w: {"pk": w["meeting"].pk}, MANAGERS)],
    "council:staff_decision": [Case("-", lambda w: {"pk": w["agenda_item"].pk}, MANAGERS)],
    "council:staff_agenda_item_edit": [Case("-", lambda w: {"pk": w["agenda_item"].pk}, MANAGERS)],
    "council:staff_agenda_item_remove": [
        Case("-", lambda w: {"pk": w["agenda_item"].pk}, MANAGERS)
    ],
    "council:staff_agenda_item_move": [
        Case("-", lambda w: {"pk": w["agenda_item"].pk}, MANAGERS_POST_ONLY)
    ],
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
        "membership": MembershipFactory(committee=CommitteeFactory(slug="bauausschuss")),
        "board_membership": MembershipFactory(committee=board),
        **_council_people_world(board),
        "contact": PartnerContactFactory(partner=partner),
        "cooperation": CooperationFactory(partner=partner),
        "event": PartnerEventFactory(partner=partner),
        **_submissions_world(),
        **_council_world(),
        **_board_world(board),
        "import_record": _import_record(),
        "oparl_source": _oparl_source(),
        "alert_links": _alerts_world(),
    }


def _council_people_world(board):
    public_person = PublicPersonFactory()
    fraction = FractionFactory()
    MembershipFactory(person=public_person, committee=fraction)
    board_person = PublicPersonFactory()
    MembershipFactory(person=board_person, committee=fraction)
    MembershipFactory(person=board_person, committee=board)
    return {
        "public_person": public_person,
        "public_board_person": board_person,
        "fraction": fraction,
        "hidden_fraction": FractionFactory(public=False),
        "term": LegislativeTermFactory(),
    }


def _alerts_world():
    """A confirmed alert of an address, and the links its mails carry."""
    from django.utils import timezone

    from beirat.alerts import tokens
    from beirat.alerts.models import Recipient, Subscription

    recipient = Recipient.objects.create(email="folgt@example.org")
    subscription = Subscription.objects.create(
        recipient=recipient,
        kind=Subscription.Kind.COMMITTEE,
        target="1",
        label="Stadtrat",
        confirmed_at=timezone.now(),
    )
    return {
        "confirm": tokens.make(tokens.CONFIRM_SALT, subscription.pk, subscription.key),
        "unsubscribe": tokens.make(tokens.UNSUBSCRIBE_SALT, subscription.pk, subscription.key),
        "manage": tokens.make(tokens.MANAGE_SALT, recipient.pk, recipient.key),
        "forged": tokens.make(tokens.MANAGE_SALT, recipient.pk, "erfunden") + "x",
    }


def _submissions_world():
    from django.core.files.base import ContentFile

    from beirat.submissions.models import TextBlock
    from tests.factories.submissions import TopicFactory

    submission = SubmissionFactory(title=PLANTED_TITLE)
    target = SubmissionFactory(status=Submission.Status.CLOSED)
    attachment = submission.attachments.create(name="a.pdf", content_type="application/pdf", size=5)
    attachment.file.save("a", ContentFile(b"%PDF-"))
    forwarding = submission.forwardings.create(office=UnitFactory())
    forwarding.released_attachments.add(attachment)
    return {
        "submission": submission,
        "other_submission": SubmissionFactory(title="Eingabe B"),
        "withdrawn_submission": SubmissionFactory(status=Submission.Status.WITHDRAWN),
        "merged_submission": SubmissionFactory(status=Submission.Status.MERGED, merged_into=target),
        "forwarding": forwarding,
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


def _own_forwarding(world):
    """A forwarding of the world's submission to the office persona's office (number 80)."""
    from beirat.directory.models import OrganizationalUnit

    unit = OrganizationalUnit.objects.filter(number="80", kind="office").first() or UnitFactory()
    found, _created = world["submission"].forwardings.get_or_create(office=unit)
    return found.pk


def _own_forwarding_attachment(world, *, released):
    """The office persona's forwarding and the world's attachment, released to it or not."""
    from beirat.submissions.models import Forwarding

    forwarding = Forwarding.objects.get(pk=_own_forwarding(world))
    if released:
        forwarding.released_attachments.add(world["attachment"])
    else:
        forwarding.released_attachments.remove(world["attachment"])
    return {"pk": forwarding.pk, "attachment_pk": world["attachment"].pk}


def _import_record():
    from django.core.files.base import ContentFile

    from beirat.ingest.models import ImportRecord

    record = ImportRecord(file_name="alt.txt", sha256="0" * 64, status="failed", reason="x")
    record.original.save("original", ContentFile(b"Text"), save=False)
    record.save()
    return record


def _oparl_source():
    from beirat.directory.services import installation_body
    from beirat.oparlsync.models import Source

    return Source.objects.create(
        name="RIS", system_url="http://127.0.0.1:9/oparl/system", body=installation_body(actor=None)
    )


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
    registered_paper = PublishedPaperFactory(status=Paper.Status.REGISTERED)
    hidden_paper = PublishedPaperFactory(public=False)
    withdrawn_paper = PublishedPaperFactory(status=Paper.Status.WITHDRAWN)
    return {
        "paper": paper,
        "draft_paper": PaperFactory(),
        "registered_paper": registered_paper,
        "hidden_paper": hidden_paper,
        "withdrawn_paper": withdrawn_paper,
        "paper_attachment": PaperAttachmentFactory(paper=paper),
        "registered_paper_attachment": PaperAttachmentFactory(paper=registered_paper),
        "hidden_paper_attachment": PaperAttachmentFactory(paper=hidden_paper),
        "withdrawn_paper_attachment": PaperAttachmentFactory(paper=withdrawn_paper),
        "section": paper.sections.create(position=1, kind="text", text="Text"),
        "consultation": ConsultationFactory(paper=paper),
        "meeting": meeting,
        "hidden_meeting": MeetingFactory(public=False),
        "agenda_item": AgendaItemFactory(meeting=meeting),
        # Its invitation exists (agenda fixed), its minutes not yet (it lies ahead).
        "coming_meeting": AgendaItemFactory(
            meeting=FixedAgendaMeetingFactory(start=timezone.now() + datetime.timedelta(days=9))
        ).meeting,
        # Invitation and minutes exist, but the meeting is not public.
        "hidden_held_meeting": AgendaItemFactory(
            meeting=FixedAgendaMeetingFactory(public=False)
        ).meeting,
        "mandate": MandateFactory(paper=paper),
    }


# Account pages (allauth), for every persona. Logged-in staff are sent on from the login and
# sign-up pages; sign-up shows that it is closed; second-factor pages need a login and, for
# changes, a fresh one (reauthenticate); providers that are not configured answer 404.
LOGGED_IN = {**EVERYONE_OK, "anonymous": 302}
SENT_ON_WHEN_LOGGED_IN = {**EVERYONE_REDIRECT, "anonymous": 200}
# The roles that must log in with a second factor (beirat/core/roles.py) have one to manage.
WITH_SECOND_FACTOR = {
    **EVERYONE_REDIRECT,
    "triage": 200,
    "clerk": 200,
    "admin": 200,
    "privacy": 200,
}
NO_SECOND_FACTOR_404 = {**EVERYONE_REDIRECT, "no_role": 404, "board_member": 404, "office": 404}
NO_RECOVERY_CODES = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302}
ACCOUNT_TABLE: dict[str, tuple[dict[str, str], dict[str, int]]] = {
    "account_login": ({}, SENT_ON_WHEN_LOGGED_IN),
    "account_logout": ({}, {**EVERYONE_OK, "anonymous": 302}),
    "account_inactive": ({}, EVERYONE_OK),
    "account_signup": ({}, SENT_ON_WHEN_LOGGED_IN),
    "account_reauthenticate": ({}, LOGGED_IN),
    "account_email": ({}, LOGGED_IN),
    "account_email_verification_sent": ({}, EVERYONE_OK),
    "account_change_password": ({}, LOGGED_IN),
    "account_set_password": ({}, EVERYONE_REDIRECT),
    "account_reset_password": ({}, EVERYONE_OK),
    "account_confirm_login_code": ({}, EVERYONE_REDIRECT),
    "account_confirm_email": ({"key": "x"}, EVERYONE_OK),
    "account_reset_password_from_key_done": ({}, EVERYONE_OK),
    "account_reset_password_from_key": ({"uidb36": "1", "key": "x-y"}, EVERYONE_OK),
    "account_reset_password_done": ({}, EVERYONE_OK),
    "mfa_index": ({}, LOGGED_IN),
    "mfa_authenticate": ({}, EVERYONE_REDIRECT),
    "mfa_reauthenticate": ({}, WITH_SECOND_FACTOR),
    "mfa_activate_totp": ({}, EVERYONE_REDIRECT),
    "mfa_deactivate_totp": ({}, {**NO_SECOND_FACTOR_404, "anonymous": 302}),
    "mfa_view_recovery_codes": ({}, NO_RECOVERY_CODES),
    "mfa_generate_recovery_codes": ({}, EVERYONE_REDIRECT),
    "mfa_download_recovery_codes": ({}, NO_RECOVERY_CODES),
    "mfa_list_webauthn": ({}, LOGGED_IN),
    "mfa_add_webauthn": ({}, EVERYONE_REDIRECT),
    "mfa_reauthenticate_webauthn": ({}, EVERYONE_REDIRECT),
    "mfa_remove_webauthn": ({"pk": "1"}, EVERYONE_REDIRECT),
    "mfa_edit_webauthn": ({"pk": "1"}, EVERYONE_REDIRECT),
    "socialaccount_login_cancelled": ({}, EVERYONE_OK),
    "socialaccount_login_error": ({}, dict.fromkeys(PERSONAS, 401)),
    "socialaccount_signup": ({}, EVERYONE_REDIRECT),
    "socialaccount_connections": ({}, LOGGED_IN),
    "openid_connect_login": ({"provider_id": "stadt"}, NOBODY),
    "openid_connect_callback": ({"provider_id": "stadt"}, NOBODY),
    "saml_login": ({"organization_slug": "stadt"}, NOBODY),
    "saml_finish_acs": ({"organization_slug": "stadt"}, NOBODY),
    "saml_sls": ({"organization_slug": "stadt"}, NOBODY),
    "saml_metadata": ({"organization_slug": "stadt"}, NOBODY),
    # The assertion consumer keeps the posted answer and sends on to acs/finish/, which reads
    # the organisation (404 above): it must not need the session cookie of a cross-site POST.
    "saml_acs": ({"organization_slug": "stadt"}, EVERYONE_REDIRECT),
    # allauth's old addresses, kept as permanent redirects to the new ones
    "konto/social/login/cancelled/": ({}, dict.fromkeys(PERSONAS, 301)),
    "konto/social/login/error/": ({}, dict.fromkeys(PERSONAS, 301)),
    "konto/social/signup/": ({}, dict.fromkeys(PERSONAS, 301)),
    "konto/social/connections/": ({}, dict.fromkeys(PERSONAS, 301)),
}


def _patterns(patterns=None, namespace=None, prefix=""):
    """(namespace, name, route) of every URL pattern the resolver knows."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(
                pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern)
            )
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, prefix + str(pattern.pattern)


def _key(namespace, name, route):
    if namespace:
        return f"{namespace}:{name}"
    return name or route


def _covered(namespace, name, route):
    if namespace == "admin":
        return True  # every admin page falls under the admin rule
    return _key(namespace, name, route) in {**TABLE, **ACCOUNT_TABLE}


def test_every_url_is_in_the_table():
    patterns = list(_patterns())
    assert [pattern for pattern in patterns if not _covered(*pattern)] == []
    known = {_key(*pattern) for pattern in patterns}
    assert set(TABLE) - known == set()
    assert set(ACCOUNT_TABLE) - known == set()
    assert {namespace for namespace, _name, _route in patterns} <= {*OUR_NAMESPACES, "admin", None}


CASES = [
    pytest.param(name, case, id=f"{name}[{case.state}]")
    for name, cases in TABLE.items()
    for case in cases
]


@pytest.fixture
def submitter() -> Client:
    return Client()


@pytest.fixture
def other_submitter() -> Client:
    return Client()


def _expected(expected, persona):
    if persona in SUBMITTERS:
        return expected.get(persona, expected["anonymous"])
    return expected[persona]


@pytest.mark.parametrize(("url_name", "case"), CASES)
def test_permission(url_name, case, world, request):
    """One world per case, every persona in it; a failure shows the whole row."""
    answers, leaks = {}, []
    for persona in MATRIX_PERSONAS:
        client = request.getfixturevalue(persona)
        kwargs = case.kwargs(world)
        own_code = world["submission"].tracking_code
        swapped = persona == "other_submitter" and kwargs.get("code") == own_code
        if swapped:
            kwargs["code"] = world["other_submission"].tracking_code
        response = client.get(reverse(url_name, kwargs=kwargs))
        answers[persona] = response.status_code
        if swapped and PLANTED_TITLE.encode() in response.content:
            leaks.append(persona)
    assert answers == {persona: _expected(case.expected, persona) for persona in MATRIX_PERSONAS}
    assert leaks == []


@pytest.mark.parametrize(
    ("key", "kwargs", "expected"),
    [pytest.param(key, *entry, id=key) for key, entry in ACCOUNT_TABLE.items()],
)
def test_account_pages(key, kwargs, expected, request, db):
    url = "/" + key if "/" in key else reverse(key, kwargs=kwargs)
    answers = {
        persona: request.getfixturevalue(persona).get(url).status_code
        for persona in MATRIX_PERSONAS
    }
    assert answers == {persona: _expected(expected, persona) for persona in MATRIX_PERSONAS}


ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def _admin_urls():
    """Every page of the Django admin with placeholder arguments (the admin turns a visitor
    away before it looks at them); pages without a name by their route."""
    urls = []
    for namespace, name, route in _patterns():
        if namespace != "admin":
            continue
        if name is None:
            urls.append("/" + ARGUMENT.sub("1", route))
            continue
        arguments = [first or second for first, second in ARGUMENT.findall(route)]
        kwargs = {a: "core" if a == "app_label" else "1" for a in arguments}
        urls.append(reverse(f"admin:{name}", kwargs=kwargs))
    return urls


def test_the_admin_site_is_closed_to_every_persona(request, db):
    """Only an operator account (is_staff) reaches the Django admin; no role grants it."""
    urls = _admin_urls()
    login = reverse("admin:login")
    let_in = {}
    for persona in MATRIX_PERSONAS:
        client = request.getfixturevalue(persona)
        for url in urls:
            status = client.get(url).status_code
            if url != login and status != 302:
                let_in[(persona, url)] = status
    assert len(urls) == len([p for p in _patterns() if p[0] == "admin"]) > 100
    assert let_in == {}


def test_an_operator_gets_into_the_admin_site(db):
    from beirat.core.roles import Role
    from tests.factories.core import user_with_role

    client = Client()
    client.force_login(user_with_role(Role.ADMIN, is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(_admin_urls()[-1]).status_code != 302
