"""Shop work on a phone: add a product, take a WhatsApp order, get paid, ship, see the stock;
and a buyer checking out on the storefront."""

import io
from pathlib import Path

import pytest
from PIL import Image

from sinergi.commerce.models import Channel, Order, OrderStatus, Product, StockBalance
from sinergi.commerce.services.catalog import product_photo_add
from sinergi.core.tenancy import tenant_context
from tests.browser.conftest import sign_in
from tests.commerce.conftest import variant_make
from tests.commerce.routes import png_upload
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("test-results")


def _photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "kemeja.jpg"
    picture = Image.new("RGB", (1200, 1200), (30, 64, 120))
    for x in range(0, 1200, 60):
        for y in range(0, 1200, 60):
            if (x + y) // 60 % 2:
                picture.paste((200, 150, 60), (x, y, x + 30, y + 30))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _stock(organisation, product_name):
    with tenant_context(organisation.pk):
        balance = StockBalance.objects.get(variant__product__name=product_name)
        return balance.on_hand, balance.reserved


def test_owner_adds_a_product_takes_a_whatsapp_order_gets_paid_and_ships(phone, tmp_path):
    owner = MembershipFactory(organisation__name="Batik Sari", organisation__phone="081222223333")
    shop = owner.organisation
    sign_in(phone, owner.user.email, PASSWORD)

    # Orders and Catalog are in the bottom bar.
    phone.goto("/app/")
    assert phone.locator("nav.workspace-nav a[href='/app/orders/']").is_visible()
    phone.screenshot(path=str(SHOTS / "commerce-workspace-home-phone.png"), full_page=True)
    phone.locator("nav.workspace-nav a[href='/app/catalog/']").click()
    phone.wait_for_url("**/app/catalog/")
    phone.screenshot(path=str(SHOTS / "commerce-catalog-empty-phone.png"), full_page=True)

    # Add a product with a photo.
    phone.locator("main a[href='/app/catalog/new/']").first.click()
    phone.fill("input[name=name]", "Kemeja Batik Parang")
    phone.fill("input[name=new_category]", "Kemeja")
    phone.fill("input[name=variants-0-name]", "L")
    phone.fill("input[name=variants-0-sku]", "KBP-L")
    phone.fill("input[name=variants-0-price]", "185.000")
    phone.fill("input[name=variants-0-cost_price]", "110000")
    phone.set_input_files("input[name=image]", str(_photo_file(tmp_path)))
    phone.screenshot(path=str(SHOTS / "commerce-product-new-phone.png"), full_page=True)
    phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_url("**/app/catalog/*/")
    with tenant_context(shop.pk):
        product = Product.objects.get()
        variant = product.variants.get()
    assert phone.locator(".photo-strip img").count() == 1
    phone.screenshot(path=str(SHOTS / "commerce-product-edit-phone.png"), full_page=True)

    # Receive stock.
    phone.locator(f"a[href='/app/stock/{variant.pk}/']").click()
    phone.wait_for_url(f"**/app/stock/{variant.pk}/")
    phone.fill("input[name=receive-quantity]", "10")
    phone.locator(f"form[action='/app/stock/{variant.pk}/receive/'] button").click()
    phone.wait_for_load_state()
    assert _stock(shop, "Kemeja Batik Parang") == (10, 0)

    # Record a WhatsApp order: search, add, set the quantity, the customer, save.
    phone.goto("/app/orders/new/")
    phone.fill("input[name=q]", "parang")
    add = phone.locator(f"button[hx-get$='variant={variant.pk}']")
    add.first.click()
    quantity = phone.locator(f"input[name=qty_{variant.pk}]")
    quantity.wait_for()
    quantity.fill("2")
    phone.fill("input[name=customer_phone]", "0813 1111 2222")
    phone.fill("input[name=customer_name]", "Bu Rina")
    phone.fill("textarea[name=address]", "Jl. Kaliurang km 5, Sleman")
    phone.screenshot(path=str(SHOTS / "commerce-order-new-phone.png"), full_page=True)
    phone.locator("form.order-form button[type=submit]").click()
    phone.wait_for_url("**/app/orders/*/")
    with tenant_context(shop.pk):
        order = Order.objects.get()
    assert (order.channel, order.total, order.customer_phone) == (
        Channel.WHATSAPP,
        370_000,
        "+6281311112222",
    )
    assert _stock(shop, "Kemeja Batik Parang") == (10, 2)

    # Mark it paid (the amount is filled in), then shipped.
    phone.locator(".payment-form button[type=submit]").click()
    phone.wait_for_load_state()
    phone.locator(f"form[action='/app/orders/{order.pk}/ship/'] button").click()
    phone.wait_for_load_state()
    phone.screenshot(path=str(SHOTS / "commerce-order-shipped-phone.png"), full_page=True)
    with tenant_context(shop.pk):
        order.refresh_from_db()
    assert (order.status, order.amount_paid) == (OrderStatus.SHIPPED, 370_000)

    # The stock moved: 8 on hand, nothing held, and the ledger shows the sale.
    phone.goto(f"/app/stock/{variant.pk}/")
    cells = phone.locator("table.balances tbody tr").first.locator("td").all_inner_texts()
    assert cells[1:] == ["8", "0", "8"]
    assert phone.locator(".ledger li").count() == 3
    phone.screenshot(path=str(SHOTS / "commerce-stock-phone.png"), full_page=True)

    phone.goto("/app/orders/")
    assert phone.locator(".order-list li").count() == 1
    phone.screenshot(path=str(SHOTS / "commerce-orders-phone.png"), full_page=True)


def test_a_buyer_checks_out_on_the_storefront(phone):
    owner = MembershipFactory(
        organisation__name="Batik Sari",
        organisation__phone="081222223333",
        organisation__description="Batik tulis dan cap dari Yogyakarta.",
    )
    shop = owner.organisation
    variant = variant_make(shop, name="Kemeja Batik Parang", variant="L", price=185_000, stock=3)
    variant_make(shop, name="Selendang Sutra", price=95_000, stock=0)
    product_photo_add(
        organisation=shop, product=variant.product, upload=png_upload(size=(900, 900))
    )

    phone.goto(f"/s/{shop.slug}/")
    phone.screenshot(path=str(SHOTS / "storefront-home-phone.png"), full_page=True)
    phone.locator(f"a[href='/s/{shop.slug}/p/{variant.product.slug}/']").click()
    phone.wait_for_url("**/p/*/")
    assert phone.locator("meta[property='og:image']").get_attribute("content").startswith("http")
    phone.screenshot(path=str(SHOTS / "storefront-product-phone.png"), full_page=True)
    phone.fill("input[name=quantity]", "2")
    phone.locator("form[action$='/cart/add/'] button[type=submit]").click()
    phone.wait_for_url("**/cart/")
    whatsapp = phone.locator("a.whatsapp").get_attribute("href")
    assert whatsapp.startswith("https://wa.me/6281222223333?text=")
    phone.screenshot(path=str(SHOTS / "storefront-cart-phone.png"), full_page=True)

    phone.locator(f"a[href='/s/{shop.slug}/checkout/']").click()
    phone.fill("input[name=name]", "Dewi Lestari")
    phone.fill("input[name=phone]", "0813-1111-2222")
    phone.fill("textarea[name=address]", "Jl. Kaliurang km 5, Sleman")
    phone.fill("input[name=delivery_note]", "rumah cat biru")
    phone.locator("label", has_text="QRIS").click()
    phone.screenshot(path=str(SHOTS / "storefront-checkout-phone.png"), full_page=True)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/order/*/")
    phone.screenshot(path=str(SHOTS / "storefront-thanks-phone.png"), full_page=True)

    with tenant_context(shop.pk):
        order = Order.objects.get()
        balance = StockBalance.objects.get(variant=variant)
    assert (order.channel, order.payment_method, order.total) == (
        Channel.STOREFRONT,
        "qris",
        370_000,
    )
    assert (balance.on_hand, balance.reserved) == (3, 2)
    assert order.number in phone.locator("main").inner_text()


def _fits_the_phone(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_every_shop_page_fits_a_phone(phone):
    owner = MembershipFactory(organisation__name="Keripik Bu Tini")
    shop = owner.organisation
    low = variant_make(shop, name="Keripik Singkong Balado", variant="250 g", stock=2, threshold=5)
    variant_make(shop, name="Keripik Tempe Original Ukuran Keluarga", variant="500 g", stock=40)
    order = order_place_for_test(shop, low)
    sign_in(phone, owner.user.email, PASSWORD)

    pages = {
        "/app/": "commerce-home-low-stock-phone.png",
        "/app/catalog/": "commerce-catalog-phone.png",
        "/app/catalog/?stock=low": None,
        "/app/stock/": "commerce-stock-list-phone.png",
        "/app/stock/ledger/": "commerce-ledger-phone.png",
        f"/app/stock/{low.pk}/": None,
        "/app/orders/": None,
        "/app/orders/?unpaid=on": None,
        f"/app/orders/{order.pk}/": "commerce-order-detail-phone.png",
        "/app/orders/kasbon/": "commerce-kasbon-phone.png",
        "/app/customers/": "commerce-customers-phone.png",
        f"/app/catalog/{low.product_id}/": None,
        f"/s/{shop.slug}/": None,
    }
    for path, shot in pages.items():
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
        assert phone.locator("h1").first.is_visible(), path
        assert _fits_the_phone(phone), path
        if shot:
            phone.screenshot(path=str(SHOTS / shot), full_page=True)
    # The low-stock banner arrives on the home page (loaded by htmx after the page).
    phone.goto("/app/")
    banner = phone.locator(".low-stock").get_by_text("Keripik Singkong Balado")
    banner.wait_for(state="visible")
    assert banner.is_visible()


def order_place_for_test(shop, variant):  # type: ignore[no-untyped-def]
    from sinergi.commerce.services.orders import order_place  # noqa: PLC0415

    return order_place(
        organisation=shop,
        channel=Channel.WHATSAPP,
        lines=[(variant.pk, 1)],
        customer_name="Pak Harjo",
        customer_phone="081355556666",
        address="Perum Griya Asri Blok C-12, Kecamatan Depok, Sleman",
        is_credit=True,
    )
