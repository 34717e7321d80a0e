"""Every registered route of tenant data answers another organisation's member with a 404
and leaves the database as it was."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import MembershipFactory, OrganisationFactory
from tests.tenancy import NOT_TENANT_DATA, TENANT_ROUTES, database_snapshot

pytestmark = pytest.mark.django_db

# Each app registers its routes in tests/<app>/routes.py.
for _routes in sorted(Path(__file__).parent.glob("*/routes.py")):
    importlib.import_module(f"tests.{_routes.parent.name}.routes")


@pytest.mark.parametrize("route", TENANT_ROUTES.values(), ids=lambda r: r.url_name)
def test_other_tenant_gets_404_and_changes_nothing(route, signed_in):
    victim = OrganisationFactory()
    kwargs = route.make(victim)
    intruder = MembershipFactory(organisation=OrganisationFactory(), role="owner").user
    client = signed_in(intruder)
    url = reverse(route.url_name, kwargs=kwargs)
    before = database_snapshot()

    for method in route.methods:
        response = getattr(client, method)(url, data=route.data() if route.data else {})
        assert response.status_code == 404, f"{method.upper()} {url}"

    assert database_snapshot() == before


def _named_patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _named_patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", pattern


def test_every_url_that_takes_an_id_is_in_the_harness():
    sinergi_patterns = [
        (name, pattern)
        for name, pattern in _named_patterns(get_resolver())
        if pattern.callback.__module__.startswith("sinergi.") and pattern.pattern.converters
    ]
    missing = [
        name
        for name, _ in sinergi_patterns
        if name not in TENANT_ROUTES and name not in NOT_TENANT_DATA
    ]

    assert sinergi_patterns, "no URL with an id found: the walk is broken"
    assert missing == []
