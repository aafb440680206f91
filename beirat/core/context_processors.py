from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from beirat.core.navigation import available_footer_links, available_navigation
from beirat.core.roles import is_staff_member
from beirat.core.version import beirat_version


def site(request: HttpRequest) -> dict[str, Any]:
    """The city's name and branding, the navigation and the footer's contributed links, whether
    to show the workplace link, and the version (footer)."""
    return {
        "city": shown_city(),
        "navigation": [
            (url, label, _is_current(url, request.path)) for url, label in available_navigation()
        ],
        "footer_links": available_footer_links(),
        "show_workplace_link": is_staff_member(request.user),
        "beirat_version": beirat_version(),
    }


def shown_city() -> dict[str, Any]:
    """settings.CITY with the board's name in the reader's language where the catalogue knows
    it ("Digitalbeirat" is "Digital Advisory Board" in English, as in the main menu); a name an
    installation chose for itself reads the same in every language."""
    return {**settings.CITY, "board_name": gettext_lazy(settings.CITY["board_name"])}


def _is_current(url: str, path: str) -> bool:
    return path == url if url == "/" else path.startswith(url)
