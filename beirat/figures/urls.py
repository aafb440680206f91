from django.urls import path

from beirat.figures import views

app_name = "figures"

urlpatterns = [
    path("zahlen/", views.page, name="page"),
]
