"""Imports, exports and API tokens in a real browser, on a phone-sized screen."""

from __future__ import annotations

import pytest

from sinergi.commerce.models import ApiToken, ImportJob, Order, Variant
from sinergi.commerce.models.integration import ImportStatus
from sinergi.core.tenancy import tenant_context
from tests.browser.conftest import sign_in
from tests.commerce.conftest import variant_make
from tests.commerce.imports_support import FIXTURES
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner():
    return MembershipFactory(role="owner")


def test_owner_imports_a_catalog_with_preview_on_a_phone(phone, owner):
    sign_in(phone, owner.user.email, PASSWORD)
    phone.goto("/app/imports/")
    phone.select_option("select[name=kind]", "catalog")
    phone.set_input_files("input[name=file]", str(FIXTURES / "catalog.csv"))
    phone.locator("main form[enctype] button[type=submit]").click()
    phone.wait_for_url("**/app/imports/*/")

    # The preview lists the rows and nothing is saved yet.
    assert phone.locator("table.import-preview").is_visible()
    assert phone.locator("table.import-preview tbody tr").count() == 3
    phone.screenshot(path="test-results/commerce-import-preview-phone.png", full_page=True)
    with tenant_context(owner.organisation.pk):
        assert not Variant.objects.exists()

    phone.locator(".import-actions form").first.locator("button").click()
    phone.wait_for_load_state()
    with tenant_context(owner.organisation.pk):
        assert sorted(Variant.objects.values_list("sku", flat=True)) == ["KMJ-L", "KMJ-M", "TAS-01"]
        assert ImportJob.objects.get().status == ImportStatus.DONE
    assert phone.locator("dl.facts").is_visible()


def test_owner_maps_an_unknown_marketplace_sku_and_imports_orders(phone, owner):
    shop = owner.organisation
    variant_make(shop, name="Kemeja", variant="M", sku="KMJ-M", stock=10)
    variant_make(shop, name="Kemeja", variant="L", sku="KMJ-L", stock=10)
    tas = variant_make(shop, name="Tas Pandan", sku="TAS-01", stock=5)
    sign_in(phone, owner.user.email, PASSWORD)
    phone.goto("/app/imports/")
    phone.select_option("select[name=kind]", "shopee")
    phone.set_input_files("input[name=file]", str(FIXTURES / "shopee_orders.csv"))
    phone.locator("main form[enctype] button[type=submit]").click()
    phone.wait_for_url("**/app/imports/*/")

    assert phone.locator("table.import-errors").is_visible()
    phone.select_option("select[name=map-0]", str(tas.pk))
    phone.locator("form.sku-mapping button[type=submit]").click()
    phone.wait_for_load_state()
    phone.locator(".import-actions form").first.locator("button").click()
    phone.wait_for_load_state()

    with tenant_context(shop.pk):
        assert Order.objects.filter(channel="shopee").count() == 4
    phone.screenshot(path="test-results/commerce-import-orders-done-phone.png", full_page=True)


def test_owner_creates_and_revokes_an_api_token(desktop, owner):
    sign_in(desktop, owner.user.email, PASSWORD)
    desktop.goto("/app/api-tokens/")
    desktop.fill("input[name=name]", "Kasir laptop")
    desktop.locator("main form button[type=submit]").first.click()
    desktop.wait_for_load_state()
    secret = desktop.locator(".token-secret input").input_value()
    assert secret.startswith("sng_")

    desktop.goto("/app/api-tokens/")
    assert desktop.locator(".token-secret").count() == 0  # shown once only
    desktop.locator("ul.list form button[type=submit]").first.click()
    desktop.wait_for_load_state()
    with tenant_context(owner.organisation.pk):
        assert ApiToken.objects.get().revoked_at is not None
