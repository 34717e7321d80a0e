"""Recovery on top of the database task queue (see docs/adr/0002-task-queue.md).

The queue marks a task RUNNING when a worker claims it and never hands it out again, so a
worker killed mid-task would leave it stranded. Every Sinergi task is idempotent, which makes
running such a task again safe: this puts tasks RUNNING for longer than the stale limit back
in the queue, turning at-most-once delivery into at-least-once.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def stale_tasks_requeue(*, now: datetime | None = None) -> int:
    """Return tasks whose worker went away to READY; returns how many."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.SINERGI_TASK_STALE_AFTER_SECONDS)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=limit
    ).update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("put %d stale task(s) back in the queue", count)
    return count
