"""The dashboard in a real browser (issue 14): Debian's Chromium, driven by Playwright.

Sign in with the API key, submit jobs with the SDK, watch them appear and complete (the page's
own polling), open one and see its counts histogram; an Estimator job's expectation values; a
tag holding a ``<script>`` stays text. Screenshots go to ``test-artifacts/dashboard/`` at the
repository's root (printed at the end).

Chromium comes from Debian (``apt-get install -y chromium``: ``scripts/check.py`` installs it
when it is missing and it can); Playwright drives it over the DevTools protocol and downloads
no browser. A missing Chromium fails this test: it is never skipped.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import EstimatorPub, Runtime, SamplerPub

from tests.conftest import connect

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "dashboard"
# As root on a machine without a network: no sandbox, no GPU, nothing phoned home.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; h q[0]; cx q[0], q[1]; '
    "meas = measure q;"
)
GHZ = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[3] q; bit[3] meas; h q[0]; cx q[0], q[1]; '
    "cx q[1], q[2]; rx(0.6) q[2]; meas = measure q;"
)
ANSATZ = """OPENQASM 3.0; include "stdgates.inc";
input float[64] theta; qubit[2] q; ry(theta) q[0]; cx q[0], q[1];"""
XSS_TAG = "<script>window.__pwned = 1</script>"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(strict_responses=True, seed=11)) as emu:
        yield emu


@pytest.fixture(scope="module")
def runtime(server: EmulatorServer) -> Iterator[Runtime]:
    rt = connect(server)
    yield rt
    rt.close()


@pytest.fixture(scope="module")
def page(server: EmulatorServer) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); "
            "scripts/check.py does it when run as root with apt available"
        )
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    profile = tempfile.mkdtemp(prefix="dashboard-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1200, "height": 900},
            )
            try:
                tab = context.new_page()
                tab.set_default_timeout(WAIT_MS)
                yield tab
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        print(f"\ndashboard screenshots: {ARTIFACTS}")


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_sign_in_submit_watch_open_and_see_the_histogram(
    server: EmulatorServer, runtime: Runtime, page: Any
) -> None:
    page.goto(f"{server.base_url}/")
    page.wait_for_url("**/ui/login")
    page.fill("#credential", server.api_key)
    _shot(page, "01-sign-in")
    page.click("#sign-in")
    page.wait_for_url("**/ui")
    assert server.api_key not in page.url
    page.wait_for_selector("text=No job yet.")

    # Submitted with the SDK while the page is open: its polling brings the new rows in.
    job = runtime.sampler("ibm_emulator_simulator").run(
        [SamplerPub(BELL, shots=2000), SamplerPub(GHZ, shots=2000)], tags=[XSS_TAG, "bell"]
    )
    row = f'tr.job-row[data-job-id="{job.job_id}"]'
    page.wait_for_selector(row)
    page.wait_for_selector(f'{row} .status[data-status="Completed"]')
    assert page.evaluate("window.__pwned") is None
    assert XSS_TAG in page.inner_text(row)  # shown as text, not run
    _shot(page, "02-overview")

    page.click(f"{row} a.job-link")
    page.wait_for_url(f"**/ui/jobs/{job.job_id}")
    bars = page.locator("figure.chart-histogram svg rect.bar")
    bars.first.wait_for()
    outcomes = {
        bars.nth(i).get_attribute("data-outcome"): int(bars.nth(i).get_attribute("data-count"))
        for i in range(bars.count())
    }
    counts = job.result()[0].data.meas.get_counts()
    assert {k: v for k, v in outcomes.items() if k in counts} == counts
    assert page.locator("figure.chart-histogram").count() == 2
    assert "Job completed" in page.inner_text("pre.logs")
    assert page.evaluate("window.__pwned") is None
    _shot(page, "03-job-histogram")


def test_estimator_job_shows_expectation_values_with_error_bars(
    server: EmulatorServer, runtime: Runtime, page: Any
) -> None:
    pub = EstimatorPub(ANSATZ, [["ZZ"], ["XX"]], parameter_values=[[0.0], [0.8], [1.6]])
    with runtime.session("ibm_emulator_simulator") as session:
        job = session.estimator().run([pub])
        job.result()
    page.goto(f"{server.base_url}/ui/jobs/{job.job_id}")
    points = page.locator("figure.chart-evs svg g.ev")
    points.first.wait_for()
    assert points.count() == 6  # (2, 3) broadcast
    assert session.session_id in page.inner_text("table.facts")
    _shot(page, "04-job-estimator")
    page.click("text=all jobs")
    page.wait_for_selector(f'table.sessions >> text="{session.session_id}"')
    _shot(page, "05-overview-with-session")


def test_a_running_job_turns_completed_on_its_page_and_sign_out(
    server: EmulatorServer, runtime: Runtime, page: Any
) -> None:
    job = runtime.sampler("ibm_emulator_simulator").run([SamplerPub(BELL, shots=100)])
    page.goto(f"{server.base_url}/ui/jobs/{job.job_id}")
    # The page reloads itself when the job's status changes: the histogram comes without a click.
    page.locator("figure.chart-histogram svg rect.bar").first.wait_for()
    page.click("#logout")
    page.wait_for_url("**/ui/login")
    page.goto(f"{server.base_url}/ui")
    page.wait_for_url("**/ui/login")
    _shot(page, "06-signed-out")
