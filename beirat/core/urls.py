from django.urls import path

from beirat.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("arbeitsplatz/", views.workplace, name="workplace"),
    path("arbeitsplatz/protokoll/", views.audit_log, name="audit_log"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("datenschutz/aufbewahrung/", views.retention_register, name="retention"),
    path("impressum/", views.imprint, name="imprint"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("branding.css", views.branding, name="branding"),
    path("sprache/<str:language>/", views.switch_language, name="switch_language"),
]
