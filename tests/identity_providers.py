"""Real identity providers on loopback for the single sign-on tests.

* OpenID Connect: oidc-provider-mock (authlib), served by werkzeug in a thread; optionally
  behind a WSGI wrapper that makes it misbehave the way a misconfigured or hostile provider
  would (tokens for another client, another issuer).
* A server that accepts connections and never answers (a provider that hangs).
* ``sso_settings()`` applies the environment variables of docs/deployment.md through the same
  reader as settings.py (beirat/core/sso_settings.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any
from urllib.parse import parse_qsl, urlencode

import werkzeug.serving
from csp.constants import SELF

from beirat.core.environment import Environment
from beirat.core.sso_settings import single_sign_on

# The mock provider refuses plain http otherwise (authlib's transport check).
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

CLIENT_ID = "beirat"
CLIENT_SECRET = "beirat-geheim"


def sso_settings(settings, environment: dict[str, str]) -> None:
    """Configure single sign-on as the variables in ``environment`` would at start-up."""
    configured = single_sign_on(Environment(environment), default_contact="it-service@koblenz.de")
    settings.SOCIALACCOUNT_PROVIDERS = configured.providers
    settings.BEIRAT_SSO = configured.policy
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = configured.policy.timeout_seconds
    policy = {**settings.CONTENT_SECURITY_POLICY}
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [SELF, *configured.form_action_origins]
    policy["DIRECTIVES"] = directives
    settings.CONTENT_SECURITY_POLICY = policy


def oidc_environment(server_url: str, **extra: str) -> dict[str, str]:
    return {
        "BEIRAT_OIDC_SERVER_URL": server_url,
        "BEIRAT_OIDC_CLIENT_ID": CLIENT_ID,
        "BEIRAT_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "BEIRAT_OIDC_NAME": "Stadt-Login",
        **extra,
    }


@contextlib.contextmanager
def serve(app: Callable[..., Any]) -> Iterator[str]:
    """A WSGI app on a free loopback port, in a thread; yields its base address."""
    server = werkzeug.serving.make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def oidc_app(*, users=(), require_client_registration: bool = False, **options: Any):
    from oidc_provider_mock import User, app

    return app(
        user_claims=[User(sub=sub, claims=claims) for sub, claims in users],
        require_client_registration=require_client_registration,
        **options,
    )


@contextlib.contextmanager
def oidc_provider(
    users=(), *, wrap: Callable[[Any], Any] | None = None, **options: Any
) -> Iterator[str]:
    """oidc-provider-mock with the given (sub, claims) users; yields its issuer address."""
    application = oidc_app(users=users, **options)
    with serve(wrap(application) if wrap else application) as url:
        yield url


def register_client(base_url: str, redirect_uri: str) -> tuple[str, str]:
    """Dynamic client registration at the mock (when it requires registered clients)."""
    import requests

    response = requests.post(
        f"{base_url}/oauth2/clients",
        json={"redirect_uris": [redirect_uri], "token_endpoint_auth_method": "client_secret_post"},
        timeout=5,
    )
    response.raise_for_status()
    data = response.json()
    return data["client_id"], data["client_secret"]


def rewriting(
    *,
    client_id: str | None = None,
    issuer: str | None = None,
) -> Callable[[Any], Any]:
    """A WSGI wrapper around the mock: ``client_id`` makes it issue its codes and tokens to
    another client (the ID token's audience is then not beirat), ``issuer`` makes its discovery
    document name another issuer than the one in its tokens."""

    def wrap(application: Any) -> Any:
        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            path = environ.get("PATH_INFO", "")
            if client_id and path == "/oauth2/authorize":
                query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
                query["client_id"] = client_id
                environ["QUERY_STRING"] = urlencode(query)
            if client_id and path == "/oauth2/token":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                form = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
                form["client_id"] = client_id
                body = urlencode(form).encode()
                environ["wsgi.input"] = BytesIO(body)
                environ["CONTENT_LENGTH"] = str(len(body))
            if issuer and path == "/.well-known/openid-configuration":
                captured: dict[str, Any] = {}

                def capture(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
                    captured["status"], captured["headers"] = status, headers
                    return lambda data: None

                body = b"".join(application(environ, capture))
                document = json.loads(body)
                document["issuer"] = issuer
                payload = json.dumps(document).encode()
                headers = [
                    (name, value)
                    for name, value in captured["headers"]
                    if name.lower() != "content-length"
                ]
                start_response(
                    captured["status"], [*headers, ("Content-Length", str(len(payload)))]
                )
                return [payload]
            return application(environ, start_response)

        return app

    return wrap


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers: a provider that hangs."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()


def closed_port() -> str:
    """An address where nothing listens: a provider that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
