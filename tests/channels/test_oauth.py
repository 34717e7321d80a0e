"""Connecting a Facebook Page and its Instagram account through Meta's sign-in."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from sinergi.channels.crypto import token_decrypt
from sinergi.channels.models import ConnectedAccount
from sinergi.core.tenancy import tenant_context
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meta_app(fake):
    with override_settings(SINERGI_META_APP_ID="app-id"):
        yield fake


def _start(client) -> str:
    response = client.post("/app/channels/accounts/meta/")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["redirect_uri"] == ["https://toko.example.id/app/channels/accounts/meta/callback/"]
    assert "instagram_content_publish" in query["scope"][0]
    return query["state"][0]


def test_owner_connects_a_page_and_its_instagram_account(meta_app, owner, signed_in):
    client = signed_in(owner.user)
    state = _start(client)

    response = client.get(
        "/app/channels/accounts/meta/callback/", {"code": "good-code", "state": state}
    )

    assert response.status_code == 302
    with tenant_context(owner.organisation.pk):
        accounts = {a.platform: a for a in ConnectedAccount.objects.all()}
    assert (accounts["facebook"].external_id, accounts["facebook"].name) == (
        "104000000000777",
        "Batik Siti",
    )
    assert (accounts["instagram"].external_id, accounts["instagram"].name) == (
        "17841400000000777",
        "@batiksiti",
    )
    assert token_decrypt(accounts["instagram"].access_token_encrypted) == "good-token"
    assert "good-token" not in accounts["instagram"].access_token_encrypted
    assert accounts["instagram"].status == "active"


def test_a_declined_permission_is_shown_with_what_to_do(meta_app, owner, signed_in):
    meta_app.state.declined = {"instagram_content_publish"}
    client = signed_in(owner.user)
    state = _start(client)

    client.get("/app/channels/accounts/meta/callback/", {"code": "good-code", "state": state})

    with tenant_context(owner.organisation.pk):
        instagram = ConnectedAccount.objects.get(platform="instagram")
    assert instagram.status == "missing_permission"
    assert instagram.status_reason == "Not allowed: instagram_content_publish"
    page = client.get("/app/channels/accounts/").content.decode()
    assert "Connect again and allow every permission Sinergi asks for." in page


@pytest.mark.parametrize(
    "query",
    [
        {"code": "good-code", "state": "forged"},
        {"error": "access_denied", "error_reason": "user_denied"},
    ],
)
def test_a_forged_state_or_a_cancelled_sign_in_connects_nothing(meta_app, owner, signed_in, query):
    client = signed_in(owner.user)
    state = _start(client)
    if "error" in query:
        query = query | {"state": state}

    assert client.get("/app/channels/accounts/meta/callback/", query).status_code == 302
    with tenant_context(owner.organisation.pk):
        assert not ConnectedAccount.objects.exists()


def test_a_bad_code_is_reported_and_nothing_connected(meta_app, owner, signed_in):
    client = signed_in(owner.user)
    state = _start(client)

    response = client.get(
        "/app/channels/accounts/meta/callback/", {"code": "stolen", "state": state}, follow=True
    )

    assert (
        "Meta refused the connection: Invalid verification code format."
        in response.content.decode()
    )
    with tenant_context(owner.organisation.pk):
        assert not ConnectedAccount.objects.exists()


def test_a_page_of_another_shop_is_refused(meta_app, owner, signed_in, connect):
    other = OrganisationFactory()
    connect(other, "facebook", external_id="104000000000777")
    client = signed_in(owner.user)
    state = _start(client)

    response = client.get(
        "/app/channels/accounts/meta/callback/", {"code": "good-code", "state": state}, follow=True
    )

    assert "is already connected to another shop" in response.content.decode()
    with tenant_context(owner.organisation.pk):
        assert not ConnectedAccount.objects.filter(platform="facebook").exists()


def test_staff_cannot_start_a_connection(meta_app, member, signed_in):
    staff = member(role="staff")
    assert signed_in(staff.user).post("/app/channels/accounts/meta/").status_code == 403
