"""The dashboard: ``GET /ui``, server-rendered pages over the emulator's jobs and sessions.

Everything is served by the emulator (Jinja2 templates with autoescaping, one stylesheet, one
small script that polls a JSON view for live status; no CDN, no build step). Results are drawn
on the server as inline SVG (:mod:`.dashboard_charts`); every read of the store goes through
:mod:`.dashboard_data`.

Authentication is the API's: the login form takes an API key (exchanged for an IAM token as
``POST /identity/token`` does), an IAM access token or a legacy token
(:meth:`~.auth.Authenticator.sign_in`). The server keeps that token against a random session id,
sent back as an ``HttpOnly; SameSite=Strict`` cookie; the key or token is never put in a URL,
a page or a log line. Each request checks the token again (an expired IAM token ends the
session) and shows only the instances it reaches. State-changing forms (login, logout, cancel)
are POSTs that carry a CSRF token (per session; before login, a double-submit cookie).
"""

from __future__ import annotations

import hmac
import itertools
import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import attrs
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from .config import InstanceConfig
from .dashboard_charts import counts_histogram, expectation_values
from .dashboard_data import (
    JobDetail,
    instance_jobs,
    instance_sessions,
    job_detail,
    job_statuses,
)
from .errors import ApiError
from .text import dumps_json

if TYPE_CHECKING:
    import jinja2

    from .app import EmulatorState

__all__ = ["dashboard_routes"]

COOKIE = "qre_dashboard"
LOGIN_COOKIE = "qre_dashboard_login"
_HERE = Path(__file__).parent
_STATIC = {"dashboard.css": "text/css", "dashboard.js": "text/javascript"}
_JOBS_PER_INSTANCE = 50
_SESSIONS_PER_INSTANCE = 20
_MAX_LOGINS = 10000
_MAX_FORM_BYTES = 16384
_MAX_CHARTS = 8
_SECURITY_HEADERS = {
    # Nothing inline runs or styles (the charts use SVG attributes), nothing from elsewhere.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@attrs.define
class _Login:
    token: str = attrs.field(repr=False)  # secrets never in a repr
    csrf: str = attrs.field(repr=False)
    expires: float


class _Logins:
    """Signed-in browsers: random session id -> the token they signed in with (bounded)."""

    def __init__(self, lifetime: float) -> None:
        self.lifetime = lifetime
        self._by_id: OrderedDict[str, _Login] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, token: str, expires: float | None) -> tuple[str, _Login]:
        sid = secrets.token_urlsafe(32)
        login = _Login(token, secrets.token_urlsafe(24), expires or time.time() + self.lifetime)
        with self._lock:
            self._by_id[sid] = login
            while len(self._by_id) > _MAX_LOGINS:
                self._by_id.popitem(last=False)
        return sid, login

    def get(self, sid: str | None) -> _Login | None:
        if not sid:
            return None
        with self._lock:
            login = self._by_id.get(sid)
            if login is not None and login.expires <= time.time():
                del self._by_id[sid]
                return None
            return login

    def drop(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid or "", None)


@attrs.frozen
class _Viewer:
    """A signed-in request: who, which instances, and the CSRF token of its forms."""

    sid: str = attrs.field(repr=False)
    user_id: str
    instances: tuple[InstanceConfig, ...]
    csrf: str = attrs.field(repr=False)

    @property
    def crns(self) -> list[str]:
        return [i.crn for i in self.instances]


@cache
def _templates() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates" / "dashboard"),
        autoescape=True,  # every value is HTML-escaped unless marked safe (the SVG charts)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson_compact"] = lambda v: json.dumps(v, sort_keys=True)
    return env


def _page(name: str, status: int = 200, **context: Any) -> Response:
    html = _templates().get_template(name).render(**context)
    return Response(html, status, headers=_SECURITY_HEADERS, media_type="text/html")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _form(raw: bytes) -> dict[str, str]:
    try:
        text = raw[:_MAX_FORM_BYTES].decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


# ---------------------------------------------------------------------------- what pages show


def _pub_summary(detail: JobDetail) -> list[dict[str, Any]]:
    """One line per PUB: its circuit (first line of its text, or its kind), qubits, depth, and
    the shots / precision / bindings it asks for, as far as the job's params say."""
    params = detail.params if isinstance(detail.params, dict) else {}
    pubs = params.get("pubs")
    if not isinstance(pubs, list):
        return []
    qubits = detail.metrics.get("num_qubits") or []
    depths = detail.metrics.get("circuit_depths") or []
    estimator = detail.row.program == "estimator"
    out = []
    for i, pub in enumerate(pubs[:100]):
        items = pub if isinstance(pub, list) else [pub]
        circuit = items[0] if items else None
        if isinstance(circuit, str):
            text = " ".join(circuit.split())
            circuit_text = text[:90] + ("\u2026" if len(text) > 90 else "")
        elif isinstance(circuit, dict):
            circuit_text = f"{circuit.get('__type__', 'object')} (QPY)"
        else:
            circuit_text = "?"
        line: dict[str, Any] = {
            "index": i,
            "circuit": circuit_text,
            "qubits": qubits[i] if i < len(qubits) else None,
            "depth": depths[i] if i < len(depths) else None,
        }
        if estimator:
            obs = items[1] if len(items) > 1 else None
            line["observables"] = _shape_text(obs)
            line["bindings"] = _shape_text(items[2]) if len(items) > 2 else "none"
            line["precision"] = items[3] if len(items) > 3 and items[3] is not None else "default"
        else:
            line["bindings"] = _shape_text(items[1]) if len(items) > 1 else "none"
            line["shots"] = items[2] if len(items) > 2 and items[2] is not None else "default"
        out.append(line)
    return out


def _shape_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict):
        if "__type__" in value:
            return str(value["__type__"])
        return f"{len(value)} named"
    if isinstance(value, str):
        return value[:40]
    if isinstance(value, list):
        dims = []
        node: Any = value
        while isinstance(node, list):
            dims.append(len(node))
            node = node[0] if node else None
        return "\u00d7".join(str(d) for d in dims)
    return str(value)[:40]


def _charts(detail: JobDetail) -> tuple[list[dict[str, str]], str | None]:
    """The result drawn: a counts histogram per PUB and register (Sampler), expectation values
    with error bars per PUB (Estimator); or why there is no drawing."""
    if detail.result is None:
        return [], None
    if detail.row.program not in ("sampler", "estimator"):
        return [], "Results of this program are not drawn; download them with the API."
    try:
        from qiskit_runtime_rest.codec import decode_result

        result = decode_result(detail.result)
    except Exception as exc:  # a result the SDK cannot read is still the job's result
        return [], f"The result could not be decoded: {type(exc).__name__}"
    charts: list[dict[str, str]] = []
    for i, pub in enumerate(result):
        data = pub.data
        if detail.row.program == "sampler":
            for name, value in data.items():
                if len(charts) >= _MAX_CHARTS or not hasattr(value, "get_counts"):
                    continue
                counts = value.get_counts()
                title = f"PUB {i}, register {name}: {sum(counts.values())} shots"
                charts.append(
                    {"title": title, "kind": "histogram", "svg": counts_histogram(counts, title)}
                )
        elif "evs" in data and len(charts) < _MAX_CHARTS:
            import numpy as np

            evs = np.asarray(data["evs"], dtype=np.float64)
            stds = np.asarray(data["stds"], dtype=np.float64) if "stds" in data else evs * 0
            stds = np.broadcast_to(stds, evs.shape)
            labels = _ev_labels(detail, i, evs.shape)
            title = f"PUB {i}: expectation values (\u00b1 standard error), shape {evs.shape}"
            svg = expectation_values(
                [float(v) for v in evs.ravel()], [float(e) for e in stds.ravel()], labels, title
            )
            charts.append({"title": title, "kind": "evs", "svg": svg})
    return charts, None


def _ev_labels(detail: JobDetail, index: int, shape: tuple[int, ...]) -> list[str]:
    """Labels of a PUB's expectation values: its observable (Pauli strings, broadcast against
    the bindings as the Estimator does, with the value's index when the shape has more than
    one axis), else the value's index."""
    import numpy as np

    indices = [",".join(str(i) for i in idx) for idx in itertools.product(*map(range, shape))]
    try:
        observables = detail.params["pubs"][index][1]
        labels = np.vectorize(lambda o: o if isinstance(o, str) else "?", otypes=[object])(
            np.array(observables, dtype=object)
        )
        labels = np.broadcast_to(labels, shape)
    except (KeyError, IndexError, TypeError, ValueError):
        return indices or ["()"]
    flat = [str(v)[:24] for v in labels.ravel()]
    if "?" in flat:
        return indices or ["()"]
    if len(shape) <= 1:
        return flat
    return [f"{text} [{idx}]" for text, idx in zip(flat, indices, strict=True)]


def _fmt_metrics(metrics: dict[str, Any]) -> list[tuple[str, str]]:
    names = {
        "created": "created",
        "running": "started running",
        "finished": "finished",
        "queued_seconds": "time queued (s)",
        "usage_seconds": "usage (s, billed as QPU time)",
        "execution_seconds": "simulation time (s)",
        "num_circuits": "circuits",
        "num_qubits": "qubits per circuit",
        "circuit_depths": "depth per circuit",
        "caller": "client application",
    }
    out = []
    for key, label in names.items():
        value = metrics.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value[:50]) + (" \u2026" if len(value) > 50 else "")
        out.append((label, str(value)))
    return out


# ---------------------------------------------------------------------------- routes


def dashboard_routes(
    state: EmulatorState, record: Callable[[Request, str, int, float], None]
) -> list[Route]:
    """The dashboard's routes (``/``, ``/ui`` and below) for one emulator. ``record`` counts and
    logs each answered request (path template, status, start time), as the API's are."""
    auth = state.auth
    logins = _Logins(float(state.config.token_lifetime))

    def viewer(request: Request) -> _Viewer | None:
        sid = request.cookies.get(COOKIE)
        login = logins.get(sid)
        if login is None or sid is None:
            return None
        try:
            user_id, instances, _ = auth.grants(login.token)
        except ApiError:  # expired, or the instance went away
            logins.drop(sid)
            return None
        return _Viewer(sid, user_id, tuple(instances), login.csrf)

    def to_login(request: Request) -> Response:
        if request.url.path.startswith("/ui/api/"):
            return Response(
                dumps_json({"error": "not signed in"}), 401, media_type="application/json"
            )
        return RedirectResponse("/ui/login", 303, headers=_SECURITY_HEADERS)

    def login_page(request: Request, status: int = 200, error: str | None = None) -> Response:
        token = secrets.token_urlsafe(24)
        response = _page("login.html", status, csrf=token, error=error)
        response.set_cookie(
            LOGIN_COOKIE, token, max_age=600, path="/ui/login", httponly=True,
            samesite="strict", secure=_secure(request),
        )  # fmt: skip
        return response

    # -------------------------------------------------------------- handlers

    async def root(request: Request) -> Response:
        return RedirectResponse("/ui", 307)

    async def get_login(request: Request) -> Response:
        if viewer(request) is not None:
            return RedirectResponse("/ui", 303, headers=_SECURITY_HEADERS)
        return login_page(request)

    async def post_login(request: Request) -> Response:
        form = _form(await request.body())
        if not _same(form.get("csrf"), request.cookies.get(LOGIN_COOKIE)):
            return login_page(request, 403, "The form expired; sign in again.")
        credential = form.get("credential", "")
        try:
            token = auth.sign_in(credential)
            _, _, expires = auth.grants(token)
        except ApiError:
            return login_page(request, 401, "Those credentials are not valid here.")
        sid, _ = logins.add(token, expires)
        response = RedirectResponse("/ui", 303, headers=_SECURITY_HEADERS)
        response.set_cookie(
            COOKIE, sid, path="/ui", httponly=True, samesite="strict", secure=_secure(request)
        )
        response.delete_cookie(LOGIN_COOKIE, path="/ui/login")
        return response

    async def post_logout(request: Request) -> Response:
        who = viewer(request)
        form = _form(await request.body())
        if who is not None and not _same(form.get("csrf"), who.csrf):
            return Response("Forbidden: bad or missing CSRF token", 403, headers=_SECURITY_HEADERS)
        if who is not None:
            logins.drop(who.sid)
        response = RedirectResponse("/ui/login", 303, headers=_SECURITY_HEADERS)
        response.delete_cookie(COOKIE, path="/ui")
        return response

    async def overview(request: Request) -> Response:
        who = viewer(request)
        if who is None:
            return to_login(request)
        instances = []
        for inst in who.instances:
            jobs, total = instance_jobs(state.store, inst.crn, _JOBS_PER_INSTANCE)
            sessions = instance_sessions(state.store, inst.crn, _SESSIONS_PER_INSTANCE)
            instances.append({"instance": inst, "jobs": jobs, "total": total, "sessions": sessions})
        return _page("overview.html", user=who.user_id, csrf=who.csrf, instances=instances)

    async def api_jobs(request: Request) -> Response:
        who = viewer(request)
        if who is None:
            return to_login(request)
        out: list[dict[str, str]] = []
        for crn in who.crns:
            jobs, _ = instance_jobs(state.store, crn, _JOBS_PER_INSTANCE)
            out.extend({"id": j.id, "status": j.status} for j in jobs)
        return Response(dumps_json({"jobs": out}), headers=_SECURITY_HEADERS,
                        media_type="application/json")  # fmt: skip

    async def api_job(request: Request) -> Response:
        who = viewer(request)
        if who is None:
            return to_login(request)
        job_id = request.path_params["job_id"]
        statuses = job_statuses(state.store, who.crns, [job_id])
        if job_id not in statuses:
            return Response(dumps_json({"error": "not found"}), 404, media_type="application/json")
        return Response(dumps_json({"id": job_id, "status": statuses[job_id]}),
                        headers=_SECURITY_HEADERS, media_type="application/json")  # fmt: skip

    async def job_page(request: Request) -> Response:
        who = viewer(request)
        if who is None:
            return to_login(request)
        detail = job_detail(state.store, who.crns, request.path_params["job_id"])
        if detail is None:
            return _page("not_found.html", 404, user=who.user_id, csrf=who.csrf)
        charts, chart_note = _charts(detail)
        instance = next(i for i in who.instances if i.crn == detail.instance_crn)
        return _page(
            "job.html",
            user=who.user_id,
            csrf=who.csrf,
            job=detail,
            instance=instance,
            pubs=_pub_summary(detail),
            charts=charts,
            chart_note=chart_note,
            metrics=_fmt_metrics(detail.metrics),
        )

    async def cancel_job(request: Request) -> Response:
        who = viewer(request)
        if who is None:
            return to_login(request)
        form = _form(await request.body())
        if not _same(form.get("csrf"), who.csrf):
            return Response("Forbidden: bad or missing CSRF token", 403, headers=_SECURITY_HEADERS)
        job_id = request.path_params["job_id"]
        for crn in who.crns:
            job = state.store.get_job(crn, job_id, with_params=False)
            if job is not None:
                state.scheduler.cancel(job)
                break
        return RedirectResponse(f"/ui/jobs/{job_id}", 303, headers=_SECURITY_HEADERS)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            return Response("Not found", 404)
        return FileResponse(
            _HERE / "static" / name,
            media_type=_STATIC[name],
            headers={"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"},
        )

    def counted(
        template: str, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            started = time.perf_counter()
            response = await handler(request)
            record(request, template, response.status_code, started)
            return response

        run.__name__ = handler.__name__
        return run

    table: list[tuple[str, Callable[[Request], Awaitable[Response]], list[str]]] = [
        ("/", root, ["GET", "HEAD"]),
        ("/ui", overview, ["GET"]),
        ("/ui/login", get_login, ["GET"]),
        ("/ui/login", post_login, ["POST"]),
        ("/ui/logout", post_logout, ["POST"]),
        ("/ui/jobs/{job_id}", job_page, ["GET"]),
        ("/ui/jobs/{job_id}/cancel", cancel_job, ["POST"]),
        ("/ui/api/jobs", api_jobs, ["GET"]),
        ("/ui/api/jobs/{job_id}", api_job, ["GET"]),
        ("/ui/static/{name}", static, ["GET"]),
    ]
    return [Route(path, counted(path, fn), methods=methods) for path, fn, methods in table]
