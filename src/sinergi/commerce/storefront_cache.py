"""What the storefront cache keys on: a per-shop version token, and the shop behind a slug.

A cached storefront page is stored under the shop's current *version*, a random token kept in
the Django cache. The commerce services that change what buyers see (stock movements, order
placement, cancellation, shipment and return, catalog, variant and photo changes, imports)
call :func:`storefront_version_bump` explicitly; it drops the token (at once, and again once
their transaction commits), so the next visit takes a new one and renders the page again.
A cache hit therefore costs no database query: slug → shop, shop → version, version → page
are three cache reads.

When the version is missing (a cache that was restarted, or an evicted key) a *new random*
token is taken, never a counter starting again from zero, so a page stored under an older
token can never be served again.

Reads take the version before they read the database: a page rendered from data older than
the latest commit is stored under a token that the commit's bump drops (the bump runs after
the commit), so it is never served as current.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

_VERSION_KEY = "commerce:storefront:version:{}"
_SHOP_KEY = "commerce:storefront:shop:{}"
# How long the slug → shop entry is trusted. Shop profile edits (name, description, address
# — written by the accounts app) show on the storefront within this many seconds.
SHOP_SECONDS = 60


def _token() -> str:
    return secrets.token_hex(8)


def storefront_version(organisation_id: int) -> str:
    """The shop's current storefront version (one cache read; a new token when missing)."""
    key = _VERSION_KEY.format(organisation_id)
    version = cache.get(key)
    if version is None:
        # Two first visitors at once: ``add`` lets one token win; both then use it.
        version = _token()
        cache.add(key, version, timeout=None)
        version = cache.get(key) or version
    return str(version)


def storefront_version_bump(organisation_id: int) -> None:
    """Drop the shop's storefront version, now and again when the transaction commits.

    Called by every commerce service that changes what the storefront shows; the next visit
    takes a new random version (:func:`storefront_version`), so it renders the page again.
    The drop on commit is the one that matters: a page rendered by a concurrent visitor from
    the data of before the commit is left under a version nobody asks for any more. The drop
    at once lets the change's own transaction (and tests, which never commit) see fresh pages;
    a rolled-back change merely renders the pages again. A delete is the cheapest write a
    cache has (the order path pays it twice). A cache that cannot be written does not fail the
    (already committed) change: pages then follow when they expire.
    """
    key = _VERSION_KEY.format(organisation_id)
    with contextlib.suppress(Exception):
        cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key), robust=True)


@dataclass(frozen=True)
class ShopRef:
    """The shop behind a storefront slug, as cached: its id and a fingerprint of what the
    pages show of it (a page of an edited shop gets a new key once this entry is renewed)."""

    pk: int
    slug: str
    name: str
    fingerprint: str


def shop_ref_cached(slug: str) -> ShopRef | None:
    """The cached entry for a slug, or None (then look the shop up and :func:`shop_ref_store`)."""
    found = cache.get(_SHOP_KEY.format(slug))
    return found if isinstance(found, ShopRef) else None


def shop_ref_store(
    *, pk: int, slug: str, name: str, description: str, address: str, phone: str
) -> ShopRef:
    """Remember a shop found by its slug for :data:`SHOP_SECONDS`."""
    shown = "\x1f".join([slug, name, description, address, phone])
    ref = ShopRef(
        pk=pk,
        slug=slug,
        name=name,
        fingerprint=hashlib.blake2b(shown.encode(), digest_size=8).hexdigest(),
    )
    cache.set(_SHOP_KEY.format(slug), ref, SHOP_SECONDS)
    return ref
