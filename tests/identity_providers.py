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


# --- SAML --------------------------------------------------------------------------------------

MFA_CONTEXT = "https://refeds.org/profile/mfa"
PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


def saml_environment(idp_url: str, **extra: str) -> dict[str, str]:
    return {
        "BEIRAT_SAML_METADATA_URL": f"{idp_url}/metadata",
        "BEIRAT_SAML_ENTITY_ID": f"{idp_url}/metadata",
        "BEIRAT_SAML_NAME": "Stadt-Login (SAML)",
        # A city's directory vouches for its addresses; SAML has no email_verified of its own.
        "BEIRAT_SSO_TRUST_EMAIL": "true",
        "BEIRAT_SSO_MFA_ACR": MFA_CONTEXT,
        **extra,
    }


def _key_and_certificate(folder) -> tuple[str, str]:
    """A throwaway RSA key and self-signed certificate for the identity provider."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test-IdP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / "idp.key", folder / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class SamlIdentityProvider:
    """pysaml2's IdP (saml2.server.Server) as a small WSGI app: metadata, single sign-on
    (HTTP-Redirect in, HTTP-POST out, signed assertion), single logout (HTTP-Redirect).

    ``users`` maps a user name to (attributes, authentication context); attributes use
    pysaml2's friendly names (mail, givenName, sn, uid, isMemberOf)."""

    def __init__(self, users: dict[str, tuple[dict[str, list[str]], str]], folder) -> None:
        self.users = users
        self.key_file, self.cert_file = _key_and_certificate(folder)
        self.base_url = ""
        self.sp_metadata: Callable[[], str] = str
        self.logged_out: list[str] = []
        self._server: Any = None

    def config(self, *, with_sp: bool) -> Any:
        import shutil

        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT

        settings: dict[str, Any] = {
            "entityid": f"{self.base_url}/metadata",
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{self.base_url}/sso", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{self.base_url}/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 15},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                }
            },
            # python3-saml rightly refuses SHA-1, pysaml2's default.
            "signing_algorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "digest_algorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
            "key_file": self.key_file,
            "cert_file": self.cert_file,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "metadata": {},
        }
        if with_sp:
            settings["metadata"] = {"inline": [self.sp_metadata()]}
        config = IdPConfig()
        config.load(settings)
        return config

    def server(self) -> Any:
        from saml2.server import Server

        if self._server is None:
            self._server = Server(config=self.config(with_sp=True))
        return self._server

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        import html

        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.metadata import entity_descriptor
        from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256
        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        if request.path == "/metadata":
            body = str(entity_descriptor(self.config(with_sp=False)))
            response = Response(body, content_type="application/samlmetadata+xml")
        elif request.path == "/sso":
            saml_request = request.args["SAMLRequest"]
            relay_state = request.args.get("RelayState", "")
            self.server().parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
            buttons = "".join(
                f'<button type="submit" name="user" value="{html.escape(name)}">'
                f"{html.escape(name)}</button> "
                for name in self.users
            )
            body = (
                "<!doctype html><html lang='de'><head><title>Test-IdP</title></head><body>"
                "<h1>Anmeldedienst (SAML, Test)</h1><form method='post' action='/sso/login'>"
                f"<input type='hidden' name='SAMLRequest' value='{html.escape(saml_request)}'>"
                f"<input type='hidden' name='RelayState' value='{html.escape(relay_state)}'>"
                f"{buttons}</form></body></html>"
            )
            response = Response(body, content_type="text/html; charset=utf-8")
        elif request.path == "/sso/login" and request.method == "POST":
            server = self.server()
            parsed = server.parse_authn_request(request.form["SAMLRequest"], BINDING_HTTP_REDIRECT)
            message = parsed.message
            user = request.form["user"]
            attributes, context = self.users[user]
            destination = message.assertion_consumer_service_url
            answer = server.create_authn_response(
                identity=attributes,
                in_response_to=message.id,
                destination=destination,
                sp_entity_id=message.issuer.text,
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=user),
                authn={"class_ref": context},
                sign_assertion=True,
                sign_response=True,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
            )
            http_args = server.apply_binding(
                BINDING_HTTP_POST,
                str(answer),
                destination,
                request.form.get("RelayState", ""),
                response=True,
            )
            response = Response(http_args["data"], content_type="text/html; charset=utf-8")
        elif request.path == "/slo":
            server = self.server()
            parsed = server.parse_logout_request(request.args["SAMLRequest"], BINDING_HTTP_REDIRECT)
            self.logged_out.append(parsed.message.name_id.text)
            answer = server.create_logout_response(parsed.message, [BINDING_HTTP_REDIRECT])
            binding, destination = server.pick_binding(
                "single_logout_service", [BINDING_HTTP_REDIRECT], "spsso", parsed
            )
            http_args = server.apply_binding(
                binding,
                str(answer),
                destination,
                request.args.get("RelayState", ""),
                response=True,
            )
            location = dict(http_args["headers"])["Location"]
            response = Response("", status=302, headers={"Location": location})
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)


@contextlib.contextmanager
def saml_provider(
    users, folder, sp_metadata: str | Callable[[], str]
) -> Iterator[SamlIdentityProvider]:
    """A pysaml2 identity provider on loopback; ``sp_metadata`` is beirat's metadata (its
    address, or a function giving the XML), which the provider reads at the first sign-in, as
    an administrator registers beirat there."""
    provider = SamlIdentityProvider(users, folder)
    if isinstance(sp_metadata, str):
        import requests

        address = sp_metadata
        provider.sp_metadata = lambda: requests.get(address, timeout=5).text
    else:
        provider.sp_metadata = sp_metadata
    with serve(provider) as url:
        provider.base_url = url
        yield provider
