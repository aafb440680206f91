from django.urls import path

from beirat.directory import views

app_name = "directory"

staff = "arbeitsplatz/verzeichnis/"

urlpatterns = [
    path("gremien/", views.committees, name="committees"),
    path("gremien/<slug:slug>/", views.committee, name="committee"),
    path("personen/", views.persons, name="persons"),
    path("personen/<int:pk>/", views.person, name="person"),
    path("fraktionen/", views.fractions, name="fractions"),
    path("fraktionen/<int:pk>/", views.fraction, name="fraction"),
    path("wahlperioden/", views.legislative_terms, name="legislative_terms"),
    path("netzwerk/", views.network, name="network"),
    path("netzwerk/<slug:slug>/", views.partner, name="partner"),
    path(staff, views.staff_index, name="staff_index"),
    path(f"{staff}einheiten/", views.unit_list, name="staff_units"),
    path(f"{staff}einheiten/neu/", views.unit_edit, name="staff_unit_new"),
    path(f"{staff}einheiten/<int:pk>/", views.unit_edit, name="staff_unit_edit"),
    path(f"{staff}gremien/", views.committee_list, name="staff_committees"),
    path(f"{staff}gremien/neu/", views.committee_edit, name="staff_committee_new"),
    path(f"{staff}gremien/<slug:slug>/", views.committee_edit, name="staff_committee_edit"),
    path(
        f"{staff}gremien/<slug:slug>/umbenennen/",
        views.committee_rename,
        name="staff_committee_rename",
    ),
    path(
        f"{staff}gremien/<slug:slug>/mitglieder/",
        views.committee_members,
        name="staff_committee_members",
    ),
    path(
        f"{staff}mitgliedschaften/<int:pk>/beenden/",
        views.membership_end,
        name="staff_membership_end",
    ),
    path(f"{staff}personen/", views.person_list, name="staff_persons"),
    path(f"{staff}personen/neu/", views.person_edit, name="staff_person_new"),
    path(f"{staff}personen/<int:pk>/", views.person_edit, name="staff_person_edit"),
    path(f"{staff}wahlperioden/", views.term_list, name="staff_terms"),
    path(f"{staff}wahlperioden/neu/", views.term_edit, name="staff_term_new"),
    path(f"{staff}wahlperioden/<int:pk>/", views.term_edit, name="staff_term_edit"),
    path(f"{staff}partner/", views.partner_list, name="staff_partners"),
    path(f"{staff}partner/neu/", views.partner_edit, name="staff_partner_new"),
    path(f"{staff}partner/<slug:slug>/", views.partner_detail, name="staff_partner"),
    path(f"{staff}partner/<slug:slug>/bearbeiten/", views.partner_edit, name="staff_partner_edit"),
    path(
        f"{staff}partner/<slug:slug>/ansprechpartner/neu/",
        views.contact_edit,
        name="staff_contact_new",
    ),
    path(f"{staff}ansprechpartner/<int:pk>/", views.contact_edit, name="staff_contact_edit"),
    path(
        f"{staff}ansprechpartner/<int:pk>/entfernen/",
        views.contact_remove,
        name="staff_contact_remove",
    ),
    path(
        f"{staff}partner/<slug:slug>/kooperationen/neu/",
        views.cooperation_edit,
        name="staff_cooperation_new",
    ),
    path(f"{staff}kooperationen/<int:pk>/", views.cooperation_edit, name="staff_cooperation_edit"),
    path(
        f"{staff}partner/<slug:slug>/veranstaltungen/neu/", views.event_edit, name="staff_event_new"
    ),
    path(f"{staff}veranstaltungen/<int:pk>/", views.event_edit, name="staff_event_edit"),
]
