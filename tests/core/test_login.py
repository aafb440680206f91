import pytest
from django.core import mail
from django.core.management import call_command

from beirat.core.models import OutboxMail
from beirat.core.roles import Role
from tests.factories.core import UserFactory, user_with_role


@pytest.mark.django_db
def test_login_with_username_and_password_leads_to_the_workplace(anonymous):
    UserFactory(username="amt80")
    response = anonymous.post(
        "/konto/login/", {"login": "amt80", "password": "Sehr-sicheres-Passwort-1"}
    )
    assert (response.status_code, response["Location"]) == (302, "/arbeitsplatz/")


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_german_message(anonymous):
    UserFactory(username="amt80")
    response = anonymous.post("/konto/login/", {"login": "amt80", "password": "falsch"})
    assert response.status_code == 200
    assert "Passwort sind leider falsch" in response.content.decode()


@pytest.mark.django_db
def test_user_with_totp_must_give_the_second_factor_after_the_password(anonymous):
    user_with_role(Role.TRIAGE, username="it-management")
    response = anonymous.post(
        "/konto/login/", {"login": "it-management", "password": "Sehr-sicheres-Passwort-1"}
    )
    assert response["Location"] == "/konto/2fa/authenticate/"


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_goes_through_the_outbox(anonymous):
    UserFactory(username="amt80", email="amt80@stadt.example")
    anonymous.post("/konto/password/reset/", {"email": "amt80@stadt.example"})
    assert OutboxMail.objects.get().recipient_list == ["amt80@stadt.example"]
    call_command(
        "db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0
    )
    assert "/konto/password/reset/key/" in mail.outbox[0].body


def test_passwords_are_hashed_with_argon2(settings):
    from django.conf import settings as live

    # The test settings fixture swaps in MD5 for speed; the project setting itself is Argon2.
    import beirat.settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert live.AUTH_USER_MODEL == "core.User"
