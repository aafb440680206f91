"""The administrators' page of the single sign-on: what is configured, what to enter at the
provider, and a connection test that reports in German; and the settings reader behind it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from beirat.core.environment import Environment
from beirat.core.roles import Role
from beirat.core.sso_settings import group_roles, origin_of, single_sign_on
from tests import identity_providers as idp

PAGE = "/arbeitsplatz/anmeldedienst/"


@pytest.mark.django_db
def test_without_a_provider_the_page_says_how_to_set_one_up(admin):
    page = admin.get(PAGE).content.decode()
    assert "kein Anmeldedienst eingerichtet" in page


@pytest.mark.django_db
def test_the_page_shows_what_to_enter_at_the_provider_and_tests_the_connection(settings, admin):
    with idp.oidc_provider() as url:
        idp.sso_settings(settings, idp.oidc_environment(url))
        page = admin.get(PAGE).content.decode()
        assert "http://testserver/konto/oidc/city-sso/login/callback/" in page
        assert idp.CLIENT_ID in page
        assert idp.CLIENT_SECRET not in page
        tested = admin.post(PAGE).content.decode()
    assert "Discovery-Dokument gelesen" in tested
    assert "Signaturschlüssel: 1" in tested
    assert "end_session_endpoint" in tested
    assert "Fehler" not in tested.split("Ergebnis des Tests")[1]


@pytest.mark.django_db
def test_the_connection_test_names_a_provider_that_is_down(settings, admin):
    idp.sso_settings(settings, idp.oidc_environment(idp.closed_port()))
    tested = admin.post(PAGE).content.decode()
    assert "ist nicht erreichbar (ConnectionError)" in tested


@pytest.mark.django_db
def test_the_connection_test_names_a_provider_that_hangs(settings, admin):
    with idp.silent_server() as url:
        idp.sso_settings(settings, idp.oidc_environment(url, BEIRAT_SSO_TIMEOUT_SECONDS="1"))
        tested = admin.post(PAGE).content.decode()
    assert "innerhalb von 1 Sekunden" in tested


@pytest.mark.django_db
def test_the_connection_test_names_a_wrong_issuer(settings, admin):
    with idp.oidc_provider(wrap=idp.rewriting(issuer="https://anderer.example")) as url:
        idp.sso_settings(settings, idp.oidc_environment(url))
        tested = admin.post(PAGE).content.decode()
    assert "passt nicht zur eingestellten Adresse" in tested


@pytest.mark.django_db
def test_the_workplace_shows_the_page_to_administrators_only(admin, triage):
    assert PAGE in admin.get("/arbeitsplatz/").content.decode()
    assert PAGE not in triage.get("/arbeitsplatz/").content.decode()


def test_the_form_target_is_the_providers_origin_and_nothing_else():
    assert origin_of("https://login.koblenz.de/realms/stadt", "X") == "https://login.koblenz.de"
    assert origin_of("https://adfs.koblenz.de:443/adfs", "X") == "https://adfs.koblenz.de"
    assert origin_of("http://localhost:8080/x", "X") == "http://localhost:8080"
    configured = single_sign_on(
        Environment(
            {
                "BEIRAT_OIDC_SERVER_URL": "https://login.koblenz.de/realms/stadt",
                "BEIRAT_OIDC_CLIENT_ID": "beirat",
                "BEIRAT_SAML_METADATA_URL": "https://adfs.koblenz.de/FederationMetadata.xml",
                "BEIRAT_SAML_ENTITY_ID": "http://adfs.koblenz.de/adfs/services/trust",
            }
        ),
        default_contact="x",
    )
    assert configured.form_action_origins == ["https://login.koblenz.de", "https://adfs.koblenz.de"]
    assert single_sign_on(Environment({}), default_contact="x").form_action_origins == []


@pytest.mark.parametrize(
    "environment",
    [
        {"BEIRAT_OIDC_SERVER_URL": "login.koblenz.de", "BEIRAT_OIDC_CLIENT_ID": "b"},
        {"BEIRAT_OIDC_SERVER_URL": "https://login.koblenz.de"},
        {"BEIRAT_SAML_METADATA_URL": "https://adfs.koblenz.de/m.xml"},
        {"BEIRAT_SSO_MATCH": "telefon"},
        {"BEIRAT_SSO_MATCH": "claim:"},
        {"BEIRAT_SSO_GROUP_ROLES": "nur-eine-gruppe"},
        {
            "BEIRAT_SAML_METADATA_URL": "https://adfs.koblenz.de/m.xml",
            "BEIRAT_SAML_ENTITY_ID": "adfs",
            "BEIRAT_SAML_ATTRIBUTES": "telefon=urn:oid:1",
        },
    ],
)
def test_a_setting_that_cannot_work_stops_the_start(environment):
    with pytest.raises(ImproperlyConfigured):
        single_sign_on(Environment(environment), default_contact="x")


def test_group_names_may_hold_equals_signs():
    assert group_roles("cn=IT,ou=Gruppen,dc=koblenz=triage; Ratsbüro = clerk") == {
        "cn=IT,ou=Gruppen,dc=koblenz": "triage",
        "Ratsbüro": "clerk",
    }


def test_a_group_mapped_to_no_role_is_reported_at_start(settings):
    from beirat.core import sso

    idp.sso_settings(settings, {"BEIRAT_SSO_GROUP_ROLES": "IT=triage;Kantine=koch"})
    errors = sso.check_role_names()
    assert [error.id for error in errors] == ["beirat.E101"]
    assert "'koch'" in errors[0].msg
    assert Role.TRIAGE.value == "triage"
