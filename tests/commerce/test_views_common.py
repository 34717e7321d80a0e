"""Fixtures and helpers shared by the commerce page tests (no tests of its own)."""

from collections.abc import Callable

import pytest
from django.test import Client

from sinergi.accounts.models import Membership, Organisation, Role
from tests.factories import MembershipFactory


@pytest.fixture
def owner_of(shop: Organisation) -> Membership:
    return MembershipFactory(organisation=shop, role=Role.OWNER)


@pytest.fixture
def staff_of(shop: Organisation) -> Membership:
    return MembershipFactory(organisation=shop, role=Role.STAFF)


@pytest.fixture
def owner_client(owner_of: Membership, signed_in: Callable[..., Client]) -> Client:
    return signed_in(owner_of.user)


@pytest.fixture
def staff_client(staff_of: Membership, signed_in: Callable[..., Client]) -> Client:
    return signed_in(staff_of.user)


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]] if response.context else []
