"""Everything that shows data obeys the same visibility rules.

The check is differential: every public surface of the demo installation is recorded (every
page reachable by links from the start page, the unlinked ones: tracking pages, the
submitter's export, searches with their counts and facets, the CSV, every paper PDF as text
and metadata, every response of the OParl API), then non-public content is planted in every
kind of record that can hold it, the search index catches up, and everything is recorded again.

A non-public record must change nothing a visitor can see: no marker in any text, and, since
counts, facets, pagination and "last modified" dates are part of the pages, no byte of any
surface may differ. A search page's echo of its own query is discounted only in the elements made
for it (tests/board/test_identity_shield_markers.py, without_search_echo).

The positive control is per kind: every kind planted non-public is planted again as its public
twin, each with a marker of its own, hung where the public can see that kind, and each twin must
appear on at least one surface; so "a non-public X changes nothing" means something for every X.

One exception, by design: a meeting's public invitation announces its non-public part, each
non-public item by its number with the word "nichtöffentlich" and nothing else (as the municipal
code wants it). Those lines of an invitation PDF are discounted (INVITATION_CLOSED_ROW); the
item's subject, and any other byte, still count.
Kinds that are never public have as twin the public record of the same place: a public history
step beside an internal note, the published statement of an expert request (its title) and of
the answers (its text), and a submission's own tracking page for a submission.
"""

from __future__ import annotations

import datetime
import re
from collections import deque
from urllib.parse import quote_plus, urldefrag, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from beirat.board.models import (
    BoardStatement,
    ExpertAnswer,
    ExpertRequest,
    ProgressUpdate,
    Recommendation,
    Report,
)
from beirat.board.queries import board_committees
from beirat.board.services.requests import pseudonym_of
from beirat.core.models import User
from beirat.council.models import AgendaItem, MandateProgress, Meeting, Paper
from beirat.council.queries import public_mandates
from beirat.submissions.models import Event, InternalNote, Submission
from tests.board.test_identity_shield_markers import pdf_text_and_metadata, without_search_echo
from tests.conftest import SearchIndex
from tests.factories.council import PaperAttachmentFactory, PublishedPaperFactory
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
# A visitor follows links (forms are filled in, not followed), the language switch included: the
# cookie test below needs it. The staff side and the API (crawled on its own) are left out.
SKIPPED_PREFIXES = ("/arbeitsplatz/", "/konto/", "/admin/", "/static/", "/oparl/")


# A non-public agenda item's line in an invitation: its number and "nichtöffentlich", no more.
INVITATION_CLOSED_ROW = re.compile(
    r"(?m)^[^\s\d]{1,3}[ \t]?\d{1,3}[ \t]*\n\s*nichtöffentlich[ \t]*\n".encode()
)


def is_invitation(address: str) -> bool:
    path = urlsplit(address).path
    return path.endswith("/einladung.pdf") or bool(re.search(r"/file/i\d+/download$", path))


def without_closed_rows(text: bytes) -> bytes:
    """An invitation's text without its non-public items' lines (and the blank lines they
    leave behind) and without the file's size, which they change."""
    text = re.sub(rb"(?m)^File size:.*$", b"", INVITATION_CLOSED_ROW.sub(b"", text))
    return re.sub(rb"\n{3,}", b"\n\n", text)


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
            body = PDF_DATES.sub(b"", pdf_text_and_metadata(body).encode())
            if is_invitation(path):
                body = without_closed_rows(body)
        for pattern in VOLATILE:
            body = pattern.sub(rb"\1-", body)
        seen[path] = f"{response.status_code}\n".encode() + body
        if content_type.startswith("text/html"):
            for link in _public_links(response.content.decode()):
                if link not in queued:
                    queued.add(link)
                    queue.append(link)
    assert len(seen) < PAGE_LIMIT, "the crawl hit its limit; raise it"
    for url, body in crawl().bodies:
        if is_invitation(url):  # the invitation's PDF, by its accessUrl or downloadUrl
            body = without_closed_rows(PDF_DATES.sub(b"", pdf_text_and_metadata(body).encode()))
        seen[url] = body
    return seen


def _public_links(html: str) -> list[str]:
    found = []
    for raw in re.findall(r'href="([^"]+)"', html):
        path = urldefrag(raw.replace("&amp;", "&"))[0]
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not path.startswith("/"):
            continue
        if not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    return found


def unlinked_paths() -> list[str]:
    paths = []
    for code in Submission.objects.values_list("tracking_code", flat=True):
        paths += [f"/eingaben/{code}/", f"/eingaben/{code}/meine-daten/"]
    for query in SEARCHES:
        paths += [f"/suche/?q={quote_plus(query)}", f"/vorlagen/?q={quote_plus(query)}"]
    paths += ["/suche/?q=Digitalisierung&typ=paper", "/empfehlungen/export.csv"]
    # Feeds, calendars and the month view are linked (/offene-daten/, /sitzungen/, committee
    # pages); searches as feeds and the meeting filters are not.
    paths += [f"/suche/feed/?q={quote_plus(query)}" for query in SEARCHES]
    paths += ["/sitzungen/?zeitraum=kommende", "/sitzungen/?zeitraum=vergangene"]
    months = {f"{timezone.localtime(m.start):%Y-%m}" for m in Meeting.objects.filter(public=True)}
    paths += [f"/sitzungen/?ansicht=monat&monat={month}" for month in sorted(months)]
    paths += [f"{paper.get_absolute_url()}pdf/" for paper in Paper.objects.all()]
    return paths


KINDS = [
    "paper",
    "paper attachment",
    "meeting",
    "agenda item",
    "mandate note",
    "committee",
    "partner",
    "person",
    "recommendation",
    "progress update",
    "report",
    "internal note",
    "history step",
    "submission",
    "expert request",
    "expert answer",
]


def token(kind: str) -> str:
    """The marker of one kind ("XqjvgeheimAgendaItem"); MARK is part of every one."""
    return MARK + "".join(word.capitalize() for word in kind.split())


def plant(public: bool) -> dict[str, str]:
    """One marked record of every kind that has a visibility of its own, each hung where its
    kind is shown to the public; non-public unless ``public`` (the positive control: the public
    twins). Returns each kind's marker."""
    marks = {kind: f"{MARK} {token(kind)}" for kind in KINDS}
    meeting = Meeting.objects.filter(public=True).order_by("pk").first()
    paper = Paper.objects.filter(public=True, status=Paper.Status.PUBLISHED).order_by("pk")[0]
    assert meeting is not None
    # council: a paper, a meeting, an agenda item in a public meeting, a note on a mandate of a
    # public paper (mandates of other papers are not shown at all)
    hidden_paper = PublishedPaperFactory(
        name=f"{marks['paper']} Vorlage", public=public, body=paper.body, year=2026,
        sequence=9001, reference="AF/9001/2026", type_code="AF",
    )  # fmt: skip
    hidden_paper.sections.create(position=1, kind="text", text=f"{marks['paper']} Abschnitt")
    # An attachment has no visibility of its own: it is public exactly when its paper is. Its
    # title (page, PDF, OParl) and its file's text (download, search) carry the marker.
    PaperAttachmentFactory(
        paper=hidden_paper,
        title=f"{marks['paper attachment']} Anlage",
        text=f"{marks['paper attachment']} Inhalt der Anlage",
    )
    Meeting.objects.create(
        committee=meeting.committee, name=f"{marks['meeting']} Sitzung", start=timezone.now(),
        public=public,
    )  # fmt: skip
    AgendaItem.objects.create(
        meeting=meeting, order=99, number="N 9", name=marks["agenda item"], public=public
    )
    mandate = public_mandates().order_by("pk").first()
    assert mandate is not None
    MandateProgress.objects.create(
        mandate=mandate, note=f"{marks['mandate note']} Stand", public=public
    )
    # directory
    CommitteeFactory(name=f"{marks['committee']} Runde", slug="xqjv-runde", public=public)
    PartnerFactory(name=f"{marks['partner']} GmbH", slug="xqjv-gmbh", public=public)
    PersonFactory(family_name=token("person"), given_name=MARK, public=public)
    # board: a recommendation, a progress note on a public one, a report in a public meeting of
    # the board (the board's page shows the reports of its own meetings only)
    recommendation = Recommendation.objects.filter(public=True).order_by("pk").first()
    assert recommendation is not None
    Recommendation.objects.create(
        kind=recommendation.kind, title=f"{marks['recommendation']} Empfehlung",
        text=marks["recommendation"], public=public,
    )  # fmt: skip
    ProgressUpdate.objects.create(
        recommendation=recommendation, text=f"{marks['progress update']} intern", status="open",
        progress=0, public=public,
    )  # fmt: skip
    board_meeting = (
        Meeting.objects.filter(committee__in=board_committees(), public=True)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("pk")
        .first()
    )
    assert board_meeting is not None
    report = Report(
        meeting=board_meeting, kind="other", title=f"{marks['report']} Bericht", public=public
    )
    report.file.save("bericht", ContentFile(b"%PDF-1.4\n"), save=False)
    report.save()
    # Never public, whatever flag: IT management's and the board's working material. Their
    # twins are the public records of the same place.
    submission = Submission.objects.order_by("pk").first()
    assert submission is not None
    if public:
        Event.objects.create(
            submission=submission, kind=Event.Kind.OFFICE_PROGRESS, text=marks["internal note"]
        )
    else:
        InternalNote.objects.create(submission=submission, text=f"{marks['internal note']} Notiz")
    Event.objects.create(
        submission=submission, kind=Event.Kind.OFFICE_PROGRESS,
        text=f"{marks['history step']} Schritt", public=public,
    )  # fmt: skip
    # A submission shows on its own tracking page only (the positive control crawls it).
    SubmissionFactory(title=f"{marks['submission']} Eingabe", text=marks["submission"])
    request = ExpertRequest.objects.create(
        title=f"{marks['expert request']} Fachfrage", question=MARK, excerpt=MARK,
        deadline=timezone.now().date(),
    )  # fmt: skip
    if public:
        BoardStatement.objects.create(
            request=request, title=marks["expert request"], text=marks["expert answer"],
            published_at=timezone.now(),
        )  # fmt: skip
    else:
        member = User.objects.filter(groups__name="board_member").first() or User.objects.first()
        ExpertAnswer.objects.create(
            request=request, author=pseudonym_of(member), text=f"{marks['expert answer']} Antwort"
        )
    return {kind: token(kind) for kind in KINDS}


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


def marked(surfaces: dict[str, bytes], needle: str = MARK) -> list[str]:
    """Addresses whose content holds ``needle``; a search's echo of its own query is not
    counted (only where the page repeats the query by design)."""
    lowered = needle.lower().encode()
    return [
        address
        for address, body in surfaces.items()
        if lowered in without_search_echo(address, body).lower()
    ]


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
        # The demo's board meets in private; the board's page shows the reports of its public
        # meetings, so one public meeting of the board is where a report can be seen at all.
        board = board_committees().order_by("pk").first()
        assert board is not None
        Meeting.objects.create(
            committee=board, name="Öffentliche Sitzung des Beirats", public=True,
            start=timezone.now() - datetime.timedelta(days=30), state=Meeting.State.HELD,
        )  # fmt: skip
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
    assert any(address.startswith("/benachrichtigungen/neu/?q=") for address in after)


def test_positive_control_every_kind_shows_when_public(demo, search_index):
    before = public_surfaces(search_index, demo)
    tokens = plant(public=True)
    # The twin submission's own tracking page, as its submitter reads it.
    after = public_surfaces(search_index, unlinked_paths())

    unseen = [kind for kind, mark in tokens.items() if not marked(after, mark)]
    assert unseen == [], "these public twins appear nowhere, so their hidden kind proves nothing"
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
