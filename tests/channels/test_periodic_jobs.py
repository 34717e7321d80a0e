"""The channels jobs the workers run periodically (settings.SINERGI_PERIODIC_JOBS)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from sinergi.channels.models import VariantStatus
from sinergi.channels.services.posts import post_save, post_schedule
from sinergi.core.periodic import periodic_jobs_run_due
from sinergi.core.tenancy import tenant_context

pytestmark = pytest.mark.django_db


def test_the_worker_publishes_a_due_post_without_cron(fake, owner, connect, photo):
    org = owner.organisation
    post = post_save(
        organisation=org,
        author=owner.user,
        caption="Pagi",
        accounts=[connect(org, "instagram")],
        media=[photo(org)],
        scheduled_at=timezone.now() + timedelta(hours=1),
    )
    post_schedule(organisation=org, post=post, by=owner.user, can_approve=True)
    with tenant_context(org.pk):
        type(post).objects.filter(pk=post.pk).update(
            scheduled_at=timezone.now() - timedelta(minutes=1)
        )

    ran = periodic_jobs_run_due()

    assert [name for name, _seconds in settings.SINERGI_PERIODIC_JOBS] == ran
    with tenant_context(org.pk):
        assert post.variants.get().status == VariantStatus.PUBLISHED
    assert sum(fake.state.publishes.values()) == 1
    # Within the same minute, a second worker's scheduler queues nothing again.
    assert periodic_jobs_run_due() == []
