"""OParl 1.1, read-only: the entry point, objects at their ids, and the Body's lists."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import orjson
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from beirat.core.page_cache import public_page
from beirat.oparl import queries
from beirat.oparl.addresses import SCHEMA, absolute
from beirat.oparl.objects import BODY_LISTS, OBJECTS, find_file
from beirat.oparl.objects import body as body_payload
from beirat.oparl.openapi import document as openapi_document
from beirat.oparl.serializers.common import Payload
from beirat.oparl.serializers.system import system as system_payload


class BadRequest(Exception):
    pass


def _json(
    request: HttpRequest,
    payload: Any,
    *,
    status: int = 200,
    modified: datetime.datetime | None = None,
) -> HttpResponse:
    content = orjson.dumps(payload)
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    last_modified = int(modified.timestamp()) if modified else None
    if status == 200:
        unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if unchanged is not None:
            unchanged["Access-Control-Allow-Origin"] = "*"
            return unchanged
    response = HttpResponse(content, status=status, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    if status == 200:
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
    return response


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return _json(
        request,
        {"type": "https://schema.oparl.org/1.1/Error", "code": status, "message": message},
        status=status,
    )


def json_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET only; unknown or non-public objects and malformed parameters answer OParl-style."""

    # Read-only and cookie-free: other methods get 405 from require_GET, not a CSRF page.
    @csrf_exempt
    @require_GET
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _error(request, 404, "Das Objekt gibt es nicht.")
        except BadRequest as problem:
            return _error(request, 400, str(problem))

    wrapped.__name__ = view.__name__
    return wrapped


@json_view
def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404


@public_page()
@json_view
def system(request: HttpRequest) -> HttpResponse:
    return _json(request, system_payload(queries.bodies().first()))


@json_view
def openapi(request: HttpRequest) -> HttpResponse:
    return _json(request, openapi_document())


@public_page()
@json_view
def bodies(request: HttpRequest) -> HttpResponse:
    data = [body_payload(item) for item in queries.bodies()]
    return _json(request, {"data": data, "pagination": {"elementsPerPage": len(data)}, "links": {}})


@public_page()
@json_view
def object_detail(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    spec = OBJECTS.get(kind)
    if spec is None:
        raise Http404
    record = spec.fetch(key)
    if record is None:
        raise Http404
    payload = spec.serialize(record)
    return _json(request, payload, modified=getattr(record, "modified_at", None))


# Kept per page size too: clients follow the next links, which carry the size they asked for.
@public_page(params=["after", "limit", "elementsPerPage"])
@json_view
def body_list(request: HttpRequest, body_id: int, kind: str) -> HttpResponse:
    spec = BODY_LISTS.get(kind)
    if spec is None or not queries.bodies().filter(pk=body_id).exists():
        raise Http404
    chosen = _list_filter(request)
    records = list(spec.records(chosen))
    has_next = len(records) > chosen.limit
    records = records[: chosen.limit]
    data: list[Payload] = [spec.serialize(record) for record in records]
    if _flag_param(request, "omit_internal"):
        data = [_without_internal(item) for item in data]
    links: dict[str, str] = {}
    if has_next:
        links["next"] = _page_url(request, body_id, kind, after=spec.position(records[-1]))
    return _json(
        request, {"data": data, "pagination": {"elementsPerPage": chosen.limit}, "links": links}
    )


def _flag_param(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name)
    if raw is None:
        return False
    if raw.lower() not in {"true", "false", "1", "0"}:
        raise BadRequest(f"{name} muss true oder false sein.")
    return raw.lower() in {"true", "1"}


def _without_internal(payload: Payload) -> Payload:
    """omit_internal: leave out the objects embedded in a list entry; their ids stay reachable."""
    return {key: value for key, value in payload.items() if not _is_embedded(value)}


def _is_embedded(value: Any) -> bool:
    if isinstance(value, dict):
        return str(value.get("type", "")).startswith(SCHEMA)
    return isinstance(value, list) and any(_is_embedded(item) for item in value)


def _page_url(request: HttpRequest, body_id: int, kind: str, *, after: int) -> str:
    # Every filter is kept in the link; only the position moves on.
    params = {key: value for key, value in request.GET.items() if key != "after"}
    params["after"] = str(after)
    path = reverse("oparl:body_list", kwargs={"body_id": body_id, "kind": kind})
    return absolute(f"{path}?{urlencode(params)}")


def _list_filter(request: HttpRequest) -> queries.ListFilter:
    return queries.ListFilter(
        created_since=_datetime_param(request, "created_since"),
        created_until=_datetime_param(request, "created_until"),
        modified_since=_datetime_param(request, "modified_since"),
        modified_until=_datetime_param(request, "modified_until"),
        after=_int_param(request, "after", 0, minimum=0, maximum=2**62),
        # elementsPerPage is the spec's name for it; limit is kept as a shorter alias.
        limit=_int_param(
            request,
            "elementsPerPage" if "elementsPerPage" in request.GET else "limit",
            queries.DEFAULT_PAGE_SIZE,
            minimum=1,
            maximum=queries.MAX_PAGE_SIZE,
        ),
    )


def _datetime_param(request: HttpRequest, name: str) -> datetime.datetime | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        raise BadRequest(f"{name} muss ein Zeitpunkt wie 2025-06-26T14:00:00+02:00 sein.")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _int_param(request: HttpRequest, name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise BadRequest(f"{name} muss eine ganze Zahl von {minimum} bis {maximum} sein.")
    return int(raw)


@csrf_exempt
@require_GET
def file_download(request: HttpRequest, key: str) -> HttpResponse:
    """A File's content as an attachment (OParl's downloadUrl): an official PDF, a paper's
    attachment, a meeting's invitation or minutes, found by its key as at its id
    (objects.find_file())."""
    found = find_file(key)
    if found is None:
        return _error(request, 404, "Das Objekt gibt es nicht.")
    download = found.kind.download(found.record)
    response = HttpResponse(download.content, content_type=download.media_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=download.file_name) or ""
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    return response
