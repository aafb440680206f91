from django.urls import path

from beirat.core import health, metrics, sso_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("arbeitsplatz/", views.workplace, name="workplace"),
    path("arbeitsplatz/protokoll/", views.audit_log, name="audit_log"),
    path("arbeitsplatz/anmeldedienst/", sso_views.sign_in_settings, name="sign_in_settings"),
    # allauth's single sign-on views with a German page for a provider that is down; the same
    # addresses as allauth's, found first (beirat/core/sso_views.py).
    path("konto/oidc/<str:provider_id>/login/", sso_views.oidc_login, name="sso_oidc_login"),
    path(
        "konto/oidc/<str:provider_id>/login/callback/",
        sso_views.oidc_callback,
        name="sso_oidc_callback",
    ),
    path("konto/saml/<str:organization_slug>/login/", sso_views.saml_login, name="sso_saml_login"),
    path(
        "konto/saml/<str:organization_slug>/acs/finish/",
        sso_views.saml_finish_acs,
        name="sso_saml_finish_acs",
    ),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("datenschutz/aufbewahrung/", views.retention_register, name="retention"),
    path("impressum/", views.imprint, name="imprint"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("offene-daten/", views.open_data, name="open_data"),
    path("branding.css", views.branding, name="branding"),
    path("sprache/<str:language>/", views.switch_language, name="switch_language"),
    # Operations (docs/deployment.md "Monitoring"): no slash, as monitoring tools expect.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]
