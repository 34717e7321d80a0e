"""Syncing post insights and follower counts from the platforms (a periodic job)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sinergi.channels.connectors.base import ConnectorError
from sinergi.channels.connectors.meta import FacebookPageClient, InstagramClient
from sinergi.channels.connectors.tiktok import TikTokClient
from sinergi.channels.models import (
    AccountMetric,
    AccountStatus,
    ConnectedAccount,
    Platform,
    PostMetric,
    PostVariant,
    VariantStatus,
)
from sinergi.channels.services.accounts import (
    account_error_record,
    account_token,
    account_transport,
)
from sinergi.channels.services.tiktok_connect import tiktok_call
from sinergi.core.tenancy import tenant_context

logger = logging.getLogger(__name__)
# Insights of posts older than this barely change; they are no longer fetched.
METRICS_WINDOW = timedelta(days=30)


def _client(account: ConnectedAccount) -> InstagramClient | FacebookPageClient | None:
    token, transport = account_token(account), account_transport(account)
    if account.platform == Platform.INSTAGRAM:
        return InstagramClient(token=token, transport=transport, ig_user_id=account.external_id)
    if account.platform == Platform.FACEBOOK:
        return FacebookPageClient(token=token, transport=transport, page_id=account.external_id)
    return None


def metrics_sync_all(*, organisation_id: int, now: datetime | None = None) -> int:
    """Store one metric snapshot per recent published post and one follower count per
    account; returns how many snapshots were written. An account the platform refuses is
    marked (expired, missing permission) and skipped; the others carry on."""
    now = now or timezone.now()
    written = 0
    with tenant_context(organisation_id):
        # A preview connection publishes nothing, so it has no insights: asking it would only
        # store zeros over the numbers the shop sees (the demo's generated ones).
        accounts = ConnectedAccount.objects.filter(
            status=AccountStatus.ACTIVE, is_preview=False
        ).exclude(platform=Platform.WHATSAPP)
        for account in accounts:
            if account.platform == Platform.TIKTOK:
                written += _tiktok_account_sync(account, now)
                continue
            client = _client(account)
            if client is None:
                continue
            try:
                written += _account_sync(account, client, now)
            except ConnectorError as error:
                account_error_record(account=account, error=error)
                logger.warning("metrics of %s not synced: %s", account.pk, error)
    return written


def _account_sync(
    account: ConnectedAccount, client: InstagramClient | FacebookPageClient, now: datetime
) -> int:
    variants = PostVariant.objects.filter(
        account=account,
        status=VariantStatus.PUBLISHED,
        published_at__gte=now - METRICS_WINDOW,
    ).exclude(platform_post_id="")
    snapshots = []
    for variant in variants:
        if isinstance(client, InstagramClient):
            values = client.media_insights(variant.platform_post_id)
        else:
            values = client.post_insights(variant.platform_post_id)
        snapshots.append(
            PostMetric(
                organisation_id=account.organisation_id, variant=variant, captured_at=now, **values
            )
        )
    followers = client.followers()
    return _metrics_save(account, snapshots, followers=followers, now=now)


def _metrics_save(
    account: ConnectedAccount, snapshots: list[PostMetric], *, followers: int | None, now: datetime
) -> int:
    """Store the posts' counts and the account's followers (``None``: not read) together;
    return how many posts were counted."""
    with transaction.atomic():
        PostMetric.objects.bulk_create(snapshots)
        if followers is not None:
            AccountMetric.objects.create(
                organisation_id=account.organisation_id,
                account=account,
                captured_at=now,
                followers=followers,
            )
    return len(snapshots)


# --- TikTok -------------------------------------------------------------------------------

TIKTOK_BATCH = 20  # POST /v2/video/query/ answers for at most 20 videos
_TIKTOK_FIELDS = {
    "like_count": "likes",
    "comment_count": "comments",
    "share_count": "shares",
    "view_count": "video_views",
}


def _tiktok_account_sync(account: ConnectedAccount, now: datetime) -> int:
    """Counts of the account's recent videos (scope ``video.list``) and its followers
    (``user.info.stats``); a scope the shop did not grant is skipped, not an error."""
    try:
        return tiktok_call(account, lambda client: _tiktok_sync(account, client, now), now=now)
    except ConnectorError as error:
        account_error_record(account=account, error=error)
        logger.warning("metrics of %s not synced: %s", account.pk, error)
        return 0


def _tiktok_sync(account: ConnectedAccount, client: TikTokClient, now: datetime) -> int:
    snapshots = []
    if "video.list" in account.scopes:
        variants = {
            v.platform_post_id: v
            for v in PostVariant.objects.filter(
                account=account,
                status=VariantStatus.PUBLISHED,
                published_at__gte=now - METRICS_WINDOW,
            ).exclude(platform_post_id="")
        }
        ids = sorted(variants)
        for start in range(0, len(ids), TIKTOK_BATCH):
            for video in client.video_query(ids[start : start + TIKTOK_BATCH]):
                variant = variants.get(str(video.get("id", "")))
                if variant is None:
                    continue
                values = {
                    field: int(video.get(name) or 0) for name, field in _TIKTOK_FIELDS.items()
                }
                snapshots.append(
                    PostMetric(
                        organisation_id=account.organisation_id,
                        variant=variant,
                        captured_at=now,
                        **values,
                    )
                )
    followers = None
    if "user.info.stats" in account.scopes:
        followers = int(client.user_info("follower_count").get("follower_count") or 0)
    return _metrics_save(account, snapshots, followers=followers, now=now)
