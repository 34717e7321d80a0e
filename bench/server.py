"""Shared harness of the commerce benchmarks: own PostgreSQL database, `sinergi serve` on
loopback, an asyncio HTTP/1.1 load generator, the hardware, and the peer views.

Everything targets 127.0.0.1 and stops by itself (each run is bounded in time and requests).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


# --- Environment ---------------------------------------------------------------------------


def environment_prepare(database: str) -> None:
    """Point this process (and the servers it starts) at the bench database and settings."""
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SINERGI_SECRET_KEY", "bench-only-secret-key-not-for-production-use")
    os.environ.setdefault("SINERGI_DATA_DIR", tempfile.mkdtemp(prefix="sinergi-bench-"))
    os.environ.setdefault("SINERGI_LOG_LEVEL", "ERROR")
    os.environ.setdefault("SINERGI_REQUIRE_PARTNER_MFA", "false")


def database_create() -> None:
    """Create the benchmark's own database (``DATABASE_URL``, loopback PostgreSQL) if missing."""
    import dj_database_url  # noqa: PLC0415
    import psycopg  # noqa: PLC0415

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("the benchmarks need PostgreSQL: set DATABASE_URL=postgres://…")
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def database_ensure() -> None:
    """Create the benchmark's own database if missing, then migrate it."""
    database_create()
    import django  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    from sinergi.web.assets import assets_build  # noqa: PLC0415

    django.setup()
    call_command("migrate", "--no-input", "-v", "0")
    # What `sinergi serve` prepares unless told to skip it (pages need the static manifest).
    assets_build()
    call_command("collectstatic", "--no-input", "-v", "0")


def hardware() -> dict[str, Any]:
    model = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "postgresql": pg,
        "machine": platform.machine(),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def sinergi_serve(*, workers: int, threads: int) -> Iterator[int]:
    """`sinergi serve` (Granian, WSGI) on a free loopback port; stopped on exit."""
    port = free_port()
    command = [
        sys.executable, "-m", "sinergi.cli", "serve", "--skip-prepare",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--threads", str(threads),
    ]  # fmt: skip
    log = Path(os.environ["SINERGI_DATA_DIR"]) / f"serve-{port}.log"
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"sinergi serve exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("sinergi serve did not start within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- Load generator ------------------------------------------------------------------------


@dataclass
class Run:
    """What one load run measured."""

    name: str
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @classmethod
    def combined(cls, name: str, runs: list[Run]) -> Run:
        total = cls(name)
        for run in runs:
            total.requests += run.requests
            total.seconds += run.seconds
            total.statuses.update(run.statuses)
            total.latencies.extend(run.latencies)
        return total

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies) or [0.0]
        return {
            "name": self.name,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
            "p50_ms": round(1000 * statistics.median(lat), 2),
            "p99_ms": round(1000 * lat[min(len(lat) - 1, int(len(lat) * 0.99))], 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(parts)
    else:
        body = b""
    return status, body


def http_request(
    method: str, target: str, port: int, *, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: keep-alive"]
    for key, value in (headers or {}).items():
        lines.append(f"{key}: {value}")
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _load(
    name: str,
    port: int,
    make_request: Callable[[int, int], bytes],
    *,
    clients: int,
    seconds: float,
    max_requests: int,
    warmup: float,
) -> Run:
    run = Run(name)
    start = time.perf_counter()
    measure_from = start + warmup
    deadline = measure_from + seconds
    budget = [max_requests]

    async def client(index: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        n = 0
        try:
            while time.perf_counter() < deadline and budget[0] > 0:
                t0 = time.perf_counter()
                writer.write(make_request(index, n))
                await writer.drain()
                status, _body = await _read_response(reader)
                t1 = time.perf_counter()
                n += 1
                if t0 >= measure_from:
                    budget[0] -= 1
                    run.requests += 1
                    run.statuses[status] += 1
                    run.latencies.append(t1 - t0)
        finally:
            writer.close()

    await asyncio.gather(*(client(i) for i in range(clients)))
    run.seconds = time.perf_counter() - measure_from
    return run


def load(
    name: str,
    port: int,
    make_request: Callable[[int, int], bytes],
    *,
    clients: int = 32,
    seconds: float = 10.0,
    max_requests: int = 200_000,
    warmup: float = 2.0,
) -> Run:
    """``clients`` keep-alive connections sending requests for ``seconds`` (after a warm-up)."""
    return asyncio.run(
        _load(
            name, port, make_request,
            clients=clients, seconds=seconds, max_requests=max_requests, warmup=warmup,
        )
    )  # fmt: skip


def fetch(port: int, target: str) -> tuple[int, bytes]:
    async def go() -> tuple[int, bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(http_request("GET", target, port))
        await writer.drain()
        result = await _read_response(reader)
        writer.close()
        return result

    return asyncio.run(go())


def table(title: str, rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    out = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def results_write(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{name}.json"
    target.write_text(json.dumps(data, indent=2, default=str))
    return target
