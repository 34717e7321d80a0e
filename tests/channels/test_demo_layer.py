from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.accounts.models import Membership
from sinergi.channels import selectors
from sinergi.channels.models import (
    AccountMetric,
    ConnectedAccount,
    Conversation,
    Post,
    PostAttribution,
    PostMetric,
    PostVariant,
    PreviewDelivery,
)
from sinergi.channels.services.attribution import post_results
from sinergi.channels.services.metrics import metrics_sync_all
from sinergi.channels.services.posts import EDITABLE, variant_problems
from sinergi.commerce.models import Order, OrderLine
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.demo.generator import ecosystem_generate

pytestmark = pytest.mark.django_db


def test_demo_shops_get_preview_accounts_posts_metrics_and_conversations():
    ecosystem = ecosystem_generate(shops=6, seed=7)
    shop = ecosystem.shops[0]

    with across_tenants(reason="the test checks every shop"):
        assert ConnectedAccount.objects.filter(is_preview=False).count() == 0
        assert ConnectedAccount.objects.count() == 6 * 4
    with tenant_context(shop.pk):
        # 10 past posts on Instagram and Facebook, 4 TikTok videos; 2 coming on Facebook.
        assert PostVariant.objects.filter(status="published").count() == 24
        assert PostVariant.objects.filter(status="scheduled").count() == 2
        assert PostMetric.objects.exists()
        assert Conversation.objects.exists()
        assert (
            Conversation.objects.filter(customer__isnull=False).count()
            == Conversation.objects.count()
        )
        hours = selectors.best_hours()
    assert hours
    assert hours[0]["hour"] in (19, 20, 12, 16, 8)


def test_demo_tiktok_attribution_and_approvals_are_consistent():
    ecosystem = ecosystem_generate(shops=6, seed=7)
    now = timezone.now()
    shop_ids = [shop.pk for shop in ecosystem.shops]

    with across_tenants(reason="the test checks every shop"):
        # TikTok: one preview account per shop, follower history, past videos with views.
        tiktok = ConnectedAccount.objects.filter(platform="tiktok")
        assert sorted(tiktok.values_list("organisation_id", flat=True)) == sorted(shop_ids)
        for account in tiktok:
            assert account.is_preview
            assert account.external_id == f"preview-{account.organisation_id}-tiktok"
            history = list(
                AccountMetric.objects.filter(account=account)
                .order_by("captured_at")
                .values_list("followers", flat=True)
            )
            assert len(history) == 9
            assert history == sorted(history)
        videos = PostVariant.objects.filter(account__platform="tiktok")
        assert videos.count() == 6 * 4
        assert set(videos.values_list("status", flat=True)) == {"published"}
        assert all(v.platform_post_id and v.published_at < now for v in videos)
        tiktok_metrics = PostMetric.objects.filter(variant__account__platform="tiktok")
        assert tiktok_metrics.count() > 6 * 4
        for m in tiktok_metrics:
            assert (m.reach, m.impressions, m.saves) == (0, 0, 0)
            assert 0 < m.likes < m.video_views
        assert not PostMetric.objects.exclude(variant__account__platform="tiktok").filter(
            video_views__gt=0
        )

        # Whatever is still to go out would pass its platform's rules.
        upcoming = PostVariant.objects.filter(status__in=EDITABLE).select_related(
            "account", "post__product", "post__organisation"
        )
        assert upcoming
        for variant in upcoming:
            assert variant_problems(variant) == [], variant

        # Approval: staff's upcoming posts wait for the owner, only in shops with staff.
        staff = {}
        for organisation_id, user_id in Membership.objects.filter(
            organisation_id__in=shop_ids, role="staff"
        ).values_list("organisation_id", "user_id"):
            staff.setdefault(organisation_id, set()).add(user_id)
        # The demo staff sign-in works in both of the demo owner's shops.
        assert staff.get(ecosystem.shops[0].pk)
        assert staff.get(ecosystem.shops[1].pk)
        for shop_id in shop_ids:
            waiting = Post.objects.filter(
                organisation_id=shop_id, variants__status="awaiting_approval"
            ).distinct()
            if shop_id not in staff:
                assert not waiting.exists()
                continue
            assert 1 <= waiting.count() <= 2
            for post in waiting:
                assert post.created_by_id in staff[shop_id]
                assert post.approved_by_id is None
                assert post.approved_at is None
                assert post.scheduled_at > now
                assert set(post.variants.values_list("status", flat=True)) == {"awaiting_approval"}

        # Attribution: storefront orders of the same shop, within a week after a past post
        # about a product in the order; the latest such post wins; a share, not all of them.
        attributions = list(PostAttribution.objects.select_related("post", "order"))
        assert attributions
        posted: dict[tuple[int, int], list[Post]] = {}
        for post in Post.objects.filter(
            product__isnull=False, variants__status="published"
        ).distinct():
            posted.setdefault((post.organisation_id, post.product_id), []).append(post)
        eligible = {}
        for order in Order.objects.filter(channel="storefront", placed_at__lte=now):
            products = set(
                OrderLine.objects.filter(order=order).values_list("variant__product_id", flat=True)
            )
            candidates = [
                post
                for product_id in products
                for post in posted.get((order.organisation_id, product_id), [])
                if post.scheduled_at <= order.placed_at <= post.scheduled_at + timedelta(days=7)
            ]
            if candidates:
                eligible[order.pk] = max(candidates, key=lambda p: (p.scheduled_at, p.pk))
        assert 0 < len(attributions) < len(eligible)
        for a in attributions:
            assert a.order.channel == "storefront"
            assert a.organisation_id == a.order.organisation_id == a.post.organisation_id
            assert a.post_id == eligible[a.order_id].pk
            assert a.attributed_at == a.order.placed_at
            platforms = set(a.post.variants.values_list("account__platform", flat=True))
            assert a.source in platforms
            assert set(a.post.variants.values_list("status", flat=True)) == {"published"}

    post = attributions[0].post
    with tenant_context(post.organisation_id):
        mine = [a.order for a in attributions if a.post_id == post.pk]
        assert post_results(post) == {
            "orders": len(mine),
            "revenue": sum(order.total for order in mine),
        }

    # The demo's generated numbers survive the periodic metrics sync: a preview connection
    # has nothing to report, so it is not asked.
    shop = ecosystem.shops[0]
    with tenant_context(shop.pk):
        before = selectors.followers_latest()
        snapshots = PostMetric.objects.count()
    assert metrics_sync_all(organisation_id=shop.pk) == 0
    with tenant_context(shop.pk):
        assert selectors.followers_latest() == before
        assert PostMetric.objects.count() == snapshots
        assert not PreviewDelivery.objects.exists()
