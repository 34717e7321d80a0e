"""API tokens: created and revoked by the shop's owner, checked on every API request.

A token reads ``sng_<prefix>_<secret>``. Only the SHA-256 of the whole token is stored (a
token is long and random, so a fast hash is enough — unlike a password); the prefix is kept
in clear so the owner can tell tokens apart. The plain token exists once, in the response
that creates it.

A token found active is remembered in the cache (shared by a host's server processes, or by
every host with Redis) for :data:`TOKEN_CACHE_SECONDS`, so that an API call costs no query to
find its shop. Revoking puts a "revoked" mark in its place, so revocation takes effect at once
on every server that shares the cache. Where it is not shared (several hosts without Redis,
each with its own file cache), when the cache cannot be written at the moment of revoking,
or when a call reads the token from the database in the same instant as the revocation, the
token stops working within :data:`TOKEN_CACHE_SECONDS` instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import timedelta

from django.core.cache import cache
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
# How long an active token is remembered without asking the database; the longest a revoked
# token can keep working when the cache missed the revocation (see the module docstring).
TOKEN_CACHE_SECONDS = 30
_REVOKED = "revoked"


class TokenRefused(ValueError):
    """The token cannot be created or revoked; the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _cache_key(secret_hash: str) -> str:
    return f"commerce:api-token:{secret_hash}"


def _cache_get(secret_hash: str) -> ApiToken | str | None:
    """The remembered token (or the revoked mark); None when unknown or the cache is down."""
    with contextlib.suppress(Exception):
        found = cache.get(_cache_key(secret_hash))
        if isinstance(found, ApiToken | str):
            return found
    return None


def _cache_put(secret_hash: str, value: ApiToken | str, *, replace: bool) -> None:
    """Remember ``value``; without ``replace`` only if nothing (e.g. a revoked mark) is there."""
    with contextlib.suppress(Exception):
        if replace:
            cache.set(_cache_key(secret_hash), value, TOKEN_CACHE_SECONDS)
        else:
            cache.add(_cache_key(secret_hash), value, TOKEN_CACHE_SECONDS)


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
    # Servers that remembered the token as active see the mark from their next call on.
    _cache_put(token.secret_hash, _REVOKED, replace=True)
    transaction.on_commit(
        lambda: _cache_put(token.secret_hash, _REVOKED, replace=True), robust=True
    )
    return token


def api_token_authenticate(plain: str) -> ApiToken | None:
    """The active token for this bearer string, or None. Marks it used (once a minute).

    Read from the cache when a recent call found it (see the module docstring), else from
    the database.
    """
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    secret_hash = token_hash(plain)
    cached = _cache_get(secret_hash)
    if cached == _REVOKED:
        return None
    token = cached if isinstance(cached, ApiToken) else None
    with across_tenants(reason="a bearer token names its shop; the lookup finds which"):
        if token is None:
            token = (
                ApiToken.objects.select_related("organisation", "created_by")
                .filter(secret_hash=secret_hash, revoked_at=None)
                .first()
            )
            if token is None:
                return None
            # Not over a revoked mark that a concurrent revocation may have just put there.
            _cache_put(secret_hash, token, replace=False)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            # Only while still active: this also catches a revocation the cache missed.
            if not ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(last_used_at=now):
                _cache_put(secret_hash, _REVOKED, replace=True)
                return None
            token.last_used_at = now
            _cache_put(secret_hash, token, replace=True)
    return token
