"""TikTok video counts (``POST /v2/video/query/``, 20 ids at a time) and followers
(``GET /v2/user/info/``) into PostMetric and AccountMetric."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.channels.models import AccountMetric, AccountStatus, Post, PostMetric, PostVariant
from sinergi.channels.services.metrics import metrics_sync_all
from sinergi.core.tenancy import tenant_context

pytestmark = pytest.mark.django_db

SCOPES = ["user.info.basic", "user.info.stats", "video.list", "video.publish"]


def _published(account, count: int, *, days_ago: int = 1, first: int = 100) -> list[PostVariant]:
    org_id = account.organisation_id
    published_at = timezone.now() - timedelta(days=days_ago)
    variants = []
    with tenant_context(org_id):
        for n in range(count):
            post = Post.objects.create(organisation_id=org_id, caption=f"Video {n}")
            variants.append(
                PostVariant.objects.create(
                    organisation_id=org_id,
                    post=post,
                    account=account,
                    status="published",
                    platform_post_id=str(7446000000000000000 + first + n),
                    published_at=published_at,
                )
            )
    return variants


def test_counts_of_every_recent_video_in_batches_of_twenty_and_followers(fake, owner, connect):
    org = owner.organisation
    account = connect(org, "tiktok", scopes=SCOPES)
    variants = _published(account, 25)
    _published(account, 1, days_ago=40, first=900)  # too old to be fetched
    fake.state.tiktok_videos = {
        v.platform_post_id: {
            "like_count": 10 + i,
            "comment_count": 2,
            "share_count": 1,
            "view_count": 1000 + i,
        }
        for i, v in enumerate(variants)
        if i != 3  # a video TikTok no longer lists (made private, deleted)
    }

    written = metrics_sync_all(organisation_id=org.pk)

    assert written == 24
    batches = [p for m, path, p in fake.state.requests if path == "/v2/video/query/"]
    assert [len(b["filters"]["video_ids"]) for b in batches] == [20, 5]
    assert batches[0]["fields"] == "id,like_count,comment_count,share_count,view_count"
    with tenant_context(org.pk):
        metrics = {m.variant_id: m for m in PostMetric.objects.all()}
        followers = AccountMetric.objects.get(account=account).followers
    assert variants[3].pk not in metrics
    fifth = metrics[variants[4].pk]
    assert (fifth.likes, fifth.comments, fifth.shares, fifth.video_views) == (14, 2, 1, 1004)
    assert followers == 4321
    info = next(p for m, path, p in fake.state.requests if path == "/v2/user/info/")
    assert info == {"fields": "follower_count"}


def test_a_scope_the_shop_withheld_is_skipped_not_an_error(fake, owner, connect):
    org = owner.organisation
    account = connect(org, "tiktok", scopes=["user.info.basic", "video.publish"])
    _published(account, 2)

    assert metrics_sync_all(organisation_id=org.pk) == 0

    assert fake.state.requests == []
    with tenant_context(org.pk):
        assert not AccountMetric.objects.exists()
        assert account.status == AccountStatus.ACTIVE


def test_a_refused_token_without_a_refresh_token_marks_the_account(fake, owner, connect):
    org = owner.organisation
    account = connect(org, "tiktok", scopes=SCOPES, access_token="revoked")
    _published(account, 1)

    assert metrics_sync_all(organisation_id=org.pk) == 0

    with tenant_context(org.pk):
        stored = type(account).objects.get(pk=account.pk)
        assert not PostMetric.objects.exists()
    assert stored.status == AccountStatus.EXPIRED
    assert stored.status_reason == "The access token is invalid or not found in the request."


def test_a_rate_limit_pauses_the_account_and_writes_nothing(fake, owner, connect):
    org = owner.organisation
    account = connect(org, "tiktok", scopes=SCOPES)
    _published(account, 1)
    fake.state.fail(
        "/v2/video/query/",
        429,
        {"error": {"code": "rate_limit_exceeded", "message": "Too many", "log_id": "1"}},
    )

    assert metrics_sync_all(organisation_id=org.pk) == 0

    with tenant_context(org.pk):
        stored = type(account).objects.get(pk=account.pk)
        assert not AccountMetric.objects.exists()
    assert stored.status == AccountStatus.ACTIVE
    assert stored.rate_limited_until is not None
