"""An owner schedules a post with a product link, sees it in the calendar and published
(against the fake platforms) with metrics, answers a WhatsApp message and turns it into an
order — in a real browser on a phone."""

import hashlib
import hmac
import json
import urllib.request
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from sinergi.channels.models import PostVariant
from sinergi.channels.services.accounts import account_connect
from sinergi.channels.services.metrics import metrics_sync_all
from sinergi.channels.services.posts import media_add
from sinergi.channels.services.publishing import variant_publish_step
from sinergi.commerce.api import Order, VariantInput, product_create, stock_receive
from sinergi.core.tenancy import tenant_context
from tests.browser.conftest import sign_in
from tests.channels.fakes import FakePlatforms
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "browser-app-secret"


@pytest.fixture
def fake():
    with (
        FakePlatforms() as platforms,
        override_settings(
            SINERGI_META_GRAPH_URL=platforms.graph_url,
            SINERGI_TIKTOK_API_URL=platforms.base,
            SINERGI_META_APP_SECRET=SECRET,
        ),
    ):
        yield platforms


def _shop():
    owner = MembershipFactory()
    org = owner.organisation
    accounts = {
        platform: account_connect(
            organisation=org,
            platform=platform,
            name=f"@batik-{platform}",
            external_id=f"{platform}-{org.pk}",
            access_token="good-token",
        )
        for platform in ("instagram", "facebook", "whatsapp")
    }
    product = product_create(
        organisation=org,
        name="Batik Tulis Parang",
        variants=[VariantInput(sku="BTP", price=250000)],
    )
    with tenant_context(org.pk):
        variant = product.variants.get()
    stock_receive(organisation=org, variant=variant, quantity=4)
    buffer = BytesIO()
    Image.new("RGB", (1080, 1350), (120, 60, 20)).save(buffer, "JPEG")
    media_add(
        organisation=org,
        upload=SimpleUploadedFile("batik.jpg", buffer.getvalue(), content_type="image/jpeg"),
        title="Batik parang",
    )
    return owner, accounts, product


def test_owner_schedules_sees_published_with_metrics_and_turns_a_chat_into_an_order(
    phone, live_server, fake
):
    owner, accounts, product = _shop()
    org = owner.organisation
    phone.set_default_timeout(30_000)  # a loaded CI machine is slow to render the first page
    sign_in(phone, owner.user.email, PASSWORD)
    when = timezone.localtime() + timedelta(days=1)

    phone.goto("/app/channels/posts/new/")
    phone.fill("textarea[name=caption]", "Batik tulis motif parang, dibuat tangan #batik")
    phone.check(f"input[name=accounts][value='{accounts['instagram'].pk}']")
    phone.check(f"input[name=accounts][value='{accounts['facebook'].pk}']")
    phone.locator("input[name=assets]").first.check()
    phone.select_option("select[name=product]", str(product.pk))
    phone.fill("input[name=scheduled_at]", when.strftime("%Y-%m-%dT%H:%M"))
    phone.locator("button[name=schedule]").click()
    phone.wait_for_url("**/app/channels/posts/*/")
    assert phone.get_by_text("Postingan dijadwalkan.").is_visible()

    phone.goto(f"/app/channels/posts/?date={when.date().isoformat()}&view=week")
    phone.locator(".calendar-post").first.wait_for()
    assert phone.locator(".calendar-post").count() == 2
    phone.screenshot(path="test-results/channels-calendar-phone.png", full_page=True)

    # The scheduled time comes: the worker's steps run against the fake platforms.
    with tenant_context(org.pk):
        variants = list(PostVariant.objects.all())
    for variant in variants:
        variant_publish_step(
            variant_id=variant.pk, organisation_id=org.pk, now=when + timedelta(minutes=1)
        )
    metrics_sync_all(organisation_id=org.pk)
    assert sum(fake.state.publishes.values()) == 1
    assert (
        "utm_campaign=post-" in fake.state.containers[next(iter(fake.state.containers))]["caption"]
    )

    phone.locator(".calendar-post").first.click()
    phone.wait_for_url("**/app/channels/posts/*/")
    assert phone.locator(".variant-list .status-published").count() == 2
    assert (
        phone.locator(".metrics").first.inner_text().startswith("Reach 900")
        or "900" in phone.locator(".metrics").first.inner_text()
    )
    phone.screenshot(path="test-results/channels-post-published-phone.png", full_page=True)

    # A customer writes on WhatsApp: a signed webhook delivery over HTTP.
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "628110000",
                                    "phone_number_id": accounts["whatsapp"].external_id,
                                },
                                "contacts": [
                                    {"profile": {"name": "Dewi Lestari"}, "wa_id": "6281377778888"}
                                ],
                                "messages": [
                                    {
                                        "from": "6281377778888",
                                        "id": "wamid.browser1",
                                        "timestamp": str(int(timezone.now().timestamp())),
                                        "type": "text",
                                        "text": {"body": "Kak, batik parangnya masih ada? Mau 1"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(  # noqa: S310  (the live test server)
        f"{live_server.url}/webhooks/whatsapp/",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310  (the live test server)
        assert response.status == 200

    phone.goto("/app/channels/")
    phone.get_by_text("Dewi Lestari").click()
    phone.wait_for_url("**/conversations/*/")
    phone.fill("textarea[name=text]", "Masih ada kak, 250 ribu")
    phone.get_by_role("button", name="Kirim").or_(phone.get_by_role("button", name="Send")).click()
    phone.wait_for_load_state()
    assert phone.locator(".bubble-out").first.inner_text().startswith("Masih ada kak")

    phone.locator("a[href$='/order/']").click()
    phone.wait_for_url("**/order/")
    phone.select_option("select[name=variant_0]", index=1)
    phone.fill("input[name=quantity_0]", "1")
    phone.fill("textarea[name=address]", "Jl. Malioboro 10, Yogyakarta")
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/conversations/*/")

    with tenant_context(org.pk):
        order = Order.objects.get()
    assert (order.total, order.customer_phone, order.channel) == (
        250000,
        "+6281377778888",
        "whatsapp",
    )
    assert phone.locator(".bubble-out").last.inner_text().count(order.number) >= 1
    assert fake.state.sent_messages[-1]["to"] == "6281377778888"
    phone.screenshot(path="test-results/channels-chat-order-phone.png", full_page=True)
