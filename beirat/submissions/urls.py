from django.urls import path

from beirat.submissions import views

app_name = "submissions"

urlpatterns = [
    path("eingaben/", views.lookup, name="lookup"),
    path("eingaben/neu/", views.new, name="new"),
    path("eingaben/<str:code>/", views.track, name="track"),
    path("eingaben/<str:code>/ergaenzen/", views.add_information, name="add_information"),
    path("eingaben/<str:code>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("eingaben/<str:code>/kontaktdaten-loeschen/", views.erase_contact, name="erase_contact"),
    path("eingaben/<str:code>/meine-daten/", views.export, name="export"),
    path(
        "eingaben/<str:code>/bestaetigen/<str:token>/",
        views.confirm_email,
        name="confirm_email",
    ),
]
