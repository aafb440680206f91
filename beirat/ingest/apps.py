from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "beirat.ingest"
    label = "ingest"
    verbose_name = _("Import von Vorlagen")

    def ready(self) -> None:
        from beirat.core import contributions
        from beirat.ingest import retention
        from beirat.ingest.views import original_part

        contributions.register_part(
            contributions.PAPER_DOWNLOADS, "ingest/_paper_original.html", original_part
        )

        retention.register()
