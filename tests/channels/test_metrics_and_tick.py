from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sinergi.channels.models import AccountMetric, PostMetric, PostVariant, VariantStatus
from sinergi.channels.services.metrics import metrics_sync_all
from sinergi.channels.services.posts import post_save, post_schedule
from sinergi.core.tenancy import tenant_context
from tests.channels import fakes

pytestmark = pytest.mark.django_db


def _published(owner, account, platform_id):
    org = owner.organisation
    post = post_save(
        organisation=org,
        author=owner.user,
        caption="x",
        accounts=[account],
        scheduled_at=timezone.now() + timedelta(hours=1),
    )
    with tenant_context(org.pk):
        variant = post.variants.get()
        PostVariant.objects.filter(pk=variant.pk).update(
            status=VariantStatus.PUBLISHED,
            platform_post_id=platform_id,
            published_at=timezone.now(),
        )
    return variant


def test_metrics_sync_stores_insights_and_followers(fake, owner, connect):
    org = owner.organisation
    variant = _published(owner, connect(org, "instagram"), "17900000000000001")

    assert metrics_sync_all(organisation_id=org.pk) == 1

    with tenant_context(org.pk):
        metric = PostMetric.objects.get(variant=variant)
        followers = AccountMetric.objects.get().followers
    assert (
        metric.reach,
        metric.video_views,
        metric.likes,
        metric.comments,
        metric.shares,
        metric.saves,
    ) == (900, 1500, 120, 14, 9, 30)
    assert followers == 1234


def test_metrics_sync_marks_an_expired_account_and_keeps_going(fake, owner, connect):
    org = owner.organisation
    _published(owner, connect(org, "instagram", access_token="dead"), "1")
    _published(owner, connect(org, "facebook"), "104_1")
    fake.state.fail("/insights", 400, fakes.PAGE_RATE_LIMITED, times=0)

    assert metrics_sync_all(organisation_id=org.pk) == 1
    with tenant_context(org.pk):
        assert sorted(PostVariant.objects.values_list("account__platform", "account__status")) == [
            ("facebook", "active"),
            ("instagram", "expired"),
        ]


def test_the_tick_queues_due_posts_once_their_time_has_come(fake, owner, connect, photo):
    org = owner.organisation
    account = connect(org, "instagram")
    post = post_save(
        organisation=org,
        author=owner.user,
        caption="Pagi",
        accounts=[account],
        media=[photo(org)],
        scheduled_at=timezone.now() + timedelta(hours=1),
    )
    post_schedule(organisation=org, post=post, by=owner.user, can_approve=True)

    call_command("channels_tick")
    with tenant_context(org.pk):
        assert post.variants.get().status == VariantStatus.SCHEDULED
        type(post).objects.filter(pk=post.pk).update(
            scheduled_at=timezone.now() - timedelta(minutes=1)
        )
    call_command("channels_tick", "--metrics")

    with tenant_context(org.pk):
        assert post.variants.get().status == VariantStatus.PUBLISHED
    assert sum(fake.state.publishes.values()) == 1
