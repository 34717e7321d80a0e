"""Connecting platform accounts, and what happens when a platform refuses their token."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation
from sinergi.channels.connectors.base import ConnectorError, ErrorKind, HttpTransport, Transport
from sinergi.channels.connectors.preview import PreviewTransport
from sinergi.channels.crypto import token_decrypt, token_encrypt
from sinergi.channels.models import AccountStatus, ConnectedAccount, Platform
from sinergi.core.tenancy import tenant_context

# How long to leave an account alone after the platform says "too many requests".
RATE_LIMIT_PAUSE = timedelta(minutes=15)


class AccountTaken(Exception):
    """The platform account is already connected to another shop."""


def account_connect(
    *,
    organisation: Organisation,
    platform: str,
    name: str,
    external_id: str,
    access_token: str,
    refresh_token: str = "",
    scopes: list[str] | None = None,
    expires_at: datetime | None = None,
    phone_number: str = "",
    is_preview: bool = False,
) -> ConnectedAccount:
    """Store (or renew) a connection with its tokens encrypted; the account becomes active.

    Called at the end of the platform's OAuth / Embedded Signup flow with what it returned,
    and by the demo for preview connections.
    """
    if platform not in Platform.values:
        raise ValueError(f"unknown platform {platform!r}")
    try:
        with tenant_context(organisation.pk), transaction.atomic():
            account, _created = ConnectedAccount.objects.update_or_create(
                platform=platform,
                external_id=external_id,
                defaults={
                    "organisation": organisation,
                    "name": name,
                    "phone_number": phone_number,
                    "access_token_encrypted": token_encrypt(access_token),
                    "refresh_token_encrypted": token_encrypt(refresh_token),
                    "scopes": scopes or [],
                    "expires_at": expires_at,
                    "is_preview": is_preview,
                    "status": AccountStatus.ACTIVE,
                    "status_reason": "",
                    "status_action": "",
                    "rate_limited_until": None,
                },
            )
    except IntegrityError as error:
        raise AccountTaken(
            _(
                "%(name)s is already connected to another shop on Sinergi. "
                "Disconnect it there first."
            )
            % {"name": name}
        ) from error
    return account


def account_status_set(
    *, account: ConnectedAccount, status: str, reason: str = "", action: str = ""
) -> ConnectedAccount:
    """Set the account's status with the reason and the next step the shop is shown (a
    connection that cannot act yet, or one that now can); returns the account as it now is."""
    with tenant_context(account.organisation_id):
        ConnectedAccount.objects.filter(pk=account.pk).update(
            status=status, status_reason=reason, status_action=action
        )
        account.refresh_from_db()
    return account


def account_permissions_missing(
    *, account: ConnectedAccount, missing: Sequence[str], action: str
) -> ConnectedAccount:
    """Mark a connection the shop did not allow every permission Sinergi asks for: it names
    the ``missing`` ones, and ``action`` says how to allow them."""
    return account_status_set(
        account=account,
        status=AccountStatus.MISSING_PERMISSION,
        reason=_("Not allowed: %(names)s") % {"names": ", ".join(missing)},
        action=action,
    )


def account_transport(account: ConnectedAccount) -> Transport:
    """Where the account's requests go: the platform, or the preview record."""
    return PreviewTransport(account) if account.is_preview else HttpTransport()


def account_token(account: ConnectedAccount) -> str:
    return token_decrypt(account.access_token_encrypted)


def account_error_record(
    *, account: ConnectedAccount, error: ConnectorError, now: datetime | None = None
) -> None:
    """Mark the account after a refusal that concerns the account, not the request.

    An expired or revoked token and a missing permission stop the account until the shop
    reconnects; a rate limit pauses it.
    """
    changes: dict[str, object] = {}
    if error.kind == ErrorKind.EXPIRED:
        changes = {
            "status": AccountStatus.EXPIRED,
            "status_reason": error.message[:300],
            "status_action": _("Connect %(platform)s again: its sign-in expired or was withdrawn.")
            % {"platform": account.get_platform_display()},
        }
    elif error.kind == ErrorKind.PERMISSION:
        changes = {
            "status": AccountStatus.MISSING_PERMISSION,
            "status_reason": error.message[:300],
            "status_action": _(
                "Connect %(platform)s again and allow every permission Sinergi asks for."
            )
            % {"platform": account.get_platform_display()},
        }
    elif error.kind == ErrorKind.RATE_LIMITED:
        changes = {"rate_limited_until": (now or timezone.now()) + RATE_LIMIT_PAUSE}
    if changes:
        ConnectedAccount.objects.filter(pk=account.pk).update(**changes)
        for field, value in changes.items():
            setattr(account, field, value)


def account_expiry_check(*, account: ConnectedAccount, now: datetime | None = None) -> bool:
    """Mark an account whose token's known expiry has passed; returns whether it is usable.

    A token that comes with a refresh token (TikTok) is renewed before use instead: its
    expiry says when to refresh, and a refused refresh marks the account.
    """
    now = now or timezone.now()
    if (
        account.status == AccountStatus.ACTIVE
        and account.expires_at
        and account.expires_at <= now
        and not account.refresh_token_encrypted
    ):
        account_error_record(
            account=account,
            error=ConnectorError(ErrorKind.EXPIRED, _("The access token expired."), code="190"),
            now=now,
        )
    return account.can_act


def account_disconnect(*, account: ConnectedAccount) -> None:
    """Forget the tokens; posts and conversations stay."""
    ConnectedAccount.objects.filter(pk=account.pk).update(
        status=AccountStatus.DISCONNECTED,
        access_token_encrypted="",
        refresh_token_encrypted="",
        status_reason="",
        status_action=_("Connect the account again to publish and reply."),
    )
