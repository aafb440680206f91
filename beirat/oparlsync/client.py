"""Reading OParl over HTTP, defensively: retries with back-off on 429, 5xx and time-outs
(honouring Retry-After), a size limit, a redirect limit, and plain reasons for every failure."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import requests
from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024


class FetchError(Exception):
    """A URL that could not be read as OParl JSON; the message is the reason for the report."""


@dataclass
class OParlClient:
    timeout: float = field(default_factory=lambda: settings.BEIRAT_OPARL_SYNC_TIMEOUT)
    max_bytes: int = field(default_factory=lambda: settings.BEIRAT_OPARL_SYNC_MAX_BYTES)
    attempts: int = field(default_factory=lambda: settings.BEIRAT_OPARL_SYNC_ATTEMPTS)
    backoff: float = field(default_factory=lambda: settings.BEIRAT_OPARL_SYNC_BACKOFF_SECONDS)
    max_wait: float = field(default_factory=lambda: settings.BEIRAT_OPARL_SYNC_MAX_WAIT_SECONDS)
    sleep: Callable[[float], None] = time.sleep
    requests_made: int = 0

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.max_redirects = 5
        self.session.headers.update(
            {"Accept": "application/json", "User-Agent": "beirat-oparlsync/1.1"}
        )

    def close(self) -> None:
        self.session.close()

    def get(self, url: str) -> Any:
        """The JSON at ``url``; FetchError with the reason when it cannot be had."""
        return self._fetch(url, self._decode, accept="application/json")

    def download(self, url: str, max_bytes: int) -> bytes:
        """A file's bytes, at most ``max_bytes``: refused from its Content-Length, or once the
        stream passes the limit (never more than the limit is held); FetchError with the
        reason when it cannot be had."""

        def read(response: requests.Response) -> bytes:
            return bytes(self._read(response, max_bytes, self._file_too_large(max_bytes)))

        content: bytes = self._fetch(url, read, accept="*/*")
        return content

    def _fetch(self, url: str, read: Callable[[requests.Response], Any], *, accept: str) -> Any:
        reason = ""
        for attempt in range(1, self.attempts + 1):
            self.requests_made += 1
            try:
                response = self.session.get(
                    url, timeout=self.timeout, stream=True, headers={"Accept": accept}
                )
            except requests.TooManyRedirects:
                raise FetchError(_("Zu viele Weiterleitungen (Weiterleitungsschleife)")) from None
            except requests.Timeout:
                reason = _("Zeitüberschreitung")
            except requests.ConnectionError:
                reason = _("Keine Verbindung")
            except (requests.RequestException, ValueError) as error:
                raise FetchError(_("Ungültige Adresse: %(error)s") % {"error": error}) from None
            else:
                with response:
                    status = response.status_code
                    if status == 429 or status >= 500:
                        reason = _("HTTP-Status %(status)s") % {"status": status}
                        if attempt < self.attempts:
                            self.sleep(self._wait(attempt, response.headers.get("Retry-After")))
                        continue
                    if status >= 400:
                        raise FetchError(_("HTTP-Status %(status)s") % {"status": status})
                    return read(response)
            if attempt < self.attempts:
                self.sleep(self._wait(attempt, None))
        raise FetchError(
            _("%(reason)s, auch nach %(count)s Versuchen")
            % {"reason": reason, "count": self.attempts}
        )

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        wanted = float(self.backoff * 2 ** (attempt - 1))
        if retry_after:
            wanted = _retry_after_seconds(retry_after, default=wanted)
        return max(0.0, min(wanted, self.max_wait))

    def _decode(self, response: requests.Response) -> Any:
        content_type = response.headers.get("Content-Type", "").lower()
        data = self._read(response, self.max_bytes, self._too_large())
        if "html" in content_type or data.lstrip()[:1] == b"<":
            raise FetchError(_("HTML-Seite statt OParl-JSON"))
        try:
            return orjson.loads(bytes(data))
        except orjson.JSONDecodeError:
            raise FetchError(_("Kein gültiges JSON")) from None

    def _read(self, response: requests.Response, limit: int, too_large: str) -> bytearray:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(too_large)
        data = bytearray()
        deadline = time.monotonic() + self.timeout * 4  # a server trickling bytes forever
        try:
            for chunk in response.iter_content(CHUNK):
                if len(data) + len(chunk) > limit:  # refused before it is kept
                    raise FetchError(too_large)
                data += chunk
                if time.monotonic() > deadline:
                    raise FetchError(_("Antwort kam zu langsam"))
        except requests.RequestException:
            raise FetchError(_("Verbindung brach während der Antwort ab")) from None
        return data

    def _file_too_large(self, limit: int) -> str:
        return _("Datei größer als %(size)s MB") % {"size": limit // (1024 * 1024)}

    def _too_large(self) -> str:
        return _("Antwort größer als %(size)s MB") % {"size": self.max_bytes // 1_000_000}


def _retry_after_seconds(value: str, *, default: float) -> float:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return float(moment.timestamp() - time.time())
