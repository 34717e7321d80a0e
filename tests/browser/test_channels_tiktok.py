"""An owner connects a TikTok account on a phone: the accounts page's button leads to
TikTok's (fake) authorize page, and authorizing there brings the account back connected."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from sinergi.channels.models import ConnectedAccount
from sinergi.core.tenancy import tenant_context
from tests.browser.conftest import sign_in
from tests.channels.fakes import FakePlatforms
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_connects_tiktok_through_the_authorize_page(phone, live_server):
    owner = MembershipFactory()
    with (
        FakePlatforms() as fake,
        override_settings(
            SINERGI_TIKTOK_API_URL=fake.base,
            SINERGI_TIKTOK_AUTH_URL=f"{fake.base}/v2/auth/authorize/",
            SINERGI_TIKTOK_CLIENT_KEY="tiktok-client-key",
            SINERGI_TIKTOK_CLIENT_SECRET="tiktok-client-secret",
            BASE_URL=live_server.url,
        ),
    ):
        phone.set_default_timeout(30_000)  # a loaded CI machine is slow to render
        sign_in(phone, owner.user.email, PASSWORD)
        phone.goto("/app/channels/accounts/")

        phone.locator("#connect-tiktok").click()
        phone.wait_for_url(f"{fake.base}/v2/auth/authorize/**")
        query = parse_qs(urlsplit(phone.url).query)
        assert query["client_key"] == ["tiktok-client-key"]
        assert query["redirect_uri"] == [
            f"{live_server.url}/app/channels/accounts/tiktok/callback/"
        ]
        assert "video.publish" in phone.locator("#scopes").inner_text()

        phone.locator("#authorize").click()
        phone.wait_for_url("**/app/channels/accounts/")

        assert phone.get_by_text("Batik Siti TikTok").first.is_visible()
        phone.screenshot(path="test-results/channels-tiktok-connected-phone.png", full_page=True)
    with tenant_context(owner.organisation.pk):
        account = ConnectedAccount.objects.get(platform="tiktok")
    assert (account.external_id, account.status) == ("_000tiktokOpenId777", "active")
