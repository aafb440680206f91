"""Build the Koblenz demo through the real services; a second run changes nothing."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Lädt die Koblenzer Demodaten (idempotent: ein zweiter Lauf ändert nichts)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # The demo makes accounts with the published demo password (BEIRAT_DEMO_PASSWORD).
            raise CommandError(
                "load_demo refuses to run in production (BEIRAT_PRODUCTION is on): it creates "
                "accounts whose password is published. Create the first administrator with "
                "`manage.py createsuperuser` (docs/deployment.md)."
            )
        for config in apps.get_app_configs():
            if not config.name.startswith("beirat."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                created = module.load(stdout=self.stdout)
            self.stdout.write(f"{config.verbose_name}: {created} neu angelegt")
