"""The identity shield: nothing anyone but the privacy role can read reveals who a member is.

Built like the visibility test (tests/security/test_visibility.py). Every board member of the
demo carries a unique marker in every field that identifies them: given and family name,
title, form of address, user name, e-mail address, phone, biography, and the account's id
(the members' accounts are made with unmistakable ids before the demo is loaded). The members
work (IT management asks, two members answer, the statement is published, mails go out).

Then every surface is fetched for every persona, in a world with the markers and in the same
world without them (the identifying fields set back to plain values):

* every page reachable by links from the start page and the workplace, for anonymous
  visitors, IT management, a further board member, an office, the clerk, an administrator
  (who is also an operator of the Django admin: its pages are crawled too) and the privacy
  role; the unlinked public addresses (tracking pages, the submitter's export, the CSV,
  paper PDFs) and a search for every marker on every persona's search pages;
* every download, streamed ones included, with its Content-Disposition file name; PDFs as
  text and metadata;
* the whole OParl API, its files as PDF text;
* every mail as delivered: its raw source and every header decoded (From, To, Cc, Reply-To and
  any other), the envelope (sender, every recipient, Bcc too) and every part; the outbox keeps
  Cc, Bcc and Reply-To apart, so what is checked is what leaves.

A surface leaks when it holds a marker, or when its bytes differ between the two worlds (which
catches a leak no marker search sees: initials, a length, a hash). Only values that change from
one response to the next by design (form tokens, CSRF tokens, nonces, PDF dates, the time in
the admin's "created at" inputs) are normalised. On a search page, the visitor's own query is
discounted only where the page repeats it by design, each place by its element and only when it
holds exactly the query: the search box's value, the title ("Suche: …"), the result count
heading (id="result-count") and the language switch's return address. The query anywhere else
still counts.

Mail to a member alone may greet that member: it must have no other recipient (To, Cc, Bcc) and
must name no other member; a member's address as Reply-To or sender of anyone else's mail is a
leak. The privacy role's own page is the one place the link may be read; the check must see the
markers there (so it would see them elsewhere).

Exception, by design and listed here: the operator's account administration in the Django admin
(accounts, and their second factors, which list the account they belong to) manages accounts and
so names them; it must not name a pseudonym or show an answer. See ACCOUNT_PAGES. Everything
else in the admin is checked like any page: the outbox masks members' addresses, the directory
leaves members out (docs/decisions.md, 19 and 32).

A positive control plants one leak per kind of surface and the same check must report each.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import re
import subprocess
import tempfile
import warnings
from collections import deque
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, quote, quote_plus, urldefrag, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.deprecation import RemovedInDjango60Warning

from beirat.board.models import (
    ExpertRequest,
    MemberPseudonym,
    ProgressUpdate,
    Recommendation,
    Report,
)
from beirat.board.queries import board_committees
from beirat.board.services import requests as request_services
from beirat.core import audit
from beirat.core.mail import deliver_mail
from beirat.core.models import OutboxMail, User
from beirat.core.roles import Role
from beirat.council.models import Meeting, Paper, PaperSection
from beirat.directory.demo import BOARD_MEMBERS
from beirat.directory.models import Person
from beirat.submissions.models import Submission
from tests.oparl.test_crawl import crawl, load_demo

pytestmark = pytest.mark.django_db

MEMBER_IDS = (731901, 731902, 731903)  # the accounts' ids: markers themselves
PLAIN_MEMBER = "mitglied-d"  # a further member, without markers: the board member persona
# The demo's staff accounts, one per persona; "admin" is also an operator (is_staff) of the
# Django admin.
PERSONAS = {
    "anonymous": None,
    "triage": "it-management",
    "board_member": PLAIN_MEMBER,
    "office": "amt80",
    "clerk": "sitzungsdienst",
    "admin": "admin",
    "privacy": "datenschutz",
}
# A crawl follows at most this many addresses per view (pages of one kind look alike: the
# fortieth paper shows what the first does), every persona, every link.
PER_VIEW = 6
PAGE_LIMIT = 900
SKIPPED_PREFIXES = ("/static/", "/sprache/", "/konto/", "/admin/logout/", "/metrics")
# The operator's account administration names accounts, members' too (see the docstring).
ACCOUNT_PAGES = re.compile(r"^admin:(core_user_|auth_user_|mfa_authenticator_)")
# Values that differ from one response to the next by design.
VOLATILE = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(rb'(name="issued" value=")[^"]+'),
    re.compile(rb'(nonce=")[^"]+'),
    re.compile(rb'(data-token=")[^"]+'),
    re.compile(rb"(csrftoken=)[A-Za-z0-9]+"),
    # The Django admin's add forms fill "created at" with the current time (digits only).
    re.compile(rb'(name="(?:initial-)?created_at_[01]" value=")[0-9:.]+'),
]
PDF_DATES = re.compile(rb"^(CreationDate|ModDate):.*$", re.MULTILINE)


# The world ---------------------------------------------------------------------------------


def marker_values(number: int) -> dict[str, str]:
    """The identifying fields of member ``number`` (1-based), each a unique marker."""
    mark = f"Qzvw{number}"
    return {
        "first_name": f"{mark}Vorname",
        "last_name": f"{mark}Nachname",
        "username": f"{mark.lower()}konto",
        "email": f"{mark.lower()}mail@example.org",
        "title": f"{mark}Titel",
        "form_of_address": f"{mark}Anrede",
        "phone": f"0261 {mark}Telefon",
        "biography": f"{mark}Bio: Expertin für Netze.",
    }


def plain_values(number: int) -> dict[str, str]:
    """The same member in the world without markers."""
    username, title, given, family, address = BOARD_MEMBERS[number - 1]
    return {
        "first_name": given,
        "last_name": family,
        "username": username,
        "email": address,
        "title": title,
        "form_of_address": "",
        "phone": "",
        "biography": "",
    }


def markers_of(number: int) -> list[str]:
    """What must not be found: every marker of the member, the account id included."""
    return [*marker_values(number).values(), str(MEMBER_IDS[number - 1])]


def all_markers() -> dict[str, int]:
    return {marker: number for number in (1, 2, 3) for marker in markers_of(number)}


def set_identities(values) -> None:  # values: number -> field values
    for number, member_id in enumerate(MEMBER_IDS, start=1):
        wanted = values(number)
        user = User.objects.get(pk=member_id)
        for name in ("first_name", "last_name", "username", "email"):
            setattr(user, name, wanted[name])
        user.save()
        person = Person.objects.get(user=user)
        person.given_name, person.family_name = wanted["first_name"], wanted["last_name"]
        for name in ("title", "form_of_address", "email", "phone", "biography"):
            setattr(person, name, wanted[name])
        person.public = True  # even a member wrongly marked "may be named" stays unnamed
        person.save()


def build_world() -> dict[str, Client]:
    """The demo with marked members at work; returns a logged-in client per persona."""
    board = Group.objects.get(name=Role.BOARD_MEMBER.value)
    for number, member_id in enumerate(MEMBER_IDS, start=1):
        username, _title, _given, _family, address = BOARD_MEMBERS[number - 1]
        user = User.objects.create_user(pk=member_id, username=username, email=address)
        user.groups.add(board)
        # Members sign in with a second factor, as everyone does: the admin lists it.
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DP"}
        )
    load_demo()
    User.objects.create_user(username=PLAIN_MEMBER, email="d@example.org").groups.add(board)
    set_identities(marker_values)
    members_at_work()
    return clients()


def clients() -> dict[str, Client]:
    found = {}
    for persona, username in PERSONAS.items():
        client = Client()
        if username is not None:
            user = User.objects.get(username=username)
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DP"}}
            )
            client.force_login(user)
        found[persona] = client
    return found


def members_at_work() -> Submission:
    """A citizen's idea goes to the board, two members answer (one rewords), the statement is
    published; mails go to the members, IT management and the citizen."""
    triage = User.objects.get(username="it-management")
    submission = Submission.objects.exclude(expert_requests__isnull=False).order_by("pk").first()
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
    first, second = User.objects.get(pk=MEMBER_IDS[0]), User.objects.get(pk=MEMBER_IDS[1])
    request_services.answer(request=request, member=first, text="Richtfunk.")
    request_services.answer(request=request, member=first, text="Freifunk ist bewährt.")
    request_services.answer(request=request, member=second, text="Ich stimme zu.")
    request_services.publish_statement(
        request=request, title="WLAN", text="Der Beirat empfiehlt Freifunk.", actor=triage
    )
    citizen_follows_the_board()
    return submission


def citizen_follows_the_board() -> None:
    """A citizen gets e-mail alerts about the board's committee and a recommendation: a new
    public meeting of the board and a changed status are mailed (check_mails reads them)."""
    from beirat.alerts.models import Subscription
    from beirat.alerts.services import delivery
    from beirat.alerts.services import subscriptions as alerts

    board = board_committees().order_by("pk").first()
    recommendation = Recommendation.objects.filter(public=True).order_by("pk").first()
    assert board is not None
    assert recommendation is not None
    for target in (
        alerts.Target(Subscription.Kind.COMMITTEE, str(board.pk), board.name),
        alerts.Target(Subscription.Kind.RECOMMENDATION, str(recommendation.pk), "Empfehlung"),
    ):
        alerts.subscribe(
            email="folgt@example.org", target=target, frequency="immediate", language="de"
        )
    for subscription in Subscription.objects.all():
        alerts.confirm(subscription=subscription)
    Meeting.objects.create(
        committee=board, name="Öffentliche Sitzung", public=True, start=timezone.now()
    )
    recommendation.status = Recommendation.Status.IN_PROGRESS
    recommendation.save()
    assert delivery.send_alerts()[1] == 2


def unlinked_paths() -> list[str]:
    """Public addresses no page links to: the tracking pages, exports, paper PDFs."""
    paths = []
    for code in Submission.objects.order_by("pk").values_list("tracking_code", flat=True):
        paths += [f"/eingaben/{code}/", f"/eingaben/{code}/meine-daten/"]
    paths += ["/empfehlungen/export.csv", "/beirat/stellungnahmen/"]
    paths += [paper.get_absolute_url() + "pdf/" for paper in Paper.objects.order_by("pk")]
    return paths


def search_paths() -> list[str]:
    """A search for every marker of the first member and the family name of the others."""
    queries = [*markers_of(1), marker_values(2)["last_name"], marker_values(3)["last_name"]]
    # The markers' common start (prefix search), an answer's word and a pseudonym: none of them
    # may lead to a member either.
    queries += ["Qzvw", "Freifunk", "Mitglied A"]
    return [f"/suche/?q={quote_plus(query)}" for query in queries] + [
        f"/vorlagen/?q={quote_plus(marker_values(1)['last_name'])}"
    ]


# Surfaces ----------------------------------------------------------------------------------


@dataclass
class Surface:
    persona: str
    address: str
    kind: str  # page, staff page, download, pdf, oparl, audit, search, mail
    view: str
    body: bytes  # normalised, compared byte for byte


def surfaces(personas: dict[str, Client]) -> dict[tuple[str, str], Surface]:
    """Everything each persona can get, by (persona, address); OParl as the anonymous API."""
    cache.clear()
    caches["pages"].clear()
    found: dict[tuple[str, str], Surface] = {}
    extra = unlinked_paths()
    for persona, client in personas.items():
        start = ["/", "/arbeitsplatz/", *search_paths()]
        if persona == "anonymous":
            start += extra
        if persona == "admin":
            start.append("/admin/")
        for surface in _crawl(persona, client, start):
            found[(persona, surface.address)] = surface
    for url, body in _oparl_bodies():
        found[("api", url)] = Surface("api", url, "oparl", "oparl", body)
    return found


def _get(client: Client, path: str):
    """A GET whose writes (an audited look, a session touched) are rolled back: every crawl
    sees the same database, so two crawls of the same world give the same bytes."""
    with transaction.atomic(), warnings.catch_warnings():
        # The Django admin's own model forms (URLField) warn about Django 6's default scheme.
        warnings.simplefilter("ignore", RemovedInDjango60Warning)
        response = client.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    return response, content


def _crawl(persona: str, client: Client, start: list[str]) -> list[Surface]:
    queue, queued = deque(start), set(start)
    per_view: dict[str, int] = {}
    found = []
    while queue and len(found) < PAGE_LIMIT:
        path = queue.popleft()
        response, content = _get(client, path)
        view = _view_name(path)
        content_type = response.get("Content-Type", "")
        disposition = response.get("Content-Disposition", "")
        body = _normalised(content, content_type)
        head = (
            f"{response.status_code} {content_type}\n{disposition}\n{response.get('Location', '')}"
        )
        found.append(
            Surface(persona, path, _kind(persona, path, content_type, disposition), view,
                    head.encode() + b"\n" + body)
        )  # fmt: skip
        if response.status_code == 200 and content_type.startswith("text/html"):
            for link in _links(content.decode()):
                if link in queued:
                    continue
                link_view = _view_name(link)
                if per_view.get(link_view, 0) >= PER_VIEW:
                    continue
                per_view[link_view] = per_view.get(link_view, 0) + 1
                queued.add(link)
                queue.append(link)
    assert len(found) < PAGE_LIMIT, f"{persona}: the crawl hit its limit; raise it"
    return found


def _view_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return match.view_name or match.route


def _kind(persona: str, path: str, content_type: str, disposition: str) -> str:
    if path.startswith(("/arbeitsplatz/protokoll/", "/admin/core/auditentry/")):
        return "audit"
    if path.startswith(("/suche/", "/vorlagen/?")):
        return "search"
    if content_type.startswith("application/pdf"):
        return "pdf"
    if disposition or not content_type.startswith("text/html"):
        return "download"
    return "page" if persona == "anonymous" else "staff page"


def _normalised(content: bytes, content_type: str) -> bytes:
    if content.startswith(b"%PDF") or content_type.startswith("application/pdf"):
        content = PDF_DATES.sub(b"", pdf_text_and_metadata(content).encode())
    for pattern in VOLATILE:
        content = pattern.sub(rb"\1-", content)
    return content


def _links(html: str) -> list[str]:
    found = []
    for raw in re.findall(r'(?:href|action)="([^"]+)"', html):
        path = urldefrag(raw.replace("&amp;", "&"))[0]
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not path.startswith("/"):
            continue
        if path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(path)
    return found


# Kept for tests/security/test_visibility.py, which crawls the public pages the same way.
def public_links(html: str) -> list[str]:
    skipped = ("/arbeitsplatz/", "/konto/", "/admin/", "/static/", "/oparl/", "/sprache/")
    return [link for link in _links(html) if not link.startswith(skipped)]


def pdf_text_and_metadata(pdf: bytes) -> str:
    """A PDF's text and metadata (pdftotext, pdfinfo); the raw bytes when poppler cannot read
    it (a stored file that only looks like a PDF)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(  # noqa: S603 - poppler's tools on our own file
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S607
            capture_output=True,
            check=False,
        )
        info = subprocess.run(  # noqa: S603
            ["pdfinfo", "-enc", "UTF-8", str(path)],  # noqa: S607
            capture_output=True,
            check=False,
        )
    if text.returncode != 0:
        return pdf.decode("latin-1")
    return text.stdout.decode() + "\n" + info.stdout.decode()


def _oparl_bodies() -> list[tuple[str, bytes]]:
    bodies = []
    for url, body in crawl().bodies:
        bodies.append((url, _normalised(body, "")))
    return bodies


# Where a search page repeats the visitor's own query by design: (element, what it holds). Each
# pattern's middle group is the echo; it is blanked only when it holds exactly the query (HTML
# escaped as Django does), or for the language switch exactly the page's own address.
ECHO_ELEMENTS = [
    (re.compile(r'(<input[^>]*\bname="q"[^>]*\bvalue=")([^"]*)(")'), "query"),
    (re.compile(r"(<title>Suche: )([^<]*?)( – [^<]*</title>)"), "title"),
    (re.compile(r'(<h2 id="result-count"[^>]*>[^<„]*„)([^<]*?)(“[^<]*</h2>)'), "query"),
    (re.compile(r'(<a class="kern-link" href="/sprache/[a-z]{2}/\?next=)([^"]*)(")'), "address"),
    # The search as a feed (beirat/search/feeds.py): the page's links to it, and in the feed
    # its title, its own address and the page's; only the q parameter, the rest still counts.
    (
        re.compile(
            r'(href="(?:https?://[^/"]*)?/(?:suche/(?:feed/)?|benachrichtigungen/neu/)'
            r'\?(?:[^"]*?&amp;)?q=)([^"&]*)()'
        ),
        "param",
    ),
    # The alert for a search (beirat/alerts): its page names the search it will follow.
    (re.compile(r'(<span class="beirat-alert-query">)([^<]*)(</span>)'), "query"),
    (re.compile(r"(<id>(?:https?://[^/<]*)?/suche/feed/\?(?:[^<]*?&amp;)?q=)([^<&]*)()"), "param"),
    (re.compile(r"(<title>(?:Suche|Search): [„“])([^<]*?)([“”]</title>)"), "query"),
]
TITLE_LENGTH = 60  # the title shows the query |truncatechars:60


def without_search_echo(address: str, body: bytes) -> bytes:
    """The page at ``address`` without the echo of its own query in the elements made for it
    (ECHO_ELEMENTS); the query anywhere else, or an echo element holding more than the query,
    still counts."""
    query = parse_qs(urlsplit(address).query).get("q", [""])[0]
    if not query:
        return body
    title = query if len(query) <= TITLE_LENGTH else query[: TITLE_LENGTH - 1] + "…"
    expected = {
        "query": escape(query),
        "title": escape(title),
        "address": escape(quote(address, safe="/")),
        "param": escape(quote_plus(query)),
    }
    text = body.decode("utf-8", "surrogateescape")
    for pattern, holds in ECHO_ELEMENTS:
        text = pattern.sub(
            lambda match, holds=holds: (
                match[1] + match[3] if match[2] == expected[holds] else match[0]
            ),
            text,
        )
    return text.encode("utf-8", "surrogateescape")


# The check ---------------------------------------------------------------------------------


@dataclass
class Leaks:
    found: dict[str, set[str]] = field(default_factory=dict)  # kind -> "persona address: why"
    counts: dict[str, int] = field(default_factory=dict)  # kind -> surfaces looked at

    def add(self, kind: str, where: str) -> None:
        self.found.setdefault(kind, set()).add(where)

    def addresses(self, kind: str) -> set[str]:
        return {where.split(" ")[1].rstrip(":") for where in self.found.get(kind, set())}


def _marker_pattern(marker: str) -> re.Pattern[bytes]:
    if marker.isdigit():  # an account id: not part of a longer number
        return re.compile(rb"(?<![0-9])" + marker.encode() + rb"(?![0-9])")
    return re.compile(re.escape(marker.lower().encode()))


def markers_in(body: bytes) -> list[str]:
    lowered = body.lower()
    return [marker for marker in all_markers() if _marker_pattern(marker).search(lowered)]


def check_surfaces(
    marked: dict[tuple[str, str], Surface], plain: dict[tuple[str, str], Surface], leaks: Leaks
) -> None:
    """Marker search in the marked world, byte comparison with the plain one."""
    for key in sorted(set(marked) | set(plain)):
        surface = marked.get(key) or plain[key]
        persona, address = key
        if persona == "privacy" and surface.view == "board:pseudonyms":
            continue  # the one place the link may be read (the positive control below)
        where = f"{persona} {address}"
        leaks.counts[surface.kind] = leaks.counts.get(surface.kind, 0) + 1
        if ACCOUNT_PAGES.match(surface.view):
            body = (marked.get(key) or surface).body
            if re.search(rb"Mitglied [A-Z]\b", body) or b"Freifunk ist bew" in body:
                leaks.add(surface.kind, f"{where}: account page names a pseudonym or an answer")
            continue
        if key not in marked or key not in plain:
            leaks.add(
                surface.kind, f"{where}: only in the {'plain' if key in plain else 'marked'} world"
            )
            continue
        found = markers_in(without_search_echo(address, marked[key].body))
        if found:
            leaks.add(surface.kind, f"{where}: {found}")
        elif marked[key].body != plain[key].body:
            leaks.add(
                surface.kind,
                f"{where}: differs {_first_difference(plain[key].body, marked[key].body)}",
            )


def _first_difference(old: bytes, new: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    return f"at byte {at}: {old[at - 40 : at + 40]!r} → {new[at - 40 : at + 40]!r}"


def check_mails(leaks: Leaks) -> None:
    """Every mail, delivered through the outbox as in production: its source, every header
    decoded, the envelope and every part. Who receives it (To, Cc, Bcc) decides which member's
    markers it may hold; Reply-To, From and every other header are text like the body."""
    for outbox in OutboxMail.objects.filter(sent_at__isnull=True):
        deliver_mail(mail_id=outbox.pk)
    own_address = {
        number: {marker_values(number)["email"], plain_values(number)["email"]}
        for number in (1, 2, 3)
    }
    for number, message in enumerate(mail.outbox):
        leaks.counts["mail"] = leaks.counts.get("mail", 0) + 1
        recipients = {address.lower() for address in message.recipients()}  # To, Cc, Bcc
        text = _mail_text(message)
        where = f"mail {number}: {message.subject!r} → {sorted(recipients)}"
        members_addressed = {n for n, own in own_address.items() if recipients & own}
        if members_addressed and len(recipients) > 1:
            leaks.add("mail", f"{where}: a member among several recipients")
            continue
        allowed = set(markers_of(next(iter(members_addressed)))) if members_addressed else set()
        found = [marker for marker in markers_in(text) if marker not in allowed]
        if found:
            leaks.add("mail", f"{where}: {found}")


def _mail_text(message: EmailMessage) -> bytes:
    source = message.message().as_bytes()
    parsed = email.message_from_bytes(source, policy=email.policy.default)
    parts = [source.decode("ascii", "replace")]  # raw, as it leaves
    parts += [f"{name}: {value}" for name, value in parsed.items()]  # every header, decoded
    # The envelope: Bcc is in no header.
    parts += [message.from_email, *message.to, *message.cc, *message.bcc, *message.reply_to]
    for part in parsed.walk():
        if part.is_multipart():
            continue
        parts.append(str(part.get_filename() or ""))
        payload = part.get_payload(decode=True) or b""
        parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(parts).encode()


def find_leaks(personas: dict[str, Client], search_index) -> tuple[Leaks, dict]:
    leaks = Leaks()
    check_mails(leaks)
    search_index.sync()
    marked = surfaces(personas)
    set_identities(plain_values)
    search_index.sync()
    plain = surfaces(personas)
    set_identities(marker_values)
    search_index.sync()
    check_surfaces(marked, plain, leaks)
    return leaks, marked


@pytest.fixture
def world(django_capture_on_commit_callbacks, search_index):
    with django_capture_on_commit_callbacks(execute=True):
        personas = build_world()
    return personas


def test_no_surface_outside_the_privacy_role_reveals_a_member(world, search_index):
    leaks, marked = find_leaks(world, search_index)

    assert leaks.found == {}, sorted(w for ws in leaks.found.values() for w in ws)
    # The check really looked, at every kind of surface.
    counts = leaks.counts
    least = {"page": 41, "staff page": 151, "download": 5, "pdf": 2, "oparl": 21}
    least |= {"audit": 3, "search": 50, "mail": 5}
    assert {kind: counts[kind] for kind in least if counts[kind] < least[kind]} == {}, counts
    personas_seen = {persona for persona, _address in marked}
    assert personas_seen == {*PERSONAS, "api"}
    assert any(address.startswith("/admin/core/") for persona, address in marked)
    # The places that named members were looked at, with the members' records in them: the
    # outbox with the mails to members, the board's memberships, the admin's directory.
    outbox = marked[("admin", "/admin/core/outboxmail/")].body
    assert outbox.count(b"Beiratsmitglied (Adresse verborgen)") >= 3
    for persona in ("clerk", "admin"):
        members = marked[(persona, "/arbeitsplatz/verzeichnis/gremien/digitalbeirat/mitglieder/")]
        assert b"Dazu 3 Personen, die hier nicht genannt werden." in members.body
    assert ("admin", "/admin/directory/person/") in marked
    assert ("admin", "/admin/directory/membership/") in marked
    # The markers are there to be found: the privacy role's page shows them.
    pseudonyms_page = [s for s in marked.values() if s.view == "board:pseudonyms"]
    assert [s.persona for s in pseudonyms_page if s.body.find(b"200") == 0] == ["privacy"]
    shown = markers_in(pseudonyms_page[-1].body)
    assert {marker_values(1)["username"], marker_values(2)["username"]} <= set(shown)
    # Members did work: answers under pseudonyms.
    assert ExpertRequest.objects.filter(answers__isnull=False).exists()
    assert MemberPseudonym.objects.filter(member_id__in=MEMBER_IDS).count() >= 2


def test_only_the_echo_elements_holding_exactly_the_query_are_discounted():
    address = "/suche/?q=Qzvw1Nachname"
    echoes = [
        '<a class="kern-link" href="/sprache/en/?next=/suche/%3Fq%3DQzvw1Nachname" lang="en">',
        "<title>Suche: Qzvw1Nachname – Stadt Koblenz</title>",
        '<input type="search" name="q" value="Qzvw1Nachname" autocomplete="off" id="id_q">',
        '<h2 id="result-count" class="kern-heading-small" role="status">'
        "0 Treffer für „Qzvw1Nachname“</h2>",
        '<link rel="alternate" type="application/atom+xml" href="/suche/feed/?q=Qzvw1Nachname">',
        '<a class="kern-link" href="/suche/feed/?q=Qzvw1Nachname">Als Feed abonnieren</a>',
        '<a class="kern-link" href="/benachrichtigungen/neu/?q=Qzvw1Nachname">Benachrichtigung</a>',
        'Neue Treffer der Suche „<span class="beirat-alert-query">Qzvw1Nachname</span>“.',
        "<title>Suche: „Qzvw1Nachname“</title>",  # the feed's
        "<id>http://127.0.0.1:8000/suche/feed/?q=Qzvw1Nachname</id>",
    ]
    page = "\n".join(echoes).encode()
    assert markers_in(page) == ["Qzvw1Nachname"]
    assert markers_in(without_search_echo(address, page)) == []
    # Each echo element with more than the query in it still counts, and so does the query
    # anywhere else on the page.
    widened = [
        echoes[0].replace("Nachname", "Nachname%26x%3DQzvw2Vorname"),
        echoes[1].replace("Nachname", "Nachname (Qzvw2Vorname)"),
        echoes[2].replace('value="Qzvw1Nachname"', 'value="Qzvw1Nachname Qzvw2Vorname"'),
        echoes[3].replace("Nachname“", "Nachname, Qzvw2Vorname“"),
        '<p class="kern-body">Meinten Sie Qzvw2Vorname?</p>',
        '<a href="/suche/feed/?q=Qzvw1Nachname&amp;status=Qzvw2Vorname">',
        '<span class="beirat-alert-query">Qzvw1Nachname Qzvw2Vorname</span>',
        "<title>Suche: „Qzvw1Nachname Qzvw2Vorname“</title>",
    ]
    for element in widened:
        found = markers_in(without_search_echo(address, "\n".join([*echoes, element]).encode()))
        assert "Qzvw2Vorname" in found, element
    result = '<li><a href="/x/">Stellungnahme von Qzvw1Nachname</a></li>'
    assert markers_in(without_search_echo(address, f"{page.decode()}{result}".encode())) == [
        "Qzvw1Nachname"
    ]
    # Another page's query is not this page's echo.
    assert markers_in(without_search_echo("/suche/?q=Qzvw1Vorname", page)) == ["Qzvw1Nachname"]


def test_positive_control_a_planted_leak_is_found_on_every_surface(
    world, search_index, monkeypatch
):
    member = User.objects.get(pk=MEMBER_IDS[0])
    name = member.last_name
    # A public page, the search and a PDF: an office names the member in public progress, a
    # published paper quotes the member, another one names the member in the API.
    recommendation = Recommendation.objects.filter(public=True).order_by("pk").first()
    assert recommendation is not None
    ProgressUpdate.objects.create(
        recommendation=recommendation, text=f"Mit {name} besprochen", status="open", progress=0
    )
    papers = Paper.objects.filter(status=Paper.Status.PUBLISHED, public=True).order_by("pk")
    paper, other = papers[0], papers[1]
    PaperSection.objects.create(paper=paper, position=99, kind="text", text=f"Laut {name} …")
    Paper.objects.filter(pk=other.pk).update(name=f"{other.name} ({member.username})")
    # IT management's pages: the pseudonym grows the member's initials (no marker: only the
    # byte comparison sees it).
    monkeypatch.setattr(
        MemberPseudonym,
        "label",
        property(lambda self: f"Mitglied {self.number} ({(self.member.first_name or '?')[0]}.)"
                 if self.member else f"Mitglied {self.number}"),
    )  # fmt: skip
    # A download: the board's report is handed out under the member's e-mail address.
    from beirat.core import downloads

    original = downloads.attachment
    monkeypatch.setattr(
        downloads,
        "attachment",
        lambda file, filename, content_type="": original(file, f"{member.email}-{filename}"),
    )
    report = Report.objects.order_by("pk").first()
    assert report is not None
    report.public = True
    report.file.save("bericht", ContentFile(f"Bericht von {name}".encode()))
    # The audit trail names the account behind an answer.
    audit.record(actor=member, action="board.answer", instance=recommendation)
    # The Django admin: the outbox shows addresses unmasked, the directory lists members.
    from beirat.core import admin as core_admin
    from beirat.directory import queries as directory_queries

    monkeypatch.setattr(core_admin, "_shown", lambda mail, addresses, **kw: ", ".join(addresses))
    monkeypatch.setattr(directory_queries, "unnamed_persons", lambda: Person.objects.none())
    # Mail, each through the outbox: a member in every header and in the envelope.
    others = [u.email for u in User.objects.filter(pk__in=MEMBER_IDS[1:])]
    citizen = ["buerger@example.org"]
    for message in [
        EmailMessage("Antwort", "Siehe unten.", to=citizen, reply_to=[member.email]),
        EmailMessage("Absender", "Guten Tag.", from_email=member.email, to=citizen),
        EmailMessage("Kopie", "Zur Kenntnis.", to=citizen, cc=[member.email]),
        EmailMessage("Blindkopie", "Zur Kenntnis.", to=citizen, bcc=[member.email]),
        EmailMessage("Fachfrage", "Bitte antworten.", to=[member.email, *others]),
        EmailMessage(
            "Neu", "Eine Antwort.", to=["it@example.org"], headers={"X-Konto": str(member.pk)}
        ),
        EmailMessage("Gruss", f"Herzlich, {member.first_name}", to=others[:1]),
        # Not a leak: a member's own mail greets the member; Reply-To is no recipient.
        EmailMessage(
            "Rueckfrage",
            f"Guten Tag {member.first_name}",
            to=[member.email],
            reply_to=["it@example.org"],
        ),
    ]:
        message.send()  # fmt: skip

    leaks, _marked = find_leaks(world, search_index)

    kinds = {"page", "staff page", "download", "pdf", "oparl", "audit", "search", "mail"}
    assert set(leaks.found) == kinds, {k: sorted(v)[:3] for k, v in leaks.found.items()}
    assert recommendation.get_absolute_url() in leaks.addresses("page")
    assert paper.get_absolute_url() + "pdf/" in leaks.addresses("pdf")
    assert any(a.endswith(f"/berichte/{report.pk}/datei/") for a in leaks.addresses("download"))
    assert "/arbeitsplatz/protokoll/" in leaks.addresses("audit")
    assert any("differs" in where for where in leaks.found["staff page"])
    assert any(a.startswith("/suche/?q=Qzvw1Nachname") for a in leaks.addresses("search"))
    staff = leaks.addresses("staff page")
    assert "/admin/core/outboxmail/" in staff
    assert {"/admin/directory/person/", "/arbeitsplatz/verzeichnis/personen/"} <= staff
    mails = {where.split("'")[1]: where for where in leaks.found["mail"]}
    assert set(mails) == {"Antwort", "Absender", "Kopie", "Blindkopie", "Fachfrage", "Neu", "Gruss"}
    for subject in ("Kopie", "Blindkopie", "Fachfrage"):
        assert mails[subject].endswith("a member among several recipients"), mails[subject]
    assert mails["Antwort"].endswith(f"{[member.email]}")
