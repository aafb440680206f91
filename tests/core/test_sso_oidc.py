"""Single sign-on with OpenID Connect against a real provider on loopback (oidc-provider-mock):
connecting existing accounts, refusing strangers, roles from groups, the second factor, sign-out,
and every kind of bad answer (each: a German page, nothing connected, an audit entry)."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group

from beirat.core.models import AuditEntry, User
from beirat.core.roles import Role
from tests import identity_providers as idp
from tests.factories.core import UserFactory, user_with_role

LOGIN = "/konto/oidc/city-sso/login/"
ANNA = ("anna-sub", {"email": "anna@koblenz.de", "email_verified": True, "amr": ["pwd", "mfa"]})


def sign_in(client, sub: str):
    """Start at beirat, sign in as ``sub`` at the provider, come back: beirat's last answer."""
    started = client.post(LOGIN)
    assert started.status_code == 302, started.content.decode()[:500]
    at_provider = requests.post(
        started["Location"], data={"sub": sub}, allow_redirects=False, timeout=5
    )
    assert at_provider.status_code == 302, at_provider.text[:500]
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def reasons() -> list[str]:
    return [
        entry.changes.get("reason", {}).get("after")
        for entry in AuditEntry.objects.filter(action__in=["sso.refused", "sso.failed"])
    ]


@pytest.fixture
def provider(settings):
    """A provider with Anna (verified address, second factor); more users by ``users=``."""

    @__import__("contextlib").contextmanager
    def start(users=(ANNA,), environment=None, **options):
        with idp.oidc_provider(users, **options) as url:
            idp.sso_settings(settings, idp.oidc_environment(url, **(environment or {})))
            yield url

    return start


@pytest.mark.django_db
def test_the_first_sign_in_connects_the_account_with_the_same_verified_address(provider, client):
    user = user_with_role(Role.TRIAGE, username="it-management", email="Anna@Koblenz.de")
    with provider():
        response = sign_in(client, "anna-sub")
        assert response["Location"] == "/arbeitsplatz/"
        assert client.get("/arbeitsplatz/").status_code == 200
        account = SocialAccount.objects.get()
        assert (account.user, account.uid, account.provider) == (user, "anna-sub", "city-sso")
        assert AuditEntry.objects.filter(action="sso.connected", actor=user).exists()
        # The next sign-in finds the connection itself.
        client.logout()
        assert sign_in(client, "anna-sub")["Location"] == "/arbeitsplatz/"
    assert AuditEntry.objects.filter(action="sso.signed_in", actor=user).count() == 1
    user.refresh_from_db()
    assert user.has_usable_password(), "single sign-on must not take the password away"


@pytest.mark.django_db
def test_without_a_second_factor_at_the_provider_beirat_asks_for_its_own(provider, client):
    user_with_role(Role.TRIAGE, username="it-management", email="anna@koblenz.de")
    plain = ("anna-sub", {"email": "anna@koblenz.de", "email_verified": True, "amr": ["pwd"]})
    with provider(users=[plain]):
        assert sign_in(client, "anna-sub")["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_second_factor_checked_by_the_provider_replaces_the_set_up_beirat_demands(
    provider, client
):
    user = UserFactory(username="it-management", email="anna@koblenz.de")
    user.groups.add(Group.objects.get(name=Role.TRIAGE.value))
    assert not Authenticator.objects.filter(user=user).exists()
    with provider():
        assert sign_in(client, "anna-sub")["Location"] == "/arbeitsplatz/"
        assert client.get("/arbeitsplatz/").status_code == 200
    # Without the provider's second factor the workplace demands beirat's own set-up.
    client.logout()
    plain = ("anna-sub", {"email": "anna@koblenz.de", "email_verified": True})
    with provider(users=[plain]):
        assert sign_in(client, "anna-sub")["Location"] == "/arbeitsplatz/"
        assert client.get("/arbeitsplatz/")["Location"] == "/konto/2fa/totp/activate/"


@pytest.mark.django_db
def test_acr_values_can_name_the_second_factor(provider, client):
    user = UserFactory(username="it-management", email="anna@koblenz.de")
    user.groups.add(Group.objects.get(name=Role.TRIAGE.value))
    gold = ("anna-sub", {"email": "anna@koblenz.de", "email_verified": True, "acr": "gold"})
    with provider(users=[gold], environment={"BEIRAT_SSO_MFA_ACR": "gold"}):
        sign_in(client, "anna-sub")
        assert client.get("/arbeitsplatz/").status_code == 200


@pytest.mark.django_db
def test_a_stranger_is_refused_with_a_german_page_that_says_whom_to_ask(provider, client):
    stranger = ("max", {"email": "max@koblenz.de", "email_verified": True})
    with provider(users=[stranger], environment={"BEIRAT_SSO_CONTACT": "das IT-Service-Center"}):
        response = sign_in(client, "max")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Anmeldung nicht möglich" in page
    assert "kein Konto" in page
    assert "das IT-Service-Center" in page
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 0
    assert reasons() == ["unknown"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_address_the_provider_did_not_verify_connects_nothing(provider, client):
    UserFactory(username="it-management", email="anna@koblenz.de")
    unverified = ("anna-sub", {"email": "anna@koblenz.de", "email_verified": False})
    with provider(users=[unverified]):
        response = sign_in(client, "anna-sub")
    assert response.status_code == 403
    assert "nicht als bestätigt" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert reasons() == ["email_unverified"]


@pytest.mark.django_db
def test_two_accounts_with_the_same_address_connect_neither(provider, client):
    UserFactory(username="anna", email="anna@koblenz.de")
    UserFactory(username="anna-alt", email="ANNA@koblenz.de")
    with provider():
        response = sign_in(client, "anna-sub")
    assert response.status_code == 403
    assert "mehr als ein Konto" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert reasons() == ["ambiguous"]


@pytest.mark.django_db
def test_an_account_already_connected_to_another_identity_is_not_taken_over(provider, client):
    user = UserFactory(username="anna", email="anna@koblenz.de")
    SocialAccount.objects.create(user=user, provider="city-sso", uid="the-real-anna")
    with provider():
        response = sign_in(client, "anna-sub")
    assert response.status_code == 403
    assert SocialAccount.objects.get().uid == "the-real-anna"
    assert reasons() == ["connected_other"]


@pytest.mark.django_db
def test_matching_by_a_claim_finds_the_account_by_its_user_name(provider, client):
    user = UserFactory(username="it-management", email="other@koblenz.de")
    claims = {"preferred_username": "IT-Management", "email": "x@y.de", "email_verified": False}
    environment = {"BEIRAT_SSO_MATCH": "claim:preferred_username"}
    with provider(users=[("sub-1", claims)], environment=environment):
        assert sign_in(client, "sub-1")["Location"] == "/arbeitsplatz/"
    assert SocialAccount.objects.get().user == user


@pytest.mark.django_db
def test_matching_switched_off_lets_in_only_connected_accounts(provider, client):
    user = UserFactory(username="it-management", email="anna@koblenz.de")
    with provider(environment={"BEIRAT_SSO_MATCH": "none"}):
        assert sign_in(client, "anna-sub").status_code == 403
        assert reasons() == ["not_connected"]
        SocialAccount.objects.create(user=user, provider="city-sso", uid="anna-sub")
        assert sign_in(client, "anna-sub")["Location"] == "/arbeitsplatz/"


@pytest.mark.django_db
def test_accounts_from_groups_get_their_roles_and_follow_them_at_every_sign_in(provider, client):
    environment = {
        "BEIRAT_SSO_CREATE_ACCOUNTS": "true",
        "BEIRAT_SSO_GROUP_ROLES": "cn=IT,ou=Gruppen,dc=koblenz=triage;Ratsbüro=clerk",
    }
    claims = {
        "email": "berta@koblenz.de",
        "email_verified": True,
        "preferred_username": "berta",
        "given_name": "Berta",
        "groups": ["cn=IT,ou=Gruppen,dc=koblenz", "Kantine"],
        "amr": ["mfa"],
    }
    with provider(users=[("berta", claims)], environment=environment):
        assert sign_in(client, "berta")["Location"] == "/arbeitsplatz/"
    user = User.objects.get(username="berta")
    assert (user.email, user.first_name, user.has_usable_password()) == (
        "berta@koblenz.de",
        "Berta",
        False,
    )
    assert set(user.groups.values_list("name", flat=True)) == {"triage"}
    assert AuditEntry.objects.filter(action="sso.account_created").count() == 1
    # A role the administration gave by hand outside the mapping stays.
    user.groups.add(Group.objects.get(name=Role.BOARD_MEMBER.value))
    client.logout()
    moved = {**claims, "groups": ["Ratsbüro"]}
    with provider(users=[("berta", moved)], environment=environment):
        sign_in(client, "berta")
    assert set(user.groups.values_list("name", flat=True)) == {"clerk", "board_member"}
    change = AuditEntry.objects.filter(action="sso.roles_updated").first()
    assert change.changes == {"roles": {"before": ["triage"], "after": ["clerk"]}}


@pytest.mark.django_db
def test_no_account_is_made_for_someone_outside_the_mapped_groups(provider, client):
    environment = {"BEIRAT_SSO_CREATE_ACCOUNTS": "true", "BEIRAT_SSO_GROUP_ROLES": "IT=triage"}
    claims = {"email": "c@koblenz.de", "email_verified": True, "groups": ["Kantine"]}
    with provider(users=[("c", claims)], environment=environment):
        response = sign_in(client, "c")
    assert response.status_code == 403
    assert User.objects.count() == 0
    assert reasons() == ["no_group"]


@pytest.mark.django_db
def test_a_provider_that_is_down_gives_a_german_page(settings, client):
    idp.sso_settings(settings, idp.oidc_environment(idp.closed_port()))
    response = client.post(LOGIN)
    assert response.status_code == 503
    assert "antwortet gerade nicht" in response.content.decode()
    assert reasons() == ["unreachable"]


@pytest.mark.django_db
def test_a_provider_that_hangs_is_given_up_after_the_timeout(settings, client):
    with idp.silent_server() as url:
        idp.sso_settings(settings, idp.oidc_environment(url, BEIRAT_SSO_TIMEOUT_SECONDS="1"))
        started = datetime.datetime.now()
        response = client.post(LOGIN)
        waited = datetime.datetime.now() - started
    assert response.status_code == 503
    assert waited < datetime.timedelta(seconds=5)
    assert reasons() == ["unreachable"]


@pytest.mark.django_db
def test_a_provider_that_hangs_at_the_token_exchange_connects_nothing(provider, settings, client):
    UserFactory(username="it-management", email="anna@koblenz.de")
    with (
        provider(environment={"BEIRAT_SSO_TIMEOUT_SECONDS": "1"}) as url,
        idp.silent_server() as slow,
    ):
        started = client.post(LOGIN)
        at_provider = requests.post(
            started["Location"], data={"sub": "anna-sub"}, allow_redirects=False, timeout=5
        )
        back = urlsplit(at_provider.headers["Location"])
        app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
        app["settings"]["openid_configuration_overrides"] = {"token_endpoint": f"{slow}/token"}
        assert url
        response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 503
    assert not SocialAccount.objects.exists()
    assert reasons() == ["unreachable"]


@pytest.mark.django_db
def test_a_wrong_client_secret_is_named_as_such(settings, client):
    UserFactory(username="it-management", email="anna@koblenz.de")
    with idp.oidc_provider([ANNA], require_client_registration=True) as url:
        client_id, _secret = idp.register_client(
            url, "http://testserver/konto/oidc/city-sso/login/callback/"
        )
        environment = {**idp.oidc_environment(url), "BEIRAT_OIDC_CLIENT_ID": client_id}
        environment["BEIRAT_OIDC_CLIENT_SECRET"] = "falsch"
        idp.sso_settings(settings, environment)
        response = sign_in(client, "anna-sub")
    assert response.status_code == 401
    assert "Zugangsdaten dieser Anwendung abgelehnt" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert reasons() == ["client_rejected"]


@pytest.mark.django_db
def test_a_tampered_state_is_refused(provider, client):
    UserFactory(username="it-management", email="anna@koblenz.de")
    with provider():
        started = client.post(LOGIN)
        at_provider = requests.post(
            started["Location"], data={"sub": "anna-sub"}, allow_redirects=False, timeout=5
        )
        back = urlsplit(at_provider.headers["Location"])
        query = parse_qs(back.query)
        response = client.get(back.path, {"code": query["code"][0], "state": "manipuliert"})
    assert response.status_code == 401
    assert "passt nicht zu dieser Sitzung" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert reasons() == ["invalid_state"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "misbehaviour",
    [
        pytest.param({"wrap": idp.rewriting(client_id="ein-anderer-dienst")}, id="wrong-audience"),
        pytest.param(
            {"wrap": idp.rewriting(issuer="https://falscher-aussteller.example")}, id="wrong-issuer"
        ),
        pytest.param({"access_token_max_age": datetime.timedelta(seconds=-120)}, id="expired"),
    ],
)
def test_an_id_token_for_someone_else_or_out_of_date_is_refused(
    provider, settings, client, misbehaviour
):
    UserFactory(username="it-management", email="anna@koblenz.de")
    with provider(**misbehaviour):
        # The claims come from the ID token alone, so that it is the token that is judged.
        app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
        app["settings"]["fetch_userinfo"] = False
        response = sign_in(client, "anna-sub")
    assert response.status_code == 401
    assert "Bestätigung des Anmeldedienstes war ungültig" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert reasons() == ["invalid_token"]


@pytest.mark.django_db
def test_the_csp_allows_exactly_the_provider_as_form_target(provider, client):
    with provider() as url:
        page = client.get(LOGIN)
    directives = {
        part.split()[0]: part.split()[1:]
        for part in page["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert directives["form-action"] == ["'self'", url]


@pytest.mark.django_db
def test_sign_out_ends_the_providers_session_too(provider, client):
    user_with_role(Role.TRIAGE, username="it-management", email="anna@koblenz.de")
    with provider() as url:
        sign_in(client, "anna-sub")
        response = client.post("/konto/logout/")
    target = urlsplit(response["Location"])
    params = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{url}/oauth2/end_session"
    assert params["post_logout_redirect_uri"] == ["http://testserver/"]
    assert params["client_id"] == [idp.CLIENT_ID]
    assert params["id_token_hint"][0].count(".") == 2
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_password_login_signs_out_here_only(provider, client):
    UserFactory(username="amt80")
    with provider():
        client.post("/konto/login/", {"login": "amt80", "password": "Sehr-sicheres-Passwort-1"})
        assert client.post("/konto/logout/")["Location"] == "/"


@pytest.mark.django_db
def test_connecting_from_the_account_page_connects_the_signed_in_account_only(provider, client):
    mine = UserFactory(username="amt80", email="amt80@koblenz.de")
    UserFactory(username="anna", email="anna@koblenz.de")  # whom the address would match
    client.force_login(mine)
    with provider():
        started = client.post(LOGIN, {"process": "connect"})
        at_provider = requests.post(
            started["Location"], data={"sub": "anna-sub"}, allow_redirects=False, timeout=5
        )
        back = urlsplit(at_provider.headers["Location"])
        client.get(f"{back.path}?{back.query}")
    assert SocialAccount.objects.get().user == mine
    assert AuditEntry.objects.filter(action="sso.connected", actor=mine).exists()


@pytest.mark.django_db
def test_the_login_page_offers_the_city_account_not_a_third_party(provider, client):
    with provider():
        page = client.get("/konto/login/").content.decode()
    assert "Oder mit dem Konto der Stadtverwaltung anmelden" in page
    assert "Drittanbieter" not in page
    assert 'action="/konto/oidc/city-sso/login/' in page or "/konto/oidc/city-sso/login/" in page
