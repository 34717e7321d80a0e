# ruff: noqa: F811  (pytest fixtures imported from test_views_common are used as arguments)
"""Stock pages: receive, adjust, count, transfer, the ledger with reversals; roles and errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.commerce.models import Location, MovementKind, StockBalance, StockMovement
from sinergi.commerce.services.stock import location_create, location_default
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.test_views_common import (  # noqa: F401  (fixtures)
    owner_client,
    owner_of,
    staff_client,
    staff_of,
)

pytestmark = pytest.mark.django_db


def _balance(shop, variant, location=None):
    with tenant_context(shop.pk):
        location = location or Location.objects.get(is_default=True)
        balance = StockBalance.objects.get(variant=variant, location=location)
        return balance.on_hand, balance.reserved


def _movements(shop):
    with tenant_context(shop.pk):
        return list(
            StockMovement.objects.order_by("pk").values_list("kind", "on_hand_delta", "note")
        )


def test_variant_page_shows_balances_and_history(shop, staff_client):
    variant = variant_make(shop, name="Kemeja", variant="L", stock=7)

    response = staff_client.get(reverse("commerce:variant_stock", args=[variant.pk]))

    assert response.status_code == 200
    assert [(r.location.name, r.on_hand, r.available) for r in response.context["balances"]] == [
        ("Toko", 7, 7)
    ]
    assert [m.kind for m in response.context["movements"]] == [MovementKind.RECEIPT]


def test_staff_receive_goods(shop, staff_client):
    variant = variant_make(shop, stock=2)
    with tenant_context(shop.pk):
        location = Location.objects.get()

    response = staff_client.post(
        reverse("commerce:stock_receive", args=[variant.pk]),
        {"receive-location": location.pk, "receive-quantity": "10", "receive-note": "CV Sumber"},
    )

    assert response.status_code == 302
    assert _balance(shop, variant) == (12, 0)
    assert _movements(shop)[-1] == (MovementKind.RECEIPT, 10, "CV Sumber")


@pytest.mark.parametrize("quantity", ["0", "-3", "lima", ""])
def test_bad_receipt_changes_nothing(shop, staff_client, quantity):
    variant = variant_make(shop, stock=2)
    with tenant_context(shop.pk):
        location = Location.objects.get()

    response = staff_client.post(
        reverse("commerce:stock_receive", args=[variant.pk]),
        {"receive-location": location.pk, "receive-quantity": quantity},
    )

    assert response.status_code == 400
    assert "quantity" in response.context["receive_form"].errors
    assert _balance(shop, variant) == (2, 0)


def test_owner_adjusts_with_a_reason_and_cannot_go_below_zero(shop, owner_client):
    variant = variant_make(shop, stock=3)
    with tenant_context(shop.pk):
        location = Location.objects.get()
    url = reverse("commerce:stock_adjust", args=[variant.pk])

    ok = owner_client.post(
        url, {"adjust-location": location.pk, "adjust-delta": "-2", "adjust-note": "rusak"}
    )
    refused = owner_client.post(
        url, {"adjust-location": location.pk, "adjust-delta": "-5", "adjust-note": "hilang"}
    )

    assert ok.status_code == 302
    assert refused.status_code == 400
    assert refused.context["adjust_form"].non_field_errors()
    assert _balance(shop, variant) == (1, 0)


def test_owner_counts_stock(shop, owner_client):
    variant = variant_make(shop, stock=10)
    with tenant_context(shop.pk):
        location = Location.objects.get()

    response = owner_client.post(
        reverse("commerce:stock_count", args=[variant.pk]),
        {"count-location": location.pk, "count-counted": "8", "count-note": "opname Juni"},
    )

    assert response.status_code == 302
    assert _balance(shop, variant) == (8, 0)
    assert _movements(shop)[-1] == (MovementKind.COUNT, -2, "opname Juni")


def test_transfer_between_locations(shop, staff_client):
    variant = variant_make(shop, stock=10)
    gudang = location_create(organisation=shop, name="Gudang")
    toko = location_default(organisation=shop)
    url = reverse("commerce:stock_transfer", args=[variant.pk])

    same = staff_client.post(
        url,
        {"transfer-location": toko.pk, "transfer-destination": toko.pk, "transfer-quantity": "1"},
    )
    ok = staff_client.post(
        url,
        {"transfer-location": toko.pk, "transfer-destination": gudang.pk, "transfer-quantity": "4"},
    )

    assert same.status_code == 400
    assert "destination" in same.context["transfer_form"].errors
    assert ok.status_code == 302
    assert _balance(shop, variant, toko) == (6, 0)
    assert _balance(shop, variant, gudang) == (4, 0)


def test_staff_may_not_adjust_count_or_reverse(shop, staff_client):
    variant = variant_make(shop, stock=5)
    with tenant_context(shop.pk):
        location = Location.objects.get()
        movement = StockMovement.objects.get()

    adjust = staff_client.post(
        reverse("commerce:stock_adjust", args=[variant.pk]),
        {"adjust-location": location.pk, "adjust-delta": "-1", "adjust-note": "x"},
    )
    count = staff_client.post(
        reverse("commerce:stock_count", args=[variant.pk]),
        {"count-location": location.pk, "count-counted": "0"},
    )
    reverse_ = staff_client.post(reverse("commerce:movement_reverse", args=[movement.pk]))

    assert (adjust.status_code, count.status_code, reverse_.status_code) == (403, 403, 403)
    assert _balance(shop, variant) == (5, 0)


def test_owner_reverses_a_receipt_once(shop, owner_client):
    variant = variant_make(shop, stock=5)
    with tenant_context(shop.pk):
        movement = StockMovement.objects.get()
    url = reverse("commerce:movement_reverse", args=[movement.pk])

    first = owner_client.post(url, follow=True)
    second = owner_client.post(url, follow=True)

    assert _balance(shop, variant) == (0, 0)
    assert [kind for kind, _delta, _note in _movements(shop)] == [
        MovementKind.RECEIPT,
        MovementKind.REVERSAL,
    ]
    assert first.status_code == second.status_code == 200
    assert [m.level_tag for m in second.context["messages"]] == ["error"]


def test_ledger_page_costs_the_same_queries_for_few_and_many_rows(shop, owner_client):
    url = reverse("commerce:movement_list")
    variant_make(shop, stock=1)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(url)
    for n in range(8):
        variant_make(shop, stock=n + 1)
    with CaptureQueriesContext(connection) as many:
        response = owner_client.get(url)

    assert len(response.context["page"]) == 9
    assert len(many) == len(few)


def test_stock_list_costs_the_same_queries_for_few_and_many_rows(shop, owner_client):
    url = reverse("commerce:stock_list")
    variant_make(shop, stock=1)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(url)
    for n in range(8):
        variant_make(shop, stock=n + 1)
    with CaptureQueriesContext(connection) as many:
        response = owner_client.get(url)

    assert len(response.context["page"]) == 9
    assert len(many) == len(few)


def test_owner_adds_a_location(shop, owner_client, staff_client):
    staff = staff_client.post(reverse("commerce:location_create"), {"name": "Gudang"})
    owner = owner_client.post(reverse("commerce:location_create"), {"name": "Gudang"})
    again = owner_client.post(reverse("commerce:location_create"), {"name": "gudang"}, follow=True)

    assert (staff.status_code, owner.status_code) == (403, 302)
    with tenant_context(shop.pk):
        assert list(Location.objects.values_list("name", flat=True)) == ["Gudang"]
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
