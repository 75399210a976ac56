"""Where a Runtime's settings come from: arguments, the environment, a saved-account file.

Each setting is taken from the first source that has it:

1. an explicit argument;
2. the environment: ``QISKIT_IBM_TOKEN``, ``QISKIT_IBM_INSTANCE``, ``QISKIT_IBM_URL``,
   ``QISKIT_IBM_CHANNEL`` and ``IAM_URL``;
3. a saved account in ``~/.qiskit/qiskit-ibm.json``, the file qiskit-ibm-runtime's
   ``QiskitRuntimeService.save_account`` writes. It is read only when neither the arguments
   nor the environment give a token (so an explicit token is never paired with a saved file's
   instance or proxies), or when an account name is given.

The saved file is a JSON object of named accounts, ``{name: {"channel", "token", "instance",
"url", "private_endpoint", "verify", "proxies", "is_default_account"?}}``. Without a name, the
account is chosen as qiskit-ibm-runtime does: the one marked ``is_default_account``; else for the
channel (argument, ``QISKIT_IBM_CHANNEL`` or ``ibm_quantum_platform``) the one marked default,
the one named ``default-ibm-quantum-platform`` / ``default-ibm-cloud``, or any of that channel;
else any account with one of those default names. Accounts of the retired ``ibm_quantum``
channel are skipped.

Channels: ``ibm_quantum_platform`` and ``ibm_cloud`` (the same service: an IBM Cloud API key
exchanged for IAM tokens, the instance CRN in ``Service-CRN``) and ``legacy`` (the
``x-access-token`` service of the execution-modes guide, with ``hub/group/project`` instances).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import attrs

from qiskit_runtime_rest.errors import ValidationError

__all__ = [
    "CHANNELS",
    "DEFAULT_CHANNEL",
    "LEGACY_URL",
    "Account",
    "default_accounts_file",
    "read_accounts_file",
    "resolve_account",
    "save_account",
    "select_saved_account",
    "set_default_account",
]

CHANNELS = ("ibm_quantum_platform", "ibm_cloud", "legacy")
DEFAULT_CHANNEL = "ibm_quantum_platform"
CLOUD_URL = "https://cloud.ibm.com"
IBM_CLOUD_HOSTS = ("cloud.ibm.com", "test.cloud.ibm.com")
"""Bare hosts turned into the regional API host of the instance (what saved accounts hold)."""
LEGACY_URL = "https://api.quantum-computing.ibm.com/runtime"
DEFAULT_IAM_URL = "https://iam.cloud.ibm.com"
_DEFAULT_NAMES = {
    "ibm_quantum_platform": "default-ibm-quantum-platform",
    "ibm_cloud": "default-ibm-cloud",
}
_ALL_DEFAULT_NAMES = ("default", *_DEFAULT_NAMES.values())
ENV_VARS = {
    "token": "QISKIT_IBM_TOKEN",
    "instance": "QISKIT_IBM_INSTANCE",
    "url": "QISKIT_IBM_URL",
    "channel": "QISKIT_IBM_CHANNEL",
    "iam_url": "IAM_URL",
}

Proxies = str | Mapping[str, str]


def default_accounts_file() -> Path:
    """``~/.qiskit/qiskit-ibm.json`` (resolved at call time, so ``HOME`` can be changed)."""
    return Path(os.path.expanduser("~")) / ".qiskit" / "qiskit-ibm.json"


def _is_crn(value: str | None) -> bool:
    return isinstance(value, str) and value.startswith("crn:")


def _crn_field(crn: str, index: int) -> str:
    parts = crn.split(":")
    return parts[index] if len(parts) > index else ""


def normalize_proxies(value: Any) -> Proxies | None:
    """One proxy URL, or ``{pattern: proxy URL}``; accepts qiskit-ibm-runtime's saved form."""
    if value is None or value == {}:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if value.get("username_ntlm") or value.get("password_ntlm"):
            raise ValidationError("NTLM proxy authentication is not supported")
        urls = value.get("urls", value)
        if urls is None:
            return None
        if not isinstance(urls, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in urls.items()
        ):
            raise ValidationError("proxies must map URL patterns to proxy URLs")
        return dict(urls) or None
    raise ValidationError("proxies must be a proxy URL or a mapping of URL patterns to proxy URLs")


@attrs.frozen
class Account:
    """Resolved connection settings. ``token`` and ``proxies`` never appear in the repr."""

    channel: str
    token: str = attrs.field(repr=False)
    instance: str | None = None
    url: str | None = None
    iam_url: str | None = None
    verify: bool | str = True
    proxies: Proxies | None = attrs.field(default=None, repr=False)
    private_endpoint: bool = False
    source: str = "arguments"

    def __attrs_post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValidationError(
                f"unknown channel {self.channel!r}; expected one of {', '.join(CHANNELS)}"
            )
        if not self.token:
            raise ValidationError(
                "no credentials: pass token= (an IBM Cloud API key, or the legacy access token), "
                "set QISKIT_IBM_TOKEN, or save an account"
            )
        if self.is_legacy:
            if self.instance is not None and len(self.instance.split("/")) != 3:
                raise ValidationError(
                    f"legacy instance must be 'hub/group/project', got {self.instance!r}"
                )
        elif not self.instance:
            raise ValidationError(
                "instance (the CRN of your Qiskit Runtime service instance) is required: pass "
                "instance= or set QISKIT_IBM_INSTANCE"
            )

    @property
    def is_legacy(self) -> bool:
        """Whether this is the legacy ``x-access-token`` service."""
        return self.channel == "legacy"

    @property
    def legacy_instance(self) -> tuple[str, str, str] | None:
        """``(hub, group, project)`` of a legacy instance."""
        if not self.is_legacy or not self.instance:
            return None
        hub, group, project = self.instance.split("/")
        return hub, group, project

    def runtime_url(self) -> str:
        """The API root (``.../api/v1`` on the current service).

        * A URL with a path is used as given.
        * A bare IBM Cloud host (``https://cloud.ibm.com``, ``https://test.cloud.ibm.com``, what
          saved accounts hold) is turned into the regional API host of the instance's CRN, as
          the official client does: ``https://quantum.cloud.ibm.com/api/v1`` for ``us-east``,
          ``https://{region}.quantum.cloud.ibm.com/api/v1`` elsewhere, with ``private.`` in
          front for private endpoints.
        * Any other bare host (``http://127.0.0.1:8000``, ``https://proxy.example``) is used as
          given, with ``/api/v1`` appended.
        """
        if self.is_legacy:
            return (self.url or LEGACY_URL).rstrip("/")
        raw = self.url or CLOUD_URL
        parsed = urlparse(raw)
        if parsed.path not in ("", "/") or not parsed.hostname:
            return raw.rstrip("/")
        if parsed.hostname not in IBM_CLOUD_HOSTS:
            return f"{raw.rstrip('/')}/api/v1"
        host = parsed.hostname
        if parsed.port:
            host = f"{host}:{parsed.port}"
        region = _crn_field(self.instance or "", 5) if _is_crn(self.instance) else ""
        region = region or "us-east"
        if self.private_endpoint:
            return f"{parsed.scheme}://private.{region}.quantum.{host}/api/v1"
        prefix = "" if region == "us-east" else f"{region}."
        return f"{parsed.scheme}://{prefix}quantum.{host}/api/v1"

    @property
    def is_ibm(self) -> bool:
        """Whether the service is IBM's (no URL, or a host under ``ibm.com``)."""
        if self.url is None:
            return True
        host = urlparse(self.url).hostname or ""
        return host == "ibm.com" or host.endswith(".ibm.com")

    @property
    def iam_from_service(self) -> bool:
        """Whether the API key is exchanged at the service's own ``/identity/token`` (a service
        that is not IBM's, and no ``iam_url``): the API key never goes to IBM's IAM then."""
        return not self.iam_url and not self.is_legacy and not self.is_ibm

    def iam_base_url(self) -> str:
        """The IAM root: explicit or ``IAM_URL``; for a service that is not IBM's, the service's
        own origin (``{origin}/identity/token``); else derived from the CRN and the URL.

        Staging CRNs use ``iam.test.cloud.ibm.com``, private endpoints
        ``private.iam.cloud.ibm.com``; a bare IBM host ``https://H`` gives ``https://iam.H``;
        anything else the public ``https://iam.cloud.ibm.com``.
        """
        if self.iam_url:
            return self.iam_url.rstrip("/")
        if self.iam_from_service:
            parsed = urlparse(self.url or "")
            return f"{parsed.scheme}://{parsed.netloc}"
        if _is_crn(self.instance) and _crn_field(self.instance or "", 2) == "staging":
            return "https://iam.test.cloud.ibm.com"
        if self.private_endpoint:
            return "https://private.iam.cloud.ibm.com"
        parsed = urlparse(self.url or CLOUD_URL)
        if parsed.path in ("", "/") and parsed.hostname and not self.is_legacy:
            return f"{parsed.scheme}://iam.{parsed.hostname}"
        return DEFAULT_IAM_URL


def read_accounts_file(filename: str | os.PathLike[str] | None = None) -> dict[str, dict[str, Any]]:
    """The named accounts of a saved-account file ({} if the file does not exist)."""
    path = Path(os.path.expanduser(os.fspath(filename))) if filename else default_accounts_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ValidationError(f"saved-account file {path} is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ValidationError(f"saved-account file {path} must hold a JSON object")
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def select_saved_account(
    accounts: Mapping[str, Mapping[str, Any]],
    *,
    name: str | None = None,
    channel: str | None = None,
    env_channel: str | None = None,
) -> tuple[str, Mapping[str, Any]] | None:
    """Pick an account the way qiskit-ibm-runtime's ``AccountManager.get`` does."""
    if name is not None:
        if name not in accounts:
            raise ValidationError(f"no saved account named {name!r}")
        return name, accounts[name]
    usable = {k: v for k, v in accounts.items() if v.get("channel") != "ibm_quantum"}

    def for_channel(wanted: str | None) -> tuple[str, Mapping[str, Any]] | None:
        if wanted is None:
            for key, acc in usable.items():
                if acc.get("is_default_account"):
                    return key, acc
            return None
        named = any_of = None
        for key, acc in usable.items():
            if acc.get("channel") != wanted:
                continue
            if acc.get("is_default_account"):
                return key, acc
            if key == _DEFAULT_NAMES.get(wanted):
                named = (key, acc)
            any_of = any_of or (key, acc)
        return named or any_of

    found = for_channel(channel)
    if found is None:
        found = for_channel(channel or env_channel or DEFAULT_CHANNEL)
    if found is None:
        for key in _ALL_DEFAULT_NAMES:
            if key in usable:
                return key, usable[key]
    return found


def save_account(
    *,
    token: str,
    instance: str,
    channel: str = DEFAULT_CHANNEL,
    url: str | None = None,
    name: str | None = None,
    filename: str | os.PathLike[str] | None = None,
    proxies: Proxies | None = None,
    verify: bool = True,
    private_endpoint: bool = False,
    overwrite: bool = False,
    set_as_default: bool = False,
) -> Path:
    """Write an account to the saved-account file, in the format qiskit-ibm-runtime's
    ``QiskitRuntimeService.save_account`` writes and reads; return the file's path.

    The file (``~/.qiskit/qiskit-ibm.json`` unless ``filename``) is created readable by its owner
    only (mode 0600) and replaced atomically. ``name`` defaults to the channel's default name
    (``default-ibm-quantum-platform``). An existing account of that name, or another default
    account with ``set_as_default``, is kept unless ``overwrite=True``.

    Raises:
        ValidationError: for missing or invalid settings, or an account that exists already
            (without ``overwrite=True``).
    """
    Account(
        channel=channel,
        token=token,
        instance=instance,
        url=url,
        verify=verify,
        proxies=normalize_proxies(proxies),
        private_endpoint=private_endpoint,
    )  # validates the settings
    name = name or _DEFAULT_NAMES.get(channel, f"default-{channel}")
    path = Path(os.path.expanduser(os.fspath(filename))) if filename else default_accounts_file()
    data: dict[str, Any] = {}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"saved-account file {path} is not valid JSON: {exc.msg}"
            ) from None
        if not isinstance(data, dict):
            raise ValidationError(f"saved-account file {path} must hold a JSON object")
    if name in data and not overwrite:
        raise ValidationError(
            f"an account named {name!r} is already saved in {path}; "
            "pass overwrite=True to replace it"
        )
    entry: dict[str, Any] = {
        "channel": channel,
        "token": token,
        "instance": instance,
        "url": url or (LEGACY_URL if channel == "legacy" else CLOUD_URL),
        "private_endpoint": private_endpoint,
        "verify": verify,
    }
    proxy = normalize_proxies(proxies)
    if proxy is not None:
        urls = {"https": proxy, "http": proxy} if isinstance(proxy, str) else dict(proxy)
        entry["proxies"] = {"urls": urls}
    if set_as_default:
        entry["is_default_account"] = True
        for other, account in data.items():
            if other != name and isinstance(account, dict) and account.get("is_default_account"):
                if not overwrite:
                    raise ValidationError(
                        f"{other!r} is the default account in {path}; pass overwrite=True to "
                        f"make {name!r} the default instead"
                    )
                del account["is_default_account"]
    data[name] = entry
    _write_private(path, json.dumps(data, sort_keys=True, indent=4))
    return path


def set_default_account(name: str, filename: str | os.PathLike[str] | None = None) -> Path:
    """Make the saved account ``name`` the default one (``is_default_account``, the account that
    ``Runtime()`` and qiskit-ibm-runtime read when no name is given), and no other; return the
    file's path. The file keeps its format and mode 0600.

    Raises:
        ValidationError: no account of that name in the file, or an unreadable file.
    """
    path = Path(os.path.expanduser(os.fspath(filename))) if filename else default_accounts_file()
    accounts = read_accounts_file(path)
    if name not in accounts:
        known = ", ".join(sorted(accounts)) or "none"
        raise ValidationError(f"no saved account named {name!r} in {path} (saved: {known})")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for key, account in data.items():
        if isinstance(account, dict):
            if key == name:
                account["is_default_account"] = True
            else:
                account.pop("is_default_account", None)
    _write_private(path, json.dumps(data, sort_keys=True, indent=4))
    return path


def _write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with ``text``, readable by its owner only."""
    import tempfile

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp creates it 0600
            out.write(text)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _saved_fields(acc: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "channel": acc.get("channel"),
        "token": acc.get("token"),
        "instance": acc.get("instance"),
        "url": acc.get("url"),
        "verify": acc.get("verify"),
        "proxies": acc.get("proxies"),
        "private_endpoint": acc.get("private_endpoint"),
    }


def resolve_account(
    *,
    token: str | None = None,
    instance: str | None = None,
    channel: str | None = None,
    url: str | None = None,
    iam_url: str | None = None,
    verify: bool | str | None = None,
    proxies: Any = None,
    private_endpoint: bool | None = None,
    name: str | None = None,
    filename: str | os.PathLike[str] | None = None,
    use_env: bool = True,
    use_saved: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Account:
    """Merge arguments, environment and saved account into an :class:`Account`."""
    env = os.environ if environ is None else environ
    layers: list[tuple[str, dict[str, Any]]] = [
        (
            "arguments",
            {
                "token": token,
                "instance": instance,
                "channel": channel,
                "url": url,
                "iam_url": iam_url,
                "verify": verify,
                "proxies": proxies,
                "private_endpoint": private_endpoint,
            },
        )
    ]
    # IAM_URL is honoured everywhere, like the official client (it is not an account field).
    env_layer = {key: env.get(var) or None for key, var in ENV_VARS.items()}
    if use_env:
        layers.append(("environment", env_layer))
    else:
        layers.append(("environment", {"iam_url": env_layer["iam_url"]}))
    have_token = any(layer.get("token") for _, layer in layers)
    if use_saved and (name is not None or not have_token):
        saved = select_saved_account(
            read_accounts_file(filename),
            name=name,
            channel=channel,
            env_channel=env_layer["channel"] if use_env else None,
        )
        if saved is not None:
            layers.append((f"saved account {saved[0]!r}", _saved_fields(saved[1])))
        elif name is None and not have_token and not use_env:
            raise ValidationError("no saved account found")

    def pick(key: str) -> Any:
        for _, layer in layers:
            value = layer.get(key)
            if value is not None:
                return value
        return None

    token_source = next((src for src, layer in layers if layer.get("token")), "arguments")
    return Account(
        channel=str(pick("channel") or DEFAULT_CHANNEL),
        token=str(pick("token") or ""),
        instance=pick("instance"),
        url=pick("url"),
        iam_url=pick("iam_url"),
        verify=True if pick("verify") is None else pick("verify"),
        proxies=normalize_proxies(pick("proxies")),
        private_endpoint=bool(pick("private_endpoint")),
        source=token_source,
    )
