"""Everything that shows data obeys the same visibility rules.

The check is differential: every public surface of the demo installation is recorded (every
page reachable by links from the start page, the unlinked ones: tracking pages, the
submitter's export, searches with their counts and facets, the CSV, every paper PDF as text
and metadata, every response of the OParl API), then non-public content is planted in every
kind of record that can hold it, the search index catches up, and everything is recorded again.

A non-public record must change nothing a visitor can see: no marker in any text, and, since
counts, facets, pagination and "last modified" dates are part of the pages, no byte of any
surface may differ. A positive control plants public content the same way and the same check
must see it.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import quote_plus

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from beirat.board.models import ExpertAnswer, ExpertRequest, ProgressUpdate, Recommendation, Report
from beirat.board.services.requests import pseudonym_of
from beirat.core.models import User
from beirat.council.models import AgendaItem, Mandate, MandateProgress, Meeting, Paper
from beirat.submissions.models import Event, InternalNote, Submission
from tests.board.test_identity_shield import (
    _links,
    _pdf_text_and_metadata,
    _without_echoed_query,
)
from tests.conftest import SearchIndex
from tests.factories.council import PublishedPaperFactory
from tests.factories.directory import CommitteeFactory, PartnerFactory, PersonFactory
from tests.factories.submissions import SubmissionFactory
from tests.oparl.test_crawl import crawl, load_demo

pytestmark = pytest.mark.django_db

MARK = "Xqjvgeheim"
PAGE_LIMIT = 700
SEARCHES = [MARK, "Digitalisierung", "Sitzung", "Empfehlung", "Koblenz", "AF/0013/2021"]
# Values that differ from one response to the next by design: form tokens, CSRF tokens, nonces.
VOLATILE = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(rb'(name="issued" value=")[^"]+'),
    re.compile(rb'(nonce=")[^"]+'),
    re.compile(rb'(data-token=")[^"]+'),
]
PDF_DATES = re.compile(rb"^(CreationDate|ModDate):.*$", re.MULTILINE)


def public_surfaces(
    search_index: SearchIndex, unlinked: list[str], cookies: dict[str, list[str]] | None = None
) -> dict[str, bytes]:
    """What an anonymous visitor can get, by address: the crawl from the start page plus the
    ``unlinked`` addresses, taken before planting (a planted submission's own tracking page
    shows its own text to whoever holds its code)."""
    search_index.sync()
    seen: dict[str, bytes] = {}
    client = Client()
    queue = deque(["/", *unlinked])
    queued = set(queue)
    while queue and len(seen) < PAGE_LIMIT:
        path = queue.popleft()
        response = client.get(path)
        if cookies is not None and response.cookies:
            cookies[path] = sorted(response.cookies)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/pdf"):
            body = PDF_DATES.sub(b"", _pdf_text_and_metadata(body).encode())
        for pattern in VOLATILE:
            body = pattern.sub(rb"\1-", body)
        seen[path] = f"{response.status_code}\n".encode() + body
        if content_type.startswith("text/html"):
            for link in _links(response.content.decode()):
                if link not in queued:
                    queued.add(link)
                    queue.append(link)
    assert len(seen) < PAGE_LIMIT, "the crawl hit its limit; raise it"
    for url, body in crawl().bodies:
        seen[url] = body
    return seen


def unlinked_paths() -> list[str]:
    paths = []
    for code in Submission.objects.values_list("tracking_code", flat=True):
        paths += [f"/eingaben/{code}/", f"/eingaben/{code}/meine-daten/"]
    for query in SEARCHES:
        paths += [f"/suche/?q={quote_plus(query)}", f"/vorlagen/?q={quote_plus(query)}"]
    paths += ["/suche/?q=Digitalisierung&typ=paper", "/empfehlungen/export.csv"]
    paths += [f"{paper.get_absolute_url()}pdf/" for paper in Paper.objects.all()]
    return paths


def plant(public: bool) -> None:
    """One marked record of every kind that has a visibility of its own; non-public unless
    ``public`` (the positive control)."""
    mark = MARK
    meeting = Meeting.objects.filter(public=True).order_by("pk").first()
    paper = Paper.objects.filter(public=True, status=Paper.Status.PUBLISHED).order_by("pk")[0]
    assert meeting is not None
    # council: a paper, a meeting, an agenda item in a public meeting, a mandate note
    hidden_paper = PublishedPaperFactory(
        name=f"{mark} Vorlage", public=public, body=paper.body, year=2026, sequence=9001,
        reference="AF/9001/2026", type_code="AF",
    )  # fmt: skip
    hidden_paper.sections.create(position=1, kind="text", text=f"{mark} Abschnitt")
    Meeting.objects.create(
        committee=meeting.committee, name=f"{mark} Sitzung", start=timezone.now(), public=public
    )
    AgendaItem.objects.create(meeting=meeting, order=99, number="N 9", name=mark, public=public)
    mandate = Mandate.objects.order_by("pk").first()
    assert mandate is not None
    MandateProgress.objects.create(mandate=mandate, note=f"{mark} Stand", public=public)
    # directory
    CommitteeFactory(name=f"{mark} Runde", slug="xqjv-runde", public=public)
    PartnerFactory(name=f"{mark} GmbH", slug="xqjv-gmbh", public=public)
    PersonFactory(family_name=mark, public=public)
    # board: a recommendation, an internal progress note, a report
    recommendation = Recommendation.objects.filter(public=True).order_by("pk").first()
    assert recommendation is not None
    Recommendation.objects.create(
        kind=recommendation.kind, title=f"{mark} Empfehlung", text=mark, public=public
    )
    ProgressUpdate.objects.create(
        recommendation=recommendation, text=f"{mark} intern", status="open", progress=0,
        public=public,
    )  # fmt: skip
    report = Report(meeting=meeting, kind="other", title=f"{mark} Bericht", public=public)
    report.file.save("bericht", ContentFile(b"%PDF-1.4\n"), save=False)
    report.save()
    if public:
        return
    # Never public, whatever flag: IT management's and the board's working material.
    submission = Submission.objects.order_by("pk").first()
    assert submission is not None
    InternalNote.objects.create(submission=submission, text=f"{mark} Notiz")
    Event.objects.create(
        submission=submission, kind=Event.Kind.OFFICE_PROGRESS, text=f"{mark} Schritt", public=False
    )
    SubmissionFactory(title=f"{mark} Eingabe", text=mark)
    request = ExpertRequest.objects.create(
        title=f"{mark} Fachfrage", question=mark, excerpt=mark, deadline=timezone.now().date()
    )
    member = User.objects.filter(groups__name="board_member").first() or User.objects.first()
    author = pseudonym_of(member)
    ExpertAnswer.objects.create(request=request, author=author, text=f"{mark} Antwort")


def differences(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, str]:
    found = {}
    for address in sorted(set(before) | set(after)):
        if address not in before:
            found[address] = "new address"
        elif address not in after:
            found[address] = "gone"
        elif before[address] != after[address]:
            found[address] = _first_difference(before[address], after[address])
    return found


def _first_difference(old: bytes, new: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    return f"at byte {at}: {old[at - 60 : at + 60]!r} → {new[at - 60 : at + 60]!r}"


def marked(surfaces: dict[str, bytes]) -> list[str]:
    """Addresses whose content holds the marker (a search repeats its own query: not counted)."""
    needle = MARK.lower().encode()
    return [
        address
        for address, body in surfaces.items()
        if needle in _without_echoed_query(address, body).lower()
    ]


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    return unlinked_paths()


def test_non_public_content_changes_nothing_any_visitor_can_get(demo, search_index):
    before = public_surfaces(search_index, demo)
    plant(public=False)
    after = public_surfaces(search_index, demo)

    assert marked(after) == []
    assert differences(before, after) == {}
    # The check really looked everywhere.
    assert sum(1 for address in after if address.startswith("/")) > 60
    assert sum(1 for address in after if "/pdf/" in address) >= 2
    assert sum(1 for address in after if "/oparl/" in address) > 20
    assert any("suche" in address for address in after)


def test_positive_control_public_content_shows_on_the_same_surfaces(demo, search_index):
    before = public_surfaces(search_index, demo)
    plant(public=True)
    after = public_surfaces(search_index, demo)

    changed = differences(before, after)
    shown = marked(after)
    assert any("/oparl/" in address for address in shown)
    assert any(address.startswith("/suche/") for address in shown)
    assert any(address.startswith("/vorlagen/") for address in shown)
    assert any(address.startswith("/empfehlungen/") for address in shown)
    assert "/" in changed or any(address.startswith("/sitzungen/") for address in changed)
    assert len(changed) > 10


def test_no_public_page_sets_a_cookie_before_a_form_is_used(demo, search_index):
    """Every page of the crawl, the submission and feedback forms and the tracking pages with
    their forms included; only the language switch, a choice the visitor makes, sets one."""
    cookies: dict[str, list[str]] = {}
    surfaces = public_surfaces(search_index, [*demo, "/eingaben/neu/"], cookies)

    assert {path: names for path, names in cookies.items() if "/sprache/" not in path} == {}
    assert any("/sprache/" in path for path in cookies)  # the check sees cookies when set
    assert "/eingaben/neu/" in surfaces
    assert any(path.endswith("/zurueckziehen/") for path in surfaces)
