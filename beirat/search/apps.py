from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "beirat.search"
    label = "search"
    verbose_name = _("Suche")

    def ready(self) -> None:
        from beirat.search import sources

        sources.discover()
