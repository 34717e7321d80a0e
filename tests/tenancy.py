"""The other-tenant harness: every URL of tenant data, opened by a member of another
organisation, must answer 404 and change nothing.

Apps register their routes here (``tenant_route(...)`` in ``tests/<app>/routes.py``, imported
by ``tests/test_tenant_isolation.py``). A route's ``make`` creates the object in the owning
organisation and returns the URL's kwargs. A completeness test fails when a URL that takes an
object id is neither registered nor listed in ``NOT_TENANT_DATA`` with a reason.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.forms.models import model_to_dict

from sinergi.accounts.models import Membership, Organisation
from sinergi.core.tenancy import TenantModel, across_tenants


@dataclass(frozen=True)
class TenantRoute:
    url_name: str
    make: Callable[[Organisation], dict[str, Any]]
    methods: tuple[str, ...] = ("get",)
    data: Callable[[], dict[str, Any]] | None = None


TENANT_ROUTES: dict[str, TenantRoute] = {}

# URL names that take an id but are not tenant data, with the reason.
NOT_TENANT_DATA: dict[str, str] = {
    "accounts:invitation_accept": "takes a signed token; tested in tests/accounts",
}


def tenant_route(
    url_name: str,
    make: Callable[[Organisation], dict[str, Any]],
    methods: tuple[str, ...] = ("get",),
    data: Callable[[], dict[str, Any]] | None = None,
) -> None:
    TENANT_ROUTES[url_name] = TenantRoute(url_name, make, methods, data)


def database_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every tenant-owned row, every organisation and every membership, as plain values."""
    models = [m for m in apps.get_models() if issubclass(m, TenantModel)]
    models += [Organisation, Membership]
    with across_tenants(reason="the harness compares the whole database before and after"):
        return {
            model._meta.label: [model_to_dict(row) for row in model.objects.order_by("pk")]
            for model in models
        }
