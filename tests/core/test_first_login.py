"""The first login: password once, then the second factor's set-up and its recovery codes, then the
workplace. Later logins ask for the code and offer a security key only to people who have one."""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.webauthn.internal.auth import WebAuthn
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth.models import Group
from django.test import Client
from fido2.cose import ES256
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)

from beirat.core.accounts import FIRST_FACTOR_SECONDS
from beirat.core.roles import Role
from tests.factories.core import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "Sehr-sicheres-Passwort-1"
ACTIVATE = "/konto/2fa/totp/activate/"
CODES = "/konto/2fa/recovery-codes/"
REAUTHENTICATE = "/konto/reauthenticate/"


def new_account(role: Role, username: str = "neu"):
    """An account as the administration creates it: a role, a password, no second factor."""
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role.value))
    return user


def log_in(client: Client, username: str) -> str:
    response = client.post("/konto/login/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def code_for(client: Client) -> str:
    secret = client.get(ACTIVATE).context["form"].secret
    if time.time() % 30 > 25:  # no tolerance: not a code that expires on the way
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def age_the_login(client: Client, seconds: float) -> None:
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= seconds
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()


def add_security_key(user) -> None:
    """A registered security key as allauth stores it (a made-up key, never used to sign)."""
    key = ec.generate_private_key(ec.SECP256R1())
    credential_id = os.urandom(16)
    credential = AttestedCredentialData.create(
        b"\0" * 16, credential_id, ES256.from_cryptography_key(key.public_key())
    )
    flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
    data = AuthenticatorData.create(hashlib.sha256(b"testserver").digest(), flags, 0, credential)
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=os.urandom(32), origin="http://testserver"
    )
    response = RegistrationResponse(
        raw_id=credential_id,
        response=AuthenticatorAttestationResponse(
            client_data=client_data,
            attestation_object=AttestationObject.create("none", data, {}),
        ),
    )
    WebAuthn.add(user, "Schlüssel am Schlüsselbund", dict(response))


# The first login -------------------------------------------------------------------------------


def test_first_login_sets_up_the_app_without_asking_for_the_password_again():
    new_account(Role.TRIAGE)
    client = Client()
    assert log_in(client, "neu") == "/arbeitsplatz/"

    to_setup = client.get("/arbeitsplatz/")
    assert to_setup["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    assert "Zwei-Faktor-Anmeldung vorgeschrieben" in page.content.decode()

    activated = client.post(ACTIVATE, {"code": code_for(client)})
    assert activated["Location"] == CODES
    codes = client.get(CODES)
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) == 10
    assert '<a class="kern-btn kern-btn--primary" href="/arbeitsplatz/">' in codes.content.decode()
    assert "Weiter" in codes.content.decode()
    assert client.get("/arbeitsplatz/").status_code == 200
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 1


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.OFFICE])
def test_members_and_offices_may_set_up_an_app_right_after_the_login_too(role):
    new_account(role)
    client = Client()
    log_in(client, "neu")
    assert client.get("/arbeitsplatz/").status_code == 200  # not required for these roles
    assert client.post(ACTIVATE, {"code": code_for(client)})["Location"] == CODES
    assert client.get(CODES).status_code == 200


def test_a_set_up_begun_long_after_the_login_asks_for_the_password():
    new_account(Role.TRIAGE)
    client = Client()
    log_in(client, "neu")
    age_the_login(client, FIRST_FACTOR_SECONDS + 1)

    response = client.get(ACTIVATE)

    assert response["Location"].startswith(REAUTHENTICATE)


def test_a_session_without_a_password_login_is_asked_for_the_password():
    user = new_account(Role.TRIAGE)
    client = Client()
    client.force_login(user)  # no record of how the session was opened

    assert client.get(ACTIVATE)["Location"].startswith(REAUTHENTICATE)


def test_once_a_second_factor_exists_changes_ask_for_the_password_again():
    RecoveryCodes.activate(user_with_role(Role.TRIAGE, username="it"))
    client = Client()
    assert log_in(client, "it") == "/konto/2fa/authenticate/"
    # The factory's authenticator keeps this secret.
    code = format_hotp_value(hotp_value("JBSWY3DPEHPK3PXP", int(time.time()) // 30))
    assert client.post("/konto/2fa/authenticate/", {"code": code})["Location"] == "/arbeitsplatz/"

    # Logged in with both factors a minute ago: the codes and a new key still need the password.
    assert client.get(CODES)["Location"].startswith(REAUTHENTICATE)
    assert client.get("/konto/2fa/webauthn/add/")["Location"].startswith(REAUTHENTICATE)
    assert client.get("/konto/2fa/totp/deactivate/")["Location"].startswith(REAUTHENTICATE)


def test_after_the_first_set_up_other_changes_ask_for_the_password_again():
    new_account(Role.TRIAGE)
    client = Client()
    log_in(client, "neu")
    client.post(ACTIVATE, {"code": code_for(client)})

    assert client.get("/konto/2fa/webauthn/add/")["Location"].startswith(REAUTHENTICATE)
    assert client.get("/konto/2fa/totp/deactivate/")["Location"].startswith(REAUTHENTICATE)
    assert client.get("/konto/2fa/recovery-codes/generate/")["Location"].startswith(REAUTHENTICATE)


# Later logins ----------------------------------------------------------------------------------


def test_the_second_factor_page_offers_no_security_key_to_people_without_one():
    user_with_role(Role.TRIAGE, username="it")
    client = Client()
    log_in(client, "it")

    page = client.get("/konto/2fa/authenticate/").content.decode()

    assert "Anmeldung bestätigen" in page
    assert "Authentifizierungs-App" in page
    assert "Sicherheitsschlüssel" not in page
    assert "webauthn" not in page


def test_the_second_factor_page_offers_the_security_key_to_its_owner():
    user = user_with_role(Role.TRIAGE, username="it")
    add_security_key(user)
    client = Client()
    log_in(client, "it")

    page = client.get("/konto/2fa/authenticate/").content.decode()

    assert "Sicherheitsschlüssel verwenden" in page
    assert 'id="webauthn_form"' in page


def test_the_second_factor_page_speaks_english_when_chosen():
    user_with_role(Role.TRIAGE, username="it")
    client = Client()
    client.cookies["django_language"] = "en"
    log_in(client, "it")

    page = client.get("/konto/2fa/authenticate/").content.decode()

    assert "Confirm your sign-in" in page
    assert "Anmeldung" not in page.split("<main", 1)[1]


# The way in ------------------------------------------------------------------------------------


def test_the_way_in_speaks_to_staff_and_volunteer_members_alike(anonymous):
    home = anonymous.get("/").content.decode()
    login = anonymous.get("/konto/login/").content.decode()

    for page in (home, login):
        assert "Anmeldung für Verwaltung und Digitalbeirat" in page
        assert "Mitarbeitende" not in page
    assert "Mitglieder des Beirats" in login
