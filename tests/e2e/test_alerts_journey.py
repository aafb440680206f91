"""In a real browser: a visitor follows a committee by e-mail, confirms with the link from the
outbox, the council office publishes a new paper in that committee, the alert arrives in the
outbox, and one click unsubscribes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from beirat.alerts.models import Subscription
from beirat.alerts.services import delivery
from beirat.core.models import OutboxMail
from beirat.core.roles import Role
from beirat.council import services as council_services
from beirat.council.models import Consultation, Paper
from tests.factories.core import user_with_role
from tests.factories.directory import BodyFactory, CommitteeFactory

pytestmark = pytest.mark.e2e

JOURNEY = "benachrichtigung"
ADDRESS = "erika@example.org"
LINK = re.compile(r"https?://\S+")


def _link(mail: OutboxMail, part: str) -> str:
    found = [url for url in LINK.findall(mail.body) if part in url]
    assert found, mail.body
    return re.sub(r"^https?://[^/]+", "", found[0])


def _no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_follow_a_committee_confirm_get_the_new_paper_and_unsubscribe(visitors, transactional_db):
    body = BodyFactory()
    committee = CommitteeFactory(body=body, name="Ausschuss für Digitales", slug="digitales")
    clerk = user_with_role(Role.CLERK, username="sitzungsdienst")
    visitor = visitors("buergerin")
    page = visitor.page

    # 1. The committee's page carries a small form: an address, how often, one button.
    page.goto(committee.get_absolute_url())
    box = page.get_by_role("region", name="Per E-Mail benachrichtigen")
    expect(box).to_be_visible()
    box.get_by_label("Ihre E-Mail-Adresse").fill(ADDRESS)
    expect(box.get_by_label("sofort bei jeder Änderung")).to_be_checked()
    _no_sideways_scrolling(page)
    visitor.shot(JOURNEY, "01-gremium")
    box.get_by_role("button", name="Benachrichtigung einrichten").click()
    expect(page.get_by_role("heading", name="Bitte bestätigen Sie Ihre Adresse")).to_be_visible()
    expect(page.get_by_text(f"Wir haben eine E-Mail an {ADDRESS} geschickt.")).to_be_visible()
    visitor.shot(JOURNEY, "02-bitte-bestaetigen")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None

    # 2. The link from the mail in the outbox; a button confirms (opening it alone does not).
    (confirmation,) = OutboxMail.objects.filter(recipients=[ADDRESS])
    assert confirmation.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(_link(confirmation, "/bestaetigen/"))
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    visitor.shot(JOURNEY, "03-bestaetigen")
    page.get_by_role("button", name="Ja, Benachrichtigung einschalten").click()
    expect(page.get_by_role("heading", name="Benachrichtigung eingeschaltet")).to_be_visible()
    _no_sideways_scrolling(page)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    # 3. The council office publishes a new paper in the committee, through the services; a
    # non-public one beside it stays unmentioned.
    for name, public in (
        ("Glasfaser für alle Schulen", True),
        ("Vertrauliche Grundstückssache", False),
    ):
        paper = council_services.create_paper(
            paper=Paper(body=body, paper_type=Paper.Type.MOTION, date=paper_date(), name=name,
                        public=public),
            actor=clerk,
        )  # fmt: skip
        council_services.add_consultation(
            consultation=Consultation(paper=paper, committee=committee), actor=clerk
        )
        paper = council_services.register_paper(paper=paper, actor=clerk)
        council_services.publish_paper(paper=paper, actor=clerk)

    # 4. The timer's run (manage.py send_alerts): the alert is in the outbox.
    assert delivery.send_alerts() == (1, 1)
    alert = OutboxMail.objects.filter(recipients=[ADDRESS]).latest("pk")
    assert "Ausschuss für Digitales" in alert.subject
    assert "Glasfaser für alle Schulen" in alert.body
    assert "Vertrauliche" not in alert.body
    page.goto(_link(alert, "/vorlagen/"))
    expect(
        page.get_by_role("heading", name=re.compile("Glasfaser für alle Schulen"))
    ).to_be_visible()

    # 5. One click: the mail program's POST (RFC 8058) needs no session and no form.
    unsubscribe = alert.headers["List-Unsubscribe"].strip("<>")
    assert _link(alert, "/abmelden/") in unsubscribe
    page.goto(_link(alert, "/abmelden/"))
    visitor.shot(JOURNEY, "04-abbestellen")
    assert Subscription.objects.exists()  # the page alone changes nothing
    page.get_by_role("button", name="Abbestellen").click()
    expect(page.get_by_role("heading", name="Abbestellt")).to_be_visible()
    visitor.shot(JOURNEY, "05-abbestellt")
    assert not Subscription.objects.exists()
    one_click = Client(enforce_csrf_checks=True).post(
        _link(alert, "/abmelden/"), {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200  # a second click: still fine, still nothing

    assert visitor.third_party_requests() == []
    assert visitor.errors == []


def paper_date():
    from django.utils import timezone

    return timezone.localdate()
