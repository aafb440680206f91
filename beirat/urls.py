"""Mounts each app's URLs; nothing else."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("beirat.core.urls")),
    path("", include("beirat.directory.urls")),
    path("", include("beirat.council.urls")),
    path("", include("beirat.search.urls")),
    path("", include("beirat.submissions.urls")),
    path("", include("beirat.board.urls")),
    path("", include("beirat.ingest.urls")),
    path("", include("beirat.figures.urls")),
    path("", include("beirat.oparlsync.urls")),
    path("", include("beirat.alerts.urls")),
    path("oparl/v1/", include("beirat.oparl.urls")),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "beirat.core.views.bad_request"
handler404 = "beirat.core.views.page_not_found"
handler403 = "beirat.core.views.permission_denied"
handler500 = "beirat.core.views.server_error"
