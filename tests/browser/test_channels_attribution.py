"""A buyer opens a post's product link on a phone and checks out; the owner then sees the
order and its revenue on the post's page. Staff send a post for approval; the owner sees how
many wait, opens the list and approves."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sinergi.channels.models import Post, VariantStatus
from sinergi.channels.services.accounts import account_connect
from sinergi.channels.services.posts import media_add, post_save, storefront_link
from sinergi.commerce.api import Order
from sinergi.core.tenancy import tenant_context
from tests.browser.conftest import sign_in
from tests.commerce.conftest import variant_make
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("test-results")


def _account(org):
    return account_connect(
        organisation=org,
        platform="instagram",
        name="@kopi",
        external_id=f"ig-{org.pk}",
        access_token="good-token",
    )


def _photo(org):
    buffer = BytesIO()
    Image.new("RGB", (1080, 1080), (120, 60, 20)).save(buffer, "JPEG")
    upload = SimpleUploadedFile("kopi.jpg", buffer.getvalue(), content_type="image/jpeg")
    return media_add(organisation=org, upload=upload)


def _patient(*pages):  # type: ignore[no-untyped-def]
    """Two browsers on a busy machine: allow slow pages rather than fail on time."""
    for page in pages:
        page.set_default_timeout(30_000)


def test_an_order_through_a_posts_link_shows_on_the_posts_page(phone, desktop):
    _patient(phone, desktop)
    owner = MembershipFactory(organisation__name="Kopi Gayo Bu Ani")
    shop = owner.organisation
    variant = variant_make(shop, name="Kopi Gayo 250 g", price=85_000, stock=5)
    post = post_save(
        organisation=shop,
        author=owner.user,
        caption="Kopi baru!",
        accounts=[_account(shop)],
        product=variant.product,
    )
    link = urlsplit(
        storefront_link(
            organisation=shop, product=variant.product, platform="instagram", post_id=post.pk
        )
    )

    # The buyer taps the link in the post, buys two bags, and checks out.
    phone.goto(f"{link.path}?{link.query}")
    phone.fill("input[name=quantity]", "2")
    phone.locator("form[action$='/cart/add/'] button[type=submit]").click()
    phone.wait_for_url("**/cart/")
    phone.locator(f"a[href='/s/{shop.slug}/checkout/']").click()
    phone.fill("input[name=name]", "Dewi Lestari")
    phone.fill("input[name=phone]", "0813-1111-2222")
    phone.fill("textarea[name=address]", "Jl. Kaliurang km 5, Sleman")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/order/*/")
    with tenant_context(shop.pk):
        order = Order.objects.get()

    # The owner opens the post and sees the order and its revenue.
    sign_in(desktop, owner.user.email, PASSWORD)
    desktop.goto(f"/app/channels/posts/{post.pk}/")
    desktop.screenshot(path=str(SHOTS / "channels-post-orders-desktop.png"), full_page=True)
    main = desktop.locator("main").inner_text()
    assert "1 order, Rp" in main
    assert "170,000" in main
    assert desktop.locator(f"a[href='/app/orders/{order.pk}/']").inner_text() == order.number


def test_staff_send_a_post_for_approval_and_the_owner_approves_it_on_a_phone(phone, desktop):
    _patient(phone, desktop)
    owner = MembershipFactory(organisation__name="Kopi Gayo Bu Ani")
    shop = owner.organisation
    staff = MembershipFactory(organisation=shop, role="staff")
    post = post_save(
        organisation=shop,
        author=staff.user,
        caption="Promo akhir pekan",
        accounts=[_account(shop)],
        media=[_photo(shop)],
        scheduled_at=timezone.now() + timedelta(days=1),
    )

    sign_in(desktop, staff.user.email, PASSWORD)
    desktop.goto(f"/app/channels/posts/{post.pk}/")
    desktop.locator(f"form[action='/app/channels/posts/{post.pk}/schedule/'] button").click()
    desktop.wait_for_load_state()

    sign_in(phone, owner.user.email, PASSWORD)
    phone.goto("/app/channels/posts/")
    assert phone.locator(".channel-tabs .awaiting-badge").inner_text() == "1"
    phone.locator("a[href='?awaiting=1#awaiting']").click()
    phone.wait_for_url("**/posts/?awaiting=1*")
    phone.screenshot(path=str(SHOTS / "channels-awaiting-approval-phone.png"), full_page=True)
    phone.locator(f"#awaiting a[href='/app/channels/posts/{post.pk}/']").click()
    phone.wait_for_url(f"**/posts/{post.pk}/")
    assert phone.locator(f"form[action='/app/channels/posts/{post.pk}/send_back/']").count() == 1
    phone.locator(f"form[action='/app/channels/posts/{post.pk}/schedule/'] button").click()
    phone.wait_for_load_state()

    with tenant_context(shop.pk):
        assert set(Post.objects.get(pk=post.pk).variants.values_list("status", flat=True)) == {
            VariantStatus.SCHEDULED
        }
    phone.goto("/app/channels/posts/")
    assert phone.locator(".awaiting-badge").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
