from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "beirat.search"
    label = "search"
    verbose_name = _("Suche")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from beirat.core import contributions, health, metrics
        from beirat.core.backups import database_restored
        from beirat.search import queries, services, sources
        from beirat.search.health import index_figures, index_readiness

        sources.discover()
        services.connect_sources()
        contributions.register_menu_entry("search:search", _("Suche"), position=90)
        contributions.register_part(
            contributions.OPEN_DATA_FEEDS, "search/_open_data.html", lambda request, subject: {}
        )
        for namer in sources.FACET_NAMERS.values():
            for model in namer.changed_by:
                post_save.connect(queries.forget_facet_names, sender=model, weak=False)
        database_restored.connect(restored, weak=False)
        health.register_readiness_check("search_index", index_readiness)
        metrics.register_gauges(index_figures)


def restored(sender: object, **kwargs: object) -> None:
    """After a restore every server's indexer builds its index anew (models.LogEpoch)."""
    from beirat.search.indexer import new_epoch

    new_epoch()
