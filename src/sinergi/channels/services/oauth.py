"""Connecting Facebook Pages and their Instagram professional accounts through Meta's
official sign-in (Facebook Login for Business).

The browser goes to Meta's OAuth dialog with the permissions below; Meta sends it back with a
``code``. The code is exchanged for a user token, that for a long-lived one, and
``/me/accounts`` lists the Pages the person manages with a Page token each (Page tokens from
a long-lived user token do not expire) and the Instagram account linked to each Page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation
from sinergi.channels.connectors.base import HttpTransport
from sinergi.channels.connectors.meta import GraphClient
from sinergi.channels.models import ConnectedAccount, Platform
from sinergi.channels.services.accounts import account_connect, account_permissions_missing

META_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_messaging",
    "read_insights",
    "business_management",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_messages",
    "instagram_manage_insights",
)
# Without these nothing works; the others are needed only for some features.
META_REQUIRED = frozenset({"pages_show_list", "pages_manage_posts", "instagram_content_publish"})


class ConnectFailed(Exception):
    """The platform's sign-in did not give Sinergi what it needs; the message says why."""


def meta_dialog_url(*, redirect_uri: str, state: str) -> str:
    """Where to send the browser to sign in with Meta."""
    query = {
        "client_id": settings.SINERGI_META_APP_ID,
        "redirect_uri": redirect_uri,
        "state": state,
        "response_type": "code",
        "scope": ",".join(META_SCOPES),
    }
    return f"{settings.SINERGI_META_DIALOG_URL}?{urlencode(query)}"


def _graph(token: str = "") -> GraphClient:
    return GraphClient(token=token, transport=HttpTransport())


def meta_connect_complete(
    *, organisation: Organisation, code: str, redirect_uri: str
) -> list[ConnectedAccount]:
    """Exchange the dialog's ``code`` and connect every Page (and linked Instagram account)
    the person manages. Raises :class:`ConnectFailed` when no Page comes back."""
    app = {
        "client_id": settings.SINERGI_META_APP_ID,
        "client_secret": settings.SINERGI_META_APP_SECRET,
    }
    short = _graph().call(
        "GET", "oauth/access_token", params=app | {"redirect_uri": redirect_uri, "code": code}
    )
    long = _graph().call(
        "GET",
        "oauth/access_token",
        params=app
        | {"grant_type": "fb_exchange_token", "fb_exchange_token": short["access_token"]},
    )
    user = _graph(str(long["access_token"]))
    granted = {
        row["permission"]
        for row in user.call("GET", "me/permissions").get("data", [])
        if row.get("status") == "granted"
    }
    pages = user.call(
        "GET",
        "me/accounts",
        params={"fields": "id,name,access_token,instagram_business_account{id,username}"},
    ).get("data", [])
    if not pages:
        raise ConnectFailed(
            _("Meta returned no Facebook Page. Choose at least one Page when you connect.")
        )
    connected = []
    for page in pages:
        connected.append(
            _connect(
                organisation,
                platform=Platform.FACEBOOK,
                external_id=page["id"],
                name=page["name"],
                token=page["access_token"],
                granted=granted,
            )
        )
        instagram: dict[str, Any] | None = page.get("instagram_business_account")
        if instagram:
            connected.append(
                _connect(
                    organisation,
                    platform=Platform.INSTAGRAM,
                    external_id=instagram["id"],
                    name=f"@{instagram.get('username', instagram['id'])}",
                    token=page["access_token"],
                    granted=granted,
                )
            )
    return connected


def _connect(
    organisation: Organisation,
    *,
    platform: str,
    external_id: str,
    name: str,
    token: str,
    granted: set[str],
) -> ConnectedAccount:
    account = account_connect(
        organisation=organisation,
        platform=platform,
        name=name,
        external_id=str(external_id),
        access_token=token,
        scopes=sorted(granted),
    )
    missing = sorted(META_REQUIRED - granted)
    if missing:
        account = account_permissions_missing(
            account=account,
            missing=missing,
            action=_("Connect again and allow every permission Sinergi asks for."),
        )
    return account
