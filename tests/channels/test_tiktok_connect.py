"""Connecting a TikTok account through TikTok's Login Kit, and refreshing its tokens."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.utils import timezone

from sinergi.channels.connectors.base import ConnectorError, ErrorKind
from sinergi.channels.crypto import token_decrypt
from sinergi.channels.models import AccountStatus, ConnectedAccount
from sinergi.channels.services.tiktok_connect import (
    tiktok_call,
    tiktok_connect_complete,
    tiktok_token_refresh,
)
from sinergi.core.tenancy import tenant_context
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CALLBACK = "https://toko.example.id/app/channels/accounts/tiktok/callback/"
AUTH_URL = "https://auth.tiktok.example/v2/auth/authorize/"


@pytest.fixture
def tiktok_app(fake):
    with override_settings(
        SINERGI_TIKTOK_CLIENT_KEY="tiktok-client-key",
        SINERGI_TIKTOK_CLIENT_SECRET="tiktok-client-secret",
        SINERGI_TIKTOK_AUTH_URL=AUTH_URL,
    ):
        yield fake


def _start(client) -> str:
    response = client.post("/app/channels/accounts/tiktok/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == AUTH_URL
    query = parse_qs(location.query)
    assert query["client_key"] == ["tiktok-client-key"]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["scope"] == [
        "user.info.basic,user.info.stats,video.publish,video.upload,video.list"
    ]
    return query["state"][0]


def _account(organisation) -> ConnectedAccount:
    with tenant_context(organisation.pk):
        return ConnectedAccount.objects.get(platform="tiktok")


def test_owner_connects_a_tiktok_account(tiktok_app, owner, signed_in):
    client = signed_in(owner.user)
    state = _start(client)
    before = timezone.now()

    response = client.get(
        "/app/channels/accounts/tiktok/callback/",
        {"code": "tiktok-code", "state": state, "scopes": "video.publish"},
        follow=True,
    )

    assert "Connected: TikTok · Batik Siti TikTok." in response.content.decode()
    account = _account(owner.organisation)
    assert (account.external_id, account.name, account.status) == (
        "_000tiktokOpenId777",
        "Batik Siti TikTok",
        AccountStatus.ACTIVE,
    )
    access = token_decrypt(account.access_token_encrypted)
    refresh = token_decrypt(account.refresh_token_encrypted)
    assert access in tiktok_app.state.valid_tokens
    assert access.startswith("tt-access-")
    assert refresh in tiktok_app.state.tiktok_refresh_tokens
    assert access not in account.access_token_encrypted
    assert refresh not in account.refresh_token_encrypted
    assert before + timedelta(seconds=86400) <= account.expires_at
    assert account.expires_at <= timezone.now() + timedelta(seconds=86400)
    assert "video.publish" in account.scopes
    exchange = next(p for m, path, p in tiktok_app.state.requests if path == "/v2/oauth/token/")
    assert exchange == {
        "client_key": "tiktok-client-key",
        "client_secret": "tiktok-client-secret",
        "code": "tiktok-code",
        "grant_type": "authorization_code",
        "redirect_uri": CALLBACK,
    }


def test_a_withheld_scope_marks_the_account_with_what_to_do(tiktok_app, owner, signed_in):
    tiktok_app.state.tiktok_scope = "user.info.basic,user.info.stats"
    client = signed_in(owner.user)
    state = _start(client)

    client.get("/app/channels/accounts/tiktok/callback/", {"code": "tiktok-code", "state": state})

    account = _account(owner.organisation)
    assert account.status == AccountStatus.MISSING_PERMISSION
    assert account.status_reason == "Not allowed: video.publish"
    page = client.get("/app/channels/accounts/").content.decode()
    assert "Connect TikTok again and leave every permission Sinergi asks for switched on." in page


def test_without_user_info_the_account_is_named_by_its_open_id(tiktok_app, owner):
    tiktok_app.state.tiktok_scope = "video.publish"

    account = tiktok_connect_complete(
        organisation=owner.organisation, code="tiktok-code", redirect_uri=CALLBACK
    )

    assert account.name == "_000tiktokOpenId777"
    assert account.status_reason == "Not allowed: user.info.basic"
    assert tiktok_app.state.calls("/v2/user/info/") == 0


@pytest.mark.parametrize(
    "query",
    [
        {"code": "tiktok-code", "state": "forged"},
        {"error": "access_denied", "error_description": "The user denied the request"},
    ],
)
def test_a_forged_state_or_a_cancelled_sign_in_connects_nothing(
    tiktok_app, owner, signed_in, query
):
    client = signed_in(owner.user)
    state = _start(client)
    if "error" in query:
        query = query | {"state": state}

    assert client.get("/app/channels/accounts/tiktok/callback/", query).status_code == 302
    with tenant_context(owner.organisation.pk):
        assert not ConnectedAccount.objects.exists()
    assert tiktok_app.state.calls("/v2/oauth/token/") == 0


def test_a_refused_code_is_reported_and_nothing_connected(tiktok_app, owner, signed_in):
    client = signed_in(owner.user)
    state = _start(client)

    response = client.get(
        "/app/channels/accounts/tiktok/callback/", {"code": "used", "state": state}, follow=True
    )

    assert (
        "TikTok refused the connection: "
        "Authorization code or refresh token is expired or invalid. (code invalid_grant)"
    ) in response.content.decode()
    with tenant_context(owner.organisation.pk):
        assert not ConnectedAccount.objects.exists()


def test_a_state_started_for_another_shop_is_refused(tiktok_app, signed_in):
    """A person in two shops starts in one and comes back in the other: nothing connects."""
    first = MembershipFactory(role="owner")
    second = MembershipFactory(user=first.user, organisation=OrganisationFactory(), role="owner")
    client = signed_in(first.user)
    assert client.post("/org/switch/", {"membership": first.pk}).status_code == 302
    state = _start(client)
    assert client.post("/org/switch/", {"membership": second.pk}).status_code == 302

    client.get("/app/channels/accounts/tiktok/callback/", {"code": "tiktok-code", "state": state})

    for organisation in (first.organisation, second.organisation):
        with tenant_context(organisation.pk):
            assert not ConnectedAccount.objects.exists()


def test_an_account_of_another_shop_is_refused(tiktok_app, owner, signed_in, connect):
    connect(OrganisationFactory(), "tiktok", external_id="_000tiktokOpenId777")
    client = signed_in(owner.user)
    state = _start(client)

    response = client.get(
        "/app/channels/accounts/tiktok/callback/",
        {"code": "tiktok-code", "state": state},
        follow=True,
    )

    assert "is already connected to another shop" in response.content.decode()
    with tenant_context(owner.organisation.pk):
        assert not ConnectedAccount.objects.exists()


@pytest.mark.parametrize("role", ["staff", "viewer"])
def test_other_roles_can_neither_start_nor_finish(tiktok_app, member, signed_in, role):
    someone = member(role=role)
    client = signed_in(someone.user)

    assert client.post("/app/channels/accounts/tiktok/").status_code == 403
    response = client.get(
        "/app/channels/accounts/tiktok/callback/", {"code": "tiktok-code", "state": "x"}
    )
    assert response.status_code == 403
    assert "connect-tiktok" not in client.get("/app/channels/accounts/").content.decode()
    assert tiktok_app.state.requests == []


def test_anonymous_is_sent_to_sign_in(tiktok_app, client):
    response = client.post("/app/channels/accounts/tiktok/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_the_button_shows_only_when_tiktok_is_configured(fake, owner, signed_in):
    client = signed_in(owner.user)
    assert 'id="connect-tiktok"' not in client.get("/app/channels/accounts/").content.decode()
    response = client.post("/app/channels/accounts/tiktok/", follow=True)
    assert "This installation has no TikTok app yet" in response.content.decode()
    with override_settings(
        SINERGI_TIKTOK_CLIENT_KEY="tiktok-client-key",
        SINERGI_TIKTOK_CLIENT_SECRET="tiktok-client-secret",
    ):
        assert 'id="connect-tiktok"' in client.get("/app/channels/accounts/").content.decode()


# --- refresh -------------------------------------------------------------------------------


def _connected(tiktok_app, owner, *, expires_in: int = 86400) -> ConnectedAccount:
    tiktok_app.state.tiktok_expires_in = expires_in
    account = tiktok_connect_complete(
        organisation=owner.organisation, code="tiktok-code", redirect_uri=CALLBACK
    )
    tiktok_app.state.tiktok_expires_in = 86400  # what a refresh answers
    return account


def test_a_token_near_its_expiry_is_refreshed_before_the_call(tiktok_app, owner):
    account = _connected(tiktok_app, owner, expires_in=300)
    old_access = token_decrypt(account.access_token_encrypted)
    old_refresh = token_decrypt(account.refresh_token_encrypted)

    with tenant_context(owner.organisation.pk):
        followers = tiktok_call(
            account, lambda client: (client.token, client.user_info("follower_count"))
        )

    stored = _account(owner.organisation)
    new_access = token_decrypt(stored.access_token_encrypted)
    assert followers == (new_access, {"follower_count": 4321})
    assert new_access != old_access
    assert token_decrypt(stored.refresh_token_encrypted) in tiktok_app.state.tiktok_refresh_tokens
    assert old_refresh not in tiktok_app.state.tiktok_refresh_tokens  # rotated: spent
    assert stored.expires_at > timezone.now() + timedelta(hours=23)
    refresh = [p for m, path, p in tiktok_app.state.requests if path == "/v2/oauth/token/"][-1]
    assert (refresh["grant_type"], refresh["refresh_token"]) == ("refresh_token", old_refresh)


def test_a_fresh_token_is_not_refreshed(tiktok_app, owner):
    account = _connected(tiktok_app, owner)
    with tenant_context(owner.organisation.pk):
        tiktok_call(account, lambda client: client.user_info("open_id"))
    assert tiktok_app.state.calls("/v2/oauth/token/") == 1  # the code exchange only


def test_an_expired_token_answer_refreshes_once_and_retries(tiktok_app, owner):
    account = _connected(tiktok_app, owner)
    tiktok_app.state.expired_tokens.add(token_decrypt(account.access_token_encrypted))
    tokens: list[str] = []

    def work(client):
        tokens.append(client.token)
        return client.user_info("follower_count")

    with tenant_context(owner.organisation.pk):
        assert tiktok_call(account, work) == {"follower_count": 4321}

    assert len(tokens) == 2
    assert tokens[0] != tokens[1]
    assert tiktok_app.state.calls("/v2/oauth/token/") == 2
    assert _account(owner.organisation).status == AccountStatus.ACTIVE


def test_a_token_refused_again_after_a_refresh_is_not_refreshed_in_a_loop(tiktok_app, owner):
    account = _connected(tiktok_app, owner)
    tiktok_app.state.fail("/v2/user/info/", 401, _invalid_token(), times=5)

    with tenant_context(owner.organisation.pk), pytest.raises(ConnectorError) as error:
        tiktok_call(account, lambda client: client.user_info("open_id"))

    assert error.value.kind == ErrorKind.EXPIRED
    assert tiktok_app.state.calls("/v2/user/info/", "GET") == 3  # connect, call, one retry
    assert tiktok_app.state.calls("/v2/oauth/token/") == 2


def _invalid_token():
    return {
        "error": {
            "code": "access_token_invalid",
            "message": "The access token is invalid or not found in the request.",
            "log_id": "1",
        }
    }


def test_a_refused_refresh_marks_the_account_expired_with_what_to_do(tiktok_app, owner):
    account = _connected(tiktok_app, owner, expires_in=60)
    tiktok_app.state.tiktok_refresh_tokens.clear()  # revoked in the TikTok app

    with tenant_context(owner.organisation.pk), pytest.raises(ConnectorError) as error:
        tiktok_call(account, lambda client: client.user_info("open_id"))

    assert error.value.kind == ErrorKind.EXPIRED
    stored = _account(owner.organisation)
    assert stored.status == AccountStatus.EXPIRED
    assert stored.status_reason == (
        "TikTok no longer accepts Sinergi's sign-in: "
        "Authorization code or refresh token is expired or invalid. (code invalid_grant)"
    )
    assert stored.status_action == (
        "Connect TikTok again: its sign-in expired or was withdrawn in the TikTok app."
    )
    assert tiktok_app.state.calls("/v2/user/info/", "GET") == 1  # the connect's only


def test_a_transient_refresh_failure_changes_nothing(tiktok_app, owner):
    account = _connected(tiktok_app, owner, expires_in=60)
    before = (account.access_token_encrypted, account.refresh_token_encrypted)
    tiktok_app.state.fail(
        "/v2/oauth/token/",
        503,
        {"error": "internal_error", "error_description": "Try again later", "log_id": "1"},
    )

    with tenant_context(owner.organisation.pk), pytest.raises(ConnectorError) as error:
        tiktok_token_refresh(account=account)

    assert error.value.kind == ErrorKind.TRANSIENT
    stored = _account(owner.organisation)
    assert stored.status == AccountStatus.ACTIVE
    assert (stored.access_token_encrypted, stored.refresh_token_encrypted) == before


def test_a_refresh_that_another_worker_already_made_is_not_repeated(tiktok_app, owner):
    """The worker holds an old copy of the row; under the lock it sees the new token."""
    account = _connected(tiktok_app, owner, expires_in=60)
    stale_copy = _account(owner.organisation)
    with tenant_context(owner.organisation.pk):
        tiktok_token_refresh(account=account)
        again = tiktok_token_refresh(account=stale_copy)
        forced = tiktok_token_refresh(
            account=stale_copy, stale_token=token_decrypt(stale_copy.access_token_encrypted)
        )

    assert tiktok_app.state.calls("/v2/oauth/token/") == 2  # the exchange and one refresh
    assert again.access_token_encrypted == forced.access_token_encrypted
    assert token_decrypt(again.refresh_token_encrypted) in tiktok_app.state.tiktok_refresh_tokens
