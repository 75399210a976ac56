"""Authentication: the emulated IAM token exchange and per-request credential checks.

Accepted credentials (all map to one instance of the configuration):

* ``Authorization: Bearer <JWT>`` minted by ``POST /identity/token`` (HS256, signed with the
  server's secret, with ``iat``/``exp``/``sub`` and the instances of the API key), together with
  ``Service-CRN: <instance CRN>``, which must be one of the token's instances;
* ``Authorization: apikey <API key>`` plus ``Service-CRN`` (the official client's fallback);
* legacy ``x-access-token: <token>`` (or ``Authorization: Bearer <legacy token>``), whose instance
  is the token's ``hub/group/project``.

Tokens and keys are never logged nor echoed in error messages.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from .config import EmulatorConfig, InstanceConfig
from .errors import ApiError

__all__ = [
    "APIKEY_GRANT",
    "Authenticator",
    "IamError",
    "Principal",
]

APIKEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey"
_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISSUER = "https://iam.emulator.local/identity"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the instance acted on, the user, and how they authenticated."""

    instance: InstanceConfig
    user_id: str
    method: str  # iam | apikey | legacy

    @property
    def crn(self) -> str:
        return self.instance.crn

    @property
    def legacy(self) -> bool:
        return self.method == "legacy"


class IamError(Exception):
    """An IAM error answer (IAM's own body shape, not the runtime ErrorContainer)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self, request_id: str) -> dict[str, Any]:
        return {
            "context": {"requestId": request_id, "requestType": "incoming.Identity_Token"},
            "errorCode": self.code,
            "errorMessage": self.message,
            "errorDetails": self.message,
        }


# Bound on cached verified tokens (the cache is simply emptied when full).
_MAX_VERIFIED_TOKENS = 4096


class Authenticator:
    """Mints IAM tokens and turns request headers into a :class:`Principal`."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.secret = config.jwt_secret or secrets.token_urlsafe(32)
        self._by_api_key: dict[str, list[InstanceConfig]] = {}
        self._by_legacy: dict[str, InstanceConfig] = {}
        self._by_crn: dict[str, InstanceConfig] = {}
        # token -> (exp, claims) of tokens whose signature was checked; see _claims().
        self._verified: dict[str, tuple[float, dict[str, Any]]] = {}
        for inst in config.instances:
            self._by_crn[inst.crn] = inst
            for key in inst.api_keys:
                self._by_api_key.setdefault(key, []).append(inst)
            for tok in inst.legacy_tokens:
                self._by_legacy[tok] = inst

    # ------------------------------------------------------------------ IAM

    def issue_token(self, form: Mapping[str, str]) -> dict[str, Any]:
        """The ``POST /identity/token`` answer for a form body; raises :class:`IamError`."""
        grant = form.get("grant_type")
        if not grant:
            raise IamError(400, "BXNIM0103E", "Property missing or empty: grant_type.")
        if grant != APIKEY_GRANT:
            raise IamError(400, "BXNIM0104E", "Provided grant type is not supported.")
        key = form.get("apikey")
        if not key:
            raise IamError(400, "BXNIM0103E", "Property missing or empty: apikey.")
        instances = self._by_api_key.get(key)
        if not instances:
            raise IamError(400, "BXNIM0415E", "Provided API key could not be found.")
        now = int(time.time())
        lifetime = int(self.config.token_lifetime)
        user = instances[0].user_id
        claims = {
            "iss": _ISSUER,
            "sub": f"iam-{user}",
            "iam_id": f"iam-{user}",
            "user_id": user,
            "grant_type": APIKEY_GRANT,
            "scope": "ibm openid",
            "instances": [i.crn for i in instances],
            "iat": now,
            "exp": now + lifetime,
            "jti": secrets.token_hex(8),
        }
        token = jwt.encode(claims, self.secret, algorithm="HS256")
        return {
            "access_token": token,
            "refresh_token": "not_supported",
            "token_type": "Bearer",
            "expires_in": lifetime,
            "expiration": now + lifetime,
            "scope": "ibm_openid",
        }

    # ------------------------------------------------------------------ requests

    def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """The caller of a runtime request; raises ``ApiError`` (401, or 400 for a bad header)."""
        version = headers.get("ibm-api-version")
        if version is not None and not _API_VERSION.match(version):
            raise ApiError(
                400,
                "header 'IBM-API-Version' must be a date YYYY-MM-DD (for example 2026-04-15)",
            )
        legacy = headers.get("x-access-token")
        if legacy:
            return self._legacy(legacy)
        auth = headers.get("authorization")
        if not auth:
            raise ApiError(
                401,
                "Missing credentials: send 'Authorization: Bearer <IAM token>' with "
                "'Service-CRN', or a legacy 'x-access-token'",
            )
        scheme, _, value = auth.strip().partition(" ")
        value = value.strip()
        scheme = scheme.lower()
        if scheme == "bearer" and value:
            if value in self._by_legacy:
                return self._legacy(value)
            return self._bearer(value, headers.get("service-crn"))
        if scheme == "apikey" and value:
            instances = self._by_api_key.get(value)
            if not instances:
                raise ApiError(401, "Invalid API key")
            return self._with_crn(instances, headers.get("service-crn"), "apikey")
        raise ApiError(401, "Unsupported Authorization header: use 'Bearer <IAM token>'")

    def authenticate_caller(self, headers: Mapping[str, str]) -> Principal:
        """Like :meth:`authenticate`, for pages of the emulator itself (``/metrics``) that
        belong to no instance: without ``Service-CRN``, the credential's first instance."""
        if headers.get("service-crn") or headers.get("x-access-token"):
            return self.authenticate(headers)
        scheme, _, value = (headers.get("authorization") or "").strip().partition(" ")
        value = value.strip()
        instances: list[InstanceConfig] = []
        if scheme.lower() == "apikey" and value:
            instances = list(self._by_api_key.get(value) or ())
        elif scheme.lower() == "bearer" and value and value not in self._by_legacy:
            crns = self._claims(value).get("instances") or []
            instances = [self._by_crn[c] for c in crns if c in self._by_crn]
        if instances:
            return self._with_crn(instances, instances[0].crn, scheme.lower())
        return self.authenticate(headers)  # its error says what is wrong

    # ------------------------------------------------------------------ dashboard

    def sign_in(self, credential: str) -> str:
        """The token a dashboard login keeps for ``credential``: an API key is exchanged for an
        IAM token exactly as ``POST /identity/token`` does; an IAM token or a legacy token is
        kept as it is once checked. Raises ``ApiError`` (401) for anything else."""
        credential = credential.strip()
        if credential in self._by_api_key:
            token = self.issue_token({"grant_type": APIKEY_GRANT, "apikey": credential})
            return str(token["access_token"])
        self.grants(credential)
        return credential

    def grants(self, token: str) -> tuple[str, list[InstanceConfig], float | None]:
        """Who ``token`` (an IAM or legacy token) is, the instances it reaches, and when it
        expires (Unix seconds; None: never). Raises ``ApiError`` (401)."""
        legacy = self._by_legacy.get(token)
        if legacy is not None:
            return legacy.user_id, [legacy], None
        if not token or token.count(".") != 2:
            raise ApiError(401, "Invalid API key or token")
        claims = self._claims(token)
        instances = [self._by_crn[c] for c in claims.get("instances") or [] if c in self._by_crn]
        if not instances:
            raise ApiError(401, "The IAM access token grants no instance of this service")
        return str(claims.get("user_id") or instances[0].user_id), instances, float(claims["exp"])

    def _legacy(self, token: str) -> Principal:
        inst = self._by_legacy.get(token)
        if inst is None:
            raise ApiError(401, "Invalid access token")
        return Principal(inst, inst.user_id, "legacy")

    def _claims(self, token: str) -> dict[str, Any]:
        """The verified claims of an IAM token; verified once, then cached until it expires.

        Verifying the HS256 signature on every request was a tenth of a trivial job's server
        time; the cache is keyed by the whole token, so a changed token is verified again.
        """
        cached = self._verified.get(token)
        if cached is not None and cached[0] > time.time():
            return cached[1]
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"require": ["exp", "iat"]},
            )
        except jwt.ExpiredSignatureError:
            self._verified.pop(token, None)
            raise ApiError(401, "The IAM access token has expired; get a new one") from None
        except jwt.PyJWTError:
            raise ApiError(401, "Invalid IAM access token") from None
        if len(self._verified) >= _MAX_VERIFIED_TOKENS:
            self._verified.clear()
        self._verified[token] = (float(claims["exp"]), claims)
        return claims

    def _bearer(self, token: str, crn: str | None) -> Principal:
        claims = self._claims(token)
        crns = claims.get("instances") or []
        instances = [self._by_crn[c] for c in crns if c in self._by_crn]
        if not instances:
            raise ApiError(401, "The IAM access token grants no instance of this service")
        return self._with_crn(instances, crn, "iam")

    def _with_crn(self, instances: list[InstanceConfig], crn: str | None, method: str) -> Principal:
        if not crn:
            raise ApiError(401, "Missing 'Service-CRN' header: the CRN of the instance to use")
        for inst in instances:
            if inst.crn == crn:
                return Principal(inst, inst.user_id, method)
        raise ApiError(401, "The credentials do not grant access to the instance in 'Service-CRN'")
