from django.urls import path

from beirat.ingest import views

app_name = "ingest"
area = "arbeitsplatz/import/"

urlpatterns = [
    path(area, views.imports, name="imports"),
    path(f"{area}<int:pk>/", views.record, name="record"),
    path(f"{area}<int:pk>/bestaetigen/", views.confirm, name="confirm"),
    path(f"{area}<int:pk>/original/", views.original, name="original"),
    path("vorlagen/<str:reference>/original/", views.paper_original, name="paper_original"),
]
