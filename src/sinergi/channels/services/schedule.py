"""What is due across all shops (for the channels_tick command)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from sinergi.channels.models import AccountStatus, ConnectedAccount, PostVariant, VariantStatus
from sinergi.core.tenancy import across_tenants


def due_variants(*, now: datetime | None = None) -> list[tuple[int, int]]:
    """(variant id, organisation id) of every variant whose next publish step is due."""
    now = now or timezone.now()
    with across_tenants(reason="the scheduler looks for due posts of every shop"):
        return list(
            PostVariant.objects.filter(
                Q(status__in=(VariantStatus.SCHEDULED, VariantStatus.PUBLISHING)),
                Q(post__scheduled_at__lte=now),
                Q(lease_until__isnull=True) | Q(lease_until__lt=now),
                Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            ).values_list("pk", "organisation_id")
        )


def metric_organisations() -> list[int]:
    """Shops with at least one active account to sync metrics from."""
    with across_tenants(reason="the scheduler queues metric syncs of every shop"):
        return sorted(
            set(
                ConnectedAccount.objects.filter(status=AccountStatus.ACTIVE).values_list(
                    "organisation_id", flat=True
                )
            )
        )
