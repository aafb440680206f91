"""Every state-changing request (POST) to every URL, for every persona the GET table refuses.

The GET table of test_matrix.py says who may open a page. Here each refused persona sends the
POST that a permitted person would send: the form as the permitted person is shown it (every
field with its value, every box ticked), or a bare confirmation for URLs that only take POST.
The refusal must be the same as for GET (404, or the login for anonymous visitors; 405 where a
URL takes no POST from anybody), and not a single row in the database may change.
"""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tests.permissions.test_matrix import (  # noqa: F401 - fixtures used by name
    CASES,
    MATRIX_PERSONAS,
    _expected,
    other_submitter,
    submitter,
    world,
)

# What changes on any request and is not the request's doing.
VOLATILE_MODELS = frozenset({"sessions.session", "django_cache"})
ANONYMOUS = frozenset({"anonymous", "submitter", "other_submitter"})
CONFIRMATION = {"confirm": "on", "confirmed": "on", "bestaetigt": "on"}


class FormFields(HTMLParser):
    """name → value of the inputs of the page's POST forms, boxes and radios chosen."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_post_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._in_post_form = found.get("method", "get").lower() == "post"
        elif self._in_post_form and "name" in found:
            self._field(tag, found)

    def _field(self, tag: str, found: dict[str, str]) -> None:
        name = found["name"]
        if tag == "input" and found.get("type") in {"checkbox", "radio"}:
            self.fields.setdefault(name, found.get("value") or "on")
        elif tag == "input" and found.get("type") != "file":
            self.fields[name] = found.get("value") or _valid_value(found)
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select":
            self._select = name
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_post_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data.strip()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


# A value each input type accepts, so that a form a refused persona sends would pass
# validation: only the permission check stands between it and a changed row.
VALID_BY_TYPE = {
    "date": "2031-05-01",
    "datetime-local": "2031-05-01T17:00",
    "time": "17:00",
    "email": "test@example.org",
    "number": "1",
    "url": "https://example.org/",
    "tel": "0261 1290",
    "password": "Ein-langes-Passwort-2031",
}


def _valid_value(attributes: dict[str, str]) -> str:
    return VALID_BY_TYPE.get(attributes.get("type", "text"), "Text")


def _fill_selects(html: str, fields: dict[str, str]) -> dict[str, str]:
    """The first real option of each empty select, so that the form would pass validation."""

    class Options(HTMLParser):
        select: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = {name: value or "" for name, value in attrs}
            if tag == "select":
                self.select = found.get("name")
            elif (
                tag == "option"
                and self.select
                and found.get("value")
                and not fields.get(self.select)
            ):
                fields[self.select] = found["value"]

    Options().feed(html)
    return fields


def post_data(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    fields = _fill_selects(html, parser.fields)
    fields.pop("csrfmiddlewaretoken", None)
    return {**CONFIRMATION, **{name: value or "Text" for name, value in fields.items()}}


def database_fingerprint() -> dict[str, str]:
    """A digest of every row of every model, per model."""
    digests = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in VOLATILE_MODELS or not model._meta.managed:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digests[model._meta.label_lower] = _digest(rows)
    return digests


def _digest(rows: models.QuerySet[Any, Any]) -> str:
    digest = hashlib.sha256()
    for row in rows.iterator():
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _refused(expected: dict[str, int], persona: str) -> int | None:
    """The status a refused persona gets for GET (404, or 302 to the login), else None."""
    status = _expected(expected, persona)
    permitted = {code for code in expected.values() if code in {200, 405}}
    if status == 404 or (status == 302 and persona in ANONYMOUS and permitted):
        return status
    return None


def _url_known_to(persona: str, url_name: str, kwargs: dict[str, Any], planted) -> str | None:
    """As in the GET matrix: the other submitter knows only the other submission's code and
    uses it wherever the URL asks for the world's."""
    if persona != "other_submitter" or kwargs.get("code") != planted["submission"].tracking_code:
        return None
    return reverse(url_name, kwargs={**kwargs, "code": planted["other_submission"].tracking_code})


def _form_of_permitted(url: str, expected: dict[str, int], request) -> dict[str, str]:
    for persona, status in expected.items():
        if status == 200:
            response = request.getfixturevalue(persona).get(url)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                return post_data(response.content.decode())
    return dict(CONFIRMATION)


@pytest.mark.parametrize(("url_name", "case"), CASES)
def test_a_refused_post_is_refused_and_changes_nothing(url_name, case, world, request):  # noqa: F811
    kwargs = case.kwargs(world)
    url = reverse(url_name, kwargs=kwargs)
    refused = {
        persona: status
        for persona in MATRIX_PERSONAS
        if (status := _refused(case.expected, persona)) is not None
    }
    if not refused:
        pytest.skip("every persona may send this")
    data = case.post(world) if case.post else _form_of_permitted(url, case.expected, request)
    clients = {persona: request.getfixturevalue(persona) for persona in refused}  # accounts first
    before = database_fingerprint()
    answers = {}
    for persona, client in clients.items():
        response = client.post(_url_known_to(persona, url_name, kwargs, world) or url, data)
        # A read-only URL (OParl) answers every POST 405, whatever the object: also a refusal
        # that tells nothing about the object.
        answers[persona] = refused[persona] if response.status_code == 405 else response.status_code
        if response.status_code == 302:
            assert reverse("account_login") in response["Location"], (persona, response)
    changed = sorted(
        label for label, digest in database_fingerprint().items() if before.get(label) != digest
    )
    assert changed == []
    assert answers == refused
