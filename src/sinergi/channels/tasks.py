"""Background tasks of the channels app (see docs/adr/0002-task-queue.md).

Arguments are ids; every task re-reads durable state and is safe to run twice.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from sinergi.channels.services.approvals import approval_decision_mail, approval_request_mail
from sinergi.channels.services.metrics import metrics_sync_all
from sinergi.channels.services.publishing import Outcome, variant_publish_step
from sinergi.channels.services.schedule import due_variants, metric_organisations


def variant_publish_enqueue(
    *, variant_id: int, organisation_id: int, run_after: datetime | None = None
) -> None:
    """Queue a publish step, deferred to ``run_after`` where the backend can defer.

    A backend that cannot defer (the immediate one of the tests) runs only steps that are
    due now; a later step is then left to ``channels_publish_due``.
    """
    publishing = variant_publish.using(queue_name="publishing")
    if run_after is not None and run_after > timezone.now():
        if not publishing.get_backend().supports_defer:
            return
        publishing = publishing.using(run_after=run_after)
    publishing.enqueue(variant_id=variant_id, organisation_id=organisation_id)


@task(queue_name="publishing")
def variant_publish(*, variant_id: int, organisation_id: int) -> str:
    """Advance a post variant's publishing by one step and queue the next step if needed."""
    result = variant_publish_step(variant_id=variant_id, organisation_id=organisation_id)
    if result.outcome in (Outcome.WAITING, Outcome.RETRY):
        variant_publish_enqueue(
            variant_id=variant_id, organisation_id=organisation_id, run_after=result.run_after
        )
    return result.outcome.value


@task()
def metrics_sync(*, organisation_id: int) -> int:
    """Fetch insights of the shop's published posts and its follower counts."""
    return metrics_sync_all(organisation_id=organisation_id)


@task()
def post_approval_request_send(*, post_id: int, organisation_id: int) -> int:
    """E-mail the shop's owners that a post waits for their approval."""
    return approval_request_mail(post_id=post_id, organisation_id=organisation_id)


@task()
def post_approval_decision_send(
    *, post_id: int, organisation_id: int, decision: str, by_id: int
) -> int:
    """E-mail a post's author that an owner approved it or sent it back."""
    return approval_decision_mail(
        post_id=post_id, organisation_id=organisation_id, decision=decision, by_id=by_id
    )


def publishing_due_queue() -> int:
    """Queue the publish steps that are due (a periodic job, and ``channels_tick``).

    Publish steps are queued with a deferred start when a post is scheduled; this re-derives
    due work from the posts themselves, the safety net for a lost enqueue or a backend that
    cannot defer. Returns how many steps it queued."""
    due = due_variants()
    for variant_id, organisation_id in due:
        variant_publish_enqueue(variant_id=variant_id, organisation_id=organisation_id)
    return len(due)


def metrics_due_queue() -> int:
    """Queue a metrics sync for every shop with published posts or connected accounts (a
    periodic job, and ``channels_tick --metrics``). Returns how many syncs it queued."""
    queued = 0
    for organisation_id in metric_organisations():
        metrics_sync.enqueue(organisation_id=organisation_id)
        queued += 1
    return queued
