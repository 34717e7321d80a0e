"""Attribution end to end: a buyer lands on the storefront through a post's link, checks out,
and the post's page counts the order (storefront → middleware → signal → channels)."""

from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sinergi.channels.models import PostAttribution
from sinergi.channels.services.attribution import SESSION_KEY, post_results
from sinergi.channels.services.posts import post_save, storefront_link
from sinergi.commerce.api import storefront_order_placed
from sinergi.core.tenancy import across_tenants, tenant_context
from tests.commerce.conftest import variant_make
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def kopi(owner):
    shop = owner.organisation
    return variant_make(shop, name="Kopi Gayo", sku="KOPI-1", price=45_000, stock=10)


def _post(org, author, account, product):
    return post_save(
        organisation=org, author=author, caption="Kopi baru", accounts=[account], product=product
    )


def _link(org, product, post, platform="instagram") -> str:
    """The path and query of the post's storefront link, as the buyer's browser opens it."""
    parts = urlsplit(
        storefront_link(organisation=org, product=product, platform=platform, post_id=post.pk)
    )
    return f"{parts.path}?{parts.query}"


def _buy(client: Client, shop, variant, quantity: int = 2):
    client.post(
        reverse("commerce:storefront_cart_add", args=[shop.slug]),
        {"product": variant.product_id, "variant": variant.pk, "quantity": quantity},
    )
    response = client.post(
        reverse("commerce:storefront_checkout", args=[shop.slug]),
        {
            "name": "Dewi Lestari",
            "phone": "0813 1111 2222",
            "address": "Jl. Kaliurang km 5, Sleman",
            "delivery_note": "",
            "payment_method": "bank_transfer",
            "expected_total": str(variant.price * quantity),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def _attributions():
    with across_tenants(reason="test reads every attribution"):
        return list(PostAttribution.objects.values_list("post_id", "order__number", "source"))


def test_an_order_after_landing_through_a_posts_link_counts_on_the_posts_page(
    owner, connect, signed_in, kopi
):
    shop = owner.organisation
    post = _post(shop, owner.user, connect(shop, "instagram"), kopi.product)
    buyer = Client()

    landing = buyer.get(_link(shop, kopi.product, post))
    _buy(buyer, shop, kopi, quantity=2)

    assert landing.status_code == 200
    [(post_id, number, source)] = _attributions()
    assert (post_id, source) == (post.pk, "instagram")
    with tenant_context(shop.pk):
        assert post_results(post) == {"orders": 1, "revenue": 90_000}
    page = signed_in(owner.user).get(reverse("channels:post_detail", args=[post.pk]))
    html = page.content.decode()
    assert "1 order, Rp\xa090,000" in html
    assert number in html


def test_the_link_counts_when_the_page_was_already_cached_for_others(
    owner, connect, kopi, django_assert_num_queries
):
    shop = owner.organisation
    post = _post(shop, owner.user, connect(shop, "facebook"), kopi.product)
    url = reverse("commerce:storefront_product", args=[shop.slug, kopi.product.slug])
    Client().get(url)  # warms the cache
    buyer = Client()

    with CaptureQueriesContext(connection) as landing:
        buyer.get(_link(shop, kopi.product, post, platform="facebook"))
    # The page came from the cache: the only statements are the session being saved.
    statements = [q["sql"] for q in landing.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert statements
    assert all('"django_session"' in sql for sql in statements), statements
    _buy(buyer, shop, kopi, quantity=1)

    assert [(p, s) for p, _n, s in _attributions()] == [(post.pk, "facebook")]


def test_a_cached_page_without_a_campaign_still_costs_no_query_and_no_session(
    owner, connect, kopi, django_assert_num_queries
):
    shop = owner.organisation
    url = reverse("commerce:storefront_product", args=[shop.slug, kopi.product.slug])
    Client().get(url)
    visitor = Client()

    with django_assert_num_queries(0):
        page = visitor.get(url + "?utm_source=instagram&utm_campaign=summer-sale")
    with django_assert_num_queries(0):
        visitor.get(url)

    assert page.status_code == 200
    assert "sessionid" not in visitor.cookies


def test_no_attribution_without_the_campaign(owner, connect, kopi):
    shop = owner.organisation
    _post(shop, owner.user, connect(shop, "instagram"), kopi.product)
    buyer = Client()

    buyer.get(reverse("commerce:storefront_product", args=[shop.slug, kopi.product.slug]))
    _buy(buyer, shop, kopi)

    assert _attributions() == []


def test_no_attribution_to_a_post_of_another_shop(owner, connect, kopi):
    shop = owner.organisation
    other = OrganisationFactory(name="Toko Lain")
    foreign_product = variant_make(other, name="Teh", sku="TEH-1", price=10_000, stock=5)
    foreign = _post(other, owner.user, connect(other, "instagram"), foreign_product.product)
    buyer = Client()

    # The other shop's post link names a post id this shop does not have.
    buyer.get(
        reverse("commerce:storefront_product", args=[shop.slug, kopi.product.slug])
        + f"?utm_source=instagram&utm_campaign=post-{foreign.pk}"
    )
    _buy(buyer, shop, kopi)

    assert buyer.session[SESSION_KEY]["post"] == foreign.pk
    assert _attributions() == []


def test_no_attribution_more_than_seven_days_after_the_click(owner, connect, kopi):
    shop = owner.organisation
    post = _post(shop, owner.user, connect(shop, "instagram"), kopi.product)
    buyer = Client()

    eight_days_ago = timezone.now() - timedelta(days=8)
    with mock.patch("django.utils.timezone.now", return_value=eight_days_ago):
        buyer.get(_link(shop, kopi.product, post))
    _buy(buyer, shop, kopi)

    assert _attributions() == []


def test_a_campaign_on_a_page_outside_the_storefront_is_not_remembered(owner, connect, kopi):
    """Only storefront pages remember a campaign; a workspace page with the same query
    does not touch the session."""
    shop = owner.organisation
    post = _post(shop, owner.user, connect(shop, "instagram"), kopi.product)
    visitor = Client()

    visitor.get(f"/accounts/login/?utm_campaign=post-{post.pk}")

    assert SESSION_KEY not in visitor.session


def test_a_failing_receiver_does_not_fail_the_buyers_checkout(owner, connect, kopi):
    """Commerce sends the signal robustly: whatever a listening app does wrong, the order
    the buyer placed stands and they see its confirmation."""

    def broken(**kwargs):
        raise RuntimeError("listener bug")

    storefront_order_placed.connect(broken, dispatch_uid="test-broken")
    try:
        response = _buy(Client(), owner.organisation, kopi)
    finally:
        storefront_order_placed.disconnect(dispatch_uid="test-broken")

    assert "/order/" in response["Location"]
