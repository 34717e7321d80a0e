"""Connecting TikTok accounts through TikTok's Login Kit (OAuth v2), and keeping their
access tokens fresh.

The browser goes to TikTok's authorize page with the scopes below; TikTok sends it back with
a ``code`` that is exchanged (``POST /v2/oauth/token/``) for an access token (valid about a
day), a refresh token (valid months) and the user's ``open_id``. Login Kit for Web needs no
PKCE: TikTok asks for a ``code_verifier`` from mobile and desktop apps only.

TikTok rotates refresh tokens: a refresh answers a new pair and may retire the old refresh
token. Two workers that both refresh with the same refresh token would leave the account
with a dead one, so a refresh locks the account's row (``select_for_update``) and looks
again, under the lock, whether another worker has refreshed already.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation
from sinergi.channels.connectors.base import ConnectorError, ErrorKind, HttpTransport, Transport
from sinergi.channels.connectors.tiktok import TikTokClient, oauth_token
from sinergi.channels.crypto import token_decrypt, token_encrypt
from sinergi.channels.models import AccountStatus, ConnectedAccount, Platform
from sinergi.channels.services.accounts import (
    account_connect,
    account_permissions_missing,
    account_transport,
)

T = TypeVar("T")

TIKTOK_SCOPES = (
    "user.info.basic",
    "user.info.stats",
    "video.publish",
    "video.upload",
    "video.list",
)
# Without these Sinergi cannot name the account or post; the others feed the metrics.
TIKTOK_REQUIRED = frozenset({"user.info.basic", "video.publish"})
# An access token this close to its expiry is refreshed before it is used.
REFRESH_MARGIN = timedelta(minutes=10)


def tiktok_enabled() -> bool:
    """Whether this installation has a TikTok app to connect accounts with."""
    return bool(settings.SINERGI_TIKTOK_CLIENT_KEY and settings.SINERGI_TIKTOK_CLIENT_SECRET)


def tiktok_authorize_url(*, redirect_uri: str, state: str) -> str:
    """Where to send the browser to sign in with TikTok."""
    query = {
        "client_key": settings.SINERGI_TIKTOK_CLIENT_KEY,
        "scope": ",".join(TIKTOK_SCOPES),
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "state": state,
    }
    return f"{settings.SINERGI_TIKTOK_AUTH_URL}?{urlencode(query)}"


def _expiry(now: datetime, seconds: object) -> datetime | None:
    try:
        return now + timedelta(seconds=int(str(seconds)))
    except ValueError:
        return None


def tiktok_connect_complete(
    *,
    organisation: Organisation,
    code: str,
    redirect_uri: str,
    transport: Transport | None = None,
    now: datetime | None = None,
) -> ConnectedAccount:
    """Exchange the authorize page's ``code`` and connect the TikTok account, named by its
    display name. Scopes the person did not grant leave the account MISSING_PERMISSION
    with what to do. Raises ConnectorError when TikTok refuses the code and
    :class:`~sinergi.channels.services.accounts.AccountTaken` when another shop has it."""
    transport = transport or HttpTransport()
    now = now or timezone.now()
    tokens = oauth_token(
        transport,
        {"code": code, "grant_type": "authorization_code", "redirect_uri": redirect_uri},
    )
    granted = {s.strip() for s in str(tokens.get("scope", "")).split(",") if s.strip()}
    open_id = str(tokens["open_id"])
    name = open_id
    if "user.info.basic" in granted:
        user = TikTokClient(token=str(tokens["access_token"]), transport=transport).user_info(
            "open_id,display_name"
        )
        name = str(user.get("display_name") or open_id)
    account = account_connect(
        organisation=organisation,
        platform=Platform.TIKTOK,
        name=name[:120],
        external_id=open_id,
        access_token=str(tokens["access_token"]),
        refresh_token=str(tokens.get("refresh_token", "")),
        scopes=sorted(granted),
        expires_at=_expiry(now, tokens.get("expires_in")),
    )
    missing = sorted(TIKTOK_REQUIRED - granted)
    if missing:
        account = account_permissions_missing(
            account=account,
            missing=missing,
            action=_(
                "Connect TikTok again and leave every permission Sinergi asks for switched on."
            ),
        )
    return account


def tiktok_token_refresh(
    *,
    account: ConnectedAccount,
    stale_token: str | None = None,
    transport: Transport | None = None,
    now: datetime | None = None,
) -> ConnectedAccount:
    """Renew the account's access token with its refresh token and store the new pair;
    returns the account as it now is.

    Without ``stale_token`` the token is renewed only when it is near its expiry; with it
    (the token TikTok just refused) only while that token is still the stored one. Either
    way the check is made again under a row lock, so a worker that waited for another's
    refresh uses the new token instead of burning the refresh token a second time. A
    refused refresh marks the account EXPIRED with what to do; a transient failure raises
    and changes nothing. Call inside the account's tenant context.
    """
    now = now or timezone.now()
    transport = transport or account_transport(account)
    with transaction.atomic():
        locked = ConnectedAccount.objects.select_for_update().get(pk=account.pk)
        current = token_decrypt(locked.access_token_encrypted)
        if not locked.can_act or locked.is_preview:
            return locked
        if stale_token is not None:
            if current != stale_token:
                return locked  # another worker refreshed after this token was refused
        elif locked.expires_at is None or locked.expires_at > now + REFRESH_MARGIN:
            return locked  # still fresh, or refreshed by another worker meanwhile
        refresh = token_decrypt(locked.refresh_token_encrypted)
        try:
            tokens = _refreshed_tokens(transport, refresh)
        except ConnectorError as error:
            if error.kind != ErrorKind.EXPIRED:
                raise
            locked.status = AccountStatus.EXPIRED
            locked.status_reason = (
                _("TikTok no longer accepts Sinergi's sign-in: %(reason)s") % {"reason": error}
            )[:300]
            locked.status_action = _(
                "Connect TikTok again: its sign-in expired or was withdrawn in the TikTok app."
            )
            locked.save(update_fields=["status", "status_reason", "status_action"])
            return locked
        locked.access_token_encrypted = token_encrypt(str(tokens["access_token"]))
        locked.refresh_token_encrypted = token_encrypt(str(tokens.get("refresh_token") or refresh))
        locked.expires_at = _expiry(now, tokens.get("expires_in"))
        fields = ["access_token_encrypted", "refresh_token_encrypted", "expires_at"]
        if tokens.get("scope"):
            locked.scopes = sorted(s.strip() for s in str(tokens["scope"]).split(",") if s.strip())
            fields.append("scopes")
        locked.save(update_fields=fields)
        return locked


def _refreshed_tokens(transport: Transport, refresh: str) -> dict[str, object]:
    if not refresh:
        raise ConnectorError(
            ErrorKind.EXPIRED, _("TikTok gave no refresh token."), code="no_refresh"
        )
    return oauth_token(transport, {"grant_type": "refresh_token", "refresh_token": refresh})


def _adopt(account: ConnectedAccount, fresh: ConnectedAccount) -> None:
    for field in (
        "access_token_encrypted",
        "refresh_token_encrypted",
        "expires_at",
        "scopes",
        "status",
        "status_reason",
        "status_action",
    ):
        setattr(account, field, getattr(fresh, field))


def _refused(account: ConnectedAccount) -> ConnectorError:
    return ConnectorError(ErrorKind.EXPIRED, account.status_reason, code="refresh_refused")


def tiktok_call(
    account: ConnectedAccount,
    work: Callable[[TikTokClient], T],
    *,
    now: datetime | None = None,
) -> T:
    """Run ``work`` with a client holding a fresh access token: refreshed first when it is
    near its expiry, and refreshed once more (then ``work`` run again) when TikTok answers
    that the token expired. ``work`` must be safe to run twice. Raises ConnectorError
    EXPIRED when the refresh is refused (the account is then marked)."""
    now = now or timezone.now()
    transport = account_transport(account)
    if account.expires_at is not None and account.expires_at <= now + REFRESH_MARGIN:
        _adopt(account, tiktok_token_refresh(account=account, transport=transport, now=now))
        if not account.can_act:
            raise _refused(account)
    client = TikTokClient(token=token_decrypt(account.access_token_encrypted), transport=transport)
    try:
        return work(client)
    except ConnectorError as error:
        if error.kind != ErrorKind.EXPIRED or not account.refresh_token_encrypted:
            raise
        _adopt(
            account,
            tiktok_token_refresh(
                account=account, stale_token=client.token, transport=transport, now=now
            ),
        )
        if not account.can_act:
            raise _refused(account) from error
        fresh = token_decrypt(account.access_token_encrypted)
        if fresh == client.token:
            raise
        return work(TikTokClient(token=fresh, transport=transport))
