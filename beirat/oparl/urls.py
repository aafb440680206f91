from django.urls import path, re_path

from beirat.oparl import views

app_name = "oparl"

urlpatterns = [
    path("system", views.system, name="system"),
    path("bodies", views.bodies, name="bodies"),
    path("openapi.json", views.openapi, name="openapi"),
    path("body/<int:body_id>/<str:kind>", views.body_list, name="body_list"),
    path("file/<str:key>/download", views.file_download, name="file_download"),
    path("<str:kind>/<str:key>", views.object_detail, name="object"),
    # Anything else below /oparl/v1/ answers as JSON too, never with the HTML error page.
    re_path(r"^[\s\S]*$", views.not_found, name="not_found"),
]
