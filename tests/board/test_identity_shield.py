"""The identity shield (nothing outside the board reveals who a member is), on every surface.

Unique markers are planted in every field of the demo's board members (names, title, username,
e-mail, phone, biography, the file name of a board document), the members work (they answer
expert requests), and then everything a non-member can get is searched for the markers: every
public page reachable by links from the start page plus the unlinked ones (tracking pages, the
submitter's data export, search results, CSV), every generated PDF (text and metadata), every
OParl response, and every e-mail to someone who is not a member. A positive control plants one
leak per surface on purpose and the same check must find each of them.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, quote_plus, urldefrag, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone

from beirat.board.models import ExpertRequest, ProgressUpdate, Recommendation, Report
from beirat.board.services import requests as request_services
from beirat.core.models import OutboxMail, User
from beirat.core.roles import Role
from beirat.council.models import Paper, PaperSection
from beirat.directory.models import Person
from beirat.submissions.models import Submission
from tests.oparl.test_crawl import crawl, load_demo

pytestmark = pytest.mark.django_db

MARK = "qzvw"  # lower case: every check compares case-insensitively
PAGE_LIMIT = 600
SKIPPED_PREFIXES = ("/arbeitsplatz/", "/konto/", "/admin/", "/static/", "/oparl/")


def _mark(number: int, field_name: str) -> str:
    return f"Qzvw{number}{field_name}"


def plant_markers() -> list[User]:
    """Every identifying field of every board member carries a marker; returns the members."""
    members = list(User.objects.filter(groups__name=Role.BOARD_MEMBER.value).order_by("pk"))
    assert len(members) >= 3, "the demo has three board members"
    for number, user in enumerate(members, start=1):
        user.first_name = _mark(number, "Vorname")
        user.last_name = _mark(number, "Nachname")
        user.username = _mark(number, "konto").lower()
        user.email = f"{_mark(number, 'mail').lower()}@example.org"
        user.save()
        person = Person.objects.get(user=user)
        person.title = _mark(number, "Titel")
        person.given_name, person.family_name = user.first_name, user.last_name
        person.form_of_address = _mark(number, "Anrede")
        person.email = user.email
        person.phone = f"0261 {number}{number}{number} {_mark(number, 'Telefon')}"
        person.biography = f"{_mark(number, 'Bio')}: Expertin für Netze."
        person.public = True  # even a member wrongly marked "may be named" stays unnamed
        person.save()
    meeting = Report.objects.select_related("meeting").first().meeting  # type: ignore[union-attr]
    document = Report(meeting=meeting, kind="other", title="Unterlage", public=False)
    document.file_name = f"{_mark(1, 'Datei')}.pdf"
    document.file.save("unterlage", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return members


def members_at_work(members: list[User]) -> Submission:
    """A citizen's idea goes to the board, two members answer, the statement is published."""
    triage = User.objects.get(username="it-management")
    submission = Submission.objects.exclude(expert_requests__isnull=False).first()
    assert submission is not None
    submission.submitter_email = "buerger@example.org"
    submission.email_confirmed_at = timezone.now()
    submission.save()
    request = request_services.ask_board(
        title="Frage zum WLAN",
        question="Was empfiehlt der Beirat?",
        excerpt=submission.text,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        submission=submission,
        actor=triage,
    )
    for member in members[:2]:
        request_services.answer(request=request, member=member, text="Freifunk ist bewährt.")
    request_services.publish_statement(
        request=request, title="WLAN", text="Der Beirat empfiehlt Freifunk.", actor=triage
    )
    return submission


# The check ---------------------------------------------------------------------------------


@dataclass
class Leaks:
    found: dict[str, list[str]] = field(default_factory=dict)  # surface -> where
    pages: int = 0
    pdfs: int = 0
    mails: int = 0
    oparl_requests: int = 0

    def add(self, surface: str, where: str) -> None:
        self.found.setdefault(surface, []).append(where)


def find_leaks(members: list[User], extra_paths: list[str]) -> Leaks:
    leaks = Leaks()
    _crawl_public_pages(leaks, extra_paths)
    _check_oparl(leaks)
    _check_mails(leaks, {member.email.lower() for member in members})
    return leaks


def _crawl_public_pages(leaks: Leaks, extra_paths: list[str]) -> None:
    client = Client()
    queue = deque(["/", *extra_paths])
    seen = set(queue)
    while queue and leaks.pages < PAGE_LIMIT:
        path = queue.popleft()
        response = client.get(path)
        leaks.pages += 1
        if response.status_code != 200 or response.streaming:
            continue
        body = response.content
        is_pdf = response["Content-Type"].startswith("application/pdf")
        if is_pdf:
            leaks.pdfs += 1
            body = _pdf_text_and_metadata(body).encode()
        if MARK.encode() in _without_echoed_query(path, body).lower():
            leaks.add("pdf" if is_pdf else "page", path)
        if response["Content-Type"].startswith("text/html"):
            for link in _links(response.content.decode()):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)


def _without_echoed_query(path: str, body: bytes) -> bytes:
    """A search page repeats what was asked (in the field, the title, the links to the next
    pages); only the rest of the page, the results, must not hold a marker."""
    query = parse_qs(urlsplit(path).query).get("q", [""])[0]
    if not query:
        return body
    for form in {query, quote_plus(query), quote(query)}:
        body = body.replace(form.encode(), b"")
    return body


def _links(html: str) -> list[str]:
    found = []
    for raw in re.findall(r'href="([^"]+)"', html):
        path = urldefrag(raw.replace("&amp;", "&"))[0]
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not path.startswith("/"):
            continue
        if path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(path)
    return found


def _pdf_text_and_metadata(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "paper.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(  # noqa: S603 - poppler's tools on our own file
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S607
            capture_output=True,
            check=True,
        ).stdout.decode()
        info = subprocess.run(  # noqa: S603
            ["pdfinfo", "-enc", "UTF-8", str(path)],  # noqa: S607
            capture_output=True,
            check=True,
        ).stdout.decode()
    return text + "\n" + info


def _check_oparl(leaks: Leaks) -> None:
    result = crawl()
    leaks.oparl_requests = result.requests
    for url in result.texts_containing(MARK):
        leaks.add("oparl", url)


def _check_mails(leaks: Leaks, member_addresses: set[str]) -> None:
    for mail in OutboxMail.objects.all():
        recipients = {address.lower() for address in mail.recipients}
        if recipients & member_addresses:
            continue  # a member's own mail may greet the member
        leaks.mails += 1
        text = f"{mail.subject}\n{mail.body}\n{mail.html_body or ''}\n{mail.recipients}"
        if MARK in text.lower():
            leaks.add("mail", f"{mail.subject} → {mail.recipients}")


def _unlinked_public_paths() -> list[str]:
    """Public addresses no page links to: the tracking pages, exports, searches."""
    paths = []
    for code in Submission.objects.values_list("tracking_code", flat=True):
        paths += [f"/eingaben/{code}/", f"/eingaben/{code}/meine-daten/"]
    searches = ["Qzvw1Nachname", "qzvw", "Qzvw2Bio", "Digitalbeirat", "Freifunk", "Mitglied A"]
    paths += [f"/suche/?q={query}" for query in searches]
    paths += ["/empfehlungen/export.csv", "/beirat/stellungnahmen/"]
    paths += [paper.get_absolute_url() + "pdf/" for paper in Paper.objects.all()]
    return paths


def test_no_board_member_appears_anywhere_public(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
        members = plant_markers()
        members_at_work(members)

    leaks = find_leaks(members, _unlinked_public_paths())

    assert leaks.found == {}
    # The check really looked: pages, PDFs, mails to citizens and offices, the API.
    assert leaks.pages > 40
    assert leaks.pdfs >= 2
    assert leaks.mails >= 3
    assert leaks.oparl_requests > 20
    # Members did work: their answers exist, under pseudonyms only.
    assert ExpertRequest.objects.filter(answers__isnull=False).exists()


def test_positive_control_a_planted_leak_is_found_on_every_surface(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
        members = plant_markers()
        members_at_work(members)
    name = members[0].last_name
    # A page: an office names the member in public progress.
    recommendation = Recommendation.objects.filter(public=True).first()
    assert recommendation is not None
    ProgressUpdate.objects.create(
        recommendation=recommendation, text=f"Mit {name} besprochen", status="open", progress=0
    )
    # A PDF: a published paper quotes the member; the API: another one names the member.
    papers = Paper.objects.filter(status=Paper.Status.PUBLISHED, public=True).order_by("pk")
    paper, other = papers[0], papers[1]
    PaperSection.objects.create(paper=paper, position=99, kind="text", text=f"Laut {name} …")
    Paper.objects.filter(pk=other.pk).update(name=f"{other.name} ({name})")
    # A mail to a citizen names the member.
    EmailMessage(subject="Antwort", body=f"{name} meint …", to=["buerger@example.org"]).send()

    leaks = find_leaks(members, _unlinked_public_paths())

    assert set(leaks.found) == {"page", "pdf", "oparl", "mail"}, leaks.found
    assert recommendation.get_absolute_url() in leaks.found["page"]
    assert paper.get_absolute_url() + "pdf/" in leaks.found["pdf"]
