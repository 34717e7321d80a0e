"""Syncing post insights and follower counts from the platforms (a periodic job)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sinergi.channels.connectors.base import ConnectorError
from sinergi.channels.connectors.meta import FacebookPageClient, InstagramClient
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
    return None  # TikTok's video.list insights need an audited app: not synced yet


def metrics_sync_all(*, organisation_id: int, now: datetime | None = None) -> int:
    """Store one metric snapshot per recent published post and one follower count per
    account; returns how many snapshots were written. An account the platform refuses is
    marked (expired, missing permission) and skipped; the others carry on."""
    now = now or timezone.now()
    written = 0
    with tenant_context(organisation_id):
        accounts = ConnectedAccount.objects.filter(status=AccountStatus.ACTIVE).exclude(
            platform=Platform.WHATSAPP
        )
        for account in accounts:
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
    with transaction.atomic():
        PostMetric.objects.bulk_create(snapshots)
        AccountMetric.objects.create(
            organisation_id=account.organisation_id,
            account=account,
            captured_at=now,
            followers=followers,
        )
    return len(snapshots)
