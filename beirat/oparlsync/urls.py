from django.urls import path

from beirat.oparlsync import views

app_name = "oparlsync"
area = "arbeitsplatz/ratsinformationssysteme/"

urlpatterns = [
    path(area, views.sources, name="sources"),
    path(f"{area}<int:pk>/", views.source, name="source"),
    path(f"{area}<int:pk>/bearbeiten/", views.source_edit, name="source_edit"),
    path(f"{area}<int:pk>/abgleichen/", views.source_run, name="source_run"),
]
