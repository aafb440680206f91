"""Log lines an operator can read and that leak nothing: JSON in UTC, a request id, no secrets.

* Every record gets the id of the request it belongs to (``request_id``): the one nginx passed
  on in ``X-Request-ID`` (its ``$request_id``, also in its access log), or a new one. The answer
  carries it back in ``X-Request-ID``.
* Tracking codes are the key to a submitter's data, and e-mail addresses are personal data:
  both are masked in every record of every logger, at the moment the record is made
  (``Logger.makeRecord`` wrapped by ``configure``, Django's LOGGING_CONFIG), message, traceback
  and extras alike, so no handler, formatter or test capture ever sees them. Extras that are
  objects (Django's ``request``) become their masked text. Paths below /eingaben/ lose their
  code even when it was mistyped.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import logging.config
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

REQUEST_ID_HEADER = "X-Request-ID"
# What we take from a proxy: nginx's $request_id is 32 hex digits; other proxies send UUIDs.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

CODE_MASK = "<tracking-code>"
EMAIL_MASK = "<email>"
# Seven groups of four symbols (beirat/core/tracking_codes.py), in any case, with hyphens or
# spaces, or the 28 symbols run together (then with two digits at least, unlike a long word).
_SYMBOL = "[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]"  # Crockford's base 32 (no I, L, O, U) in any case
_TRACKING_CODE = re.compile(
    rf"(?<![0-9A-Za-z])(?:{_SYMBOL}{{4}}(?:[- ]{_SYMBOL}{{4}}){{6}}"
    rf"|(?=(?:[A-Za-z]*[0-9]){{2}}){_SYMBOL}{{28}})(?![0-9A-Za-z])"
)
# Whatever stands where a tracking page's address has its code, except the intake form; the
# signed link of an alert mail likewise (beirat/alerts/urls.py).
_TRACKING_PATH = re.compile(r"(/(?:eingaben|benachrichtigungen)/)(?!neu(?:/|$|\?))[^/?#\s\"']+")
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def mask(text: str) -> str:
    """The text without tracking codes and e-mail addresses."""
    text = _TRACKING_PATH.sub(r"\1" + CODE_MASK, text)
    text = _TRACKING_CODE.sub(CODE_MASK, text)
    return _EMAIL.sub(EMAIL_MASK, text)


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Takes the proxy's request id (or makes one) for the log records and the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _ACCEPTED_ID.fullmatch(offered) else uuid.uuid4().hex
        # Kept until the answer is closed (request_finished): Django logs an error answer after
        # the middleware has returned.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def forget_request_id(**kwargs: Any) -> None:
    _request_id.set("")


request_finished.connect(forget_request_id, dispatch_uid="beirat.core.log_records")


_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _masked(record: logging.LogRecord) -> logging.LogRecord:
    record.request_id = _request_id.get()
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a wrong format string: keep what there is
        message = f"{record.msg} {record.args}"
    record.msg, record.args = mask(message), ()
    if record.exc_info and record.exc_info[1] is not None:
        # The traceback would be formatted later, from the exception; keep a masked text.
        record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    for key, value in list(record.__dict__.items()):
        # Extras such as Django's ``request`` (its repr holds the path): text only, masked.
        if key in _STANDARD or key == "request_id" or isinstance(value, int | float | None):
            continue
        record.__dict__[key] = mask(value if isinstance(value, str) else repr(value))
    return record


def install_masking() -> None:
    """Mask every record made from now on in this process, by every logger (idempotent).

    ``Logger.makeRecord`` is wrapped, not the record factory: extras are set after the factory.
    """
    original = logging.Logger.makeRecord
    if getattr(original, "beirat_masking", False):
        return

    def make_record(self: logging.Logger, *args: Any, **kwargs: Any) -> logging.LogRecord:
        return _masked(original(self, *args, **kwargs))

    make_record.beirat_masking = True  # type: ignore[attr-defined]
    logging.Logger.makeRecord = make_record  # type: ignore[method-assign]


def configure(config: dict[str, Any]) -> None:
    """Django's LOGGING_CONFIG: the masking record factory, then the dictionary config."""
    install_masking()
    logging.config.dictConfig(config)


def _utc_timestamp(record: logging.LogRecord) -> str:
    moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc_timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        request_id = getattr(record, "request_id", "")
        if request_id:
            entry["request_id"] = request_id
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            entry["status"] = status
        exception = record.exc_text or (
            self.formatException(record.exc_info) if record.exc_info else ""
        )
        if exception:
            entry["exception"] = mask(exception)
        return json.dumps(entry, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """The same in one line of text (UTC with its offset), for a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", "")
        line = (
            f"{_utc_timestamp(record)} {record.levelname} {record.name} "
            f"{'[' + request_id + '] ' if request_id else ''}{record.getMessage()}"
        )
        exception = record.exc_text or (
            self.formatException(record.exc_info) if record.exc_info else ""
        )
        return mask(f"{line}\n{exception}" if exception else line)
