"""Real Chromium (Debian's package, never a downloaded browser) against a live test server.

Every journey saves its screenshots under ``test-artifacts/e2e/`` (git ignores it), at the phone
and desktop widths it is run with, so that a person can look at what the test saw.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from beirat.core.roles import Role

# Playwright's synchronous API runs an event loop in this thread; the ORM calls of the test
# itself are still synchronous and never overlap with a page's, so Django's guard is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"phone": 375, "desktop": 1280}


def _chromium() -> str:
    found = os.environ.get("BEIRAT_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(
            "Chromium fehlt: bitte 'apt-get install chromium' ausführen "
            "(oder BEIRAT_CHROMIUM auf den Browser setzen)."
        )
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _role_groups(transactional_db) -> None:
    """A transactional test empties every table, the role groups of migration 0002 too."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request) -> str:
    return str(request.param)


class Visitor:
    """One person's browser window: pages, screenshots, and every address the browser asked for."""

    def __init__(self, browser, base_url: str, width: str, name: str) -> None:
        self.context = browser.new_context(
            viewport={"width": WIDTHS[width], "height": 900}, locale="de-DE", base_url=base_url
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.base_url = base_url
        self.width = width
        self.name = name
        self.requested: list[str] = []
        self.page.on("request", lambda request: self.requested.append(request.url))
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def log_in_as(self, user) -> None:
        """The account's session, as after a login with password and second factor."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        self.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": self.base_url}]
        )

    def shot(self, journey: str, step: str) -> Path:
        folder = ARTIFACTS / journey
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{step}-{self.name}-{self.width}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def third_party_requests(self) -> list[str]:
        own = re.compile(rf"^{re.escape(self.base_url)}(/|$)")
        return [url for url in self.requested if not own.match(url) and not url.startswith("data:")]


@pytest.fixture
def visitors(browser, live_server, width) -> Iterator[object]:
    opened: list[Visitor] = []

    def open_window(name: str) -> Visitor:
        visitor = Visitor(browser, live_server.url, width, name)
        opened.append(visitor)
        return visitor

    yield open_window
    for visitor in opened:
        visitor.context.close()
