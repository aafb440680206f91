import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from beirat.core.form_tokens import issue_token
from beirat.core.models import OutboxMail

PUBLIC_PAGES = [
    "/",
    "/barrierefreiheit/",
    "/datenschutz/",
    "/impressum/",
    "/gremien/",
    "/netzwerk/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_set_no_cookie_and_load_nothing_from_third_parties(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.cookies == {}
    html = response.content.decode()
    assert "https://" not in html.replace('href="https://www.koblenz.de"', "")
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_start_page_is_german_by_default_and_english_after_the_switch(anonymous):
    assert "So können Sie mitmachen" in anonymous.get("/").content.decode()
    response = anonymous.get("/sprache/en/?next=/netzwerk/")
    assert (response.status_code, response["Location"]) == (302, "/netzwerk/")
    page = anonymous.get("/").content.decode()
    assert 'lang="en"' in page
    assert "How you can get involved" in page


@pytest.mark.django_db
def test_language_switch_refuses_to_redirect_to_another_site(anonymous):
    response = anonymous.get("/sprache/en/?next=https://evil.example/")
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_unknown_language_sets_no_cookie(anonymous):
    response = anonymous.get("/sprache/xx/")
    assert response.cookies == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [("de", "Diese Seite gibt es nicht."), ("en", "This page does not exist.")],
)
def test_not_found_page_in_both_languages(language, text):
    client = Client()
    client.cookies["django_language"] = language
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_server_error_page_shows_no_stack_trace(rf):
    from beirat.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    assert "Entschuldigung, hier ist ein Fehler aufgetreten." in response.content.decode()


@pytest.mark.django_db
def test_accessibility_feedback_reaches_the_accessibility_contact(anonymous, settings):
    response = anonymous.post(
        "/barrierefreiheit/",
        {
            "message": "Der Kontrast der Tabelle ist zu schwach.",
            "page": "/netzwerk/",
            "email": "leserin@example.org",
            "issued": issue_token(),
        },
    )
    assert response.status_code == 302
    stored = OutboxMail.objects.get()
    assert stored.recipient_list == [settings.CITY["accessibility_email"]]
    assert "Kontrast der Tabelle" in stored.body
    assert mail.outbox == []  # delivered by the worker, not in the request


@pytest.mark.django_db
def test_accessibility_feedback_keeps_the_text_and_explains_the_error(anonymous):
    response = anonymous.post(
        "/barrierefreiheit/",
        {"message": "", "page": "/x/", "email": "kein-mail", "issued": issue_token()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Bitte gültige E-Mail-Adresse eingeben." in html
    assert 'value="kein-mail"' in html
    assert 'aria-invalid="true"' in html
    assert OutboxMail.objects.count() == 0


@pytest.mark.django_db
def test_workplace_requires_login(anonymous):
    response = anonymous.get("/arbeitsplatz/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_staff_pages_are_not_cached(clerk):
    response = clerk.get("/arbeitsplatz/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_triage_without_second_factor_is_sent_to_set_one_up(db):
    from django.contrib.auth.models import Group

    from tests.factories.core import UserFactory

    user = UserFactory()
    user.groups.add(Group.objects.get(name="triage"))
    client = Client()
    client.force_login(user)
    response = client.get("/arbeitsplatz/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_board_members_need_no_second_factor(board_member):
    assert board_member.get("/arbeitsplatz/").status_code == 200


@pytest.mark.django_db
def test_workplace_shows_only_the_sections_of_the_users_roles(clerk, office):
    assert "Verzeichnis" in clerk.get("/arbeitsplatz/").content.decode()
    assert "/arbeitsplatz/verzeichnis/" not in office.get("/arbeitsplatz/").content.decode()


@pytest.mark.django_db
def test_signup_is_closed(anonymous):
    response = anonymous.get("/konto/signup/")
    assert "/konto/signup/" not in [response.get("Location")]
    assert response.status_code in (200, 302)
    assert b'name="password2"' not in response.content


@pytest.mark.django_db
def test_feedback_without_a_valid_form_token_is_refused_and_keeps_the_text(anonymous):
    response = anonymous.post("/barrierefreiheit/", {"message": "Kontrast", "issued": "x:y:z"})
    html = response.content.decode()
    assert "Seite neu" in html
    assert "Kontrast" in html
    assert OutboxMail.objects.count() == 0


@pytest.mark.django_db
def test_feedback_sent_faster_than_a_human_types_is_refused(anonymous, settings):
    settings.BEIRAT_FORM_MIN_SECONDS = 60
    response = anonymous.post(
        "/barrierefreiheit/", {"message": "Kontrast", "issued": issue_token()}
    )
    assert "sehr schnell" in response.content.decode()
    assert OutboxMail.objects.count() == 0


@pytest.mark.django_db
def test_browser_language_does_not_override_the_german_default():
    page = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/")
    assert 'lang="de"' in page.content.decode()
    assert page["Content-Language"] == "de"


@pytest.mark.django_db
def test_the_citys_colour_is_a_style_sheet_and_the_logo_is_shown(anonymous, settings):
    settings.CITY = {**settings.CITY, "primary_colour": "#7a0019", "logo": "/static/stadt/logo.svg"}

    css = anonymous.get("/branding.css")
    page = anonymous.get("/").content.decode()

    assert css["Content-Type"] == "text/css"
    assert css.content.decode().strip() == ":root { --beirat-brand: #7a0019; }"
    assert 'href="/branding.css"' in page
    assert '<img class="beirat-brand__logo" src="/static/stadt/logo.svg" alt=""' in page


@pytest.mark.parametrize(
    ("method", "value"),
    [
        ("colour", "red; } body { display: none"),
        ("colour", "#12345"),
        ("local_path", "https://cdn.example.org/logo.svg"),
        ("local_path", "//cdn.example.org/logo.svg"),
    ],
)
def test_branding_settings_refuse_what_could_break_out(method, value):
    from django.core.exceptions import ImproperlyConfigured

    from beirat.core.environment import Environment

    environment = Environment({"SETTING": value})
    with pytest.raises(ImproperlyConfigured):
        getattr(environment, method)("SETTING", *(("#000000",) if method == "colour" else ()))
