"""Reads for the channels pages (call inside the request's tenant context)."""

from __future__ import annotations

import calendar as calendar_module
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from sinergi.channels.models import (
    AccountMetric,
    ConnectedAccount,
    Conversation,
    Post,
    PostMetric,
    PostVariant,
    PreviewDelivery,
    VariantStatus,
)
from sinergi.channels.models.accounts import PUBLISHING_PLATFORMS


def accounts_list() -> QuerySet[ConnectedAccount]:
    return ConnectedAccount.objects.order_by("platform", "name")


def publishing_accounts() -> QuerySet[ConnectedAccount]:
    return ConnectedAccount.objects.filter(platform__in=PUBLISHING_PLATFORMS).order_by(
        "platform", "name"
    )


def conversations_list(*, unread_only: bool = False) -> QuerySet[Conversation]:
    rows = Conversation.objects.select_related("account", "customer")
    if unread_only:
        rows = rows.filter(unread__gt=0)
    return rows.order_by("-last_message_at", "-pk")


def conversation_detail(pk: int) -> Conversation:
    return Conversation.objects.select_related("account", "customer").get(pk=pk)


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    variants: list[PostVariant] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.day == timezone.localdate()


def calendar_days(*, anchor: date, week: bool) -> list[CalendarDay]:
    """The days of the month (whole weeks, Monday first) or the week around ``anchor``,
    each with the variants scheduled or published that day."""
    if week:
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=7)
    else:
        first = anchor.replace(day=1)
        last = anchor.replace(day=calendar_module.monthrange(anchor.year, anchor.month)[1])
        start = first - timedelta(days=first.weekday())
        end = last + timedelta(days=7 - last.weekday())
    zone = timezone.get_current_timezone()
    variants = (
        PostVariant.objects.select_related("account", "post")
        .filter(
            post__scheduled_at__gte=datetime.combine(start, time.min, zone),
            post__scheduled_at__lt=datetime.combine(end, time.min, zone),
        )
        .order_by("post__scheduled_at", "account__platform")
    )
    days = {
        start + timedelta(days=n): CalendarDay(
            start + timedelta(days=n), week or (start + timedelta(days=n)).month == anchor.month
        )
        for n in range((end - start).days)
    }
    for variant in variants:
        scheduled = variant.post.scheduled_at
        if scheduled is not None:
            days[timezone.localtime(scheduled).date()].variants.append(variant)
    return list(days.values())


def posts_awaiting_approval() -> QuerySet[Post]:
    """Posts staff sent for approval that no owner has approved or sent back yet."""
    return (
        Post.objects.filter(variants__status=VariantStatus.AWAITING_APPROVAL)
        .distinct()
        .select_related("created_by")
        .order_by("scheduled_at", "pk")
    )


def posts_unscheduled() -> QuerySet[Post]:
    return Post.objects.filter(scheduled_at__isnull=True).order_by("-created_at")[:20]


def post_detail(pk: int) -> Post:
    latest = PostMetric.objects.order_by("-captured_at")
    return (
        Post.objects.select_related("product", "created_by", "approved_by")
        .prefetch_related(
            "media_links__media",
            Prefetch(
                "variants",
                PostVariant.objects.select_related("account").prefetch_related(
                    Prefetch("metrics", latest)
                ),
            ),
        )
        .get(pk=pk)
    )


def post_previews(post: Post) -> QuerySet[PreviewDelivery]:
    account_ids = [v.account_id for v in post.variants.all() if v.account.is_preview]
    return PreviewDelivery.objects.filter(account_id__in=account_ids).order_by(
        "-created_at", "-pk"
    )[:20]


def followers_latest() -> dict[int, int]:
    """The latest follower count of each account."""
    counts: dict[int, int] = {}
    for account_id, followers in AccountMetric.objects.order_by(
        "account_id", "-captured_at"
    ).values_list("account_id", "followers"):
        counts.setdefault(account_id, followers)
    return counts


def best_hours(*, limit: int = 3) -> list[dict[str, Any]]:
    """The hours of the day when the shop's own past posts got the most engagement per post
    (latest snapshot of each published variant); [] until there are posts with metrics."""
    by_hour: dict[int, list[int]] = {}
    seen: set[int] = set()
    rows = (
        PostMetric.objects.filter(variant__status=VariantStatus.PUBLISHED)
        .order_by("variant_id", "-captured_at")
        .values_list("variant_id", "variant__published_at", "likes", "comments", "shares", "saves")
    )
    for variant_id, published_at, *counts in rows:
        if variant_id in seen or published_at is None:
            continue
        seen.add(variant_id)
        by_hour.setdefault(timezone.localtime(published_at).hour, []).append(sum(counts))
    ranked = sorted(by_hour.items(), key=lambda item: -sum(item[1]) / len(item[1]))
    return [
        {"hour": hour, "posts": len(values), "average": round(sum(values) / len(values))}
        for hour, values in ranked[:limit]
    ]


def unread_count() -> int:
    return int(Conversation.objects.filter(unread__gt=0).aggregate(n=Count("pk"))["n"])
