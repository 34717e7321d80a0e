"""Periodic jobs run by the workers themselves, without cron (see docs/adr/0002-task-queue.md).

``SINERGI_PERIODIC_JOBS`` lists ``(dotted path, seconds)`` pairs. Every ``sinergi worker``
runs a scheduler thread that calls :func:`periodic_jobs_run_due` every few seconds. A job
runs at most once per interval across all the workers sharing the database: a worker runs it
only after winning the claim, a conditional UPDATE of the job's :class:`PeriodicJob` row.

Core names the jobs only by their dotted paths (core imports no app). A path may name a
django-tasks task, which is then enqueued, or a plain function, which is called; jobs should
be short and only queue the real work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from sinergi.core.models import PeriodicJob

logger = logging.getLogger(__name__)


def periodic_jobs() -> list[tuple[str, int]]:
    """The configured jobs and their intervals in seconds."""
    return [(str(path), int(seconds)) for path, seconds in settings.SINERGI_PERIODIC_JOBS]


def periodic_job_claim(*, name: str, seconds: int, now: datetime) -> bool:
    """Take the job's current interval for this worker; False when it is not due or another
    worker took it.

    The claim is one UPDATE whose WHERE re-checks that the job is due. On PostgreSQL a second
    worker's UPDATE waits for the first one's row lock, then re-reads the row, finds it no
    longer due and updates nothing; SQLite serialises the writers.
    """
    PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
    claimed = PeriodicJob.objects.filter(name=name, next_run_at__lte=now).update(
        next_run_at=now + timedelta(seconds=seconds), last_started_at=now
    )
    return claimed == 1


def periodic_job_run(name: str) -> None:
    """Run (or enqueue) the job at ``name`` and record how it ended; never raises."""
    error = ""
    try:
        job: Any = import_string(name)
        enqueue: Callable[[], Any] | None = getattr(job, "enqueue", None)
        if enqueue is not None:
            enqueue()
        else:
            job()
    except Exception as exc:  # one failing job must not stop the others
        logger.exception("periodic job %s failed", name)
        error = f"{type(exc).__name__}: {exc}"[:500]
    PeriodicJob.objects.filter(name=name).update(last_finished_at=timezone.now(), last_error=error)


def periodic_jobs_run_due(*, now: datetime | None = None) -> list[str]:
    """Run every job whose interval has come and that no other worker claimed; returns
    the names of the jobs this call ran (including those that failed)."""
    now = now or timezone.now()
    jobs = periodic_jobs()
    # One read for all jobs: a round where nothing is due writes nothing (the demo's SQLite
    # file is shared with the web server). The claim itself re-checks that a job is due.
    next_runs = dict(
        PeriodicJob.objects.filter(name__in=[name for name, _ in jobs]).values_list(
            "name", "next_run_at"
        )
    )
    ran = []
    for name, seconds in jobs:
        if name in next_runs and next_runs[name] > now:
            continue
        if periodic_job_claim(name=name, seconds=seconds, now=now):
            periodic_job_run(name)
            ran.append(name)
    return ran
