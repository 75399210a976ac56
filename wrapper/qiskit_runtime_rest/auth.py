"""Credentials as :class:`httpx.Auth` objects: IAM bearer tokens with refresh, legacy tokens.

* :class:`IAMAuth` exchanges an IBM Cloud API key for an IAM access token (``POST
  {iam_url}/identity/token``, https://cloud.ibm.com/docs/account?topic=account-iamtoken_from_apikey),
  reads the token's ``iat``/``exp`` claims (a JWT, decoded without checking its signature) and
  fetches a new token once 80 % of its lifetime has passed. The token request is yielded from
  the auth flow (httpx's generator protocol, so the flow can be driven by hand in tests), and
  goes through the same :class:`httpx.Client` as the API calls (same proxies, TLS verification,
  deadlines, retries and typed errors).
* :class:`BearerTokenAuth` sends a token the caller already has (no refresh).
* :class:`LegacyTokenAuth` sends the legacy ``x-access-token`` header.

The engine fetches a new token once more when the service answers 401 (``invalidate``). No
token or API key ever appears in a ``repr``, a message or a log record.

Concurrent refreshes are not serialised: two threads (or tasks) that find the token expired at
the same moment both ask IAM for one, which is harmless. No lock is held across a request.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable, Generator
from typing import Any

import httpx

from qiskit_runtime_rest.accounts import DEFAULT_IAM_URL
from qiskit_runtime_rest.errors import AuthenticationError
from qiskit_runtime_rest.transport import AUTH_REQUEST_EXTENSION, IAM_FROM_SERVICE_EXTENSION

__all__ = [
    "DEFAULT_IAM_URL",
    "BearerTokenAuth",
    "IAMAuth",
    "LegacyTokenAuth",
    "RuntimeAuth",
    "decode_jwt_claims",
]

_GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey"
_DEFAULT_LIFETIME = 3600.0
_IAM_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


def decode_jwt_claims(token: str) -> dict[str, Any]:
    """The claims (payload) of a JWT, **without** checking its signature.

    Raises ``ValueError`` if ``token`` is not a JWT with a JSON object payload.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT: expected three dot-separated segments")
    payload = parts[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not a JWT: the payload is not base64url JSON") from exc
    if not isinstance(claims, dict):
        raise ValueError("not a JWT: the payload is not a JSON object")
    return claims


class RuntimeAuth(httpx.Auth):
    """Base class of the SDK's credentials.

    ``refreshable`` tells whether ``invalidate()`` followed by a new request can succeed where
    the previous one got a 401 (true only for credentials that can fetch a new token).
    """

    requires_response_body = True
    refreshable = False

    def invalidate(self) -> None:
        """Forget the current token, so that the next request fetches a new one."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token=<hidden>)"


class BearerTokenAuth(RuntimeAuth):
    """``Authorization: Bearer <token>`` with a token obtained elsewhere (never refreshed)."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("an access token is required")
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class LegacyTokenAuth(RuntimeAuth):
    """The legacy service's ``x-access-token: <token>`` header."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("a legacy access token is required")
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["x-access-token"] = self._token
        yield request


class IAMAuth(RuntimeAuth):
    """IBM Cloud IAM: an API key exchanged for short-lived bearer tokens, refreshed in time.

    Args:
        api_key: the IBM Cloud API key.
        iam_url: the IAM service root; the token endpoint is ``{iam_url}/identity/token``.
        refresh_fraction: share of a token's lifetime after which a new one is fetched.
        clock: wall-clock seconds (token claims are Unix times); replaceable in tests.
        from_service: ``iam_url`` is the service's own root, not an IAM service the user named
            (a 404 there then says to pass ``iam_url=``).

    Raises:
        ValueError: for an empty API key or a ``refresh_fraction`` outside (0, 1].
    """

    refreshable = True

    def __init__(
        self,
        api_key: str,
        iam_url: str = DEFAULT_IAM_URL,
        *,
        refresh_fraction: float = 0.8,
        timeout: httpx.Timeout = _IAM_TIMEOUT,
        clock: Callable[[], float] = time.time,
        from_service: bool = False,
    ) -> None:
        if not api_key:
            raise ValueError("an API key is required")
        if not 0.0 < refresh_fraction <= 1.0:
            raise ValueError("refresh_fraction must be within (0, 1]")
        self._api_key = api_key
        self.iam_url = iam_url.rstrip("/")
        self.token_url = f"{self.iam_url}/identity/token"
        self._refresh_fraction = refresh_fraction
        self._timeout = timeout
        self._clock = clock
        self._from_service = from_service
        self._token: str | None = None
        self._refresh_at = 0.0
        self._expires_at = 0.0
        self.fetch_count = 0

    def __repr__(self) -> str:
        return f"IAMAuth(iam_url={self.iam_url!r}, api_key=<hidden>)"

    @property
    def expires_at(self) -> float | None:
        """Unix time at which the current token expires (None before the first fetch)."""
        return self._expires_at if self._token is not None else None

    def invalidate(self) -> None:
        self._token = None
        self._refresh_at = 0.0

    def _token_request(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.token_url,
            data={"grant_type": _GRANT_TYPE, "apikey": self._api_key},
            headers={"Accept": "application/json"},
            extensions={
                "timeout": self._timeout.as_dict(),
                AUTH_REQUEST_EXTENSION: True,
                IAM_FROM_SERVICE_EXTENSION: self._from_service,
            },
        )

    def _accept_token(self, response: httpx.Response) -> str:
        """Read a token response (status < 400: errors were already raised by the transport)."""

        def fail(why: str) -> AuthenticationError:
            return AuthenticationError(
                f"IAM token response unusable: {why}",
                status_code=response.status_code,
                method="POST",
                path=response.request.url.path,
                auth_request=True,
            )

        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise fail("not JSON") from None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise fail("no access_token")
        now = self._clock()
        try:
            claims = decode_jwt_claims(token)
            exp = float(claims["exp"])
            iat = float(claims.get("iat", now))
        except (ValueError, KeyError, TypeError):
            # Not a JWT: fall back on the response's own expiry fields.
            expires_in = body.get("expires_in")
            expiration = body.get("expiration")
            iat = now
            if isinstance(expiration, int | float):
                exp = float(expiration)
            elif isinstance(expires_in, int | float):
                exp = now + float(expires_in)
            else:
                exp = now + _DEFAULT_LIFETIME
        lifetime = max(exp - iat, 0.0)
        self._token = token
        self._expires_at = exp
        self._refresh_at = min(iat + self._refresh_fraction * lifetime, exp)
        self.fetch_count += 1
        return token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._token  # read once: another thread may invalidate it meanwhile
        if token is None or self._clock() >= self._refresh_at:
            response = yield self._token_request()
            token = self._accept_token(response)
        request.headers["Authorization"] = f"Bearer {token}"
        yield request
