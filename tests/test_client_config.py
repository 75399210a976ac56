"""Configuration resolution: arguments > environment > saved-account file; URLs; proxies."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from qiskit_runtime_rest import APIConnectionError, RetryPolicy, Runtime, ValidationError
from qiskit_runtime_rest.accounts import (
    Account,
    default_accounts_file,
    read_accounts_file,
    resolve_account,
    select_saved_account,
)

from tests.fakes import CRN, RawRequest, RawServer, http_answer, job_json, make_jwt

pytestmark = pytest.mark.usefixtures("clean_env")

NO_RETRY = RetryPolicy(max_attempts=1)
EU_CRN = "crn:v1:bluemix:public:quantum-computing:eu-de:a/abc:inst-2::"


def write_accounts(path: Path, accounts: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(accounts), encoding="utf-8")
    return path


def saved(token: str, instance: str = CRN, **extra: Any) -> dict[str, Any]:
    return {"channel": "ibm_quantum_platform", "token": token, "instance": instance, **extra}


def test_arguments_win_over_environment_and_saved_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_accounts(default_accounts_file(), {"default-ibm-quantum-platform": saved("FILE-KEY")})
    monkeypatch.setenv("QISKIT_IBM_TOKEN", "ENV-KEY")
    monkeypatch.setenv("QISKIT_IBM_INSTANCE", EU_CRN)
    account = resolve_account(token="ARG-KEY", instance=CRN)
    assert account.token == "ARG-KEY" and account.instance == CRN
    assert account.source == "arguments"


def test_environment_wins_over_saved_file(monkeypatch: pytest.MonkeyPatch) -> None:
    write_accounts(
        default_accounts_file(),
        {"default-ibm-quantum-platform": saved("FILE-KEY", url="https://file.example/api/v1")},
    )
    monkeypatch.setenv("QISKIT_IBM_TOKEN", "ENV-KEY")
    monkeypatch.setenv("QISKIT_IBM_INSTANCE", EU_CRN)
    account = resolve_account()
    assert account.token == "ENV-KEY" and account.instance == EU_CRN
    assert account.source == "environment"
    # with a token from the environment, the saved file is not read at all
    assert account.url is None


def test_arguments_and_environment_mix_per_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QISKIT_IBM_INSTANCE", EU_CRN)
    monkeypatch.setenv("QISKIT_IBM_URL", "https://env.example/api/v1")
    monkeypatch.setenv("IAM_URL", "https://iam.env.example")
    account = resolve_account(token="ARG-KEY")
    assert account.instance == EU_CRN
    assert account.runtime_url() == "https://env.example/api/v1"
    assert account.iam_base_url() == "https://iam.env.example"


def test_saved_file_is_the_last_resort() -> None:
    write_accounts(
        default_accounts_file(),
        {
            "other": saved("OTHER-KEY"),
            "default-ibm-quantum-platform": saved("FILE-KEY", verify=False, private_endpoint=True),
        },
    )
    account = resolve_account()
    assert account.token == "FILE-KEY"
    assert account.verify is False and account.private_endpoint is True
    assert account.source == "saved account 'default-ibm-quantum-platform'"
    assert account.runtime_url() == "https://private.us-east.quantum.cloud.ibm.com/api/v1"
    assert account.iam_base_url() == "https://private.iam.cloud.ibm.com"


def test_runtime_constructors_follow_the_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_accounts(
        default_accounts_file(),
        {"default-ibm-quantum-platform": saved("FILE-KEY"), "eu": saved("EU-KEY", EU_CRN)},
    )
    with Runtime() as rt:
        assert rt.account.token == "FILE-KEY"
    monkeypatch.setenv("QISKIT_IBM_TOKEN", "ENV-KEY")
    monkeypatch.setenv("QISKIT_IBM_INSTANCE", EU_CRN)
    with Runtime() as rt:
        assert rt.account.token == "ENV-KEY"
    with Runtime(token="ARG-KEY") as rt:
        assert rt.account.token == "ARG-KEY" and rt.instance == EU_CRN
    with Runtime.from_env() as rt:
        assert rt.account.token == "ENV-KEY"
    with Runtime.saved() as rt:  # the environment is ignored
        assert rt.account.token == "FILE-KEY" and rt.instance == CRN
    with Runtime.saved("eu", filename=path) as rt:
        assert rt.account.token == "EU-KEY"
        assert rt.url == "https://eu-de.quantum.cloud.ibm.com/api/v1"
    with Runtime.saved("eu", instance=CRN) as rt:  # arguments override the saved fields
        assert rt.instance == CRN


def test_from_env_without_token_fails_clearly() -> None:
    write_accounts(default_accounts_file(), {"default-ibm-quantum-platform": saved("FILE-KEY")})
    with pytest.raises(ValidationError, match="QISKIT_IBM_TOKEN"):
        Runtime.from_env()


def test_missing_instance_or_account() -> None:
    with pytest.raises(ValidationError, match="instance"):
        Runtime(token="KEY")
    with pytest.raises(ValidationError, match="no credentials"):
        Runtime()
    with pytest.raises(ValidationError, match="no saved account"):
        Runtime.saved()
    with pytest.raises(ValidationError, match="no saved account named 'x'"):
        Runtime.saved("x")


def test_default_account_rules() -> None:
    accounts: dict[str, Any] = {
        "a": {"channel": "ibm_cloud", "token": "A"},
        "default-ibm-cloud": {"channel": "ibm_cloud", "token": "B"},
        "legacy": {"channel": "ibm_quantum", "token": "L", "is_default_account": True},
        "c": {"channel": "ibm_quantum_platform", "token": "C"},
    }
    # an ibm_quantum (retired channel) account is never picked by default
    assert select_saved_account(accounts)[1]["token"] == "C"  # type: ignore[index]
    assert select_saved_account(accounts, channel="ibm_cloud")[1]["token"] == "B"  # type: ignore[index]
    assert select_saved_account(accounts, env_channel="ibm_cloud")[1]["token"] == "B"  # type: ignore[index]
    accounts["a"]["is_default_account"] = True
    assert select_saved_account(accounts)[1]["token"] == "A"  # type: ignore[index]
    assert select_saved_account({"x": {"channel": "ibm_quantum"}}) is None


def test_qiskit_ibm_runtime_saved_file_is_read(tmp_path: Path) -> None:
    """A file written by qiskit-ibm-runtime's own save_account is understood."""
    from qiskit_ibm_runtime.accounts.management import AccountManager

    path = tmp_path / "qiskit-ibm.json"
    AccountManager.save(
        token="SAVED-KEY",
        instance=EU_CRN,
        channel="ibm_quantum_platform",
        filename=str(path),
        name="mine",
        proxies=None,
        verify=True,
        overwrite=True,
        set_as_default=True,
    )
    account = resolve_account(filename=path)
    assert account.token == "SAVED-KEY" and account.instance == EU_CRN
    assert account.runtime_url() == "https://eu-de.quantum.cloud.ibm.com/api/v1"
    assert account.iam_base_url() == "https://iam.cloud.ibm.com"


def test_accounts_file_errors(tmp_path: Path) -> None:
    assert read_accounts_file(tmp_path / "missing.json") == {}
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid JSON"):
        read_accounts_file(bad)
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(ValidationError, match="JSON object"):
        read_accounts_file(bad)


@pytest.mark.parametrize(
    ("url", "instance", "private", "expected"),
    [
        (None, CRN, False, "https://quantum.cloud.ibm.com/api/v1"),
        (None, EU_CRN, False, "https://eu-de.quantum.cloud.ibm.com/api/v1"),
        (
            "https://cloud.ibm.com",
            EU_CRN,
            True,
            "https://private.eu-de.quantum.cloud.ibm.com/api/v1",
        ),
        ("https://test.cloud.ibm.com/", CRN, False, "https://quantum.test.cloud.ibm.com/api/v1"),
        ("http://127.0.0.1:8000/api/v1/", CRN, False, "http://127.0.0.1:8000/api/v1"),
    ],
)
def test_runtime_url_resolution(
    url: str | None, instance: str, private: bool, expected: str
) -> None:
    account = Account(
        channel="ibm_cloud", token="K", instance=instance, url=url, private_endpoint=private
    )
    assert account.runtime_url() == expected


def test_iam_url_resolution() -> None:
    staging = "crn:v1:staging:public:quantum-computing:us-east:a/abc:inst::"
    assert Account("ibm_cloud", "K", staging).iam_base_url() == "https://iam.test.cloud.ibm.com"
    assert Account("ibm_cloud", "K", CRN, url="https://test.cloud.ibm.com").iam_base_url() == (
        "https://iam.test.cloud.ibm.com"
    )
    # a service that is not IBM's: its own /identity/token, never IBM's IAM (issue 16)
    assert Account("ibm_cloud", "K", CRN, url="http://x:1/api/v1").iam_base_url() == "http://x:1"
    assert Account(
        "ibm_cloud", "K", CRN, url="https://quantum.cloud.ibm.com/api/v1"
    ).iam_base_url() == ("https://iam.cloud.ibm.com")
    assert Account("ibm_cloud", "K", CRN, iam_url="http://iam/").iam_base_url() == "http://iam"


def test_legacy_defaults_and_validation() -> None:
    account = Account(channel="legacy", token="T", instance="h/g/p")
    assert account.runtime_url() == "https://api.quantum-computing.ibm.com/runtime"
    assert account.legacy_instance == ("h", "g", "p")
    with pytest.raises(ValidationError, match="hub/group/project"):
        Account(channel="legacy", token="T", instance="h/g")
    with pytest.raises(ValidationError, match="unknown channel"):
        Account(channel="ibm_quantum", token="T", instance="h/g/p")


def test_account_repr_hides_token_and_proxies() -> None:
    account = Account("ibm_cloud", "SECRET-KEY", CRN, proxies="http://user:pw@proxy:3128")
    assert "SECRET-KEY" not in repr(account) and "pw@" not in repr(account)


def test_proxies_from_saved_form_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    captured: dict[str, Any] = {}
    real = httpx.HTTPTransport.__init__

    def spy(self: httpx.HTTPTransport, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("proxy"):
            captured[str(kwargs["proxy"])] = kwargs.get("verify")
        real(self, *args, **kwargs)

    monkeypatch.setattr(httpx.HTTPTransport, "__init__", spy)
    rt = Runtime(
        token="K",
        instance=CRN,
        proxies={"urls": {"https": "http://proxy.example:3128"}},
        verify=False,
    )
    rt.close()
    assert captured == {"http://proxy.example:3128": False}
    with pytest.raises(ValidationError, match="NTLM"):
        Runtime(
            token="K",
            instance=CRN,
            proxies={"urls": {}, "username_ntlm": "u", "password_ntlm": "p"},
        )


class ProxyRecorder:
    """A loopback HTTP proxy that answers for every host itself and records the targets (an
    HTTP proxy gets absolute-form targets: ``GET http://host/path``)."""

    def __init__(self) -> None:
        self.server = RawServer(self.respond)

    def respond(self, request: RawRequest, conn: Any, stop: Any) -> None:
        if request.path == "/identity/token":
            now = time.time()
            conn.sendall(http_answer(200, {"access_token": make_jwt(now, now + 3600)}))
        else:
            conn.sendall(http_answer(200, job_json("j1")))

    def targets(self) -> list[str]:
        return [r.target for r in self.server.requests]


def test_single_proxy_url_is_used_for_all_traffic() -> None:
    proxy = ProxyRecorder()
    settings = {"url": "http://runtime.example/api/v1", "iam_url": "http://iam.example"}
    with proxy.server, Runtime(token="K", instance=CRN, proxies=proxy.server.url, **settings) as rt:
        rt.job("j1")
    assert proxy.targets() == [
        "http://iam.example/identity/token",
        "http://runtime.example/api/v1/jobs/j1?exclude_params=true",
    ]


def test_authorization_cannot_be_overridden_by_extra_headers() -> None:
    with pytest.raises(ValidationError, match="set by the client"):
        Runtime(token="K", instance=CRN, headers={"Authorization": "Bearer x"})
    with pytest.raises(ValidationError, match="not both"):
        Runtime(token="A", api_key="B", instance=CRN)


def test_http_proxy_environment_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = ProxyRecorder()
    monkeypatch.setenv("HTTP_PROXY", proxy.server.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    settings = {"url": "http://runtime.example/api/v1", "iam_url": "http://iam.example"}
    with proxy.server:
        with Runtime(token="K", instance=CRN, **settings) as rt:
            rt.job("j1")
        assert len(proxy.targets()) == 2  # the IAM and the API request went through the proxy
        # trust_env=False (what Runtime.local() uses) ignores it: the hosts do not exist
        with (
            Runtime(token="K", instance=CRN, trust_env=False, retry=NO_RETRY, **settings) as rt,
            pytest.raises(APIConnectionError),
        ):
            rt.job("j1")
        assert len(proxy.targets()) == 2


def test_wrong_transport_type_is_refused() -> None:
    from qiskit_runtime_rest import AsyncRuntime

    with pytest.raises(TypeError):
        Runtime(token="K", instance=CRN, transport=httpx.AsyncHTTPTransport())
    with pytest.raises(TypeError):
        AsyncRuntime(token="K", instance=CRN, transport=httpx.HTTPTransport())
