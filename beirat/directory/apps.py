from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "beirat.directory"
    label = "directory"
    verbose_name = _("Verzeichnis")

    def ready(self) -> None:
        from beirat.core import contributions as c
        from beirat.directory import rules

        c.register_menu_entry("directory:committees", _("Gremien"), position=50)
        c.register_menu_entry("directory:network", _("Netzwerk"), position=80)
        c.register_workplace_section(
            "directory:staff_index",
            _("Verzeichnis"),
            _(
                "Ämter, Gremien und Fraktionen, Personen, Mitgliedschaften, Wahlperioden und "
                "Netzwerkpartner pflegen."
            ),
            visible_to=rules.can_manage_directory,
            position=70,
        )
