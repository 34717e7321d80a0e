"""Scaffolding of the crash tests: a real ``sinergi worker`` subprocess on its own SQLite
database (with the database task backend) against the fake platforms in the test's process,
killed with SIGKILL at a moment the fake server holds and then restarted.

The database is prepared and read by ``tests.channels.crash_helper`` in subprocesses too.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.channels.fakes import FakePlatforms

ROOT = Path(__file__).resolve().parents[2]


def crash_env(data_dir: Path, fake: FakePlatforms) -> dict[str, str]:
    """The worker's environment: its own data directory, no settings of this process."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SINERGI_", "DATABASE_URL"))
    }
    return env | {
        "SINERGI_DATA_DIR": str(data_dir),
        "SINERGI_SECRET_KEY": "crash-test-secret",
        "SINERGI_META_GRAPH_URL": fake.graph_url,
        "SINERGI_BASE_URL": "https://toko.example.id",
        "SINERGI_TASK_STALE_AFTER": "0",
        "SINERGI_CHANNELS_LEASE": "1",
        "SINERGI_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "sinergi.settings",
    }


def run(env: dict[str, str], *args: str) -> str:
    """Run ``python <args>`` to completion and return its output; it must succeed."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def shop_prepare(env: dict[str, str], posts: int, kind: str) -> None:
    """Create the worker's database and a shop with ``posts`` posts of ``kind`` due now."""
    run(env, "-m", "sinergi.cli", "migrate", "--no-input", "-v", "0")
    run(env, "-m", "tests.channels.crash_helper", "setup", str(posts), kind)


def variants_report(env: dict[str, str]) -> list[dict[str, Any]]:
    """Every post variant's state in the worker's database."""
    rows: list[dict[str, Any]] = json.loads(run(env, "-m", "tests.channels.crash_helper", "report"))
    return rows


def worker_start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sinergi.cli", "worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def worker_kill_when(env: dict[str, str], log: Path, reached: threading.Event) -> None:
    """Start a worker and kill it (SIGKILL) as soon as the fake server has ``reached`` the
    step it holds its answer at."""
    worker = worker_start(env, log)
    try:
        assert reached.wait(60), log.read_text()[-3000:]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()


def worker_restart_until_published(
    env: dict[str, str], log: Path, *, also: Callable[[], bool] = lambda: True
) -> list[dict[str, Any]]:
    """Let the killed run's lease run out, requeue its task as the stale-task sweeper does,
    and run a worker until every variant is published (and ``also`` holds); returns the
    variants' final state."""
    time.sleep(1.2)  # the dead run's lease (1 s) runs out
    run(env, "-m", "tests.channels.crash_helper", "requeue")
    worker = worker_start(env, log)
    try:
        try:
            wait_until(
                lambda: (
                    also() and all(row["status"] == "published" for row in variants_report(env))
                ),
                timeout=90,
            )
        except AssertionError as error:
            report = run(env, "-m", "tests.channels.crash_helper", "report")
            raise AssertionError(f"{report}\n{log.read_text()[-3000:]}") from error
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
    return variants_report(env)
