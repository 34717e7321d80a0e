"""The post page of what was already published: counts each platform reports, the orders it
brought and by which platform, and no rules or edit button that no longer apply."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.channels.models import PostAttribution, PostMetric, PostVariant, VariantStatus
from sinergi.channels.services.posts import post_save
from sinergi.commerce.api import VariantInput, order_place, product_create, stock_receive
from sinergi.core.tenancy import tenant_context

pytestmark = pytest.mark.django_db


def _published(owner, connect, platforms):
    """A post without a file (as the demo's are), published on ``platforms`` a day ago."""
    org = owner.organisation
    post = post_save(
        organisation=org,
        author=owner.user,
        caption="Keripik pedas",
        accounts=[connect(org, platform) for platform in platforms],
    )
    when = timezone.now() - timedelta(days=1)
    with tenant_context(org.pk):
        for variant in PostVariant.objects.filter(post=post).select_related("account"):
            variant.status = VariantStatus.PUBLISHED
            variant.published_at = when
            variant.platform_post_id = f"{variant.account.platform}-1"
            variant.save()
    return post


def test_a_tiktok_video_shows_views_not_reach_or_saves(owner, connect, signed_in):
    post = _published(owner, connect, ["tiktok", "instagram"])
    org = owner.organisation
    with tenant_context(org.pk):
        tiktok = PostVariant.objects.get(post=post, account__platform="tiktok")
        instagram = PostVariant.objects.get(post=post, account__platform="instagram")
        PostMetric.objects.create(
            organisation=org, variant=tiktok, video_views=4321, likes=210, comments=9, shares=17
        )
        PostMetric.objects.create(
            organisation=org, variant=instagram, reach=800, likes=40, comments=3, saves=6
        )

    page = signed_in(owner.user).get(f"/app/channels/posts/{post.pk}/").content.decode()

    tiktok_html = page.split(f'id="variant-{tiktok.pk}"')[1].split("</li>")[0]
    instagram_html = page.split(f'id="variant-{instagram.pk}"')[1].split("</li>")[0]
    assert "Views 4321 · Likes 210 · Comments 9 · Shares 17" in tiktok_html
    assert "Reach" not in tiktok_html
    assert "Saves" not in tiktok_html
    assert "Reach 800 · Likes 40 · Comments 3 · Shares 0 · Saves 6" in instagram_html


def test_a_published_post_shows_no_rules_and_no_edit_button(owner, connect, signed_in):
    post = _published(owner, connect, ["tiktok", "instagram"])

    page = signed_in(owner.user).get(f"/app/channels/posts/{post.pk}/").content.decode()

    # Without a file TikTok and Instagram would refuse it, but it went out already.
    assert "needs a video" not in page
    assert "needs a photo" not in page
    assert f"/app/channels/posts/{post.pk}/edit/" not in page


def test_a_draft_still_shows_its_rules_and_edit_button(owner, connect, signed_in):
    org = owner.organisation
    post = post_save(
        organisation=org, author=owner.user, caption="Keripik", accounts=[connect(org, "tiktok")]
    )

    page = signed_in(owner.user).get(f"/app/channels/posts/{post.pk}/").content.decode()

    assert "TikTok needs a video." in page
    assert f"/app/channels/posts/{post.pk}/edit/" in page


def test_an_attributed_order_names_the_platform_it_came_from(owner, connect, signed_in):
    post = _published(owner, connect, ["tiktok"])
    org = owner.organisation
    product = product_create(
        organisation=org, name="Keripik", variants=[VariantInput(sku="KP", price=15000)]
    )
    with tenant_context(org.pk):
        variant = product.variants.get()
    stock_receive(organisation=org, variant=variant, quantity=5)
    order = order_place(organisation=org, channel="storefront", lines=[(variant.pk, 2)])
    with tenant_context(org.pk):
        PostAttribution.objects.create(organisation=org, post=post, order=order, source="tiktok")

    page = signed_in(owner.user).get(f"/app/channels/posts/{post.pk}/").content.decode()

    assert order.number in page
    assert "via TikTok" in page
