"""A local OParl server in a thread for the sync tests: routes answer JSON, HTML, errors,
redirects, slow or huge bodies, as the test arranges them. Loopback only."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

EXAMPLES = Path(__file__).resolve().parent.parent / "oparl" / "vendor" / "examples"
EXAMPLE_HOST = "https://oparl.example.org"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # False: no Content-Length of our own (the body ends when the connection closes), or the
    # one the test puts into headers, true or not.
    declare_length: bool = True


Route = Answer | Callable[[int], Answer]  # a callable gets the how-many-th request this is


def json_answer(payload: Any, status: int = 200) -> Answer:
    return Answer(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})


class OParlTestServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                key = urlsplit(self.path).path + (
                    "?" + urlsplit(self.path).query if urlsplit(self.path).query else ""
                )
                server.hits[key] += 1
                route = server.routes.get(key) or server.routes.get(urlsplit(self.path).path)
                if route is None:
                    answer = json_answer({"error": "not found"}, 404)
                else:
                    answer = route(server.hits[key]) if callable(route) else route
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    if answer.declare_length:
                        self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> OParlTestServer:
        self.thread.start()
        return self

    def __exit__(self, *args: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, payload: Any) -> None:
        self.routes[path] = json_answer(payload)

    def example(self, name: str) -> dict[str, Any]:
        """An official example with its host replaced by this server's."""
        text = (EXAMPLES / f"{name}.json").read_text(encoding="utf-8")
        loaded: dict[str, Any] = json.loads(text.replace(EXAMPLE_HOST, self.base))
        return loaded

    def page(self, path: str, data: list[Any], next_path: str | None = None) -> None:
        links = {"next": self.url(next_path) if next_path else None}
        self.serve(path, {"data": data, "links": {k: v for k, v in links.items() if v}})


def register_source(server: OParlTestServer) -> Any:
    """The test server registered as a source of the installation's body, every run by hand."""
    from beirat.directory.services import installation_body
    from beirat.oparlsync import services
    from beirat.oparlsync.models import Source

    return services.save_source(
        source=Source(
            name="ALLRIS Beispielstadt",
            system_url=server.url("/"),
            body=installation_body(actor=None),
            interval_hours=0,
        ),
        actor=None,
    )
