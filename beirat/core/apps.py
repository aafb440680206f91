from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The database cache of a production installation (shared rate limits, cached counts)
    needs its table; created by every migrate, so that no installation or upgrade forgets it.
    Without a database cache configured this does nothing."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "beirat.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)
