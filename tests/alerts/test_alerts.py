"""E-mail alerts: subscribe, double opt-in, what is sent (and what never is), one-click
unsubscribe (RFC 8058), managing, rate limits, retention and erasure on request."""

from __future__ import annotations

import datetime
import io
import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beirat.alerts import tokens
from beirat.alerts.models import Pending, Recipient, Subscription
from beirat.alerts.services import delivery, scan
from beirat.board.models import Recommendation
from beirat.core import retention
from beirat.core.form_tokens import issue_token
from beirat.core.models import AuditEntry, OutboxMail
from beirat.core.roles import Role
from beirat.council import services as council_services
from beirat.council.models import Paper
from tests.factories.board import RecommendationFactory
from tests.factories.core import user_with_role
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
    PaperFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import CommitteeFactory

pytestmark = pytest.mark.django_db
ADDRESS = "erika@example.org"
URL = re.compile(r"https?://\S+")


def _subscribe(client: Client, email: str = ADDRESS, frequency: str = "immediate", **target):
    data = {"email": email, "frequency": frequency, "issued": issue_token(), **target}
    return client.post(reverse("alerts:subscribe"), data)


def _mails_to(email: str = ADDRESS) -> list[OutboxMail]:
    return list(OutboxMail.objects.filter(recipients=[email]).order_by("pk"))


def _link(mail: OutboxMail, part: str) -> str:
    found = [url for url in URL.findall(mail.body) if part in url]
    assert found, mail.body
    return found[0].replace("http://127.0.0.1:8000", "").replace("http://testserver", "")


def _confirm(client: Client, email: str = ADDRESS) -> Subscription:
    mail = _mails_to(email)[-1]
    path = _link(mail, "/bestaetigen/")
    assert client.post(path).status_code == 200
    return Subscription.objects.filter(recipient__email=email).latest("pk")


def _manage_path(mail: OutboxMail) -> str:
    """The link below "Alle Ihre Benachrichtigungen verwalten"."""
    lines = mail.body.splitlines()
    index = next(n for n, line in enumerate(lines) if "verwalten" in line or "manage" in line)
    return lines[index + 1].replace("http://127.0.0.1:8000", "")


def _published_in(committee, **kwargs) -> Paper:
    paper = PublishedPaperFactory(**kwargs)
    ConsultationFactory(paper=paper, committee=committee)
    return paper


@pytest.fixture
def committee():
    return CommitteeFactory(name="Ausschuss für Digitales", slug="digitales")


# Subscribe and confirm --------------------------------------------------------------------------


def test_subscribing_stores_an_unconfirmed_alert_and_mails_a_signed_link(anonymous, committee):
    response = _subscribe(anonymous, fuer_gremium="digitales")

    assert response.status_code == 200
    assert "Bitte bestätigen Sie Ihre Adresse" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.recipient.email == ADDRESS
    assert not subscription.is_confirmed
    (mail,) = _mails_to()
    assert "/bestaetigen/" in mail.body
    assert ADDRESS not in _link(mail, "/bestaetigen/")  # the link names no address
    assert response.cookies == {}  # no session, no cookie


def test_the_address_is_stored_in_lower_case_and_duplicates_are_refused(anonymous, committee):
    _subscribe(anonymous, email="Erika@Example.ORG", fuer_gremium="digitales")
    _confirm(anonymous)
    cache.clear()

    response = _subscribe(anonymous, email="erika@example.org", fuer_gremium="digitales")

    assert response.status_code == 200
    assert Subscription.objects.count() == 1
    last = _mails_to()[-1]
    assert "bereits eine Benachrichtigung" in last.body
    assert "Wir haben keine zweite eingerichtet" in last.body


def test_a_second_request_before_confirming_sends_the_link_again_without_a_second_row(
    anonymous, committee
):
    _subscribe(anonymous, fuer_gremium="digitales")
    _subscribe(anonymous, fuer_gremium="digitales", frequency="daily")

    subscription = Subscription.objects.get()
    assert subscription.frequency == "daily"
    assert len(_mails_to()) == 2
    assert all("/bestaetigen/" in mail.body for mail in _mails_to())


def test_the_confirmation_link_only_shows_a_button_on_get(anonymous, committee):
    _subscribe(anonymous, fuer_gremium="digitales")
    path = _link(_mails_to()[0], "/bestaetigen/")

    page = anonymous.get(path)

    assert page.status_code == 200
    assert "Ja, Benachrichtigung einschalten" in page.content.decode()
    assert not Subscription.objects.get().is_confirmed
    assert "no-store" in page["Cache-Control"]
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    anonymous.post(path)
    assert Subscription.objects.get().is_confirmed


@pytest.mark.parametrize(
    "email", ["kein-at-zeichen", "a@b", "", "erika@example.org\nBcc: x@example.org"]
)
def test_an_invalid_address_stores_nothing_and_sends_nothing(anonymous, committee, email):
    response = _subscribe(anonymous, email=email, fuer_gremium="digitales")

    assert response.status_code == 400
    assert "E-Mail-Adresse" in response.content.decode()
    assert not Recipient.objects.exists()
    assert not OutboxMail.objects.exists()


def test_a_non_public_committee_paper_or_recommendation_cannot_be_followed(anonymous):
    CommitteeFactory(slug="geheim", public=False)
    PaperFactory(status=Paper.Status.REGISTERED, reference="AF/0099/2021", sequence=99, year=2021)
    hidden = RecommendationFactory(public=False)

    for target in (
        {"fuer_gremium": "geheim"},
        {"fuer_vorlage": "AF-0099-2021"},
        {"fuer_empfehlung": hidden.pk},
        {"fuer_gremium": "gibt-es-nicht"},
        {"q": ""},
    ):
        assert _subscribe(anonymous, **target).status_code == 404, target
        assert anonymous.get(reverse("alerts:subscribe"), target).status_code == 404
    assert not Subscription.objects.exists()
    assert not OutboxMail.objects.exists()


@pytest.mark.parametrize("token", ["", "x" * 20, "abc:def:ghi"])
def test_a_forged_form_token_is_refused(anonymous, committee, token):
    data = {
        "email": ADDRESS,
        "frequency": "immediate",
        "issued": token,
        "fuer_gremium": "digitales",
    }

    response = anonymous.post(reverse("alerts:subscribe"), data)

    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_forged_and_expired_links_get_a_clear_message_and_change_nothing(
    anonymous, committee, monkeypatch
):
    _subscribe(anonymous, fuer_gremium="digitales")
    subscription = Subscription.objects.get()
    good = tokens.make(tokens.CONFIRM_SALT, subscription.pk, subscription.key)
    forged = tokens.make(tokens.CONFIRM_SALT, subscription.pk, "other-key")
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")

    for token in (forged, tampered, "erfunden"):
        response = anonymous.post(reverse("alerts:confirm", kwargs={"token": token}))
        assert response.status_code in (400, 410), token
    assert (
        "Ungültiger Link"
        in anonymous.get(reverse("alerts:confirm", kwargs={"token": tampered})).content.decode()
    )

    made = int(time.time() - tokens.CONFIRM_MAX_AGE.total_seconds() - 60)
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(made))
        old = tokens.make(tokens.CONFIRM_SALT, subscription.pk, subscription.key)
    expired = anonymous.post(reverse("alerts:confirm", kwargs={"token": old}))
    assert expired.status_code == 410
    assert "abgelaufen" in expired.content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_confirmed


def test_a_flood_of_made_up_links_is_stopped(anonymous):
    for _attempt in range(30):
        anonymous.get(reverse("alerts:unsubscribe", kwargs={"token": "erfunden"}))

    response = anonymous.get(reverse("alerts:unsubscribe", kwargs={"token": "erfunden"}))

    assert response.status_code == 429
    assert "Zu viele Versuche" in response.content.decode()


def test_a_flood_from_one_client_is_stopped_with_a_clear_message(anonymous, committee):
    for number in range(20):
        assert _subscribe(anonymous, email=f"p{number}@example.org", fuer_gremium="digitales")

    response = _subscribe(anonymous, email="last@example.org", fuer_gremium="digitales")

    assert response.status_code == 429
    assert "sehr viele Anmeldungen" in response.content.decode()
    assert not Recipient.objects.filter(email="last@example.org").exists()
    assert not _mails_to("last@example.org")


def test_one_address_gets_at_most_five_mails_a_day_whoever_asks(committee):
    for number in range(5):
        client = Client(REMOTE_ADDR=f"10.0.0.{number}")
        assert _subscribe(client, fuer_gremium="digitales").status_code == 200

    response = _subscribe(Client(REMOTE_ADDR="10.0.0.99"), fuer_gremium="digitales")

    assert response.status_code == 429
    assert "schon mehrere E-Mails" in response.content.decode()
    assert len(_mails_to()) == 5


# What is sent -----------------------------------------------------------------------------------


def _follow(client: Client, **target) -> Subscription:
    _subscribe(client, **target)
    return _confirm(client)


def test_a_new_public_paper_in_the_committee_is_mailed_with_one_click_unsubscribe(
    anonymous, committee
):
    _follow(anonymous, fuer_gremium="digitales")
    paper = _published_in(committee, name="Glasfaser für alle Schulen")

    queued, mails = delivery.send_alerts()

    assert (queued, mails) == (1, 1)
    mail = _mails_to()[-1]
    assert "Ausschuss für Digitales" in mail.subject
    assert "Glasfaser für alle Schulen" in mail.body
    assert paper.get_absolute_url() in mail.body
    unsubscribe = _link(mail, "/abmelden/")
    assert mail.headers["List-Unsubscribe"].startswith("<http")
    assert mail.headers["List-Unsubscribe"].endswith(unsubscribe + ">")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/benachrichtigungen/" in _link(mail, "/benachrichtigungen/")
    assert not Pending.objects.exists()
    assert delivery.send_alerts() == (0, 0)  # nothing twice


def test_the_delivered_mail_keeps_the_unsubscribe_headers(anonymous, committee, mailoutbox):
    from beirat.core.mail import deliver_mail

    _follow(anonymous, fuer_gremium="digitales")
    _published_in(committee)
    delivery.send_alerts()

    deliver_mail(mail_id=_mails_to()[-1].pk)

    sent = mailoutbox[-1]
    message = sent.message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http")


def test_a_non_public_paper_meeting_or_item_in_the_committee_triggers_nothing(anonymous, committee):
    _follow(anonymous, fuer_gremium="digitales")
    hidden = PublishedPaperFactory(public=False, name="GEHEIM-Vorlage")
    ConsultationFactory(paper=hidden, committee=committee)
    registered = PaperFactory(
        status=Paper.Status.REGISTERED,
        name="GEHEIM-Entwurf",
        reference="AF/0098/2021",
        type_code="AF",
        sequence=98,
        year=2021,
    )
    ConsultationFactory(paper=registered, committee=committee)
    MeetingFactory(committee=committee, public=False, name="GEHEIM-Sitzung")
    before = OutboxMail.objects.count()

    assert delivery.send_alerts() == (0, 0)
    assert OutboxMail.objects.count() == before
    assert not any("GEHEIM" in mail.body for mail in OutboxMail.objects.all())


def test_a_non_public_agenda_item_of_a_followed_meetings_committee_sends_nothing(
    anonymous, committee
):
    meeting = MeetingFactory(committee=committee, name="Sitzung im März")
    _follow(anonymous, fuer_gremium="digitales")
    delivery.send_alerts()
    before = OutboxMail.objects.count()

    AgendaItemFactory(meeting=meeting, public=False, name="GEHEIM Personalsache")
    assert delivery.send_alerts() == (0, 0)

    assert OutboxMail.objects.count() == before


def test_publishing_a_draft_through_the_services_alerts_the_committee(anonymous, committee):
    clerk = user_with_role(Role.CLERK)
    draft = PaperFactory(name="Offene Daten im Rat")
    ConsultationFactory(paper=draft, committee=committee)
    _follow(anonymous, fuer_gremium="digitales")
    assert delivery.send_alerts() == (0, 0)  # a draft is not public

    council_services.register_paper(paper=draft, actor=clerk)
    assert delivery.send_alerts() == (0, 0)  # registered, not yet published
    council_services.publish_paper(paper=Paper.objects.get(pk=draft.pk), actor=clerk)

    assert delivery.send_alerts() == (1, 1)
    assert "Offene Daten im Rat" in _mails_to()[-1].body


def test_nothing_is_ever_sent_before_the_confirmation(anonymous, committee):
    _subscribe(anonymous, fuer_gremium="digitales")
    _published_in(committee)

    assert delivery.send_alerts() == (0, 0)
    assert delivery.send_digest() == 0
    assert len(_mails_to()) == 1  # the confirmation only


def test_a_followed_paper_reports_new_consultations_and_outcomes(anonymous):
    paper = PublishedPaperFactory(name="Freifunk im Rathaus")
    _follow(anonymous, fuer_vorlage=paper.reference_slug)
    assert delivery.send_alerts() == (0, 0)

    committee = CommitteeFactory(name="Hauptausschuss")
    consultation = ConsultationFactory(
        paper=paper, committee=committee, planned_date=timezone.localdate()
    )
    assert delivery.send_alerts() == (1, 1)
    assert "Neue Beratung: Hauptausschuss" in _mails_to()[-1].body

    consultation.outcome = "unanimous"
    consultation.save()
    assert delivery.send_alerts() == (1, 1)
    assert "Ergebnis in Hauptausschuss: einstimmig" in _mails_to()[-1].body


def test_a_result_of_a_meeting_still_to_come_is_not_sent(anonymous):
    paper = PublishedPaperFactory()
    _follow(anonymous, fuer_vorlage=paper.reference_slug)
    coming = MeetingFactory(start=timezone.now() + datetime.timedelta(days=3))
    consultation = ConsultationFactory(paper=paper, committee=coming.committee, meeting=coming)
    delivery.send_alerts()
    before = OutboxMail.objects.count()

    consultation.outcome = "rejected"
    consultation.save()

    assert delivery.send_alerts() == (0, 0)
    assert OutboxMail.objects.count() == before


def test_a_paper_made_non_public_is_not_reported_any_more(anonymous):
    paper = PublishedPaperFactory(name="Bald verborgen")
    _follow(anonymous, fuer_vorlage=paper.reference_slug)
    paper.public = False
    paper.name = "GEHEIMER neuer Titel"
    paper.save()

    assert delivery.send_alerts() == (0, 0)
    assert not any("GEHEIM" in mail.body for mail in OutboxMail.objects.all())


def test_a_followed_recommendation_reports_its_status_and_never_a_member(anonymous):
    member = user_with_role(Role.BOARD_MEMBER, username="mitglied-geheim")
    recommendation = RecommendationFactory(title="Offenes WLAN", created_by=member)
    _follow(anonymous, fuer_empfehlung=recommendation.pk)

    recommendation.status = Recommendation.Status.IN_PROGRESS
    recommendation.save()

    assert delivery.send_alerts() == (1, 1)
    body = _mails_to()[-1].body
    assert "Umsetzungsstand: offen → in Umsetzung" in body
    assert "mitglied-geheim" not in body


def test_a_non_public_recommendation_change_sends_nothing(anonymous):
    recommendation = RecommendationFactory()
    _follow(anonymous, fuer_empfehlung=recommendation.pk)
    recommendation.public = False
    recommendation.status = Recommendation.Status.IMPLEMENTED
    recommendation.save()

    assert delivery.send_alerts() == (0, 0)


def test_a_saved_search_mails_new_public_hits_only(anonymous, search_index):
    PublishedPaperFactory(name="Glasfaser am Rhein")
    search_index.sync()
    _follow(anonymous, q="Glasfaser")
    assert delivery.send_alerts() == (0, 0)  # the hits at confirmation are known

    PublishedPaperFactory(name="Glasfaser an der Mosel")
    PublishedPaperFactory(public=False, name="Glasfaser GEHEIM")
    search_index.sync()

    assert delivery.send_alerts() == (1, 1)
    body = _mails_to()[-1].body
    assert "Glasfaser an der Mosel" in body
    assert "GEHEIM" not in body
    assert "am Rhein" not in body


def test_the_daily_digest_collects_the_day_and_waits_for_its_timer(anonymous, committee):
    _subscribe(anonymous, fuer_gremium="digitales", frequency="daily")
    _confirm(anonymous)
    _published_in(committee, name="Erste")
    delivery.send_alerts()
    _published_in(committee, name="Zweite")
    assert delivery.send_alerts() == (1, 0)  # queued, not sent
    before = len(_mails_to())

    call_command("send_alert_digest", stdout=io.StringIO())

    mails = _mails_to()
    assert len(mails) == before + 1
    assert "Tagesübersicht" in mails[-1].subject
    assert "Erste" in mails[-1].body
    assert "Zweite" in mails[-1].body
    assert mails[-1].headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_mails_follow_the_language_of_the_subscription(committee, settings):
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = english.post(
        reverse("alerts:subscribe"),
        {
            "email": ADDRESS,
            "frequency": "immediate",
            "issued": issue_token(),
            "fuer_gremium": "digitales",
        },
    )
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.recipient.language == "en"
    assert _mails_to()[0].subject == "Please confirm your alert"


# Unsubscribe and manage -------------------------------------------------------------------------


def test_one_click_unsubscribe_needs_no_session_and_no_csrf_token(anonymous, committee):
    _follow(anonymous, fuer_gremium="digitales")
    _published_in(committee)
    delivery.send_alerts()
    path = _link(_mails_to()[-1], "/abmelden/")
    strict = Client(enforce_csrf_checks=True)

    page = strict.get(path)
    assert page.status_code == 200
    assert "Abbestellen" in page.content.decode()
    assert Subscription.objects.exists()

    response = strict.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert not Recipient.objects.exists()  # the address went with its last alert
    again = strict.post(path, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert "Bereits abbestellt" in again.content.decode()


def test_the_manage_link_lists_changes_frequency_and_deletes_all(anonymous, committee):
    paper = PublishedPaperFactory()
    _follow(anonymous, fuer_gremium="digitales")
    cache.clear()
    _follow(anonymous, fuer_vorlage=paper.reference_slug)
    path = _manage_path(_mails_to()[-1])
    first = Subscription.objects.order_by("pk").first()

    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Ausschuss für Digitales" in page.content.decode()
    assert paper.name in page.content.decode()

    changed = anonymous.post(
        path, {"abo": first.pk, "aktion": "haeufigkeit", f"abo{first.pk}-frequency": "daily"}
    )
    assert changed.status_code == 200
    first.refresh_from_db()
    assert first.frequency == "daily"

    delete_all = path + "alle-loeschen/"
    assert "Alle 2 Benachrichtigungen" in anonymous.get(delete_all).content.decode()
    assert anonymous.post(delete_all).status_code == 200
    assert not Recipient.objects.exists()
    assert AuditEntry.objects.filter(action="alerts.delete_all").exists()
    assert ADDRESS not in str(list(AuditEntry.objects.values_list("object_label", "changes")))


def test_one_address_cannot_manage_another(anonymous, committee):
    _follow(anonymous, fuer_gremium="digitales")
    mine = Recipient.objects.get()
    cache.clear()
    _subscribe(anonymous, email="other@example.org", fuer_gremium="digitales")
    theirs = Recipient.objects.get(email="other@example.org")
    path = reverse(
        "alerts:manage", kwargs={"token": tokens.make(tokens.MANAGE_SALT, mine.pk, mine.key)}
    )
    subscription = theirs.subscriptions.get()

    response = anonymous.post(path, {"abo": subscription.pk, "aktion": "loeschen"})

    assert response.status_code == 400
    assert Subscription.objects.filter(pk=subscription.pk).exists()


# Retention and erasure --------------------------------------------------------------------------


def test_unconfirmed_alerts_are_deleted_after_their_period(anonymous, committee, settings):
    _subscribe(anonymous, fuer_gremium="digitales")
    days = settings.BEIRAT_RETENTION_DAYS["alert_unconfirmed"]

    retention.apply(now=timezone.now() + datetime.timedelta(days=days - 1))
    assert Subscription.objects.exists()
    retention.apply(now=timezone.now() + datetime.timedelta(days=days, minutes=1))

    assert not Subscription.objects.exists()
    assert not Recipient.objects.exists()


def test_confirmed_alerts_outlive_the_unconfirmed_period(anonymous, committee, settings):
    _follow(anonymous, fuer_gremium="digitales")

    retention.apply(now=timezone.now() + datetime.timedelta(days=365))

    assert Subscription.objects.exists()


def test_the_privacy_role_erases_every_alert_of_an_address_for_good(anonymous, committee, settings):
    privacy = Client()
    officer = user_with_role(Role.PRIVACY, username="datenschutz")
    privacy.force_login(officer)
    _follow(anonymous, fuer_gremium="digitales")
    url = reverse("alerts:staff_erase")

    looked = privacy.post(url, {"email": ADDRESS.upper(), "aktion": "suchen"})
    assert "1 Benachrichtigung" in looked.content.decode()
    assert Recipient.objects.exists()
    erased = privacy.post(url, {"email": ADDRESS, "aktion": "loeschen"})

    assert erased.status_code == 200
    assert not Recipient.objects.exists()
    assert not _mails_to()  # the alert mails to the address went with it
    entry = AuditEntry.objects.get(action="alerts.erase_address")
    assert entry.actor == officer
    assert ADDRESS not in str(entry.changes) + entry.object_label
    assert ("alert_subscriptions", entry.object_id and int(entry.object_id)) in (
        retention.ledger_entries()
    )


def test_the_retention_register_names_alerts(anonymous):
    page = anonymous.get(reverse("core:retention"))

    assert "Nicht bestätigte E-Mail-Benachrichtigungen" in page.content.decode()
    assert "E-Mail-Benachrichtigungen" in page.content.decode()


# The forms on the pages -------------------------------------------------------------------------


def test_the_public_pages_carry_the_subscribe_form(anonymous, committee, search_index):
    paper = _published_in(committee)
    recommendation = RecommendationFactory()

    for page in (
        committee.get_absolute_url(),
        paper.get_absolute_url(),
        recommendation.get_absolute_url(),
    ):
        body = anonymous.get(page).content.decode()
        assert 'action="/benachrichtigungen/neu/"' in body, page
        assert "Per E-Mail benachrichtigen" in body
    search_index.sync()
    search = anonymous.get("/suche/?q=Digitalisierung").content.decode()
    assert 'href="/benachrichtigungen/neu/?q=Digitalisierung"' in search


def test_a_clerk_on_a_draft_sees_no_subscribe_form(clerk):
    draft = PublishedPaperFactory(public=False)

    body = clerk.get(draft.get_absolute_url()).content.decode()

    assert "Per E-Mail benachrichtigen" not in body


def test_the_scan_keeps_nothing_when_it_fails(anonymous, committee, monkeypatch):
    _follow(anonymous, fuer_gremium="digitales")
    _published_in(committee)

    def broken(*args, **kwargs):
        raise RuntimeError("mail template missing")

    monkeypatch.setattr(scan, "queue_search_hits", broken)
    with pytest.raises(RuntimeError):
        delivery.send_alerts()
    monkeypatch.undo()

    assert not Pending.objects.exists()
    assert delivery.send_alerts() == (1, 1)  # the change is found again


def test_the_logs_mask_the_signed_links_like_tracking_codes():
    from beirat.core.log_records import mask

    token = tokens.make(tokens.UNSUBSCRIBE_SALT, 12, "geheimer-schluessel")
    line = f'"POST /benachrichtigungen/{token}/abmelden/ HTTP/1.1" 200'

    masked = mask(line)

    assert token not in masked
    assert "/benachrichtigungen/" in masked
    assert mask("/benachrichtigungen/neu/") == "/benachrichtigungen/neu/"


def test_every_mail_of_the_alerts_carries_one_click_unsubscribe(anonymous, committee):
    _follow(anonymous, fuer_gremium="digitales")
    cache.clear()
    _subscribe(anonymous, fuer_gremium="digitales")  # "already subscribed"
    _published_in(committee)
    delivery.send_alerts()

    mails = _mails_to()
    assert len(mails) == 3  # confirmation, "already", the alert
    for mail in mails:
        unsubscribe = mail.headers["List-Unsubscribe"]
        assert re.fullmatch(
            r"<http://127\.0\.0\.1:8000/benachrichtigungen/[^/]+/abmelden/>", unsubscribe
        )
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe[1:-1] in mail.body
        assert "Alle Ihre Benachrichtigungen verwalten" in mail.body
