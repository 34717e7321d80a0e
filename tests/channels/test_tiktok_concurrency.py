"""Workers that refresh one TikTok account's token at the same moment: TikTok rotates refresh
tokens, so only one may spend it; the others must wait and take the new pair. Needs
PostgreSQL (``select_for_update`` does nothing on SQLite)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sinergi.channels.crypto import token_decrypt
from sinergi.channels.models import AccountStatus, ConnectedAccount
from sinergi.channels.services.tiktok_connect import tiktok_call
from sinergi.core.tenancy import tenant_context

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 4


@pytest.fixture(autouse=True)
def _tiktok_app(settings):
    settings.SINERGI_TIKTOK_CLIENT_KEY = "tiktok-client-key"
    settings.SINERGI_TIKTOK_CLIENT_SECRET = "tiktok-client-secret"


def test_concurrent_refreshes_spend_the_refresh_token_once(fake, owner, connect):
    org = owner.organisation
    fake.state.tiktok_refresh_tokens.add("rt-1")
    fake.state.tiktok_refresh_hold = 0.5  # TikTok answers slowly: the workers overlap
    account = connect(
        org,
        "tiktok",
        scopes=["user.info.stats"],
        refresh_token="rt-1",
        expires_at=timezone.now() + timedelta(minutes=2),  # inside the refresh margin
    )
    start = threading.Barrier(WORKERS)
    used: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with tenant_context(org.pk):
                mine = ConnectedAccount.objects.get(pk=account.pk)  # each its own copy
                start.wait()
                used.append(
                    tiktok_call(
                        mine,
                        lambda client: (client.user_info("follower_count"), client.token)[1],
                    )
                )
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    refreshes = [
        p
        for _m, path, p in fake.state.requests
        if path == "/v2/oauth/token/" and p.get("grant_type") == "refresh_token"
    ]
    assert len(refreshes) == 1
    with tenant_context(org.pk):
        stored = ConnectedAccount.objects.get(pk=account.pk)
    assert stored.status == AccountStatus.ACTIVE
    assert token_decrypt(stored.refresh_token_encrypted) in fake.state.tiktok_refresh_tokens
    assert set(used) == {token_decrypt(stored.access_token_encrypted)}
