"""Staff sign in with the city's identity provider in real Chromium: the demo account
it-management through an OpenID Connect provider (oidc-provider-mock) and a SAML identity
provider (pysaml2) on loopback, into the workplace and out again, at the provider too.

Chromium enforces the Content-Security-Policy, so these journeys fail when form-action does not
allow the provider (the button "Fortfahren" then does nothing)."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from beirat.directory import demo
from tests import identity_providers as idp

pytestmark = pytest.mark.e2e

IT_MANAGEMENT = {
    "email": "it-management@stadt.koblenz.de",
    "email_verified": True,
    "name": "Ilse Triage",
    "preferred_username": "ilse.triage",
}


def _watch_csp(visitor) -> list[str]:
    violations: list[str] = []
    visitor.page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def _demo_accounts() -> None:
    demo.load(stdout=io.StringIO())


def test_it_management_signs_in_with_openid_connect_and_out_again(
    visitors, transactional_db, settings
):
    _demo_accounts()
    claims = {**IT_MANAGEMENT, "amr": ["pwd", "mfa"]}
    with idp.oidc_provider([("ilse", claims)]) as provider:
        idp.sso_settings(settings, idp.oidc_environment(provider))
        ilse = visitors("ilse")
        violations = _watch_csp(ilse)
        page = ilse.page

        page.goto("/konto/login/")
        ilse.shot("sso-oidc", "01-anmeldung")
        page.get_by_role("link", name="Stadt-Login").click()
        expect(page.get_by_role("button", name="Fortfahren")).to_be_visible()
        ilse.shot("sso-oidc", "02-fortfahren")
        page.get_by_role("button", name="Fortfahren").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(provider)}/oauth2/authorize"))
        ilse.shot("sso-oidc", "03-anmeldedienst")
        page.get_by_role("button", name="ilse").click()

        expect(page).to_have_url(f"{ilse.base_url}/arbeitsplatz/")
        expect(page.get_by_role("heading", name="Arbeitsplatz")).to_be_visible()
        expect(page.get_by_text("IT-Management").first).to_be_visible()
        ilse.shot("sso-oidc", "04-arbeitsplatz")

        page.get_by_role("link", name="Abmelden").first.click()
        page.get_by_role("button", name="Abmelden").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(provider)}/oauth2/end_session\?"))
        assert "id_token_hint=" in page.url
        ilse.shot("sso-oidc", "05-abmeldung-beim-anmeldedienst")
        page.get_by_role("button", name="End session").click()
        expect(page).to_have_url(f"{ilse.base_url}/")
        ilse.shot("sso-oidc", "06-abgemeldet")
        page.goto("/arbeitsplatz/")
        expect(page).to_have_url(re.compile(r"/konto/login/"))
    assert violations == []
    assert ilse.errors == []


def test_without_the_providers_second_factor_beirat_asks_for_its_own(
    visitors, transactional_db, settings
):
    _demo_accounts()
    with idp.oidc_provider([("ilse", {**IT_MANAGEMENT, "amr": ["pwd"]})]) as provider:
        idp.sso_settings(settings, idp.oidc_environment(provider))
        ilse = visitors("ilse")
        page = ilse.page
        page.goto("/konto/oidc/city-sso/login/")
        page.get_by_role("button", name="Fortfahren").click()
        page.get_by_role("button", name="ilse").click()
        expect(page).to_have_url(f"{ilse.base_url}/konto/2fa/totp/activate/")
        expect(page.get_by_text("Zwei-Faktor-Anmeldung vorgeschrieben")).to_be_visible()
        ilse.shot("sso-oidc", "07-ohne-zweiten-faktor")


def test_a_stranger_sees_whom_to_ask(visitors, transactional_db, settings):
    stranger = {"email": "max@koblenz.de", "email_verified": True}
    with idp.oidc_provider([("max", stranger)]) as provider:
        idp.sso_settings(
            settings, idp.oidc_environment(provider, BEIRAT_SSO_CONTACT="das IT-Service-Center")
        )
        max_ = visitors("max")
        page = max_.page
        page.goto("/konto/oidc/city-sso/login/")
        page.get_by_role("button", name="Fortfahren").click()
        page.get_by_role("button", name="max").click()
        expect(page.get_by_role("heading", name="Anmeldung nicht möglich")).to_be_visible()
        expect(page.get_by_text("das IT-Service-Center")).to_be_visible()
        max_.shot("sso-oidc", "08-abgewiesen")


def test_it_management_signs_in_with_saml_and_out_again(
    visitors, transactional_db, settings, tmp_path, live_server
):
    _demo_accounts()
    attributes = {
        "mail": ["it-management@stadt.koblenz.de"],
        "givenName": ["Ilse"],
        "sn": ["Triage"],
        "uid": ["ilse.triage"],
    }
    metadata = f"{live_server.url}/konto/saml/city-saml/metadata/"
    with idp.saml_provider({"ilse": (attributes, idp.MFA_CONTEXT)}, tmp_path, metadata) as saml:
        idp.sso_settings(settings, idp.saml_environment(saml.base_url))
        ilse = visitors("ilse")
        violations = _watch_csp(ilse)
        page = ilse.page

        page.goto("/konto/login/")
        page.get_by_role("link", name="Stadt-Login (SAML)").click()
        ilse.shot("sso-saml", "01-fortfahren")
        page.get_by_role("button", name="Fortfahren").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(saml.base_url)}/sso\?SAMLRequest="))
        ilse.shot("sso-saml", "02-anmeldedienst")
        page.get_by_role("button", name="ilse").click()

        expect(page).to_have_url(f"{ilse.base_url}/arbeitsplatz/")
        expect(page.get_by_role("heading", name="Arbeitsplatz")).to_be_visible()
        ilse.shot("sso-saml", "03-arbeitsplatz")

        page.get_by_role("link", name="Abmelden").first.click()
        page.get_by_role("button", name="Abmelden").click()
        expect(page).to_have_url(f"{ilse.base_url}/")
        ilse.shot("sso-saml", "04-abgemeldet")
        assert saml.logged_out == ["ilse"]
        page.goto("/arbeitsplatz/")
        expect(page).to_have_url(re.compile(r"/konto/login/"))
    assert violations == []
    assert ilse.errors == []


def test_an_administrator_tests_the_connection(visitors, transactional_db, settings):
    from beirat.core.roles import Role
    from tests.factories.core import user_with_role

    admin = user_with_role(Role.ADMIN, username="admin-sso")
    with idp.oidc_provider() as provider:
        idp.sso_settings(settings, idp.oidc_environment(provider))
        window = visitors("admin")
        window.log_in_as(admin)
        page = window.page
        page.goto("/arbeitsplatz/")
        page.get_by_role("link", name="Anmeldedienst").click()
        page.get_by_role("button", name="Verbindung testen").click()
        expect(page.get_by_text("Discovery-Dokument gelesen")).to_be_visible()
        window.shot("sso-admin", "01-verbindungstest")


def test_the_single_sign_on_pages_have_no_serious_barrier(
    browser, live_server, transactional_db, settings
):
    from django.test import Client

    from beirat.core.roles import Role
    from tests.e2e.test_accessibility import axe_violations
    from tests.factories.core import user_with_role

    client = Client()
    client.force_login(user_with_role(Role.ADMIN, username="admin-axe"))
    found = {}
    with idp.oidc_provider([("max", {"email": "max@koblenz.de", "email_verified": True})]) as url:
        idp.sso_settings(settings, idp.oidc_environment(url))
        for language in ("de", "en"):
            context = browser.new_context(
                base_url=live_server.url,
                locale="de-DE",
                bypass_csp=True,  # to inject axe
            )
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            page = context.new_page()
            page.goto("/konto/oidc/city-sso/login/")
            page.locator("main form button[type=submit]").click()
            page.get_by_role("button", name="max").click()
            expect(page.locator("h1")).to_have_text(
                {"de": "Anmeldung nicht möglich", "en": "Sign-in not possible"}[language]
            )
            found[f"{language} refused"] = axe_violations(page)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
            page.goto("/arbeitsplatz/anmeldedienst/")
            page.locator("main form button[type=submit]").click()
            expect(page.locator("#ergebnis")).to_be_visible()
            found[f"{language} settings"] = axe_violations(page)
            context.close()
    assert found == {key: [] for key in found}
