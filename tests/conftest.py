from collections.abc import Callable

import pytest
from django.test import Client

from sinergi.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from sinergi.core.places import regions_load
from sinergi.web.assets import assets_build
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """Every test database holds Indonesia's provinces and regencies, as production does.

    The area data and the front-end assets come from the npm registry: `npm ci` runs here
    when they are missing, so that `uv run pytest` works on a fresh checkout."""
    assets_build()
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        regions_load()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` need PostgreSQL's concurrency; on SQLite they are skipped."""
    from django.db import connection  # noqa: PLC0415

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _regions_after_flush(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush every table afterwards; put the reference data back."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        regions_load()


@pytest.fixture
def member() -> Callable[..., Membership]:
    """Make a member: ``member(kind="shop", role="owner", organisation=None)``."""

    def make(
        kind: str = OrganisationKind.SHOP,
        role: str = Role.OWNER,
        organisation: Organisation | None = None,
    ) -> Membership:
        organisation = organisation or OrganisationFactory(kind=kind)
        return MembershipFactory(organisation=organisation, role=role)

    return make


@pytest.fixture
def owner(member: Callable[..., Membership]) -> Membership:
    return member()


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
