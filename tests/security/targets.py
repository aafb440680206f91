"""What the bad-input corpus is sent to, found by looking, not by a hand list.

Every page of the permission matrix (tests/permissions/test_matrix.py) is fetched once, as a
persona that may see it; every ``<form>`` on it is read with the standard library's HTML parser.
POST forms take the payloads in their fields and files; GET forms (search, filters) and the
OParl lists (their parameters read from the OParl OpenAPI document) take them in the query string;
every URL parameter of a route takes them in the path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import orjson
from django.urls import reverse

from tests.permissions.test_matrix import ACCOUNT_TABLE, TABLE

# Input types whose value is free text, and typed inputs with a value a form accepts.
FREE_TEXT = {"text", "textarea", "search", "password"}
TYPED_DEFAULTS = {
    "email": "buerger@example.org",
    "url": "https://example.org/",
    "tel": "+49 261 129-0",
    "date": "2025-06-26",
    "datetime-local": "2025-06-26T14:00",
    "time": "14:00",
    "month": "2025-06",
    "number": "1",
    "color": "#004b87",
}
NOT_SENT = {"submit", "button", "reset", "image"}
CSRF_FIELD = "csrfmiddlewaretoken"


@dataclass
class Field:
    name: str
    kind: str  # the input type, or "textarea" / "select"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False
    honeypot: bool = False  # never shown to people (tabindex -1): filled only by robots
    checked: bool = False
    minimum: str = ""

    @property
    def free_text(self) -> bool:
        return self.kind in FREE_TEXT and not self.honeypot

    @property
    def text_like(self) -> bool:
        """Every field a person types into, typed inputs included."""
        return (self.kind in FREE_TEXT or self.kind in TYPED_DEFAULTS) and not self.honeypot


@dataclass
class Form:
    page: str  # the URL the form was found on
    persona: str  # who saw it
    url_name: str
    method: str
    action: str
    enctype: str
    fields: list[Field]
    button: tuple[str, str] | None = None  # the first named submit button

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.method, _route_of(self.action), self.field_names)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(sorted({item.name for item in self.fields}))

    @property
    def csrf_token(self) -> str:
        return next((item.value for item in self.fields if item.name == CSRF_FIELD), "")

    @property
    def files(self) -> list[Field]:
        return [item for item in self.fields if item.kind == "file"]

    @property
    def text_fields(self) -> list[Field]:
        return [item for item in self.fields if item.text_like]

    def label(self) -> str:
        return f"{self.method} {self.action} ({self.url_name}, {self.persona})"

    def values(
        self, payload: str | None = None, *, into: tuple[str, ...] = ("text",)
    ) -> list[tuple[str, str]]:
        """The form as a person would send it, with ``payload`` in some of its fields.

        ``into``: "text" for the free-text fields, input types such as "number" or "url" for
        those, "all" for every field a person fills, selects included. Every other field gets a
        valid value, so that the form can be stored. Hidden fields keep the page's value (the
        CSRF token, the signed form token); the honeypot stays empty.
        """
        pairs: list[tuple[str, str]] = []
        for item in self.fields:
            if item.kind == "file" or item.kind in NOT_SENT:
                continue
            targeted = "all" in into or item.kind in into or ("text" in into and item.free_text)
            pairs.append((item.name, _value_for(item, payload if targeted else None)))
        if self.button:
            pairs.append(self.button)
        return pairs


def _value_for(item: Field, payload: str | None) -> str:
    if item.honeypot:
        return ""
    if item.kind == "hidden":
        return item.value
    if item.kind in ("checkbox", "radio"):
        # A required confirmation is ticked; a radio group is answered with its first option.
        return item.value or "on"
    if payload is not None:
        return payload
    if item.kind == "select":
        choices = [option for option in item.options if option]
        return choices[0] if choices else (item.options[0] if item.options else "")
    if item.kind in TYPED_DEFAULTS:
        return item.minimum or item.value or TYPED_DEFAULTS[item.kind]
    # A textarea's content starts with the line break Django writes after the tag.
    return item.value.strip() or "Ein ganz gewöhnlicher Text."


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {"attrs": found, "fields": [], "button": None}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = found.get("name", "")
        if tag == "input" and name:
            kind = found.get("type", "text").lower()
            if kind in NOT_SENT:
                if self._form["button"] is None and kind == "submit":
                    self._form["button"] = (name, found.get("value", ""))
                return
            if kind in ("checkbox", "radio") and any(
                item.name == name for item in self._form["fields"]
            ):
                return  # one answer per group is enough
            self._form["fields"].append(
                Field(
                    name=name,
                    kind=kind,
                    value=found.get("value", ""),
                    multiple="multiple" in found,
                    required="required" in found,
                    honeypot=found.get("tabindex") == "-1",
                    checked="checked" in found,
                    minimum=found.get("min", ""),
                )
            )
        elif tag == "button" and name and self._form["button"] is None:
            if found.get("type", "submit") == "submit":
                self._form["button"] = (name, found.get("value", ""))
        elif tag == "select" and name:
            self._select = Field(name=name, kind="select", multiple="multiple" in found)
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(found.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = Field(name=name, kind="textarea", required="required" in found)
            self._form["fields"].append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str, *, page: str, persona: str, url_name: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    found = []
    for raw in parser.forms:
        attrs = raw["attrs"]
        action = urljoin(page, attrs.get("action") or page)
        found.append(
            Form(
                page=page,
                persona=persona,
                url_name=url_name,
                method=(attrs.get("method") or "get").upper(),
                action=action,
                enctype=attrs.get("enctype") or "application/x-www-form-urlencoded",
                fields=raw["fields"],
                button=raw["button"],
            )
        )
    return found


def _route_of(url: str) -> str:
    """The URL with its numbers folded, so that one form on many pages counts once."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", urlsplit(url).path)


@dataclass(frozen=True)
class Page:
    url_name: str
    state: str
    url: str
    persona: str  # the first persona that may see it
    personas: tuple[str, ...]  # everyone who may


def pages(world: dict[str, Any]) -> list[Page]:
    """Every case of the permission matrix that some persona may open (status 200), the
    account pages included."""
    found = []
    for url_name, cases in TABLE.items():
        for case in cases:
            allowed = tuple(name for name, status in case.expected.items() if status == 200)
            if allowed:
                url = reverse(url_name, kwargs=case.kwargs(world))
                found.append(Page(url_name, case.state, url, allowed[0], allowed))
    for key, (kwargs, expected) in ACCOUNT_TABLE.items():
        allowed = tuple(name for name, status in expected.items() if status == 200)
        if allowed:
            url = "/" + key if "/" in key else reverse(key, kwargs=kwargs)
            found.append(Page(key, "-", url, allowed[0], allowed))
    return found


ROLE_PAGE = 3  # a page at most this many personas may open is one for particular roles


def readers(page: Page) -> tuple[str, ...]:
    """The personas a page is read as: each of a few roles, else the first who may."""
    return page.personas if len(page.personas) <= ROLE_PAGE else page.personas[:1]


@dataclass
class Discovery:
    forms: list[Form]
    reading_pages: list[Page]  # pages that link to themselves with a query (?seite=2, ?status=)


def discover(world: dict[str, Any], clients: dict[str, Any]) -> Discovery:
    """Every distinct form on the pages of the matrix, and the pages that read a query.

    A page for a few roles is read as each of them (the board member's answer form is not the
    triage's); a page open to everyone, or to every account, is read once (readers()).
    """
    found: dict[tuple[str, str, tuple[str, ...]], Form] = {}
    reading: list[Page] = []
    for page in pages(world):
        for persona in readers(page):
            response = clients[persona].get(page.url)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            if persona == page.persona and 'href="?' in html:
                reading.append(page)
            for form in forms_on(html, page=page.url, persona=persona, url_name=page.url_name):
                found.setdefault(form.key, form)
    return Discovery(list(found.values()), reading)


@dataclass(frozen=True)
class Query:
    """A GET address and the parameters it reads."""

    label: str
    path: str
    params: tuple[str, ...]
    base: tuple[tuple[str, str], ...] = ()  # values sent along unchanged


def queries(forms: list[Form], world: dict[str, Any], oparl_document: bytes) -> list[Query]:
    """GET forms (search, filters), the pages' own ``seite`` and the OParl lists."""
    found: dict[str, Query] = {}
    for form in forms:
        if form.method != "GET":
            continue
        path = urlsplit(form.action).path
        params = tuple(sorted({item.name for item in form.fields} | {"seite"}))
        if path not in found or len(params) > len(found[path].params):
            found[path] = Query(f"GET form {path}", path, params)
    for path, params in _oparl_lists(oparl_document, world):
        found[path] = Query(f"OParl {path}", path, params)
    return sorted(found.values(), key=lambda query: query.path)


def _oparl_lists(document: bytes, world: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """The OParl paths with query parameters, as the API documents them (openapi.json)."""
    spec = orjson.loads(document)
    body_id = world["paper"].body_id
    found = []
    for template, item in spec["paths"].items():
        operation = item.get("get", {})
        parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
        resolved = [_resolve(spec, parameter) for parameter in parameters]
        names = tuple(sorted({p["name"] for p in resolved if p.get("in") == "query"}))
        if not names:
            continue
        for path in _fill_oparl_path(template, resolved, body_id, spec):
            found.append((path, names))
    return found


def _resolve(spec: dict[str, Any], parameter: dict[str, Any]) -> dict[str, Any]:
    reference = parameter.get("$ref")
    if not reference:
        return parameter
    node: Any = spec
    for part in reference.lstrip("#/").split("/"):
        node = node[part]
    return dict(node)


def _fill_oparl_path(
    template: str, parameters: list[dict[str, Any]], body_id: int, spec: dict[str, Any]
) -> list[str]:
    base = urlsplit(reverse("oparl:system")).path.rsplit("/", 1)[0]
    prefix = spec.get("servers", [{}])[0].get("url", "")
    prefix_path = urlsplit(prefix).path.rstrip("/") if prefix else base
    paths = [template]
    for parameter in parameters:
        if parameter.get("in") != "path":
            continue
        placeholder = "{" + parameter["name"] + "}"
        choices = parameter.get("schema", {}).get("enum")
        values = [str(body_id)] if not choices else [str(choice) for choice in choices]
        paths = [path.replace(placeholder, value) for path in paths for value in values]
    return [prefix_path + path for path in paths]


@dataclass(frozen=True)
class Route:
    """A route with URL parameters, and the address to put a payload in one of them."""

    url_name: str
    persona: str
    template: str  # the URL with "{}" where the parameter goes

    def with_value(self, value: str) -> str:
        return self.template.replace("{}", quote(value, safe=""))


def routes(world: dict[str, Any]) -> list[Route]:
    """Each URL parameter of each route, once (the first case some persona may open)."""
    marker = "BEIRATPARAMETER"
    found: dict[tuple[str, str], Route] = {}
    for page in pages(world):
        if page.url_name not in TABLE:
            continue  # the account pages take no parameter an attacker chooses freely
        case = next(item for item in TABLE[page.url_name] if item.state == page.state)
        kwargs = case.kwargs(world)
        for name in kwargs:
            if (page.url_name, name) in found:
                continue
            try:
                url = reverse(page.url_name, kwargs={**kwargs, name: marker})
            except Exception:  # noqa: S112 - an <int:…> parameter takes no text
                continue
            found[(page.url_name, name)] = Route(
                page.url_name, page.persona, url.replace(marker, "{}")
            )
    return list(found.values())
