"""Attributing storefront orders to the posts whose links brought the buyer.

A post's storefront link carries ``utm_campaign=post-<id>`` (see ``posts.storefront_link``).
The storefront remembers the campaign in the visitor's session when they land
(:func:`campaign_remember`), and after placing the order asks for it to be attributed
(:func:`order_attribute_from_session`). Last click wins, within seven days.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from sinergi.accounts.api import Organisation
from sinergi.channels.models import Post, PostAttribution
from sinergi.commerce.api import Order
from sinergi.core.tenancy import tenant_context

SESSION_KEY = "sinergi_post_campaign"
WINDOW = timedelta(days=7)
CAMPAIGN = re.compile(r"^post-(\d{1,18})$")


def campaign_remember(
    session: MutableMapping[str, Any], query: Mapping[str, str], *, now: datetime | None = None
) -> None:
    """Keep ``utm_campaign=post-<id>`` (and its source) of a landing page in the session."""
    match = CAMPAIGN.match(query.get("utm_campaign", ""))
    if match is None:
        return
    session[SESSION_KEY] = {
        "post": int(match.group(1)),
        "source": query.get("utm_source", "")[:20],
        "at": (now or timezone.now()).isoformat(),
    }


def order_attribute(
    *, organisation: Organisation, order: Order, post_id: int, source: str = ""
) -> PostAttribution | None:
    """Attribute ``order`` to the shop's post ``post_id``; None when the post is not the
    shop's. Idempotent: an order already attributed keeps its first attribution."""
    with tenant_context(organisation.pk):
        if order.organisation_id != organisation.pk or not Post.objects.filter(pk=post_id).exists():
            return None
        existing = PostAttribution.objects.filter(order=order).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return PostAttribution.objects.create(
                    organisation=organisation, post_id=post_id, order=order, source=source
                )
        except IntegrityError:  # attributed concurrently
            return PostAttribution.objects.get(order=order)


def order_attribute_from_session(
    *,
    organisation: Organisation,
    order: Order,
    session: Mapping[str, Any],
    now: datetime | None = None,
) -> PostAttribution | None:
    """Attribute an order to the post remembered in the session, if recent enough."""
    remembered = session.get(SESSION_KEY)
    if not isinstance(remembered, dict):
        return None
    try:
        at = datetime.fromisoformat(str(remembered["at"]))
        post_id = int(remembered["post"])
    except (KeyError, TypeError, ValueError):
        return None
    if (now or timezone.now()) - at > WINDOW:
        return None
    return order_attribute(
        organisation=organisation,
        order=order,
        post_id=post_id,
        source=str(remembered.get("source", "")),
    )


def post_results(post: Post) -> dict[str, int]:
    """How many orders the post brought, and their revenue in rupiah (call in tenant context)."""
    totals = PostAttribution.objects.filter(post=post).aggregate(
        orders=Count("pk"), revenue=Sum("order__total")
    )
    return {"orders": int(totals["orders"] or 0), "revenue": int(totals["revenue"] or 0)}
