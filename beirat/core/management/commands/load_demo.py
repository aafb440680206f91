"""Build the Koblenz demo through the real services; a second run changes nothing."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Lädt die Koblenzer Demodaten (idempotent: ein zweiter Lauf ändert nichts)."

    def handle(self, *args: Any, **options: Any) -> None:
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
