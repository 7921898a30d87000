"""gunicorn for the load test: 2 workers on 127.0.0.1, a free port, always stopped."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import HELLO, BenchError

HOST = "127.0.0.1"
WORKERS = 2
# Sync workers, as in the README's deployment: one request at a time per process.
# The slot page is CPU-bound Python, so threads in a worker only share one GIL;
# and the sync worker takes connections from the kernel's accept queue in order,
# which keeps latency fair. gthread (which keeps connections alive) was measured
# too, on this 2-core machine with 20 clients on the slot page: 4 threads gave
# 79-89 rps, p95 330-380 ms; 1 thread 119 rps but p95 400 ms, because a worker
# serves the connections it holds while others wait; sync gave 109 rps, p95 231 ms.
# The price: no keep-alive, so each request opens a new loopback connection (the
# hello ceiling shows it: ~2,100 rps sync against ~3,100 gthread).
# Override with BENCH_WORKER_CLASS=gthread BENCH_THREADS=4 to compare.
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 10
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", HELLO)
        response = connection.getresponse()
        return response.status == 200 and response.read() == b"hello"
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[int]:
    """Start ``bench.wsgi:app`` under gunicorn, yield its port, stop it at the end."""
    port = free_port()
    command = [
        str(Path(sys.prefix) / "bin" / "gunicorn"),
        "--workers", str(WORKERS),
        "--worker-class", WORKER_CLASS,
        "--threads", str(THREADS),
        "--bind", f"{HOST}:{port}",
        "--chdir", str(ROOT),
        "--log-level", "warning",  # no access log: it would hold client addresses
        "--graceful-timeout", str(STOP_TIMEOUT_SECONDS),
        "bench.wsgi:app",
    ]  # fmt: skip
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        waited = time.monotonic() + START_TIMEOUT_SECONDS
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > waited:
                raise BenchError(
                    f"gunicorn did not answer on {HOST}:{port}:\n" + _tail(log)
                )
            time.sleep(0.1)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_SECONDS + 5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        problems = [
            line
            for line in _tail(log, 500).splitlines()
            if "ERROR" in line or "Traceback" in line
        ]
        if problems:
            print("gunicorn logged errors:\n  " + "\n  ".join(problems[-10:]))
        log.close()


def _tail(log, lines: int = 30) -> str:
    log.flush()
    log.seek(0)
    return "".join(log.readlines()[-lines:])
