"""API tokens: created and revoked by the shop's owner, checked on every API request.

A token reads ``sng_<prefix>_<secret>``. Only the SHA-256 of the whole token is stored (a
token is long and random, so a fast hash is enough — unlike a password); the prefix is kept
in clear so the owner can tell tokens apart. The plain token exists once, in the response
that creates it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation, User
from sinergi.commerce.models import ApiToken
from sinergi.core.tenancy import across_tenants, tenant_context

TOKEN_PREFIX = "sng_"  # noqa: S105  (a public marker, not a secret)
MAX_ACTIVE_TOKENS = 20
# Writing last_used_at on every request would turn every read into a write; a minute is
# precise enough for "is this token still in use?".
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRefused(ValueError):
    """The token cannot be created or revoked; the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(
    *, organisation: Organisation, name: str, created_by: User | None
) -> tuple[ApiToken, str]:
    """A new token for the shop; returns it with the plain secret (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise TokenRefused(_("Give the token a name, e.g. the program that will use it."))
    with tenant_context(organisation.pk), transaction.atomic():
        if ApiToken.objects.filter(revoked_at=None).count() >= MAX_ACTIVE_TOKENS:
            raise TokenRefused(
                _("A shop can have at most %d active tokens; revoke one first.") % MAX_ACTIVE_TOKENS
            )
        prefix = secrets.token_hex(4)
        plain = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            organisation=organisation,
            name=name[:80],
            prefix=prefix,
            secret_hash=token_hash(plain),
            created_by=created_by,
        )
    return token, plain


def api_token_revoke(*, organisation: Organisation, token: ApiToken) -> ApiToken:
    """Stop a token working, at once; the record stays."""
    if token.organisation_id != organisation.pk:
        raise TokenRefused(_("That token does not belong to this shop."))
    with tenant_context(organisation.pk):
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=now)
        token.refresh_from_db()
    return token


def api_token_authenticate(plain: str) -> ApiToken | None:
    """The active token for this bearer string, or None. Marks it used (once a minute)."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    with across_tenants(reason="a bearer token names its shop; the lookup finds which"):
        token = (
            ApiToken.objects.select_related("organisation", "created_by")
            .filter(secret_hash=token_hash(plain), revoked_at=None)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token
