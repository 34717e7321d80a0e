"""On a phone: an owner registers a WhatsApp number with a PIN after Embedded Signup, and
composes a carousel choosing the order of its photos."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from sinergi.channels.models import ConnectedAccount, PostMedia
from sinergi.channels.services.accounts import account_connect
from sinergi.channels.services.posts import media_add
from sinergi.channels.services.whatsapp_connect import whatsapp_connect_complete
from sinergi.core.tenancy import tenant_context
from tests.browser.conftest import sign_in
from tests.channels.fakes import FakePlatforms
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def fake():
    with (
        FakePlatforms() as platforms,
        override_settings(
            SINERGI_META_GRAPH_URL=platforms.graph_url,
            SINERGI_META_APP_ID="app-id",
            SINERGI_META_APP_SECRET="test-app-secret",
            SINERGI_WHATSAPP_CONFIG_ID="cfg-42",
        ),
    ):
        yield platforms


def test_owner_registers_a_whatsapp_number_with_a_pin_on_a_phone(phone, fake):
    owner = MembershipFactory()
    [account] = whatsapp_connect_complete(
        organisation=owner.organisation,
        code="wa-code",
        redirect_uri="https://toko.example.id/app/channels/accounts/whatsapp/callback/",
    )
    phone.set_default_timeout(30_000)
    sign_in(phone, owner.user.email, PASSWORD)

    phone.goto("/app/channels/accounts/")
    assert phone.locator("#connect-whatsapp").is_visible()
    phone.locator("a[href$='/whatsapp-register/']").click()
    phone.wait_for_url("**/whatsapp-register/")
    assert phone.evaluate(FITS)
    assert phone.locator("input[name=pin]").get_attribute("inputmode") == "numeric"

    phone.fill("input[name=pin]", "12345")
    phone.locator("#whatsapp-register button[type=submit]").click()
    phone.locator(".field-error").wait_for()
    assert fake.state.calls("/register") == 0

    phone.fill("input[name=pin]", "135790")
    phone.locator("#whatsapp-register button[type=submit]").click()
    phone.wait_for_url("**/app/channels/accounts/")
    phone.screenshot(path="test-results/channels-whatsapp-registered-phone.png", full_page=True)

    assert fake.state.registered == {account.external_id: "135790"}
    with tenant_context(owner.organisation.pk):
        assert ConnectedAccount.objects.get(pk=account.pk).status == "active"
    assert phone.locator("a[href$='/whatsapp-register/']").count() == 0


def _photo(org, title, shade):
    buffer = BytesIO()
    Image.new("RGB", (1080, 1080), (shade, 80, 40)).save(buffer, "JPEG")
    return media_add(
        organisation=org,
        upload=SimpleUploadedFile(f"{title}.jpg", buffer.getvalue(), content_type="image/jpeg"),
        title=title,
    )


def test_owner_composes_a_carousel_in_the_order_they_number_on_a_phone(phone):
    owner = MembershipFactory()
    org = owner.organisation
    account = account_connect(
        organisation=org,
        platform="instagram",
        name="@batik",
        external_id=f"ig-{org.pk}",
        access_token="preview",
        is_preview=True,
    )
    parang, kawung, mega = (
        _photo(org, t, s) for t, s in (("parang", 30), ("kawung", 90), ("mega", 150))
    )
    phone.set_default_timeout(30_000)
    sign_in(phone, owner.user.email, PASSWORD)

    phone.goto("/app/channels/posts/new/")
    phone.fill("textarea[name=caption]", "Tiga motif batik tulis #batik")
    phone.check(f"input[name=accounts][value='{account.pk}']")
    for asset, number in ((mega, "1"), (parang, "2"), (kawung, "3")):
        phone.check(f"input[name=assets][value='{asset.pk}']")
        phone.fill(f"input[name=position_{asset.pk}]", number)
    assert phone.evaluate(FITS)
    phone.screenshot(path="test-results/channels-carousel-compose-phone.png", full_page=True)
    phone.locator("button[name=draft]").click()
    phone.wait_for_url("**/app/channels/posts/*/")

    with tenant_context(org.pk):
        order = list(PostMedia.objects.order_by("position").values_list("media_id", flat=True))
    assert order == [mega.pk, parang.pk, kawung.pk]
    chips = phone.locator("dd .chip").all_inner_texts()
    assert chips == ["1. mega", "2. parang", "3. kawung"]
