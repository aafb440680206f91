from django.urls import path

from beirat.alerts import staff_views, views

app_name = "alerts"

# The signed link is the first part after /benachrichtigungen/, so that the web server's log
# and the application's log mask it like a tracking code (deploy/nginx, core/log_records.py).
urlpatterns = [
    path("benachrichtigungen/neu/", views.subscribe, name="subscribe"),
    path("benachrichtigungen/<str:token>/bestaetigen/", views.confirm, name="confirm"),
    path("benachrichtigungen/<str:token>/abmelden/", views.unsubscribe, name="unsubscribe"),
    path("benachrichtigungen/<str:token>/", views.manage, name="manage"),
    path("benachrichtigungen/<str:token>/alle-loeschen/", views.delete_all, name="delete_all"),
    path("arbeitsplatz/benachrichtigungen/", staff_views.erase, name="staff_erase"),
]
