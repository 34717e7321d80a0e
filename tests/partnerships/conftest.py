"""Rows most partnership tests need: a verified partner, shops with places, offerings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from sinergi.accounts.models import Organisation, OrganisationKind, Role
from sinergi.partnerships.models import HelpRequest, Offering
from sinergi.partnerships.services import (
    help_request_create,
    offering_create,
    offering_publish,
)
from tests.factories import OrganisationFactory
from tests.partnerships.routes import member_of, partner_org, shop_org


@pytest.fixture
def partner() -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.ACADEMIA, is_verified=True, name="UGM")


@pytest.fixture
def shop_make() -> Callable[..., Organisation]:
    """``shop_make(province="34", regency="34.04", kbli_code="10710", size_class="micro")``."""

    def make(**fields: Any) -> Organisation:
        fields.setdefault("province_id", fields.pop("province", "34"))
        fields.setdefault("regency_id", fields.pop("regency", "34.04"))
        fields.setdefault("kbli_code", "10710")
        return OrganisationFactory(kind=OrganisationKind.SHOP, **fields)

    return make


@pytest.fixture
def offering_make(partner: Organisation) -> Callable[..., Offering]:
    """A published offering of ``partner``; keyword arguments go to ``offering_create``."""

    def make(publish: bool = True, **fields: Any) -> Offering:
        fields.setdefault("organisation", partner)
        fields.setdefault("title", "Kelas Jualan Online")
        fields.setdefault("kind", "workshop")
        fields.setdefault("topics", ["e-commerce"])
        fields.setdefault("capacity", 2)
        offering = offering_create(**fields)
        if publish:
            offering_publish(offering=offering)
        return offering

    return make


@pytest.fixture
def need_make() -> Callable[..., HelpRequest]:
    def make(shop: Organisation, **fields: Any) -> HelpRequest:
        fields.setdefault("topic", "e-commerce")
        fields.setdefault("description", "Ingin jualan di marketplace")
        return help_request_create(shop=shop, **fields)

    return make


# --- Signed-in clients for the page tests ---------------------------------------------


@pytest.fixture
def _no_partner_mfa():
    with override_settings(SINERGI_REQUIRE_PARTNER_MFA=False):
        yield


@pytest.fixture
def industry(signed_in):
    membership = member_of(partner_org(), Role.ADMIN)
    return membership, signed_in(membership.user)


@pytest.fixture
def shop(signed_in):
    membership = member_of(shop_org(), Role.OWNER)
    return membership, signed_in(membership.user)


@pytest.fixture
def government(signed_in):
    membership = member_of(partner_org(OrganisationKind.GOVERNMENT), Role.OFFICER)
    return membership, signed_in(membership.user)
