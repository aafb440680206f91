from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "beirat.ingest"
    label = "ingest"
    verbose_name = _("Import von Vorlagen")

    def ready(self) -> None:
        from beirat.ingest import retention

        retention.register()
