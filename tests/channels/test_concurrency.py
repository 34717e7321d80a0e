"""Two workers on the same post at once (a slow one and the one the stale-task sweeper
started): the lease lets one through, and the post is published once. Needs PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sinergi.channels.services.posts import post_save, post_schedule
from sinergi.channels.services.publishing import Outcome, variant_publish_step
from sinergi.core.tenancy import tenant_context

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_steps_publish_once(fake, owner, connect, photo):
    org = owner.organisation
    account = connect(org, "instagram")
    post = post_save(
        organisation=org,
        author=owner.user,
        caption="Serentak",
        accounts=[account],
        media=[photo(org)],
        scheduled_at=timezone.now() + timedelta(hours=1),
    )
    post_schedule(organisation=org, post=post, by=owner.user, can_approve=True)
    with tenant_context(org.pk):
        variant = post.variants.get()
    later = timezone.now() + timedelta(hours=2)
    start = threading.Barrier(8)
    outcomes: list[Outcome] = []

    def worker() -> None:
        try:
            start.wait()
            result = variant_publish_step(variant_id=variant.pk, organisation_id=org.pk, now=later)
            outcomes.append(result.outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == sorted([Outcome.PUBLISHED] + [Outcome.SKIPPED] * 7)
    assert sum(fake.state.publishes.values()) == 1
    assert fake.state.calls("/media", "POST") == 1
