"""axe-core in real Chromium on every public page and the main staff pages, German and English:
no serious or critical violation (BITV 2.0 / WCAG 2.1 AA), and no request to a third party."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from beirat.board.models import BoardStatement, ExpertRequest, Recommendation
from beirat.core.models import User
from beirat.council.models import Meeting, Paper
from beirat.directory.models import Committee, Person
from beirat.ingest.models import ImportRecord
from beirat.submissions.models import Forwarding, Submission

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo(transactional_db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())


def public_paths() -> list[str]:
    submission = Submission.objects.order_by("pk").first()
    meeting = Meeting.objects.filter(public=True).first()
    paper = Paper.objects.filter(status=Paper.Status.PUBLISHED, public=True).first()
    # The demo's statement has an attachment (Anlage): its list on the paper page.
    attached = Paper.objects.filter(attachments__isnull=False).first()
    recommendation = Recommendation.objects.filter(public=True).first()
    statement = BoardStatement.objects.filter(published_at__isnull=False).order_by("pk").first()
    assert statement
    assert submission
    assert meeting
    assert paper
    assert attached
    assert recommendation
    council_member = Person.objects.filter(demo=True, family_name="Müller-Muster").first()
    fraction = Committee.objects.filter(slug="demo-fraktion-rheinufer").first()
    assert council_member
    assert fraction
    return [
        "/",
        "/beirat/",
        "/beirat/stellungnahmen/",
        f"/beirat/stellungnahmen/{statement.pk}/",
        "/eingaben/neu/",
        "/eingaben/",
        f"/eingaben/{submission.tracking_code}/",
        "/vorlagen/",
        paper.get_absolute_url(),
        attached.get_absolute_url(),
        "/sitzungen/",
        "/sitzungen/?zeitraum=vergangene&gremium=stadtrat",
        # The month view on a month with a meeting (the days become a list on a phone).
        f"/sitzungen/?ansicht=monat&monat={timezone.localtime(meeting.start):%Y-%m}",
        meeting.get_absolute_url(),
        "/gremien/",
        "/gremien/digitalbeirat/",
        "/gremien/stadtrat/",
        "/personen/",
        "/personen/?q=muller",
        "/personen/?q=Zqxvbnm",
        f"/personen/{council_member.pk}/",
        "/fraktionen/",
        f"/fraktionen/{fraction.pk}/",
        "/wahlperioden/",
        "/empfehlungen/",
        recommendation.get_absolute_url(),
        "/beschlusskontrolle/",
        "/netzwerk/",
        "/netzwerk/it-stadt-koblenz/",
        "/suche/?q=Digitalbeirat",
        "/suche/?q=Zqxvbnm",
        "/barrierefreiheit/",
        "/datenschutz/",
        "/impressum/",
        "/leichte-sprache/",
        "/offene-daten/",
        "/zahlen/",
        "/gibt-es-nicht/",
        "/konto/login/",
        *alert_paths(),
    ]


def alert_paths() -> list[str]:
    """The pages of e-mail alerts: the form for a search, and the pages behind a mail's links."""
    from beirat.alerts import tokens
    from beirat.alerts.models import Recipient, Subscription

    recipient = Recipient.objects.create(email="barrierefrei@example.org")
    alert = Subscription.objects.create(
        recipient=recipient, kind=Subscription.Kind.SEARCH, target="q=Digitalbeirat",
        label="Digitalbeirat",
    )  # fmt: skip
    confirm = tokens.make(tokens.CONFIRM_SALT, alert.pk, alert.key)
    unsubscribe = tokens.make(tokens.UNSUBSCRIBE_SALT, alert.pk, alert.key)
    manage = tokens.make(tokens.MANAGE_SALT, recipient.pk, recipient.key)
    return [
        "/benachrichtigungen/neu/?q=Digitalbeirat",
        f"/benachrichtigungen/{confirm}/bestaetigen/",
        f"/benachrichtigungen/{unsubscribe}/abmelden/",
        f"/benachrichtigungen/{manage}/",
        f"/benachrichtigungen/{manage}/alle-loeschen/",
    ]


def staff_paths() -> dict[str, list[str]]:
    submission = Submission.objects.order_by("pk").first()
    open_submission = Submission.objects.filter(status__in=Submission.OPEN_STATUSES).first()
    request = ExpertRequest.objects.first()
    forwarding_office = Forwarding.objects.first()
    record = ImportRecord.objects.first()
    assert submission
    assert open_submission
    assert request
    return {
        "it-management": [
            "/arbeitsplatz/",
            "/arbeitsplatz/eingaben/",
            # searched and sorted, with the selection's boxes; then closing the selection
            f"/arbeitsplatz/eingaben/?q={open_submission.title.split()[0]}&sortierung=neueste",
            f"/arbeitsplatz/eingaben/auswahl/abschliessen/?auswahl={open_submission.pk}",
            f"/arbeitsplatz/eingaben/{submission.pk}/",
            "/arbeitsplatz/beirat/",
            f"/arbeitsplatz/beirat/fachfragen/{request.pk}/",
            "/arbeitsplatz/beirat/empfehlungen/",
        ],
        "mitglied-a": ["/arbeitsplatz/beirat/", f"/arbeitsplatz/beirat/fachfragen/{request.pk}/"],
        "amt80": ["/arbeitsplatz/amt/", "/arbeitsplatz/amt/empfehlungen/"]
        + ([f"/arbeitsplatz/amt/{forwarding_office.pk}/"] if forwarding_office else []),
        "sitzungsdienst": [
            "/arbeitsplatz/rat/",
            *_council_office_paths(),
            "/arbeitsplatz/import/",
            *([f"/arbeitsplatz/import/{record.pk}/"] if record else []),
        ],
        "datenschutz": ["/arbeitsplatz/benachrichtigungen/"],
    }


def _council_office_paths() -> list[str]:
    """The agenda of a held and of a coming meeting, an item's result page, its editing and
    removal, the route form and publishing."""
    now = timezone.now()
    held = Meeting.objects.filter(start__lt=now, agenda_items__isnull=False).first()
    coming = Meeting.objects.filter(start__gt=now, agenda_items__isnull=False).first()
    paper = Paper.objects.exclude(reference="").first()
    assert held
    assert paper
    paths = [
        f"/arbeitsplatz/rat/sitzungen/{held.pk}/",
        f"/arbeitsplatz/rat/tagesordnung/{held.agenda_items.first().pk}/beschluss/",
        f"/arbeitsplatz/rat/vorlagen/{paper.pk}/",
        f"/arbeitsplatz/rat/vorlagen/{paper.pk}/gremienweg/neu/",
        f"/arbeitsplatz/rat/vorlagen/{paper.pk}/veroeffentlichen/",
        "/arbeitsplatz/rat/vorlagen/neu/",
    ]
    attached = Paper.objects.filter(attachments__isnull=False).first()
    if attached is not None:
        attachment = attached.attachments.first().pk
        paths += [
            f"/arbeitsplatz/rat/vorlagen/{attached.pk}/",
            f"/arbeitsplatz/rat/vorlagen/{attached.pk}/anlagen/neu/",
            f"/arbeitsplatz/rat/anlagen/{attachment}/umbenennen/",
            f"/arbeitsplatz/rat/anlagen/{attachment}/entfernen/",
        ]
    if coming is not None:
        item = coming.agenda_items.first().pk
        paths += [
            f"/arbeitsplatz/rat/sitzungen/{coming.pk}/",
            f"/arbeitsplatz/rat/tagesordnung/{item}/bearbeiten/",
            f"/arbeitsplatz/rat/tagesordnung/{item}/entfernen/",
        ]
    return paths


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


def session_cookie(username: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_serious_violation_and_no_third_party(browser, live_server, demo, language):
    found: dict[str, list[str]] = {}
    requested: list[str] = []
    pages = [(None, path) for path in public_paths()]
    pages += [(user, path) for user, paths in staff_paths().items() for path in paths]
    contexts = {}
    for user, path in pages:
        if user not in contexts:
            context = browser.new_context(
                base_url=live_server.url,
                locale="de-DE",
                bypass_csp=True,  # to inject axe
            )
            cookies = [
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
            ]
            if user:
                cookies.append(
                    {"name": "sessionid", "value": session_cookie(user), "url": live_server.url}
                )
            context.add_cookies(cookies)
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            contexts[user] = (context, page)
        page = contexts[user][1]
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        violations = axe_violations(page)
        if violations:
            found[f"{user or 'öffentlich'} {path}"] = violations
    for context, _page in contexts.values():
        context.close()

    assert found == {}
    own = re.compile(rf"^{re.escape(live_server.url)}/")
    assert [url for url in requested if not own.match(url) and not url.startswith("data:")] == []
    assert len(pages) > 35


def test_positive_control_axe_finds_a_planted_barrier(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html lang="de"><head><title>Test</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        '<p style="color:#bbb;background:#fff">Kaum lesbar</p></main></body></html>'
    )

    violations = " ".join(axe_violations(page))
    context.close()

    assert "image-alt (critical)" in violations
    assert "label (critical)" in violations
    assert "color-contrast (serious)" in violations


# Staff pages that are mostly a table, beyond those axe reads.
STAFF_LISTS = {
    "admin": [
        "/arbeitsplatz/protokoll/",
        "/arbeitsplatz/verzeichnis/einheiten/",
        "/arbeitsplatz/verzeichnis/gremien/",
        "/arbeitsplatz/verzeichnis/partner/",
        "/arbeitsplatz/verzeichnis/personen/",
        "/arbeitsplatz/verzeichnis/wahlperioden/",
    ],
    "datenschutz": ["/arbeitsplatz/beirat/pseudonyme/"],
    "it-management": ["/arbeitsplatz/eingaben/themen/", "/arbeitsplatz/eingaben/textbausteine/"],
    "sitzungsdienst": [
        "/arbeitsplatz/rat/vorlagen/",
        "/arbeitsplatz/rat/sitzungen/",
        "/arbeitsplatz/rat/auftraege/",
    ],
}

# The page's width, or the right edge of the widest table: a table that scrolls inside its own
# box hides columns without a sign, so it counts as too wide as well.
WIDEST = """Math.max(document.documentElement.scrollWidth,
  ...[...document.querySelectorAll('table')]
    .map(t => Math.ceil(t.getBoundingClientRect().right)))"""


def test_every_page_fits_a_phone_without_sideways_scrolling(browser, live_server, demo):
    """At 375 px (WCAG 1.4.10 reflow) no page is wider than the screen and no table hides
    columns: tables become cards."""
    too_wide: dict[str, int] = {}
    pages = [(None, path) for path in public_paths()]
    pages += [(user, path) for user, paths in staff_paths().items() for path in paths]
    pages += [(user, path) for user, paths in STAFF_LISTS.items() for path in paths]
    contexts = {}
    for user, path in pages:
        if user not in contexts:
            context = browser.new_context(
                base_url=live_server.url, locale="de-DE", viewport={"width": 375, "height": 800}
            )
            if user:
                context.add_cookies(
                    [{"name": "sessionid", "value": session_cookie(user), "url": live_server.url}]
                )
            contexts[user] = (context, context.new_page())
        page = contexts[user][1]
        response = page.goto(path)
        assert response.ok or path == "/gibt-es-nicht/", path
        assert "/konto/login/" not in page.url or user is None, path
        width = page.evaluate(WIDEST)
        if width > 375:
            too_wide[f"{user or 'öffentlich'} {path}"] = width
    for context, _page in contexts.values():
        context.close()

    assert too_wide == {}


def test_positive_control_a_wide_table_is_found_too_wide(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_content(
        '<html lang="de"><body><table><tr>'
        + "".join(f"<td>Spalte{n}Langeswort</td>" for n in range(12))
        + "</tr></table></body></html>"
    )
    page_width = page.evaluate("document.documentElement.scrollWidth")
    page.set_content(
        '<html lang="de"><body><div style="overflow-x:auto"><table><tr>'
        + "".join(f"<td>Spalte{n}Langeswort</td>" for n in range(12))
        + "</tr></table></div></body></html>"
    )
    hidden_columns = page.evaluate(WIDEST)
    context.close()
    assert page_width > 375
    assert hidden_columns > 375


def _figures_world() -> None:
    """Enough submissions, recommendations and mandates for every chart of /zahlen/ to draw
    bars, a hidden "<5" and the target line."""
    from tests.factories.board import RecommendationFactory
    from tests.factories.council import MandateFactory
    from tests.factories.submissions import SubmissionFactory

    first = timezone.localdate().replace(day=1)
    for months_back, count in ((1, 12), (2, 4), (3, 7)):
        day = first
        for _ in range(months_back):
            day = (day - timezone.timedelta(days=1)).replace(day=1)
        received = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
        for number in range(count):
            one = SubmissionFactory()
            Submission.objects.filter(pk=one.pk).update(
                received_at=received + timezone.timedelta(hours=number),
                first_answered_at=received + timezone.timedelta(days=number % 9),
            )
            one.events.create(kind="replied")
    for status in ["open"] * 6 + ["implemented"] * 3:
        RecommendationFactory(status=status)
    for _ in range(6):
        MandateFactory(due_date=timezone.localdate() - timezone.timedelta(days=3))


@pytest.mark.parametrize("width", [1280, 375])
def test_the_figures_page_with_its_tables_open(browser, live_server, transactional_db, width):
    """/zahlen/ with every chart drawn and every table opened: no serious violation, no style
    the CSP blocks, nothing from another origin, and nothing wider than a phone."""
    _figures_world()
    requested: list[str] = []
    blocked: list[str] = []
    for bypass in (False, True):  # first as a visitor gets it (CSP on), then with axe injected
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            viewport={"width": width, "height": 900},
            bypass_csp=bypass,
        )
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.on(
            "console",
            lambda message: (
                blocked.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto("/zahlen/")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.locator("svg.beirat-chart").count() == 5
        assert page.locator("svg.beirat-chart rect").count() > 10
        if bypass:
            assert axe_violations(page) == []
        else:
            assert page.evaluate(WIDEST) <= width
        context.close()

    assert blocked == []
    own = re.compile(rf"^{re.escape(live_server.url)}/")
    assert [url for url in requested if not own.match(url) and not url.startswith("data:")] == []
