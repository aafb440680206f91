"""Validate OParl 1.1 output against the official schemas (OParl/spec, ``schema/``).

The official files are not plain JSON Schema. They carry no ``$schema``, and they are written for
draft 4 (``required`` as a list at object level, no ``$id``), so they are checked with
``Draft4Validator``. Before registering them we transform a copy:

* ``"schema": "File.json"`` names the schema of an embedded object. It becomes
  ``"allOf": [{"$ref": "File.json"}]`` next to the subschema's other constraints (in draft 4 a
  ``$ref`` would hide its siblings, hence the ``allOf``). Only subschemas of ``"type": "object"``
  embed anything: ``Body.mainOrganization`` is a URL string that carries ``"schema":
  "Organization"`` (without ``.json``) as a stray annotation, so on non-object subschemas the key
  is dropped instead.
* ``references``, ``backreference`` and ``cardinality`` describe links between objects; they are
  dropped.
* ``format: url`` (not a draft-4 format) means an absolute http(s) URL; ``date-time`` and ``date``
  are narrowed to the OParl rule (``yyyy-mm-ddThh:mm:ss±hh:mm`` without ``Z`` or fractions, and
  ``yyyy-mm-dd``). A ``FormatChecker`` with only these three checks makes violations errors.

None of the official schemas sets ``additionalProperties``, so extension fields (``beirat:...``
or any other ``vendor:key``) are allowed already; should a schema ever say
``"additionalProperties": false``, keys containing a colon stay allowed through a
``patternProperties`` entry added by the transform.

Rules the schemas miss are checked in Python: ``created`` and ``modified`` on every object,
including embedded ones, and an ``id`` on every embedded object; and the list page format of the
spec's chapter "Objektlisten und Paginierung" (``data``, ``pagination``, ``links``).
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "vendor" / "schema"
SCHEMA_BASE_URI = "https://schema.oparl.org/1.1/"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"
EXTENSION_PREFIXES = ("beirat:",)
# Keys of the official schemas that are not JSON Schema; see the module docstring.
NON_STANDARD_KEYWORDS = frozenset({"references", "backreference", "cardinality", "schema"})

_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

JsonObject = dict[str, Any]


# --- formats -----------------------------------------------------------------------------------

FORMAT_CHECKER = FormatChecker(formats=())


def is_absolute_http_url(value: object) -> bool:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _check_url(value: object) -> bool:
    return not isinstance(value, str) or is_absolute_http_url(value)


def _check_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


FORMAT_CHECKER.checks("url")(_check_url)
FORMAT_CHECKER.checks("date-time")(_check_date_time)
FORMAT_CHECKER.checks("date")(_check_date)


# --- schemas -----------------------------------------------------------------------------------


def is_extension_key(key: str) -> bool:
    return ":" in key or key.startswith(EXTENSION_PREFIXES)


def transform_schema(schema: Any) -> Any:
    """A standard draft-4 copy of an official OParl schema (see the module docstring)."""
    if isinstance(schema, list):
        return [transform_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return copy.deepcopy(schema)
    result: JsonObject = {}
    for key, value in schema.items():
        if key in NON_STANDARD_KEYWORDS:
            continue
        if key in ("properties", "patternProperties") and isinstance(value, dict):
            # Property names are data, not keywords: a property may well be called "schema".
            result[key] = {name: transform_schema(sub) for name, sub in value.items()}
        elif key in ("enum", "required"):
            result[key] = copy.deepcopy(value)
        else:
            result[key] = transform_schema(value)
    embedded = schema.get("schema")
    if isinstance(embedded, str) and schema.get("type", "object") == "object":
        target = embedded if embedded.endswith(".json") else f"{embedded}.json"
        result["allOf"] = [*result.get("allOf", []), {"$ref": target}]
    if result.get("additionalProperties") is False:
        pattern = "|".join([":", *(f"^{re.escape(p)}" for p in EXTENSION_PREFIXES)])
        result.setdefault("patternProperties", {})[pattern] = {}
    return result


@cache
def _registry_and_schemas() -> tuple[Registry[Any], dict[str, JsonObject]]:
    if not SCHEMA_DIR.is_dir():
        raise FileNotFoundError(f"OParl schemas not found at {SCHEMA_DIR}")
    schemas: dict[str, JsonObject] = {}
    resources: list[tuple[str, Resource[Any]]] = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        original = json.loads(path.read_text(encoding="utf-8"))
        uri = SCHEMA_BASE_URI + path.name
        schema = transform_schema(original)
        schema["id"] = uri  # the draft-4 base URI, against which "File.json" resolves
        schemas[path.stem] = schema
        resources.append((uri, DRAFT4.create_resource(schema)))
    registry: Registry[Any] = Registry().with_resources(resources).crawl()
    return registry, schemas


def object_type_names() -> list[str]:
    """The object types with an official schema: ["AgendaItem", "Body", ...]."""
    return sorted(_registry_and_schemas()[1])


@cache
def _validator(type_name: str) -> Draft4Validator:
    registry, schemas = _registry_and_schemas()
    return Draft4Validator(schemas[type_name], registry=registry, format_checker=FORMAT_CHECKER)


# --- errors ------------------------------------------------------------------------------------


def _pointer(path: Iterable[Any]) -> str:
    return "/" + "/".join(str(part) for part in path)


def _join(prefix: str, path: Iterable[Any]) -> str:
    return prefix.rstrip("/") + _pointer(path) if prefix else _pointer(path)


def _format(error: ValidationError, prefix: str = "") -> str:
    return f"{_join(prefix, error.absolute_path)}: {error.message}"


def _sorted_errors(errors: Iterable[ValidationError]) -> list[ValidationError]:
    return sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], e.message))


# --- objects -----------------------------------------------------------------------------------


def type_name_of(obj: object) -> str | None:
    """ "Paper" for an object of type https://schema.oparl.org/1.1/Paper, else None."""
    if not isinstance(obj, dict):
        return None
    value = obj.get("type")
    if not isinstance(value, str) or not value.startswith(TYPE_PREFIX):
        return None
    return value.removeprefix(TYPE_PREFIX)


def is_oparl_object(value: object) -> bool:
    return type_name_of(value) is not None


def iter_embedded_objects(
    value: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], JsonObject]]:
    """Every OParl object inside ``value`` (not ``value`` itself), with its path."""
    if isinstance(value, dict):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        child_path = (*path, key)
        if is_oparl_object(child):
            yield child_path, child
        yield from iter_embedded_objects(child, child_path)


def _rule_errors(obj: JsonObject, prefix: str) -> list[str]:
    errors = [
        f"{_join(prefix, ())}: '{field}' is a required property (OParl: every object)"
        for field in ("created", "modified")
        if field not in obj
    ]
    for path, embedded in iter_embedded_objects(obj):
        where = _join(prefix, path)
        errors.extend(
            f"{where}: '{field}' is a required property (OParl: every embedded object)"
            for field in ("id", "created", "modified")
            if field not in embedded
        )
        name = type_name_of(embedded)
        if name not in _registry_and_schemas()[1]:
            errors.append(f"{where}: unknown OParl type {embedded.get('type')!r}")
    return errors


def validate_object(obj: Any, *, prefix: str = "") -> list[str]:
    """Readable errors ("/mainFile/created: ...") of one OParl object; [] if it is valid."""
    if not isinstance(obj, dict):
        return [f"{_join(prefix, ())}: expected an OParl object, got {type(obj).__name__}"]
    name = type_name_of(obj)
    if name is None or name not in _registry_and_schemas()[1]:
        return [f"{_join(prefix, ('type',))}: unknown OParl type {obj.get('type')!r}"]
    errors = [_format(e, prefix) for e in _sorted_errors(_validator(name).iter_errors(obj))]
    errors.extend(_rule_errors(obj, prefix))
    return errors


# --- list pages --------------------------------------------------------------------------------

_URL = {"type": "string", "format": "url"}
_COUNT = {"type": "integer", "minimum": 0}
LIST_PAGE_SCHEMA: JsonObject = {
    "type": "object",
    "required": ["data", "pagination", "links"],
    "properties": {
        "data": {"type": "array", "items": {"type": "object"}},
        "pagination": {
            "type": "object",
            "properties": {
                "totalElements": _COUNT,
                "elementsPerPage": {"type": "integer", "minimum": 1},
                "currentPage": {"type": "integer", "minimum": 1},
                "totalPages": _COUNT,
            },
            "patternProperties": {":": {}},
            "additionalProperties": False,
        },
        "links": {
            "type": "object",
            "properties": dict.fromkeys(("first", "prev", "self", "next", "last", "web"), _URL),
            "patternProperties": {":": {}},
            "additionalProperties": False,
        },
    },
}
_LIST_PAGE_VALIDATOR = Draft4Validator(LIST_PAGE_SCHEMA, format_checker=FORMAT_CHECKER)


def _as_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def validate_list_page(page: Any) -> list[str]:
    """Errors of an external object list page (``data``, ``pagination``, ``links``)."""
    if not isinstance(page, dict):
        return [f"/: expected a list page object, got {type(page).__name__}"]
    errors = [_format(e) for e in _sorted_errors(_LIST_PAGE_VALIDATOR.iter_errors(page))]
    data = page.get("data")
    if isinstance(data, list):
        for index, item in enumerate(data):
            errors.extend(validate_object(item, prefix=f"/data/{index}"))
    pagination = page.get("pagination")
    links = page.get("links")
    if isinstance(pagination, dict) and isinstance(links, dict):
        current = _as_int(pagination.get("currentPage"))
        total = _as_int(pagination.get("totalPages"))
        per_page = _as_int(pagination.get("elementsPerPage"))
        if current is not None and total is not None:
            if current > total and not (current == 1 and total == 0):
                errors.append(f"/pagination: currentPage {current} is past totalPages {total}")
            if current >= total and "next" in links:
                errors.append("/links/next: present on the last page")
            if current < total and "next" not in links:
                errors.append("/links/next: missing, but this is not the last page")
        if per_page is not None and isinstance(data, list) and len(data) > per_page:
            errors.append(f"/data: {len(data)} objects, more than elementsPerPage {per_page}")
    return errors
