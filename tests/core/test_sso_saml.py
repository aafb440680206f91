"""Single sign-on with SAML against a real identity provider on loopback (pysaml2's IdP, which
signs with Debian's xmlsec1): the same rules as OpenID Connect, and a tampered or unsigned answer,
an unreachable metadata address and single logout."""

from __future__ import annotations

import base64
import contextlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from django.test import Client

from beirat.core.models import AuditEntry, User
from beirat.core.roles import Role
from tests import identity_providers as idp
from tests.factories.core import UserFactory

LOGIN = "/konto/saml/city-saml/login/"
METADATA = "/konto/saml/city-saml/metadata/"
ILSE = {
    "mail": ["it-management@stadt.koblenz.de"],
    "givenName": ["Ilse"],
    "sn": ["Triage"],
    "uid": ["ilse.triage"],
}


def reasons() -> list[str]:
    return [
        entry.changes.get("reason", {}).get("after")
        for entry in AuditEntry.objects.filter(action__in=["sso.refused", "sso.failed"])
    ]


@pytest.fixture
def client():
    """python3-saml builds the addresses from the Host header, which a browser always sends."""
    return Client(HTTP_HOST="testserver")


@pytest.fixture
def provider(settings, client, tmp_path):
    @contextlib.contextmanager
    def start(users=None, **environment):
        users = users or {"ilse": (ILSE, idp.MFA_CONTEXT)}
        metadata = lambda: client.get(METADATA).content.decode()  # noqa: E731
        with idp.saml_provider(users, tmp_path, metadata) as running:
            idp.sso_settings(settings, idp.saml_environment(running.base_url, **environment))
            yield running

    return start


def idp_answer(client, user: str, *, tamper=None):
    """Start at beirat, choose ``user`` at the provider: the provider's auto-submitting form
    (action and fields)."""
    started = client.post(LOGIN)
    assert started.status_code == 302, started.content.decode()[:500]
    page = requests.get(started["Location"], timeout=5)
    fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", page.text))
    fields = {name: value.replace("&amp;", "&") for name, value in fields.items()}
    base = started["Location"].split("/sso")[0]
    posted = requests.post(f"{base}/sso/login", data={**fields, "user": user}, timeout=10)
    assert posted.status_code == 200, posted.text[:500]
    action = re.search(r'action="([^"]+)"', posted.text).group(1)
    values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', posted.text))
    if tamper:
        values["SAMLResponse"] = tamper(values["SAMLResponse"])
    return action, values


def sign_in(client, user: str, *, tamper=None):
    action, values = idp_answer(client, user, tamper=tamper)
    accepted = client.post(urlsplit(action).path, values)
    assert accepted.status_code == 302
    return client.get(accepted["Location"])


@pytest.mark.django_db
def test_the_first_sign_in_connects_it_management_by_the_address(provider, client):
    user = UserFactory(username="it-management", email="it-management@stadt.koblenz.de")
    user.groups.add(Group.objects.get(name=Role.TRIAGE.value))
    with provider():
        response = sign_in(client, "ilse")
        assert response["Location"] == "/arbeitsplatz/"
        assert client.get("/arbeitsplatz/").status_code == 200
    account = SocialAccount.objects.get()
    assert (account.user, account.uid, account.provider) == (user, "ilse", "city-saml")
    assert AuditEntry.objects.filter(action="sso.connected", actor=user).exists()


@pytest.mark.django_db
def test_without_a_second_factor_context_beirat_asks_for_its_own(provider, client):
    user = UserFactory(username="it-management", email="it-management@stadt.koblenz.de")
    user.groups.add(Group.objects.get(name=Role.TRIAGE.value))
    with provider(users={"ilse": (ILSE, idp.PASSWORD_CONTEXT)}):
        assert sign_in(client, "ilse")["Location"] == "/arbeitsplatz/"
        assert client.get("/arbeitsplatz/")["Location"] == "/konto/2fa/totp/activate/"


@pytest.mark.django_db
def test_roles_come_from_the_groups_attribute(provider, client):
    groups = {**ILSE, "mail": ["neu@stadt.koblenz.de"], "isMemberOf": ["Ratsbuero"]}
    with provider(
        users={"neu": (groups, idp.MFA_CONTEXT)},
        BEIRAT_SSO_CREATE_ACCOUNTS="true",
        BEIRAT_SSO_GROUP_CLAIM="urn:oid:1.3.6.1.4.1.5923.1.5.1.1",
        BEIRAT_SSO_GROUP_ROLES="Ratsbuero=clerk",
    ):
        assert sign_in(client, "neu")["Location"] == "/arbeitsplatz/"
    user = User.objects.get(email="neu@stadt.koblenz.de")
    assert user.username == "ilse.triage"
    assert list(user.groups.values_list("name", flat=True)) == ["clerk"]


@pytest.mark.django_db
def test_a_stranger_is_refused(provider, client):
    with provider():
        response = sign_in(client, "ilse")
    assert response.status_code == 403
    assert "kein Konto" in response.content.decode()
    assert reasons() == ["unknown"]


def _changed_address(response: str) -> str:
    xml = base64.b64decode(response).decode()
    return base64.b64encode(xml.replace("it-management@", "admin@").encode()).decode()


@pytest.mark.django_db
def test_a_tampered_answer_is_refused(provider, client):
    UserFactory(username="admin", email="admin@stadt.koblenz.de")
    UserFactory(username="it-management", email="it-management@stadt.koblenz.de")
    with provider():
        response = sign_in(client, "ilse", tamper=_changed_address)
    assert response.status_code == 401
    assert "Antwort des Anmeldedienstes war ungültig" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert reasons() == ["invalid_response"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_metadata_that_cannot_be_read_gives_a_german_page(settings, client):
    idp.sso_settings(settings, idp.saml_environment(idp.closed_port()))
    response = client.post(LOGIN)
    assert response.status_code == 503
    assert "antwortet gerade nicht" in response.content.decode()
    assert reasons() == ["unreachable"]


@pytest.mark.django_db
def test_sign_out_ends_the_session_at_the_provider_too(provider, client):
    user = UserFactory(username="it-management", email="it-management@stadt.koblenz.de")
    user.groups.add(Group.objects.get(name=Role.TRIAGE.value))
    with provider() as running:
        sign_in(client, "ilse")
        response = client.post("/konto/logout/")
        target = response["Location"]
        assert target.startswith(f"{running.base_url}/slo?")
        assert "SAMLRequest" in parse_qs(urlsplit(target).query)
        at_provider = requests.get(target, allow_redirects=False, timeout=10)
        back = urlsplit(at_provider.headers["Location"])
        assert back.path == "/konto/saml/city-saml/sls/"
        assert client.get(f"{back.path}?{back.query}")["Location"] == "/"
    assert running.logged_out == ["ilse"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_beirats_metadata_names_its_addresses(provider, client):
    with provider():
        metadata = client.get(METADATA).content.decode()
    assert 'Location="http://testserver/konto/saml/city-saml/acs/"' in metadata
    assert 'Location="http://testserver/konto/saml/city-saml/sls/"' in metadata


@pytest.mark.django_db
def test_an_identity_provider_that_hangs_is_given_up_after_the_timeout(settings, client):
    with idp.silent_server() as url:
        idp.sso_settings(settings, idp.saml_environment(url, BEIRAT_SSO_TIMEOUT_SECONDS="1"))
        response = client.post(LOGIN)
    assert response.status_code == 503
    assert reasons() == ["unreachable"]


@pytest.mark.django_db
def test_the_connection_test_reads_the_metadata(provider, admin):
    with provider():
        tested = admin.post("/arbeitsplatz/anmeldedienst/").content.decode()
    assert "Metadaten gelesen" in tested
    assert "Signaturzertifikat vorhanden." in tested
    assert "/slo" in tested
    assert "Fehler" not in tested.split("Ergebnis des Tests")[1]


@pytest.mark.django_db
def test_the_connection_test_names_metadata_of_another_identity_provider(provider, settings, admin):
    with provider() as running:
        environment = idp.saml_environment(running.base_url, BEIRAT_SAML_ENTITY_ID="urn:andere")
        idp.sso_settings(settings, environment)
        tested = admin.post("/arbeitsplatz/anmeldedienst/").content.decode()
    assert "fehlt der Anmeldedienst mit der Entity-ID urn:andere" in tested
