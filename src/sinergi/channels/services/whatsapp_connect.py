"""Connecting a shop's WhatsApp Business numbers through Meta's Embedded Signup.

Embedded Signup is Facebook Login for Business with a configuration of the "WhatsApp Embedded
Signup" variation (``SINERGI_WHATSAPP_CONFIG_ID``). Sinergi loads no script from Meta: the
browser is redirected to the login dialog with that ``config_id`` (the documented redirect
variant of the login flow) and comes back with a ``code``. Then, server to server:

1. the code is exchanged for the business's token (``GET /oauth/access_token``);
2. ``GET /debug_token`` lists, under ``granular_scopes``, the WhatsApp Business Accounts
   (WABAs) the business shared (``target_ids`` of ``whatsapp_business_management``);
3. each WABA's numbers are read (``GET /{waba-id}/phone_numbers``) and the app subscribes to
   its webhooks (``POST /{waba-id}/subscribed_apps``), so messages reach the inbox;
4. each number becomes a WhatsApp :class:`ConnectedAccount` (the number's id as the platform
   id, the verified name as its name, the token encrypted). A number already on the Cloud API
   (``platform_type`` ``CLOUD_API``) is ready; any other must be registered
   (``POST /{phone-number-id}/register``) with a 6-digit two-step verification PIN that the
   owner chooses, so it waits as "not registered yet" until they do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation
from sinergi.channels.connectors.base import ConnectorError, ErrorKind, HttpTransport
from sinergi.channels.connectors.meta import GraphClient
from sinergi.channels.models import AccountStatus, ConnectedAccount, Platform
from sinergi.channels.services.accounts import (
    account_connect,
    account_status_set,
    account_token,
)
from sinergi.channels.services.oauth import ConnectFailed
from sinergi.commerce.api import InvalidInput, phone_normalise

WHATSAPP_SCOPES = ("whatsapp_business_management", "whatsapp_business_messaging")
PIN = re.compile(r"^\d{6}$")
# Cloud API register errors (Graph reference "WhatsApp Business Phone Number Register").
_PIN_MISMATCH = "133005"
_TOO_MANY_ATTEMPTS = ("133009", "133015", "133016")


@dataclass(frozen=True)
class WhatsAppNumber:
    """One number of a shared WhatsApp Business Account, as Meta lists it."""

    id: str
    display_phone_number: str
    verified_name: str
    platform_type: str
    waba_id: str


def whatsapp_dialog_url(*, redirect_uri: str, state: str) -> str:
    """Where to send the browser for Embedded Signup: the login dialog with the configuration
    and a code (not a token) as the answer."""
    query = {
        "client_id": settings.SINERGI_META_APP_ID,
        "redirect_uri": redirect_uri,
        "state": state,
        "config_id": settings.SINERGI_WHATSAPP_CONFIG_ID,
        "response_type": "code",
        "override_default_response_type": "true",
        "extras": json.dumps({"setup": {}}),
    }
    return f"{settings.SINERGI_META_DIALOG_URL}?{urlencode(query)}"


def whatsapp_configured() -> bool:
    return bool(settings.SINERGI_META_APP_ID and settings.SINERGI_WHATSAPP_CONFIG_ID)


def _graph(token: str) -> GraphClient:
    return GraphClient(token=token, transport=HttpTransport())


def whatsapp_connect_complete(
    *, organisation: Organisation, code: str, redirect_uri: str
) -> list[ConnectedAccount]:
    """Exchange the dialog's code and connect every number of every shared WABA.

    Raises :class:`ConnectFailed` when no WABA or no number was shared, and
    :class:`~sinergi.channels.services.accounts.AccountTaken` when a number belongs to
    another shop.
    """
    app_id, secret = settings.SINERGI_META_APP_ID, settings.SINERGI_META_APP_SECRET
    exchanged = _graph("").call(
        "GET",
        "oauth/access_token",
        params={
            "client_id": app_id,
            "client_secret": secret,
            "redirect_uri": redirect_uri,
            "code": code,
        },
    )
    token = str(exchanged["access_token"])
    waba_ids = _shared_wabas(token, app_token=f"{app_id}|{secret}")
    if not waba_ids:
        raise ConnectFailed(
            _(
                "Meta shared no WhatsApp Business Account with Sinergi. Connect again and "
                "choose (or create) the account and its phone number."
            )
        )
    business = _graph(token)
    numbers: list[WhatsAppNumber] = []
    for waba_id in waba_ids:
        rows = business.call(
            "GET",
            f"{waba_id}/phone_numbers",
            params={"fields": "id,display_phone_number,verified_name,platform_type,status"},
        ).get("data", [])
        business.call("POST", f"{waba_id}/subscribed_apps")
        numbers += [
            WhatsAppNumber(
                id=str(row["id"]),
                display_phone_number=str(row.get("display_phone_number", "")),
                verified_name=str(row.get("verified_name", "")),
                platform_type=str(row.get("platform_type", "")),
                waba_id=waba_id,
            )
            for row in rows
        ]
    if not numbers:
        raise ConnectFailed(
            _(
                "The WhatsApp Business Account has no phone number yet. Connect again and add "
                "the number in the sign-up window."
            )
        )
    return [_connect(organisation, number, token) for number in numbers]


def _shared_wabas(token: str, *, app_token: str) -> list[str]:
    """The WABA ids the token may manage, newest first, from ``debug_token``."""
    data = _graph(app_token).call("GET", "debug_token", params={"input_token": token})
    scopes: list[dict[str, Any]] = list((data.get("data") or {}).get("granular_scopes") or [])
    ids: list[str] = []
    for wanted in WHATSAPP_SCOPES:  # management first: it is what the calls below need
        for scope in scopes:
            if scope.get("scope") == wanted:
                ids += [str(t) for t in scope.get("target_ids") or [] if str(t) not in ids]
    return ids


def _phone(display: str) -> str:
    try:
        return phone_normalise(display)
    except InvalidInput:
        digits = "".join(ch for ch in display if ch.isdigit())
        return f"+{digits}" if digits else ""


def _connect(organisation: Organisation, number: WhatsAppNumber, token: str) -> ConnectedAccount:
    phone = _phone(number.display_phone_number)
    account = account_connect(
        organisation=organisation,
        platform=Platform.WHATSAPP,
        name=(number.verified_name or phone or number.id)[:120],
        external_id=number.id,
        access_token=token,
        scopes=list(WHATSAPP_SCOPES),
        phone_number=phone[:20],
    )
    if number.platform_type != "CLOUD_API":
        account = account_status_set(
            account=account,
            status=AccountStatus.NEEDS_REGISTRATION,
            reason=_("The number is not registered on WhatsApp's Cloud API yet."),
            action=_("Register the number: choose a 6-digit PIN for its two-step verification."),
        )
    return account


class RegistrationRefused(Exception):
    """WhatsApp did not register the number; the message says why and what to do."""


def whatsapp_number_register(*, account: ConnectedAccount, pin: str) -> ConnectedAccount:
    """Register the number on the Cloud API with the owner's 6-digit PIN; the account becomes
    active. A number that is already registered counts as done."""
    if account.platform != Platform.WHATSAPP or account.is_preview:
        raise RegistrationRefused(_("Only a connected WhatsApp number can be registered."))
    if not PIN.match(pin or ""):
        raise RegistrationRefused(_("The PIN must have exactly 6 digits."))
    client = _graph(account_token(account))
    try:
        client.call(
            "POST",
            f"{account.external_id}/register",
            json_body={"messaging_product": "whatsapp", "pin": pin},
        )
    except ConnectorError as error:
        if "already registered" not in error.message.lower():
            raise RegistrationRefused(_register_reason(error)) from error
    return account_status_set(account=account, status=AccountStatus.ACTIVE)


def _register_reason(error: ConnectorError) -> str:
    code = error.code.split("/")[0]
    if code == _PIN_MISMATCH:
        return _(
            "This number already has a two-step verification PIN, and it is not the one you "
            "entered. Enter that PIN, or turn two-step verification off in WhatsApp Manager "
            "and choose a new one."
        )
    if code in _TOO_MANY_ATTEMPTS or error.kind == ErrorKind.RATE_LIMITED:
        return _("WhatsApp received too many attempts for this number. Wait a few minutes.")
    if error.kind in (ErrorKind.EXPIRED, ErrorKind.PERMISSION):
        return _("Meta no longer accepts this connection (%(reason)s). Connect WhatsApp again.") % {
            "reason": error.message
        }
    return _("WhatsApp refused to register the number: %(reason)s") % {"reason": error.message}
