"""The public storefront: catalog, product page, cart, checkout, WhatsApp link, cache, OG tags."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.commerce.models import Channel, Order, OrderStatus, StockBalance
from sinergi.commerce.services.catalog import product_photo_add
from sinergi.commerce.services.orders import order_place
from sinergi.commerce.services.stock import stock_receive
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.routes import png_upload
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def batik(shop):
    shop.phone = "0812-2222-3333"
    shop.description = "Batik tulis dari Yogyakarta"
    shop.save()
    variant = variant_make(shop, name="Kemeja Batik Parang", variant="L", price=185_000, stock=3)
    product_photo_add(organisation=shop, product=variant.product, upload=png_upload())
    return variant


def _checkout_data(total: int, **extra: str) -> dict[str, str]:
    return {
        "name": "Dewi Lestari",
        "phone": "0813 1111 2222",
        "address": "Jl. Kaliurang km 5, Sleman",
        "delivery_note": "rumah cat biru",
        "payment_method": "bank_transfer",
        "expected_total": str(total),
        **extra,
    }


def _add(client: Client, shop, variant, quantity: int = 1):
    return client.post(
        reverse("commerce:storefront_cart_add", args=[shop.slug]),
        {"product": variant.product_id, "variant": variant.pk, "quantity": quantity},
    )


def _orders(shop):
    with tenant_context(shop.pk):
        return list(Order.objects.all())


def _stock(shop, variant):
    with tenant_context(shop.pk):
        balance = StockBalance.objects.get(variant=variant)
        return balance.on_hand, balance.reserved


def test_catalog_and_product_page_with_open_graph(client, shop, batik):
    home = client.get(reverse("commerce:storefront_home", args=[shop.slug]))
    product = client.get(
        reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    )

    html = product.content.decode()
    assert home.status_code == product.status_code == 200
    assert "Kemeja Batik Parang" in home.content.decode()
    assert "Rp\xa0185,000" in html
    og = dict(re.findall(r'<meta property="og:(\w+)" content="([^"]*)"', html))
    assert og["title"] == "Kemeja Batik Parang · Batik Sari"
    assert og["url"] == f"http://testserver/s/{shop.slug}/p/{batik.product.slug}/"
    assert re.fullmatch(rf"http://testserver/s/{shop.slug}/photo/\d+/full/", og["image"])
    assert "Rp" in og["description"]
    assert client.get(og["image"].removeprefix("http://testserver"))["Content-Type"] == "image/webp"
    assert "htmx" not in html


def test_unknown_shop_product_and_partner_slugs_are_404(client, shop, batik):
    partner = OrganisationFactory(kind="academia", size_class="")
    other = OrganisationFactory()

    assert client.get(reverse("commerce:storefront_home", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("commerce:storefront_home", args=[partner.slug])).status_code == 404
    # Another shop's address does not show this shop's product or photo.
    assert (
        client.get(
            reverse("commerce:storefront_product", args=[other.slug, batik.product.slug])
        ).status_code
        == 404
    )
    with tenant_context(shop.pk):
        photo = batik.product.photos.get()
    assert (
        client.get(
            reverse("commerce:storefront_photo", args=[other.slug, photo.pk, "thumb"])
        ).status_code
        == 404
    )


def test_archived_products_disappear(client, shop, owner_client_for_shop):
    variant = variant_make(shop, name="Sarung Tenun", stock=2)
    home_url = reverse("commerce:storefront_home", args=[shop.slug])
    assert "Sarung Tenun" in client.get(home_url).content.decode()

    owner_client_for_shop.post(reverse("commerce:product_archive", args=[variant.product_id]))

    assert "Sarung Tenun" not in client.get(home_url).content.decode()
    assert (
        client.get(
            reverse("commerce:storefront_product", args=[shop.slug, variant.product.slug])
        ).status_code
        == 404
    )


@pytest.fixture
def owner_client_for_shop(shop, signed_in):
    return signed_in(MembershipFactory(organisation=shop, role="owner").user)


def test_the_cache_follows_stock_and_prices(client, shop, batik, owner_client_for_shop):
    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm) < len(cold)  # the second visit is served from the cache

    stock_receive(organisation=shop, variant=batik, quantity=10)
    after_receipt = client.get(url).content.decode()
    order_place(organisation=shop, channel=Channel.WHATSAPP, lines=[(batik.pk, 13)])
    sold_out = client.get(url).content.decode()
    owner_client_for_shop.post(
        reverse("commerce:product_edit", args=[batik.product_id]),
        {
            "name": "Kemeja Batik Parang",
            "is_active": "on",
            "variants-TOTAL_FORMS": "1",
            "variants-INITIAL_FORMS": "1",
            "variants-0-id": str(batik.pk),
            "variants-0-name": "L",
            "variants-0-sku": batik.sku,
            "variants-0-price": "199000",
            "variants-0-low_stock_threshold": "3",
            "variants-0-is_active": "on",
        },
    )
    repriced = client.get(url).content.decode()

    assert 'name="variant"' in first
    assert "badge-low" in first  # 3 left, the alert threshold
    assert "badge-low" not in after_receipt
    assert 'name="variant"' not in sold_out
    assert "message-warning" in sold_out
    assert "Rp\xa0199,000" in repriced
    assert "Rp\xa0185,000" not in repriced


def test_a_buyer_checks_out(client, shop, batik):
    _add(client, shop, batik, 2)
    cart = client.get(reverse("commerce:storefront_cart", args=[shop.slug]))
    assert cart.context["total"] == 370_000

    response = client.post(
        reverse("commerce:storefront_checkout", args=[shop.slug]), _checkout_data(370_000)
    )

    (order,) = _orders(shop)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "commerce:storefront_order", args=[shop.slug, order.number]
    )
    assert (order.channel, order.customer_phone, order.payment_method, order.total) == (
        Channel.STOREFRONT,
        "+6281311112222",
        "bank_transfer",
        370_000,
    )
    assert (order.address, order.delivery_note, order.status) == (
        "Jl. Kaliurang km 5, Sleman",
        "rumah cat biru",
        OrderStatus.PLACED,
    )
    assert _stock(shop, batik) == (3, 2)
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert client.get(reverse("commerce:storefront_cart", args=[shop.slug])).context["lines"] == []
    # Nobody else can open the confirmation.
    assert Client().get(response["Location"]).status_code == 404


def test_sold_out_during_checkout_gives_a_clear_message_and_no_order(client, shop, batik):
    _add(client, shop, batik, 2)
    checkout_url = reverse("commerce:storefront_checkout", args=[shop.slug])
    assert client.get(checkout_url).status_code == 200
    # Meanwhile a WhatsApp buyer takes two of the three.
    order_place(organisation=shop, channel=Channel.WHATSAPP, lines=[(batik.pk, 2)])

    response = client.post(checkout_url, _checkout_data(370_000))

    assert response.status_code == 409
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Kemeja Batik Parang — L" in errors
    assert len(_orders(shop)) == 1
    assert _stock(shop, batik) == (3, 2)


def test_sold_out_at_the_very_moment_of_ordering(client, shop, batik, monkeypatch):
    """The stock goes between the page's check and the order: the service refuses, no order."""
    from sinergi.commerce.views import storefront  # noqa: PLC0415

    _add(client, shop, batik, 3)
    real_place = storefront.order_services.order_place

    def competitor_first(**kwargs):
        real_place(organisation=shop, channel=Channel.PHONE, lines=[(batik.pk, 1)])
        return real_place(**kwargs)

    monkeypatch.setattr(storefront.order_services, "order_place", competitor_first)

    response = client.post(
        reverse("commerce:storefront_checkout", args=[shop.slug]), _checkout_data(555_000)
    )

    assert response.status_code == 409
    assert "Kemeja Batik Parang — L" in " ".join(response.context["form"].non_field_errors())
    assert [o.channel for o in _orders(shop)] == [Channel.PHONE]
    assert _stock(shop, batik) == (3, 1)


def test_a_price_change_during_checkout_is_shown_before_ordering(client, shop, batik):
    _add(client, shop, batik, 1)

    response = client.post(
        reverse("commerce:storefront_checkout", args=[shop.slug]), _checkout_data(150_000)
    )

    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    assert _orders(shop) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "12345"), ("phone", ""), ("name", ""), ("address", ""), ("payment_method", "cash")],
)
def test_bad_checkout_input_is_refused(client, shop, batik, field, value):
    _add(client, shop, batik, 1)

    response = client.post(
        reverse("commerce:storefront_checkout", args=[shop.slug]),
        _checkout_data(185_000, **{field: value}),
    )

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _orders(shop) == []
    assert _stock(shop, batik) == (3, 0)


def test_cart_caps_at_what_is_available_and_updates(client, shop, batik):
    _add(client, shop, batik, 5)
    cart_url = reverse("commerce:storefront_cart", args=[shop.slug])
    assert [(line.variant.pk, line.quantity) for line in client.get(cart_url).context["lines"]] == [
        (batik.pk, 3)
    ]

    client.post(cart_url, {f"qty_{batik.pk}": "0"})

    assert client.get(cart_url).context["lines"] == []
    assert client.get(reverse("commerce:storefront_checkout", args=[shop.slug])).status_code == 302


def test_bad_add_to_cart_input(client, shop, batik):
    url = reverse("commerce:storefront_cart_add", args=[shop.slug])
    other = variant_make(OrganisationFactory(), stock=5)

    wrong_variant = client.post(
        url, {"product": batik.product_id, "variant": other.pk, "quantity": 1}
    )
    zero = client.post(url, {"product": batik.product_id, "variant": batik.pk, "quantity": 0})
    no_product = client.post(url, {"product": "x", "variant": batik.pk, "quantity": 1})

    assert wrong_variant.status_code == zero.status_code == 302
    assert no_product.status_code == 404
    assert client.get(reverse("commerce:storefront_cart", args=[shop.slug])).context["lines"] == []


def test_whatsapp_link_writes_out_the_cart(client, shop, batik):
    _add(client, shop, batik, 2)

    link = client.get(reverse("commerce:storefront_cart", args=[shop.slug])).context["whatsapp"]

    parsed = urlparse(link)
    text = parse_qs(parsed.query)["text"][0]
    assert (parsed.scheme, parsed.netloc, parsed.path) == ("https", "wa.me", "/6281222223333")
    assert "2 \u00d7 Kemeja Batik Parang — L" in text
    assert "Rp 370,000" in text


def test_cached_page_serves_each_visitor_their_own_token_and_cart(shop, batik):
    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    first, second = Client(), Client()
    _add(first, shop, batik, 2)

    one = first.get(url).content.decode()
    two = second.get(url).content.decode()

    assert "__sf_" not in one
    assert "__sf_" not in two
    assert re.search(r"data-cart-count>2<", one)
    assert re.search(r"data-cart-count>0<", two)


def test_a_price_changed_outside_these_pages_shows_at_once(client, shop, batik):
    from sinergi.commerce.services.catalog import VariantInput, variant_update  # noqa: PLC0415

    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    assert "Rp\xa0185,000" in client.get(url).content.decode()

    variant_update(
        organisation=shop,
        variant=batik,
        data=VariantInput(sku=batik.sku, name="L", price=175_000),
    )

    assert "Rp\xa0175,000" in client.get(url).content.decode()


def test_photos_of_archived_products_are_for_the_shop_only(
    client, shop, batik, owner_client_for_shop
):
    from sinergi.commerce.services.catalog import product_active_set  # noqa: PLC0415

    with tenant_context(shop.pk):
        photo = batik.product.photos.get()
    url = reverse("commerce:storefront_photo", args=[shop.slug, photo.pk, "thumb"])
    product_active_set(organisation=shop, product=batik.product, is_active=False)

    assert client.get(url).status_code == 404
    assert owner_client_for_shop.get(url).status_code == 200


def test_a_stock_change_through_a_service_invalidates_the_cached_page(
    client, shop, batik, django_capture_on_commit_callbacks
):
    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    assert "badge-low" in client.get(url).content.decode()  # 3 left: cached as "low"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stock_receive(organisation=shop, variant=batik, quantity=10)

    assert callbacks  # the bump runs once the receipt commits, not before
    assert "badge-low" not in client.get(url).content.decode()


def test_the_version_changes_again_when_the_change_commits(
    shop, batik, django_capture_on_commit_callbacks
):
    """A page rendered meanwhile from the data before the commit is never served as current."""
    from sinergi.commerce.storefront_cache import storefront_version  # noqa: PLC0415

    before = storefront_version(shop.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stock_receive(organisation=shop, variant=batik, quantity=10)
    during = storefront_version(shop.pk)
    for callback in callbacks:
        callback()

    assert len({before, during, storefront_version(shop.pk)}) == 3


def test_a_warm_page_costs_no_query(client, shop, batik, django_assert_num_queries):
    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    home = reverse("commerce:storefront_home", args=[shop.slug])
    client.get(url)
    client.get(home)

    with django_assert_num_queries(0):
        page = client.get(url)
    with django_assert_num_queries(0):
        client.get(home)

    assert page.status_code == 200
    assert "__sf_" not in page.content.decode()


def test_a_warm_page_for_a_buyer_with_a_cart_costs_no_query(
    client, shop, batik, settings, django_assert_num_queries
):
    """With sessions read from the cache (cached_db), the buyer's cart count costs no query
    either; with database sessions the one query is the session's own, as on every page."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    _add(client, shop, batik, 2)
    client.get(reverse("commerce:storefront_cart", args=[shop.slug]))  # shows the messages
    client.get(url)

    with django_assert_num_queries(0):
        page = client.get(url).content.decode()

    assert re.search(r"data-cart-count>2<", page)
    assert "__sf_" not in page


def test_a_message_and_the_cart_count_are_the_visitors_own_on_a_cached_page(client, shop, batik):
    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    Client().get(url)  # someone else warms the cache
    _add(client, shop, batik, 5)  # only 3 in stock: a warning waits for the next page

    page = client.get(url).content.decode()
    again = client.get(url).content.decode()

    assert "message-warning" in page
    assert re.search(r"data-cart-count>3<", page)
    assert "message-warning" not in again  # a message is shown once


def test_orders_cancelled_and_shipped_refresh_the_page(client, shop, batik):
    from sinergi.commerce.services.orders import order_cancel  # noqa: PLC0415

    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    order = order_place(organisation=shop, channel=Channel.PHONE, lines=[(batik.pk, 3)])
    assert 'name="variant"' not in client.get(url).content.decode()  # sold out

    order_cancel(organisation=shop, order=order)

    assert 'name="variant"' in client.get(url).content.decode()


def test_a_lost_version_never_brings_back_an_older_page(client, shop, batik):
    from sinergi.commerce import storefront_cache  # noqa: PLC0415

    url = reverse("commerce:storefront_product", args=[shop.slug, batik.product.slug])
    client.get(url)
    old = storefront_cache.storefront_version(shop.pk)
    cache.delete(f"commerce:storefront:version:{shop.pk}")  # evicted, or a restarted cache

    assert storefront_cache.storefront_version(shop.pk) != old


def test_the_shop_name_is_cached_with_the_slug_for_a_minute(client, shop, batik):
    url = reverse("commerce:storefront_home", args=[shop.slug])
    assert "Batik Sari" in client.get(url).content.decode()
    shop.name = "Batik Sari Jaya"
    shop.save()
    cache.delete(f"commerce:storefront:shop:{shop.slug}")  # what a minute does

    assert "Batik Sari Jaya" in client.get(url).content.decode()
