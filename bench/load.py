"""A small closed-loop HTTP load generator: stdlib threads and ``http.client``.

Each client is a thread with its own connection (kept alive when the server
allows it, reopened when it does not) and cookie jar. All clients start together
and send their next request as soon as the previous answer is read, until a fixed
deadline: the loop always stops by itself (and every request has a socket timeout).
"""

from __future__ import annotations

import http.client
import math
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

REQUEST_TIMEOUT_SECONDS = 10
#: A hard stop per client besides the deadline, so nothing can run away.
MAX_REQUESTS_PER_CLIENT = 200_000
CSRF_INPUT = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)
TIME_RADIO = re.compile(r'type="radio"[^>]*name="time"')


class WalkFailed(RuntimeError):
    pass


class Client:
    """One browser-like client: a keep-alive connection and its cookies."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(
            host, port, timeout=REQUEST_TIMEOUT_SECONDS
        )
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None):
        headers = {"Accept-Language": "da"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new connection
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, content.decode("utf-8", "replace")

    def close(self) -> None:
        self.connection.close()

    def _expect(self, method, path, status, data=None) -> str:
        got, page = self.request(method, path, data)
        if got != status:
            raise WalkFailed(f"{method} {path}: HTTP {got}, expected {status}")
        return page

    def post_form(self, path: str, data: dict) -> None:
        """GET a form page, POST ``data`` with its CSRF token, expect a redirect."""
        page = self._expect("GET", path, 200)
        match = CSRF_INPUT.search(page)
        if not match:
            raise WalkFailed(f"GET {path}: no CSRF token in the page")
        token = next(group for group in match.groups() if group)
        self._expect("POST", path, 302, {"csrf_token": token, **data})

    def walk_to_time_page(self, *, mode: str, language: str) -> int:
        """Begin, topic, mode, language: as a parent does before the slot page.

        Returns how many free times the slot page offers in this week.
        """
        self.post_form("/anonym-raadgivning", {})
        self.post_form("/anonym-raadgivning/emne", {"topic": "none", "topic_text": ""})
        self.post_form("/anonym-raadgivning/hvordan", {"mode": mode})
        self.post_form("/anonym-raadgivning/sprog", {"language": language})
        page = self._expect("GET", "/anonym-raadgivning/tid", 200)
        return len(TIME_RADIO.findall(page))


@dataclass
class Result:
    route: str
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # successful, in seconds
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p: float) -> float:
        """Percentile of the successful requests' latency, in milliseconds."""
        return percentile(self.latencies, p) * 1000 if self.latencies else math.nan

    def figures(self, prefix: str, *, counts: bool = True) -> dict[str, float]:
        """The run as printed figures named ``prefix_...``: latency and rate, and
        with ``counts`` the requests and errors too."""
        found: dict[str, float] = (
            {f"{prefix}_requests": self.requests, f"{prefix}_errors": self.errors}
            if counts
            else {}
        )
        return found | {
            f"{prefix}_p50_ms": round(self.percentile_ms(50), 1),
            f"{prefix}_p95_ms": round(self.percentile_ms(95), 1),
            f"{prefix}_rps": round(self.rps, 1),
        }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with ``p`` % at or below it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def run(clients: list[Client], path: str | Sequence[str], seconds: float) -> Result:
    """All ``clients`` request ``path`` in a closed loop for ``seconds``; with a
    list of paths, each client its own (a counsellor their own family)."""
    paths = [path] * len(clients) if isinstance(path, str) else list(path)
    result = Result(route=paths[0], clients=len(clients), seconds=0.0)
    lock = threading.Lock()
    start = threading.Barrier(len(clients) + 1)
    deadline = [0.0]

    def loop(client: Client, path: str) -> None:
        latencies, errors = [], {}
        start.wait()
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            began = time.perf_counter()
            if began >= deadline[0]:
                break
            try:
                status, _page = client.request("GET", path)
                kind = None if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as error:
                kind = type(error).__name__
            if kind is None:
                latencies.append(time.perf_counter() - began)
            else:
                errors[kind] = errors.get(kind, 0) + 1
        with lock:
            result.latencies.extend(latencies)
            for kind, count in errors.items():
                result.error_kinds[kind] = result.error_kinds.get(kind, 0) + count
                result.errors += count

    threads = [
        threading.Thread(target=loop, args=pair, daemon=True)
        for pair in zip(clients, paths, strict=True)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + 2 * REQUEST_TIMEOUT_SECONDS)
    result.seconds = time.perf_counter() - began
    return result


def run_logged_in(
    port: int,
    path: str | Sequence[str],
    jars: list[dict[str, str]],
    seconds: float,
    warmup: float,
) -> Result:
    """One client per cookie jar (a logged-in browser each) requests ``path``
    for ``warmup`` seconds, then for ``seconds`` measured."""
    clients = [Client("127.0.0.1", port) for _ in jars]
    for client, jar in zip(clients, jars, strict=True):
        client.cookies = dict(jar)
    try:
        run(clients, path, warmup)
        return run(clients, path, seconds)
    finally:
        for client in clients:
            client.close()
