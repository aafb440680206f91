"""In a real browser: the first login of new IT-management staff, from the start page to the
workplace, with one password prompt, the authenticator app's set-up and the recovery codes; then
the next login, which asks for the code and offers no security key to someone without one."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from beirat.core.roles import Role
from tests.factories.core import UserFactory

pytestmark = pytest.mark.e2e

JOURNEY = "erste-anmeldung"
PASSWORD = "Sehr-sicheres-Passwort-1"


def totp_code(secret: str) -> str:
    """What the authenticator app shows now (allauth's own TOTP with its 30-second period and
    no tolerance): close to the end of a period, the next one's, so that it is still valid."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_first_login_of_it_management_asks_the_password_once_and_ends_in_the_workplace(
    visitors,
):
    user = UserFactory(username="neu-it", first_name="Nora", last_name="Neumann")
    user.groups.add(Group.objects.get(name=Role.TRIAGE.value))
    staff = visitors("it-management")
    page = staff.page
    password_prompts: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: (
            password_prompts.append(frame.url)
            if frame == page.main_frame and "/reauthenticate/" in frame.url
            else None
        ),
    )

    # 1. From the start page to the login, which speaks to staff and volunteer members alike.
    page.goto("/")
    page.get_by_role("link", name="Anmeldung für Verwaltung und Digitalbeirat").click()
    expect(
        page.get_by_role("heading", name="Anmeldung für Verwaltung und Digitalbeirat")
    ).to_be_visible()
    expect(page.get_by_text("Mitarbeitende")).to_have_count(0)
    page.get_by_placeholder(re.compile("Benutzername|E-Mail")).fill("neu-it")
    page.get_by_placeholder("Passwort").fill(PASSWORD)
    staff.shot(JOURNEY, "01-anmeldung")
    page.get_by_role("button", name="Anmelden").click()

    # 2. The role requires a second factor: its set-up follows, without the password again.
    expect(page).to_have_url(re.compile("/konto/2fa/totp/activate/$"))
    expect(page.get_by_text("Zwei-Faktor-Anmeldung vorgeschrieben")).to_be_visible()
    expect(page.get_by_label("Passwort")).to_have_count(0)
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    staff.shot(JOURNEY, "02-app-einrichten")
    page.get_by_label("Authentifizierungscode").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivieren").click()

    # 3. The recovery codes, and a clear way on to the workplace.
    expect(page).to_have_url(re.compile("/konto/2fa/recovery-codes/$"))
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10, codes
    staff.shot(JOURNEY, "03-wiederherstellungscodes")
    page.get_by_role("link", name="Weiter").click()
    expect(page).to_have_url(re.compile("/arbeitsplatz/$"))
    expect(page.get_by_role("heading", name="Arbeitsplatz")).to_be_visible()
    expect(page.get_by_role("link", name="Eingaben sichten")).to_be_visible()
    staff.shot(JOURNEY, "04-arbeitsplatz")
    assert password_prompts == []

    # 4. The next login asks for the code; a security key is offered to key holders only.
    page.get_by_role("link", name="Abmelden").click()
    page.get_by_role("button", name="Abmelden").click()
    page.goto("/konto/login/")
    page.get_by_placeholder(re.compile("Benutzername|E-Mail")).fill("neu-it")
    page.get_by_placeholder("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile("/konto/2fa/authenticate/$"))
    expect(page.get_by_text(re.compile("Sicherheitsschlüssel"))).to_have_count(0)
    staff.shot(JOURNEY, "05-zweiter-faktor")
    # The app's code of the set-up counts once; a recovery code stands in for the next one.
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile("/arbeitsplatz/$"))
    staff.shot(JOURNEY, "06-wieder-im-arbeitsplatz")
    assert staff.third_party_requests() == []
    assert staff.errors == []
