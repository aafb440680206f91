from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The database cache of a production installation (shared rate limits, cached counts)
    needs its table; created by every migrate, so that no installation or upgrade forgets it.
    Without a database cache configured this does nothing."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def forget_cached(sender: Any, **kwargs: Any) -> None:
    """After a restore nothing in the caches belongs to the data any more: kept pages, counts and
    their versions (and the rate limits, which a restore may well start afresh) all go."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def connect_page_cache() -> None:
    """Writes of every model a page may show make kept public pages old (page_cache.py). One
    receiver per model, not one for all: a model without receivers keeps Django's fast delete
    (pruning the search log, clearing sessions), which a receiver for every sender would end."""
    from django.apps import apps

    from beirat.core.page_cache import UNSHOWN_MODELS, content_changed

    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in UNSHOWN_MODELS:
            continue
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, sender=model, dispatch_uid="beirat.core.page_cache")


class CoreConfig(AppConfig):
    name = "beirat.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self) -> None:
        from django.conf import settings

        from beirat.core import checks, contributions, rules, sso

        if settings.PRODUCTION:
            # Every process of a production installation, not only those that run the checks.
            checks.refuse_to_start_if_misconfigured()
        from beirat.core.backups import database_restored

        contributions.register_menu_entry("core:home", _("Start"), position=0)
        contributions.register_workplace_section(
            "core:audit_log",
            _("Protokoll"),
            _("Wer hat wann was geändert."),
            visible_to=rules.can_view_audit_log,
            position=80,
        )

        contributions.register_workplace_section(
            "core:sign_in_settings",
            _("Anmeldedienst"),
            _("Single Sign-on: Einstellungen und Verbindungstest."),
            visible_to=rules.can_manage_sign_in,
            position=85,
        )
        sso.connect()

        post_migrate.connect(create_cache_table, sender=self)
        database_restored.connect(forget_cached, dispatch_uid="beirat.core.forget_cached")
        connect_page_cache()
