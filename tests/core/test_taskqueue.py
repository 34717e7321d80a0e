from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sinergi.accounts.tasks import invitation_send
from sinergi.core.taskqueue import stale_tasks_requeue

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DATABASE_TASKS, SINERGI_TASK_STALE_AFTER_SECONDS=600)
def test_a_task_whose_worker_died_is_queued_again_and_a_live_one_is_not():
    stranded = invitation_send.enqueue(invitation_id=1, organisation_id=1)
    running = invitation_send.enqueue(invitation_id=2, organisation_id=1)
    now = timezone.now()
    DBTaskResult.objects.filter(id=stranded.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(minutes=11)
    )
    DBTaskResult.objects.filter(id=running.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(minutes=2)
    )

    requeued = stale_tasks_requeue(now=now)

    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("id", "status")}
    assert requeued == 1
    assert statuses[stranded.id] == TaskResultStatus.READY
    assert statuses[running.id] == TaskResultStatus.RUNNING
