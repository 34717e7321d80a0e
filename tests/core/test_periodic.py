"""Periodic jobs run by the workers: once per interval however many workers, and a failing
job neither stops the scheduler nor the other jobs."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from sinergi.core import periodic
from sinergi.core.management.commands import worker
from sinergi.core.models import PeriodicJob
from sinergi.core.periodic import periodic_jobs_run_due
from tests.concurrency import run_together

RUNS: list[str] = []
JOB = "tests.core.test_periodic.job_counted"
SLOW = "tests.core.test_periodic.job_slow"
BROKEN = "tests.core.test_periodic.job_broken"


def job_counted() -> None:
    RUNS.append("counted")


def job_slow() -> None:
    # Long enough that a second scheduler reads the row while the first is still running.
    time.sleep(0.3)
    RUNS.append("slow")


def job_broken() -> None:
    RUNS.append("broken")
    raise RuntimeError("the platform is down")


@pytest.fixture(autouse=True)
def _runs() -> None:
    RUNS.clear()


@pytest.mark.django_db
@override_settings(SINERGI_PERIODIC_JOBS=[(JOB, 60)])
def test_a_job_runs_once_per_interval_and_again_when_the_interval_has_passed():
    start = timezone.now()

    first = periodic_jobs_run_due(now=start)
    same_interval = periodic_jobs_run_due(now=start + timedelta(seconds=59))
    next_interval = periodic_jobs_run_due(now=start + timedelta(seconds=60))

    assert (first, same_interval, next_interval) == ([JOB], [], [JOB])
    assert RUNS == ["counted", "counted"]
    job = PeriodicJob.objects.get(name=JOB)
    assert job.next_run_at == start + timedelta(seconds=120)
    assert job.last_error == ""


@pytest.mark.django_db
@override_settings(SINERGI_PERIODIC_JOBS=[(BROKEN, 60), (JOB, 60)])
def test_a_failing_job_is_recorded_and_the_next_job_still_runs():
    now = timezone.now()

    ran = periodic_jobs_run_due(now=now)

    assert ran == [BROKEN, JOB]
    assert RUNS == ["broken", "counted"]
    assert PeriodicJob.objects.get(name=BROKEN).last_error == "RuntimeError: the platform is down"
    # The failed job waits for its next interval like any other.
    assert periodic_jobs_run_due(now=now + timedelta(seconds=1)) == []


@pytest.mark.django_db
@override_settings(SINERGI_PERIODIC_JOBS=[(JOB, 60)])
def test_the_worker_scheduler_loop_survives_a_failing_round(monkeypatch):
    """The loop keeps going after an error that escapes a round (the database went away)."""
    rounds: list[int] = []
    stop = threading.Event()

    def flaky_round() -> list[str]:
        rounds.append(1)
        if len(rounds) == 1:
            raise RuntimeError("database is locked")
        if len(rounds) >= 3:
            stop.set()
        return []

    monkeypatch.setattr(worker, "periodic_jobs_run_due", flaky_round)
    monkeypatch.setattr(worker, "SCHEDULE_SECONDS", 0.01)
    thread = threading.Thread(target=worker._periodic_loop, args=(stop,))
    thread.start()
    thread.join(timeout=10)

    assert not thread.is_alive()
    assert len(rounds) == 3


def naive_job_claim(*, name: str, seconds: int, now: Any) -> bool:
    """What a scheduler without the conditional claim would do: read whether the job is due,
    and record the next run time as it starts it."""
    job, _created = PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
    if job.next_run_at > now:
        return False
    time.sleep(0.1)  # the time between reading the row and writing it, widened
    job.next_run_at = now + timedelta(seconds=seconds)
    job.save(update_fields=["next_run_at"])
    return True


@pytest.fixture(
    params=[
        "conditional_update",
        pytest.param(
            "naive",
            marks=pytest.mark.xfail(
                strict=True, reason="a read-then-write claim lets two workers run the job"
            ),
        ),
    ]
)
def claim(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "naive":
        monkeypatch.setattr(periodic, "periodic_job_claim", naive_job_claim)
    return str(request.param)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(SINERGI_PERIODIC_JOBS=[(SLOW, 60)])
def test_two_workers_in_one_interval_run_the_job_once(claim: str):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is only meaningful on PostgreSQL (SQLite serialises writers)")
    now = timezone.now()
    PeriodicJob.objects.create(name=SLOW, next_run_at=now - timedelta(seconds=1))
    schedulers = 4

    def scheduler(_index: int) -> list[str]:
        return periodic_jobs_run_due(now=now)

    ran = run_together(scheduler, range(schedulers))

    assert sorted(ran) == [[], [], [], [SLOW]]
    assert RUNS == ["slow"]
