from django.urls import path

from beirat.search import views

app_name = "search"

urlpatterns = [
    path("suche/", views.search, name="search"),
]
