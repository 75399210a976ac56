"""The dashboard over HTTP (issue 14): sign-in with the API's credentials, cookies, CSRF,
per-instance visibility, escaping, and the result drawn. The browser test is
``tests/test_dashboard_browser.py``."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer

from tests.conftest import EmulatorClient, client_for, knobs, sampler_job, wait_until

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; '
    "c = measure q;"
)
ANSATZ = 'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; h q[0]; cx q[0], q[1];'
SECOND_KEY = "emulator-api-key-2"
XSS_TAG = "<script>document.title='pwned'</script>"


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def sign_in(server: EmulatorServer, credential: str) -> httpx.Client:
    """A browser-like client signed in to the dashboard with ``credential``."""
    client = httpx.Client(base_url=server.base_url, follow_redirects=False, timeout=30)
    page = client.get("/ui/login")
    assert page.status_code == 200
    answer = client.post("/ui/login", data={"csrf": _csrf(page.text), "credential": credential})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/ui"
    return client


@pytest.fixture
def browser(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    client = sign_in(emulator, emulator.api_key)
    yield client
    client.close()


def _finished(api: EmulatorClient, job_id: str) -> dict[str, object]:
    return api.wait(job_id, timeout=60)


def test_root_redirects_and_pages_need_a_sign_in(emulator: EmulatorServer) -> None:
    with httpx.Client(base_url=emulator.base_url, follow_redirects=False) as anon:
        assert anon.get("/").headers["location"] == "/ui"
        for path in ("/ui", "/ui/jobs/abc"):
            r = anon.get(path)
            assert (r.status_code, r.headers["location"]) == (303, "/ui/login"), path
        assert anon.get("/ui/api/jobs").status_code == 401
        login = anon.get("/ui/login")
        assert "Content-Security-Policy" in login.headers
        assert "script-src 'self'" in login.headers["Content-Security-Policy"]


def test_sign_in_sets_a_strict_httponly_cookie_and_never_echoes_the_key(
    emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="qiskit_runtime_emulator")
    with httpx.Client(base_url=emulator.base_url, follow_redirects=False) as client:
        page = client.get("/ui/login")
        answer = client.post(
            "/ui/login", data={"csrf": _csrf(page.text), "credential": emulator.api_key}
        )
        cookie = next(c for c in answer.headers.get_list("set-cookie") if "qre_dashboard=" in c)
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/ui" in cookie
        assert emulator.api_key not in cookie
        overview = client.get("/ui")
        assert overview.status_code == 200
        for text in (answer.headers.get("location", ""), overview.text, cookie):
            assert emulator.api_key not in text
    assert caplog.records, "the access log recorded nothing"
    assert all(emulator.api_key not in r.getMessage() for r in caplog.records)
    assert any("POST /ui/login 303" in r.getMessage() for r in caplog.records)


def test_bad_credentials_and_forged_forms_are_refused(emulator: EmulatorServer) -> None:
    with httpx.Client(base_url=emulator.base_url, follow_redirects=False) as client:
        page = client.get("/ui/login")
        wrong = client.post("/ui/login", data={"csrf": _csrf(page.text), "credential": "nope"})
        assert wrong.status_code == 401
        assert "not valid" in wrong.text and "qre_dashboard=" not in str(wrong.headers)
        # A cross-site form post has no login cookie: refused even with a good key.
        with httpx.Client(base_url=emulator.base_url, follow_redirects=False) as other:
            forged = other.post("/ui/login", data={"csrf": "guess", "credential": emulator.api_key})
        assert forged.status_code == 403


def test_iam_and_legacy_tokens_sign_in_too(emulator: EmulatorServer) -> None:
    for credential in (emulator.issue_token(), emulator.legacy_token):
        client = sign_in(emulator, credential)
        assert emulator.crn in client.get("/ui").text
        client.close()


def test_each_user_sees_only_their_instances(emulator: EmulatorServer, api: EmulatorClient) -> None:
    job_id = api.submit(sampler_job(BELL, shots=10, tags=["first-instance-only"]))
    second = sign_in(emulator, SECOND_KEY)
    try:
        overview = second.get("/ui").text
        assert emulator.crn not in overview
        assert "emulator:instance-2" in overview
        assert job_id not in overview and "first-instance-only" not in overview
        assert second.get(f"/ui/jobs/{job_id}").status_code == 404
        assert second.get(f"/ui/api/jobs/{job_id}").status_code == 404
        assert job_id not in second.get("/ui/api/jobs").text
        page = second.get("/ui")
        forged = second.post(f"/ui/jobs/{job_id}/cancel", data={"csrf": _csrf(page.text)})
        assert forged.status_code == 303
        assert api.job(job_id)["status"] != "Cancelled"
    finally:
        second.close()


def test_user_text_is_escaped(
    emulator: EmulatorServer, api: EmulatorClient, browser: httpx.Client
) -> None:
    reason = "<img src=x onerror=alert(1)>"
    job_id = api.submit(sampler_job(BELL, shots=10, tags=[XSS_TAG], options=knobs(fail=reason)))
    _finished(api, job_id)
    for page in (browser.get("/ui").text, browser.get(f"/ui/jobs/{job_id}").text):
        assert XSS_TAG not in page
        assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page
    job_page = browser.get(f"/ui/jobs/{job_id}").text
    assert reason not in job_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in job_page  # the reason, and its log line


def test_job_page_draws_the_counts_histogram(
    emulator: EmulatorServer, api: EmulatorClient, browser: httpx.Client
) -> None:
    job_id = api.submit(sampler_job(BELL, shots=300))
    assert _finished(api, job_id)["status"] == "Completed"
    page = browser.get(f"/ui/jobs/{job_id}")
    assert page.status_code == 200
    bars = dict(re.findall(r'data-outcome="([01]+)" data-count="(\d+)"', page.text))
    assert set(bars) == {"00", "11"}
    assert sum(int(v) for v in bars.values()) == 300
    counts = api.result(job_id)["results"][0]["data"]["c"]["samples"]
    assert len(counts) == 300
    assert "PUB 0, register c: 300 shots" in page.text
    for text in ("Job started on ibm_emulator_simulator", "qubits per circuit", "h q[0]"):
        assert text in page.text
    status = browser.get(f"/ui/api/jobs/{job_id}").json()
    assert status == {"id": job_id, "status": "Completed"}


def test_job_page_draws_expectation_values_with_error_bars(
    api: EmulatorClient, browser: httpx.Client
) -> None:
    job = {
        "program_id": "estimator",
        "backend": "ibm_emulator_simulator",
        "params": {"pubs": [[ANSATZ, ["ZZ", "XX", "ZI"], None, 0.02]], "version": 2},
    }
    job_id = api.submit(job)
    assert _finished(api, job_id)["status"] == "Completed"
    page = browser.get(f"/ui/jobs/{job_id}").text
    points = re.findall(r'class="ev" data-value="([-0-9.e]+)" data-error="([-0-9.e]+)"', page)
    evs = api.result(job_id)["results"][0]["data"]["evs"]
    assert [round(float(v), 4) for v, _ in points] == [round(v, 4) for v in evs]
    assert all(float(e) > 0 for _, e in points)
    assert ">ZZ<" in page and ">XX<" in page


def test_cancel_and_sign_out_need_the_csrf_token(
    emulator: EmulatorServer, api: EmulatorClient
) -> None:
    client = sign_in(emulator, emulator.api_key)
    job_id = api.submit(sampler_job(BELL, shots=10, options=knobs(delay=30)))
    page = client.get(f"/ui/jobs/{job_id}").text
    assert 'id="cancel"' in page
    assert client.post(f"/ui/jobs/{job_id}/cancel", data={}).status_code == 403
    assert api.job(job_id)["status"] in ("Queued", "Running")
    cancelled = client.post(f"/ui/jobs/{job_id}/cancel", data={"csrf": _csrf(page)})
    assert cancelled.status_code == 303
    wait_until(lambda: api.job(job_id)["status"] == "Cancelled", timeout=30)
    assert client.post("/ui/logout", data={}).status_code == 403
    out = client.post("/ui/logout", data={"csrf": _csrf(page)})
    assert (out.status_code, out.headers["location"]) == (303, "/ui/login")
    assert client.get("/ui").headers["location"] == "/ui/login"
    client.close()


def test_sessions_are_listed(emulator: EmulatorServer, browser: httpx.Client) -> None:
    api = client_for(emulator)
    try:
        session = api.session(mode="batch", backend="ibm_emulator_simulator")
        overview = browser.get("/ui").text
        assert session["id"] in overview
        assert "batch" in overview
    finally:
        api.close()


def test_an_expired_token_ends_the_dashboard_session(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    server = make_emulator(EmulatorConfig(strict_responses=True, token_lifetime=1))
    client = sign_in(server, server.api_key)
    try:
        assert client.get("/ui").status_code == 200
        time.sleep(2.2)  # the IAM token the sign-in got has expired
        assert client.get("/ui").headers["location"] == "/ui/login"
        assert client.get("/ui/api/jobs").status_code == 401
    finally:
        client.close()


def test_the_dashboard_reads_a_durable_store(
    make_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    """With ``data_dir`` the final jobs, their logs and results are read from the database (not
    kept in memory): the pages show them all the same, after a restart too."""
    config = EmulatorConfig(strict_responses=True, data_dir=str(tmp_path))
    server = make_emulator(config)
    api = client_for(server)
    try:
        session = api.session(mode="batch", backend="ibm_emulator_simulator")
        job_id = api.submit(sampler_job(BELL, shots=200))
        assert _finished(api, job_id)["status"] == "Completed"
    finally:
        api.close()
    server.stop()
    restarted = make_emulator(config)
    client = sign_in(restarted, restarted.api_key)
    try:
        overview = client.get("/ui").text
        assert job_id in overview and session["id"] in overview
        page = client.get(f"/ui/jobs/{job_id}").text
        bars = dict(re.findall(r'data-outcome="([01]+)" data-count="(\d+)"', page))
        assert set(bars) == {"00", "11"} and sum(int(v) for v in bars.values()) == 200
        assert "Job started on ibm_emulator_simulator" in page  # its logs, from disk
    finally:
        client.close()
