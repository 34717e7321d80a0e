"""Tenant scoping that fails closed.

A tenant is an organisation. Rows a tenant owns inherit from :class:`TenantModel`; their
default manager refuses to build a query unless the code runs inside a tenant context, and then
sees only that tenant's rows. Requests enter a context from the signed-in membership, tasks
from their arguments. Code that must see across tenants (the operator's admin, aggregates,
the demo generator) says so with ``across_tenants(reason=...)`` — the one escape, easy to grep.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.db.models import QuerySet

logger = logging.getLogger(__name__)


class TenantContextMissing(RuntimeError):
    """A tenant-owned model was queried outside any tenant context."""


@dataclass(frozen=True)
class _Scope:
    tenant_id: int | None
    reason: str = ""

    @property
    def across(self) -> bool:
        return self.tenant_id is None


_scope: ContextVar[_Scope | None] = ContextVar("sinergi_tenant_scope", default=None)


@contextmanager
def tenant_context(tenant_id: int) -> Iterator[None]:
    """Run the block as tenant ``tenant_id``: tenant-owned queries see only its rows."""
    if not isinstance(tenant_id, int):
        raise TypeError("tenant_context takes an organisation id")
    token = _scope.set(_Scope(tenant_id=tenant_id))
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def across_tenants(*, reason: str) -> Iterator[None]:
    """The explicit escape: tenant-owned queries in the block see every tenant's rows."""
    if not reason.strip():
        raise ValueError("across_tenants needs a reason")
    token = _scope.set(_Scope(tenant_id=None, reason=reason))
    try:
        yield
    finally:
        _scope.reset(token)


def current_tenant_id() -> int:
    """The organisation id of the current context; raises outside one or across tenants."""
    scope = _scope.get()
    if scope is None or scope.tenant_id is None:
        raise TenantContextMissing("no single tenant is active here")
    return scope.tenant_id


def in_tenant_context() -> bool:
    return _scope.get() is not None


_M = TypeVar("_M", bound=models.Model)


class TenantManager(models.Manager[_M], Generic[_M]):
    """Default manager of tenant-owned models: scoped to the active tenant, or refuses."""

    def get_queryset(self) -> QuerySet[_M]:
        scope = _scope.get()
        if scope is None:
            raise TenantContextMissing(
                f"{self.model.__name__} is tenant-owned: query it inside tenant_context() "
                "or across_tenants(reason=...)"
            )
        queryset = super().get_queryset()
        if scope.across:
            return queryset
        return queryset.filter(organisation_id=scope.tenant_id)


class TenantModel(models.Model):
    """Base of every row an organisation owns. Its default manager fails closed."""

    organisation = models.ForeignKey(
        settings.SINERGI_TENANT_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=True,
    )

    objects: Any = TenantManager()

    class Meta:
        abstract = True
        # Deletion cascades and forward relations use Django's plain base manager, so that
        # removing an organisation removes everything it owns.
