from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "beirat.board"
    label = "board"
    verbose_name = _("Digitalbeirat")

    def ready(self) -> None:
        from beirat.board import retention
        from beirat.board.views import home_section
        from beirat.core import home

        home.register("board/public/_home.html", home_section)
        retention.register()
